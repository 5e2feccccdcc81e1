"""The intake service: a confirmed report becomes a scored, routed, de-duplicated case.

:meth:`IntakeService.submit` writes the case, its indicators, its campaign, its status
history and its outbox messages in one transaction, so a case the reporter was told
about is complete in the store and will reach every sink (see :mod:`intake.dispatch`).
The service knows nothing of Telegram or of the classifier: callers pass the
classifier's output in :class:`~intake.model.Assessment`.

Logs name case numbers, counts and decisions; never message texts, phone numbers,
accounts or contacts.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intake.fingerprint import TextFingerprint, fingerprint, similarity
from intake.indicators import DEFAULT_SHARED_DOMAINS, indicators_from_entities, parse_lookup
from intake.message import build_message, scrub_contact
from intake.model import (
    CASE_STATUSES,
    CaseReceipt,
    CaseSummary,
    IndicatorInfo,
    IntakeStats,
    Notice,
    Reason,
    ReportDraft,
    SimilarReports,
    StatusChange,
)
from intake.routing import RoutingFacts, RoutingRules, route
from intake.scoring import PriorIndicator, ScoringInputs, ScoringWeights, score_report
from storage import reports
from storage.db import Database
from storage.models import ensure_aware, utcnow
from storage.reports import CaseNotFoundError, CaseRecord, IndicatorRecord, StatusChangeRecord

log = logging.getLogger(__name__)

PHONE_KINDS = ("phone", "whatsapp")
SYSTEM_ACTOR = "intake"


@dataclass(frozen=True, slots=True)
class SinkRoute:
    """A configured sink and the routings it accepts.

    Attributes:
        name: Sink name (``jsonl``, ``amqp``, ``webhook``, or any other configured name).
        routes: ``kh`` and/or ``kr``; a ``both`` case goes to a sink accepting either.
    """

    name: str
    routes: frozenset[str] = frozenset({"kh", "kr"})

    def accepts(self, routing: str) -> bool:
        """True when a case with this routing goes to this sink."""
        wanted = {"kh", "kr"} if routing == "both" else {routing}
        return bool(wanted & self.routes)


@dataclass(frozen=True, slots=True)
class IntakeConfig:
    """How the intake decides.

    Attributes:
        sinks: Where forwarded cases go; one outbox message per sink.
        threshold: Credibility needed to forward a (non-urgent) case.
        case_prefix: Two capital letters starting every case number.
        routing: Routing rules.
        weights: Credibility weights.
        text_similarity: Estimated text similarity that joins two reports' campaigns.
        shared_domains: Domains that never link reports (big platforms, shorteners).
    """

    sinks: tuple[SinkRoute, ...] = (SinkRoute("jsonl"),)
    threshold: float = 0.5
    case_prefix: str = "KH"
    routing: RoutingRules = field(default_factory=RoutingRules)
    weights: ScoringWeights = field(default_factory=ScoringWeights)
    text_similarity: float = 0.7
    shared_domains: frozenset[str] = DEFAULT_SHARED_DOMAINS

    def __post_init__(self) -> None:
        if not (len(self.case_prefix) == 2 and self.case_prefix.isascii() and self.case_prefix.isupper()):
            raise ValueError(f"case_prefix {self.case_prefix!r} must be two capital letters")
        if not 0 <= self.threshold <= 1:
            raise ValueError(f"threshold {self.threshold!r} must be between 0 and 1")
        names = [s.name for s in self.sinks]
        if len(set(names)) != len(names):
            raise ValueError(f"sink names must be unique: {names}")


@dataclass(frozen=True, slots=True)
class CaseDetail:
    """Everything an analyst sees about one case."""

    case: CaseRecord
    indicators: tuple[IndicatorInfo, ...]
    history: tuple[StatusChangeRecord, ...]
    deliveries: tuple[Mapping[str, Any], ...]


def _info(record: IndicatorRecord) -> IndicatorInfo:
    return IndicatorInfo(
        kind=record.kind,
        value=record.value,
        provenance=record.provenance,
        report_count=record.report_count,
        reporter_count=record.reporter_count,
        first_seen=record.first_seen,
        last_seen=record.last_seen,
        removal_requested=record.removal_requested,
    )


def iso_week(value: datetime) -> str:
    """``2026-W03`` for a datetime (ISO week of its UTC date)."""
    year, week, _ = value.isocalendar()
    return f"{year}-W{week:02d}"


def _new_case(
    draft: ReportDraft,
    now: datetime,
    routing: str,
    routing_reasons: Sequence[str],
    scam_type: str | None,
    print_: TextFingerprint | None,
) -> reports.NewCase:
    """The row for a draft, before scoring (status and credibility are set later)."""
    money = draft.money_lost
    return reports.NewCase(
        submission_key=draft.submission_key,
        created_at=now,
        status="received",
        priority="urgent" if draft.urgent else "normal",
        routing=routing,
        routing_reasons=routing_reasons,
        scam_type=scam_type,
        language=draft.language,
        reporter_id=draft.reporter_id,
        relation=draft.relation,
        korean_national=draft.korean_national,
        contact_ok=draft.contact_ok,
        share_with_authorities=draft.share_with_authorities,
        contact=draft.contact.to_json() if draft.contact is not None and draft.contact_ok else None,
        evidence=draft.evidence.to_json(),
        situation=None if draft.situation is None else draft.situation.to_json(),
        money_amount=None if money is None else format(money.amount, "f"),
        money_currency=None if money is None else money.currency,
        money_method=None if money is None else money.method,
        money_bank=None if money is None else money.bank,
        occurred_at=draft.occurred_at,
        contact_channel=draft.contact_channel,
        classifier_score=draft.assessment.score,
        signals=[s.id for s in draft.assessment.signals],
        credibility=0.0,
        credibility_reasons=[],
        text_signature=None if print_ is None else print_.signature,
    )


class IntakeService:
    """Turn reports into cases and answer questions about them.

    Args:
        db: The database (migrated).
        config: Decision rules and sinks (default: JSONL only).
        clock: Returns the current aware datetime.
    """

    def __init__(self, db: Database, config: IntakeConfig | None = None, *, clock: Callable[[], datetime] = utcnow):
        self._db = db
        self._config = config or IntakeConfig()
        self._clock = clock

    @property
    def config(self) -> IntakeConfig:
        """The decision rules and sinks in use."""
        return self._config

    def _now(self) -> datetime:
        return ensure_aware(self._clock())

    def _number(self, case_id: int, created: datetime) -> str:
        return f"{self._config.case_prefix}-{created.year:04d}-{case_id:06d}"

    # --- submitting ---------------------------------------------------------------------

    async def submit(self, draft: ReportDraft) -> CaseReceipt:
        """Store a confirmed report as a case, in one transaction.

        Stores the case with its evidence and consent, links its indicators, joins or
        creates its campaign, scores its credibility with reasons, routes it, and when
        the reporter agreed to share it and it is credible or urgent, writes one outbox
        message per accepting sink (urgent ones first in line).

        Args:
            draft: The confirmed report.

        Returns:
            The receipt to show the reporter. If ``draft.submission_key`` was submitted
            before, the first case's receipt with ``duplicate=True`` (nothing written).
        """
        try:
            return await self._submit(draft)
        except IntegrityError:
            if draft.submission_key is None:
                raise
            async with self._db.session() as session:
                existing = await reports.get_case_by_submission(session, draft.submission_key)
                if existing is None:
                    raise
                reach = await self._campaign_reports(session, existing.campaign_id)
            log.info("case %s: repeated submission ignored", existing.case_number)
            return self._receipt(existing, reach, duplicate=True)

    async def _submit(self, draft: ReportDraft) -> CaseReceipt:
        now = self._now()
        cfg = self._config
        pairs = indicators_from_entities(
            draft.assessment.entities, links=draft.evidence.links, shared_domains=cfg.shared_domains
        )
        text = "\n".join(t for t in draft.evidence.texts if t.strip())
        print_ = fingerprint(text) if text else None
        banks = [*draft.assessment.entities.get("bank", ())]
        if draft.money_lost is not None and draft.money_lost.bank:
            banks.append(draft.money_lost.bank)
        routing = route(
            RoutingFacts(
                language=draft.language,
                korean_national=draft.korean_national,
                phones=tuple(v for k, v in pairs if k in PHONE_KINDS and v.startswith("+")),
                banks=tuple(banks),
                urgent=draft.urgent,
            ),
            cfg.routing,
        )
        scam_type = draft.scam_type or draft.assessment.scam_type
        money = draft.money_lost
        new = _new_case(draft, now, routing.target, routing.reasons, scam_type, print_)
        async with self._db.session() as session:
            # The insert is the first write: on SQLite it takes the write lock up front.
            case = await reports.insert_case(session, new, number=self._number)
            history = await reports.reporter_history(session, draft.reporter_id, exclude_case=case.id)
            known = await reports.known_indicators(session, pairs, exclude_reporter=draft.reporter_id)
            ids = await reports.upsert_indicators(session, pairs, now)
            await reports.link_indicators(session, case.id, ids.values())
            campaign_ids = await reports.campaigns_for_indicators(session, list(ids.values()), exclude_case=case.id)
            if print_ is not None:
                campaign_ids |= await self._similar_text_campaigns(session, print_, exclude_case=case.id)
                await reports.add_text_bands(session, case.id, print_.bands)
            campaign = await reports.attach_to_campaign(session, campaign_ids, now=now, scam_type=scam_type)
            credibility = score_report(
                ScoringInputs(
                    classifier_score=draft.assessment.score,
                    signals=draft.assessment.signals,
                    prior=tuple(
                        PriorIndicator(k.kind, k.provenance, k.other_reporters, k.removal_requested) for k in known
                    ),
                    texts=sum(1 for t in draft.evidence.texts if t.strip()),
                    links=len(draft.evidence.links),
                    files=len(draft.evidence.files),
                    money_details=money is not None and money.method is not None,
                    history=dict(history.by_status),
                ),
                cfg.weights,
            )
            forward, decision = self._decide(draft, credibility.score)
            reasons = (*credibility.reasons, decision)
            status = "forwarded" if forward else "received"
            await reports.set_case_assessment(
                session,
                case.id,
                status=status,
                credibility=credibility.score,
                reasons=[r.to_json() for r in reasons],
                forwarded_at=now if forward else None,
                campaign_id=campaign.id,
            )
            await reports.add_status_change(
                session, case.id, from_status=None, to_status=status, by=SYSTEM_ACTOR, now=now, notified=True
            )
            stored = await reports.get_case(session, case_id=case.id)
            assert stored is not None
            if forward:
                await self._enqueue(session, stored, "case.forwarded", now, campaign.report_count, sequence=1)
        log.info(
            "case %s stored: status=%s priority=%s routing=%s campaign=%s credibility=%.2f indicators=%d",
            stored.case_number,
            status,
            stored.priority,
            stored.routing,
            campaign.id,
            credibility.score,
            len(pairs),
        )
        return self._receipt(stored, campaign.report_count)

    def _decide(self, draft: ReportDraft, score: float) -> tuple[bool, Reason]:
        if not draft.share_with_authorities:
            return False, Reason("decision", 0.0, "kept: the reporter did not agree to share with the authorities")
        if draft.urgent:
            return True, Reason("decision", 0.0, "forwarded: urgent, threshold skipped")
        if score >= self._config.threshold:
            return True, Reason("decision", 0.0, f"forwarded: score reaches {self._config.threshold:.2f}")
        return False, Reason("decision", 0.0, f"kept for review: score below {self._config.threshold:.2f}")

    async def _similar_text_campaigns(
        self, session: AsyncSession, print_: TextFingerprint, *, exclude_case: int | None
    ) -> set[int]:
        candidates = await reports.text_candidates(session, print_.bands, exclude_case=exclude_case)
        return {
            campaign
            for _, campaign, signature in candidates
            if campaign is not None
            and signature is not None
            and similarity(signature, print_.signature) >= self._config.text_similarity
        }

    async def _enqueue(
        self,
        session: AsyncSession,
        case: CaseRecord,
        event: str,
        now: datetime,
        campaign_reports: int,
        *,
        sequence: int | None = None,
    ) -> int:
        targets = [s.name for s in self._config.sinks if s.accepts(case.routing)]
        if not targets:
            log.warning("case %s: no configured sink accepts routing %s", case.case_number, case.routing)
            return 0
        indicators = await reports.case_indicators(session, case.id)
        if sequence is None:
            sequence = await reports.next_sequence(session, case.id)
        payload = build_message(
            case,
            indicators=indicators,
            campaign_reports=campaign_reports,
            event=event,
            sequence=sequence,
            event_at=now,
        )
        priority = 0 if case.priority == "urgent" else 1
        await reports.enqueue(
            session,
            case.id,
            [reports.NewOutboxEntry(name, sequence, payload["idempotency_key"], priority, payload) for name in targets],
            now,
        )
        return len(targets)

    @staticmethod
    async def _campaign_reports(session: AsyncSession, campaign_id: int | None) -> int:
        if campaign_id is None:
            return 0
        return (await reports.campaign_reach(session, [campaign_id]))[0]

    @staticmethod
    def _receipt(case: CaseRecord, campaign_reports: int, *, duplicate: bool = False) -> CaseReceipt:
        return CaseReceipt(
            case_number=case.case_number,
            status=case.status,
            priority=case.priority,
            routing=case.routing,
            credibility=case.credibility,
            reasons=tuple(Reason(r["code"], r["points"], r.get("detail", "")) for r in case.credibility_reasons),
            forwarded=case.forwarded_at is not None,
            campaign_id=case.campaign_id,
            campaign_reports=campaign_reports,
            duplicate=duplicate,
        )

    # --- the check journey -------------------------------------------------------------

    async def lookup(self, kind: str, value: str) -> IndicatorInfo | None:
        """What is known about one phone, account, wallet, domain, link or handle.

        Args:
            kind: Indicator kind (see :data:`intake.indicators.INDICATOR_KINDS`).
            value: The value as typed or extracted; it is normalised first.

        Returns:
            Counts and provenance ("N people reported this; not verified"), or None if
            nobody reported it.

        Raises:
            ValueError: If the kind is unknown or the value cannot be one.
        """
        pair = parse_lookup(kind, value)
        async with self._db.session() as session:
            found = await reports.indicators_by_pairs(session, [pair])
        if not found or found[0].report_count == 0 and found[0].provenance != "confirmed":
            return None
        return _info(found[0])

    async def similar_reports(
        self, entities: Mapping[str, Sequence[str]], *, text: str | None = None
    ) -> SimilarReports:
        """Earlier reports matching a message's entities or its text.

        Args:
            entities: Extracted values by kind (the classifier's ``Entities.by_kind()``).
            text: The message text, to find near-identical reported messages.

        Returns:
            Reports and distinct reporters in the matching campaigns, and which of the
            message's indicators were reported before.
        """
        pairs = indicators_from_entities(entities, shared_domains=self._config.shared_domains)
        print_ = fingerprint(text) if text else None
        async with self._db.session() as session:
            found = [
                r
                for r in await reports.indicators_by_pairs(session, pairs)
                if r.report_count or r.provenance == "confirmed"
            ]
            campaigns = await reports.campaigns_for_indicators(session, [r.id for r in found])
            if print_ is not None:
                campaigns |= await self._similar_text_campaigns(session, print_, exclude_case=None)
            count, people = await reports.campaign_reach(session, campaigns)
        return SimilarReports(
            report_count=count,
            reporter_count=people,
            campaign_ids=tuple(sorted(campaigns)),
            indicators=tuple(_info(r) for r in found),
        )

    async def request_removal(self, kind: str, value: str) -> bool:
        """Ask for an indicator to be removed (e.g. "this is my number, not a scammer's").

        The indicator stays visible, marked as disputed, until an analyst confirms or
        removes it.

        Returns:
            False when no such indicator is stored.

        Raises:
            ValueError: If the kind or value is invalid.
        """
        pair = parse_lookup(kind, value)
        async with self._db.session() as session:
            found = await reports.request_indicator_removal(session, pair, self._now())
        log.info("removal requested for a %s indicator (found=%s)", kind, found)
        return found

    async def confirm_indicator(self, kind: str, value: str, *, by: str) -> bool:
        """An analyst confirms an indicator (provenance becomes ``confirmed``)."""
        pair = parse_lookup(kind, value)
        async with self._db.session() as session:
            found = await reports.confirm_indicator(session, pair, by=by, now=self._now())
        log.info("%s confirmed a %s indicator (found=%s)", by, kind, found)
        return found

    async def remove_indicator(self, kind: str, value: str, *, by: str) -> bool:
        """An analyst removes an indicator (the cases keep their evidence)."""
        pair = parse_lookup(kind, value)
        async with self._db.session() as session:
            found = await reports.delete_indicator(session, pair)
        log.info("%s removed a %s indicator (found=%s)", by, kind, found)
        return found

    # --- reporters ----------------------------------------------------------------------

    async def my_cases(self, reporter_id: int, *, limit: int = 20) -> tuple[CaseSummary, ...]:
        """The reporter's cases, newest first (for ``/mycases``)."""
        async with self._db.session() as session:
            rows = await reports.cases_for_reporter(session, reporter_id, limit=limit)
        return tuple(CaseSummary(r.case_number, r.created_at, r.status, r.priority, r.scam_type) for r in rows)

    async def pending_notices(self, *, limit: int = 100) -> tuple[Notice, ...]:
        """Status changes reporters were not told about yet, oldest first.

        The bot polls this, messages each reporter in their language, then calls
        :meth:`mark_notified`; changes made from the command line reach reporters so.
        """
        async with self._db.session() as session:
            rows = await reports.pending_notices(session, limit=limit)
        return tuple(Notice(r.id, r.case_number, r.reporter_id, r.language, r.to_status, r.changed_at) for r in rows)

    async def mark_notified(self, history_ids: Sequence[int]) -> None:
        """Record that reporters were told about these status changes."""
        async with self._db.session() as session:
            await reports.mark_notified(session, history_ids, self._now())

    # --- analysts -----------------------------------------------------------------------

    async def set_status(self, case_number: str, status: str, *, by: str, note: str | None = None) -> StatusChange:
        """Change a case's status, record who did it, and say whom to notify.

        Forwarding a case that was kept for review queues it for every sink (if the
        reporter agreed to share it); any other change of a forwarded case is sent on
        as ``case.status_changed``, after the earlier messages.

        Args:
            case_number: The public case number.
            status: One of :data:`intake.model.CASE_STATUSES`.
            by: The analyst (name or staff id), stored in the history.
            note: Optional note for the history (not sent to the reporter).

        Returns:
            The change, with the reporter's id and language to notify.

        Raises:
            ValueError: Unknown status, no change, or forwarding without consent.
            LookupError: No such case (:class:`storage.reports.CaseNotFoundError`).
        """
        if status not in CASE_STATUSES:
            raise ValueError(f"status {status!r} is not one of {', '.join(CASE_STATUSES)}")
        if not by or len(by) > 64:
            raise ValueError("by must name the analyst in 1-64 characters")
        if note is not None and len(note) > 500:
            raise ValueError("note must be at most 500 characters")
        now = self._now()
        async with self._db.session() as session:
            case = await reports.lock_case(session, case_number, now)
            if case.status == status:
                raise ValueError(f"case {case_number} is already {status}")
            forwarding = status == "forwarded" and case.forwarded_at is None
            if forwarding and not case.share_with_authorities:
                raise ValueError(f"case {case_number}: the reporter did not agree to share it with the authorities")
            await reports.set_case_status(session, case.id, status, now, forwarded_at=now if forwarding else None)
            if status == "rejected":
                await reports.adjust_indicator_counts(session, case.id, -1)
            elif case.status == "rejected":
                await reports.adjust_indicator_counts(session, case.id, +1)
            history_id = await reports.add_status_change(
                session, case.id, from_status=case.status, to_status=status, by=by, now=now, note=note
            )
            if forwarding or case.forwarded_at is not None:
                updated = await reports.get_case(session, case_id=case.id)
                assert updated is not None
                reach = await self._campaign_reports(session, updated.campaign_id)
                event = "case.forwarded" if forwarding else "case.status_changed"
                await self._enqueue(session, updated, event, now, reach)
        log.info("case %s: %s -> %s by %s", case_number, case.status, status, by)
        return StatusChange(
            case_number=case_number,
            from_status=case.status,
            to_status=status,
            reporter_id=case.reporter_id,
            language=case.language,
            history_id=history_id,
            forwarded=forwarding,
        )

    async def get_case(self, case_number: str) -> CaseDetail | None:
        """One case with its indicators, status history and deliveries, or None."""
        async with self._db.session() as session:
            case = await reports.get_case(session, case_number=case_number)
            if case is None:
                return None
            indicators = await reports.case_indicators(session, case.id)
            history = await reports.case_history(session, case.id)
            deliveries = await reports.case_outbox(session, case.id)
        return CaseDetail(case, tuple(_info(i) for i in indicators), tuple(history), tuple(deliveries))

    async def list_cases(
        self,
        *,
        status: str | None = None,
        routing: str | None = None,
        priority: str | None = None,
        since: datetime | None = None,
        limit: int | None = 50,
        offset: int = 0,
    ) -> tuple[CaseRecord, ...]:
        """Cases for analysts, urgent first, then newest first."""
        async with self._db.session() as session:
            rows = await reports.list_cases(
                session, status=status, routing=routing, priority=priority, since=since, limit=limit, offset=offset
            )
        return tuple(rows)

    async def case_indicators(self, case_ids: Sequence[int]) -> dict[int, tuple[IndicatorInfo, ...]]:
        """Indicators of several cases (for exports)."""
        out: dict[int, tuple[IndicatorInfo, ...]] = {}
        async with self._db.session() as session:
            for case_id in case_ids:
                out[case_id] = tuple(_info(i) for i in await reports.case_indicators(session, case_id))
        return out

    async def stats(self, *, since: datetime | None = None) -> IntakeStats:
        """Cases by scam type, language, ISO week, status and routing."""
        async with self._db.session() as session:
            rows = await reports.case_facets(session, since=since)
        by_type: Counter[str] = Counter()
        by_language: Counter[str] = Counter()
        by_week: Counter[str] = Counter()
        by_status: Counter[str] = Counter()
        by_routing: Counter[str] = Counter()
        urgent = 0
        for created, scam_type, language, status, routing, priority in rows:
            by_type[scam_type or "unknown"] += 1
            by_language[language] += 1
            by_week[iso_week(created)] += 1
            by_status[status] += 1
            by_routing[routing] += 1
            urgent += priority == "urgent"
        return IntakeStats(
            total=len(rows),
            by_type=dict(by_type.most_common()),
            by_language=dict(by_language.most_common()),
            by_week=dict(sorted(by_week.items())),
            by_status=dict(by_status.most_common()),
            by_routing=dict(by_routing.most_common()),
            urgent=urgent,
        )

    async def outbox_counts(self) -> reports.OutboxCounts:
        """What waits in the outbox, what keeps failing, what went out."""
        async with self._db.session() as session:
            return await reports.outbox_counts(session)

    async def purge_contacts(self, older_than: timedelta) -> int:
        """Erase reporters' contact details from cases older than ``older_than``.

        Also removes the contact from delivered copies of their messages in the outbox.

        Returns:
            How many cases had a contact erased.
        """
        if older_than < timedelta(0):
            raise ValueError("older_than must not be negative")
        now = self._now()
        async with self._db.session() as session:
            count = await reports.purge_contacts(session, before=now - older_than, now=now, scrub_payload=scrub_contact)
        log.info("purged reporter contact details from %d cases older than %s", count, older_than)
        return count


__all__ = [
    "CaseDetail",
    "CaseNotFoundError",
    "IntakeConfig",
    "IntakeService",
    "SinkRoute",
    "iso_week",
]
