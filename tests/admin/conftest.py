"""Console fixtures: the real application over a real database (SQLite and PostgreSQL) and a
copy of the real content, driven through an HTTP client."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from admin.app import AdminServices, build_services, create_app
from bot.i18n import Translator
from content.catalogue import DEFAULT_ROOT
from storage import Database
from tests.storage.support import BACKENDS, FakeClock, target_for

SECRET = "test-secret-" + "x" * 40


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database on each backend."""
    async with target_for(request.param, tmp_path) as target:
        database = target.open()
        await database.migrate()
        yield database
        await database.dispose()


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A copy of the real content that tests may change."""
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__", "README.md"))
    return root


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def translator() -> Translator:
    return Translator.from_directory()


@pytest.fixture
def services(db: Database, content_dir: Path, clock: FakeClock, translator: Translator) -> AdminServices:
    return build_services(db, content_dir=content_dir, t=translator, clock=clock)


@pytest.fixture
async def client(services: AdminServices) -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like client (keeps cookies, does not follow redirects) of the real console."""
    app = create_app(services, secret_key=SECRET, secure_cookies=False)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
        yield c
