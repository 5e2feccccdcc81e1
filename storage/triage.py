"""Analysts' triage: the queue of cases by priority and credibility, and merging campaigns.

Functions take an open session, like :mod:`storage.reports`, so the intake can compose
them; rows come back as :class:`storage.reports.CaseRecord`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Campaign, Case, ensure_aware
from storage.reports import CaseRecord, _case_record

_cases = cast(Table, Case.__table__)
_campaigns = cast(Table, Campaign.__table__)


class CampaignNotFoundError(LookupError):
    """No live campaign has the given id."""


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    """A campaign as the triage page lists it."""

    id: int
    report_count: int
    scam_type: str | None
    created_at: datetime
    last_report_at: datetime


async def triage_queue(
    session: AsyncSession,
    *,
    statuses: Collection[str] | None = None,
    scam_type: str | None = None,
    language: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[CaseRecord], int]:
    """Cases to look at: urgent first, then most credible, then oldest waiting; and how many match."""
    where: list[Any] = []
    if statuses:
        where.append(_cases.c.status.in_(sorted(statuses)))
    if scam_type is not None:
        where.append(_cases.c.scam_type == scam_type)
    if language is not None:
        where.append(_cases.c.language == language)
    total = int((await session.execute(select(func.count()).select_from(_cases).where(*where))).scalar_one())
    stmt = (
        select(_cases)
        .where(*where)
        .order_by(
            (_cases.c.priority == "urgent").desc(),
            _cases.c.credibility.desc(),
            _cases.c.created_at,
            _cases.c.id,
        )
        .limit(limit)
        .offset(offset)
    )
    return [_case_record(r) for r in await session.execute(stmt)], total


async def live_campaign(session: AsyncSession, campaign_id: int) -> CampaignSummary | None:
    """The campaign ``campaign_id`` ends up in (following merges), or None if there is none."""
    seen: set[int] = set()
    current: int | None = campaign_id
    while current is not None and current not in seen:
        seen.add(current)
        row = (await session.execute(select(_campaigns).where(_campaigns.c.id == current))).one_or_none()
        if row is None:
            return None
        if row.merged_into is None:
            return CampaignSummary(row.id, row.report_count, row.scam_type, row.created_at, row.last_report_at)
        current = row.merged_into
    return None


async def recent_campaigns(session: AsyncSession, *, limit: int = 20) -> list[CampaignSummary]:
    """Live campaigns with the latest reports first (merge targets to offer)."""
    stmt = (
        select(_campaigns)
        .where(_campaigns.c.merged_into.is_(None))
        .order_by(_campaigns.c.last_report_at.desc(), _campaigns.c.id.desc())
        .limit(limit)
    )
    return [
        CampaignSummary(r.id, r.report_count, r.scam_type, r.created_at, r.last_report_at)
        for r in await session.execute(stmt)
    ]


async def merge_case_into_campaign(session: AsyncSession, case_id: int, target_id: int, now: datetime) -> int:
    """Puts a case, with every case of its campaign, into the campaign ``target_id``.

    The case's old campaign (and any merged into it) then points at the target through
    ``merged_into``, as when a new report links two campaigns. Counts are recounted.

    Returns:
        The live campaign id the case is now in.

    Raises:
        CampaignNotFoundError: The target does not exist.
        ValueError: The case is already in that campaign.
    """
    now = ensure_aware(now)
    target = await live_campaign(session, target_id)
    if target is None:
        raise CampaignNotFoundError(f"no campaign {target_id}")
    source_id = (await session.execute(select(_cases.c.campaign_id).where(_cases.c.id == case_id))).scalar_one()
    source = await live_campaign(session, source_id) if source_id is not None else None
    if source is not None and source.id == target.id:
        raise ValueError(f"the case is already in campaign {target.id}")
    if source is None:
        await session.execute(update(_cases).where(_cases.c.id == case_id).values(campaign_id=target.id))
    else:
        await session.execute(update(_cases).where(_cases.c.campaign_id == source.id).values(campaign_id=target.id))
        await session.execute(
            update(_campaigns)
            .where(or_(_campaigns.c.id == source.id, _campaigns.c.merged_into == source.id))
            .values(merged_into=target.id, report_count=0)
        )
    latest = max(target.last_report_at, source.last_report_at) if source is not None else target.last_report_at
    cases_now = select(func.count()).select_from(_cases).where(_cases.c.campaign_id == target.id).scalar_subquery()
    await session.execute(
        update(_campaigns).where(_campaigns.c.id == target.id).values(report_count=cases_now, last_report_at=latest)
    )
    await session.execute(update(_cases).where(_cases.c.id == case_id).values(updated_at=now))
    return target.id
