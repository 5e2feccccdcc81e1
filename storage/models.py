"""Declarative models: the single source of truth for the schema.

Alembic migrations in ``storage/migrations`` must create exactly these tables; a test
compares them with autogenerate. New tables (reports, outbox, subscriptions) go in new
modules or here, each with its own migration revision.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
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


# --- intake: reports (cases), indicators, campaigns, outbox -----------------------------

CASE_STATUSES = ("received", "forwarded", "under_review", "closed", "rejected")
CASE_PRIORITIES = ("urgent", "normal")
CASE_ROUTINGS = ("kh", "kr", "both")
INDICATOR_PROVENANCES = ("crowd", "confirmed")
INDICATOR_VALUE_MAX_LENGTH = 1024


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Campaign(Base):
    """A group of reports about the same scam (a shared indicator or near-identical text).

    When a new report links two campaigns, the younger one is merged into the older one
    and keeps pointing at it through ``merged_into``.
    """

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime]
    last_report_at: Mapped[datetime]
    report_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    scam_type: Mapped[str | None] = mapped_column(String(64))
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))


class Case(Base):
    """One report as the intake sees it: evidence, consent, score, routing and status.

    ``contact`` holds how the reporter may be contacted, only when ``contact_ok``; the
    retention command clears it and sets ``contact_purged_at``.
    """

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(_one_of("status", CASE_STATUSES), name="status"),
        CheckConstraint(_one_of("priority", CASE_PRIORITIES), name="priority"),
        CheckConstraint(_one_of("routing", CASE_ROUTINGS), name="routing"),
        Index("ix_cases_reporter_created", "reporter_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(32), unique=True)
    # Chosen by the caller (e.g. one per report conversation) so a repeated submit is
    # recognised instead of creating a second case.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(8))
    routing: Mapped[str] = mapped_column(String(8))
    routing_reasons: Mapped[Any] = mapped_column(JSON, nullable=False)
    scam_type: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(LANGUAGE_MAX_LENGTH))
    reporter_id: Mapped[int] = mapped_column(BigInteger)
    relation: Mapped[str] = mapped_column(String(16))
    korean_national: Mapped[bool | None] = mapped_column(Boolean)
    contact_ok: Mapped[bool] = mapped_column(Boolean)
    share_with_authorities: Mapped[bool] = mapped_column(Boolean)
    contact: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    contact_purged_at: Mapped[datetime | None]
    evidence: Mapped[Any] = mapped_column(JSON, nullable=False)
    situation: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    # Decimal text ("1500.00"): exact on both backends, unlike floats.
    money_amount: Mapped[str | None] = mapped_column(String(32))
    money_currency: Mapped[str | None] = mapped_column(String(8))
    money_method: Mapped[str | None] = mapped_column(String(32))
    money_bank: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime | None]
    contact_channel: Mapped[str | None] = mapped_column(String(32))
    classifier_score: Mapped[float | None] = mapped_column(Float)
    signals: Mapped[Any] = mapped_column(JSON, nullable=False)
    credibility: Mapped[float] = mapped_column(Float)
    credibility_reasons: Mapped[Any] = mapped_column(JSON, nullable=False)
    # MinHash signature of the normalised text, to confirm near-duplicate candidates.
    text_signature: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    forwarded_at: Mapped[datetime | None]


class CaseTextBand(Base):
    """Locality-sensitive hash bands of a case's text: equal bands mark candidate duplicates."""

    __tablename__ = "case_text_bands"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[str] = mapped_column(String(48), primary_key=True, index=True)


class Indicator(Base):
    """A phone, account, wallet, domain, link or handle that reports pointed at.

    ``provenance`` is ``crowd`` until an analyst confirms it; anyone may ask for its
    removal, which an analyst then decides.
    """

    __tablename__ = "indicators"
    __table_args__ = (
        UniqueConstraint("kind", "value", name="uq_indicators_kind_value"),
        CheckConstraint(_one_of("provenance", INDICATOR_PROVENANCES), name="provenance"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(INDICATOR_VALUE_MAX_LENGTH))
    provenance: Mapped[str] = mapped_column(String(16), default="crowd", server_default="crowd")
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    report_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    removal_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    removal_requested_at: Mapped[datetime | None]
    confirmed_by: Mapped[str | None] = mapped_column(String(64))
    confirmed_at: Mapped[datetime | None]


class ReportIndicator(Base):
    """Which indicators a case mentions."""

    __tablename__ = "report_indicators"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class OutboxEntry(Base):
    """One message for one sink, written in the same transaction as the case change.

    Per case and sink, ``sequence`` orders the messages: a message is only delivered
    after every earlier one. A dispatcher claims rows with a lease (``lease_owner`` and
    ``lease_until``), so a crashed dispatcher's rows are retried after the lease ends.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("sink", "idempotency_key", name="uq_outbox_sink_idempotency_key"),
        # Partial indexes: they hold only undelivered rows, so they stay small and the
        # planner picks them even before statistics exist.
        Index(
            "ix_outbox_due",
            "priority",
            "id",
            postgresql_where=text("delivered_at IS NULL"),
            sqlite_where=text("delivered_at IS NULL"),
        ),
        Index(
            "ix_outbox_case_pending",
            "case_id",
            "sink",
            "sequence",
            postgresql_where=text("delivered_at IS NULL"),
            sqlite_where=text("delivered_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    sink: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(128))
    # 0 = urgent, 1 = normal: lower goes first.
    priority: Mapped[int] = mapped_column(SmallInteger)
    payload: Mapped[Any] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]


class CaseStatusChange(Base):
    """Every status a case went through, who set it, and whether the reporter was told."""

    __tablename__ = "case_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime]
    changed_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))
    # NULL while the reporter still has to be told about this change.
    notified_at: Mapped[datetime | None] = mapped_column(index=True)


# --- trends: anonymous events of checks and questions (no message text, no user id) -----

QUESTION_TEXT_MAX_LENGTH = 300


class CheckEvent(Base):
    """One message the bot checked: the day, the reader's language, the verdict and scam type.

    Nothing that could point back to a person: no text, no user or chat id, no time of day.
    """

    __tablename__ = "check_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    language: Mapped[str] = mapped_column(String(LANGUAGE_MAX_LENGTH))
    verdict: Mapped[str] = mapped_column(String(16))
    scam_type: Mapped[str | None] = mapped_column(String(64))


class QuestionEvent(Base):
    """One free-text question the intent model answered, and whether it had to guess.

    ``question`` is kept only for unsure answers (so staff can write content for them),
    with phone numbers, accounts, links and names stripped, and is cleared after the
    retention period; the counts stay.
    """

    __tablename__ = "question_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    language: Mapped[str] = mapped_column(String(LANGUAGE_MAX_LENGTH))
    intent: Mapped[str] = mapped_column(String(64))
    # "rasa", or "local" when Rasa was down and the local matcher answered.
    source: Mapped[str] = mapped_column(String(8))
    unsure: Mapped[bool] = mapped_column(Boolean)
    question: Mapped[str | None] = mapped_column(String(QUESTION_TEXT_MAX_LENGTH))


# --- staff console: accounts, login attempts, audit log, content versions -----------------

STAFF_ROLES = ("admin", "editor", "analyst")
STAFF_USERNAME_MAX_LENGTH = 64
CONTENT_FILE_MAX_LENGTH = 128
CONTENT_KEY_MAX_LENGTH = 128


class StaffAccount(Base):
    """A person who may use the staff web console and the staff commands in Telegram."""

    __tablename__ = "staff_accounts"
    __table_args__ = (CheckConstraint(_one_of("role", STAFF_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(STAFF_USERNAME_MAX_LENGTH), unique=True)
    # argon2id hash in PHC format ("$argon2id$v=19$..."); never the password itself.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]


class LoginAttempt(Base):
    """One login try, kept for throttling: failures per username and per client address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(STAFF_USERNAME_MAX_LENGTH))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    succeeded: Mapped[bool] = mapped_column(Boolean)


class AuditEntry(Base):
    """Who changed what, when: written in the same transaction as every change staff make."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(STAFF_USERNAME_MAX_LENGTH))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(255))
    detail: Mapped[Any | None] = mapped_column(JSON)


class ContentVersion(Base):
    """One published version of one content entry (or of a whole file, for one-model files).

    ``file`` is relative to the content folder ("km/articles.yml"); ``key`` is the entry id,
    or "" for a file that is one entry (job_check.yml). The newest row is what was published.
    """

    __tablename__ = "content_versions"
    __table_args__ = (Index("ix_content_versions_file_key", "file", "key", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file: Mapped[str] = mapped_column(String(CONTENT_FILE_MAX_LENGTH))
    key: Mapped[str] = mapped_column(String(CONTENT_KEY_MAX_LENGTH))
    data: Mapped[Any] = mapped_column(JSON, nullable=False)
    published_at: Mapped[datetime]
    published_by: Mapped[str] = mapped_column(String(STAFF_USERNAME_MAX_LENGTH))
    # "import" (the file's text before the console first changed it), "publish" or "rollback".
    action: Mapped[str] = mapped_column(String(16))


# --- broadcast: alert subscribers, their topics, alerts and per-recipient deliveries ------

SUBSCRIPTION_TOPIC_MAX_LENGTH = 64
ALERT_STATES = ("scheduled", "sending", "done", "cancelled")
DELIVERY_STATUSES = ("pending", "claimed", "sent", "failed", "blocked", "unknown", "cancelled")


class Subscriber(Base):
    """A user who opted in to alerts, and the language they subscribed in."""

    __tablename__ = "subscribers"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(LANGUAGE_MAX_LENGTH))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SubscriptionTopic(Base):
    """One topic a subscriber follows: ``all`` (every alert) or a content scam type."""

    __tablename__ = "subscription_topics"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.user_id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    topic: Mapped[str] = mapped_column(String(SUBSCRIPTION_TOPIC_MAX_LENGTH), primary_key=True, index=True)
    created_at: Mapped[datetime]


class Alert(Base):
    """An alert staff composed: a text per language, its audience, and when to send it.

    A sender takes the alert with a lease (``lease_owner``, ``lease_until``) so that only one
    worker sends it; ``expanded_at`` is set once its recipients were written.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(_one_of("state", ALERT_STATES), name="state"),
        Index("ix_alerts_state_send_at", "state", "send_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    # {"km": "...", "ko": "...", "en": "..."}: the text each language's subscribers get.
    texts: Mapped[Any] = mapped_column(JSON, nullable=False)
    # List of language codes, or NULL for every language.
    audience_languages: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    # A scam type, or NULL for a general alert (subscribers of "all" only).
    topic: Mapped[str | None] = mapped_column(String(SUBSCRIPTION_TOPIC_MAX_LENGTH))
    send_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16))
    recipients: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    expanded_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(64))
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]


class AlertDelivery(Base):
    """One recipient of one alert and what became of the message.

    ``claimed`` rows are being sent right now; a sender that finds claimed rows of a
    crashed worker marks them ``unknown`` and never sends them again.
    """

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        CheckConstraint(_one_of("status", DELIVERY_STATUSES), name="status"),
        Index("ix_alert_deliveries_alert_status", "alert_id", "status", "user_id"),
    )

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(LANGUAGE_MAX_LENGTH))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(200))


# --- quizzes: anonymous attempts and answers (no user or chat id) -----------------------

QUIZ_KEY_MAX_LENGTH = 64
QUIZ_ATTEMPT_ID_MAX_LENGTH = 32


class QuizAttempt(Base):
    """One attempt at a quiz: its day, language and, once finished, the score.

    ``attempt_id`` is random per attempt, never derived from the user: it only lets an answer
    count once.
    """

    __tablename__ = "quiz_attempts"

    attempt_id: Mapped[str] = mapped_column(String(QUIZ_ATTEMPT_ID_MAX_LENGTH), primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    quiz: Mapped[str] = mapped_column(String(QUIZ_KEY_MAX_LENGTH))
    language: Mapped[str] = mapped_column(String(LANGUAGE_MAX_LENGTH))
    questions: Mapped[int] = mapped_column(SmallInteger)
    # Correct answers, set when the last question was answered; NULL while unfinished.
    score: Mapped[int | None] = mapped_column(SmallInteger)


class QuizAnswer(Base):
    """Whether one question of one attempt was answered right (position from 0)."""

    __tablename__ = "quiz_answers"

    attempt_id: Mapped[str] = mapped_column(
        ForeignKey("quiz_attempts.attempt_id", ondelete="CASCADE"), primary_key=True
    )
    question: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    correct: Mapped[bool] = mapped_column(Boolean)
