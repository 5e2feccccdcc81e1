"""Submitting a report: one case, its outbox messages, consent and urgency honoured."""

from __future__ import annotations

import logging
from typing import cast

import pytest
from sqlalchemy import Table, func, select

from intake import Contact, Evidence, IntakeConfig, IntakeService, ReportDraft, SinkRoute, Situation
from storage import Database
from storage.models import Case, CaseStatusChange, Indicator, OutboxEntry
from tests.intake.factories import PRIZE_TEXT, contact, credible_draft, weak_draft
from tests.storage.support import FakeClock

_outbox = cast(Table, OutboxEntry.__table__)


async def _count(db: Database, model: type) -> int:
    async with db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _outbox_rows(db: Database) -> list[tuple[str, str, int, int]]:
    async with db.session() as session:
        rows = await session.execute(
            select(_outbox.c.sink, _outbox.c.idempotency_key, _outbox.c.sequence, _outbox.c.priority).order_by(
                _outbox.c.id
            )
        )
        return [tuple(r) for r in rows]


async def test_credible_report_becomes_one_forwarded_case_with_a_message_per_sink(
    service: IntakeService, db: Database
) -> None:
    receipt = await service.submit(credible_draft())

    assert receipt.case_number == "KH-2025-000001"
    assert (receipt.status, receipt.forwarded, receipt.priority) == ("forwarded", True, "normal")
    assert await _count(db, Case) == 1
    key = f"{receipt.case_number}:1"
    assert await _outbox_rows(db) == [("jsonl", key, 1, 1), ("webhook", key, 1, 1)]
    # The initial status is recorded, and the reporter already knows it (no notice pending).
    assert await _count(db, CaseStatusChange) == 1
    assert await service.pending_notices() == ()


async def test_case_numbers_count_up_with_the_year(service: IntakeService, clock: FakeClock) -> None:
    first = await service.submit(weak_draft())
    clock.advance(days=365)
    second = await service.submit(weak_draft())
    assert (first.case_number, second.case_number) == ("KH-2025-000001", "KH-2026-000002")


async def test_weak_report_is_kept_for_review_without_messages(service: IntakeService, db: Database) -> None:
    receipt = await service.submit(weak_draft())

    assert (receipt.status, receipt.forwarded) == ("received", False)
    assert receipt.reasons[-1].detail == "kept for review: score below 0.50"
    assert await _count(db, Case) == 1
    assert await _outbox_rows(db) == []


async def test_without_consent_to_share_nothing_leaves_even_when_credible(service: IntakeService, db: Database) -> None:
    receipt = await service.submit(credible_draft(share_with_authorities=False))

    assert (receipt.status, receipt.forwarded) == ("received", False)
    assert "did not agree to share" in receipt.reasons[-1].detail
    assert await _outbox_rows(db) == []


async def test_urgent_case_skips_the_threshold_and_goes_first(service: IntakeService, db: Database) -> None:
    await service.submit(credible_draft())
    urgent = await service.submit(
        weak_draft(
            urgent=True,
            korean_national=True,
            language="ko",
            situation=Situation(place="Compound near Bavet", people=3, passports_held=True),
        )
    )

    assert (urgent.status, urgent.priority, urgent.forwarded) == ("forwarded", "urgent", True)
    assert urgent.credibility < service.config.threshold
    assert urgent.routing == "both"  # a Korean national in danger in Cambodia: both sides act
    priorities = {key.split(":")[0]: prio for _, key, _, prio in await _outbox_rows(db)}
    assert priorities[urgent.case_number] == 0


async def test_the_same_submission_key_never_makes_a_second_case(service: IntakeService, db: Database) -> None:
    first = await service.submit(credible_draft(submission_key="conv-42-1"))
    again = await service.submit(credible_draft(submission_key="conv-42-1"))

    assert again.case_number == first.case_number
    assert (first.duplicate, again.duplicate) == (False, True)
    assert await _count(db, Case) == 1
    assert len(await _outbox_rows(db)) == 2


async def test_contact_is_kept_only_with_consent(service: IntakeService) -> None:
    with pytest.raises(ValueError, match="without contact_ok"):
        credible_draft(contact=contact())

    receipt = await service.submit(credible_draft(contact_ok=True, contact=contact()))
    detail = await service.get_case(receipt.case_number)
    assert detail is not None and detail.case.contact is not None
    assert detail.case.contact["value"] == "+85599111222"


async def test_sinks_only_get_the_routings_they_accept(db: Database, clock: FakeClock) -> None:
    config = IntakeConfig(sinks=(SinkRoute("jsonl"), SinkRoute("korea", frozenset({"kr"}))))
    service = IntakeService(db, config, clock=clock)

    khmer = await service.submit(credible_draft())
    korean = await service.submit(credible_draft(reporter_id=7, language="ko"))

    assert (khmer.routing, korean.routing) == ("kh", "both")
    sinks = [(sink, key.split(":")[0]) for sink, key, _, _ in await _outbox_rows(db)]
    assert sinks == [
        ("jsonl", khmer.case_number),
        ("jsonl", korean.case_number),
        ("korea", korean.case_number),
    ]


async def test_indicators_are_stored_once_and_counted(service: IntakeService, db: Database) -> None:
    await service.submit(credible_draft())
    await service.submit(credible_draft(reporter_id=101))

    assert await _count(db, Indicator) == 3  # phone, url and its domain
    info = await service.lookup("phone", "+855 12 345 678")
    assert info is not None and (info.report_count, info.reporter_count) == (2, 2)


async def test_logs_carry_no_reporter_data(service: IntakeService, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # the level the bot runs at
    secret_contact = Contact("phone", "+85570707070", safe_time="mornings", name="Sokha")
    draft = credible_draft(
        contact_ok=True,
        contact=secret_contact,
        evidence=Evidence(texts=(PRIZE_TEXT,), links=("https://aba-prize.xyz/claim",)),
    )
    receipt = await service.submit(draft)
    await service.set_status(receipt.case_number, "closed", by="analyst-1")
    await service.lookup("phone", "+85512345678")
    await service.request_removal("phone", "+85512345678")

    text = "\n".join(r.getMessage() for r in caplog.records)
    assert receipt.case_number in text  # the logs are useful ...
    for private in ("70707070", "12345678", "Sokha", "lucky draw", "aba-prize"):
        assert private not in text  # ... but hold no numbers, names or message words
    assert "70707070" not in repr(draft) and "lucky draw" not in repr(draft)


def test_draft_validation_names_the_problem() -> None:
    with pytest.raises(ValueError, match="relation 'cousin'"):
        ReportDraft(reporter_id=1, language="en", relation="cousin")
    with pytest.raises(ValueError, match="timezone-aware"):
        from datetime import datetime

        ReportDraft(reporter_id=1, language="en", occurred_at=datetime(2025, 1, 1))
