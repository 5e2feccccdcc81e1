"""The console in real headless Chromium (Debian's, driven by Playwright): logging in, and an
editor changing a Khmer article (edit, preview, publish) that the bot then answers with.

Screenshots of each main page go to var/artifacts/screenshots/<page>.png.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn

from admin.app import AdminServices, create_app
from bot.settings import PROJECT_ROOT, load_settings
from storage import Database, default_sqlite_url
from tests.admin.conftest import SECRET
from tests.admin.support import PASSWORD, add_staff
from tests.bot.support import running_bot

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "var" / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NEW_TITLE = "តើការបោកប្រាស់ជាអ្វី? កែសម្រួលក្នុងកម្មវិធីរុករក"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """One backend is enough here: the HTTP tests cover both."""
    database = Database(default_sqlite_url(tmp_path))
    await database.migrate()
    yield database
    await database.dispose()


@pytest.fixture
async def console_url(services: AdminServices) -> AsyncIterator[str]:
    """The real console served over HTTP on a free local port, in this event loop."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(services, secret_key=SECRET, secure_cookies=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers only this flag
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
def chromium() -> Path:
    """Debian's chromium; the tests are skipped without it, except in CI where they fail."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true needs /usr/bin/chromium: `make test` installs it")
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    return CHROMIUM


@pytest.fixture
async def browser_page(chromium: Path) -> AsyncIterator[object]:
    """A page in Debian's headless Chromium."""
    from playwright.async_api import async_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        page = await context.new_page()
        page.set_default_timeout(20_000)
        try:
            yield page
        finally:
            await browser.close()


async def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    await page.goto(base + "/login")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", password)
    await page.click("button[type=submit]")


async def test_logging_in_with_a_wrong_then_the_right_password(
    browser_page, console_url: str, services: AdminServices
) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    await add_staff(services.staff, "boss", "admin")

    await page.goto(console_url + "/content")
    assert page.url.startswith(console_url + "/login")
    await page.screenshot(path=str(SCREENSHOTS / "login.png"), full_page=True)

    await log_in(page, console_url, "boss", "wrong password")
    assert "Wrong username or password" in await page.inner_text("[role=alert]")

    await log_in(page, console_url, "boss")
    await page.wait_for_url(console_url + "/")
    assert "Hello, boss" in await page.inner_text("h1")
    await page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)

    await page.goto(console_url + "/audit")
    assert "staff.add" in await page.inner_text("table")
    await page.screenshot(path=str(SCREENSHOTS / "audit.png"), full_page=True)

    await page.click("text=Log out")
    await page.wait_for_url(console_url + "/login")
    await page.goto(console_url + "/audit")
    assert page.url.startswith(console_url + "/login")


async def test_an_editor_edits_previews_and_publishes_a_khmer_article_the_bot_then_shows(
    browser_page,  # type: ignore[no-untyped-def]
    console_url: str,
    services: AdminServices,
    content_dir: Path,
    tmp_path: Path,
    clean_env: None,
    trained_models: None,
) -> None:
    page = browser_page
    await add_staff(services.staff, "sokha", "editor")
    settings = load_settings(data_dir=tmp_path / "bot", content_dir=content_dir)
    async with running_bot(settings) as bot:
        chat = bot.chat(language_code="km")
        await log_in(page, console_url, "sokha")
        await page.wait_for_url(console_url + "/")

        await page.click("nav >> text=Content")
        await page.wait_for_url(console_url + "/content")
        await page.screenshot(path=str(SCREENSHOTS / "content.png"), full_page=True)
        await page.click('a[href="/content/articles/what_is_scam/km"]')
        await page.wait_for_url("**/content/articles/what_is_scam/km")

        await page.fill("#f-title", "")
        await page.click("button[value=publish]")
        assert await page.locator('.field-error[data-field="title"]').count() == 1

        await page.fill("#f-title", NEW_TITLE)
        await page.click("button[value=preview]")
        assert NEW_TITLE in await page.inner_text("[data-testid=preview-text]")
        assert "Preview of your draft" in await page.inner_text("main")
        await page.screenshot(path=str(SCREENSHOTS / "content_edit_preview.png"), full_page=True)
        before = await chat.tap("learn:article:what_is_scam")
        assert NEW_TITLE not in before.text

        await page.click("button[value=publish]")
        await page.wait_for_url("**/content/articles/what_is_scam/km?published=1")
        assert "Published" in await page.inner_text("[role=status]")
        await page.screenshot(path=str(SCREENSHOTS / "content_edit.png"), full_page=True)

        await page.click("text=Version history")
        assert "sokha" in await page.inner_text("main")
        await page.screenshot(path=str(SCREENSHOTS / "content_history.png"), full_page=True)

        await asyncio.sleep(2.1)  # the bot looks for changed content files every 2 seconds
        after = await chat.tap("learn:article:what_is_scam")
        assert f"<b>{NEW_TITLE}</b>" in after.text
        bot.assert_no_crash([before, after])
