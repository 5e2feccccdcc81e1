"""Deliver messages by HTTPS POST, signed with HMAC-SHA256.

Each request carries:

* ``X-Scambot-Timestamp``: Unix seconds when it was signed;
* ``X-Scambot-Signature``: ``sha256=`` + hex HMAC-SHA256 of ``f"{timestamp}.{body}"``
  with the shared secret (the receiver recomputes it, see :func:`verify_signature`, and
  rejects stale timestamps to stop replays);
* ``Idempotency-Key``: the message's key; a retry reuses it.

Any 2xx answer means delivered; anything else (or a timeout) is retried later.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections.abc import Callable, Sequence

import httpx

from intake.sinks.base import Delivery

SIGNATURE_HEADER = "X-Scambot-Signature"
TIMESTAMP_HEADER = "X-Scambot-Timestamp"
KEY_HEADER = "Idempotency-Key"


class WebhookError(RuntimeError):
    """The receiver answered with a non-2xx status."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Return the signature header value for a body signed at ``timestamp``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    now: float | None = None,
    tolerance: float = 300.0,
) -> bool:
    """Check a request as a receiver would: right signature and a fresh timestamp.

    Args:
        secret: The shared secret.
        timestamp: ``X-Scambot-Timestamp`` header.
        body: The raw request body.
        signature: ``X-Scambot-Signature`` header.
        now: Current Unix time (default: the clock).
        tolerance: Maximum age (and clock skew) in seconds.
    """
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


class WebhookSink:
    """POST each message to a URL with a signature.

    Args:
        url: The receiver (``https://...``; ``http://`` only for local testing).
        secret: Shared HMAC secret (never in ``repr``).
        name: Sink name used in the outbox.
        timeout: Seconds per request.
        concurrency: Requests in flight at once.
        batch_deadline: Seconds for a whole batch; requests still running then count as
            failed (and are retried later), so a slow receiver cannot stall the dispatcher
            past its lease.
        client: An ``httpx.AsyncClient`` to use (tests pass one with a MockTransport).
        clock: Returns Unix seconds (tests pass a fixed one).
    """

    def __init__(
        self,
        url: str,
        secret: str,
        *,
        name: str = "webhook",
        timeout: float = 10.0,
        concurrency: int = 8,
        batch_deadline: float = 30.0,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not secret:
            raise ValueError("a webhook secret is required")
        self.name = name
        self.url = url
        self._secret = secret
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._timeout = timeout
        self._limit = asyncio.Semaphore(concurrency)
        self._deadline = batch_deadline
        self._clock = clock

    def __repr__(self) -> str:
        return f"WebhookSink({self.url!r})"

    async def _post(self, delivery: Delivery) -> None:
        timestamp = str(int(self._clock()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self._secret, timestamp, delivery.body),
            KEY_HEADER: delivery.key,
        }
        async with self._limit:
            response = await self._client.post(self.url, content=delivery.body, headers=headers, timeout=self._timeout)
        if not 200 <= response.status_code < 300:
            raise WebhookError(f"HTTP {response.status_code}")

    async def send(self, batch: Sequence[Delivery]) -> list[BaseException | None]:
        """POST every delivery (several at once); report each one's outcome."""
        if not batch:
            return []
        tasks = [asyncio.create_task(self._post(d)) for d in batch]
        _, pending = await asyncio.wait(tasks, timeout=self._deadline)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        results: list[BaseException | None] = []
        for task in tasks:
            if task in pending:
                results.append(TimeoutError(f"no answer within the {self._deadline:.0f} s batch deadline"))
            else:
                results.append(task.exception())
        return results

    async def close(self) -> None:
        """Close the HTTP client if this sink created it."""
        if self._owns_client:
            await self._client.aclose()
