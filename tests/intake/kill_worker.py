"""A separate process for the kill tests: submits reports or dispatches until killed.

Usage (from the project root)::

    python -m tests.intake.kill_worker submit URL SCHEMA COUNT
    python -m tests.intake.kill_worker dispatch URL SCHEMA JSONL_PATH

``SCHEMA`` is ``-`` for none. ``submit`` prints each case number on its own line after
``submit`` returned (that is, after the commit): those are the reports a user was told
about. ``dispatch`` prints ``delivered N`` after every pass.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta

from intake import Dispatcher, IntakeConfig, IntakeService, JsonlSink, SinkRoute
from storage import Database
from tests.intake.factories import credible_draft


async def submit(db: Database, count: int) -> None:
    service = IntakeService(db, IntakeConfig(sinks=(SinkRoute("jsonl"), SinkRoute("webhook"))))
    for i in range(count):
        receipt = await service.submit(credible_draft(reporter_id=1000 + i, submission_key=f"kill-{i}"))
        print(receipt.case_number, flush=True)


async def dispatch(db: Database, path: str) -> None:
    dispatcher = Dispatcher(db, [JsonlSink(path)], batch_size=1, lease=timedelta(seconds=1))
    while True:
        report = await dispatcher.run_once()
        print(f"delivered {report.delivered}", flush=True)
        await asyncio.sleep(0.05)  # a slow sink, so the kill lands mid-way


async def main(argv: list[str]) -> None:
    mode, url, schema, arg = argv
    db = Database(url, schema=None if schema == "-" else schema)
    await db.migrate()
    if mode == "submit":
        await submit(db, int(arg))
    else:
        await dispatch(db, arg)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
