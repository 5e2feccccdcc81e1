"""The default sink: one JSON message per line, appended to a file and flushed to disk.

A delivery counts as done only after ``fsync``, so a power cut cannot lose a message the
outbox marked delivered. If the process dies in the middle of a write, the file may end
with a partial line; the next append starts on a fresh line so the damage stays in that
one line, and the message is written again because it was never marked delivered.
Readers skip lines that are not JSON (see :func:`read_messages`).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from intake.sinks.base import Delivery

try:  # POSIX: serialise appends from several processes
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class JsonlSink:
    """Append messages to a JSON Lines file.

    Args:
        path: The file; its folder is created when missing.
        name: Sink name used in the outbox (``INTAKE_SINKS``).
    """

    def __init__(self, path: Path | str, *, name: str = "jsonl") -> None:
        self.name = name
        self.path = Path(path)
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"JsonlSink({str(self.path)!r})"

    async def send(self, batch: Sequence[Delivery]) -> list[BaseException | None]:
        """Append the batch as lines and fsync; all succeed or all fail together."""
        if not batch:
            return []
        try:
            async with self._lock:
                await asyncio.to_thread(self._append, b"".join(d.body + b"\n" for d in batch))
        except OSError as exc:
            return [exc] * len(batch)
        return [None] * len(batch)

    def _append(self, data: bytes) -> None:
        created = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as f:
            if fcntl is not None:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            try:
                size = f.seek(0, os.SEEK_END)
                if size:
                    f.seek(size - 1)
                    if f.read(1) != b"\n":
                        data = b"\n" + data
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            finally:
                if fcntl is not None:
                    fcntl.flock(f.fileno(), fcntl.LOCK_UN)
        if created:
            # Make the new directory entry durable too.
            fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    async def close(self) -> None:
        """Nothing to release: the file is opened per batch."""


def read_messages(path: Path | str) -> Iterator[dict[str, Any]]:
    """Yield the messages of a JSONL sink file, skipping damaged lines."""
    p = Path(path)
    if not p.exists():
        return
    with open(p, "rb") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if isinstance(message, dict):
                yield message
