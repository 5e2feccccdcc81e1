"""Recording users: never on the reply path, never lost to a busy store, never an error for the user."""

from __future__ import annotations

import asyncio

from sqlalchemy.exc import OperationalError

from handlers.language import UserLanguages
from storage.db import Database
from storage.users import UserRepository


class BusyUsers:
    """A user store that is locked, as SQLite is during a burst of first contacts."""

    def __init__(self) -> None:
        self.writes = 0
        self.read_ids: list[int] = []

    async def get_many(self, user_ids: list[int]) -> object:
        self.read_ids.extend(user_ids)
        raise OperationalError("SELECT users", {}, Exception("database is locked"))

    async def touch_many(self, seen: dict[int, str | None]) -> None:
        self.writes += 1
        raise OperationalError("UPDATE users", {}, Exception("database is locked"))

    async def set_language(self, user_id: int, lang: str) -> object:
        raise OperationalError("UPDATE users", {}, Exception("database is locked"))


async def test_language_is_chosen_from_the_text_when_the_store_is_locked() -> None:
    users = BusyUsers()
    languages = UserLanguages(users, write_delay=0.01)  # type: ignore[arg-type]
    assert await languages.resolve(1, text="택배 주소 확인해 주세요", telegram_code="en") == "ko"
    assert await languages.resolve(2, text="hello", telegram_code="km") == "km"
    assert await languages.resolve(2, text="hello again", telegram_code="km") == "km"
    await asyncio.sleep(0.05)
    assert users.writes >= 1
    assert users.read_ids.count(2) == 2  # a failed read is tried again on the user's next message
    await languages.close()


async def test_new_users_are_written_together_after_the_replies(tmp_path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'users.sqlite3'}")
    await db.migrate()
    users = UserRepository(db)
    languages = UserLanguages(users, write_delay=60)
    try:
        for user_id in range(1, 51):
            assert await languages.resolve(user_id, text="안녕하세요", telegram_code="ko") == "ko"
        assert await users.count() == 0  # nothing written on the reply path

        await languages.close()

        assert await users.count() == 50
        assert (await users.get(7)).language == "ko"  # type: ignore[union-attr]
    finally:
        await db.dispose()


async def test_a_choice_made_before_a_restart_still_wins(tmp_path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'users.sqlite3'}")
    await db.migrate()
    try:
        await UserLanguages(UserRepository(db)).choose(5, "km")
        after_restart = UserLanguages(UserRepository(db))
        assert await after_restart.resolve(5, text="hello", telegram_code="en") == "km"
        await after_restart.close()
    finally:
        await db.dispose()
