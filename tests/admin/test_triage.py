"""Report triage in the console: analysts see the queue and cases, set statuses, merge, export."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
from sqlalchemy import select

from admin.app import AdminServices
from intake import Contact, Evidence, IntakeService
from storage.models import AuditEntry, Case
from tests.admin.support import add_staff, csrf_from, log_in, post_form
from tests.intake.factories import PARCEL_TEXT, credible_draft, weak_draft


@pytest.fixture
def intake(services: AdminServices) -> IntakeService:
    return IntakeService(services.db)


@pytest.fixture
async def analyst(client: httpx.AsyncClient, services: AdminServices) -> httpx.AsyncClient:
    await add_staff(services.staff, "dara", "analyst")
    await log_in(client, "dara")
    return client


async def test_logged_out_visitors_see_nothing_of_triage(client: httpx.AsyncClient, intake: IntakeService) -> None:
    receipt = await intake.submit(weak_draft())
    for path in ("/triage", f"/triage/{receipt.case_number}", "/triage/export.csv"):
        response = await client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")
    posted = await client.post(f"/triage/{receipt.case_number}/status", data={"status": "closed"})
    assert posted.status_code == 303 and posted.headers["location"] == "/login"


async def test_editors_cannot_triage(client: httpx.AsyncClient, services: AdminServices, intake: IntakeService) -> None:
    receipt = await intake.submit(weak_draft())
    await add_staff(services.staff, "sophea", "editor")
    home = await log_in(client, "sophea")
    assert home.status_code == 303

    for path in ("/triage", f"/triage/{receipt.case_number}", "/triage/export.json"):
        assert (await client.get(path)).status_code == 403
    token = csrf_from((await client.get("/")).text)
    refused = await client.post(f"/triage/{receipt.case_number}/status", data={"status": "closed", "csrf_token": token})
    assert refused.status_code == 403
    assert (await intake.get_case(receipt.case_number)).case.status == "received"  # type: ignore[union-attr]
    assert "/triage" not in (await client.get("/")).text


async def test_the_queue_puts_urgent_then_credible_cases_first(
    analyst: httpx.AsyncClient, intake: IntakeService
) -> None:
    weak = await intake.submit(weak_draft(reporter_id=1))
    strong = await intake.submit(credible_draft(reporter_id=2))
    urgent = await intake.submit(weak_draft(reporter_id=3, urgent=True))

    page = await analyst.get("/triage?status=all")

    assert page.status_code == 200
    order = [page.text.index(n) for n in (urgent.case_number, strong.case_number, weak.case_number)]
    assert order == sorted(order)
    open_only = await analyst.get("/triage")
    assert weak.case_number in open_only.text
    assert strong.case_number not in open_only.text  # forwarded already: not waiting for anyone
    assert (await analyst.get("/triage?status=nonsense&lang=xx&type=<script>&offset=-5")).status_code == 200


async def test_a_case_shows_evidence_entities_and_score_reasons(
    analyst: httpx.AsyncClient, intake: IntakeService
) -> None:
    receipt = await intake.submit(
        credible_draft(evidence=Evidence(texts=(PARCEL_TEXT,), links=("http://kh-post-fee.top",)))
    )

    page = await analyst.get(f"/triage/{receipt.case_number}")

    assert page.status_code == 200
    assert "Pay the 3 USD fee" in page.text
    assert "+85512345678" in page.text  # the phone number the classifier found
    assert "Why this score" in page.text
    assert all(reason.code.replace("_", " ") in page.text for reason in receipt.reasons)
    assert (await analyst.get("/triage/KH-0000-999999")).status_code == 404


async def test_setting_a_status_is_recorded_audited_and_told_to_the_reporter(
    analyst: httpx.AsyncClient, services: AdminServices, intake: IntakeService
) -> None:
    receipt = await intake.submit(weak_draft(reporter_id=77, language="km"))
    path = f"/triage/{receipt.case_number}"

    done = await post_form(
        analyst, f"{path}/status", {"status": "under_review", "note": "calling the bank"}, form_page=path
    )

    assert done.status_code == 303
    page = await analyst.get(done.headers["location"])
    assert "The reporter will be told" in page.text
    assert "calling the bank" in page.text and "dara" in page.text
    notices = await intake.pending_notices()
    assert [(n.reporter_id, n.language, n.status) for n in notices if n.case_number == receipt.case_number] == [
        (77, "km", "under_review")
    ]
    async with services.db.session() as session:
        audit = (await session.execute(select(AuditEntry).where(AuditEntry.action == "case.status"))).scalars().all()
    assert [(a.actor, a.target) for a in audit] == [("dara", f"case:{receipt.case_number}")]


async def test_status_changes_need_the_form_token_and_a_real_status(
    analyst: httpx.AsyncClient, intake: IntakeService
) -> None:
    receipt = await intake.submit(weak_draft())
    path = f"/triage/{receipt.case_number}"

    forged = await analyst.post(f"{path}/status", data={"status": "closed"})
    assert forged.status_code == 403
    bad = await post_form(analyst, f"{path}/status", {"status": "deleted"}, form_page=path)
    assert bad.status_code == 400 and "Choose one of the statuses" in bad.text
    same = await post_form(analyst, f"{path}/status", {"status": "received"}, form_page=path)
    assert same.status_code == 400 and "already received" in same.text
    long_note = await post_form(analyst, f"{path}/status", {"status": "closed", "note": "x" * 501}, form_page=path)
    assert long_note.status_code == 400
    assert (await intake.get_case(receipt.case_number)).case.status == "received"  # type: ignore[union-attr]


async def test_forwarding_without_consent_is_refused_with_the_reason(
    analyst: httpx.AsyncClient, intake: IntakeService
) -> None:
    receipt = await intake.submit(weak_draft(share_with_authorities=False))
    path = f"/triage/{receipt.case_number}"

    refused = await post_form(analyst, f"{path}/status", {"status": "forwarded"}, form_page=path)

    assert refused.status_code == 400
    assert "did not agree to share it" in refused.text


async def test_merging_a_case_moves_its_campaign(
    analyst: httpx.AsyncClient, services: AdminServices, intake: IntakeService
) -> None:
    first = await intake.submit(credible_draft(reporter_id=1))
    other = await intake.submit(
        weak_draft(reporter_id=2, evidence=Evidence(texts=("Totally different words about a loan app",)))
    )
    assert first.campaign_id != other.campaign_id
    path = f"/triage/{other.case_number}"

    done = await post_form(analyst, f"{path}/merge", {"campaign": f"#{first.campaign_id}"}, form_page=path)

    assert done.status_code == 303
    async with services.db.session() as session:
        campaigns = set((await session.execute(select(Case.campaign_id))).scalars())
    assert campaigns == {first.campaign_id}
    page = await analyst.get(f"/triage/{first.case_number}")
    assert f"#{first.campaign_id}: 2 reports" in page.text
    again = await post_form(analyst, f"{path}/merge", {"campaign": str(first.campaign_id)}, form_page=path)
    assert again.status_code == 400 and "already in campaign" in again.text
    missing = await post_form(analyst, f"{path}/merge", {"campaign": "99999"}, form_page=path)
    assert missing.status_code == 400 and "no campaign #99999" in missing.text
    junk = await post_form(analyst, f"{path}/merge", {"campaign": "1; drop table"}, form_page=path)
    assert junk.status_code == 400


async def test_exports_carry_cases_but_no_reporter_data(analyst: httpx.AsyncClient, intake: IntakeService) -> None:
    receipt = await intake.submit(
        credible_draft(reporter_id=987654321, contact_ok=True, contact=Contact("phone", "+85599111222", name="Dara"))
    )

    as_csv = await analyst.get("/triage/export.csv?status=all")
    as_json = await analyst.get("/triage/export.json?status=all")

    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["case_number"] for r in rows] == [receipt.case_number]
    assert json.loads(as_json.text)[0]["case_number"] == receipt.case_number
    for body in (as_csv.text, as_json.text):
        assert "987654321" not in body and "+85599111222" not in body and "Congratulations" not in body
    assert (await analyst.get("/triage/export.xml")).status_code == 404
