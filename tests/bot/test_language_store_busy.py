"""A busy database must not cost the user an answer: the language is still chosen."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from handlers.language import UserLanguages


class BusyUsers:
    """A user store that is locked, as SQLite is during a burst of first contacts."""

    def __init__(self) -> None:
        self.touches = 0

    async def touch(self, user_id: int, telegram_language_code: str | None) -> object:
        self.touches += 1
        raise OperationalError("UPDATE users", {}, Exception("database is locked"))

    async def set_language(self, user_id: int, lang: str) -> object:
        raise OperationalError("UPDATE users", {}, Exception("database is locked"))


async def test_language_is_chosen_from_the_text_when_the_store_is_locked() -> None:
    users = BusyUsers()
    languages = UserLanguages(users)  # type: ignore[arg-type]
    assert await languages.resolve(1, text="택배 주소 확인해 주세요", telegram_code="en") == "ko"
    assert await languages.resolve(2, text="hello", telegram_code="km") == "km"
    assert await languages.resolve(2, text="hello again", telegram_code="km") == "km"
    assert users.touches >= 2  # it keeps trying to record the user on later messages
