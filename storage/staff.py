"""Staff accounts and roles, login throttling, the audit log and published content versions.

Every change a staff member makes writes an audit row in the same transaction as the
change itself, so the log cannot miss a change that happened. Passwords arrive here
already hashed: this module never sees one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import (
    STAFF_ROLES,
    AuditEntry,
    ContentVersion,
    LoginAttempt,
    StaffAccount,
    utcnow,
)

__all__ = [
    "STAFF_ROLES",
    "AuditLog",
    "AuditRecord",
    "ContentVersionRecord",
    "ContentVersions",
    "LoginThrottle",
    "StaffError",
    "StaffRecord",
    "StaffRepository",
    "record_audit",
]


class StaffError(ValueError):
    """A staff change that cannot be made (unknown role, name taken, no such account)."""


@dataclass(frozen=True, slots=True)
class StaffRecord:
    """One staff account, without its password hash."""

    id: int
    username: str
    role: str
    telegram_id: int | None
    active: bool
    created_at: datetime
    disabled_at: datetime | None


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit-log row."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: Any


@dataclass(frozen=True, slots=True)
class ContentVersionRecord:
    """One published version of a content entry."""

    id: int
    file: str
    key: str
    data: Any
    published_at: datetime
    published_by: str
    action: str


def _staff(row: StaffAccount) -> StaffRecord:
    return StaffRecord(
        id=row.id,
        username=row.username,
        role=row.role,
        telegram_id=row.telegram_id,
        active=row.active,
        created_at=row.created_at,
        disabled_at=row.disabled_at,
    )


def record_audit(
    session: AsyncSession, *, at: datetime, actor: str, action: str, target: str, detail: Any = None
) -> None:
    """Adds an audit row to ``session``: call it inside the transaction that makes the change."""
    session.add(AuditEntry(at=at, actor=actor, action=action, target=target[:255], detail=detail))


class StaffRepository:
    """Create, read, disable staff accounts.

    Args:
        db: The database.
        clock: Returns the current aware datetime; tests pass a fake one.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def add(
        self, username: str, password_hash: str, role: str, *, telegram_id: int | None = None, actor: str
    ) -> StaffRecord:
        """Creates an active account.

        Raises:
            StaffError: if the role is unknown, or the username or Telegram id is taken.
        """
        if role not in STAFF_ROLES:
            raise StaffError(f"role must be one of {', '.join(STAFF_ROLES)}, not {role!r}")
        now = self._clock()
        row = StaffAccount(
            username=username,
            password_hash=password_hash,
            role=role,
            telegram_id=telegram_id,
            active=True,
            created_at=now,
        )
        try:
            async with self._db.session() as session:
                session.add(row)
                await session.flush()
                record_audit(
                    session,
                    at=now,
                    actor=actor,
                    action="staff.add",
                    target=f"staff:{username}",
                    detail={"role": role, "telegram_id": telegram_id},
                )
        except IntegrityError:
            raise StaffError(f"an account named {username!r} or with that Telegram id already exists") from None
        return _staff(row)

    async def get(self, account_id: int) -> StaffRecord | None:
        """The account with this id, or None."""
        async with self._db.session() as session:
            row = await session.get(StaffAccount, account_id)
            return None if row is None else _staff(row)

    async def credentials(self, username: str) -> tuple[StaffRecord, str] | None:
        """The account and its password hash, for checking a login; None if no such name."""
        async with self._db.session() as session:
            row = (await session.execute(select(StaffAccount).where(StaffAccount.username == username))).scalar()
            return None if row is None else (_staff(row), row.password_hash)

    async def set_password_hash(self, account_id: int, password_hash: str) -> None:
        """Replaces a hash (argon2 parameters were raised since it was made); not a staff change."""
        async with self._db.session() as session:
            row = await session.get(StaffAccount, account_id)
            if row is not None:
                row.password_hash = password_hash

    async def by_telegram_id(self, telegram_id: int) -> StaffRecord | None:
        """The account linked to this Telegram user id, active or not, or None."""
        async with self._db.session() as session:
            row = (await session.execute(select(StaffAccount).where(StaffAccount.telegram_id == telegram_id))).scalar()
            return None if row is None else _staff(row)

    async def list(self) -> list[StaffRecord]:
        """Every account, by username."""
        async with self._db.session() as session:
            rows = (await session.execute(select(StaffAccount).order_by(StaffAccount.username))).scalars()
            return [_staff(row) for row in rows]

    async def disable(self, username: str, *, actor: str) -> StaffRecord:
        """Disables an account: it can no longer log in, and its open sessions stop working.

        Raises:
            StaffError: if there is no such account.
        """
        now = self._clock()
        async with self._db.session() as session:
            row = (await session.execute(select(StaffAccount).where(StaffAccount.username == username))).scalar()
            if row is None:
                raise StaffError(f"no staff account named {username!r}")
            if row.active:
                row.active = False
                row.disabled_at = now
                record_audit(session, at=now, actor=actor, action="staff.disable", target=f"staff:{username}")
            return _staff(row)


class LoginThrottle:
    """Counts failed logins per username and per client address in a sliding window.

    Kept in the database so several console workers share one count.

    Args:
        db: The database.
        max_failures: Failures allowed in the window before logins are refused.
        window: Length of the window.
        clock: Returns the current aware datetime.
    """

    def __init__(
        self,
        db: Database,
        *,
        max_failures: int = 5,
        window: timedelta = timedelta(minutes=15),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self.max_failures = max_failures
        self.window = window
        self._clock = clock

    async def blocked(self, username: str, address: str) -> bool:
        """True when the username or the address had too many failures in the window."""
        since = self._clock() - self.window
        failed = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at > since, ~LoginAttempt.succeeded)
        async with self._db.session() as session:
            by_name = (await session.execute(failed.where(LoginAttempt.username == username))).scalar_one()
            by_address = (await session.execute(failed.where(LoginAttempt.address == address))).scalar_one()
        return by_name >= self.max_failures or by_address >= self.max_failures

    async def record(self, username: str, address: str, *, succeeded: bool) -> None:
        """Remembers one attempt and forgets attempts older than the window."""
        now = self._clock()
        async with self._db.session() as session:
            session.add(LoginAttempt(username=username[:64], address=address[:64], at=now, succeeded=succeeded))
            await session.execute(delete(LoginAttempt).where(LoginAttempt.at <= now - self.window))


class AuditLog:
    """Writes and reads the audit log (for changes that have no repository of their own)."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def record(self, actor: str, action: str, target: str, detail: Any = None) -> None:
        """Writes one row now, in its own transaction."""
        async with self._db.session() as session:
            record_audit(session, at=self._clock(), actor=actor, action=action, target=target, detail=detail)

    async def recent(self, limit: int = 100, *, target_prefix: str | None = None) -> list[AuditRecord]:
        """The newest rows first; only targets starting with ``target_prefix`` when given."""
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if target_prefix is not None:
            query = query.where(AuditEntry.target.startswith(target_prefix, autoescape=True))
        async with self._db.session() as session:
            rows = (await session.execute(query)).scalars()
            return [AuditRecord(r.id, r.at, r.actor, r.action, r.target, r.detail) for r in rows]


class ContentVersions:
    """Published versions of content entries, newest last; each publish is audited."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def publish(
        self,
        file: str,
        key: str,
        data: Any,
        *,
        actor: str,
        action: str = "publish",
        baseline: Any = None,
    ) -> ContentVersionRecord:
        """Records a new version (and, for an entry never versioned before, its ``baseline``).

        Args:
            file: Content file relative to the content folder, e.g. "km/articles.yml".
            key: Entry id, or "" for a whole-file entry.
            data: The entry as published (plain JSON data).
            actor: Username of the staff member.
            action: "publish" or "rollback".
            baseline: The entry as it was in the file before the console's first change;
                stored once as an "import" version so that it can be rolled back to.
        """
        now = self._clock()
        async with self._db.session() as session:
            has_history = (
                await session.execute(
                    select(func.count())
                    .select_from(ContentVersion)
                    .where(ContentVersion.file == file, ContentVersion.key == key)
                )
            ).scalar_one()
            if not has_history and baseline is not None:
                session.add(
                    ContentVersion(
                        file=file, key=key, data=baseline, published_at=now, published_by=actor, action="import"
                    )
                )
            row = ContentVersion(file=file, key=key, data=data, published_at=now, published_by=actor, action=action)
            session.add(row)
            await session.flush()
            record_audit(
                session,
                at=now,
                actor=actor,
                action=f"content.{action}",
                target=f"content:{file}#{key}",
                detail={"version": row.id},
            )
            return self._record(row)

    async def history(self, file: str, key: str) -> list[ContentVersionRecord]:
        """Every version of one entry, newest first."""
        query = (
            select(ContentVersion)
            .where(ContentVersion.file == file, ContentVersion.key == key)
            .order_by(ContentVersion.id.desc())
        )
        async with self._db.session() as session:
            return [self._record(r) for r in (await session.execute(query)).scalars()]

    async def get(self, version_id: int) -> ContentVersionRecord | None:
        """One version by id, or None."""
        async with self._db.session() as session:
            row = await session.get(ContentVersion, version_id)
            return None if row is None else self._record(row)

    async def last_published(self) -> dict[tuple[str, str], datetime]:
        """When each (file, key) was last changed by the console (imports excluded)."""
        query = (
            select(ContentVersion.file, ContentVersion.key, func.max(ContentVersion.published_at))
            .where(ContentVersion.action != "import")
            .group_by(ContentVersion.file, ContentVersion.key)
        )
        async with self._db.session() as session:
            return {(f, k): at for f, k, at in (await session.execute(query)).all()}

    @staticmethod
    def _record(row: ContentVersion) -> ContentVersionRecord:
        return ContentVersionRecord(
            id=row.id,
            file=row.file,
            key=row.key,
            data=row.data,
            published_at=row.published_at,
            published_by=row.published_by,
            action=row.action,
        )
