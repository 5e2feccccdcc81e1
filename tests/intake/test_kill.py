"""Crash safety: SIGKILL during submission and during dispatch loses nothing a user was told.

A subprocess submits reports and prints each case number once ``submit`` returned;
it is killed mid-way. After a restart, every printed case exists exactly once, with its
outbox messages, and a dispatcher (itself killed once mid-way) gets every one of them
into the JSONL sink; a consumer de-duplicating by key sees each case once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from intake import Dispatcher, JsonlSink, read_messages
from storage import Database
from storage.models import Case, OutboxEntry
from tests.storage.support import Target

PROJECT_ROOT = Path(__file__).resolve().parents[2]


async def _run_until(target: Target, args: list[str], *, lines: int, timeout: float = 120) -> list[str]:
    """Start the worker, SIGKILL it once it printed ``lines`` lines, return all it printed."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.intake.kill_worker",
        args[0],
        target.url,
        target.schema or "-",
        *args[1:],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    printed: list[str] = []
    try:
        async with asyncio.timeout(timeout):
            while len(printed) < lines:
                line = await proc.stdout.readline()
                if not line:
                    raise AssertionError(f"worker ended early: {(await proc.stderr.read()).decode()[-2000:]}")
                printed.append(line.decode().strip())
    finally:
        proc.send_signal(signal.SIGKILL)
        rest, _ = await proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    return printed + [x for x in rest.decode().splitlines() if x.strip()]


async def test_killed_submitter_and_dispatcher_lose_nothing(db_target: Target, db: Database, tmp_path: Path) -> None:
    acknowledged = await _run_until(db_target, ["submit", "500"], lines=12)

    async with db.session() as session:
        numbers = Counter((await session.scalars(select(Case.case_number))).all())
        messages = dict(
            (
                await session.execute(
                    select(Case.case_number, func.count(OutboxEntry.id))
                    .join(OutboxEntry, OutboxEntry.case_id == Case.id)
                    .group_by(Case.case_number)
                )
            ).all()
        )
    assert len(acknowledged) >= 12
    assert all(numbers[n] == 1 for n in acknowledged)  # every acknowledged report, exactly once
    assert len(numbers) - len(acknowledged) in (0, 1)  # at most one committed but not yet printed
    assert messages == {n: 2 for n in numbers}  # every stored case has both messages

    sink_path = tmp_path / "sink" / "cases.jsonl"
    await _run_until(db_target, ["dispatch", str(sink_path)], lines=5)
    partial = {m["idempotency_key"] for m in read_messages(sink_path)}
    assert 0 < len(partial) < len(numbers)  # killed mid-way

    await asyncio.sleep(1.2)  # the dead dispatcher's one-second lease runs out
    await Dispatcher(db, [JsonlSink(sink_path)]).drain()

    keys = Counter(m["idempotency_key"] for m in read_messages(sink_path))
    assert set(keys) == {f"{n}:1" for n in numbers}  # each case reached the sink
    assert {f"{n}:1" for n in acknowledged} <= set(keys)
    delivered = {k: 1 for k in keys}  # a consumer de-duplicating by key sees each case once
    assert len(delivered) == len(numbers)
