"""The dispatcher: moves outbox messages to their sinks, at least once, in order per case.

Each pass claims due messages with a lease (see :func:`storage.reports.claim_outbox`:
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, one atomic ``UPDATE ... RETURNING`` on
SQLite), sends them to the sinks, then records each outcome. A failure is retried after
an exponential backoff stored in ``next_attempt_at``; until it succeeds, later messages
of the same case and sink wait. If the dispatcher dies between sending and recording,
the lease expires and the message is sent again with the same idempotency key: the
receiver de-duplicates. Several dispatchers (threads, processes, machines) may run at
once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from intake.message import encode
from intake.sinks.base import Delivery, Sink, describe
from storage.db import Database
from storage.models import utcnow
from storage.reports import OutboxRecord, claim_outbox, mark_delivered, mark_failed

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with jitter: ``base * factor**(attempt-1)``, at most ``cap`` seconds.

    Attributes:
        base: Delay after the first failure.
        factor: Growth per further failure.
        cap: Longest delay.
        jitter: Fraction of the delay drawn at random (spreads retries of many messages).
    """

    base: float = 2.0
    factor: float = 2.0
    cap: float = 900.0
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.base <= 0 or self.factor < 1 or self.cap < self.base or not 0 <= self.jitter <= 1:
            raise ValueError(f"invalid backoff {self!r}")

    def delay(self, attempt: int, draw: float = 1.0) -> float:
        """Seconds to wait after the ``attempt``-th failure (1-based); ``draw`` in [0, 1]."""
        exponent = min(max(attempt - 1, 0), 64)
        raw = min(self.cap, self.base * self.factor**exponent)
        return raw * (1 - self.jitter + self.jitter * draw)


@dataclass(frozen=True, slots=True)
class DispatchReport:
    """What one pass (or a drain) did."""

    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    by_sink: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def __add__(self, other: DispatchReport) -> DispatchReport:
        by_sink = dict(self.by_sink)
        for sink, (ok, bad) in other.by_sink.items():
            prev = by_sink.get(sink, (0, 0))
            by_sink[sink] = (prev[0] + ok, prev[1] + bad)
        return DispatchReport(
            self.claimed + other.claimed, self.delivered + other.delivered, self.failed + other.failed, by_sink
        )


def _delivery(row: OutboxRecord) -> Delivery:
    payload = row.payload
    return Delivery(
        key=row.idempotency_key,
        case_number=str(payload.get("case", {}).get("case_number", "")),
        sequence=row.sequence,
        event=str(payload.get("event", "")),
        priority=row.priority,
        payload=payload,
        body=encode(payload),
    )


class Dispatcher:
    """Deliver outbox messages to sinks.

    Args:
        db: The database holding the outbox.
        sinks: The sinks, by their ``name`` (only their messages are claimed).
        batch_size: Messages claimed per pass.
        lease: How long a claim lasts; a sink call is cut off well before it ends.
        backoff: Retry schedule.
        clock: Returns the current aware datetime.
        owner: Lease owner id (default: random per dispatcher).
        draw: Random numbers in [0, 1] for the backoff jitter.
    """

    def __init__(
        self,
        db: Database,
        sinks: Iterable[Sink],
        *,
        batch_size: int = 100,
        lease: timedelta = timedelta(seconds=60),
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] = utcnow,
        owner: str | None = None,
        draw: Callable[[], float] = random.random,
    ) -> None:
        self._db = db
        self._sinks: dict[str, Sink] = {}
        for sink in sinks:
            if sink.name in self._sinks:
                raise ValueError(f"two sinks are named {sink.name!r}")
            self._sinks[sink.name] = sink
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self._batch = batch_size
        self._lease = lease
        self._send_timeout = lease.total_seconds() * 0.8
        self._backoff = backoff or Backoff()
        self._clock = clock
        self._owner = owner or f"dispatcher-{uuid.uuid4().hex[:12]}"
        self._draw = draw

    @property
    def sinks(self) -> Mapping[str, Sink]:
        """The sinks by name."""
        return dict(self._sinks)

    async def _send(self, sink: Sink, deliveries: list[Delivery]) -> list[BaseException | None]:
        try:
            results = await asyncio.wait_for(sink.send(deliveries), self._send_timeout)
        except Exception as exc:  # noqa: BLE001 - a sink bug or timeout fails the batch, not the loop
            return [exc] * len(deliveries)
        if len(results) != len(deliveries):
            error = RuntimeError(f"sink {sink.name} returned {len(results)} results for {len(deliveries)} messages")
            return [error] * len(deliveries)
        return list(results)

    async def run_once(self) -> DispatchReport:
        """Claim one batch of due messages, deliver them, record the outcomes."""
        now = self._clock()
        async with self._db.session() as session:
            rows = await claim_outbox(
                session,
                owner=self._owner,
                sinks=list(self._sinks),
                now=now,
                lease_until=now + self._lease,
                limit=self._batch,
            )
        if not rows:
            return DispatchReport()
        by_sink: dict[str, list[OutboxRecord]] = defaultdict(list)
        for row in rows:
            by_sink[row.sink].append(row)
        names = list(by_sink)
        outcomes = await asyncio.gather(
            *(self._send(self._sinks[name], [_delivery(r) for r in by_sink[name]]) for name in names)
        )
        done = self._clock()
        delivered: list[int] = []
        failures: list[tuple[OutboxRecord, BaseException]] = []
        counts: dict[str, tuple[int, int]] = {}
        for name, results in zip(names, outcomes, strict=True):
            ok = bad = 0
            for row, error in zip(by_sink[name], results, strict=True):
                if error is None:
                    delivered.append(row.id)
                    ok += 1
                else:
                    failures.append((row, error))
                    bad += 1
            counts[name] = (ok, bad)
        async with self._db.session() as session:
            await mark_delivered(session, delivered, done)
            for row, error in failures:
                wait = self._backoff.delay(row.attempts + 1, self._draw())
                await mark_failed(
                    session, row.id, next_attempt_at=done + timedelta(seconds=wait), error=describe(error)
                )
        for row, error in failures:
            log.warning(
                "delivery %s to %s failed (attempt %d): %s",
                row.idempotency_key,
                row.sink,
                row.attempts + 1,
                describe(error),
            )
        for name, (ok, bad) in counts.items():
            log.info("dispatched to %s: %d delivered, %d failed", name, ok, bad)
        return DispatchReport(len(rows), len(delivered), len(failures), counts)

    async def drain(self, *, max_batches: int = 10_000) -> DispatchReport:
        """Run passes until nothing is due (failed messages wait for their retry time)."""
        total = DispatchReport()
        for _ in range(max_batches):
            report = await self.run_once()
            total = total + report
            if report.claimed == 0 or report.delivered == 0:
                break
        return total

    async def run_forever(self, *, interval: float = 1.0, stop: asyncio.Event | None = None) -> None:
        """Drain, then poll every ``interval`` seconds until ``stop`` is set.

        Database errors are logged and retried after a pause; they never end the loop.
        """
        stop = stop or asyncio.Event()
        pause = interval
        while not stop.is_set():
            try:
                report = await self.drain()
                pause = interval
            except Exception:  # noqa: BLE001 - keep delivering after a database hiccup
                log.exception("dispatcher pass failed; retrying in %.0f s", pause)
                report = DispatchReport()
                pause = min(pause * 2, 60.0)
            if report.claimed and report.delivered:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)

    async def close(self) -> None:
        """Close every sink."""
        for sink in self._sinks.values():
            await sink.close()
