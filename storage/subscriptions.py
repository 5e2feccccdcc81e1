"""Who wants alerts, in which language, about which topics.

A subscriber follows one or more topics: :data:`ALL_TOPICS` (every alert) or a scam type
key from the content (``"romance"``, ``"job_offer"``, ...). Which topics exist is the
caller's business; this module stores any short non-blank topic. Removing the last topic
removes the subscriber.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage._upsert import upsert
from storage.db import Database
from storage.models import (
    LANGUAGE_MAX_LENGTH,
    SUBSCRIPTION_TOPIC_MAX_LENGTH,
    Subscriber,
    SubscriptionTopic,
    ensure_aware,
    utcnow,
)

ALL_TOPICS = "all"
"""The topic of someone who wants every alert."""

_subscribers = cast(Table, Subscriber.__table__)
_topics = cast(Table, SubscriptionTopic.__table__)


@dataclass(frozen=True, slots=True)
class Subscription:
    """One subscriber's choice.

    Attributes:
        user_id: Telegram user id (their private chat with the bot has the same id).
        language: The language alerts are sent in.
        topics: :data:`ALL_TOPICS` and/or scam type keys; never empty.
    """

    user_id: int
    language: str
    topics: frozenset[str]


def check_topic(topic: str) -> str:
    """Return ``topic`` if it can be stored, else raise ``ValueError`` showing it."""
    if not isinstance(topic, str) or not topic.strip() or len(topic) > SUBSCRIPTION_TOPIC_MAX_LENGTH:
        raise ValueError(f"topic {topic!r} must be 1-{SUBSCRIPTION_TOPIC_MAX_LENGTH} non-blank characters")
    return topic


def _check_language(language: str) -> str:
    if not language or not language.strip() or len(language) > LANGUAGE_MAX_LENGTH:
        raise ValueError(f"language code {language!r} must be 1-{LANGUAGE_MAX_LENGTH} non-blank characters")
    return language


class SubscriptionRepository:
    """Subscribe, unsubscribe, and read subscriptions.

    Args:
        db: The database.
        clock: Returns the current aware datetime; tests pass a fake one.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def subscribe(self, user_id: int, *, language: str, topics: Iterable[str]) -> Subscription:
        """Add topics to the user's subscription (creating it) and set its language.

        Args:
            user_id: Telegram user id.
            language: Language to send alerts in (replaces the stored one).
            topics: Topics to add; topics already followed stay.

        Returns:
            The subscription after the change.

        Raises:
            ValueError: If ``topics`` is empty, or a topic or the language is malformed.
        """
        wanted = {check_topic(topic) for topic in topics}
        if not wanted:
            raise ValueError("subscribe to at least one topic")
        _check_language(language)
        now = ensure_aware(self._clock())
        async with self._db.session() as session:
            await session.execute(
                upsert(
                    session,
                    _subscribers,
                    {"user_id": user_id, "language": language, "created_at": now, "updated_at": now},
                    conflict=["user_id"],
                    update=lambda new: {"language": new.language, "updated_at": new.updated_at},
                )
            )
            await session.execute(
                _insert_ignore(session, _topics).values(
                    [{"user_id": user_id, "topic": topic, "created_at": now} for topic in sorted(wanted)]
                )
            )
            return await _load(session, user_id)  # type: ignore[return-value]  # just written

    async def unsubscribe(self, user_id: int, topics: Collection[str] | None = None) -> Subscription | None:
        """Stop some topics, or everything when ``topics`` is ``None``.

        Returns:
            What is left of the subscription, or ``None`` when nothing is (the subscriber
            row is removed with its last topic).
        """
        async with self._db.session() as session:
            if topics is not None:
                await session.execute(
                    delete(SubscriptionTopic).where(
                        SubscriptionTopic.user_id == user_id, SubscriptionTopic.topic.in_(list(topics))
                    )
                )
                remaining = await session.scalar(
                    select(func.count()).select_from(SubscriptionTopic).where(SubscriptionTopic.user_id == user_id)
                )
                if remaining:
                    return await _load(session, user_id)
            await session.execute(delete(Subscriber).where(Subscriber.user_id == user_id))
            return None

    async def unsubscribe_many(self, user_ids: Collection[int]) -> int:
        """Remove these users' subscriptions entirely (e.g. they blocked the bot); returns how many."""
        if not user_ids:
            return 0
        async with self._db.session() as session:
            result = await session.execute(delete(Subscriber).where(Subscriber.user_id.in_(list(user_ids))))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def get(self, user_id: int) -> Subscription | None:
        """Return the user's subscription, or ``None`` if they have none."""
        async with self._db.session() as session:
            return await _load(session, user_id)

    async def count(self, *, languages: Collection[str] | None = None, topic: str | None = None) -> int:
        """How many subscribers an alert with this audience would reach.

        Args:
            languages: Subscribers' languages to count, or ``None`` for all.
            topic: ``None`` counts followers of :data:`ALL_TOPICS`; a scam type counts its
                followers and those of :data:`ALL_TOPICS` (the same rule alerts use).
        """
        topics = [ALL_TOPICS] if topic is None else [ALL_TOPICS, topic]
        stmt = (
            select(func.count(func.distinct(Subscriber.user_id)))
            .select_from(Subscriber)
            .join(SubscriptionTopic, SubscriptionTopic.user_id == Subscriber.user_id)
            .where(SubscriptionTopic.topic.in_(topics))
        )
        if languages is not None:
            stmt = stmt.where(Subscriber.language.in_(list(languages)))
        async with self._db.session() as session:
            return int(await session.scalar(stmt) or 0)


def _insert_ignore(session: AsyncSession, table: Table):  # noqa: ANN202 - dialect-specific Insert
    """``INSERT ... ON CONFLICT DO NOTHING`` for the session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


async def _load(session: AsyncSession, user_id: int) -> Subscription | None:
    row = await session.execute(select(Subscriber.language).where(Subscriber.user_id == user_id))
    language = row.scalar_one_or_none()
    if language is None:
        return None
    topics = await session.scalars(select(SubscriptionTopic.topic).where(SubscriptionTopic.user_id == user_id))
    return Subscription(user_id=user_id, language=language, topics=frozenset(topics))
