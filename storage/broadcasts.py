"""Alerts to subscribers: composing, scheduling, progress, and the sender's bookkeeping.

Public interface for staff tools (the Telegram ``/alerts`` command, the web console)::

    alerts = BroadcastRepository(db)
    alert_id = await alerts.create_alert(
        texts={"km": "...", "ko": "...", "en": "..."},
        audience_languages=None,        # every language; or e.g. {"ko"}
        topic=None,                     # general alert; or a scam type such as "romance"
        send_at=None,                   # now; or an aware datetime to schedule it
        created_by="sokha",             # staff username (or "tg:<id>")
    )
    progress = await alerts.alert_progress(alert_id)   # AlertProgress: state and counts
    records = await alerts.list_alerts(limit=50)        # AlertRecord, newest first, with progress
    await alerts.cancel_alert(alert_id, cancelled_by="sokha")

Audience: subscribers following ``topic`` or :data:`~storage.subscriptions.ALL_TOPICS`
(only the latter for a general alert), whose language is in ``audience_languages``. A user
who chose a language with ``/language`` gets alerts in that language, otherwise in the one
they subscribed in. Every language of the audience must have a text, so nobody gets an
alert in a language they did not choose.

Life of an alert: ``scheduled`` until ``send_at``; ``sending`` once a sender took it and
wrote one delivery row per recipient; ``done`` when no delivery is pending; or
``cancelled`` by staff (pending deliveries become ``cancelled``).

Deliveries: ``pending`` -> ``claimed`` (written *before* the message is sent) -> ``sent``,
``failed`` (Telegram refused it, e.g. the chat is gone), ``blocked`` (the user blocked the
bot: they are unsubscribed in the same transaction) or ``unknown``. A delivery is never
claimed twice: if a sender dies between sending and recording, its claimed rows become
``unknown`` when another sender takes the alert over, and are not sent again. This is
the "never twice" side of the trade: after a crash, at most one batch of recipients may
miss the alert, and the counts say how many.

The sender's calls (:meth:`BroadcastRepository.take_due_alert`, :meth:`~BroadcastRepository.next_batch`,
:meth:`~BroadcastRepository.record`, :meth:`~BroadcastRepository.finish`,
:meth:`~BroadcastRepository.release`) hold a lease on the alert, so only one worker sends
it at a time; a lease that is not renewed expires and another worker takes over.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, case, exists, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import Alert, AlertDelivery, Subscriber, SubscriptionTopic, User, ensure_aware, utcnow
from storage.subscriptions import ALL_TOPICS, check_topic

ALERT_LANGUAGES: tuple[str, ...] = ("km", "ko", "en")
"""Languages an alert can be written in (the bot's languages)."""
MAX_TEXT_LENGTH = 3500
"""Longest alert text: Telegram allows 4,096 characters, and the bot adds a header and a footer."""
_ERROR_MAX_LENGTH = 200
_CREATED_BY_MAX_LENGTH = 64

_alerts = cast(Table, Alert.__table__)
_deliveries = cast(Table, AlertDelivery.__table__)


class AlertState(enum.StrEnum):
    """Where an alert is in its life."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class DeliveryStatus(enum.StrEnum):
    """What became of one recipient's message (see the module docstring)."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"


#: Outcomes a sender may record; ``pending`` gives back a claim that was certainly not sent
#: (e.g. the connection could not be opened), so a later batch sends it.
RECORDABLE_STATUSES = frozenset(
    {
        DeliveryStatus.SENT,
        DeliveryStatus.FAILED,
        DeliveryStatus.BLOCKED,
        DeliveryStatus.UNKNOWN,
        DeliveryStatus.PENDING,
    }
)


class AlertNotFoundError(LookupError):
    """No alert has the given id."""


@dataclass(frozen=True, slots=True)
class AlertProgress:
    """How far an alert got.

    Attributes:
        alert_id: The alert.
        state: ``scheduled``, ``sending``, ``done`` or ``cancelled``.
        recipients: Deliveries written when sending began (0 while scheduled).
        pending: Not sent yet.
        sending: Claimed by a sender right now.
        sent: Accepted by Telegram.
        failed: Refused by Telegram (chat gone, bad request); not retried.
        blocked: The user blocked the bot (and was unsubscribed).
        unknown: A sender stopped while sending these; maybe delivered, never retried.
        cancelled: Not sent because staff cancelled the alert.
        started_at: When sending began, or ``None``.
        finished_at: When it was done or cancelled, or ``None``.
    """

    alert_id: int
    state: str
    recipients: int = 0
    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    unknown: int = 0
    cancelled: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        """True when nothing more will be sent."""
        return self.state in (AlertState.DONE, AlertState.CANCELLED)


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One alert as composed, with its progress.

    Attributes:
        id: Alert id.
        created_at: When it was composed (aware UTC).
        created_by: Who composed it.
        texts: Language code -> text.
        audience_languages: Languages it goes to, or ``None`` for every language.
        topic: A scam type, or ``None`` for a general alert.
        send_at: When it is (or was) due.
        cancelled_by: Who cancelled it, if anyone.
        progress: State and delivery counts.
    """

    id: int
    created_at: datetime
    created_by: str
    texts: Mapping[str, str]
    audience_languages: frozenset[str] | None
    topic: str | None
    send_at: datetime
    cancelled_by: str | None
    progress: AlertProgress

    @property
    def state(self) -> str:
        """Shortcut for ``progress.state``."""
        return self.progress.state


@dataclass(frozen=True, slots=True)
class TakenAlert:
    """An alert a sender now holds the lease of.

    Attributes:
        alert_id: The alert.
        texts: Language code -> text.
        taken_over: Claimed deliveries of a previous sender now marked ``unknown``.
    """

    alert_id: int
    texts: Mapping[str, str]
    taken_over: int = 0


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message to send: to whom, and in which language."""

    user_id: int
    language: str


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """What happened to one claimed delivery."""

    user_id: int
    status: DeliveryStatus
    error: str | None = field(default=None)


def validate_alert(
    texts: Mapping[str, str], audience_languages: Collection[str] | None, topic: str | None
) -> tuple[dict[str, str], list[str] | None]:
    """Check an alert before it is stored; returns the cleaned texts and sorted audience.

    Raises:
        ValueError: With the reason, e.g. a missing text for an audience language.
    """
    cleaned: dict[str, str] = {}
    for lang, text in texts.items():
        if lang not in ALERT_LANGUAGES:
            raise ValueError(f"language {lang!r} is not one of {', '.join(ALERT_LANGUAGES)}")
        if not isinstance(text, str) or not text.strip():
            continue
        if len(text) > MAX_TEXT_LENGTH:
            raise ValueError(
                f"the {lang} text has {len(text)} characters; at most {MAX_TEXT_LENGTH} fit in one message"
            )
        cleaned[lang] = text.strip()
    if audience_languages is None:
        audience = None
        needed = set(ALERT_LANGUAGES)
    else:
        audience = sorted(set(audience_languages))
        if not audience:
            raise ValueError("choose at least one audience language, or None for every language")
        if unknown := set(audience) - set(ALERT_LANGUAGES):
            raise ValueError(f"audience languages {sorted(unknown)} are not among {', '.join(ALERT_LANGUAGES)}")
        needed = set(audience)
    if missing := sorted(needed - cleaned.keys()):
        raise ValueError(f"write the alert in {', '.join(missing)} too: its audience reads that language")
    if topic is not None:
        check_topic(topic)
    return cleaned, audience


class BroadcastRepository:
    """Alerts and their deliveries (see the module docstring for the whole story).

    Args:
        db: The database.
        clock: Returns the current aware datetime; tests pass a fake one.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    def _now(self) -> datetime:
        return ensure_aware(self._clock())

    # --- staff --------------------------------------------------------------------------

    async def create_alert(
        self,
        *,
        texts: Mapping[str, str],
        audience_languages: Collection[str] | None = None,
        topic: str | None = None,
        send_at: datetime | None = None,
        created_by: str,
    ) -> int:
        """Store a new alert; a sender sends it once ``send_at`` has come.

        Args:
            texts: Language code (``km``, ``ko``, ``en``) -> text; blank texts are ignored.
            audience_languages: Languages of the subscribers to reach; ``None`` for all three.
            topic: A scam type key, or ``None`` for a general alert (followers of "all").
            send_at: When to send (aware); ``None`` for now.
            created_by: Who composed it (1-64 characters).

        Returns:
            The new alert's id.

        Raises:
            ValueError: If a text is missing for an audience language, a text is too long,
                a language is unknown, ``send_at`` is naive, or ``created_by`` is malformed.
        """
        cleaned, audience = validate_alert(texts, audience_languages, topic)
        if not created_by or not created_by.strip() or len(created_by) > _CREATED_BY_MAX_LENGTH:
            raise ValueError(f"created_by {created_by!r} must be 1-{_CREATED_BY_MAX_LENGTH} characters")
        now = self._now()
        due = now if send_at is None else ensure_aware(send_at)
        async with self._db.session() as session:
            result = await session.execute(
                insert(_alerts)
                .values(
                    created_at=now,
                    created_by=created_by,
                    texts=cleaned,
                    audience_languages=audience,
                    topic=topic,
                    send_at=due,
                    state=AlertState.SCHEDULED.value,
                    recipients=0,
                )
                .returning(_alerts.c.id)
            )
            return int(result.scalar_one())

    async def get_alert(self, alert_id: int) -> AlertRecord | None:
        """Return one alert with its progress, or ``None``."""
        async with self._db.session() as session:
            row = (await session.execute(select(_alerts).where(_alerts.c.id == alert_id))).one_or_none()
            if row is None:
                return None
            counts = await _counts(session, [alert_id])
            return _record(row, counts.get(alert_id, {}))

    async def list_alerts(self, *, limit: int = 50, states: Iterable[str] | None = None) -> list[AlertRecord]:
        """Return alerts newest first, with their progress.

        Args:
            limit: At most this many (1-500).
            states: Only alerts in these states; ``None`` for all.
        """
        limit = max(1, min(int(limit), 500))
        stmt = select(_alerts).order_by(_alerts.c.id.desc()).limit(limit)
        if states is not None:
            stmt = stmt.where(_alerts.c.state.in_([AlertState(s).value for s in states]))
        async with self._db.session() as session:
            rows = (await session.execute(stmt)).all()
            counts = await _counts(session, [row.id for row in rows])
            return [_record(row, counts.get(row.id, {})) for row in rows]

    async def alert_progress(self, alert_id: int) -> AlertProgress:
        """State and delivery counts of one alert.

        Raises:
            AlertNotFoundError: If there is no such alert.
        """
        record = await self.get_alert(alert_id)
        if record is None:
            raise AlertNotFoundError(f"no alert {alert_id}")
        return record.progress

    async def cancel_alert(self, alert_id: int, *, cancelled_by: str) -> bool:
        """Stop an alert: nothing more is sent (messages already in flight finish).

        Returns:
            True if it was cancelled now; False if it was already done or cancelled.

        Raises:
            AlertNotFoundError: If there is no such alert.
        """
        now = self._now()
        async with self._db.session() as session:
            result = await session.execute(
                update(_alerts)
                .where(
                    _alerts.c.id == alert_id,
                    _alerts.c.state.in_([AlertState.SCHEDULED.value, AlertState.SENDING.value]),
                )
                .values(
                    state=AlertState.CANCELLED.value,
                    cancelled_at=now,
                    cancelled_by=cancelled_by[:_CREATED_BY_MAX_LENGTH],
                    finished_at=now,
                )
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                if await session.get(Alert, alert_id) is None:
                    raise AlertNotFoundError(f"no alert {alert_id}")
                return False
            await session.execute(
                update(_deliveries)
                .where(_deliveries.c.alert_id == alert_id, _deliveries.c.status == DeliveryStatus.PENDING.value)
                .values(status=DeliveryStatus.CANCELLED.value, updated_at=now)
            )
            return True

    # --- the sender ---------------------------------------------------------------------

    async def take_due_alert(self, owner: str, *, lease: timedelta) -> TakenAlert | None:
        """Take the oldest due alert for ``owner``, writing its recipients the first time.

        Due: scheduled with ``send_at`` passed, or sending with no live lease (its sender
        stopped) or with ``owner``'s own lease. Claimed deliveries left by an earlier
        sender become ``unknown``: they may have been sent, so they are never sent again.

        Returns:
            The alert, or ``None`` when nothing is due.
        """
        now = self._now()
        candidate = _alerts.alias("candidate")
        pick = (
            select(candidate.c.id)
            .where(_due(candidate, owner, now))
            .order_by(candidate.c.send_at, candidate.c.id)
            .limit(1)
            .scalar_subquery()
        )
        async with self._db.session() as session:
            # Write first: on SQLite the transaction then holds the write lock for the reads below;
            # on PostgreSQL a second worker waiting for the row re-checks `_due` and gets nothing.
            row = (
                await session.execute(
                    update(_alerts)
                    .where(_alerts.c.id == pick, _due(_alerts, owner, now))
                    .values(lease_owner=owner, lease_until=now + lease)
                    .returning(_alerts.c.id, _alerts.c.texts, _alerts.c.expanded_at)
                )
            ).one_or_none()
            if row is None:
                return None
            if row.expanded_at is None:
                await _expand(session, row.id, now)
                return TakenAlert(alert_id=row.id, texts=dict(row.texts))
            orphans = await session.execute(
                update(_deliveries)
                .where(_deliveries.c.alert_id == row.id, _deliveries.c.status == DeliveryStatus.CLAIMED.value)
                .values(status=DeliveryStatus.UNKNOWN.value, updated_at=now, error="sender stopped while sending")
            )
            return TakenAlert(alert_id=row.id, texts=dict(row.texts), taken_over=int(orphans.rowcount or 0))  # type: ignore[attr-defined]

    async def next_batch(self, alert_id: int, owner: str, *, size: int, lease: timedelta) -> list[Delivery] | None:
        """Renew the lease and claim up to ``size`` pending deliveries.

        Returns:
            The claimed deliveries (empty when none is pending), or ``None`` when ``owner``
            no longer holds the alert (cancelled, or the lease expired and was taken).
        """
        now = self._now()
        async with self._db.session() as session:
            if not await _renew(session, alert_id, owner, now + lease):
                return None
            pending = (
                select(_deliveries.c.user_id)
                .where(_deliveries.c.alert_id == alert_id, _deliveries.c.status == DeliveryStatus.PENDING.value)
                .order_by(_deliveries.c.user_id)
                .limit(max(1, size))
                .scalar_subquery()
            )
            rows = await session.execute(
                update(_deliveries)
                .where(
                    _deliveries.c.alert_id == alert_id,
                    _deliveries.c.status == DeliveryStatus.PENDING.value,
                    _deliveries.c.user_id.in_(pending),
                )
                .values(status=DeliveryStatus.CLAIMED.value, attempts=_deliveries.c.attempts + 1, updated_at=now)
                .returning(_deliveries.c.user_id, _deliveries.c.language)
            )
            return sorted((Delivery(user_id=r.user_id, language=r.language) for r in rows), key=lambda d: d.user_id)

    async def renew(self, alert_id: int, owner: str, *, lease: timedelta) -> bool:
        """Extend ``owner``'s lease (e.g. while waiting out a long RetryAfter); False if lost."""
        async with self._db.session() as session:
            return await _renew(session, alert_id, owner, self._now() + lease)

    async def record(self, alert_id: int, results: Sequence[DeliveryResult]) -> None:
        """Store what happened to claimed deliveries; users who blocked the bot are unsubscribed.

        A result also overrides ``unknown`` (a sender that lost its lease still knows best).
        Record ``pending`` only for a message that was certainly not sent: it will be sent later.
        """
        if not results:
            return
        for result in results:
            if DeliveryStatus(result.status) not in RECORDABLE_STATUSES:
                raise ValueError(f"cannot record status {result.status!r} for user {result.user_id}")
        now = self._now()
        stmt = (
            update(_deliveries)
            .where(
                _deliveries.c.alert_id == alert_id,
                _deliveries.c.user_id == bindparam("b_user"),
                # Not IN (...): expanding parameters cannot be used in an executemany.
                or_(
                    _deliveries.c.status == DeliveryStatus.CLAIMED.value,
                    _deliveries.c.status == DeliveryStatus.UNKNOWN.value,
                ),
            )
            .values(status=bindparam("b_status"), error=bindparam("b_error"), updated_at=now)
        )
        params = [
            {
                "b_user": r.user_id,
                "b_status": DeliveryStatus(r.status).value,
                "b_error": None if r.error is None else r.error[:_ERROR_MAX_LENGTH],
            }
            for r in results
        ]
        blocked = [r.user_id for r in results if r.status == DeliveryStatus.BLOCKED]
        async with self._db.session() as session:
            await session.execute(stmt, params)
            if blocked:
                await session.execute(Subscriber.__table__.delete().where(Subscriber.user_id.in_(blocked)))

    async def finish(self, alert_id: int, owner: str) -> bool:
        """Mark the alert done and release it when no delivery is pending or claimed."""
        now = self._now()
        open_deliveries = exists().where(
            _deliveries.c.alert_id == alert_id,
            _deliveries.c.status.in_([DeliveryStatus.PENDING.value, DeliveryStatus.CLAIMED.value]),
        )
        async with self._db.session() as session:
            result = await session.execute(
                update(_alerts)
                .where(
                    _alerts.c.id == alert_id,
                    _alerts.c.lease_owner == owner,
                    _alerts.c.state == AlertState.SENDING.value,
                    ~open_deliveries,
                )
                .values(state=AlertState.DONE.value, finished_at=now, lease_owner=None, lease_until=None)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def release(self, alert_id: int, owner: str) -> None:
        """Give the alert up (the sender stops); another sender may take it at once."""
        async with self._db.session() as session:
            await session.execute(
                update(_alerts)
                .where(_alerts.c.id == alert_id, _alerts.c.lease_owner == owner)
                .values(lease_owner=None, lease_until=None)
            )


def _due(table: Any, owner: str, now: datetime) -> Any:
    """An alert a sender called ``owner`` may take now."""
    return or_(
        and_(table.c.state == AlertState.SCHEDULED.value, table.c.send_at <= now),
        and_(
            table.c.state == AlertState.SENDING.value,
            or_(table.c.lease_until.is_(None), table.c.lease_until < now, table.c.lease_owner == owner),
        ),
    )


async def _renew(session: AsyncSession, alert_id: int, owner: str, until: datetime) -> bool:
    result = await session.execute(
        update(_alerts)
        .where(
            _alerts.c.id == alert_id,
            _alerts.c.lease_owner == owner,
            _alerts.c.state == AlertState.SENDING.value,
        )
        .values(lease_until=until)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def _expand(session: AsyncSession, alert_id: int, now: datetime) -> None:
    """Write one pending delivery per recipient and start sending (once per alert)."""
    alert = (
        await session.execute(select(_alerts.c.audience_languages, _alerts.c.topic).where(_alerts.c.id == alert_id))
    ).one()
    topics = [ALL_TOPICS] if alert.topic is None else [ALL_TOPICS, alert.topic]
    audience = list(alert.audience_languages or ALERT_LANGUAGES)
    # A language the user chose with /language wins over the one they subscribed in.
    language = case(
        (and_(User.language_chosen, User.language.in_(ALERT_LANGUAGES)), User.language),
        else_=Subscriber.language,
    )
    follows = exists().where(SubscriptionTopic.user_id == Subscriber.user_id, SubscriptionTopic.topic.in_(topics))
    recipients = (
        select(
            literal(alert_id),
            Subscriber.user_id,
            language,
            literal(DeliveryStatus.PENDING.value),
            literal(0),
        )
        .select_from(Subscriber)
        .outerjoin(User, User.user_id == Subscriber.user_id)
        .where(follows, language.in_(audience))
    )
    await session.execute(
        insert(_deliveries).from_select(["alert_id", "user_id", "language", "status", "attempts"], recipients)
    )
    count = await session.scalar(
        select(func.count()).select_from(_deliveries).where(_deliveries.c.alert_id == alert_id)
    )
    await session.execute(
        update(_alerts)
        .where(_alerts.c.id == alert_id)
        .values(state=AlertState.SENDING.value, expanded_at=now, started_at=now, recipients=int(count or 0))
    )


async def _counts(session: AsyncSession, alert_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    if not alert_ids:
        return {}
    rows = await session.execute(
        select(_deliveries.c.alert_id, _deliveries.c.status, func.count())
        .where(_deliveries.c.alert_id.in_(list(alert_ids)))
        .group_by(_deliveries.c.alert_id, _deliveries.c.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for alert_id, status, n in rows:
        counts.setdefault(alert_id, {})[status] = int(n)
    return counts


def _record(row: Any, counts: Mapping[str, int]) -> AlertRecord:
    progress = AlertProgress(
        alert_id=row.id,
        state=row.state,
        recipients=row.recipients,
        pending=counts.get(DeliveryStatus.PENDING.value, 0),
        sending=counts.get(DeliveryStatus.CLAIMED.value, 0),
        sent=counts.get(DeliveryStatus.SENT.value, 0),
        failed=counts.get(DeliveryStatus.FAILED.value, 0),
        blocked=counts.get(DeliveryStatus.BLOCKED.value, 0),
        unknown=counts.get(DeliveryStatus.UNKNOWN.value, 0),
        cancelled=counts.get(DeliveryStatus.CANCELLED.value, 0),
        started_at=row.started_at,
        finished_at=row.finished_at,
    )
    audience = row.audience_languages
    return AlertRecord(
        id=row.id,
        created_at=row.created_at,
        created_by=row.created_by,
        texts=dict(row.texts or {}),
        audience_languages=None if audience is None else frozenset(audience),
        topic=row.topic,
        send_at=row.send_at,
        cancelled_by=row.cancelled_by,
        progress=progress,
    )
