"""Subscriptions and alerts in the store: audience, progress, cancelling, and the sender's claims."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import Database, UserRepository
from storage.broadcasts import (
    AlertNotFoundError,
    BroadcastRepository,
    DeliveryResult,
    DeliveryStatus,
)
from storage.subscriptions import ALL_TOPICS, SubscriptionRepository
from tests.storage.support import FakeClock

TEXTS = {"km": "ប្រយ័ត្ន!", "ko": "조심하세요!", "en": "Watch out!"}
LEASE = timedelta(seconds=30)
BIG_ID = 7_123_456_789


async def test_subscribe_adds_topics_and_unsubscribe_removes_them(db: Database, clock: FakeClock) -> None:
    subs = SubscriptionRepository(db, clock=clock)

    await subs.subscribe(BIG_ID, language="km", topics=["romance"])
    both = await subs.subscribe(BIG_ID, language="ko", topics=["job_offer", "romance"])

    assert both.topics == {"romance", "job_offer"}
    assert both.language == "ko"
    assert (await subs.unsubscribe(BIG_ID, ["romance"])).topics == {"job_offer"}  # type: ignore[union-attr]
    assert await subs.unsubscribe(BIG_ID, ["job_offer"]) is None
    assert await subs.get(BIG_ID) is None


async def test_subscribe_rejects_bad_input(db: Database) -> None:
    subs = SubscriptionRepository(db)
    with pytest.raises(ValueError, match="at least one topic"):
        await subs.subscribe(1, language="en", topics=[])
    with pytest.raises(ValueError, match="topic"):
        await subs.subscribe(1, language="en", topics=["x" * 65])
    with pytest.raises(ValueError, match="language"):
        await subs.subscribe(1, language="", topics=[ALL_TOPICS])


async def test_create_alert_needs_a_text_for_every_audience_language(db: Database) -> None:
    alerts = BroadcastRepository(db)
    with pytest.raises(ValueError, match="km, ko"):
        await alerts.create_alert(texts={"en": "hi"}, created_by="staff")
    with pytest.raises(ValueError, match="ko"):
        await alerts.create_alert(texts={"en": "hi", "ko": "  "}, audience_languages={"ko"}, created_by="staff")
    with pytest.raises(ValueError, match="3500"):
        await alerts.create_alert(texts={"en": "x" * 5000}, audience_languages={"en"}, created_by="staff")
    with pytest.raises(ValueError, match="fr"):
        await alerts.create_alert(texts={"fr": "salut"}, audience_languages={"fr"}, created_by="staff")

    alert_id = await alerts.create_alert(texts={"en": " hi "}, audience_languages={"en"}, created_by="staff")
    record = await alerts.get_alert(alert_id)
    assert record is not None
    assert record.texts == {"en": "hi"}
    assert record.audience_languages == {"en"}
    assert record.state == "scheduled"


async def test_audience_is_the_topic_and_language_and_each_reads_their_language(db: Database, clock: FakeClock) -> None:
    subs = SubscriptionRepository(db, clock=clock)
    await subs.subscribe(1, language="km", topics=[ALL_TOPICS])
    await subs.subscribe(2, language="ko", topics=["romance"])
    await subs.subscribe(3, language="en", topics=["job_offer"])
    await subs.subscribe(4, language="en", topics=["romance", ALL_TOPICS])
    await subs.subscribe(5, language="km", topics=["romance"])
    await UserRepository(db, clock=clock).set_language(5, "en")  # chose English later with /language
    alerts = BroadcastRepository(db, clock=clock)

    romance = await alerts.create_alert(texts=TEXTS, topic="romance", created_by="staff")
    general_ko = await alerts.create_alert(texts=TEXTS, audience_languages={"ko", "km"}, created_by="staff")

    assert await subs.count(topic="romance") == 4
    assert await subs.count(languages={"ko", "km"}) == 1

    taken = await alerts.take_due_alert("w1", lease=LEASE)
    assert taken is not None and taken.alert_id == romance
    batch = await alerts.next_batch(romance, "w1", size=100, lease=LEASE)
    assert batch is not None
    assert {(d.user_id, d.language) for d in batch} == {(1, "km"), (2, "ko"), (4, "en"), (5, "en")}
    await alerts.record(romance, [DeliveryResult(d.user_id, DeliveryStatus.SENT) for d in batch])
    assert await alerts.next_batch(romance, "w1", size=100, lease=LEASE) == []
    assert await alerts.finish(romance, "w1")

    taken = await alerts.take_due_alert("w1", lease=LEASE)
    assert taken is not None and taken.alert_id == general_ko
    batch = await alerts.next_batch(general_ko, "w1", size=100, lease=LEASE)
    assert [d.user_id for d in batch or []] == [1]

    progress = await alerts.alert_progress(romance)
    assert (progress.state, progress.recipients, progress.sent, progress.pending) == ("done", 4, 4, 0)


async def test_scheduled_alert_waits_for_its_time(db: Database, clock: FakeClock) -> None:
    await SubscriptionRepository(db, clock=clock).subscribe(1, language="en", topics=[ALL_TOPICS])
    alerts = BroadcastRepository(db, clock=clock)
    alert_id = await alerts.create_alert(texts=TEXTS, send_at=clock.now + timedelta(minutes=10), created_by="staff")

    assert await alerts.take_due_alert("w1", lease=LEASE) is None
    clock.advance(minutes=10)
    taken = await alerts.take_due_alert("w1", lease=LEASE)
    assert taken is not None and taken.alert_id == alert_id


async def test_only_one_sender_holds_an_alert_until_its_lease_ends(db: Database, clock: FakeClock) -> None:
    subs = SubscriptionRepository(db, clock=clock)
    for user_id in range(1, 6):
        await subs.subscribe(user_id, language="en", topics=[ALL_TOPICS])
    alerts = BroadcastRepository(db, clock=clock)
    alert_id = await alerts.create_alert(texts=TEXTS, created_by="staff")

    assert await alerts.take_due_alert("w1", lease=LEASE) is not None
    first = await alerts.next_batch(alert_id, "w1", size=2, lease=LEASE)
    assert await alerts.take_due_alert("w2", lease=LEASE) is None

    # w1 dies after sending its batch and before recording it; its lease runs out.
    clock.advance(seconds=31)
    taken = await alerts.take_due_alert("w2", lease=LEASE)
    assert taken is not None and taken.taken_over == 2
    assert await alerts.next_batch(alert_id, "w1", size=2, lease=LEASE) is None  # w1 lost it
    rest = await alerts.next_batch(alert_id, "w2", size=10, lease=LEASE)

    assert {d.user_id for d in first or []}.isdisjoint(d.user_id for d in rest or [])
    assert len(rest or []) == 3
    progress = await alerts.alert_progress(alert_id)
    assert (progress.unknown, progress.sending, progress.pending) == (2, 3, 0)


async def test_blocked_recipients_are_unsubscribed(db: Database, clock: FakeClock) -> None:
    subs = SubscriptionRepository(db, clock=clock)
    await subs.subscribe(1, language="en", topics=[ALL_TOPICS])
    await subs.subscribe(2, language="en", topics=[ALL_TOPICS])
    alerts = BroadcastRepository(db, clock=clock)
    alert_id = await alerts.create_alert(texts=TEXTS, created_by="staff")
    await alerts.take_due_alert("w1", lease=LEASE)
    await alerts.next_batch(alert_id, "w1", size=10, lease=LEASE)

    await alerts.record(
        alert_id,
        [DeliveryResult(1, DeliveryStatus.BLOCKED, "Forbidden"), DeliveryResult(2, DeliveryStatus.SENT)],
    )

    assert await subs.get(1) is None
    assert await subs.get(2) is not None
    assert (await alerts.alert_progress(alert_id)).blocked == 1


async def test_cancel_stops_pending_deliveries(db: Database, clock: FakeClock) -> None:
    subs = SubscriptionRepository(db, clock=clock)
    for user_id in range(1, 4):
        await subs.subscribe(user_id, language="en", topics=[ALL_TOPICS])
    alerts = BroadcastRepository(db, clock=clock)
    alert_id = await alerts.create_alert(texts=TEXTS, created_by="staff")
    await alerts.take_due_alert("w1", lease=LEASE)
    await alerts.next_batch(alert_id, "w1", size=1, lease=LEASE)

    assert await alerts.cancel_alert(alert_id, cancelled_by="boss")
    assert not await alerts.cancel_alert(alert_id, cancelled_by="boss")
    assert await alerts.next_batch(alert_id, "w1", size=1, lease=LEASE) is None
    progress = await alerts.alert_progress(alert_id)
    assert (progress.state, progress.cancelled, progress.sending) == ("cancelled", 2, 1)
    with pytest.raises(AlertNotFoundError):
        await alerts.cancel_alert(999, cancelled_by="boss")


async def test_list_alerts_newest_first_with_progress(db: Database, clock: FakeClock) -> None:
    alerts = BroadcastRepository(db, clock=clock)
    first = await alerts.create_alert(texts=TEXTS, created_by="a")
    second = await alerts.create_alert(texts=TEXTS, topic="loan", created_by="b")

    listed = await alerts.list_alerts()

    assert [a.id for a in listed] == [second, first]
    assert listed[0].topic == "loan" and listed[0].progress.recipients == 0
    assert [a.id for a in await alerts.list_alerts(states=["done"])] == []
