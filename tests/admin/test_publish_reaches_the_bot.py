"""An edit published in the console changes what the running bot answers, without a restart."""

from __future__ import annotations

import asyncio
from html import unescape
from pathlib import Path

import httpx

from admin.app import AdminServices
from bot.settings import load_settings
from tests.admin.support import add_staff, csrf_from, log_in
from tests.bot.support import running_bot

NEW_TITLE = "ការបោកប្រាស់គឺជាអ្វី — កំណែថ្មីពីក្រុមការងារ"


async def test_a_khmer_article_published_in_the_console_is_the_bots_next_answer(
    client: httpx.AsyncClient,
    services: AdminServices,
    content_dir: Path,
    tmp_path: Path,
    clean_env: None,
    trained_models: None,
) -> None:
    settings = load_settings(data_dir=tmp_path / "bot", content_dir=content_dir)
    await add_staff(services.staff, "sokha", "editor")
    await log_in(client, "sokha")
    async with running_bot(settings) as bot:
        chat = bot.chat(language_code="km")
        before = await chat.tap("learn:article:what_is_scam")
        assert NEW_TITLE not in unescape(before.text)

        url = "/content/articles/what_is_scam/km"
        page = await client.get(url)
        form = {
            "title": NEW_TITLE,
            "body": "ការបោកប្រាស់ គឺជាល្បិចយកលុយ ឬព័ត៌មានផ្ទាល់ខ្លួនរបស់អ្នក។",
            "steps": "យឺតៗ ហើយពិនិត្យមើល។\nកុំផ្ញើលុយ ឬលេខកូដ។\nសួរមនុស្សដែលអ្នកទុកចិត្ត។",
            "action": "publish",
            "csrf_token": csrf_from(page.text),
        }
        assert (await client.post(url, data=form)).status_code == 303
        await asyncio.sleep(2.1)  # the bot looks for changed files at most every 2 seconds

        after = await chat.tap("learn:article:what_is_scam")

        assert f"<b>{NEW_TITLE}</b>" in after.text
        assert "យឺតៗ ហើយពិនិត្យមើល។" in after.text
        bot.assert_no_crash([before, after])
