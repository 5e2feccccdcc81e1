"""What every sink receives and must do.

A sink gets a batch of :class:`Delivery` objects and reports, per delivery, ``None``
(delivered: the receiver has it durably) or the exception that prevented it. It never
raises for a single message's failure; the dispatcher retries failures later with the
same idempotency key, so a receiver may see a message more than once and must
de-duplicate by that key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message on its way to one sink.

    Attributes:
        key: Idempotency key (``"<case number>:<sequence>"``).
        case_number: The case.
        sequence: The case's message number.
        event: ``case.forwarded`` or ``case.status_changed``.
        priority: 0 for urgent cases, 1 otherwise.
        payload: The message (JSON-ready), never in ``repr``.
        body: The canonical JSON bytes to send, never in ``repr``.
    """

    key: str
    case_number: str
    sequence: int
    event: str
    priority: int
    payload: Mapping[str, Any] = field(repr=False)
    body: bytes = field(repr=False)


@runtime_checkable
class Sink(Protocol):
    """A destination of case messages (file, queue, webhook)."""

    name: str

    async def send(self, batch: Sequence[Delivery]) -> list[BaseException | None]:
        """Deliver a batch; return ``None`` or the error for each delivery, in order."""
        ...

    async def close(self) -> None:
        """Release connections and files."""
        ...


def describe(exc: BaseException) -> str:
    """A short, log-safe description of a delivery error (type and message)."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__
