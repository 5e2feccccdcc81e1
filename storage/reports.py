"""Reports (cases), indicators, campaigns, the outbox and status history: the SQL.

Every function takes an open :class:`~sqlalchemy.ext.asyncio.AsyncSession`, so a caller
(the intake service) can compose several of them into one transaction. Rows come back as
frozen records that stay valid after the session closes. Business rules (scoring,
routing, what goes into a message) live in ``intake/``; this module only stores.

On SQLite a transaction that reads first and writes later can fail when another writer
commits in between, so functions that begin a read-modify-write (:func:`insert_case`,
:func:`lock_case`, :func:`claim_outbox`) write first.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, case, delete, distinct, func, insert, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    Campaign,
    Case,
    CaseStatusChange,
    CaseTextBand,
    Indicator,
    OutboxEntry,
    ReportIndicator,
    ensure_aware,
)

_cases = cast(Table, Case.__table__)
_indicators = cast(Table, Indicator.__table__)
_links = cast(Table, ReportIndicator.__table__)
_campaigns = cast(Table, Campaign.__table__)
_bands = cast(Table, CaseTextBand.__table__)
_outbox = cast(Table, OutboxEntry.__table__)
_history = cast(Table, CaseStatusChange.__table__)

Pair = tuple[str, str]
"""An indicator as ``(kind, normalised value)``."""


class CaseNotFoundError(LookupError):
    """No case has the given case number."""


# --- records ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewCase:
    """Column values of a case to insert; ``case_number`` is assigned from the new id."""

    submission_key: str | None
    created_at: datetime
    status: str
    priority: str
    routing: str
    routing_reasons: Sequence[str]
    scam_type: str | None
    language: str
    reporter_id: int
    relation: str
    korean_national: bool | None
    contact_ok: bool
    share_with_authorities: bool
    contact: Mapping[str, Any] | None
    evidence: Mapping[str, Any]
    situation: Mapping[str, Any] | None
    money_amount: str | None
    money_currency: str | None
    money_method: str | None
    money_bank: str | None
    occurred_at: datetime | None
    contact_channel: str | None
    classifier_score: float | None
    signals: Sequence[str]
    credibility: float
    credibility_reasons: Sequence[Mapping[str, Any]]
    text_signature: Sequence[int] | None


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One stored case (see :class:`storage.models.Case` for the columns' meaning)."""

    id: int
    case_number: str
    submission_key: str | None
    created_at: datetime
    updated_at: datetime
    status: str
    priority: str
    routing: str
    routing_reasons: tuple[str, ...]
    scam_type: str | None
    language: str
    reporter_id: int
    relation: str
    korean_national: bool | None
    contact_ok: bool
    share_with_authorities: bool
    contact: Mapping[str, Any] | None
    contact_purged_at: datetime | None
    evidence: Mapping[str, Any]
    situation: Mapping[str, Any] | None
    money_amount: str | None
    money_currency: str | None
    money_method: str | None
    money_bank: str | None
    occurred_at: datetime | None
    contact_channel: str | None
    classifier_score: float | None
    signals: tuple[str, ...]
    credibility: float
    credibility_reasons: tuple[Mapping[str, Any], ...]
    text_signature: tuple[int, ...] | None
    campaign_id: int | None
    forwarded_at: datetime | None


def _case_record(row: Any) -> CaseRecord:
    m = row._mapping
    return CaseRecord(
        id=m["id"],
        case_number=m["case_number"],
        submission_key=m["submission_key"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        status=m["status"],
        priority=m["priority"],
        routing=m["routing"],
        routing_reasons=tuple(m["routing_reasons"] or ()),
        scam_type=m["scam_type"],
        language=m["language"],
        reporter_id=m["reporter_id"],
        relation=m["relation"],
        korean_national=m["korean_national"],
        contact_ok=m["contact_ok"],
        share_with_authorities=m["share_with_authorities"],
        contact=m["contact"],
        contact_purged_at=m["contact_purged_at"],
        evidence=m["evidence"] or {},
        situation=m["situation"],
        money_amount=m["money_amount"],
        money_currency=m["money_currency"],
        money_method=m["money_method"],
        money_bank=m["money_bank"],
        occurred_at=m["occurred_at"],
        contact_channel=m["contact_channel"],
        classifier_score=m["classifier_score"],
        signals=tuple(m["signals"] or ()),
        credibility=m["credibility"],
        credibility_reasons=tuple(m["credibility_reasons"] or ()),
        text_signature=None if m["text_signature"] is None else tuple(m["text_signature"]),
        campaign_id=m["campaign_id"],
        forwarded_at=m["forwarded_at"],
    )


@dataclass(frozen=True, slots=True)
class IndicatorRecord:
    """An indicator and how many reports (not rejected) point at it.

    Attributes:
        kind: ``phone``, ``bank_account``, ``crypto_wallet``, ``domain``, ``url``, or a
            messenger handle kind (``telegram``, ``whatsapp``, ``line``, ``kakao``).
        value: The normalised value.
        provenance: ``crowd`` (reported by users) or ``confirmed`` (by an analyst).
        report_count: Reports that mention it, rejected ones excluded.
        reporter_count: Distinct people behind those reports.
        first_seen: First report (aware UTC).
        last_seen: Latest report (aware UTC).
        removal_requested: Someone asked for it to be removed; an analyst decides.
    """

    id: int
    kind: str
    value: str
    provenance: str
    report_count: int
    reporter_count: int
    first_seen: datetime
    last_seen: datetime
    removal_requested: bool


@dataclass(frozen=True, slots=True)
class KnownIndicator:
    """An indicator that existed before this report, as seen by the scorer."""

    kind: str
    value: str
    provenance: str
    other_reporters: int
    removal_requested: bool


@dataclass(frozen=True, slots=True)
class CampaignRecord:
    """A campaign after a case was attached to it."""

    id: int
    report_count: int
    created_at: datetime
    last_report_at: datetime
    scam_type: str | None
    merged: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ReporterHistory:
    """How a reporter's earlier cases ended, by status."""

    total: int
    by_status: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class NewOutboxEntry:
    """One message to write to the outbox."""

    sink: str
    sequence: int
    idempotency_key: str
    priority: int
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    """One claimed outbox row."""

    id: int
    case_id: int
    sink: str
    sequence: int
    idempotency_key: str
    priority: int
    payload: Mapping[str, Any]
    attempts: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    """Outbox health: what is waiting, what keeps failing, what went out."""

    pending: int
    failing: int
    delivered: int
    oldest_pending_at: datetime | None


@dataclass(frozen=True, slots=True)
class StatusChangeRecord:
    """One status change of a case, with who must be told about it."""

    id: int
    case_id: int
    case_number: str
    reporter_id: int
    language: str
    from_status: str | None
    to_status: str
    changed_at: datetime
    changed_by: str
    note: str | None
    notified_at: datetime | None


# --- cases ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewCaseId:
    """The id and public number given to an inserted case."""

    id: int
    case_number: str


async def insert_case(session: AsyncSession, new: NewCase, *, number: Callable[[int, datetime], str]) -> NewCaseId:
    """Insert a case and give it its public number.

    Args:
        session: Open session; the insert is its first write.
        new: The column values.
        number: Builds the public case number from the new row id and creation time.

    Raises:
        sqlalchemy.exc.IntegrityError: If ``submission_key`` is already used.
    """
    created = ensure_aware(new.created_at)
    values = {
        "case_number": f"~{uuid.uuid4().hex[:30]}",  # placeholder until the id is known
        "submission_key": new.submission_key,
        "created_at": created,
        "updated_at": created,
        "status": new.status,
        "priority": new.priority,
        "routing": new.routing,
        "routing_reasons": list(new.routing_reasons),
        "scam_type": new.scam_type,
        "language": new.language,
        "reporter_id": new.reporter_id,
        "relation": new.relation,
        "korean_national": new.korean_national,
        "contact_ok": new.contact_ok,
        "share_with_authorities": new.share_with_authorities,
        "contact": None if new.contact is None else dict(new.contact),
        "evidence": dict(new.evidence),
        "situation": None if new.situation is None else dict(new.situation),
        "money_amount": new.money_amount,
        "money_currency": new.money_currency,
        "money_method": new.money_method,
        "money_bank": new.money_bank,
        "occurred_at": new.occurred_at,
        "contact_channel": new.contact_channel,
        "classifier_score": new.classifier_score,
        "signals": list(new.signals),
        "credibility": new.credibility,
        "credibility_reasons": [dict(r) for r in new.credibility_reasons],
        "text_signature": None if new.text_signature is None else list(new.text_signature),
    }
    case_id = int((await session.execute(insert(_cases).values(**values).returning(_cases.c.id))).scalar_one())
    case_number = number(case_id, created)
    await session.execute(update(_cases).where(_cases.c.id == case_id).values(case_number=case_number))
    return NewCaseId(case_id, case_number)


async def get_case(
    session: AsyncSession, *, case_id: int | None = None, case_number: str | None = None
) -> CaseRecord | None:
    """Return one case by id or by public number, or ``None``."""
    if (case_id is None) == (case_number is None):
        raise ValueError("pass exactly one of case_id and case_number")
    where = _cases.c.id == case_id if case_id is not None else _cases.c.case_number == case_number
    row = (await session.execute(select(_cases).where(where))).first()
    return None if row is None else _case_record(row)


async def get_case_by_submission(session: AsyncSession, submission_key: str) -> CaseRecord | None:
    """Return the case stored for a submission key, or ``None``."""
    row = (await session.execute(select(_cases).where(_cases.c.submission_key == submission_key))).first()
    return None if row is None else _case_record(row)


async def lock_case(session: AsyncSession, case_number: str, now: datetime) -> CaseRecord:
    """Take the case's write lock (touching ``updated_at``) and return it.

    Raises:
        CaseNotFoundError: If no case has this number.
    """
    result = await session.execute(
        update(_cases).where(_cases.c.case_number == case_number).values(updated_at=ensure_aware(now))
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise CaseNotFoundError(case_number)
    record = await get_case(session, case_number=case_number)
    assert record is not None
    return record


async def set_case_assessment(
    session: AsyncSession,
    case_id: int,
    *,
    status: str,
    credibility: float,
    reasons: Sequence[Mapping[str, Any]],
    forwarded_at: datetime | None,
    campaign_id: int | None,
) -> None:
    """Store the credibility score, its reasons, the resulting status and the campaign."""
    await session.execute(
        update(_cases)
        .where(_cases.c.id == case_id)
        .values(
            status=status,
            credibility=credibility,
            credibility_reasons=[dict(r) for r in reasons],
            forwarded_at=forwarded_at,
            campaign_id=campaign_id,
        )
    )


async def set_case_status(
    session: AsyncSession, case_id: int, status: str, now: datetime, *, forwarded_at: datetime | None = None
) -> None:
    """Change a case's status (and, when given, when it was first forwarded)."""
    values: dict[str, Any] = {"status": status, "updated_at": ensure_aware(now)}
    if forwarded_at is not None:
        values["forwarded_at"] = forwarded_at
    await session.execute(update(_cases).where(_cases.c.id == case_id).values(**values))


async def reporter_history(session: AsyncSession, reporter_id: int, *, exclude_case: int) -> ReporterHistory:
    """Count the reporter's other cases by status."""
    rows = await session.execute(
        select(_cases.c.status, func.count())
        .where(_cases.c.reporter_id == reporter_id, _cases.c.id != exclude_case)
        .group_by(_cases.c.status)
    )
    by_status = {status: int(n) for status, n in rows}
    return ReporterHistory(total=sum(by_status.values()), by_status=by_status)


async def cases_for_reporter(session: AsyncSession, reporter_id: int, *, limit: int = 20) -> list[CaseRecord]:
    """The reporter's cases, newest first."""
    rows = await session.execute(
        select(_cases)
        .where(_cases.c.reporter_id == reporter_id)
        .order_by(_cases.c.created_at.desc(), _cases.c.id.desc())
        .limit(limit)
    )
    return [_case_record(r) for r in rows]


async def list_cases(
    session: AsyncSession,
    *,
    status: str | None = None,
    routing: str | None = None,
    priority: str | None = None,
    since: datetime | None = None,
    limit: int | None = 50,
    offset: int = 0,
) -> list[CaseRecord]:
    """Cases for analysts, urgent first, then newest first."""
    stmt = select(_cases)
    if status is not None:
        stmt = stmt.where(_cases.c.status == status)
    if routing is not None:
        stmt = stmt.where(_cases.c.routing == routing)
    if priority is not None:
        stmt = stmt.where(_cases.c.priority == priority)
    if since is not None:
        stmt = stmt.where(_cases.c.created_at >= ensure_aware(since))
    stmt = stmt.order_by((_cases.c.priority == "urgent").desc(), _cases.c.created_at.desc(), _cases.c.id.desc())
    stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_case_record(r) for r in await session.execute(stmt)]


async def case_facets(session: AsyncSession, *, since: datetime | None = None) -> list[tuple[Any, ...]]:
    """``(created_at, scam_type, language, status, routing, priority)`` of each case, for stats."""
    stmt = select(
        _cases.c.created_at, _cases.c.scam_type, _cases.c.language, _cases.c.status, _cases.c.routing, _cases.c.priority
    )
    if since is not None:
        stmt = stmt.where(_cases.c.created_at >= ensure_aware(since))
    return [tuple(r) for r in await session.execute(stmt)]


async def purge_contacts(
    session: AsyncSession,
    *,
    before: datetime,
    now: datetime,
    scrub_payload: Callable[[Any], Any] | None = None,
) -> int:
    """Erase reporters' contact details from cases created before ``before``.

    Args:
        session: Open session.
        before: Cases created earlier than this lose their ``contact``.
        now: Stored as ``contact_purged_at``.
        scrub_payload: Applied to the payload of each *delivered* outbox message of those
            cases, to remove the contact from the stored copy too (pending messages keep
            it until delivered).

    Returns:
        How many cases had a contact erased.
    """
    purge = (
        update(_cases)
        .where(_cases.c.created_at < ensure_aware(before), _cases.c.contact.is_not(None))
        .values(contact=None, contact_purged_at=ensure_aware(now))
        .returning(_cases.c.id)
    )
    case_ids = list((await session.execute(purge)).scalars())
    if scrub_payload is not None:
        # The cases purged now, and cases purged earlier whose messages went out since then.
        stale = or_(_outbox.c.case_id.in_(case_ids), _outbox.c.delivered_at >= _cases.c.contact_purged_at)
        rows = await session.execute(
            select(_outbox.c.id, _outbox.c.payload)
            .join(_cases, _cases.c.id == _outbox.c.case_id)
            .where(_cases.c.contact_purged_at.is_not(None), _outbox.c.delivered_at.is_not(None), stale)
        )
        for outbox_id, payload in list(rows):
            scrubbed = scrub_payload(payload)
            if scrubbed != payload:
                await session.execute(update(_outbox).where(_outbox.c.id == outbox_id).values(payload=scrubbed))
    return len(case_ids)


# --- status history and notices ----------------------------------------------------------


async def add_status_change(
    session: AsyncSession,
    case_id: int,
    *,
    from_status: str | None,
    to_status: str,
    by: str,
    now: datetime,
    note: str | None = None,
    notified: bool = False,
) -> int:
    """Record a status change; ``notified=True`` when the reporter needs no message."""
    stmt = (
        insert(_history)
        .values(
            case_id=case_id,
            from_status=from_status,
            to_status=to_status,
            changed_at=ensure_aware(now),
            changed_by=by,
            note=note,
            notified_at=ensure_aware(now) if notified else None,
        )
        .returning(_history.c.id)
    )
    return int((await session.execute(stmt)).scalar_one())


def _history_select() -> Any:
    return select(
        _history.c.id,
        _history.c.case_id,
        _cases.c.case_number,
        _cases.c.reporter_id,
        _cases.c.language,
        _history.c.from_status,
        _history.c.to_status,
        _history.c.changed_at,
        _history.c.changed_by,
        _history.c.note,
        _history.c.notified_at,
    ).join(_cases, _cases.c.id == _history.c.case_id)


async def case_history(session: AsyncSession, case_id: int) -> list[StatusChangeRecord]:
    """Every status change of a case, oldest first."""
    rows = await session.execute(_history_select().where(_history.c.case_id == case_id).order_by(_history.c.id))
    return [StatusChangeRecord(*r) for r in rows]


async def pending_notices(session: AsyncSession, *, limit: int = 100) -> list[StatusChangeRecord]:
    """Status changes the reporter was not told about yet, oldest first."""
    rows = await session.execute(
        _history_select().where(_history.c.notified_at.is_(None)).order_by(_history.c.id).limit(limit)
    )
    return [StatusChangeRecord(*r) for r in rows]


async def mark_notified(session: AsyncSession, history_ids: Collection[int], now: datetime) -> None:
    """Remember that the reporter was told about these changes."""
    if history_ids:
        await session.execute(
            update(_history).where(_history.c.id.in_(list(history_ids))).values(notified_at=ensure_aware(now))
        )


# --- indicators ---------------------------------------------------------------------------


def _live_cases() -> Any:
    return _cases.c.status != "rejected"


async def known_indicators(
    session: AsyncSession, pairs: Collection[Pair], *, exclude_reporter: int
) -> list[KnownIndicator]:
    """Indicators among ``pairs`` that exist already, with how many *other* people reported each."""
    if not pairs:
        return []
    others = and_(_cases.c.id == _links.c.case_id, _cases.c.reporter_id != exclude_reporter, _live_cases())
    stmt = (
        select(
            _indicators.c.kind,
            _indicators.c.value,
            _indicators.c.provenance,
            _indicators.c.removal_requested,
            func.count(distinct(_cases.c.reporter_id)),
        )
        .select_from(_indicators)
        .outerjoin(_links, _links.c.indicator_id == _indicators.c.id)
        .outerjoin(_cases, others)
        .where(tuple_(_indicators.c.kind, _indicators.c.value).in_(sorted(pairs)))
        .group_by(_indicators.c.id, _indicators.c.kind, _indicators.c.value)
    )
    return [
        KnownIndicator(kind=k, value=v, provenance=p, removal_requested=bool(r), other_reporters=int(n))
        for k, v, p, r, n in await session.execute(stmt)
    ]


async def upsert_indicators(session: AsyncSession, pairs: Collection[Pair], now: datetime) -> dict[Pair, int]:
    """Create or touch each indicator, counting one more report; return their ids.

    One multi-row ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``. Rows are sorted so two
    concurrent transactions lock them in the same order (no deadlock); on PostgreSQL
    the row locks make a concurrent report of the same indicator wait until this one
    committed its campaign.
    """
    if not pairs:
        return {}
    now = ensure_aware(now)
    rows = [
        {"kind": k, "value": v, "first_seen": now, "last_seen": now, "report_count": 1} for k, v in sorted(set(pairs))
    ]
    dialect = session.get_bind().dialect.name
    stmt: Any = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_indicators).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["kind", "value"],
        set_={"last_seen": stmt.excluded.last_seen, "report_count": _indicators.c.report_count + 1},
    ).returning(_indicators.c.id, _indicators.c.kind, _indicators.c.value)
    return {(kind, value): int(i) for i, kind, value in await session.execute(stmt)}


async def link_indicators(session: AsyncSession, case_id: int, indicator_ids: Iterable[int]) -> None:
    """Record which indicators a case mentions."""
    rows = [{"case_id": case_id, "indicator_id": i} for i in sorted(set(indicator_ids))]
    if rows:
        await session.execute(insert(_links), rows)


async def adjust_indicator_counts(session: AsyncSession, case_id: int, delta: int) -> None:
    """Add ``delta`` to the report count of every indicator of a case (on reject / un-reject)."""
    linked = select(_links.c.indicator_id).where(_links.c.case_id == case_id)
    adjusted = _indicators.c.report_count + delta
    await session.execute(
        update(_indicators)
        .where(_indicators.c.id.in_(linked))
        .values(report_count=case((adjusted < 0, 0), else_=adjusted))
    )


def _indicator_select() -> Any:
    live = and_(_cases.c.id == _links.c.case_id, _live_cases())
    return (
        select(
            _indicators.c.id,
            _indicators.c.kind,
            _indicators.c.value,
            _indicators.c.provenance,
            func.count(distinct(_cases.c.id)),
            func.count(distinct(_cases.c.reporter_id)),
            _indicators.c.first_seen,
            _indicators.c.last_seen,
            _indicators.c.removal_requested,
        )
        .select_from(_indicators)
        .outerjoin(_links, _links.c.indicator_id == _indicators.c.id)
        .outerjoin(_cases, live)
        .group_by(_indicators.c.id)
    )


def _indicator_record(row: Any) -> IndicatorRecord:
    i, kind, value, prov, reports, reporters, first, last, removal = row
    return IndicatorRecord(
        id=i,
        kind=kind,
        value=value,
        provenance=prov,
        report_count=int(reports),
        reporter_count=int(reporters),
        first_seen=first,
        last_seen=last,
        removal_requested=bool(removal),
    )


async def indicators_by_pairs(session: AsyncSession, pairs: Collection[Pair]) -> list[IndicatorRecord]:
    """Stored indicators among ``pairs``, with live report and reporter counts."""
    if not pairs:
        return []
    stmt = _indicator_select().where(tuple_(_indicators.c.kind, _indicators.c.value).in_(sorted(pairs)))
    return sorted((_indicator_record(r) for r in await session.execute(stmt)), key=lambda r: (r.kind, r.value))


async def case_indicators(session: AsyncSession, case_id: int) -> list[IndicatorRecord]:
    """The indicators a case mentions, with live counts."""
    linked = select(_links.c.indicator_id).where(_links.c.case_id == case_id)
    stmt = _indicator_select().where(_indicators.c.id.in_(linked))
    return sorted((_indicator_record(r) for r in await session.execute(stmt)), key=lambda r: (r.kind, r.value))


async def request_indicator_removal(session: AsyncSession, pair: Pair, now: datetime) -> bool:
    """Flag an indicator for an analyst's removal review; ``False`` if unknown."""
    kind, value = pair
    result = await session.execute(
        update(_indicators)
        .where(_indicators.c.kind == kind, _indicators.c.value == value)
        .values(removal_requested=True, removal_requested_at=ensure_aware(now))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def confirm_indicator(session: AsyncSession, pair: Pair, *, by: str, now: datetime) -> bool:
    """Mark an indicator as confirmed by an analyst (clears a removal request)."""
    kind, value = pair
    result = await session.execute(
        update(_indicators)
        .where(_indicators.c.kind == kind, _indicators.c.value == value)
        .values(provenance="confirmed", confirmed_by=by, confirmed_at=ensure_aware(now), removal_requested=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def delete_indicator(session: AsyncSession, pair: Pair) -> bool:
    """Remove an indicator and its links to cases (the cases' evidence stays)."""
    kind, value = pair
    ids = select(_indicators.c.id).where(_indicators.c.kind == kind, _indicators.c.value == value)
    await session.execute(delete(_links).where(_links.c.indicator_id.in_(ids)))
    result = await session.execute(delete(_indicators).where(_indicators.c.kind == kind, _indicators.c.value == value))
    return bool(result.rowcount)  # type: ignore[attr-defined]


# --- campaigns ------------------------------------------------------------------------------


async def campaigns_for_indicators(
    session: AsyncSession, indicator_ids: Collection[int], *, exclude_case: int | None = None
) -> set[int]:
    """Campaigns of (non-rejected) cases that share one of the indicators."""
    if not indicator_ids:
        return set()
    stmt = (
        select(_cases.c.campaign_id)
        .join(_links, _links.c.case_id == _cases.c.id)
        .where(_links.c.indicator_id.in_(list(indicator_ids)), _cases.c.campaign_id.is_not(None), _live_cases())
        .distinct()
    )
    if exclude_case is not None:
        stmt = stmt.where(_cases.c.id != exclude_case)
    # Merging moves the cases, so a case's campaign_id always names a live campaign.
    return set((await session.execute(stmt)).scalars())


async def text_candidates(
    session: AsyncSession, bands: Collection[str], *, exclude_case: int | None = None, limit: int = 200
) -> list[tuple[int, int | None, tuple[int, ...] | None]]:
    """Recent cases sharing a text band: ``(case_id, campaign_id, signature)``."""
    if not bands:
        return []
    matching = select(_bands.c.case_id).where(_bands.c.band.in_(list(bands)))
    stmt = (
        select(_cases.c.id, _cases.c.campaign_id, _cases.c.text_signature)
        .where(_cases.c.id.in_(matching), _live_cases())
        .order_by(_cases.c.id.desc())
        .limit(limit)
    )
    if exclude_case is not None:
        stmt = stmt.where(_cases.c.id != exclude_case)
    return [(cid, camp, None if sig is None else tuple(sig)) for cid, camp, sig in await session.execute(stmt)]


async def add_text_bands(session: AsyncSession, case_id: int, bands: Iterable[str]) -> None:
    """Store the text bands of a case."""
    rows = [{"case_id": case_id, "band": b} for b in sorted(set(bands))]
    if rows:
        await session.execute(insert(_bands), rows)


async def attach_to_campaign(
    session: AsyncSession, campaign_ids: Collection[int], *, now: datetime, scam_type: str | None
) -> CampaignRecord:
    """Choose the campaign for one new case and count the case in it.

    No match: a new campaign. One: that one. Several: the younger ones are merged into the
    oldest (their cases move over; they keep a ``merged_into`` pointer). The caller then
    stores the returned id on the case.
    """
    now = ensure_aware(now)
    live = sorted(campaign_ids)
    if not live:
        stmt: Any = insert(_campaigns).values(created_at=now, last_report_at=now, report_count=1, scam_type=scam_type)
    else:
        target, merged = live[0], live[1:]
        count: Any = _campaigns.c.report_count + 1
        if merged:
            await session.execute(update(_cases).where(_cases.c.campaign_id.in_(merged)).values(campaign_id=target))
            await session.execute(
                update(_campaigns)
                .where(or_(_campaigns.c.id.in_(merged), _campaigns.c.merged_into.in_(merged)))
                .values(merged_into=target, report_count=0)
            )
            cases_now = select(func.count()).select_from(_cases).where(_cases.c.campaign_id == target)
            count = cases_now.scalar_subquery() + 1
        stmt = (
            update(_campaigns)
            .where(_campaigns.c.id == target)
            .values(
                report_count=count,
                last_report_at=now,
                scam_type=func.coalesce(_campaigns.c.scam_type, scam_type),
            )
        )
    returning = (
        _campaigns.c.id,
        _campaigns.c.report_count,
        _campaigns.c.created_at,
        _campaigns.c.last_report_at,
        _campaigns.c.scam_type,
    )
    row = (await session.execute(stmt.returning(*returning))).one()
    return CampaignRecord(*row, merged=tuple(live[1:]))


async def campaign_reach(session: AsyncSession, campaign_ids: Collection[int]) -> tuple[int, int]:
    """``(reports, distinct reporters)`` over the non-rejected cases of these campaigns."""
    if not campaign_ids:
        return 0, 0
    row = (
        await session.execute(
            select(func.count(distinct(_cases.c.id)), func.count(distinct(_cases.c.reporter_id))).where(
                _cases.c.campaign_id.in_(list(campaign_ids)), _live_cases()
            )
        )
    ).one()
    return int(row[0]), int(row[1])


# --- outbox ---------------------------------------------------------------------------------


async def next_sequence(session: AsyncSession, case_id: int) -> int:
    """The next message sequence number of a case (1 for its first message)."""
    current = await session.scalar(select(func.max(_outbox.c.sequence)).where(_outbox.c.case_id == case_id))
    return int(current or 0) + 1


async def enqueue(session: AsyncSession, case_id: int, entries: Sequence[NewOutboxEntry], now: datetime) -> None:
    """Write outbox messages, due immediately."""
    now = ensure_aware(now)
    rows = [
        {
            "case_id": case_id,
            "sink": e.sink,
            "sequence": e.sequence,
            "idempotency_key": e.idempotency_key,
            "priority": e.priority,
            "payload": dict(e.payload),
            "created_at": now,
            "attempts": 0,
            "next_attempt_at": now,
        }
        for e in entries
    ]
    if rows:
        await session.execute(insert(_outbox), rows)


_CLAIMED = (
    _outbox.c.id,
    _outbox.c.case_id,
    _outbox.c.sink,
    _outbox.c.sequence,
    _outbox.c.idempotency_key,
    _outbox.c.priority,
    _outbox.c.payload,
    _outbox.c.attempts,
    _outbox.c.created_at,
)


async def claim_outbox(
    session: AsyncSession,
    *,
    owner: str,
    sinks: Collection[str],
    now: datetime,
    lease_until: datetime,
    limit: int,
) -> list[OutboxRecord]:
    """Lease up to ``limit`` due messages to ``owner``, most urgent first.

    A message is due when it is undelivered, its retry time has come, no other
    dispatcher holds a live lease on it, and every earlier message of the same case and
    sink was delivered (so each case's messages go out in order).

    PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` so concurrent dispatchers take
    disjoint rows. SQLite has one writer at a time: one ``UPDATE ... WHERE id IN
    (SELECT ...) RETURNING`` claims atomically.
    """
    if not sinks:
        return []
    now, lease_until = ensure_aware(now), ensure_aware(lease_until)
    row, earlier = aliased(OutboxEntry), aliased(OutboxEntry)
    # The first undelivered message of the row's case and sink. A correlated scalar
    # subquery (not NOT EXISTS, which PostgreSQL turns into an anti-join whose plan
    # depends on statistics) is always one index probe per candidate row.
    head = (
        select(func.min(earlier.sequence))
        .where(earlier.case_id == row.case_id, earlier.sink == row.sink, earlier.delivered_at.is_(None))
        .scalar_subquery()
    )
    due = (
        select(row.id)
        .where(
            row.delivered_at.is_(None),
            row.next_attempt_at <= now,
            or_(row.lease_until.is_(None), row.lease_until < now),
            row.sink.in_(list(sinks)),
            row.sequence == head,
        )
        .order_by(row.priority, row.id)
        .limit(limit)
    )
    lease = {"lease_owner": owner, "lease_until": lease_until}
    if session.get_bind().dialect.name == "postgresql":
        ids = list((await session.execute(due.with_for_update(skip_locked=True, of=row))).scalars())
        if not ids:
            return []
        stmt = update(_outbox).where(_outbox.c.id.in_(ids)).values(**lease).returning(*_CLAIMED)
    else:
        stmt = update(_outbox).where(_outbox.c.id.in_(due.scalar_subquery())).values(**lease).returning(*_CLAIMED)
    records = [OutboxRecord(*r) for r in await session.execute(stmt)]
    return sorted(records, key=lambda r: (r.priority, r.id))


async def mark_delivered(session: AsyncSession, outbox_ids: Collection[int], now: datetime) -> None:
    """Record delivery and release the lease."""
    if outbox_ids:
        await session.execute(
            update(_outbox)
            .where(_outbox.c.id.in_(list(outbox_ids)), _outbox.c.delivered_at.is_(None))
            .values(delivered_at=ensure_aware(now), lease_owner=None, lease_until=None, last_error=None)
        )


async def mark_failed(session: AsyncSession, outbox_id: int, *, next_attempt_at: datetime, error: str) -> None:
    """Count a failed attempt, schedule the next one and release the lease."""
    await session.execute(
        update(_outbox)
        .where(_outbox.c.id == outbox_id, _outbox.c.delivered_at.is_(None))
        .values(
            attempts=_outbox.c.attempts + 1,
            next_attempt_at=ensure_aware(next_attempt_at),
            last_error=error[:500],
            lease_owner=None,
            lease_until=None,
        )
    )


async def outbox_counts(session: AsyncSession) -> OutboxCounts:
    """How many messages wait, keep failing, and went out."""
    pending = _outbox.c.delivered_at.is_(None)
    row = (
        await session.execute(
            select(
                func.count().filter(pending),
                func.count().filter(and_(pending, _outbox.c.attempts > 0)),
                func.count().filter(_outbox.c.delivered_at.is_not(None)),
            )
        )
    ).one()
    oldest = await session.scalar(select(func.min(_outbox.c.created_at)).where(pending))
    return OutboxCounts(pending=int(row[0]), failing=int(row[1]), delivered=int(row[2]), oldest_pending_at=oldest)


async def case_outbox(session: AsyncSession, case_id: int) -> list[dict[str, Any]]:
    """Delivery state of each message of a case (for analysts)."""
    rows = await session.execute(
        select(
            _outbox.c.sink,
            _outbox.c.sequence,
            _outbox.c.idempotency_key,
            _outbox.c.attempts,
            _outbox.c.next_attempt_at,
            _outbox.c.delivered_at,
            _outbox.c.last_error,
        )
        .where(_outbox.c.case_id == case_id)
        .order_by(_outbox.c.sequence, _outbox.c.sink)
    )
    return [dict(r._mapping) for r in rows]
