"""Declarative models: the single source of truth for the schema.

Alembic migrations in ``storage/migrations`` must create exactly these tables; a test
compares them with autogenerate. New tables (reports, outbox, subscriptions) go in new
modules or here, each with its own migration revision.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    MetaData,
    String,
    TypeDecorator,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names, so later migrations can drop or alter them by name on
# both SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

LANGUAGE_MAX_LENGTH = 16


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python.

    PostgreSQL stores ``timestamptz``; SQLite has no time zones and would silently drop
    the offset, so values are converted to UTC on the way in and tagged UTC on the way
    out. Naive datetimes are rejected: their meaning is ambiguous.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else ensure_aware(value).astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def ensure_aware(value: datetime) -> datetime:
    """Return ``value`` unchanged, or raise ``ValueError`` if it has no time zone."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
    return value


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (the default clock)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of all models; its ``metadata`` is what Alembic compares against."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class DataKind(enum.StrEnum):
    """Which python-telegram-bot data dictionary a :class:`PersistedData` row holds."""

    USER = "user"
    CHAT = "chat"
    BOT = "bot"
    CALLBACK = "callback"


class User(Base):
    """A Telegram user who talked to the bot, and the language they read."""

    __tablename__ = "users"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str | None] = mapped_column(String(LANGUAGE_MAX_LENGTH))
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class ConversationState(Base):
    """The current state of one persistent ConversationHandler conversation."""

    __tablename__ = "conversation_states"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    # Canonical compact JSON of the key list, e.g. ``[-100123,42]``.
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[Any] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[datetime]


class PersistedData(Base):
    """One user_data / chat_data entry, or the bot_data / callback_data singleton."""

    __tablename__ = "persisted_data"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('user', 'chat', 'bot', 'callback')",
            name="kind",
        ),
    )

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    # User or chat id; 0 for the bot_data and callback_data singletons.
    owner_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[Any] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[datetime]
