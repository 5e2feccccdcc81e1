"""The trends page: checks, reports, top entities, fallback rate and unanswered questions, as charts."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from admin.app import AdminServices
from admin.trends_charts import colour_series, line_chart, stacked_bars
from intake import IntakeService
from storage.events import EventStore, NewCheckEvent, NewQuestionEvent
from storage.quiz import QuizResults
from storage.trends import TrendsRepository
from tests.admin.support import add_staff, log_in
from tests.intake.factories import credible_draft


def _today(services: AdminServices):  # type: ignore[no-untyped-def]
    return TrendsRepository(services.db, utc_offset=services.trends_offset).today()


async def test_logged_out_visitors_are_sent_to_log_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/trends")

    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("role", ["editor", "analyst", "admin"])
async def test_every_staff_role_sees_the_trends(client: httpx.AsyncClient, services: AdminServices, role: str) -> None:
    await add_staff(services.staff, "kanha", role)
    await log_in(client, "kanha")

    page = await client.get("/trends")

    assert page.status_code == 200
    assert page.text.count("<svg") == 4
    assert 'href="/trends"' in page.text  # in the menu


async def test_the_page_shows_what_people_checked_reported_and_asked(
    client: httpx.AsyncClient, services: AdminServices
) -> None:
    today = _today(services)
    await EventStore(services.db).add(
        checks=[NewCheckEvent(today, "km", "scam", "parcel")] * 3 + [NewCheckEvent(today, "ko", "no_signs", None)],
        questions=[
            NewQuestionEvent(today, "km", "scam_loan", "rasa", True, "តើកម្ចីតាមអនឡាញនេះពិតទេ"),
            NewQuestionEvent(today, "ko", "greet", "rasa", False),
            NewQuestionEvent(
                today - timedelta(days=2), "en", "scam_romance", "local", True, "<script>alert(1)</script>"
            ),
        ],
    )
    await IntakeService(services.db).submit(credible_draft())
    quizzes = QuizResults(services.db, today=lambda: today)
    for attempt, answers in (("a1", (True, False, True)), ("a2", (True, False, False))):
        await quizzes.started(attempt, quiz="parcel", language="km", questions=3)
        for question, correct in enumerate(answers):
            await quizzes.answered(attempt, question, correct=correct)
        await quizzes.finished(attempt)
    await add_staff(services.staff, "kanha", "editor")
    await log_in(client, "kanha")

    page = await client.get("/trends?days=7")

    assert page.status_code == 200
    assert "<b>4</b> messages checked (3 scam, 1 no signs)" in page.text
    assert "<b>1</b> reports" in page.text
    assert "parcel (3)" in page.text and "phishing (1)" in page.text  # legends with totals
    assert "+85512345678" in page.text  # most reported this week
    quiz_row = page.text.split('<table class="grid quizzes">')[1].split("</table>")[0]
    assert "<td>parcel</td><td>Khmer</td><td>2</td><td>2</td>" in quiz_row
    assert "50%" in quiz_row and "question 2: 0% right" in quiz_row
    assert "តើកម្ចីតាមអនឡាញនេះពិតទេ" in page.text
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    khmer_only = await client.get("/trends?days=7&qlang=km")
    assert "តើកម្ចីតាមអនឡាញនេះពិតទេ" in khmer_only.text and "&lt;script&gt;" not in khmer_only.text


async def test_odd_parameters_fall_back_to_the_defaults(client: httpx.AsyncClient, services: AdminServices) -> None:
    await add_staff(services.staff, "kanha", "analyst")
    await log_in(client, "kanha")

    for query in ("days=abc", "days=100000", "qlang=<b>", "days=-1&qlang=xx"):
        page = await client.get(f"/trends?{query}")
        assert page.status_code == 200
        assert 'aria-current="true">14 days' in page.text


def test_stacked_bars_scale_to_the_busiest_day_and_escape_names() -> None:
    from datetime import date

    days = [date(2026, 3, 1), date(2026, 3, 2)]
    series = colour_series([("parcel", [3, 1]), ("<loan>", [4, 0])])

    svg = str(stacked_bars(days, series, title="Checks & reports"))

    assert svg.count("<rect") == 3  # zero values draw nothing
    assert "&lt;loan&gt;" in svg and "<loan>" not in svg
    assert "Checks &amp; reports" in svg
    assert ">8</text>" in svg and ">6</text>" in svg  # the busiest day (7): an axis of 0, 2, 4, 6, 8


def test_a_day_without_questions_is_a_gap_not_a_zero() -> None:
    from datetime import date

    days = [date(2026, 3, d) for d in (1, 2, 3)]
    svg = str(line_chart(days, colour_series([("Khmer", [0.5, -1, 0.25])]), title="unsure"))

    assert svg.count("<circle") == 2
    assert "Khmer: 50%" in svg and "Khmer: 25%" in svg
