"""De-duplication: reports about one scam join one campaign; "N people reported this"."""

from __future__ import annotations

import asyncio

from intake import Assessment, Evidence, IntakeService
from tests.intake.factories import PARCEL_TEXT, PRIZE_TEXT, credible_draft, weak_draft


def _report(reporter_id: int, *, text: str = "", **entities: list[str]):
    return weak_draft(
        reporter_id=reporter_id,
        evidence=Evidence(texts=(text,) if text else ()),
        assessment=Assessment(score=0.9, entities=entities),
    )


async def test_reports_sharing_a_phone_number_join_one_campaign(service: IntakeService) -> None:
    a = await service.submit(_report(1, phone=["+85512345678"]))
    b = await service.submit(_report(2, phone=["+855 12 345 678"], bank_account=["000111222"]))
    c = await service.submit(_report(3, phone=["+85599999999"]))

    assert a.campaign_id == b.campaign_id != c.campaign_id
    assert (a.campaign_reports, b.campaign_reports, c.campaign_reports) == (1, 2, 1)


async def test_links_on_one_scam_domain_join_but_shared_platforms_do_not(service: IntakeService) -> None:
    a = await service.submit(_report(1, url=["https://login.aba-prize.xyz/a"]))
    b = await service.submit(_report(2, url=["http://aba-prize.xyz/other/page"]))
    fb1 = await service.submit(_report(3, url=["https://www.facebook.com/scam.page.one"]))
    fb2 = await service.submit(_report(4, url=["https://www.facebook.com/another.page"]))

    assert a.campaign_id == b.campaign_id
    assert len({a.campaign_id, fb1.campaign_id, fb2.campaign_id}) == 3


async def test_near_identical_texts_join_one_campaign(service: IntakeService) -> None:
    variant = PRIZE_TEXT.replace("$500", "$800").replace("24 hours", "12 hours").replace("Your", "Dear Dara, your")
    a = await service.submit(_report(1, text=PRIZE_TEXT))
    b = await service.submit(_report(2, text=variant))
    c = await service.submit(_report(3, text=PARCEL_TEXT))

    assert a.campaign_id == b.campaign_id != c.campaign_id


async def test_a_report_linking_two_campaigns_merges_them(service: IntakeService) -> None:
    a = await service.submit(_report(1, phone=["+85511111111"]))
    b = await service.submit(_report(2, telegram=["@fast_cash_kh"]))
    bridge = await service.submit(_report(3, phone=["+85511111111"], telegram=["fast_cash_kh"]))
    later = await service.submit(_report(4, telegram=["@FAST_CASH_KH"]))

    assert a.campaign_id != b.campaign_id
    assert bridge.campaign_id == later.campaign_id == min(a.campaign_id or 0, b.campaign_id or 0)
    assert later.campaign_reports == 4


async def test_similar_reports_counts_people_not_reports(service: IntakeService) -> None:
    await service.submit(_report(1, phone=["+85512345678"]))
    await service.submit(_report(1, phone=["+85512345678"]))  # the same person twice
    await service.submit(_report(2, phone=["+85512345678"], url=["https://aba-prize.xyz/x"]))

    found = await service.similar_reports({"url": ["https://aba-prize.xyz/y"]})
    assert (found.report_count, found.reporter_count) == (3, 2)
    assert [(i.kind, i.value, i.reporter_count) for i in found.indicators] == [("domain", "aba-prize.xyz", 1)]

    by_text = await service.similar_reports({}, text=PARCEL_TEXT)
    assert by_text.report_count == 0


async def test_similar_reports_finds_a_reported_message_by_its_text(service: IntakeService) -> None:
    await service.submit(_report(1, text=PRIZE_TEXT))
    await service.submit(_report(2, text=PRIZE_TEXT.replace("500", "700")))

    found = await service.similar_reports({}, text=PRIZE_TEXT.replace("ABA", "ACLEDA"))
    assert (found.report_count, found.reporter_count) == (2, 2)


async def test_rejected_reports_stop_counting(service: IntakeService) -> None:
    first = await service.submit(credible_draft(reporter_id=1))
    await service.submit(credible_draft(reporter_id=2))
    await service.set_status(first.case_number, "rejected", by="analyst")

    info = await service.lookup("phone", "+85512345678")
    assert info is not None and (info.report_count, info.reporter_count) == (1, 1)
    similar = await service.similar_reports({"phone": ["+85512345678"]})
    assert similar.reporter_count == 1

    await service.set_status(first.case_number, "under_review", by="analyst")
    info = await service.lookup("phone", "+85512345678")
    assert info is not None and info.report_count == 2


async def test_concurrent_reports_of_one_number_still_join_one_campaign(service: IntakeService) -> None:
    receipts = await asyncio.gather(*(service.submit(_report(i, phone=["+85577000111"])) for i in range(6)))

    assert len({r.case_number for r in receipts}) == 6
    assert len({r.campaign_id for r in receipts}) == 1
    info = await service.lookup("phone", "+85577000111")
    assert info is not None and (info.report_count, info.reporter_count) == (6, 6)
