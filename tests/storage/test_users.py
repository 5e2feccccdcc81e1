"""Users are remembered with their language and when they were seen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from storage import Database, UserRepository
from tests.storage.support import FakeClock

PHNOM_PENH = timezone(timedelta(hours=7))
BIG_ID = 7_123_456_789  # Telegram ids exceed 32 bits


async def test_first_touch_creates_the_user_in_telegram_language(db: Database, clock: FakeClock) -> None:
    users = UserRepository(db, clock=clock)

    record = await users.touch(BIG_ID, "km")

    assert record.user_id == BIG_ID
    assert record.language == "km"
    assert record.language_chosen is False
    assert record.created_at == record.last_seen_at == clock.now
    assert await users.get(BIG_ID) == record


async def test_later_touch_updates_last_seen_and_keeps_created(db: Database, clock: FakeClock) -> None:
    users = UserRepository(db, clock=clock)
    first = await users.touch(1, "en")
    later = clock.advance(hours=3)

    record = await users.touch(1, "ko")

    assert record.created_at == first.created_at
    assert record.last_seen_at == later
    assert record.language == "ko"  # not chosen yet: follows Telegram


async def test_touch_without_a_code_keeps_the_known_language(db: Database, clock: FakeClock) -> None:
    users = UserRepository(db, clock=clock)
    await users.touch(1, "ko")

    assert (await users.touch(1, None)).language == "ko"
    assert (await users.touch(1, "x" * 40)).language == "ko"  # implausible code ignored


async def test_chosen_language_wins_over_telegram(db: Database, clock: FakeClock) -> None:
    users = UserRepository(db, clock=clock)
    await users.touch(1, "en")

    chosen = await users.set_language(1, "km")
    after = await users.touch(1, "en")

    assert (chosen.language, chosen.language_chosen) == ("km", True)
    assert (after.language, after.language_chosen) == ("km", True)
    assert await users.get(1) == after


async def test_set_language_creates_an_unknown_user(db: Database, clock: FakeClock) -> None:
    users = UserRepository(db, clock=clock)

    record = await users.set_language(42, "ko")

    assert record.language == "ko" and record.language_chosen
    assert await users.count() == 1


async def test_get_unknown_user_and_count(db: Database) -> None:
    users = UserRepository(db)
    assert await users.get(404) is None
    assert await users.count() == 0

    for user_id in (1, 2, 3):
        await users.touch(user_id, None)
    await users.touch(2, "km")

    assert await users.count() == 3


async def test_timestamps_come_back_as_aware_utc(db: Database) -> None:
    local_noon = datetime(2025, 6, 1, 12, 0, tzinfo=PHNOM_PENH)
    users = UserRepository(db, clock=lambda: local_noon)

    await users.touch(1, "km")
    record = await users.get(1)

    assert record is not None
    assert record.created_at.utcoffset() == timedelta(0)
    assert record.created_at == local_noon  # same instant
    assert record.last_seen_at == datetime(2025, 6, 1, 5, 0, tzinfo=UTC)


async def test_real_clock_gives_aware_timestamps(db: Database) -> None:
    before = datetime.now(UTC)
    record = await UserRepository(db).touch(1, "en")
    assert record.created_at.tzinfo is not None
    assert before - timedelta(seconds=1) <= record.created_at <= datetime.now(UTC)


async def test_naive_timestamps_are_refused(db: Database) -> None:
    users = UserRepository(db, clock=lambda: datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="naive datetime"):
        await users.touch(1, "en")
    assert await users.count() == 0


@pytest.mark.parametrize("bad", ["", "   ", "x" * 17])
async def test_set_language_rejects_bad_codes(db: Database, bad: str) -> None:
    with pytest.raises(ValueError, match="language code"):
        await UserRepository(db).set_language(1, bad)


async def test_records_are_frozen_snapshots(db: Database) -> None:
    record = await UserRepository(db).touch(1, "en")
    with pytest.raises(AttributeError):
        record.language = "km"  # type: ignore[misc]
