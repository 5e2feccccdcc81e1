"""Fixtures for the NLU tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _clean_environment(clean_env: None) -> None:
    """No test here inherits NLU_URL or other settings from the developer's shell."""
