"""Quiz results for the trends page: anonymous attempts and their answers.

Nothing here identifies a person: an attempt has a random id (so that an answer counts
once, even after a double tap or a restart), the day, the language and the quiz; each
answer says only whether it was right. The bot writes through `QuizResults`; the trends
page reads with two queries:

- `quiz_stats(db, since, until=None)`: per quiz and language over a period of days:
  attempts started and finished, the average score of finished attempts (0..1) and, per
  question, how many answered it and how many got it right (`QuizStats`).
- `quiz_days(db, since, until=None)`: attempts started and finished per day, quiz and
  language, for charts (`QuizDay`).

Days are the caller's: the bot counts them in the trends' time zone (``TRENDS_TIMEZONE``).
Questions are identified by position (0 for the first), as in ``content/<lang>/quizzes.yml``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Float, Table, and_, case, exists, func, insert, literal, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import LANGUAGE_MAX_LENGTH, QUIZ_ATTEMPT_ID_MAX_LENGTH, QUIZ_KEY_MAX_LENGTH, QuizAnswer, QuizAttempt

MAX_QUESTIONS = 100
"""More questions than any quiz will have; larger numbers are refused before reaching the database."""

_attempts = cast(Table, QuizAttempt.__table__)
_answers = cast(Table, QuizAnswer.__table__)


def utc_today() -> date:
    """Today in UTC (the default day of `QuizResults`)."""
    return datetime.now(UTC).date()


class QuizResults:
    """Records attempts and answers; every method is safe to repeat (a retried tap counts once).

    Args:
        db: The database.
        today: The current day as the trends count it (injected by the bot and by tests).
    """

    def __init__(self, db: Database, *, today: Callable[[], date] = utc_today) -> None:
        self._db = db
        self._today = today

    async def started(self, attempt_id: str, *, quiz: str, language: str, questions: int) -> bool:
        """Record a new attempt of ``questions`` questions, dated today.

        Returns:
            True if recorded; False if this attempt id was recorded before, or a value is
            out of range (an id over 32 characters, a quiz id over 64, no questions).
        """
        if not 0 < len(attempt_id) <= QUIZ_ATTEMPT_ID_MAX_LENGTH or not 0 < len(quiz) <= QUIZ_KEY_MAX_LENGTH:
            return False
        if not 0 < questions <= MAX_QUESTIONS:
            return False
        values = {
            "attempt_id": attempt_id,
            "day": self._today(),
            "quiz": quiz,
            "language": language[:LANGUAGE_MAX_LENGTH],
            "questions": questions,
            "score": None,
        }
        try:
            async with self._db.session() as session:
                await session.execute(insert(_attempts).values(values))
        except IntegrityError:
            return False
        return True

    async def answered(self, attempt_id: str, question: int, *, correct: bool) -> bool:
        """Record the answer to one question of an unfinished attempt.

        Returns:
            True if recorded; False if that question was answered before, the attempt is
            unknown or finished, or the question is not one of its questions.
        """
        if not 0 <= question < MAX_QUESTIONS:
            return False
        attempt = _attempts.c
        known = exists().where(
            attempt.attempt_id == attempt_id,
            attempt.score.is_(None),
            attempt.questions > question,
        )
        stmt = insert(_answers).from_select(
            ["attempt_id", "question", "correct"],
            select(literal(attempt_id), literal(question), literal(correct)).where(known),
        )
        try:
            async with self._db.session() as session:
                result = await session.execute(stmt)
        except IntegrityError:  # answered twice at the same moment: the first one counts
            return False
        return bool(getattr(result, "rowcount", 0))

    async def finished(self, attempt_id: str) -> int | None:
        """Close an attempt with its score: the right answers recorded for it.

        Returns:
            The score, or None if the attempt is unknown or was finished before.
        """
        right = (
            select(func.count())
            .select_from(_answers)
            .where(_answers.c.attempt_id == attempt_id, _answers.c.correct.is_(True))
            .scalar_subquery()
        )
        async with self._db.session() as session:
            result = await session.execute(
                update(_attempts)
                .where(_attempts.c.attempt_id == attempt_id, _attempts.c.score.is_(None))
                .values(score=right)
                .returning(_attempts.c.score)
            )
            score = result.scalar_one_or_none()
        return None if score is None else int(score)


@dataclass(frozen=True, slots=True)
class QuestionStats:
    """How one question went.

    Attributes:
        question: Position in the quiz (0 for the first).
        answered: Answers recorded.
        correct: Of those, right ones.
    """

    question: int
    answered: int
    correct: int

    @property
    def correct_rate(self) -> float | None:
        """Share of right answers (0..1), or None when nobody answered."""
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True, slots=True)
class QuizStats:
    """How one quiz went in one language over a period.

    Attributes:
        quiz: The quiz id.
        language: ``km``, ``ko`` or ``en``.
        started: Attempts begun.
        finished: Attempts with every question answered.
        average_score: Mean share of right answers over finished attempts (0..1), or None.
        questions: Per question answered at least once, in order.
    """

    quiz: str
    language: str
    started: int
    finished: int
    average_score: float | None
    questions: tuple[QuestionStats, ...]


@dataclass(frozen=True, slots=True)
class QuizDay:
    """Attempts of one quiz in one language on one day."""

    day: date
    quiz: str
    language: str
    started: int
    finished: int


def _in_period(since: date, until: date | None) -> Any:
    day = _attempts.c.day
    return day >= since if until is None else and_(day >= since, day <= until)


def _as_date(value: Any) -> date:
    # SQLite hands dates of aggregated queries back as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def quiz_stats(db: Database, since: date, until: date | None = None) -> list[QuizStats]:
    """Per quiz and language: started, finished, average score and per-question right answers.

    Args:
        db: The database.
        since: First day counted.
        until: Last day counted (inclusive); None for up to today.

    Returns:
        One entry per quiz and language with at least one attempt, sorted by quiz then language.
    """
    a = _attempts.c
    period = _in_period(since, until)
    finished = a.score.is_not(None)
    share = case((finished, sql_cast(a.score, Float) / a.questions))
    totals = (
        select(
            a.quiz,
            a.language,
            func.count(),
            func.count(case((finished, 1))),
            func.avg(share),
        )
        .where(period)
        .group_by(a.quiz, a.language)
    )
    per_question = (
        select(
            a.quiz,
            a.language,
            _answers.c.question,
            func.count(),
            func.count(case((_answers.c.correct.is_(True), 1))),
        )
        .join(_answers, _answers.c.attempt_id == a.attempt_id)
        .where(period)
        .group_by(a.quiz, a.language, _answers.c.question)
        .order_by(_answers.c.question)
    )
    async with db.session() as session:
        rows = (await session.execute(totals)).all()
        question_rows = (await session.execute(per_question)).all()
    questions: dict[tuple[str, str], list[QuestionStats]] = {}
    for quiz, language, number, answered, correct in question_rows:
        questions.setdefault((quiz, language), []).append(QuestionStats(int(number), int(answered), int(correct)))
    stats = [
        QuizStats(
            quiz=quiz,
            language=language,
            started=int(started),
            finished=int(done),
            average_score=None if average is None else float(average),
            questions=tuple(questions.get((quiz, language), ())),
        )
        for quiz, language, started, done, average in rows
    ]
    return sorted(stats, key=lambda s: (s.quiz, s.language))


async def quiz_days(db: Database, since: date, until: date | None = None) -> list[QuizDay]:
    """Attempts started and finished per day, quiz and language (days without any are left out).

    Args:
        db: The database.
        since: First day counted.
        until: Last day counted (inclusive); None for up to today.

    Returns:
        Sorted by day, then quiz, then language.
    """
    a = _attempts.c
    stmt = (
        select(a.day, a.quiz, a.language, func.count(), func.count(case((a.score.is_not(None), 1))))
        .where(_in_period(since, until))
        .group_by(a.day, a.quiz, a.language)
        .order_by(a.day, a.quiz, a.language)
    )
    async with db.session() as session:
        rows = (await session.execute(stmt)).all()
    return [
        QuizDay(_as_date(day), quiz, language, int(started), int(done)) for day, quiz, language, started, done in rows
    ]
