"""What the trends page shows: checks, reports and questions per day, and the top entities.

Counting happens in SQL (GROUP BY), the same on SQLite and PostgreSQL. Days are local
days: events are stored with their local day already; cases carry UTC timestamps, which
are shifted by the repository's UTC offset before they are cut into days (Cambodia and
Korea keep one offset all year).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Date, Integer, Table, case, distinct, func, literal_column, select
from sqlalchemy import cast as sql_cast

from storage.db import Database
from storage.models import Case, CheckEvent, Indicator, QuestionEvent, ReportIndicator

_checks = cast(Table, CheckEvent.__table__)
_questions = cast(Table, QuestionEvent.__table__)
_cases = cast(Table, Case.__table__)
_indicators = cast(Table, Indicator.__table__)
_links = cast(Table, ReportIndicator.__table__)

#: Phnom Penh time (UTC+7, no daylight saving): the default day boundary.
CAMBODIA_OFFSET = timedelta(hours=7)


@dataclass(frozen=True, slots=True)
class DayCount:
    """How many checks or reports one day had for one language and scam type.

    ``verdict`` is set for checks only (reports have none).
    """

    day: date
    language: str
    scam_type: str | None
    count: int
    verdict: str | None = None


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An indicator and how many (non-rejected) reports named it in the window."""

    kind: str
    value: str
    provenance: str
    reports: int
    total_reports: int
    removal_requested: bool


@dataclass(frozen=True, slots=True)
class FallbackDay:
    """Free-text questions on one day in one language, and how many the bot was unsure of.

    ``local`` counts answers from the local matcher because Rasa was down or slow.
    """

    day: date
    language: str
    questions: int
    unsure: int
    local: int

    @property
    def rate(self) -> float:
        """Share of questions answered with "did you mean..." topics instead of one answer."""
        return self.unsure / self.questions if self.questions else 0.0


@dataclass(frozen=True, slots=True)
class UnansweredQuestion:
    """A question the bot was unsure about (personal data stripped), newest first."""

    id: int
    day: date
    language: str
    closest_intent: str
    text: str


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


class TrendsRepository:
    """Read-only queries for the trends page.

    Args:
        db: The database.
        utc_offset: The offset of the staff's local time, where a day starts.
        today: Returns the local date; tests pass a fixed one.
    """

    def __init__(
        self,
        db: Database,
        *,
        utc_offset: timedelta = CAMBODIA_OFFSET,
        today: Callable[[], date] | None = None,
    ) -> None:
        if utc_offset % timedelta(minutes=1) or abs(utc_offset) > timedelta(hours=14):
            raise ValueError(f"utc_offset {utc_offset!r} must be whole minutes within ±14 hours")
        self._db = db
        self._offset = utc_offset
        self._today = today or (lambda: (datetime.now(UTC) + utc_offset).date())

    def today(self) -> date:
        """The local date now."""
        return self._today()

    def _utc_start(self, day: date) -> datetime:
        """The UTC instant at which a local day begins."""
        return datetime.combine(day, time(), tzinfo=UTC) - self._offset

    def _local_day(self, column: Any) -> Any:
        """SQL for the local date of a UTC timestamp column (a literal offset, so GROUP BY matches)."""
        minutes = int(self._offset / timedelta(minutes=1))
        if self._db.dialect == "sqlite":
            return func.date(column, literal_column(f"'{minutes:+d} minutes'"), type_=Date)
        return sql_cast(func.timezone("UTC", column) + literal_column(f"INTERVAL '{minutes} minutes'"), Date)

    async def checks_per_day(self, since: date, until: date | None = None) -> list[DayCount]:
        """Checks per local day, language, verdict and scam type, from ``since`` to ``until`` (inclusive)."""
        until = until or self.today()
        stmt = (
            select(_checks.c.day, _checks.c.language, _checks.c.scam_type, _checks.c.verdict, func.count())
            .where(_checks.c.day >= since, _checks.c.day <= until)
            .group_by(_checks.c.day, _checks.c.language, _checks.c.scam_type, _checks.c.verdict)
            .order_by(_checks.c.day, _checks.c.language, _checks.c.scam_type, _checks.c.verdict)
        )
        async with self._db.session() as session:
            rows = (await session.execute(stmt)).all()
        return [DayCount(_as_date(d), lang, st, int(n), verdict) for d, lang, st, verdict, n in rows]

    async def reports_per_day(self, since: date, until: date | None = None) -> list[DayCount]:
        """Reports (not rejected) per local day, language and scam type."""
        until = until or self.today()
        day = self._local_day(_cases.c.created_at).label("day")
        stmt = (
            select(day, _cases.c.language, _cases.c.scam_type, func.count())
            .where(
                _cases.c.created_at >= self._utc_start(since),
                _cases.c.created_at < self._utc_start(until + timedelta(days=1)),
                _cases.c.status != "rejected",
            )
            .group_by(day, _cases.c.language, _cases.c.scam_type)
            .order_by(day, _cases.c.language, _cases.c.scam_type)
        )
        async with self._db.session() as session:
            rows = (await session.execute(stmt)).all()
        return [DayCount(_as_date(d), lang, st, int(n)) for d, lang, st, n in rows]

    async def top_entities(self, since: date, *, limit: int = 10) -> list[EntityCount]:
        """The indicators most (non-rejected) reports named since the start of ``since``."""
        reports = func.count(distinct(_cases.c.id)).label("reports")
        stmt = (
            select(
                _indicators.c.kind,
                _indicators.c.value,
                _indicators.c.provenance,
                reports,
                _indicators.c.report_count,
                _indicators.c.removal_requested,
            )
            .select_from(
                _links.join(_cases, _cases.c.id == _links.c.case_id).join(
                    _indicators, _indicators.c.id == _links.c.indicator_id
                )
            )
            .where(_cases.c.created_at >= self._utc_start(since), _cases.c.status != "rejected")
            .group_by(
                _indicators.c.id,
                _indicators.c.kind,
                _indicators.c.value,
                _indicators.c.provenance,
                _indicators.c.report_count,
                _indicators.c.removal_requested,
            )
            .order_by(reports.desc(), _indicators.c.report_count.desc(), _indicators.c.id)
            .limit(limit)
        )
        async with self._db.session() as session:
            rows = (await session.execute(stmt)).all()
        return [EntityCount(k, v, p, int(n), int(total), bool(removal)) for k, v, p, n, total, removal in rows]

    async def fallback_per_day(self, since: date, until: date | None = None) -> list[FallbackDay]:
        """Questions, unsure answers and local-matcher answers per local day and language."""
        until = until or self.today()
        unsure = func.sum(case((_questions.c.unsure, 1), else_=0), type_=Integer)
        local = func.sum(case((_questions.c.source == "local", 1), else_=0), type_=Integer)
        stmt = (
            select(_questions.c.day, _questions.c.language, func.count(), unsure, local)
            .where(_questions.c.day >= since, _questions.c.day <= until)
            .group_by(_questions.c.day, _questions.c.language)
            .order_by(_questions.c.day, _questions.c.language)
        )
        async with self._db.session() as session:
            rows = (await session.execute(stmt)).all()
        return [FallbackDay(_as_date(d), lang, int(n), int(u or 0), int(lo or 0)) for d, lang, n, u, lo in rows]

    async def unanswered_questions(
        self, since: date, *, language: str | None = None, limit: int = 50
    ) -> list[UnansweredQuestion]:
        """The most recent questions the bot was unsure about, with their text (newest first)."""
        stmt = select(
            _questions.c.id, _questions.c.day, _questions.c.language, _questions.c.intent, _questions.c.question
        ).where(_questions.c.day >= since, _questions.c.unsure, _questions.c.question.is_not(None))
        if language is not None:
            stmt = stmt.where(_questions.c.language == language)
        stmt = stmt.order_by(_questions.c.day.desc(), _questions.c.id.desc()).limit(limit)
        async with self._db.session() as session:
            rows = (await session.execute(stmt)).all()
        return [UnansweredQuestion(i, _as_date(d), lang, intent, text) for i, d, lang, intent, text in rows]
