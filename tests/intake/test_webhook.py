"""The signed webhook sink against a fake receiver (httpx.MockTransport) that has outages."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from intake import Backoff, Dispatcher, IntakeService, WebhookSink, sign, verify_signature
from intake.sinks import KEY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from storage import Database
from tests.intake.factories import credible_draft
from tests.storage.support import FakeClock

SECRET = "s3cret-shared-with-the-intake"


class Receiver:
    """An intake endpoint that checks signatures and de-duplicates by Idempotency-Key.

    ``script`` says how each incoming request is answered: ``"500"`` (rejected before
    storing), ``"timeout"`` (stored, but the answer never reaches the sender), or
    ``"ok"`` (the default once the script is used up).
    """

    def __init__(self, clock: FakeClock, script: list[str]) -> None:
        self.clock = clock
        self.script = script
        self.arrivals: list[str] = []
        self.cases: dict[str, dict] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        timestamp = request.headers[TIMESTAMP_HEADER]
        if not verify_signature(
            SECRET, timestamp, request.content, request.headers[SIGNATURE_HEADER], now=self.clock.now.timestamp()
        ):
            return httpx.Response(401)
        mode = self.script.pop(0) if self.script else "ok"
        if mode == "500":
            return httpx.Response(500)
        key = request.headers[KEY_HEADER]
        self.arrivals.append(key)
        self.cases.setdefault(key, json.loads(request.content))
        if mode == "timeout":
            raise httpx.ReadTimeout("answer lost", request=request)
        return httpx.Response(202)


def _sink(receiver: Receiver, clock: FakeClock) -> WebhookSink:
    client = httpx.AsyncClient(transport=httpx.MockTransport(receiver))
    return WebhookSink("https://intake.example/cases", SECRET, client=client, clock=lambda: clock.now.timestamp())


async def test_everything_arrives_after_500s_and_timeouts_once_per_key_in_order(
    service: IntakeService, db: Database, clock: FakeClock
) -> None:
    first = await service.submit(credible_draft(reporter_id=1))
    second = await service.submit(credible_draft(reporter_id=2))
    await service.set_status(first.case_number, "closed", by="analyst")
    receiver = Receiver(clock, ["500", "500", "timeout", "500", "timeout"])
    sink = _sink(receiver, clock)
    dispatcher = Dispatcher(db, [sink], clock=clock, backoff=Backoff(base=1, jitter=0))

    for _ in range(12):
        await dispatcher.drain()
        clock.advance(seconds=30)
    await sink.close()

    expected = {f"{first.case_number}:1", f"{first.case_number}:2", f"{second.case_number}:1"}
    assert set(receiver.cases) == expected  # the consumer sees each message once ...
    assert len(receiver.arrivals) > len(expected)  # ... although some arrived twice
    firsts = [k for i, k in enumerate(receiver.arrivals) if k not in receiver.arrivals[:i]]
    assert firsts.index(f"{first.case_number}:1") < firsts.index(f"{first.case_number}:2")
    assert receiver.cases[f"{first.case_number}:2"]["case"]["status"] == "closed"
    for receipt in (first, second):
        detail = await service.get_case(receipt.case_number)
        assert detail is not None
        assert all(d["delivered_at"] is not None for d in detail.deliveries if d["sink"] == "webhook")


async def test_webhook_requests_are_signed_over_timestamp_and_body(clock: FakeClock) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    from intake import Delivery

    sink = WebhookSink(
        "https://intake.example/cases",
        SECRET,
        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        clock=lambda: 1_760_000_000,
    )
    body = b'{"schema_version":1}'
    assert await sink.send([Delivery("KH-2025-000001:1", "KH-2025-000001", 1, "case.forwarded", 1, {}, body)]) == [None]

    request = seen[0]
    assert request.headers[TIMESTAMP_HEADER] == "1760000000"
    assert request.headers[KEY_HEADER] == "KH-2025-000001:1"
    assert request.headers[SIGNATURE_HEADER] == sign(SECRET, "1760000000", body)
    assert request.headers[SIGNATURE_HEADER].startswith("sha256=")
    assert request.content == body
    assert SECRET not in repr(sink)


@pytest.mark.parametrize(
    ("secret", "timestamp", "body", "now", "ok"),
    [
        (SECRET, "1000", b"{}", 1000, True),
        ("wrong-secret", "1000", b"{}", 1000, False),
        (SECRET, "1000", b'{"x":1}', 1000, False),  # body changed after signing
        (SECRET, "1000", b"{}", 1000 + 301, False),  # replayed too late
        (SECRET, "soon", b"{}", 1000, False),
    ],
)
def test_receivers_can_verify_signatures(secret: str, timestamp: str, body: bytes, now: int, ok: bool) -> None:
    signature = sign(SECRET, "1000", b"{}")
    assert verify_signature(secret, timestamp, body, signature, now=now) is ok


async def test_a_slow_receiver_fails_only_the_requests_it_did_not_answer() -> None:
    from intake import Delivery

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.headers[KEY_HEADER].endswith(":2"):
            await asyncio.sleep(5)  # hangs past the batch deadline
        return httpx.Response(200)

    sink = WebhookSink(
        "https://intake.example/cases",
        SECRET,
        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        batch_deadline=0.2,
    )
    batch = [Delivery(f"KH-2025-000001:{i}", "KH-2025-000001", i, "case.forwarded", 1, {}, b"{}") for i in (1, 2, 3)]

    results = await sink.send(batch)

    assert results[0] is None and results[2] is None
    assert isinstance(results[1], TimeoutError)
