"""Fixtures for the check and job-offer journeys: a running offline bot with the real classifier."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from content.catalogue import ContentCatalogue
from tests.bot.support import RunningBot, running_bot


@pytest.fixture(autouse=True)
def _clean_environment(clean_env: None) -> None:
    """No test here inherits the developer's settings variables."""


@pytest.fixture
async def bot_app(settings: Settings, trained_models: None) -> AsyncIterator[RunningBot]:
    """The real Application, offline, with the real classifier and the local intent matcher."""
    async with running_bot(settings) as running:
        yield running


@pytest.fixture(scope="session")
def content() -> ContentCatalogue:
    """The project's real content, to compare answers with."""
    return ContentCatalogue()
