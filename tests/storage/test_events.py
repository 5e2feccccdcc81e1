"""Trend events and the trends queries, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from storage import Database
from storage.events import EventStore, NewCheckEvent, NewQuestionEvent
from storage.models import QUESTION_TEXT_MAX_LENGTH, QuestionEvent
from storage.reports import NewCase, insert_case, link_indicators, set_case_status, upsert_indicators
from storage.trends import TrendsRepository

TODAY = date(2026, 3, 10)


def _trends(db: Database) -> TrendsRepository:
    return TrendsRepository(db, utc_offset=timedelta(hours=7), today=lambda: TODAY)


def _case(created_at: datetime, *, language: str = "km", scam_type: str | None = "phishing") -> NewCase:
    return NewCase(
        submission_key=None,
        created_at=created_at,
        status="received",
        priority="normal",
        routing="kh",
        routing_reasons=[],
        scam_type=scam_type,
        language=language,
        reporter_id=1,
        relation="self",
        korean_national=None,
        contact_ok=False,
        share_with_authorities=True,
        contact=None,
        evidence={"texts": ["x"]},
        situation=None,
        money_amount=None,
        money_currency=None,
        money_method=None,
        money_bank=None,
        occurred_at=None,
        contact_channel=None,
        classifier_score=0.9,
        signals=[],
        credibility=0.7,
        credibility_reasons=[],
        text_signature=None,
    )


async def _add_case(db: Database, created_at: datetime, indicators: list[tuple[str, str]] = (), **kw: object) -> int:
    async with db.session() as session:
        new = await insert_case(session, _case(created_at, **kw), number=lambda i, _: f"KH-T-{i:06d}")
        ids = await upsert_indicators(session, indicators, created_at)
        await link_indicators(session, new.id, ids.values())
    return new.id


async def test_checks_are_counted_per_day_language_type_and_verdict(db: Database) -> None:
    store = EventStore(db)
    yesterday = TODAY - timedelta(days=1)
    await store.add(
        checks=[
            NewCheckEvent(TODAY, "km", "scam", "parcel"),
            NewCheckEvent(TODAY, "km", "scam", "parcel"),
            NewCheckEvent(TODAY, "ko", "no_signs", None),
            NewCheckEvent(yesterday, "km", "scam", "parcel"),
            NewCheckEvent(TODAY - timedelta(days=30), "en", "scam", "loan"),
        ]
    )

    rows = await _trends(db).checks_per_day(TODAY - timedelta(days=6))

    counts = {(r.day, r.language, r.verdict, r.scam_type): r.count for r in rows}
    assert counts == {
        (yesterday, "km", "scam", "parcel"): 1,
        (TODAY, "km", "scam", "parcel"): 2,
        (TODAY, "ko", "no_signs", None): 1,
    }


async def test_reports_are_cut_into_local_days_and_rejected_ones_left_out(db: Database) -> None:
    # 23:30 UTC on the 8th is 06:30 on the 9th in Phnom Penh; 16:59 UTC on the 9th is 23:59 there.
    await _add_case(db, datetime(2026, 3, 8, 23, 30, tzinfo=UTC), language="km", scam_type="parcel")
    await _add_case(db, datetime(2026, 3, 9, 16, 59, tzinfo=UTC), language="km", scam_type="parcel")
    await _add_case(db, datetime(2026, 3, 9, 17, 1, tzinfo=UTC), language="ko", scam_type=None)
    rejected = await _add_case(db, datetime(2026, 3, 9, 10, 0, tzinfo=UTC), language="en")
    async with db.session() as session:
        await set_case_status(session, rejected, "rejected", datetime(2026, 3, 9, 11, tzinfo=UTC))

    rows = await _trends(db).reports_per_day(date(2026, 3, 9))

    assert [(r.day, r.language, r.scam_type, r.count) for r in rows] == [
        (date(2026, 3, 9), "km", "parcel", 2),
        (date(2026, 3, 10), "ko", None, 1),
    ]


async def test_top_entities_count_this_weeks_reports(db: Database) -> None:
    phone, site, old = ("phone", "+85512345678"), ("domain", "kh-post-fee.top"), ("phone", "+85599000000")
    week_ago = datetime(2026, 3, 3, 17, tzinfo=UTC)  # the 4th, 00:00 in Phnom Penh
    for hours in (1, 2, 3):
        await _add_case(db, week_ago + timedelta(hours=hours), [phone, site] if hours < 3 else [phone])
    await _add_case(db, week_ago - timedelta(days=2), [old])
    await _add_case(db, week_ago - timedelta(days=3), [old])

    top = await _trends(db).top_entities(date(2026, 3, 4), limit=5)

    assert [(e.kind, e.value, e.reports) for e in top] == [("phone", phone[1], 3), ("domain", site[1], 2)]
    assert top[0].total_reports == 3


async def test_fallback_rate_per_day_and_language(db: Database) -> None:
    store = EventStore(db)
    await store.add(
        questions=[
            NewQuestionEvent(TODAY, "km", "scam_parcel", "rasa", False),
            NewQuestionEvent(TODAY, "km", "scam_loan", "rasa", True, "is this loan real"),
            NewQuestionEvent(TODAY, "km", "greet", "local", False),
            NewQuestionEvent(TODAY, "km", "menu", "local", True, "what about ..."),
            NewQuestionEvent(TODAY, "en", "thanks", "rasa", False),
        ]
    )

    days = await _trends(db).fallback_per_day(TODAY)

    by_lang = {d.language: d for d in days}
    assert (by_lang["km"].questions, by_lang["km"].unsure, by_lang["km"].local) == (4, 2, 2)
    assert by_lang["km"].rate == 0.5
    assert by_lang["en"].rate == 0.0


async def test_unanswered_questions_newest_first_only_unsure_ones_keep_text(db: Database) -> None:
    store = EventStore(db)
    await store.add(
        questions=[
            NewQuestionEvent(TODAY - timedelta(days=2), "ko", "scam_loan", "rasa", True, "대출 수수료 먼저 내라는데"),
            NewQuestionEvent(TODAY, "km", "scam_romance", "rasa", True, "x" * 1000),
            NewQuestionEvent(TODAY, "en", "greet", "rasa", False, "hello, I am fine"),
        ]
    )

    questions = await _trends(db).unanswered_questions(TODAY - timedelta(days=7))

    assert [(q.language, q.closest_intent) for q in questions] == [("km", "scam_romance"), ("ko", "scam_loan")]
    assert len(questions[0].text) == QUESTION_TEXT_MAX_LENGTH
    assert questions[1].text == "대출 수수료 먼저 내라는데"
    async with db.session() as session:
        kept = list(await session.scalars(select(QuestionEvent.question).where(~QuestionEvent.unsure)))
    assert kept == [None]
    only_ko = await _trends(db).unanswered_questions(TODAY - timedelta(days=7), language="ko")
    assert [q.language for q in only_ko] == ["ko"]


async def test_old_question_texts_are_forgotten_but_still_counted(db: Database) -> None:
    store = EventStore(db)
    old, recent = TODAY - timedelta(days=40), TODAY - timedelta(days=1)
    await store.add(
        questions=[
            NewQuestionEvent(old, "km", "scam_loan", "rasa", True, "old question"),
            NewQuestionEvent(recent, "km", "scam_loan", "rasa", True, "recent question"),
        ]
    )

    cleared = await store.forget_questions(before=TODAY - timedelta(days=30))

    assert cleared == 1
    trends = _trends(db)
    assert [q.text for q in await trends.unanswered_questions(old)] == ["recent question"]
    assert sum(d.unsure for d in await trends.fallback_per_day(old)) == 2


async def test_an_empty_database_has_empty_trends(db: Database) -> None:
    trends = _trends(db)
    since = TODAY - timedelta(days=6)

    assert await trends.checks_per_day(since) == []
    assert await trends.reports_per_day(since) == []
    assert await trends.top_entities(since) == []
    assert await trends.fallback_per_day(since) == []
    assert await trends.unanswered_questions(since) == []
