"""Intake throughput: reports accepted per second, and outbox dispatch to RabbitMQ.

Each figure is printed next to a baseline measured in the same run, on the same
database or broker, in rounds that alternate with it so machine noise falls on both:

 (a) reports/s through ``IntakeService.submit`` (case, indicators, campaign de-duplication,
     scoring, routing, history and two outbox rows in one transaction), on SQLite (a file,
     WAL, synchronous=FULL) and on PostgreSQL; baseline: raw single-row INSERTs of the same
     evidence JSON, one transaction each. Sequential (one reporter at a time) and with
     ``--concurrency`` submits in flight.
 (b) messages/s from the outbox to a durable RabbitMQ queue through ``Dispatcher`` +
     ``AmqpSink`` (claim with lease, publish with confirms, mark delivered); baseline: raw
     aio-pika publishes of the same bodies with publisher confirms, the same number in flight.

    .venv/bin/python bench/intake.py                 # full run
    .venv/bin/python bench/intake.py --quick         # short run
    .venv/bin/python bench/intake.py --no-postgres --no-amqp

PostgreSQL and RabbitMQ parts are skipped (with a note) when the servers are unreachable.
Always exits 0: it is a measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(PROJECT_ROOT), *(p for p in sys.path if p != str(PROJECT_ROOT))]

import aio_pika  # noqa: E402
from sqlalchemy import JSON, Column, Integer, MetaData, Table, insert, text  # noqa: E402

from intake import (  # noqa: E402
    AmqpSink,
    Assessment,
    Dispatcher,
    Evidence,
    IntakeConfig,
    IntakeService,
    MoneyLost,
    ReportDraft,
    SignalRef,
    SinkRoute,
)
from intake.message import build_message, encode  # noqa: E402
from storage import Database, default_sqlite_url  # noqa: E402
from storage import reports as repo  # noqa: E402
from storage.models import utcnow  # noqa: E402

POSTGRES_URL = os.environ.get("SCAMBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
AMQP_URL = os.environ.get("SCAMBOT_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")

TEMPLATES = (
    "Congratulations! Your {bank} account won ${n} in our lucky draw. Click {url} and enter your PIN to "
    "receive it within {h} hours.",
    "Dear customer, your parcel is held at customs. Pay the {n} USD fee at {url} today or it will be returned.",
    "캄보디아 고수익 알바! 월 {n}만원 보장, 항공권 무료 제공. 여권만 챙겨오세요. 연락: {phone}",
    "សួស្តី! អ្នកបានឈ្នះរង្វាន់ {n} ដុល្លារ។ សូមចុចតំណ {url} ហើយបញ្ចូលលេខកូដ PIN របស់អ្នក",
    "Hi, I am a recruiter. Easy online job, {n} USD per day, only like videos. Deposit first to {phone}.",
)

_raw_meta = MetaData()
_raw = Table("bench_raw_reports", _raw_meta, Column("id", Integer, primary_key=True), Column("payload", JSON))


def make_drafts(n: int, seed: int) -> list[ReportDraft]:
    """Varied reports about 40 scam campaigns, each with its own phone, site and template."""
    rng = random.Random(seed)
    drafts = []
    for i in range(n):
        campaign = rng.randrange(40)
        phone = f"+8551{campaign:07d}"
        url = f"https://{['aba', 'wing', 'post', 'gift'][campaign % 4]}-{campaign}.xyz/claim"
        body = TEMPLATES[campaign % len(TEMPLATES)].format(
            bank=rng.choice(["ABA", "ACLEDA", "Wing"]),
            n=rng.randrange(10, 900),
            url=url,
            h=rng.randrange(2, 48),
            phone=phone,
        )
        credible = rng.random() < 0.7
        drafts.append(
            ReportDraft(
                reporter_id=10_000 + rng.randrange(n),
                language=rng.choice(["km", "ko", "en"]),
                scam_type=rng.choice(["phishing", "job_offer", "investment", "parcel"]),
                evidence=Evidence(texts=(body,), links=(url,)),
                assessment=Assessment(
                    score=rng.uniform(0.6, 0.99) if credible else rng.uniform(0.0, 0.3),
                    signals=(SignalRef("asks_for_code", "high"),) if credible else (),
                    entities={"phone": [phone], "url": [url]},
                ),
                money_lost=MoneyLost(Decimal(rng.randrange(5, 5000)), "USD", "bank_transfer", "ABA")
                if rng.random() < 0.4
                else None,
                share_with_authorities=True,
                submission_key=f"bench-{seed}-{i}",
            )
        )
    return drafts


async def _timed(items: Sequence[object], work: Callable[[object], Awaitable[object]], concurrency: int) -> float:
    """Seconds to run ``work`` on every item with at most ``concurrency`` in flight."""
    limit = asyncio.Semaphore(concurrency)

    async def one(item: object) -> None:
        async with limit:
            await work(item)

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in items))
    return time.perf_counter() - started


async def bench_submit(db: Database, *, reports: int, rounds: int, concurrency: int, label: str) -> list[list[str]]:
    """Reports/s through the service vs raw one-row transactions, sequential and concurrent."""
    await db.migrate()
    async with db.engine.begin() as conn:
        await conn.run_sync(_raw_meta.create_all)
    service = IntakeService(db, IntakeConfig(sinks=(SinkRoute("jsonl"), SinkRoute("amqp"))))
    rows: list[list[str]] = []
    seed = 0
    for inflight in (1, concurrency):
        t_service = t_raw = 0.0
        count = 0
        for _ in range(rounds):
            seed += 1
            drafts = make_drafts(reports, seed)
            payloads = [d.evidence.to_json() for d in drafts]

            async def raw_insert(payload: object) -> None:
                async with db.session() as session:
                    await session.execute(insert(_raw).values(payload=payload))

            t_raw += await _timed(payloads, raw_insert, inflight)
            t_service += await _timed(drafts, service.submit, inflight)  # type: ignore[arg-type]
            count += len(drafts)
        svc, raw = count / t_service, count / t_raw
        rows.append(
            [label, f"submit x{inflight}", f"{svc:8.1f} reports/s", f"{raw:8.1f} inserts/s", f"{svc / raw:.2f}"]
        )
    async with db.engine.begin() as conn:
        await conn.run_sync(_raw_meta.drop_all)
    return rows


async def _fill_outbox(db: Database, messages: int, queue_sink: str) -> None:
    """``messages`` forwarded cases, one outbox message each (written directly, in bulk)."""
    now = utcnow()
    drafts = make_drafts(min(messages, 50), 99)
    for start in range(0, messages, 250):
        async with db.session() as session:
            for i in range(start, min(start + 250, messages)):
                d = drafts[i % len(drafts)]
                ids = await repo.insert_case(
                    session,
                    repo.NewCase(
                        submission_key=None,
                        created_at=now,
                        status="forwarded",
                        priority="normal",
                        routing="kh",
                        routing_reasons=["default"],
                        scam_type=d.scam_type,
                        language=d.language,
                        reporter_id=d.reporter_id,
                        relation="self",
                        korean_national=None,
                        contact_ok=False,
                        share_with_authorities=True,
                        contact=None,
                        evidence=d.evidence.to_json(),
                        situation=None,
                        money_amount=None,
                        money_currency=None,
                        money_method=None,
                        money_bank=None,
                        occurred_at=None,
                        contact_channel=None,
                        classifier_score=d.assessment.score,
                        signals=[],
                        credibility=0.8,
                        credibility_reasons=[],
                        text_signature=None,
                    ),
                    number=lambda cid, created: f"KH-{created.year}-{cid:06d}",
                )
                case = await repo.get_case(session, case_id=ids.id)
                assert case is not None
                payload = build_message(
                    case, indicators=[], campaign_reports=1, event="case.forwarded", sequence=1, event_at=now
                )
                await repo.enqueue(
                    session, case.id, [repo.NewOutboxEntry(queue_sink, 1, payload["idempotency_key"], 1, payload)], now
                )


async def bench_dispatch(db: Database, *, messages: int, rounds: int, batch: int, label: str) -> list[list[str]]:
    """Messages/s from the outbox to RabbitMQ vs raw confirmed publishes of the same bodies."""
    await db.migrate()
    queue = f"scambot-bench-{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect(AMQP_URL)
    t_dispatch = t_raw = 0.0
    total = 0
    try:
        channel = await connection.channel(publisher_confirms=True)
        declared = await channel.declare_queue(queue, durable=True)
        for _ in range(rounds):
            await _fill_outbox(db, messages, "amqp")
            async with db.session() as session:
                bodies = [
                    encode(p)
                    for (p,) in await session.execute(text("SELECT payload FROM outbox WHERE delivered_at IS NULL"))
                ]
            bodies = [b if isinstance(b, bytes) else encode(json.loads(b)) for b in bodies]

            started = time.perf_counter()
            for start in range(0, len(bodies), batch):
                await asyncio.gather(
                    *(
                        channel.default_exchange.publish(
                            aio_pika.Message(b, delivery_mode=aio_pika.DeliveryMode.PERSISTENT, message_id=str(i)),
                            routing_key=queue,
                        )
                        for i, b in enumerate(bodies[start : start + batch])
                    )
                )
            t_raw += time.perf_counter() - started

            sink = AmqpSink(AMQP_URL, queue)
            dispatcher = Dispatcher(db, [sink], batch_size=batch)
            started = time.perf_counter()
            report = await dispatcher.drain()
            t_dispatch += time.perf_counter() - started
            await sink.close()
            if report.delivered != len(bodies):
                print(f"  warning: dispatched {report.delivered} of {len(bodies)}", file=sys.stderr)
            total += len(bodies)
            await declared.purge()
        await declared.delete(if_unused=False, if_empty=False)
    finally:
        await connection.close()
    disp, raw = total / t_dispatch, total / t_raw
    return [[label, f"dispatch (batch {batch})", f"{disp:8.1f} msgs/s", f"{raw:8.1f} publishes/s", f"{disp / raw:.2f}"]]


async def _reachable(check: Callable[[], Awaitable[object]]) -> str | None:
    try:
        await asyncio.wait_for(check(), 10)
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "skip this part"
        return f"{type(exc).__name__}: {exc}"


async def _pg_ok() -> None:
    db = Database(POSTGRES_URL)
    try:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    finally:
        await db.dispose()


async def _amqp_ok() -> None:
    connection = await aio_pika.connect(AMQP_URL)
    await connection.close()


class _PgSchema:
    """A throw-away PostgreSQL schema for one measurement."""

    def __init__(self) -> None:
        self.name = f"scambot_bench_{uuid.uuid4().hex[:8]}"
        self._admin = Database(POSTGRES_URL)

    async def __aenter__(self) -> Database:
        async with self._admin.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        self.db = Database(POSTGRES_URL, schema=self.name)
        return self.db

    async def __aexit__(self, *exc: object) -> None:
        await self.db.dispose()
        async with self._admin.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        await self._admin.dispose()


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A plain aligned text table."""
    cells = [list(headers), *rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, load avg {load}")
    print(f"{args.reports} reports x {args.rounds} rounds per figure; {args.messages} messages x {args.rounds} rounds")
    rows: list[list[str]] = []
    pg_problem = None if args.no_postgres else await _reachable(_pg_ok)
    amqp_problem = None if args.no_amqp else await _reachable(_amqp_ok)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(default_sqlite_url(Path(tmp)))
        try:
            rows += await bench_submit(
                db, reports=args.reports, rounds=args.rounds, concurrency=args.concurrency, label="sqlite"
            )
        finally:
            await db.dispose()
        if not args.no_postgres and pg_problem is None:
            async with _PgSchema() as pg:
                rows += await bench_submit(
                    pg, reports=args.reports, rounds=args.rounds, concurrency=args.concurrency, label="postgresql"
                )
        if not args.no_amqp and amqp_problem is None:
            db = Database(default_sqlite_url(Path(tmp) / "dispatch"))
            try:
                rows += await bench_dispatch(
                    db, messages=args.messages, rounds=args.rounds, batch=args.batch, label="sqlite"
                )
            finally:
                await db.dispose()
            if not args.no_postgres and pg_problem is None:
                async with _PgSchema() as pg:
                    rows += await bench_dispatch(
                        pg, messages=args.messages, rounds=args.rounds, batch=args.batch, label="postgresql"
                    )
    print()
    print_table(["database", "what", "intake", "baseline (same run)", "ratio"], rows)
    if pg_problem:
        print(f"\nPostgreSQL skipped: {pg_problem}")
    if amqp_problem:
        print(f"\nRabbitMQ skipped: {amqp_problem}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=200, help="reports per round (default 200)")
    parser.add_argument("--messages", type=int, default=1000, help="outbox messages per round (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--concurrency", type=int, default=8, help="submits in flight (default 8)")
    parser.add_argument("--batch", type=int, default=100, help="dispatcher batch / publishes in flight (default 100)")
    parser.add_argument("--quick", action="store_true", help="50 reports, 300 messages, 2 rounds")
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--no-amqp", action="store_true", help="skip RabbitMQ")
    args = parser.parse_args(argv)
    if args.quick:
        args.reports, args.messages, args.rounds = 50, 300, 2
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
