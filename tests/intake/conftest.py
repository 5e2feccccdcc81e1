"""Intake fixtures: a migrated database on SQLite and on PostgreSQL, a fake clock, a service.

Database locations come from ``tests/storage/support.py`` (PostgreSQL tests are skipped
when the local server is unreachable, and fail instead when ``CI=true``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from intake import IntakeConfig, IntakeService, SinkRoute
from storage import Database
from tests.storage.support import BACKENDS, FakeClock, Target, target_for


@pytest.fixture(params=BACKENDS)
async def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Target]:
    """An empty database location on each backend."""
    async with target_for(request.param, tmp_path) as target:
        yield target


@pytest.fixture
async def db(db_target: Target) -> AsyncIterator[Database]:
    """A migrated database."""
    database = db_target.open()
    await database.migrate()
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def config() -> IntakeConfig:
    """Two sinks, as in a scale-out deployment."""
    return IntakeConfig(sinks=(SinkRoute("jsonl"), SinkRoute("webhook")))


@pytest.fixture
def service(db: Database, config: IntakeConfig, clock: FakeClock) -> IntakeService:
    return IntakeService(db, config, clock=clock)
