"""Command-line glue for the intake: ``scambot intake list|show|set-status|export|stats|dispatch|...``.

``bot/cli.py`` mounts :data:`app` as ``intake``. The database comes from the bot's
settings (``DATABASE_URL`` / ``DATA_DIR``); the sinks from the ``INTAKE_*`` variables
below, parsed here so the bot and this command line share one definition
(:func:`intake_settings_from_env`, :func:`build_intake`).
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import json
import os
import signal
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

from bot.cli_settings import settings_or_exit
from intake import (
    AmqpSink,
    CaseDetail,
    CaseNotFoundError,
    Dispatcher,
    IntakeConfig,
    IntakeService,
    JsonlSink,
    Sink,
    SinkRoute,
    WebhookSink,
)
from intake.export import case_row, to_csv
from intake.message import timestamp
from storage import Database

app = typer.Typer(help="Reports received by the intake: list, review, export, deliver.", no_args_is_help=True)

SINK_KINDS = ("jsonl", "amqp", "webhook")

#: Every environment variable the intake reads, with its meaning (documented in one place).
INTAKE_ENV: dict[str, str] = {
    "INTAKE_SINKS": "Comma-separated sinks that receive forwarded cases: jsonl, amqp, webhook (default: jsonl).",
    "INTAKE_JSONL_PATH": "JSONL sink file (default: DATA_DIR/intake/cases.jsonl).",
    "INTAKE_AMQP_URL": "RabbitMQ URL for the amqp sink, e.g. amqp://user:pass@host:5672/ (required with amqp).",
    "INTAKE_AMQP_QUEUE": "Durable queue of the amqp sink (default: scambot.cases).",
    "INTAKE_WEBHOOK_URL": "HTTPS URL the webhook sink POSTs to (required with webhook).",
    "INTAKE_WEBHOOK_SECRET": "Shared secret for the webhook's HMAC-SHA256 signature (required with webhook).",
    "INTAKE_THRESHOLD": "Credibility (0-1) a non-urgent case needs to be forwarded (default: 0.5).",
    "INTAKE_CONTACT_RETENTION_DAYS": "Days reporters' contact details are kept; purge-contacts default (default: 180).",
}


class IntakeSettingsError(ValueError):
    """An ``INTAKE_*`` variable is missing or wrong; the message names it."""


@dataclass(frozen=True)
class IntakeSettings:
    """The intake's settings, parsed from the environment. Secrets never show in ``repr``."""

    sinks: tuple[str, ...] = ("jsonl",)
    jsonl_path: Path = Path("var/intake/cases.jsonl")
    amqp_url: str | None = field(default=None, repr=False)
    amqp_queue: str = "scambot.cases"
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    threshold: float = 0.5
    contact_retention_days: int = 180


def intake_settings_from_env(env: Mapping[str, str], *, data_dir: Path) -> IntakeSettings:
    """Parse the ``INTAKE_*`` variables.

    Args:
        env: The environment (``os.environ`` or a test's dict).
        data_dir: The bot's ``DATA_DIR`` (home of the default JSONL file).

    Raises:
        IntakeSettingsError: Naming the variable that is wrong or missing.
    """
    names = tuple(s.strip().lower() for s in env.get("INTAKE_SINKS", "jsonl").split(",") if s.strip())
    unknown = [n for n in names if n not in SINK_KINDS]
    if unknown or not names or len(set(names)) != len(names):
        raise IntakeSettingsError(
            f"INTAKE_SINKS: expected a comma list of {', '.join(SINK_KINDS)} without repeats, "
            f"got {env.get('INTAKE_SINKS')!r}"
        )
    amqp_url = env.get("INTAKE_AMQP_URL") or None
    webhook_url = env.get("INTAKE_WEBHOOK_URL") or None
    secret = env.get("INTAKE_WEBHOOK_SECRET") or None
    if "amqp" in names and not amqp_url:
        raise IntakeSettingsError("INTAKE_AMQP_URL: required when INTAKE_SINKS includes amqp")
    if amqp_url and not amqp_url.startswith(("amqp://", "amqps://")):
        raise IntakeSettingsError("INTAKE_AMQP_URL: must start with amqp:// or amqps://")
    if "webhook" in names:
        if not webhook_url or not webhook_url.startswith(("https://", "http://")):
            raise IntakeSettingsError("INTAKE_WEBHOOK_URL: an https:// URL is required when INTAKE_SINKS has webhook")
        if webhook_url.startswith("http://") and urlsplit(webhook_url).hostname not in ("127.0.0.1", "localhost"):
            raise IntakeSettingsError("INTAKE_WEBHOOK_URL: must use https:// (plain http only for localhost)")
        if not secret or len(secret) < 16:
            raise IntakeSettingsError("INTAKE_WEBHOOK_SECRET: required with webhook, at least 16 characters")
    try:
        threshold = float(env.get("INTAKE_THRESHOLD", "0.5"))
        if not 0 <= threshold <= 1:
            raise ValueError
    except ValueError:
        raise IntakeSettingsError(
            f"INTAKE_THRESHOLD: expected a number from 0 to 1, got {env.get('INTAKE_THRESHOLD')!r}"
        ) from None
    try:
        retention = int(env.get("INTAKE_CONTACT_RETENTION_DAYS", "180"))
        if retention < 0:
            raise ValueError
    except ValueError:
        raise IntakeSettingsError(
            "INTAKE_CONTACT_RETENTION_DAYS: expected a whole number of days, "
            f"got {env.get('INTAKE_CONTACT_RETENTION_DAYS')!r}"
        ) from None
    jsonl = Path(env.get("INTAKE_JSONL_PATH") or Path(data_dir) / "intake" / "cases.jsonl")
    return IntakeSettings(
        sinks=names,
        jsonl_path=jsonl,
        amqp_url=amqp_url,
        amqp_queue=env.get("INTAKE_AMQP_QUEUE") or "scambot.cases",
        webhook_url=webhook_url,
        webhook_secret=secret,
        threshold=threshold,
        contact_retention_days=retention,
    )


def build_sinks(settings: IntakeSettings) -> list[Sink]:
    """The configured sink objects (not connected yet)."""
    sinks: list[Sink] = []
    for name in settings.sinks:
        if name == "jsonl":
            sinks.append(JsonlSink(settings.jsonl_path))
        elif name == "amqp":
            assert settings.amqp_url is not None
            sinks.append(AmqpSink(settings.amqp_url, settings.amqp_queue))
        else:
            assert settings.webhook_url is not None and settings.webhook_secret is not None
            sinks.append(WebhookSink(settings.webhook_url, settings.webhook_secret))
    return sinks


def build_intake(db: Database, settings: IntakeSettings) -> tuple[IntakeService, Dispatcher]:
    """The intake service and its dispatcher for one database (the bot's composition root uses this)."""
    config = IntakeConfig(sinks=tuple(SinkRoute(n) for n in settings.sinks), threshold=settings.threshold)
    return IntakeService(db, config), Dispatcher(db, build_sinks(settings))


# --- plumbing -----------------------------------------------------------------------------


def _load() -> tuple[str, IntakeSettings]:
    settings = settings_or_exit()
    try:
        intake = intake_settings_from_env(os.environ, data_dir=settings.data_dir)
    except IntakeSettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    return settings.effective_database_url, intake


@contextlib.asynccontextmanager
async def _opened() -> AsyncIterator[tuple[IntakeService, Dispatcher, IntakeSettings]]:
    url, intake = _load()
    db = Database(url)
    try:
        await db.migrate()
        service, dispatcher = build_intake(db, intake)
        try:
            yield service, dispatcher, intake
        finally:
            await dispatcher.close()
    finally:
        await db.dispose()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _detail_json(detail: CaseDetail) -> dict[str, Any]:
    case = detail.case
    row = case_row(case, detail.indicators)
    row.update(
        {
            "routing_reasons": list(case.routing_reasons),
            "reporter_id": case.reporter_id,
            "contact_ok": case.contact_ok,
            "share_with_authorities": case.share_with_authorities,
            "contact": case.contact,
            "contact_purged_at": timestamp(case.contact_purged_at),
            "evidence": case.evidence,
            "situation": case.situation,
            "money_bank": case.money_bank,
            "classifier_score": case.classifier_score,
            "signals": list(case.signals),
            "credibility_reasons": [dict(r) for r in case.credibility_reasons],
            "indicators": [
                {
                    "kind": i.kind,
                    "value": i.value,
                    "provenance": i.provenance,
                    "reports": i.report_count,
                    "reporters": i.reporter_count,
                    "removal_requested": i.removal_requested,
                }
                for i in detail.indicators
            ],
            "history": [
                {
                    "from": h.from_status,
                    "to": h.to_status,
                    "at": timestamp(h.changed_at),
                    "by": h.changed_by,
                    "note": h.note,
                    "reporter_notified": h.notified_at is not None,
                }
                for h in detail.history
            ],
            "deliveries": [
                {
                    "sink": d["sink"],
                    "sequence": d["sequence"],
                    "attempts": d["attempts"],
                    "delivered_at": timestamp(d["delivered_at"]),
                    "next_attempt_at": None if d["delivered_at"] else timestamp(d["next_attempt_at"]),
                    "last_error": d["last_error"],
                }
                for d in detail.deliveries
            ],
        }
    )
    return row


def _table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)


StatusOpt = Annotated[str | None, typer.Option("--status", help="Only this status.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
SinceOpt = Annotated[int | None, typer.Option("--since-days", min=0, help="Only cases of the last N days.")]


def _since(days: int | None) -> Any:
    if days is None:
        return None
    from storage.models import utcnow

    return utcnow() - timedelta(days=days)


# --- commands -----------------------------------------------------------------------------

_LIST_COLUMNS = [
    "case_number",
    "created_at",
    "status",
    "priority",
    "routing",
    "scam_type",
    "language",
    "credibility",
    "campaign_id",
]


@app.command("list")
def list_command(
    status: StatusOpt = None,
    routing: Annotated[str | None, typer.Option("--routing", help="Only kh, kr or both.")] = None,
    urgent: Annotated[bool, typer.Option("--urgent", help="Only urgent cases.")] = False,
    since_days: SinceOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many cases.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List cases, urgent first, then newest first."""

    async def run() -> list[dict[str, Any]]:
        async with _opened() as (service, _, _):
            cases = await service.list_cases(
                status=status,
                routing=routing,
                priority="urgent" if urgent else None,
                since=_since(since_days),
                limit=limit,
            )
            indicators = await service.case_indicators([c.id for c in cases])
            return [case_row(c, indicators[c.id]) for c in cases]

    rows = asyncio.run(run())
    if as_json:
        typer.echo(_json(rows))
    elif rows:
        typer.echo(_table(rows, _LIST_COLUMNS))
    else:
        typer.echo("No cases.")


@app.command("show")
def show_command(
    case_number: Annotated[str, typer.Argument(help="Case number, e.g. KH-2026-000123.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one case: evidence, indicators, score reasons, history, deliveries."""

    async def run() -> CaseDetail | None:
        async with _opened() as (service, _, _):
            return await service.get_case(case_number)

    detail = asyncio.run(run())
    if detail is None:
        typer.echo(f"No case {case_number}.", err=True)
        raise typer.Exit(1)
    data = _detail_json(detail)
    if as_json:
        typer.echo(_json(data))
        return
    for key in ("case_number", "created_at", "status", "priority", "routing", "routing_reasons", "scam_type"):
        typer.echo(f"{key:>16}: {data[key]}")
    for key in ("language", "relation", "korean_national", "contact_channel", "occurred_at"):
        typer.echo(f"{key:>16}: {data[key]}")
    if data["money_amount"]:
        money = f"{data['money_amount']} {data['money_currency']} via {data['money_method']} ({data['money_bank']})"
        typer.echo(f"{'money lost':>16}: {money}")
    typer.echo(f"{'credibility':>16}: {data['credibility']:.2f}")
    for reason in data["credibility_reasons"]:
        typer.echo(f"{'':>16}  {reason['points']:+.2f} {reason['code']}: {reason['detail']}")
    typer.echo(f"{'contact':>16}: {data['contact'] if data['contact_ok'] else 'not allowed'}")
    if data["situation"]:
        typer.echo(f"{'situation':>16}: {data['situation']}")
    evidence = data["evidence"] or {}
    for text in evidence.get("texts", []):
        typer.echo(f"{'text':>16}: {text}")
    for link in evidence.get("links", []):
        typer.echo(f"{'link':>16}: {link}")
    for f in evidence.get("files", []):
        typer.echo(f"{'file':>16}: {f['type']} {f['file_id']} {f.get('purpose') or ''}".rstrip())
    for i in data["indicators"]:
        disputed = ", removal requested" if i["removal_requested"] else ""
        seen = f"{i['provenance']}, {i['reporters']} people{disputed}"
        typer.echo(f"{'indicator':>16}: {i['kind']} {i['value']} ({seen})")
    for h in data["history"]:
        typer.echo(f"{'history':>16}: {h['at']} {h['from'] or '-'} -> {h['to']} by {h['by']}")
    for d in data["deliveries"]:
        state = f"delivered {d['delivered_at']}" if d["delivered_at"] else f"pending, {d['attempts']} attempts"
        typer.echo(f"{'delivery':>16}: {d['sink']} #{d['sequence']} {state} {d['last_error'] or ''}".rstrip())


@app.command("set-status")
def set_status_command(
    case_number: Annotated[str, typer.Argument(help="Case number.")],
    status: Annotated[str, typer.Argument(help="received, forwarded, under_review, closed or rejected.")],
    by: Annotated[str | None, typer.Option("--by", help="Analyst name for the history (default: cli:<user>).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Note for the history (not sent to the reporter).")] = None,
) -> None:
    """Change a case's status; the bot then tells the reporter."""
    actor = by or f"cli:{getpass.getuser()}"

    async def run() -> Any:
        async with _opened() as (service, _, _):
            return await service.set_status(case_number, status, by=actor, note=note)

    try:
        change = asyncio.run(run())
    except CaseNotFoundError:
        typer.echo(f"No case {case_number}.", err=True)
        raise typer.Exit(1) from None
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    extra = " and queued for the sinks" if change.forwarded else ""
    typer.echo(
        f"{change.case_number}: {change.from_status} -> {change.to_status}{extra}. "
        f"The bot will tell the reporter (language {change.language})."
    )


@app.command("export")
def export_command(
    status: StatusOpt = None,
    since_days: SinceOpt = None,
    as_json: JsonOpt = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")] = None,
) -> None:
    """Export cases as CSV (or JSON): no reporter ids, contacts or message texts."""

    async def run() -> list[dict[str, Any]]:
        async with _opened() as (service, _, _):
            cases = await service.list_cases(status=status, since=_since(since_days), limit=None)
            indicators = await service.case_indicators([c.id for c in cases])
            return [case_row(c, indicators[c.id]) for c in cases]

    rows = asyncio.run(run())
    text = _json(rows) + "\n" if as_json else to_csv(rows)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {len(rows)} cases to {output}", err=True)


@app.command("stats")
def stats_command(since_days: SinceOpt = None, as_json: JsonOpt = False) -> None:
    """Cases by scam type, language and ISO week (and status, routing, outbox health)."""

    async def run() -> dict[str, Any]:
        async with _opened() as (service, _, _):
            stats = (await service.stats(since=_since(since_days))).to_json()
            counts = await service.outbox_counts()
            stats["outbox"] = {
                "pending": counts.pending,
                "failing": counts.failing,
                "delivered": counts.delivered,
                "oldest_pending_at": timestamp(counts.oldest_pending_at),
            }
            return stats

    stats = asyncio.run(run())
    if as_json:
        typer.echo(_json(stats))
        return
    typer.echo(f"{stats['total']} cases, {stats['urgent']} urgent")
    for title, key in (("type", "by_type"), ("language", "by_language"), ("week", "by_week"), ("status", "by_status")):
        typer.echo(f"\nby {title}:")
        for name, count in stats[key].items():
            typer.echo(f"  {name:<20} {count}")
    box = stats["outbox"]
    typer.echo(f"\noutbox: {box['pending']} pending ({box['failing']} failing), {box['delivered']} delivered")


@app.command("dispatch")
def dispatch_command(
    loop: Annotated[bool, typer.Option("--loop", help="Keep delivering until stopped (Ctrl-C / SIGTERM).")] = False,
    interval: Annotated[float, typer.Option("--interval", min=0.1, help="Seconds between polls with --loop.")] = 2.0,
) -> None:
    """Deliver due outbox messages to the configured sinks (once, or with --loop)."""

    async def run() -> Any:
        async with _opened() as (_, dispatcher, settings):
            if not loop:
                return await dispatcher.drain()
            stop = asyncio.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):
                    asyncio.get_running_loop().add_signal_handler(sig, stop.set)
            typer.echo(f"Delivering to {', '.join(settings.sinks)}; Ctrl-C to stop.", err=True)
            await dispatcher.run_forever(interval=interval, stop=stop)
            return None

    report = asyncio.run(run())
    if report is not None:
        sinks = ", ".join(f"{name}: {ok} delivered, {bad} failed" for name, (ok, bad) in report.by_sink.items())
        typer.echo(f"{report.delivered} delivered, {report.failed} failed" + (f" ({sinks})" if sinks else ""))
        if report.failed:
            raise typer.Exit(1)


@app.command("purge-contacts")
def purge_contacts_command(
    older_than: Annotated[
        int | None,
        typer.Option("--older-than", min=0, help="Days; default INTAKE_CONTACT_RETENTION_DAYS (180)."),
    ] = None,
) -> None:
    """Erase reporters' contact details from cases older than the retention period."""

    async def run() -> tuple[int, int]:
        async with _opened() as (service, _, settings):
            days = settings.contact_retention_days if older_than is None else older_than
            return await service.purge_contacts(timedelta(days=days)), days

    count, days = asyncio.run(run())
    typer.echo(f"Erased contact details from {count} cases older than {days} days.")


@app.command("lookup")
def lookup_command(
    kind: Annotated[str, typer.Argument(help="phone, bank_account, crypto_wallet, domain, url, telegram, ...")],
    value: Annotated[str, typer.Argument(help="The value to look up.")],
) -> None:
    """How many people reported a number, account, wallet, domain or handle."""

    async def run() -> Any:
        async with _opened() as (service, _, _):
            return await service.lookup(kind, value)

    try:
        info = asyncio.run(run())
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    if info is None:
        typer.echo("Not reported.")
        return
    typer.echo(
        _json(
            {
                "kind": info.kind,
                "value": info.value,
                "provenance": info.provenance,
                "reports": info.report_count,
                "reporters": info.reporter_count,
                "first_seen": timestamp(info.first_seen),
                "last_seen": timestamp(info.last_seen),
                "removal_requested": info.removal_requested,
            }
        )
    )


@app.command("indicator")
def indicator_command(
    action: Annotated[str, typer.Argument(help="confirm (analyst-verified) or remove.")],
    kind: Annotated[str, typer.Argument(help="Indicator kind.")],
    value: Annotated[str, typer.Argument(help="Indicator value.")],
    by: Annotated[str | None, typer.Option("--by", help="Analyst name (default: cli:<user>).")] = None,
) -> None:
    """Confirm an indicator as a verified scam, or remove it (e.g. after a removal request)."""
    if action not in ("confirm", "remove"):
        typer.echo(f"action must be confirm or remove, not {action!r}", err=True)
        raise typer.Exit(2)
    actor = by or f"cli:{getpass.getuser()}"

    async def run() -> bool:
        async with _opened() as (service, _, _):
            if action == "confirm":
                return await service.confirm_indicator(kind, value, by=actor)
            return await service.remove_indicator(kind, value, by=actor)

    try:
        found = asyncio.run(run())
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    if not found:
        typer.echo("No such indicator.", err=True)
        raise typer.Exit(1)
    typer.echo("Confirmed." if action == "confirm" else "Removed.")
