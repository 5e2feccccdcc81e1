"""Triage, trends and alerts in real headless Chromium (Debian's, driven by Playwright).

An analyst finds the urgent case at the top of the queue, reads its evidence, sets its
status (the reporter is then told) and merges it into a campaign; the trends and alerts
pages are opened too. Screenshots: var/artifacts/screenshots/{triage,triage_case,trends,alerts}.png.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from admin.app import AdminServices
from intake import Evidence, IntakeService
from storage.events import EventStore, NewCheckEvent, NewQuestionEvent
from storage.subscriptions import SubscriptionRepository
from storage.trends import TrendsRepository
from tests.admin.support import add_staff

# The browser set-up (Debian's chromium, the console served on a free port, one SQLite
# database) is the console's own, from the login and content-editor browser tests.
from tests.admin.test_browser import SCREENSHOTS, browser_page, chromium, console_url, db, log_in  # noqa: F401
from tests.intake.factories import PARCEL_TEXT, credible_draft, weak_draft

pytestmark = pytest.mark.browser

LOAN_QUESTION = "កម្ចីតាមអនឡាញ ត្រូវបង់ប្រាក់មុន?"


async def test_an_analyst_triages_the_urgent_case_first(
    browser_page,  # type: ignore[no-untyped-def]  # noqa: F811
    console_url: str,  # noqa: F811
    services: AdminServices,
) -> None:
    page = browser_page
    intake = IntakeService(services.db)
    await intake.submit(weak_draft(reporter_id=1))
    first = await intake.submit(credible_draft(reporter_id=2))
    urgent = await intake.submit(
        weak_draft(reporter_id=3, urgent=True, evidence=Evidence(texts=(PARCEL_TEXT,)), share_with_authorities=False)
    )
    await add_staff(services.staff, "dara", "analyst")

    await log_in(page, console_url, "dara")
    await page.wait_for_url(console_url + "/")
    await page.click("nav >> text=Reports")
    await page.wait_for_url(console_url + "/triage")
    rows = page.locator("table.queue tbody tr")
    assert await rows.count() == 2  # open cases: the credible one was forwarded at once
    assert urgent.case_number in await rows.nth(0).inner_text()
    await page.screenshot(path=str(SCREENSHOTS / "triage.png"), full_page=True)

    await page.click(f"text={urgent.case_number}")
    await page.wait_for_url(f"{console_url}/triage/{urgent.case_number}")
    assert "Pay the 3 USD fee" in await page.inner_text("blockquote.evidence")
    assert "Why this score" in await page.inner_text("main")

    await page.select_option("select[name=status]", "under_review")
    await page.fill("textarea[name=note]", "called the reporter back")
    await page.click("button:has-text('Set status')")
    await page.wait_for_url(f"**/triage/{urgent.case_number}?done=status")
    assert "The reporter will be told" in await page.inner_text(".notice")
    notices = await intake.pending_notices()
    assert [(n.reporter_id, n.status) for n in notices] == [(3, "under_review")]

    await page.fill("input[name=campaign]", str(first.campaign_id))
    await page.click("button:has-text('Merge')")
    await page.wait_for_url(f"**/triage/{urgent.case_number}?done=merged")
    assert f"#{first.campaign_id}: 2 reports" in await page.inner_text("table.facts")
    await page.screenshot(path=str(SCREENSHOTS / "triage_case.png"), full_page=True)

    await page.goto(console_url + "/alerts")
    assert "Your role (analyst) cannot open this page." in await page.inner_text("main")


async def test_trends_and_alerts_pages_in_the_browser(
    browser_page,  # type: ignore[no-untyped-def]  # noqa: F811
    console_url: str,  # noqa: F811
    services: AdminServices,
) -> None:
    page = browser_page
    today = TrendsRepository(services.db, utc_offset=services.trends_offset).today()
    kinds = ("parcel", "phishing", "job_offer", "investment", None)
    await EventStore(services.db).add(
        checks=[
            NewCheckEvent(today - timedelta(days=d), ("km", "ko", "en")[d % 3], "scam", kinds[(d * n) % 5])
            for d in range(14)
            for n in range(1 + d % 4)
        ],
        questions=[
            NewQuestionEvent(
                today - timedelta(days=d), "km", "scam_loan", "rasa", d % 3 == 0, "កម្ចីតាមអនឡាញ ត្រូវបង់ប្រាក់មុន?"
            )
            for d in range(14)
        ],
    )
    await IntakeService(services.db).submit(credible_draft())
    subscriptions = SubscriptionRepository(services.db)
    for user_id, lang in ((1, "km"), (2, "ko"), (3, "en")):
        await subscriptions.subscribe(user_id, language=lang, topics=["all"])
    await add_staff(services.staff, "sokha", "editor")

    await log_in(page, console_url, "sokha")
    await page.wait_for_url(console_url + "/")
    await page.click("nav >> text=Trends")
    await page.wait_for_url(console_url + "/trends")
    assert await page.locator("svg.chart").count() == 4
    assert "កម្ចីតាមអនឡាញ" in await page.inner_text("table.questions")
    await page.screenshot(path=str(SCREENSHOTS / "trends.png"), full_page=True)

    await page.click("nav >> text=Alerts")
    await page.wait_for_url(console_url + "/alerts")
    await page.fill("#text-km", "ប្រយ័ត្នសារក្លែងជាធនាគារ")
    await page.fill("#text-ko", "은행 사칭 문자를 조심하세요")
    await page.fill("#text-en", "Beware of fake bank texts")
    await page.click("button[value=preview]")
    assert await page.inner_text("[data-testid=audience]") == "3"
    assert "Beware of fake bank texts" in await page.inner_text("[data-testid=preview-en]")
    await page.screenshot(path=str(SCREENSHOTS / "alerts.png"), full_page=True)
    await page.click("button[value=send]")
    await page.wait_for_url("**/alerts/*")
    assert await page.inner_text("[data-testid=state]") == "scheduled"
