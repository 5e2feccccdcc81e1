"""The sender against a fake Bot API server: pace, RetryAfter, blocked users, restarts, audience."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import insert
from telegram import Bot

from bot.broadcast import Broadcaster, BroadcastSettings, BroadcastSettingsError, broadcast_settings_from_env
from storage import Database
from storage.broadcasts import BroadcastRepository
from storage.models import Subscriber, SubscriptionTopic, utcnow
from storage.subscriptions import ALL_TOPICS, SubscriptionRepository
from tests.broadcast.fake_bot_api import FakeBotApi, running_fake_bot_api
from tests.storage.support import Target

TEXTS = {"km": "ប្រយ័ត្នការបោកប្រាស់ការងារ", "ko": "취업 사기 주의", "en": "Beware of fake jobs"}
#: The defaults (26/s, at most 29 in a second, against Telegram's 30) scaled to 50/s for short tests.
FAST = BroadcastSettings(rate=50, max_per_second=56, batch_size=10, poll_interval=0.05)


async def add_subscribers(db: Database, user_ids: range, *, language: str = "en", topic: str = ALL_TOPICS) -> None:
    """Many subscribers in one transaction (the repository writes one at a time)."""
    now = utcnow()
    async with db.session() as session:
        await session.execute(
            insert(Subscriber),
            [{"user_id": u, "language": language, "created_at": now, "updated_at": now} for u in user_ids],
        )
        await session.execute(
            insert(SubscriptionTopic), [{"user_id": u, "topic": topic, "created_at": now} for u in user_ids]
        )


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with running_fake_bot_api(latency=0.005) as server:
        yield server


async def bot_for(api: FakeBotApi) -> Bot:
    bot = Bot("123:fake", base_url=api.base_url)
    await bot.initialize()
    return bot


async def send_all(bot: Bot, db: Database, settings: BroadcastSettings = FAST) -> BroadcastRepository:
    alerts = BroadcastRepository(db)
    sender = Broadcaster(bot, alerts, settings=settings)
    while await sender.run_once():
        pass
    return alerts


async def test_sending_stays_under_the_rate_and_reaches_everyone_once(db: Database, api: FakeBotApi) -> None:
    await add_subscribers(db, range(1, 101))
    alert_id = await BroadcastRepository(db).create_alert(texts=TEXTS, created_by="staff")
    # Telegram's 30/s over the default 26/s, scaled to 50/s so the test takes 2 s instead of 4.
    api.limit = round(50 * 30 / 26)

    started = time.monotonic()
    alerts = await send_all(await bot_for(api), db)
    elapsed = time.monotonic() - started

    assert api.stats.too_many == 0
    assert api.stats.duplicates == 0
    assert api.chats() == set(range(1, 101))
    assert elapsed >= 99 / 50 * 0.95  # paced, not bursted
    progress = await alerts.alert_progress(alert_id)
    assert (progress.state, progress.recipients, progress.sent, progress.pending) == ("done", 100, 100, 0)


async def test_retry_after_is_waited_out_then_the_message_is_sent(db: Database, api: FakeBotApi) -> None:
    await add_subscribers(db, range(1, 6))
    alert_id = await BroadcastRepository(db).create_alert(texts=TEXTS, created_by="staff")
    api.force_429, api.retry_after = 1, 1
    first_accepted: list[float] = []
    api.on_message = lambda chat, text: first_accepted.append(time.time())

    # One message in flight: no other message is on its way when the 429 comes back (one that
    # is cannot be called back, with Telegram either).
    settings = BroadcastSettings(rate=10, concurrency=1, poll_interval=0.05)
    alerts = await send_all(await bot_for(api), db, settings)

    assert api.stats.too_many == 1
    assert min(first_accepted) - api.too_many_at[0] >= 0.95  # Telegram asked for 1 s
    assert api.chats() == set(range(1, 6))
    assert api.stats.duplicates == 0
    assert (await alerts.alert_progress(alert_id)).sent == 5


async def test_users_who_blocked_the_bot_are_unsubscribed(db: Database, api: FakeBotApi) -> None:
    await add_subscribers(db, range(1, 6))
    alert_id = await BroadcastRepository(db).create_alert(texts=TEXTS, created_by="staff")
    api.blocked = {2, 4}

    alerts = await send_all(await bot_for(api), db)

    progress = await alerts.alert_progress(alert_id)
    assert (progress.sent, progress.blocked) == (3, 2)
    subscriptions = SubscriptionRepository(db)
    assert await subscriptions.get(2) is None and await subscriptions.get(4) is None
    assert await subscriptions.get(1) is not None
    # The next alert does not even try them.
    await BroadcastRepository(db).create_alert(texts=TEXTS, created_by="staff")
    api.stats.forbidden = 0
    await send_all(await bot_for(api), db)
    assert api.stats.forbidden == 0


async def test_each_subscriber_gets_their_language_and_only_their_topics(db: Database, api: FakeBotApi) -> None:
    subscriptions = SubscriptionRepository(db)
    await subscriptions.subscribe(1, language="km", topics=["job_offer"])
    await subscriptions.subscribe(2, language="ko", topics=[ALL_TOPICS])
    await subscriptions.subscribe(3, language="en", topics=["romance"])
    await subscriptions.subscribe(4, language="ko", topics=["job_offer"])
    await BroadcastRepository(db).create_alert(
        texts=TEXTS, audience_languages={"km", "ko"}, topic="job_offer", created_by="staff"
    )

    await send_all(await bot_for(api), db)

    assert api.texts_for(1) == [TEXTS["km"]]
    assert api.texts_for(2) == [TEXTS["ko"]]
    assert api.texts_for(4) == [TEXTS["ko"]]
    assert api.texts_for(3) == []


async def test_stopped_sender_resumes_on_restart_without_duplicates(db_target: Target, api: FakeBotApi) -> None:
    db = db_target.open()
    await db.migrate()
    await add_subscribers(db, range(1, 81))
    alert_id = await BroadcastRepository(db).create_alert(texts=TEXTS, created_by="staff")
    stop = asyncio.Event()
    api.on_message = lambda chat, text: stop.set() if api.stats.accepted >= 30 else None

    first = Broadcaster(await bot_for(api), BroadcastRepository(db), settings=FAST)
    await first.run_once(stop)
    halfway = await BroadcastRepository(db).alert_progress(alert_id)
    await db.dispose()

    assert 30 <= halfway.sent < 80 and halfway.state == "sending"
    assert halfway.sending == 0 and halfway.unknown == 0  # a clean stop gives back what it did not send

    # A new process: new database connection, new sender name.
    db = db_target.open()
    api.on_message = None
    alerts = await send_all(await bot_for(api), db)
    progress = await alerts.alert_progress(alert_id)
    await db.dispose()

    assert api.stats.duplicates == 0
    assert api.chats() == set(range(1, 81))
    assert (progress.state, progress.sent, progress.unknown) == ("done", 80, 0)


async def test_killed_sender_never_sends_twice(db_target: Target, api: FakeBotApi) -> None:
    db = db_target.open()
    await db.migrate()
    await add_subscribers(db, range(1, 61))
    alert_id = await BroadcastRepository(db).create_alert(texts=TEXTS, created_by="staff")
    short_lease = BroadcastSettings(rate=50, max_per_second=56, batch_size=10, poll_interval=0.05, lease=1.0)
    killed = asyncio.Event()
    api.on_message = lambda chat, text: killed.set() if api.stats.accepted >= 25 else None

    first = Broadcaster(await bot_for(api), BroadcastRepository(db), settings=short_lease)
    task = asyncio.create_task(first.run_once())
    await killed.wait()
    task.cancel()  # no clean stop: claims are left in the store as the process would leave them
    with pytest.raises(asyncio.CancelledError):
        await task
    await db.dispose()

    db = db_target.open()
    api.on_message = None
    second = Broadcaster(await bot_for(api), BroadcastRepository(db), settings=short_lease)
    assert not await second.run_once()  # the dead sender's lease still holds
    await asyncio.sleep(1.1)
    while await second.run_once():
        pass
    progress = await BroadcastRepository(db).alert_progress(alert_id)
    await db.dispose()

    assert api.stats.duplicates == 0
    assert progress.state == "done"
    assert progress.sent + progress.unknown == 60
    assert progress.sent <= len(api.chats()) <= progress.sent + progress.unknown


async def test_cancelled_alert_stops_sending(db: Database, api: FakeBotApi) -> None:
    await add_subscribers(db, range(1, 61))
    alerts = BroadcastRepository(db)
    alert_id = await alerts.create_alert(texts=TEXTS, created_by="staff")
    cancelled = asyncio.Event()
    api.on_message = lambda chat, text: cancelled.set() if api.stats.accepted == 10 else None
    sender = Broadcaster(await bot_for(api), alerts, settings=FAST)

    async def cancel_when_told() -> None:
        await cancelled.wait()
        await alerts.cancel_alert(alert_id, cancelled_by="staff")

    await asyncio.gather(sender.run_once(), cancel_when_told())

    progress = await alerts.alert_progress(alert_id)
    assert progress.state == "cancelled"
    assert progress.sent < 60 and progress.cancelled > 0
    assert progress.sent == api.stats.accepted


def test_settings_from_the_environment_name_the_bad_variable() -> None:
    assert broadcast_settings_from_env({"BROADCAST_RATE": "20"}).rate == 20
    assert broadcast_settings_from_env({}).rate == 26
    with pytest.raises(BroadcastSettingsError, match="BROADCAST_RATE='fast'"):
        broadcast_settings_from_env({"BROADCAST_RATE": "fast"})
    with pytest.raises(BroadcastSettingsError, match="BROADCAST_CONCURRENCY='0'"):
        broadcast_settings_from_env({"BROADCAST_CONCURRENCY": "0"})
