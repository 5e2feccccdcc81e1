"""Trend events: checks and questions are counted for staff, anonymously, without slowing replies."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from bot.settings import Settings
from bot.trend_events import TrendRecorder, strip_personal_data
from classifier import CheckResult, Entities
from nlu.types import NLU_FALLBACK, IntentScore, NluResult
from storage import Database
from storage.events import EventStore, NewCheckEvent, NewQuestionEvent
from storage.trends import TrendsRepository
from tests.bot.support import running_bot

PARCEL_SMS = "Your parcel is held at customs. Pay the 2 USD fee now at http://bit.ly/xk2 or it will be returned today"
PERSONAL_QUESTION = "My name is Sok Dara, a man called +855 12 345 678 wants my ABA account 001 234 567, real?"
#: No link or number in it (those would make it a check): only a name and an e-mail address to strip.
NAMED_QUESTION = "My name is Sok Dara and sok.dara@gmail.com got a mail from a loan app, what should I do"


@dataclass
class FakeParser:
    """Stands in for Rasa: answers with the result the test sets."""

    result: NluResult
    seen: list[str] = field(default_factory=list)

    async def parse(self, text: str) -> NluResult:
        self.seen.append(text)
        return self.result


@pytest.mark.parametrize(
    ("question", "gone", "kept"),
    [
        (PERSONAL_QUESTION, ["Sok", "Dara", "345", "234 567"], ["My name is", "wants my ABA account", "real?"]),
        (
            "제 이름은 김민수입니다. 010-1234-5678 에서 김철수 씨가 http://kb-card.top 링크를 보냈어요",
            ["김민수", "1234", "김철수", "kb-card"],
            ["제 이름은", "링크를 보냈어요"],
        ),
        (
            "ខ្ញុំឈ្មោះ ដារា គេផ្ញើលេខ 012 345 678 និង @prize_admin មកខ្ញុំ",
            ["ដារា", "345", "prize_admin"],
            ["ខ្ញុំឈ្មោះ", "មកខ្ញុំ"],
        ),
        ("write to sok.dara@gmail.com about it", ["sok.dara"], ["write to", "about it"]),
    ],
)
def test_questions_lose_numbers_links_handles_and_names_but_keep_their_words(
    question: str, gone: list[str], kept: list[str]
) -> None:
    stripped = strip_personal_data(question)

    for part in gone:
        assert part not in stripped
    for part in kept:
        assert part in stripped


def test_a_long_question_is_cut() -> None:
    assert len(strip_personal_data("why " * 500, limit=300)) == 300


async def test_a_check_and_an_unsure_question_reach_the_trends(settings: Settings, trained_models: None) -> None:
    ranking = (IntentScore("scam_loan", 0.2), IntentScore("greet", 0.1))
    parser = FakeParser(NluResult(NLU_FALLBACK, 0.2, ranking))
    async with running_bot(settings, rasa=parser) as bot:
        chat = bot.chat(language_code="en")
        await chat.tap("check:start")
        card = await chat.say(PARCEL_SMS)
        unsure = await chat.say(NAMED_QUESTION)
        parser.result = NluResult("scam_parcel", 0.9, (IntentScore("scam_parcel", 0.9),))
        sure = await chat.say("what is a parcel scam")
        bot.assert_no_crash([card, unsure, sure])

    db = Database(settings.effective_database_url)
    try:
        trends = TrendsRepository(db)
        since = trends.today() - timedelta(days=1)
        checks = await trends.checks_per_day(since)
        days = await trends.fallback_per_day(since)
        questions = await trends.unanswered_questions(since)
    finally:
        await db.dispose()
    # "suspicious" when no classifier is trained (red-flag signals only), "scam" with the model.
    assert [(c.language, c.count) for c in checks] == [("en", 1)]
    assert checks[0].verdict in ("scam", "suspicious")
    assert [(d.language, d.questions, d.unsure) for d in days] == [("en", 2, 1)]
    assert len(questions) == 1
    assert questions[0].closest_intent == "scam_loan"
    assert "Dara" not in questions[0].text and "sok.dara" not in questions[0].text
    assert "got a mail from a loan app" in questions[0].text


class BrokenStore(EventStore):
    """An event store whose database is gone."""

    def __init__(self) -> None:
        pass

    async def add(self, checks: object = (), questions: object = ()) -> None:
        raise ConnectionError("database is down")

    async def forget_questions(self, *, before: date) -> int:
        raise ConnectionError("database is down")


def _result(verdict: str = "scam") -> CheckResult:
    return CheckResult(verdict, 0.99, "parcel", "en", (), Entities())


async def test_a_dead_database_costs_the_events_only_and_logs_no_text(caplog: pytest.LogCaptureFixture) -> None:
    recorder = TrendRecorder(BrokenStore(), today=lambda: date(2026, 3, 10), question_retention=timedelta(days=30))
    recorder.check_answered("en", _result())
    recorder.question_answered("en", PERSONAL_QUESTION, NluResult(NLU_FALLBACK, 0.1))

    with caplog.at_level(logging.WARNING):
        written = await recorder.flush()

    assert written == 0
    assert recorder.pending == 0
    assert "could not store 2 trend events" in caplog.text
    assert "Dara" not in caplog.text and "345" not in caplog.text


class MemoryStore(EventStore):
    """Keeps what would be written, in memory."""

    def __init__(self) -> None:
        self.checks: list[NewCheckEvent] = []
        self.questions: list[NewQuestionEvent] = []

    async def add(self, checks=(), questions=()) -> None:  # type: ignore[no-untyped-def]
        self.checks += checks
        self.questions += questions

    async def forget_questions(self, *, before: date) -> int:
        return 0


async def test_a_flood_is_capped_and_sure_answers_keep_no_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.trend_events.MAX_PENDING", 3)
    store = MemoryStore()
    recorder = TrendRecorder(store, today=lambda: date(2026, 3, 10), question_retention=timedelta(days=30))
    recorder.question_answered("km", "what is a loan scam", NluResult("scam_loan", 0.9))
    for _ in range(5):
        recorder.check_answered("km", _result("suspicious"))

    assert await recorder.flush() == 3

    assert [q.question for q in store.questions] == [None]
    assert len(store.checks) == 2
