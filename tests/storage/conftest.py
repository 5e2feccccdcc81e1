"""Database fixtures: every test taking ``db`` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage import Database
from tests.storage.support import Target


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
