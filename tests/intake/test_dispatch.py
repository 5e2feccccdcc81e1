"""The dispatcher: delivered at least once, in order per case, retried with backoff."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from intake import Backoff, Delivery, Dispatcher, IntakeService, JsonlSink, read_messages
from storage import Database
from tests.intake.factories import credible_draft, weak_draft
from tests.storage.support import FakeClock


class FlakySink:
    """A sink that fails its first ``failures`` batches, then records what it gets."""

    def __init__(self, name: str, failures: int = 0) -> None:
        self.name = name
        self.failures = failures
        self.received: list[Delivery] = []
        self.arrived = asyncio.Event()

    async def send(self, batch: Sequence[Delivery]) -> list[BaseException | None]:
        if self.failures:
            self.failures -= 1
            return [ConnectionRefusedError("sink down")] * len(batch)
        self.received.extend(batch)
        self.arrived.set()
        return [None] * len(batch)

    async def close(self) -> None:
        pass


async def test_drain_delivers_every_forwarded_case_to_the_jsonl_file(
    service: IntakeService, db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    receipts = [await service.submit(credible_draft(reporter_id=i)) for i in range(5)]
    await service.submit(weak_draft())  # kept: no message
    sink = JsonlSink(tmp_path / "sink" / "cases.jsonl")
    dispatcher = Dispatcher(db, [sink, FlakySink("webhook")], clock=clock)

    report = await dispatcher.drain()

    assert (report.claimed, report.delivered, report.failed) == (10, 10, 0)
    lines = list(read_messages(sink.path))
    assert [m["idempotency_key"] for m in lines] == [f"{r.case_number}:1" for r in receipts]
    assert (await dispatcher.run_once()).claimed == 0  # nothing is sent twice
    counts = await service.outbox_counts()
    assert (counts.pending, counts.delivered) == (0, 10)


async def test_a_failing_sink_is_retried_with_backoff_and_others_are_not_held_up(
    service: IntakeService, db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    receipt = await service.submit(credible_draft())
    flaky = FlakySink("webhook", failures=2)
    jsonl = JsonlSink(tmp_path / "cases.jsonl")
    dispatcher = Dispatcher(db, [jsonl, flaky], clock=clock, backoff=Backoff(base=10, jitter=0))

    first = await dispatcher.drain()
    assert (first.delivered, first.failed) == (1, 1)  # the file got it; the webhook failed
    assert (await dispatcher.run_once()).claimed == 0  # not due before its backoff
    clock.advance(seconds=10)
    assert (await dispatcher.run_once()).failed == 1  # second failure: next wait is 20 s
    clock.advance(seconds=19)
    assert (await dispatcher.run_once()).claimed == 0
    clock.advance(seconds=1)
    assert (await dispatcher.run_once()).delivered == 1

    assert [d.key for d in flaky.received] == [f"{receipt.case_number}:1"]
    detail = await service.get_case(receipt.case_number)
    assert detail is not None
    webhook = next(d for d in detail.deliveries if d["sink"] == "webhook")
    assert (webhook["attempts"], webhook["last_error"]) == (2, None)


async def test_messages_of_one_case_go_out_in_order_even_across_failures(
    service: IntakeService, db: Database, clock: FakeClock
) -> None:
    receipt = await service.submit(credible_draft())
    other = await service.submit(credible_draft(reporter_id=2))
    await service.set_status(receipt.case_number, "under_review", by="a")
    await service.set_status(receipt.case_number, "closed", by="a")
    sink = FlakySink("jsonl", failures=1)
    dispatcher = Dispatcher(db, [sink], clock=clock, backoff=Backoff(base=1, jitter=0))

    await dispatcher.drain()  # fails: nothing of the case may overtake message 1
    assert sink.received == []
    for _ in range(5):
        clock.advance(seconds=5)
        await dispatcher.drain()

    mine = [(d.sequence, d.event) for d in sink.received if d.case_number == receipt.case_number]
    assert mine == [(1, "case.forwarded"), (2, "case.status_changed"), (3, "case.status_changed")]
    assert [d.case_number for d in sink.received].count(other.case_number) == 1


async def test_urgent_cases_are_claimed_first(service: IntakeService, db: Database, clock: FakeClock) -> None:
    normal = [await service.submit(credible_draft(reporter_id=i)) for i in range(3)]
    urgent = await service.submit(weak_draft(urgent=True))
    sink = FlakySink("jsonl")

    await Dispatcher(db, [sink], clock=clock, batch_size=2).run_once()

    assert [d.case_number for d in sink.received] == [urgent.case_number, normal[0].case_number]


async def test_a_crashed_dispatchers_claims_are_retried_after_the_lease(
    service: IntakeService, db: Database, clock: FakeClock
) -> None:
    receipt = await service.submit(credible_draft())

    class Killed(BaseException):
        """Stands for the process dying: nothing after it runs."""

    class DiesMidway(FlakySink):
        async def send(self, batch: Sequence[Delivery]) -> list[BaseException | None]:
            raise Killed

    crashed = Dispatcher(db, [DiesMidway("jsonl")], clock=clock, lease=timedelta(seconds=30))
    with pytest.raises(Killed):
        await crashed.run_once()
    survivor_sink = FlakySink("jsonl")
    survivor = Dispatcher(db, [survivor_sink], clock=clock, lease=timedelta(seconds=30))

    assert (await survivor.run_once()).claimed == 0  # still leased to the dead one
    clock.advance(seconds=31)
    assert (await survivor.run_once()).delivered == 1
    assert [d.key for d in survivor_sink.received] == [f"{receipt.case_number}:1"]


async def test_jsonl_sink_starts_a_fresh_line_after_a_torn_write(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b'{"idempotency_key": "KH-2025-000001:1", "ev')  # a crash mid-line
    sink = JsonlSink(path)
    delivery = Delivery("KH-2025-000002:1", "KH-2025-000002", 1, "case.forwarded", 1, {}, b'{"idempotency_key":"k2"}')

    assert await sink.send([delivery]) == [None]

    assert [m["idempotency_key"] for m in read_messages(path)] == ["k2"]


async def test_jsonl_sink_reports_a_write_failure_instead_of_raising(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    sink = JsonlSink(blocker / "cases.jsonl")
    delivery = Delivery("k", "KH-2025-000001", 1, "case.forwarded", 1, {}, b"{}")

    results = await sink.send([delivery, delivery])

    assert len(results) == 2 and all(isinstance(r, OSError) for r in results)


async def test_dispatchers_running_side_by_side_deliver_each_message_once(
    service: IntakeService, db: Database, clock: FakeClock
) -> None:
    receipts = [await service.submit(credible_draft(reporter_id=i)) for i in range(30)]
    sinks = [FlakySink("jsonl") for _ in range(3)]
    dispatchers = [Dispatcher(db, [sink], clock=clock, batch_size=4) for sink in sinks]

    await asyncio.gather(*(d.drain() for d in dispatchers))

    keys = [d.key for sink in sinks for d in sink.received]
    assert sorted(keys) == sorted(f"{r.case_number}:1" for r in receipts)


async def test_run_forever_delivers_new_cases_until_stopped(service: IntakeService, db: Database) -> None:
    sink = FlakySink("jsonl")
    stop = asyncio.Event()
    loop = asyncio.create_task(Dispatcher(db, [sink]).run_forever(interval=0.05, stop=stop))
    receipt = await service.submit(credible_draft())

    await asyncio.wait_for(sink.arrived.wait(), 10)
    stop.set()
    await asyncio.wait_for(loop, 5)

    assert [d.key for d in sink.received] == [f"{receipt.case_number}:1"]


def test_backoff_doubles_up_to_its_cap_with_bounded_jitter() -> None:
    backoff = Backoff(base=2, factor=2, cap=60, jitter=0.5)
    assert [backoff.delay(n, 1.0) for n in (1, 2, 3, 4, 5, 6, 50)] == [2, 4, 8, 16, 32, 60, 60]
    assert backoff.delay(3, 0.0) == 4  # jitter takes at most half off
    with pytest.raises(ValueError, match="invalid backoff"):
        Backoff(base=0)
