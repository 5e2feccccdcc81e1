"""Who talks to the bot, and which language they read."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage._upsert import upsert
from storage.db import Database
from storage.models import LANGUAGE_MAX_LENGTH, User, ensure_aware, utcnow

_users = cast(Table, User.__table__)
#: Rows per statement in the batch methods (SQLite allows 32,766 bound parameters).
_ROWS_PER_STATEMENT = 1000


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A snapshot of one user row; safe to keep after the session closed.

    Attributes:
        user_id: Telegram user id.
        language: Language code to answer in, or ``None`` if still unknown.
        language_chosen: ``True`` once the user picked the language explicitly; from
            then on Telegram's language code no longer changes it.
        created_at: First contact (aware UTC).
        last_seen_at: Latest contact (aware UTC).
    """

    user_id: int
    language: str | None
    language_chosen: bool
    created_at: datetime
    last_seen_at: datetime


def _record(user: User) -> UserRecord:
    return UserRecord(
        user_id=user.user_id,
        language=user.language,
        language_chosen=user.language_chosen,
        created_at=user.created_at,
        last_seen_at=user.last_seen_at,
    )


def _clean_code(code: str | None) -> str | None:
    """Telegram's code as stored, or ``None`` when absent or implausible."""
    if code is None:
        return None
    code = code.strip().lower()
    if not code or len(code) > LANGUAGE_MAX_LENGTH:
        return None
    return code


class UserRepository:
    """Create, update and read :class:`UserRecord` rows.

    Args:
        db: The database.
        clock: Returns the current aware datetime; tests pass a fake one.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def touch(self, user_id: int, telegram_language_code: str | None) -> UserRecord:
        """Record that the user was seen now, creating them on first contact.

        Until the user chooses a language with :meth:`set_language`, ``language`` follows
        the code Telegram reports (a missing or implausible code keeps the stored one).

        Args:
            user_id: Telegram user id.
            telegram_language_code: ``User.language_code`` from Telegram, or ``None``.

        Returns:
            The user after the update.
        """
        async with self._db.session() as session:
            await session.execute(self._touch_statement(session), self._touch_rows({user_id: telegram_language_code}))
            return await self._load(session, user_id)

    async def touch_many(self, seen: Mapping[int, str | None]) -> None:
        """Like :meth:`touch` for many users at once, in one transaction.

        One statement executed with many rows: compiled once for the life of the process
        (a statement with the rows in it was compiled anew for every batch size).

        Args:
            seen: Telegram user id -> ``User.language_code`` (or ``None``).
        """
        if not seen:
            return
        async with self._db.session() as session:
            await session.execute(self._touch_statement(session), self._touch_rows(seen))

    def _touch_rows(self, seen: Mapping[int, str | None]) -> list[dict[str, Any]]:
        now = ensure_aware(self._clock())
        return [
            {
                "user_id": user_id,
                "language": _clean_code(code),
                "language_chosen": False,
                "created_at": now,
                "last_seen_at": now,
            }
            for user_id, code in sorted(seen.items())  # one lock order for concurrent writers
        ]

    def _touch_statement(self, session: AsyncSession) -> Any:
        """The upsert of "seen now"; the rows (`_touch_rows`) are passed when it is executed."""
        return upsert(
            session,
            _users,
            None,
            conflict=["user_id"],
            update=lambda new: {
                "last_seen_at": new.last_seen_at,
                "language": case(
                    (_users.c.language_chosen, _users.c.language),
                    else_=func.coalesce(new.language, _users.c.language),
                ),
            },
        )

    async def set_language(self, user_id: int, lang: str) -> UserRecord:
        """Store the language the user picked; it wins over Telegram's from now on.

        Args:
            user_id: Telegram user id (created if unknown).
            lang: Language code such as ``"km"``, ``"ko"`` or ``"en"``.

        Returns:
            The user after the update.

        Raises:
            ValueError: If ``lang`` is empty or longer than 16 characters.
        """
        if not lang or not lang.strip() or len(lang) > LANGUAGE_MAX_LENGTH:
            raise ValueError(f"language code {lang!r} must be 1-{LANGUAGE_MAX_LENGTH} non-blank characters")
        now = ensure_aware(self._clock())
        async with self._db.session() as session:
            stmt = upsert(
                session,
                _users,
                {
                    "user_id": user_id,
                    "language": lang,
                    "language_chosen": True,
                    "created_at": now,
                    "last_seen_at": now,
                },
                conflict=["user_id"],
                update=lambda new: {
                    "language": new.language,
                    "language_chosen": new.language_chosen,
                    "last_seen_at": new.last_seen_at,
                },
            )
            await session.execute(stmt)
            return await self._load(session, user_id)

    async def get(self, user_id: int) -> UserRecord | None:
        """Return the user, or ``None`` if they never talked to the bot."""
        async with self._db.session() as session:
            user = await session.get(User, user_id)
            return None if user is None else _record(user)

    async def get_many(self, user_ids: Iterable[int]) -> dict[int, UserRecord]:
        """Return the known users among ``user_ids`` (unknown ids are left out)."""
        ids = sorted(set(user_ids))
        found: dict[int, UserRecord] = {}
        async with self._db.session() as session:
            for start in range(0, len(ids), _ROWS_PER_STATEMENT):
                chunk = ids[start : start + _ROWS_PER_STATEMENT]
                found.update(
                    {
                        user.user_id: _record(user)
                        for user in await session.scalars(select(User).where(User.user_id.in_(chunk)))
                    }
                )
        return found

    async def count(self) -> int:
        """Return how many users the bot has seen."""
        async with self._db.session() as session:
            return int(await session.scalar(select(func.count()).select_from(User)) or 0)

    @staticmethod
    async def _load(session: AsyncSession, user_id: int) -> UserRecord:
        # populate_existing: the identity map may hold the row from before the upsert.
        user = await session.get(User, user_id, populate_existing=True)
        if user is None:  # pragma: no cover - the upsert just wrote it
            raise RuntimeError(f"user {user_id} vanished after upsert")
        return _record(user)
