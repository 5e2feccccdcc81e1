"""Deliver messages to a RabbitMQ queue with aio-pika.

The queue is declared durable, messages are persistent (``delivery_mode=2``), and the
channel uses publisher confirms: a delivery counts only after the broker acknowledged
it (and, with ``mandatory``, routed it to the queue). ``message_id`` is the idempotency
key, so consumers can de-duplicate redeliveries. A broken connection is dropped and
opened again on the next batch.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection

from intake.message import SCHEMA_VERSION
from intake.sinks.base import Delivery


class AmqpSink:
    """Publish each message to a durable queue through the default exchange.

    Args:
        url: Broker URL, e.g. ``amqp://guest:guest@127.0.0.1:5672/`` (never in ``repr``).
        queue: Queue name; declared durable if missing.
        name: Sink name used in the outbox.
        timeout: Seconds to connect and to wait for each confirm.
    """

    def __init__(self, url: str, queue: str, *, name: str = "amqp", timeout: float = 10.0) -> None:
        if not queue:
            raise ValueError("an AMQP queue name is required")
        self.name = name
        self.queue = queue
        self._url = url
        self._timeout = timeout
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"AmqpSink(queue={self.queue!r})"

    async def _open(self) -> AbstractChannel:
        async with self._lock:
            if self._channel is not None and not self._channel.is_closed:
                return self._channel
            await self._drop()
            self._connection = await asyncio.wait_for(aio_pika.connect(self._url), self._timeout)
            channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
            await channel.declare_queue(self.queue, durable=True)
            self._channel = channel
            return channel

    async def _drop(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and not connection.is_closed:
            with contextlib.suppress(Exception):  # already broken; nothing more to do
                await connection.close()

    def _message(self, delivery: Delivery) -> aio_pika.Message:
        headers: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "case_number": delivery.case_number}
        return aio_pika.Message(
            body=delivery.body,
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=delivery.key,
            type=delivery.event,
            priority=9 if delivery.priority == 0 else 0,
            headers=headers,
        )

    async def send(self, batch: Sequence[Delivery]) -> list[BaseException | None]:
        """Publish the batch concurrently and wait for every confirm."""
        if not batch:
            return []
        try:
            channel = await self._open()
        except Exception as exc:  # noqa: BLE001 - refused, DNS, auth: all mean "retry later"
            await self._drop()
            return [exc] * len(batch)
        exchange = channel.default_exchange

        async def publish(delivery: Delivery) -> None:
            await exchange.publish(
                self._message(delivery), routing_key=self.queue, mandatory=True, timeout=self._timeout
            )

        results = await asyncio.gather(*(publish(d) for d in batch), return_exceptions=True)
        errors: list[BaseException | None] = [r if isinstance(r, BaseException) else None for r in results]
        if any(e is not None for e in errors) and (channel.is_closed or self._connection_broken()):
            await self._drop()
        return errors

    def _connection_broken(self) -> bool:
        return self._connection is None or self._connection.is_closed

    async def close(self) -> None:
        """Close the connection."""
        async with self._lock:
            await self._drop()
