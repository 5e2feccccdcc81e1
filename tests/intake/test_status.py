"""Analysts' status changes, reporters' notices, indicator provenance, contact retention."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from intake import Assessment, Dispatcher, Evidence, IntakeService, JsonlSink, ReportDraft, read_messages
from storage import Database
from storage.reports import CaseNotFoundError
from tests.intake.factories import contact, credible_draft, weak_draft
from tests.storage.support import FakeClock


async def test_a_status_change_is_recorded_and_says_whom_to_tell(service: IntakeService) -> None:
    receipt = await service.submit(credible_draft(reporter_id=55, language="km"))

    change = await service.set_status(receipt.case_number, "under_review", by="analyst-7", note="calling bank")

    assert (change.from_status, change.to_status) == ("forwarded", "under_review")
    assert (change.reporter_id, change.language) == (55, "km")
    detail = await service.get_case(receipt.case_number)
    assert detail is not None
    assert [(h.from_status, h.to_status, h.changed_by) for h in detail.history] == [
        (None, "forwarded", "intake"),
        ("forwarded", "under_review", "analyst-7"),
    ]
    assert [c.status for c in await service.my_cases(55)] == ["under_review"]


async def test_reporters_are_told_each_change_once(service: IntakeService) -> None:
    receipt = await service.submit(credible_draft(reporter_id=55))
    await service.set_status(receipt.case_number, "under_review", by="a")
    await service.set_status(receipt.case_number, "closed", by="a")

    notices = await service.pending_notices()
    assert [(n.case_number, n.reporter_id, n.status) for n in notices] == [
        (receipt.case_number, 55, "under_review"),
        (receipt.case_number, 55, "closed"),
    ]
    await service.mark_notified([n.history_id for n in notices])
    assert await service.pending_notices() == ()


async def test_forwarding_a_reviewed_case_queues_it_and_later_changes_follow(
    service: IntakeService, db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    kept = await service.submit(weak_draft())
    assert not kept.forwarded

    change = await service.set_status(kept.case_number, "forwarded", by="analyst")
    await service.set_status(kept.case_number, "closed", by="analyst")
    sink = JsonlSink(tmp_path / "out.jsonl")
    await Dispatcher(db, [sink], clock=clock).drain()

    assert change.forwarded
    events = [(m["sequence"], m["event"], m["case"]["status"]) for m in read_messages(sink.path)]
    assert events == [(1, "case.forwarded", "forwarded"), (2, "case.status_changed", "closed")]


async def test_status_changes_that_cannot_happen_are_refused(service: IntakeService) -> None:
    private = await service.submit(credible_draft(share_with_authorities=False))
    with pytest.raises(ValueError, match="did not agree to share"):
        await service.set_status(private.case_number, "forwarded", by="analyst")
    with pytest.raises(ValueError, match="already received"):
        await service.set_status(private.case_number, "received", by="analyst")
    with pytest.raises(ValueError, match="status 'done' is not one of"):
        await service.set_status(private.case_number, "done", by="analyst")
    with pytest.raises(CaseNotFoundError):
        await service.set_status("KH-2025-999999", "closed", by="analyst")


async def test_lookup_shows_provenance_and_disputes_honestly(service: IntakeService) -> None:
    assert await service.lookup("phone", "+85512345678") is None
    await service.submit(credible_draft())

    crowd = await service.lookup("phone", "+85512345678")
    assert crowd is not None and (crowd.provenance, crowd.removal_requested) == ("crowd", False)

    assert await service.request_removal("phone", "+855 12 345 678")
    disputed = await service.lookup("phone", "+85512345678")
    assert disputed is not None and disputed.removal_requested

    assert await service.confirm_indicator("phone", "+85512345678", by="analyst")
    confirmed = await service.lookup("phone", "+85512345678")
    assert confirmed is not None and (confirmed.provenance, confirmed.removal_requested) == ("confirmed", False)

    assert await service.remove_indicator("phone", "+85512345678", by="analyst")
    assert await service.lookup("phone", "+85512345678") is None
    assert not await service.request_removal("phone", "+85500000000")


async def test_confirmed_indicator_makes_a_later_report_credible(service: IntakeService) -> None:
    def plain_report(reporter_id: int) -> ReportDraft:
        return weak_draft(
            reporter_id=reporter_id,
            evidence=Evidence(texts=("He called from +855 12 345 678 and asked for my ABA PIN",)),
            assessment=Assessment(entities={"phone": ["+85512345678"]}),
        )

    await service.submit(credible_draft(reporter_id=1))
    before = await service.submit(plain_report(2))
    await service.confirm_indicator("phone", "+85512345678", by="analyst")
    after = await service.submit(plain_report(3))

    assert (before.forwarded, after.forwarded) == (False, True)
    assert "confirmed_indicator" in [r.code for r in after.reasons]


async def test_contact_details_are_purged_after_the_retention_period(
    service: IntakeService, db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    old = await service.submit(credible_draft(contact_ok=True, contact=contact()))
    sink = JsonlSink(tmp_path / "out.jsonl")
    await Dispatcher(db, [sink], clock=clock).drain()
    undelivered = await service.submit(credible_draft(reporter_id=8, contact_ok=True, contact=contact("+85566666666")))
    clock.advance(days=40)
    recent = await service.submit(credible_draft(reporter_id=9, contact_ok=True, contact=contact("+85588888888")))

    purged = await service.purge_contacts(timedelta(days=30))

    assert purged == 2
    old_case, recent_case = await service.get_case(old.case_number), await service.get_case(recent.case_number)
    assert old_case and recent_case
    assert old_case.case.contact is None and old_case.case.contact_purged_at == clock.now
    assert recent_case.case.contact is not None
    # The stored copy of the delivered message lost the contact too ...
    assert await _payload_contacts(db) == {
        old.case_number: None,
        undelivered.case_number: "+85566666666",  # still owed to the intake: sent as agreed
        recent.case_number: "+85588888888",
    }
    # ... and messages sent after the purge carry none.
    await service.set_status(old.case_number, "closed", by="analyst")
    await Dispatcher(db, [sink], clock=clock).drain()
    last = [m for m in read_messages(sink.path) if m["case"]["case_number"] == old.case_number][-1]
    assert (last["event"], last["case"]["reporter"]["contact"]) == ("case.status_changed", None)
    # Once delivered, the next purge removes the contact from the stored copy as well.
    assert await service.purge_contacts(timedelta(days=30)) == 0
    contacts = await _payload_contacts(db)
    assert (contacts[undelivered.case_number], contacts[recent.case_number]) == (None, "+85588888888")


async def _payload_contacts(db: Database) -> dict[str, str | None]:
    from sqlalchemy import select

    from storage.models import OutboxEntry

    async with db.session() as session:
        rows = await session.execute(select(OutboxEntry.payload).where(OutboxEntry.sink == "jsonl"))
        out = {}
        for (payload,) in rows:
            contact_ = payload["case"]["reporter"]["contact"]
            out[payload["case"]["case_number"]] = None if contact_ is None else contact_["value"]
        return out


async def test_stats_by_type_language_and_week(service: IntakeService, clock: FakeClock) -> None:
    await service.submit(credible_draft(language="km"))
    await service.submit(credible_draft(language="ko", scam_type="job_offer"))
    clock.advance(days=7)
    await service.submit(weak_draft(language="km", scam_type=None, urgent=True))

    stats = await service.stats()

    assert stats.total == 3 and stats.urgent == 1
    assert stats.by_type == {"phishing": 1, "job_offer": 1, "unknown": 1}
    assert stats.by_language == {"km": 2, "ko": 1}
    assert stats.by_week == {"2025-W09": 2, "2025-W10": 1}
    recent = await service.stats(since=clock.now - timedelta(days=1))
    assert recent.total == 1
