"""Anonymous events for the trends page: which checks and questions the bot answered.

Only what a trend needs is stored: the day, the language, the verdict or intent. No user
or chat id and no message text, except the text of questions the bot was unsure about,
which the caller must strip of personal data first; :meth:`EventStore.forget_questions`
clears those texts after the retention period while the counts stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import Table, insert, update

from storage.db import Database
from storage.models import LANGUAGE_MAX_LENGTH, QUESTION_TEXT_MAX_LENGTH, CheckEvent, QuestionEvent

_checks = cast(Table, CheckEvent.__table__)
_questions = cast(Table, QuestionEvent.__table__)


@dataclass(frozen=True, slots=True)
class NewCheckEvent:
    """One answered check.

    Attributes:
        day: The local day it happened.
        language: The reader's language (``km``, ``ko``, ``en``).
        verdict: ``scam``, ``suspicious`` or ``no_signs``.
        scam_type: The predicted scam type, or None.
    """

    day: date
    language: str
    verdict: str
    scam_type: str | None = None


@dataclass(frozen=True, slots=True)
class NewQuestionEvent:
    """One answered free-text question.

    Attributes:
        day: The local day it happened.
        language: The reader's language.
        intent: The intent answered, or for an unsure answer the closest guess.
        source: ``rasa``, or ``local`` when the local matcher stood in for Rasa.
        unsure: True when the bot offered topics instead of one answer.
        question: For unsure answers only: the question with personal data already
            stripped by the caller (cut to :data:`QUESTION_TEXT_MAX_LENGTH`).
    """

    day: date
    language: str
    intent: str
    source: str
    unsure: bool
    question: str | None = None


def _cut(value: str | None, limit: int) -> str | None:
    return None if value is None else value[:limit]


class EventStore:
    """Writes events in batches and forgets old question texts.

    Args:
        db: The database.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, checks: Sequence[NewCheckEvent] = (), questions: Sequence[NewQuestionEvent] = ()) -> None:
        """Store a batch of events in one transaction (over-long values are cut, never refused)."""
        if not checks and not questions:
            return
        async with self._db.session() as session:
            if checks:
                await session.execute(
                    insert(_checks),
                    [
                        {
                            "day": e.day,
                            "language": e.language[:LANGUAGE_MAX_LENGTH],
                            "verdict": e.verdict[:16],
                            "scam_type": _cut(e.scam_type, 64),
                        }
                        for e in checks
                    ],
                )
            if questions:
                await session.execute(
                    insert(_questions),
                    [
                        {
                            "day": e.day,
                            "language": e.language[:LANGUAGE_MAX_LENGTH],
                            "intent": e.intent[:64],
                            "source": e.source[:8],
                            "unsure": e.unsure,
                            "question": _cut(e.question, QUESTION_TEXT_MAX_LENGTH) if e.unsure else None,
                        }
                        for e in questions
                    ],
                )

    async def forget_questions(self, *, before: date) -> int:
        """Clear the text of questions asked before ``before``; returns how many were cleared."""
        async with self._db.session() as session:
            result = await session.execute(
                update(_questions)
                .where(_questions.c.day < before, _questions.c.question.is_not(None))
                .values(question=None)
            )
        return int(getattr(result, "rowcount", 0) or 0)
