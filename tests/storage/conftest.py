"""Database fixtures: every test taking ``db`` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Database
from tests.storage.support import BACKENDS, FakeClock, Target, target_for


@pytest.fixture(params=BACKENDS)
async def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Target]:
    """An empty database location on each backend."""
    async with target_for(request.param, tmp_path) as target:
        yield target


@pytest.fixture
async def empty_db(db_target: Target) -> AsyncIterator[Database]:
    """A connected database with no tables yet."""
    db = db_target.open()
    yield db
    await db.dispose()


@pytest.fixture
async def db(empty_db: Database) -> Database:
    """A database migrated to the latest revision."""
    await empty_db.migrate()
    return empty_db


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
