"""Shared fixtures: a clean environment, fresh settings per test, and the trained models loaded once.

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

#: `db_target`, `db` (migrated, on SQLite and on PostgreSQL) and `clock` for every suite.
pytest_plugins = ["tests.storage.support"]

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


@pytest.fixture(scope="session")
def scam_model() -> object:
    """The trained scam classifier the check journey uses, loaded once (None if none is trained)."""
    from bot.checker import load_default_model

    return load_default_model()


@pytest.fixture
def trained_models(monkeypatch: pytest.MonkeyPatch, local_matcher: LocalIntentMatcher, scam_model: object) -> None:
    """Makes `build_application` reuse the session's trained models instead of loading its own.

    They are the real models, from the same data and files; only the repeated training and
    loading (seconds per application) is skipped.
    """
    monkeypatch.setattr(LocalIntentMatcher, "from_training_data", lambda **_: local_matcher)
    # raising=False: if the composition root stops loading the classifier, tests only get slower.
    monkeypatch.setattr("bot.app.load_default_model", lambda *_, **__: scam_model, raising=False)
