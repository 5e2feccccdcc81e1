"""The triage queue and merging campaigns, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from storage import Database
from storage.models import Campaign, Case
from storage.reports import attach_to_campaign, insert_case, set_case_status
from storage.triage import (
    CampaignNotFoundError,
    live_campaign,
    merge_case_into_campaign,
    recent_campaigns,
    triage_queue,
)
from tests.storage.test_events import _case

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)


async def _new(db: Database, minutes: int, *, credibility: float, priority: str = "normal") -> int:
    case = dataclasses.replace(_case(T0 + timedelta(minutes=minutes)), credibility=credibility, priority=priority)
    async with db.session() as session:
        return (await insert_case(session, case, number=lambda i, _: f"KH-T-{i:06d}")).id


async def test_the_queue_is_urgent_then_credible_then_oldest(db: Database) -> None:
    low = await _new(db, 0, credibility=0.2)
    high_late = await _new(db, 10, credibility=0.9)
    high_early = await _new(db, 5, credibility=0.9)
    urgent = await _new(db, 20, credibility=0.1, priority="urgent")
    closed = await _new(db, 1, credibility=0.95)
    async with db.session() as session:
        await set_case_status(session, closed, "closed", T0)
        cases, total = await triage_queue(session, statuses=("received",), limit=3)

    assert [c.id for c in cases] == [urgent, high_early, high_late]
    assert total == 4 and low not in [c.id for c in cases]


async def _campaign_of(db: Database, case_id: int, now: datetime) -> int:
    async with db.session() as session:
        record = await attach_to_campaign(session, [], now=now, scam_type="parcel")
        await session.execute(update(Case).where(Case.id == case_id).values(campaign_id=record.id))
    return record.id


async def test_merging_moves_the_whole_campaign_and_points_the_old_one_at_the_new(db: Database) -> None:
    a, b, c = [await _new(db, m, credibility=0.5) for m in (0, 1, 2)]
    target = await _campaign_of(db, a, T0)
    source = await _campaign_of(db, b, T0 + timedelta(days=1))
    async with db.session() as session:
        await session.execute(update(Case).where(Case.id == c).values(campaign_id=source))

    async with db.session() as session:
        into = await merge_case_into_campaign(session, b, target, T0 + timedelta(days=2))

    assert into == target
    async with db.session() as session:
        rows = {r.id: (r.merged_into, r.report_count) for r in (await session.execute(select(Campaign))).scalars()}
        merged_target = await live_campaign(session, source)
        live = await recent_campaigns(session)
    assert rows == {target: (None, 3), source: (target, 0)}
    assert merged_target is not None and merged_target.id == target
    assert merged_target.last_report_at == T0 + timedelta(days=1)
    assert [campaign.id for campaign in live] == [target]
    async with db.session() as session:
        with pytest.raises(ValueError, match="already in campaign"):
            await merge_case_into_campaign(session, c, source, T0)  # "source" now leads to the target
    async with db.session() as session:
        with pytest.raises(CampaignNotFoundError):
            await merge_case_into_campaign(session, a, 999_999, T0)
