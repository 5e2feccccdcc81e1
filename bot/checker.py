"""The check service the handlers call: the classifier off the event loop, plus earlier reports."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from classifier import CheckResult, ScamModel, check_text, default_model_path, load_model

log = logging.getLogger(__name__)

#: Counts earlier reports sharing an entity with the message: {kind: [values]} -> count.
ReportLookup = Callable[[dict[str, list[str]]], Awaitable[int]]


class ClassifierChecker:
    """Runs `classifier.check_text` in a worker thread so a slow check never blocks other chats.

    Args:
        model: the trained model, or None to judge by red-flag signals only.
        lookup: counts earlier reports that match (None until reports exist).
    """

    def __init__(self, model: ScamModel | None, lookup: ReportLookup | None = None) -> None:
        self._model = model
        self._lookup = lookup

    async def check(self, text: str) -> CheckResult:
        """The verdict for one message, with "N people reported this" filled in."""
        result = await asyncio.to_thread(check_text, text, self._model)
        if self._lookup is not None and len(result.entities):
            similar = await self._lookup(result.entities.by_kind())
            result = dataclasses.replace(result, similar_reports=similar)
        return result


def load_default_model(path: Path | None = None) -> ScamModel | None:
    """Loads the newest trained classifier, or None (signals only) with a warning."""
    path = path or default_model_path()
    if path is None:
        log.warning("no trained classifier found; checks use red-flag signals only (run: scambot classifier train)")
        return None
    return load_model(path)
