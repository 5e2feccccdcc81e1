"""Fixtures for the broadcast tests: a migrated database on SQLite and on PostgreSQL, a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Database
from tests.storage.support import BACKENDS, FakeClock, Target, target_for


@pytest.fixture(params=BACKENDS)
async def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Target]:
    """An empty database location on each backend (open it again to "restart")."""
    async with target_for(request.param, tmp_path) as target:
        yield target


@pytest.fixture
async def db(db_target: Target) -> AsyncIterator[Database]:
    """A database migrated to the latest revisions."""
    database = db_target.open()
    await database.migrate()
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
