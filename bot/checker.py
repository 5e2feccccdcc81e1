"""The check service the handlers call: the classifier off the event loop, plus earlier reports."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

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
        # Then, on the same thread, the embedder's weights: checks run as soon as the model
        # is loaded, and the first uncertain one does not pay for reading them.
        pool.submit(_warm_up, future)
        pool.shutdown(wait=False)  # the thread ends when loading does; no need to wait here
        return cls(future, lookup)

    async def loaded(self) -> None:
        """Returns once the model has loaded (or failed to: the checks report that)."""
        if isinstance(self._model, Future):
            await asyncio.wait([asyncio.wrap_future(self._model)])

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


def _warm_up(loaded: Future[ScamModel | None]) -> None:
    if loaded.exception() is not None:
        return  # the checks themselves report a model that failed to load
    model = loaded.result()
    if model is None:
        return
    try:
        model.warm_up()
    except Exception:  # noqa: BLE001 - a failed warm-up only makes the first embedding slower
        log.exception("classifier warm-up failed")


def load_default_model(path: Path | None = None) -> ScamModel | None:
    """Loads the newest trained classifier, or None (signals only) with a warning."""
    path = path or default_model_path()
    if path is None:
        log.warning("no trained classifier found; checks use red-flag signals only (run: scambot classifier train)")
        return None
    return load_model(path)


def database_exists(url: str) -> bool:
    """False for a SQLite URL whose file is missing (opening it would create it); True otherwise.

    Other databases (PostgreSQL) are never created by connecting, so they count as present
    and a failed connection is handled where the lookup runs.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    if parsed.get_backend_name() != "sqlite":
        return True
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return False
    return Path(database).is_file()


@asynccontextmanager
async def stored_reports(url: str, *, timeout: float = 3.0) -> AsyncIterator[ReportLookup | None]:
    """A report lookup on the reports database at ``url``, or None when there is no such database.

    Nothing is created or migrated: this only reads what the bot stored. When the database
    cannot be read (unreachable, not migrated yet, slower than ``timeout`` seconds), the
    lookup answers 0 from then on instead of failing the check.
    """
    if not database_exists(url):
        yield None
        return
    from intake import IntakeService
    from storage import Database

    db = Database(url)
    intake = IntakeService(db)
    broken = False

    async def lookup(entities: dict[str, list[str]], text: str) -> int:
        nonlocal broken
        if broken:
            return 0
        try:
            async with asyncio.timeout(timeout):
                return (await intake.similar_reports(entities, text=text)).report_count
        except Exception as exc:  # noqa: BLE001 - no report store means "0 reports", not a failed check
            broken = True
            log.info("report store not readable (%s); similar_reports stays 0", type(exc).__name__)
            return 0

    try:
        yield lookup
    finally:
        await db.dispose()
