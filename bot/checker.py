"""The check service the handlers call: the classifier off the event loop, plus earlier reports."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from classifier import CheckResult, ScamModel, check_text, default_model_path, load_model

log = logging.getLogger(__name__)

#: Counts earlier reports that match a message: its entities ({kind: [values]}) and its text.
ReportLookup = Callable[[dict[str, list[str]], str], Awaitable[int]]


class ClassifierChecker:
    """Runs `classifier.check_text` in a worker thread so a slow check never blocks other chats.

    Args:
        model: the trained model, or None to judge by red-flag signals only.
        lookup: counts earlier reports sharing an entity or near-identical text (None: no reports).
    """

    def __init__(self, model: ScamModel | None | Future[ScamModel | None], lookup: ReportLookup | None = None) -> None:
        self._model = model
        self._lookup = lookup

    @classmethod
    def loading(cls, load: Callable[[], ScamModel | None], lookup: ReportLookup | None = None) -> ClassifierChecker:
        """Starts loading the model on a worker thread; the first check waits for it if needed."""
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="classifier-load")
        future = pool.submit(load)
        pool.shutdown(wait=False)  # the thread ends when loading does; no need to wait here
        return cls(future, lookup)

    def _check(self, text: str) -> CheckResult:
        model = self._model.result() if isinstance(self._model, Future) else self._model
        return check_text(text, model)

    async def check(self, text: str) -> CheckResult:
        """The verdict for one message, with "N people reported this" filled in."""
        result = await asyncio.to_thread(self._check, text)
        if self._lookup is not None:
            try:
                similar = await self._lookup(result.entities.by_kind(), text)
            except Exception:  # noqa: BLE001 - the verdict matters more than the count of reports
                log.exception("report lookup failed; the verdict goes out without it")
            else:
                result = dataclasses.replace(result, similar_reports=similar)
        return result


def load_default_model(path: Path | None = None) -> ScamModel | None:
    """Loads the newest trained classifier, or None (signals only) with a warning."""
    path = path or default_model_path()
    if path is None:
        log.warning("no trained classifier found; checks use red-flag signals only (run: scambot classifier train)")
        return None
    return load_model(path)
