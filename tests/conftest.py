"""Shared fixtures: a clean environment, fresh settings per test, and the trained local matcher.

The content and storage tests have their own conftest files; these fixtures are for the bot
and NLU tests (and anyone else who wants a running offline bot).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings, load_settings
from nlu.fallback import LocalIntentMatcher

#: Environment variables that change how the bot behaves; tests must not inherit them.
SETTINGS_VARIABLES = tuple(name.upper() for name in Settings.model_fields)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Removes every settings variable (TELEGRAM_*, NLU_URL, DATABASE_URL, ...) from os.environ.

    Also runs the test from `tmp_path`, so a developer's `.env` in the project folder is not read.
    """
    for name in list(os.environ):
        if name.upper() in SETTINGS_VARIABLES or name.upper().startswith("TELEGRAM_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture
def settings(clean_env: None, tmp_path: Path) -> Settings:
    """Settings for one test: a fresh SQLite database under `tmp_path`, no token, no Rasa."""
    return load_settings(data_dir=tmp_path)


@pytest.fixture(scope="session")
def local_matcher() -> LocalIntentMatcher:
    """The real local intent matcher, trained once from `nlu/data` for the whole session.

    Training takes several seconds on a busy machine, too slow to repeat for every application.
    """
    return LocalIntentMatcher.from_training_data()


@pytest.fixture
def shared_local_matcher(monkeypatch: pytest.MonkeyPatch, local_matcher: LocalIntentMatcher) -> LocalIntentMatcher:
    """Makes `build_application` reuse the session's trained matcher instead of training its own.

    The matcher is the real one, trained from the same data; only the repeated training is skipped.
    """
    monkeypatch.setattr(LocalIntentMatcher, "from_training_data", lambda **_: local_matcher)
    return local_matcher
