"""Triage for analysts (the web console): the queue, one case, status changes, merges, exports.

Status changes go through :meth:`intake.IntakeService.set_status`, so they are recorded
with who made them, forwarded to the sinks when needed, and told to the reporter by the
bot's status-notice loop. Exports leave out the reporter's id, contact and evidence texts
(:mod:`intake.export`).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from intake.export import case_row, to_csv
from intake.model import CASE_STATUSES
from intake.service import CaseDetail, IntakeService
from storage import triage
from storage.db import Database
from storage.models import utcnow
from storage.reports import CaseNotFoundError, CaseRecord
from storage.triage import CampaignNotFoundError, CampaignSummary

#: What "open" means on the queue: cases someone still has to act on.
OPEN_STATUSES: tuple[str, ...] = ("received", "under_review")
#: Longest export, so one click cannot pull the whole database into memory.
MAX_EXPORT = 5000

__all__ = [
    "CASE_STATUSES",
    "OPEN_STATUSES",
    "CampaignNotFoundError",
    "CampaignSummary",
    "CaseNotFoundError",
    "QueuePage",
    "TriageService",
]


@dataclass(frozen=True, slots=True)
class QueuePage:
    """One page of the triage queue."""

    cases: tuple[CaseRecord, ...]
    total: int
    offset: int
    limit: int


class TriageService:
    """What the triage pages call.

    Args:
        db: The database.
        intake: The intake service as the bot configured it (sinks, threshold).
    """

    def __init__(self, db: Database, intake: IntakeService) -> None:
        self._db = db
        self._intake = intake

    async def queue(
        self,
        *,
        statuses: Collection[str] | None = OPEN_STATUSES,
        scam_type: str | None = None,
        language: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> QueuePage:
        """Cases urgent first, then by credibility (highest first), then oldest first.

        Raises:
            ValueError: An unknown status.
        """
        if statuses is not None and (unknown := set(statuses) - set(CASE_STATUSES)):
            raise ValueError(f"unknown status {sorted(unknown)}; expected {', '.join(CASE_STATUSES)}")
        limit, offset = max(1, min(limit, 200)), max(0, offset)
        async with self._db.session() as session:
            cases, total = await triage.triage_queue(
                session, statuses=statuses, scam_type=scam_type, language=language, limit=limit, offset=offset
            )
        return QueuePage(tuple(cases), total, offset, limit)

    async def case(self, case_number: str) -> CaseDetail | None:
        """One case with evidence, indicators, score reasons, history and deliveries."""
        return await self._intake.get_case(case_number)

    async def campaign(self, campaign_id: int | None) -> CampaignSummary | None:
        """The live campaign a case belongs to (following merges)."""
        if campaign_id is None:
            return None
        async with self._db.session() as session:
            return await triage.live_campaign(session, campaign_id)

    async def campaigns(self, *, limit: int = 20) -> list[CampaignSummary]:
        """Campaigns with the latest reports, to merge into."""
        async with self._db.session() as session:
            return await triage.recent_campaigns(session, limit=limit)

    async def set_status(self, case_number: str, status: str, *, by: str, note: str | None = None) -> None:
        """Changes a case's status; the bot tells the reporter (see the module docstring).

        Raises:
            ValueError: Unknown status, no change, or forwarding without the reporter's consent.
            CaseNotFoundError: No such case.
        """
        await self._intake.set_status(case_number, status, by=by, note=note or None)

    async def merge(self, case_number: str, campaign_id: int) -> int:
        """Moves a case and the rest of its campaign into campaign ``campaign_id``; returns the campaign.

        Raises:
            CaseNotFoundError: No such case.
            CampaignNotFoundError: No such campaign.
            ValueError: Already in it.
        """
        detail = await self._intake.get_case(case_number)
        if detail is None:
            raise CaseNotFoundError(case_number)
        async with self._db.session() as session:
            return await triage.merge_case_into_campaign(session, detail.case.id, campaign_id, utcnow())

    async def export(self, *, statuses: Collection[str] | None = None, fmt: str = "csv") -> str:
        """The queue's cases as CSV or JSON (no reporter id, contact or evidence texts).

        Raises:
            ValueError: ``fmt`` is not ``csv`` or ``json``, or an unknown status.
        """
        if fmt not in ("csv", "json"):
            raise ValueError(f"format {fmt!r} must be csv or json")
        if statuses is not None and (unknown := set(statuses) - set(CASE_STATUSES)):
            raise ValueError(f"unknown status {sorted(unknown)}; expected {', '.join(CASE_STATUSES)}")
        async with self._db.session() as session:
            cases, _ = await triage.triage_queue(session, statuses=statuses, limit=MAX_EXPORT)
        rows = await self._rows(cases)
        if fmt == "csv":
            return to_csv(rows)
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"

    async def _rows(self, cases: Sequence[CaseRecord]) -> list[dict[str, Any]]:
        indicators = await self._intake.case_indicators([c.id for c in cases])
        return [case_row(c, indicators.get(c.id, ())) for c in cases]
