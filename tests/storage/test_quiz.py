"""Quiz results: each answer counts once, and the trends queries add them up per quiz, language and day."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import inspect

from storage import Database
from storage.quiz import QuestionStats, QuizDay, QuizResults, quiz_days, quiz_stats

MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)


class Days:
    """A settable "today"."""

    def __init__(self, day: date = MONDAY) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


async def take(
    results: QuizResults,
    attempt: str,
    answers: list[bool],
    *,
    quiz: str = "phishing",
    language: str = "en",
    questions: int = 4,
    finish: bool = True,
) -> None:
    """One attempt: started, the given answers in order, finished if asked."""
    assert await results.started(attempt, quiz=quiz, language=language, questions=questions)
    for number, correct in enumerate(answers):
        assert await results.answered(attempt, number, correct=correct)
    if finish:
        assert await results.finished(attempt) == sum(answers)


async def test_no_column_can_identify_a_person(db: Database) -> None:
    async with db.engine.connect() as conn:
        columns = await conn.run_sync(
            lambda c: {t: {col["name"] for col in inspect(c).get_columns(t)} for t in ("quiz_attempts", "quiz_answers")}
        )

    assert columns == {
        "quiz_attempts": {"attempt_id", "day", "quiz", "language", "questions", "score"},
        "quiz_answers": {"attempt_id", "question", "correct"},
    }


async def test_stats_per_quiz_and_language(db: Database) -> None:
    results = QuizResults(db, today=Days())
    await take(results, "a1", [True, True, True, True])
    await take(results, "a2", [True, False, True, False])
    await take(results, "a3", [False], finish=False)  # gave up after one question
    await take(results, "k1", [True, True, False], quiz="romance", language="km", questions=3)

    stats = await quiz_stats(db, since=MONDAY)

    assert [(s.quiz, s.language, s.started, s.finished) for s in stats] == [
        ("phishing", "en", 3, 2),
        ("romance", "km", 1, 1),
    ]
    phishing, romance = stats
    assert phishing.average_score == pytest.approx(0.75)  # 4/4 and 2/4; the unfinished one is left out
    assert phishing.questions == (
        QuestionStats(0, 3, 2),
        QuestionStats(1, 2, 1),
        QuestionStats(2, 2, 2),
        QuestionStats(3, 2, 1),
    )
    assert phishing.questions[0].correct_rate == pytest.approx(2 / 3)
    assert romance.average_score == pytest.approx(2 / 3)


async def test_a_repeated_answer_or_finish_counts_once(db: Database) -> None:
    results = QuizResults(db, today=Days())
    await results.started("a1", quiz="loan", language="ko", questions=3)

    assert await results.answered("a1", 0, correct=True)
    assert not await results.answered("a1", 0, correct=False)  # a double tap, or a retry after a restart
    assert not await results.started("a1", quiz="loan", language="ko", questions=3)
    await results.answered("a1", 1, correct=False)
    await results.answered("a1", 2, correct=True)
    assert await results.finished("a1") == 2
    assert await results.finished("a1") is None
    assert not await results.answered("a1", 1, correct=True)  # finished: nothing more counts

    (stats,) = await quiz_stats(db, since=MONDAY)
    assert (stats.started, stats.finished, stats.average_score) == (1, 1, pytest.approx(2 / 3))
    assert [q.answered for q in stats.questions] == [1, 1, 1]


async def test_simultaneous_double_taps_count_once(db: Database) -> None:
    results = QuizResults(db, today=Days())
    await results.started("a1", quiz="loan", language="ko", questions=3)

    recorded = await asyncio.gather(*(results.answered("a1", 0, correct=True) for _ in range(5)))

    assert sum(recorded) == 1


@pytest.mark.parametrize(
    ("attempt", "question"),
    [("unknown", 0), ("a1", 3), ("a1", -1), ("a1", 40_000)],
)
async def test_answers_to_unknown_attempts_or_questions_are_refused(db: Database, attempt: str, question: int) -> None:
    results = QuizResults(db, today=Days())
    await results.started("a1", quiz="loan", language="ko", questions=3)

    assert not await results.answered(attempt, question, correct=True)
    assert await results.finished("unknown") is None
    assert (await quiz_stats(db, since=MONDAY))[0].questions == ()


@pytest.mark.parametrize(
    ("attempt", "quiz", "questions"),
    [("", "loan", 3), ("x" * 33, "loan", 3), ("a1", "q" * 65, 3), ("a1", "loan", 0)],
)
async def test_implausible_attempts_are_refused(db: Database, attempt: str, quiz: str, questions: int) -> None:
    assert not await QuizResults(db).started(attempt, quiz=quiz, language="en", questions=questions)
    assert await quiz_stats(db, since=date(2000, 1, 1)) == []


async def test_days_and_periods(db: Database) -> None:
    days = Days(MONDAY)
    results = QuizResults(db, today=days)
    await take(results, "m1", [True, True, True, True])
    await take(results, "m2", [True], finish=False)
    days.day = TUESDAY
    await take(results, "t1", [False, False, False, False])
    await take(results, "t2", [True, True, True], quiz="parcel", language="ko", questions=3)

    per_day = await quiz_days(db, since=MONDAY)
    only_tuesday = await quiz_stats(db, since=TUESDAY)
    only_monday = await quiz_stats(db, since=MONDAY, until=MONDAY)

    assert per_day == [
        QuizDay(MONDAY, "phishing", "en", 2, 1),
        QuizDay(TUESDAY, "parcel", "ko", 1, 1),
        QuizDay(TUESDAY, "phishing", "en", 1, 1),
    ]
    assert [(s.quiz, s.started, s.average_score) for s in only_tuesday] == [
        ("parcel", 1, pytest.approx(1.0)),
        ("phishing", 1, pytest.approx(0.0)),
    ]
    assert [(s.quiz, s.started, s.finished) for s in only_monday] == [("phishing", 2, 1)]
    assert await quiz_days(db, since=date(2027, 1, 1)) == []


async def test_results_survive_a_restart(db: Database, db_target) -> None:  # type: ignore[no-untyped-def]
    await QuizResults(db, today=Days()).started("a1", quiz="loan", language="km", questions=3)
    await QuizResults(db, today=Days()).answered("a1", 0, correct=True)

    reopened = db_target.open()
    try:
        results = QuizResults(reopened, today=Days())
        assert not await results.answered("a1", 0, correct=True)
        assert await results.answered("a1", 1, correct=True)
        assert [q.answered for q in (await quiz_stats(reopened, since=MONDAY))[0].questions] == [1, 1]
    finally:
        await reopened.dispose()
