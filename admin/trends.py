"""Trends for campaign staff and analysts: what people check and report, and what the bot could not answer."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from admin.pages import NavItem, Role, Staff, page, render, services
from admin.trends_charts import Series, colour_series, line_chart, stacked_bars
from storage.quiz import QuizStats, quiz_days, quiz_stats
from storage.trends import DayCount, TrendsRepository

NAV = (NavItem("Trends", "/trends", (Role.EDITOR, Role.ANALYST)),)

WINDOWS = (7, 14, 30, 90)
DEFAULT_WINDOW = 14
LANGUAGES = ("km", "ko", "en")
LANGUAGE_NAMES = {"km": "Khmer", "ko": "Korean", "en": "English"}
NO_TYPE = "no type"
#: Most scam types drawn separately; the rest are added up as "other types".
MAX_TYPES_DRAWN = 8


def trends_repository(request: Request) -> TrendsRepository:
    """The trends queries over the console's database, in the trends' time zone."""
    console = services(request)
    return TrendsRepository(console.db, utc_offset=getattr(console, "trends_offset", timedelta(hours=7)))


def day_range(since: date, until: date) -> list[date]:
    """Every day from ``since`` to ``until``, both included."""
    return [since + timedelta(days=i) for i in range((until - since).days + 1)]


def by_type(days: list[date], rows: Iterable[DayCount]) -> list[Series]:
    """Counts per day split by scam type, the most frequent types first (the rest added up)."""
    return split_by(days, ((row.day, row.scam_type or NO_TYPE, row.count) for row in rows))


def split_by(days: list[date], rows: Iterable[tuple[date, str, float]]) -> list[Series]:
    """``(day, name, count)`` rows as one series per name, the biggest first (beyond eight, added up)."""
    index = {day: i for i, day in enumerate(days)}
    per_type: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(days))
    for day, name, count in rows:
        if day in index:
            per_type[name.replace("_", " ")][index[day]] += count
    ranked = sorted(per_type.items(), key=lambda item: (-sum(item[1]), item[0]))
    kept, rest = ranked[:MAX_TYPES_DRAWN], ranked[MAX_TYPES_DRAWN:]
    if rest:
        kept.append(("other types", [sum(values[i] for _, values in rest) for i in range(len(days))]))
    return colour_series(kept)


def language_totals(rows: Iterable[DayCount]) -> dict[str, int]:
    """Totals per language over the window."""
    totals: Counter[str] = Counter()
    for row in rows:
        totals[row.language] += row.count
    return dict(totals.most_common())


@page(Role.EDITOR, Role.ANALYST)
async def trends_page(request: Request, staff: Staff) -> Response:
    """Checks and reports per day, top entities this week, NLU fallback rate, unanswered questions."""
    params = request.query_params
    try:
        window = int(params.get("days", DEFAULT_WINDOW))
    except ValueError:
        window = DEFAULT_WINDOW
    window = window if window in WINDOWS else DEFAULT_WINDOW
    question_lang = params.get("qlang") if params.get("qlang") in LANGUAGES else None
    repo = trends_repository(request)
    today = repo.today()
    since = today - timedelta(days=window - 1)
    days = day_range(since, today)

    checks = await repo.checks_per_day(since, today)
    reports = await repo.reports_per_day(since, today)
    week = today - timedelta(days=6)
    entities = await repo.top_entities(week, limit=15)
    fallback = await repo.fallback_per_day(since, today)
    questions = await repo.unanswered_questions(since, language=question_lang, limit=50)
    db = services(request).db
    quizzes = sorted(await quiz_stats(db, since, today), key=lambda q: (-q.started, q.quiz, q.language))
    quiz_series = split_by(days, ((d.day, d.quiz, d.started) for d in await quiz_days(db, since, today)))

    check_series, report_series = by_type(days, checks), by_type(days, reports)
    index = {day: i for i, day in enumerate(days)}
    rates: dict[str, list[float]] = {lang: [-1.0] * len(days) for lang in LANGUAGES}
    for row in fallback:
        if row.language in rates and row.day in index:
            rates[row.language][index[row.day]] = row.rate
    rate_series = colour_series([(LANGUAGE_NAMES[lang], rates[lang]) for lang in LANGUAGES])
    asked = sum(r.questions for r in fallback)
    unsure = sum(r.unsure for r in fallback)
    return render(
        request,
        "trends.html",
        {
            "window": window,
            "windows": WINDOWS,
            "since": since,
            "today": today,
            "days": days,
            "checks_chart": stacked_bars(days, check_series, title=f"Checks per day by scam type, last {window} days"),
            "reports_chart": stacked_bars(
                days, report_series, title=f"Reports per day by scam type, last {window} days"
            ),
            "quiz_chart": stacked_bars(days, quiz_series, title=f"Quizzes started per day, last {window} days"),
            "quiz_series": quiz_series,
            "quizzes": [(q, hardest_question(q)) for q in quizzes],
            "fallback_chart": line_chart(days, rate_series, title="Share of questions the bot was unsure about"),
            "check_series": check_series,
            "report_series": report_series,
            "rate_series": rate_series,
            "check_languages": language_totals(checks),
            "report_languages": language_totals(reports),
            "check_verdicts": dict(_verdicts(checks).most_common()),
            "total_checks": sum(r.count for r in checks),
            "total_reports": sum(r.count for r in reports),
            "entities": entities,
            "week": week,
            "fallback": fallback,
            "asked": asked,
            "unsure": unsure,
            "questions": questions,
            "question_lang": question_lang,
            "languages": LANGUAGES,
            "language_names": LANGUAGE_NAMES,
        },
    )


def hardest_question(stats: QuizStats) -> tuple[int, float] | None:
    """The question (1-based) fewest people got right, and its share of right answers."""
    rated = [(q.correct_rate, q.question) for q in stats.questions if q.correct_rate is not None]
    if not rated:
        return None
    rate, question = min(rated)
    return question + 1, rate


def _verdicts(rows: Iterable[DayCount]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for row in rows:
        counts[row.verdict or "unknown"] += row.count
    return counts


def routes() -> list[Route]:
    """The trends page."""
    return [Route("/trends", trends_page)]
