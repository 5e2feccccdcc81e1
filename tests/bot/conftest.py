"""Fixtures for the bot tests: a clean environment for every test, and a running offline bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from content.catalogue import ContentCatalogue
from tests.bot.support import RunningBot, running_bot


@pytest.fixture(autouse=True)
def _clean_environment(clean_env: None) -> None:
    """No test here inherits TELEGRAM_*, NLU_URL, DATABASE_URL, ... from the developer's shell."""


@pytest.fixture
async def bot(settings: Settings, trained_models: None) -> AsyncIterator[RunningBot]:
    """The real Application, offline, answering with the local matcher (no Rasa)."""
    async with running_bot(settings) as running:
        yield running


@pytest.fixture(scope="session")
def content() -> ContentCatalogue:
    """The project's real content, to compare the bot's answers with."""
    return ContentCatalogue()
