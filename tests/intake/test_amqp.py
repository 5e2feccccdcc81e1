"""The RabbitMQ sink against this machine's real broker, including an outage.

Needs RabbitMQ at ``SCAMBOT_TEST_AMQP_URL`` (default ``amqp://guest:guest@127.0.0.1:5672/``).
Skipped when it is unreachable, except with ``CI=true``: then the tests fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import aio_pika
import pytest
from aio_pika.exceptions import ChannelPreconditionFailed

from intake import AmqpSink, Backoff, Dispatcher, IntakeConfig, IntakeService, SinkRoute, load_schema
from storage import Database
from tests.intake.factories import credible_draft
from tests.intake.schema_check import errors
from tests.storage.support import FakeClock

AMQP_URL = os.environ.get("SCAMBOT_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")

pytestmark = pytest.mark.rabbitmq


async def require_rabbitmq() -> None:
    """Skip without a broker, or fail when running in CI."""
    try:
        connection = await asyncio.wait_for(aio_pika.connect(AMQP_URL), 10)
        await connection.close()
    except Exception as exc:  # noqa: BLE001 - any failure means "not usable"
        message = f"RabbitMQ at {urlsplit(AMQP_URL).hostname} is unreachable ({type(exc).__name__}: {exc})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true requires it")
        pytest.skip(message)


@pytest.fixture
async def queue_name() -> AsyncIterator[str]:
    await require_rabbitmq()
    name = f"scambot-test-{uuid.uuid4().hex[:10]}"
    yield name
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(name)


@pytest.fixture
def amqp_service(db: Database, clock: FakeClock) -> IntakeService:
    return IntakeService(db, IntakeConfig(sinks=(SinkRoute("amqp"),)), clock=clock)


class Proxy:
    """A TCP relay in front of the broker that can be taken down (refusing connections)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()

    async def up(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def down(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._links):
            writer.transport.abort()
        await self._server.wait_closed()
        self._server = None

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._links |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._links -= {writer, up_writer}


async def _drain_queue(name: str) -> list[aio_pika.abc.AbstractIncomingMessage]:
    connection = await aio_pika.connect(AMQP_URL)
    got = []
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(name, durable=True)
        while (message := await queue.get(no_ack=False, fail=False, timeout=5)) is not None:
            got.append(message)
            await message.ack()
    return got


async def test_cases_are_published_persistent_with_the_key_as_message_id(
    amqp_service: IntakeService, db: Database, clock: FakeClock, queue_name: str
) -> None:
    receipt = await amqp_service.submit(credible_draft())
    sink = AmqpSink(AMQP_URL, queue_name, timeout=5)

    report = await Dispatcher(db, [sink], clock=clock).drain()
    await sink.close()

    assert report.delivered == 1
    [message] = await _drain_queue(queue_name)
    assert message.message_id == f"{receipt.case_number}:1"
    assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    assert (message.content_type, message.type) == ("application/json", "case.forwarded")
    assert errors(json.loads(message.body), load_schema()) == []
    # The queue is durable: declaring it as transient is refused by the broker.
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        with pytest.raises(ChannelPreconditionFailed):
            await channel.declare_queue(queue_name, durable=False)


async def test_everything_arrives_after_the_broker_was_unreachable(
    amqp_service: IntakeService, db: Database, clock: FakeClock, queue_name: str
) -> None:
    target = urlsplit(AMQP_URL)
    proxy = Proxy(target.hostname or "127.0.0.1", target.port or 5672)
    await proxy.up()
    via_proxy = AMQP_URL.replace(f"{target.hostname}:{target.port or 5672}", f"127.0.0.1:{proxy.port}")
    sink = AmqpSink(via_proxy, queue_name, timeout=3)
    dispatcher = Dispatcher(db, [sink], clock=clock, backoff=Backoff(base=1, jitter=0))
    first = await amqp_service.submit(credible_draft(reporter_id=1))
    assert (await dispatcher.drain()).delivered == 1

    await proxy.down()  # open connections cut, new ones refused
    second = await amqp_service.submit(credible_draft(reporter_id=2))
    await amqp_service.set_status(first.case_number, "closed", by="analyst")
    down = await dispatcher.drain()
    clock.advance(seconds=5)
    down = down + await dispatcher.drain()
    assert down.delivered == 0 and down.failed >= 2

    await proxy.up()
    for _ in range(6):
        clock.advance(seconds=30)
        await dispatcher.drain()
    await sink.close()
    await proxy.down()

    messages = await _drain_queue(queue_name)
    seen: dict[str, aio_pika.abc.AbstractIncomingMessage] = {}
    for m in messages:  # the consumer de-duplicates by message_id
        seen.setdefault(m.message_id or "", m)
    assert set(seen) == {f"{first.case_number}:1", f"{second.case_number}:1", f"{first.case_number}:2"}
    order = [k for k in seen if k.startswith(first.case_number)]
    assert order == [f"{first.case_number}:1", f"{first.case_number}:2"]
    counts = await amqp_service.outbox_counts()
    assert (counts.pending, counts.delivered) == (0, 3)
