"""Test support: where storage tests run (a SQLite file, or a fresh schema on real
PostgreSQL) and a fake clock.

Shared by ``tests/storage/conftest.py`` and ``tests/test_persistence.py``. Set
``SCAMBOT_TEST_POSTGRES_URL`` to point at another server. When PostgreSQL is not
reachable its tests are skipped, except when ``CI=true``: there they fail.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import Database, default_sqlite_url

POSTGRES_URL = os.environ.get("SCAMBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

_reachability: dict[str, str | None] = {}


@dataclass(frozen=True)
class Target:
    """A database location; :meth:`open` may be called many times (a "restart")."""

    url: str
    schema: str | None = None

    def open(self) -> Database:
        return Database(self.url, schema=self.schema)


async def _postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or ``None`` if it can (checked once per run)."""
    if POSTGRES_URL not in _reachability:
        db = Database(POSTGRES_URL)
        try:
            async with asyncio.timeout(10), db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            _reachability[POSTGRES_URL] = None
        except Exception as exc:  # noqa: BLE001 - any failure means "not usable"
            _reachability[POSTGRES_URL] = f"{type(exc).__name__}: {exc}"
        finally:
            await db.dispose()
    return _reachability[POSTGRES_URL]


async def require_postgres() -> None:
    """Skip the test if PostgreSQL is unreachable, or fail it when running in CI."""
    problem = await _postgres_problem()
    if problem is None:
        return
    message = f"PostgreSQL at {POSTGRES_URL} is unreachable ({problem})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI=true requires it")
    pytest.skip(message)


@asynccontextmanager
async def postgres_target() -> AsyncIterator[Target]:
    """A brand-new empty schema, dropped afterwards, so runs never see each other."""
    await require_postgres()
    schema = f"scambot_test_{uuid.uuid4().hex[:12]}"
    admin = Database(POSTGRES_URL)
    try:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield Target(POSTGRES_URL, schema)
    finally:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


@asynccontextmanager
async def target_for(backend: str, tmp_path: Path) -> AsyncIterator[Target]:
    """The :class:`Target` for a ``BACKENDS`` parameter."""
    if backend == "sqlite":
        yield Target(default_sqlite_url(tmp_path))
    else:
        async with postgres_target() as target:
            yield target


class FakeClock:
    """A settable clock, so timestamps in tests are exact."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 3, 1, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


# -- fixtures for suites that need a migrated database on both backends ------------------------
# (registered for every test in tests/conftest.py; a folder's conftest may override them)


@pytest.fixture(params=BACKENDS)
async def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Target]:
    """An empty database location on each backend (open it again to "restart")."""
    async with target_for(request.param, tmp_path) as target:
        yield target


@pytest.fixture
async def db(db_target: Target) -> AsyncIterator[Database]:
    """A database migrated to the latest revision."""
    database = db_target.open()
    await database.migrate()
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """A clock the test moves by hand."""
    return FakeClock()
