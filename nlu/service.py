"""The intent service the handlers use: Rasa first, the local matcher when Rasa fails."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from nlu.client import RasaUnavailable
from nlu.types import NLU_FALLBACK, NluResult
from storage.batching import Batcher

log = logging.getLogger(__name__)

#: Longest text sent to the intent model; intent lives in the first words.
MAX_NLU_CHARS = 1000


class IntentParser(Protocol):
    """Anything that parses text into an intent over the network (the Rasa client, a fake)."""

    async def parse(self, text: str) -> NluResult: ...


class LocalMatcher(Protocol):
    """A local, in-process matcher."""

    def match(self, text: str) -> NluResult: ...

    def match_many(self, texts: Sequence[str]) -> list[NluResult]: ...


@dataclass(frozen=True)
class NluHealth:
    """What a health check shows about the NLU."""

    degraded: bool
    last_error: str | None
    rasa_failures: int
    local_answers: int


class NluService:
    """Finds the intent of a message; never raises, never leaves the user without an answer.

    Args:
        rasa: the Rasa client, or None to use only the local matcher.
        local: the in-process fallback matcher (built lazily if a factory is given).
        retry_after: seconds to skip Rasa after a failure, so a dead server costs one timeout,
            not one per message.
    """

    def __init__(self, rasa: IntentParser | None, local: LocalMatcher, *, retry_after: float = 5.0) -> None:
        self._rasa = rasa
        # A burst of questions for the local matcher goes to it as one batch on a worker thread:
        # its cost is mostly per call (about 2 ms), not per text (0.2 ms in a batch of hundreds).
        self._local: Batcher[str, NluResult] = Batcher(lambda texts: asyncio.to_thread(local.match_many, texts))
        self._retry_after = retry_after
        self._skip_rasa_until = 0.0
        self._degraded = False
        self._last_error: str | None = None
        self._rasa_failures = 0
        self._local_answers = 0

    async def parse(self, text: str) -> NluResult:
        """Returns the intent of `text` from Rasa, or from the local matcher when Rasa fails."""
        text = text.strip()[:MAX_NLU_CHARS]
        if not text:
            return NluResult(NLU_FALLBACK, 0.0, (), source="local")
        if self._rasa is not None and time.monotonic() >= self._skip_rasa_until:
            try:
                result = await self._rasa.parse(text)
            except RasaUnavailable as exc:
                self._mark_down(str(exc))
            else:
                if self._degraded:
                    log.info("NLU recovered: Rasa answers again")
                self._degraded = False
                return result
        self._local_answers += 1
        return await self._local.get(text)

    async def wait_until_ready(self) -> None:
        """Returns once the local matcher (trained on a worker thread at start-up) answers.

        For benchmarks and start-up checks that must measure the steady state.
        """
        await self._local.get("hello")

    def health(self) -> NluHealth:
        """Current state, for logs and the health check."""
        return NluHealth(
            degraded=self._rasa is None or self._degraded,
            last_error=self._last_error,
            rasa_failures=self._rasa_failures,
            local_answers=self._local_answers,
        )

    def _mark_down(self, reason: str) -> None:
        self._rasa_failures += 1
        self._last_error = reason
        self._skip_rasa_until = time.monotonic() + self._retry_after
        if not self._degraded:
            log.warning("NLU degraded: Rasa unavailable (%s); using the local matcher", reason)
        self._degraded = True
