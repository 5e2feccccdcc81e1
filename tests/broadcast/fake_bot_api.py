"""A local fake Telegram Bot API server that enforces the broadcast limit and counts duplicates.

It answers ``getMe``, ``sendMessage``, ``getUpdates`` (from a list the test fills) and (with
``true``) any other method, on 127.0.0.1, and records the calls.
Like Telegram, it refuses a ``sendMessage`` with ``429 Too Many Requests`` and a
``retry_after`` when ``limit`` messages were already accepted in the last second, and with
``403 Forbidden`` for chats that "blocked the bot". It counts every answer and every message
a chat got twice (same chat, same text), and can wait ``latency`` seconds before answering,
as the real API does.

In a test::

    async with running_fake_bot_api(latency=0.01, blocked={42}) as api:
        bot = Bot("1:x", base_url=api.base_url)

From a shell (the broadcast bench runs it as its own process; ``GET /stats`` gives the
counters, ``DELETE /stats`` resets them)::

    .venv/bin/python -m tests.broadcast.fake_bot_api --port 8081 --latency 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager, suppress
from dataclasses import asdict, dataclass, field
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

BOT_USER = {"id": 1, "is_bot": True, "first_name": "ScamCheck", "username": "scamcheck_bot"}
TOO_MANY = 429
FORBIDDEN = 403


@dataclass
class Stats:
    """What the server saw. Times are wall-clock (``time.time()``), comparable across processes."""

    accepted: int = 0
    too_many: int = 0
    forbidden: int = 0
    duplicates: int = 0
    other_calls: int = 0
    first_at: float | None = None
    last_at: float | None = None
    peak_per_second: int = 0


@dataclass
class FakeBotApi:
    """The server's state: limits, behaviour switches and what it received.

    Args:
        limit: Messages accepted per sliding second; one more gets 429.
        retry_after: Seconds the 429 answer asks to wait.
        latency: Seconds to wait before each answer.
        blocked: Chat ids that answer 403 (the user blocked the bot).
        force_429: The first this-many ``sendMessage`` calls get 429 whatever the rate.
        on_message: Called with (chat id, text) for each accepted message (tests stop a
            sender mid-way with it).
    """

    limit: int = 30
    retry_after: int = 1
    latency: float = 0.0
    blocked: Collection[int] = frozenset()
    force_429: int = 0
    on_message: Callable[[int, str], None] | None = None
    #: Updates ``getUpdates`` hands out (long polling), as Bot API JSON.
    updates: list[dict[str, Any]] = field(default_factory=list)
    #: Every call other than ``sendMessage``: (method, parameters), e.g. ``setWebhook``'s URL and secret.
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    received: Counter[tuple[int, str]] = field(default_factory=Counter)
    too_many_at: list[float] = field(default_factory=list)
    _window: deque[float] = field(default_factory=deque)
    _message_id: int = 0
    base_url: str = ""

    def reset(self) -> None:
        """Forget counters, messages and the rate window."""
        self.stats = Stats()
        self.received.clear()
        self.too_many_at.clear()
        self._window.clear()

    def chats(self) -> set[int]:
        """Every chat that got at least one message."""
        return {chat for chat, _ in self.received}

    def texts_for(self, chat_id: int) -> list[str]:
        """The texts one chat got (with repeats)."""
        return [text for (chat, text), n in self.received.items() if chat == chat_id for _ in range(n)]

    def send_message(self, chat_id: int, text: str) -> tuple[int, dict[str, Any]]:
        """Decides the answer to one sendMessage: (HTTP status, Bot API JSON body)."""
        now = time.monotonic()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        if self.force_429 > 0 or len(self._window) >= self.limit:
            self.force_429 = max(0, self.force_429 - 1)
            self.stats.too_many += 1
            self.too_many_at.append(time.time())
            return TOO_MANY, {
                "ok": False,
                "error_code": TOO_MANY,
                "description": f"Too Many Requests: retry after {self.retry_after}",
                "parameters": {"retry_after": self.retry_after},
            }
        if chat_id in self.blocked:
            self.stats.forbidden += 1
            return FORBIDDEN, {
                "ok": False,
                "error_code": FORBIDDEN,
                "description": "Forbidden: bot was blocked by the user",
            }
        self._window.append(now)
        self.stats.peak_per_second = max(self.stats.peak_per_second, len(self._window))
        wall = time.time()
        self.stats.first_at = self.stats.first_at or wall
        self.stats.last_at = wall
        self.stats.accepted += 1
        if self.received[(chat_id, text)]:
            self.stats.duplicates += 1
        self.received[(chat_id, text)] += 1
        self._message_id += 1
        if self.on_message is not None:
            self.on_message(chat_id, text)
        message = {
            "message_id": self._message_id,
            "date": int(wall),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            "text": text,
        }
        return 200, {"ok": True, "result": message}


def _params(handler: RequestHandler) -> dict[str, Any]:
    """PTB posts form fields whose values are JSON; other clients post a JSON body."""
    if handler.request.headers.get("Content-Type", "").startswith("application/json"):
        return dict(json.loads(handler.request.body or b"{}"))
    params: dict[str, Any] = {}
    for name in handler.request.arguments:
        value = handler.get_argument(name)
        try:
            params[name] = json.loads(value)
        except ValueError:
            params[name] = value
    return params


class _MethodHandler(RequestHandler):
    def initialize(self, api: FakeBotApi) -> None:
        self.api = api

    async def post(self, _token: str, method: str) -> None:
        params = _params(self)
        if self.api.latency:
            await asyncio.sleep(self.api.latency)
        if method == "getMe":
            status, body = 200, {"ok": True, "result": BOT_USER}
        elif method == "sendMessage":
            status, body = self.api.send_message(int(params["chat_id"]), str(params.get("text", "")))
        elif method == "getUpdates":
            self.api.calls.append((method, params))
            offset = int(params.get("offset") or 0)
            fresh = [u for u in self.api.updates if u["update_id"] >= offset]
            if not fresh:  # a short long-poll, so a stopping bot is not kept waiting
                await asyncio.sleep(min(float(params.get("timeout") or 0), 0.2))
            status, body = 200, {"ok": True, "result": fresh}
        else:
            self.api.calls.append((method, params))
            self.api.stats.other_calls += 1
            status, body = 200, {"ok": True, "result": True}
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    get = post


class _StatsHandler(RequestHandler):
    def initialize(self, api: FakeBotApi) -> None:
        self.api = api

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(asdict(self.api.stats)))

    def delete(self) -> None:
        """Forget everything received (between two contenders of a benchmark)."""
        self.api.reset()
        self.set_status(204)
        self.finish()


def _application(api: FakeBotApi) -> Application:
    return Application(
        [
            (r"/bot([^/]+)/(\w+)", _MethodHandler, {"api": api}),
            (r"/stats", _StatsHandler, {"api": api}),
        ]
    )


@asynccontextmanager
async def running_fake_bot_api(port: int = 0, **options: Any) -> AsyncIterator[FakeBotApi]:
    """Runs the fake server on 127.0.0.1 (a free port by default) in this event loop."""
    api = FakeBotApi(**options)
    sockets = bind_sockets(port, "127.0.0.1")
    server = HTTPServer(_application(api))
    server.add_sockets(sockets)
    api.base_url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/bot"
    try:
        yield api
    finally:
        server.stop()
        await server.close_all_connections()


async def _serve(args: argparse.Namespace) -> None:
    async with running_fake_bot_api(
        args.port, limit=args.limit, latency=args.latency, retry_after=args.retry_after
    ) as api:
        print(f"fake Bot API on {api.base_url}", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--limit", type=int, default=30, help="messages per second before 429 (default 30)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--retry-after", type=int, default=1, help="seconds a 429 asks to wait")
    args = parser.parse_args()
    logging.getLogger("tornado.access").setLevel(logging.ERROR)  # a line per 429 would flood the bench
    with suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
