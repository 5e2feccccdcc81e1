"""Intake fixtures: a migrated database on SQLite and on PostgreSQL, a fake clock, a service.

Database locations come from ``tests/storage/support.py`` (PostgreSQL tests are skipped
when the local server is unreachable, and fail instead when ``CI=true``).
"""

from __future__ import annotations

import pytest

from intake import IntakeConfig, IntakeService, SinkRoute
from storage import Database
from tests.storage.support import FakeClock


@pytest.fixture
def config() -> IntakeConfig:
    """Two sinks, as in a scale-out deployment."""
    return IntakeConfig(sinks=(SinkRoute("jsonl"), SinkRoute("webhook")))


@pytest.fixture
def service(db: Database, config: IntakeConfig, clock: FakeClock) -> IntakeService:
    return IntakeService(db, config, clock=clock)
