"""`scambot run` against a local fake Bot API: long polling, and a webhook guarded by its secret token.

The bot runs as its own process, as in production; Rasa is unreachable on purpose (NLU_URL points
to a closed port), so it answers with the local matcher.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from bot.settings import PROJECT_ROOT
from tests.broadcast.fake_bot_api import FakeBotApi, running_fake_bot_api

CHAT = 4242
SECRET = "s3cret-token_for-the-webhook"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def update(update_id: int, text: str) -> dict:
    person = {"id": CHAT, "is_bot": False, "first_name": "Dara", "language_code": "en"}
    chat = {"id": CHAT, "type": "private", "first_name": "Dara"}
    message = {"message_id": update_id, "date": int(time.time()), "chat": chat, "from": person, "text": text}
    return {"update_id": update_id, "message": message}


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with running_fake_bot_api() as fake:
        yield fake


@contextmanager
def bot_process(tmp_path: Path, api: FakeBotApi, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """`scambot run --no-admin` with a token, talking to the fake Bot API; stopped with SIGINT."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "WEBHOOK_", "NLU_", "DATABASE_", "STAFF_", "INTAKE_"))
    }
    environment |= {
        "TELEGRAM_BOT_TOKEN": "123:fake",
        "TELEGRAM_API_BASE_URL": api.base_url,
        "NLU_URL": f"http://127.0.0.1:{free_port()}",
        "DATA_DIR": str(tmp_path),
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--no-admin"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def until(condition, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the bot exited ({process.returncode}): {process.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the bot")
        await asyncio.sleep(0.2)


async def test_long_polling_answers_an_update_from_the_bot_api(tmp_path: Path, api: FakeBotApi) -> None:
    api.updates.append(update(1, "/start"))
    with bot_process(tmp_path, api) as process:
        await until(lambda: api.texts_for(CHAT), process)
        api.updates.append(update(2, "how do fake job offers work?"))
        await until(lambda: len(api.texts_for(CHAT)) >= 2, process)

    assert any(method == "getUpdates" for method, _ in api.calls)
    assert not any(method == "setWebhook" for method, _ in api.calls)
    assert process.returncode == 0


async def test_webhook_registers_its_secret_and_refuses_calls_without_it(tmp_path: Path, api: FakeBotApi) -> None:
    port = free_port()
    env = {
        "WEBHOOK_URL": "https://bot.example.org/telegram/hook",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
    }
    with bot_process(tmp_path, api, **env) as process:
        await until(lambda: any(method == "setWebhook" for method, _ in api.calls), process)
        registered = next(params for method, params in api.calls if method == "setWebhook")
        hook = f"http://127.0.0.1:{port}/telegram/hook"
        async with httpx.AsyncClient(timeout=10) as http:
            for _ in range(100):  # the webhook server starts right after setWebhook
                try:
                    forged = await http.post(hook, json=update(1, "/start"))
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.2)
            await asyncio.sleep(1)
            nothing_sent = api.texts_for(CHAT)
            genuine = await http.post(
                hook, json=update(2, "/start"), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
        await until(lambda: api.texts_for(CHAT), process)

    assert registered["url"] == "https://bot.example.org/telegram/hook"
    assert registered["secret_token"] == SECRET
    assert forged.status_code == 403
    assert nothing_sent == []
    assert genuine.status_code == 200
    assert process.returncode == 0
