"""The report journey: a report filed in the chat becomes a case, reaches the sink, and its reporter hears back."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.i18n import Translator
from bot.settings import Settings
from content.catalogue import ContentCatalogue
from handlers.report import minutes_to_wait, parse_amount, parse_phone
from intake import Evidence, IntakeService, ReportDraft, read_messages
from tests.bot.support import Chat, Replies, RunningBot, running_bot, script

T = Translator.from_directory()
PARCEL_SMS = "Your parcel is held at customs. Pay the 2 USD fee now at http://bit.ly/xk2 or it will be returned today"
JOB_OFFER = (
    "Hiring in Sihanoukville! Typing job, salary 2500 USD a month, free flight and visa. "
    "No experience needed. Contact @fastjob_hr on Telegram, send your passport photo today."
)
CASE_NUMBER = re.compile(r"\b[A-Z]{2}-\d{4}-\d{6}\b")


@pytest.fixture(autouse=True)
def _default_intake(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default intake (JSONL under the test's data folder), whatever the developer's shell says."""
    for name in list(os.environ):
        if name.startswith("INTAKE_"):
            monkeypatch.delenv(name)


def link_entities(text: str) -> list[dict[str, object]]:
    """The `url` entities Telegram attaches to a message's links."""
    return [
        {"type": "url", "offset": m.start(), "length": m.end() - m.start()} for m in re.finditer(r"https?://\S+", text)
    ]


def intake_of(bot: RunningBot) -> IntakeService:
    """The running bot's intake service (to look at what the user's report became)."""
    services = bot.app.bot_data.services
    assert services is not None
    return services.intake


def case_number_in(replies: Replies) -> str:
    """The case number the user was given (fails the test if there is none)."""
    found = CASE_NUMBER.search(replies.text)
    assert found, f"no case number in: {replies.text[:300]}"
    return found.group(0)


async def wait_for(condition: Callable[[], object], *, timeout: float = 15.0) -> object:
    """Polls `condition` until it returns something truthy (background tasks run meanwhile)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (value := condition()):
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting for the background task"
        await asyncio.sleep(0.1)
    return value


async def answer_the_rest(
    chat: Chat, *, share: str = "yes", contact: str = "none", korean: str | None = None
) -> Replies:
    """From "Was any money lost?" to the summary: no money, this week, Telegram, then consent.

    `korean` answers the nationality question, which Korean conversations are asked.
    """
    await chat.tap("report:money:no")
    await chat.tap("report:when:week")
    await chat.tap("report:channel:telegram")
    if korean is not None:
        await chat.tap(f"report:korean:{korean}")
    await chat.tap(f"report:share:{share}")
    return await chat.tap(f"report:contact:{contact}")


async def test_a_full_report_becomes_a_case_and_reaches_the_sink(bot_app: RunningBot, settings: Settings) -> None:
    chat = bot_app.chat(language_code="en", user_id=501)
    seen: list[Replies] = []

    first = await chat.say("/report")
    seen.append(first)
    assert T("en", "report.ask_type") in first.last.text
    assert {"report:type:parcel", "report:type:other", "report:cancel"} <= set(first.callback_data)
    assert "report:back" not in first.callback_data  # nothing to go back to yet
    assert T("en", "report.ask_victim") in (await chat.tap("report:type:parcel")).last.text
    assert T("en", "report.ask_evidence") in (await chat.tap("report:victim:self")).last.text
    pasted = await chat.say(PARCEL_SMS, entities=link_entities(PARCEL_SMS))
    assert "report:done" in pasted.callback_data
    photo = await chat.send(chat.factory.photo(caption="the SMS I got"))
    assert T("en", "report.evidence_added", count=4) in photo.last.text  # 2 texts, 1 link, 1 photo
    assert T("en", "report.ask_money") in (await chat.tap("report:done")).last.text
    await chat.tap("report:money:yes")
    assert T("en", "report.ask_currency") in (await chat.say("1,500")).last.text
    assert T("en", "report.ask_method") in (await chat.tap("report:cur:USD")).last.text
    assert T("en", "report.ask_when") in (await chat.tap("report:method:bank_transfer")).last.text
    await chat.tap("report:when:today")
    share = await chat.tap("report:channel:sms")
    assert T("en", "report.ask_share") in share.last.text  # no Korean question for this English report
    await chat.tap("report:share:yes")
    assert T("en", "report.ask_phone") in (await chat.tap("report:contact:phone")).last.text
    summary = await chat.say("012 345 678")
    seen += [pasted, photo, share, summary]

    assert T("en", "report.summary_title") in summary.last.text
    assert "1,500 USD" in summary.last.text and "+85512345678" in summary.last.text
    assert not CASE_NUMBER.search(summary.text)  # nothing is said to be received before Send
    assert await intake_of(bot_app).my_cases(501) == ()
    sent = await chat.tap("report:confirm")
    seen.append(sent)
    number = case_number_in(sent)
    assert T("en", "report.received_forwarded") in sent.last.text
    bot_app.assert_no_crash(seen)

    detail = await intake_of(bot_app).get_case(number)
    assert detail is not None
    case = detail.case
    assert case.reporter_id == 501 and case.scam_type == "parcel" and case.relation == "self"
    assert case.evidence["texts"] == [PARCEL_SMS, "the SMS I got"]
    assert case.evidence["links"] == ["http://bit.ly/xk2"]
    assert [f["type"] for f in case.evidence["files"]] == ["photo"]
    assert (case.money_amount, case.money_currency, case.money_method) == ("1500", "USD", "bank_transfer")
    assert case.contact_channel == "sms" and case.share_with_authorities
    assert case.contact == {"method": "phone", "value": "+85512345678", "safe_time": None, "name": None}
    assert case.classifier_score is not None and case.classifier_score > 0.5  # the classifier read the evidence

    sink = Path(settings.data_dir) / "intake" / "cases.jsonl"
    delivered = await wait_for(lambda: [m for m in read_messages(sink) if m["case"]["case_number"] == number])
    assert len(delivered) == 1  # type: ignore[arg-type]


async def test_report_from_a_check_card_starts_with_the_checked_message(
    bot_app: RunningBot, content: ContentCatalogue
) -> None:
    chat = bot_app.chat(language_code="en", user_id=502)
    card = await chat.say(PARCEL_SMS)
    assert "report:from_check" in card.callback_data

    start = await chat.tap("report:from_check")
    assert T("en", "report.ask_victim") in start.last.text  # the type came from the check
    assert "report:back" in start.callback_data
    evidence = await chat.tap("report:victim:self")
    assert T("en", "report.evidence_prefilled") in evidence.last.text
    await chat.tap("report:done")
    summary = await answer_the_rest(chat)
    assert content.scam_type("en", "parcel").title in summary.last.text
    number = case_number_in(await chat.tap("report:confirm"))

    detail = await intake_of(bot_app).get_case(number)
    assert detail is not None
    assert detail.case.evidence["texts"] == [PARCEL_SMS] and detail.case.scam_type == "parcel"
    assert detail.case.evidence["links"] == ["http://bit.ly/xk2"]
    bot_app.assert_no_crash([card, start, evidence, summary])


async def test_the_check_card_counts_reports_of_the_same_message(bot_app: RunningBot) -> None:
    reporter = bot_app.chat(language_code="en", user_id=503)
    await reporter.say("/check")
    await reporter.say(JOB_OFFER)
    await reporter.tap("report:from_check")
    await reporter.tap("report:victim:self")
    await reporter.tap("report:done")
    await answer_the_rest(reporter)
    case_number_in(await reporter.tap("report:confirm"))

    other = bot_app.chat(language_code="en", user_id=504)
    await other.say("/check")
    card = await other.say(JOB_OFFER)
    assert T("en", "check.reported", count=1) in card.last.text


async def test_back_asks_again_and_cancel_leaves_without_a_case(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=505)
    await chat.say("/report")
    await chat.tap("report:type:romance")
    back = await chat.tap("report:back")
    assert T("en", "report.ask_type") in back.last.text
    await chat.tap("report:type:investment")
    await chat.tap("report:victim:self")
    await chat.tap("report:done")
    await chat.tap("report:money:yes")
    bad = await chat.say("a lot")
    assert T("en", "report.bad_amount") in bad.last.text
    assert {"report:back", "report:cancel"} <= set(bad.callback_data)
    assert T("en", "report.ask_money") in (await chat.tap("report:back")).last.text

    cancelled = await chat.tap("report:cancel")
    assert T("en", "report.cancelled") in cancelled.last.text
    assert "check:start" in cancelled.callback_data  # the main menu
    stale = await chat.tap("report:money:no")  # an old button after cancelling
    assert T("en", "report.ask_when") not in stale.text
    assert await intake_of(bot_app).my_cases(505) == ()
    bot_app.assert_no_crash([back, bad, cancelled, stale])


async def test_slash_cancel_works_while_typing_an_answer(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=506)
    await chat.say("/report")
    await chat.tap("report:type:loan")
    await chat.tap("report:victim:self")
    await chat.tap("report:done")
    await chat.tap("report:money:yes")
    cancelled = await chat.say("/cancel")
    assert T("en", "report.cancelled") in cancelled.last.text
    after = await chat.say("1500")
    assert T("en", "report.ask_currency") not in after.text


async def test_a_report_resumes_after_a_restart(settings: Settings, trained_models: None) -> None:
    async with running_bot(settings) as first_run:
        chat = first_run.chat(language_code="en", user_id=507)
        await chat.say("/report")
        await chat.tap("report:type:job_offer")
        await chat.tap("report:victim:self")
        await chat.say(JOB_OFFER)
    async with running_bot(settings) as second_run:
        chat = second_run.chat(language_code="en", user_id=507)
        money = await chat.tap("report:done")
        assert T("en", "report.ask_money") in money.last.text
        summary = await answer_the_rest(chat)
        sent = await chat.tap("report:confirm")
        detail = await intake_of(second_run).get_case(case_number_in(sent))
        assert detail is not None
        assert detail.case.evidence["texts"] == [JOB_OFFER] and detail.case.scam_type == "job_offer"
        second_run.assert_no_crash([money, summary, sent])


async def test_an_anonymous_report_stores_no_contact(bot_app: RunningBot, settings: Settings) -> None:
    chat = bot_app.chat(language_code="en", user_id=508)
    await chat.say(PARCEL_SMS)
    await chat.tap("report:from_check")
    await chat.tap("report:victim:self")
    await chat.tap("report:done")
    summary = await answer_the_rest(chat, share="yes", contact="none")
    assert T("en", "report.anonymous") in summary.last.text
    number = case_number_in(await chat.tap("report:confirm"))

    detail = await intake_of(bot_app).get_case(number)
    assert detail is not None
    assert detail.case.contact is None and not detail.case.contact_ok
    sink = Path(settings.data_dir) / "intake" / "cases.jsonl"
    messages = await wait_for(lambda: [m for m in read_messages(sink) if m["case"]["case_number"] == number])
    reporter = messages[0]["case"]["reporter"]  # type: ignore[index]
    assert reporter["contact"] is None and 508 not in reporter.values()


async def test_contact_on_telegram_keeps_a_way_to_reach_the_reporter(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=509)
    await chat.say("/report")
    await chat.tap("report:type:lottery")
    await chat.tap("report:victim:self")
    await chat.tap("report:done")
    await answer_the_rest(chat, share="no", contact="telegram")
    sent = await chat.tap("report:confirm")
    assert T("en", "report.received_kept") in sent.last.text  # not shared: kept, not forwarded

    detail = await intake_of(bot_app).get_case(case_number_in(sent))
    assert detail is not None
    assert detail.case.contact == {"method": "telegram", "value": "tg://user?id=509", "safe_time": None, "name": None}
    assert detail.case.status == "received" and detail.case.forwarded_at is None


async def test_a_link_written_to_be_unclickable_is_kept_as_a_link(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=521)
    await chat.say("/report")
    await chat.tap("report:type:phishing")
    await chat.tap("report:victim:self")
    await chat.say("They told me to log in at hxxp://aba-verify[.]com/login to unlock my account")
    await chat.tap("report:done")
    summary = await answer_the_rest(chat)
    assert T("en", "report.evidence_counts", texts=1, links=1, files=0) in summary.last.text
    detail = await intake_of(bot_app).get_case(case_number_in(await chat.tap("report:confirm")))
    assert detail is not None
    assert detail.case.evidence["links"] == ["http://aba-verify.com/login"]


async def test_the_sender_of_a_forwarded_message_is_reported_too(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=522)
    await chat.say("/report")
    await chat.tap("report:type:job_offer")
    await chat.tap("report:victim:self")
    origin = {
        "type": "user",
        "date": int(datetime.now(UTC).timestamp()),
        "sender_user": {"id": 777, "is_bot": False, "first_name": "HR", "username": "Recruiter_KH"},
    }
    kept = await chat.say("Come to Cambodia, easy job, we pay the ticket", forward_origin=origin)
    assert T("en", "report.evidence_added", count=1) in kept.last.text  # kept as evidence, not checked
    await chat.tap("report:done")
    await answer_the_rest(chat)
    detail = await intake_of(bot_app).get_case(case_number_in(await chat.tap("report:confirm")))
    assert detail is not None
    assert any(i.kind == "telegram" and "recruiter_kh" in i.value for i in detail.indicators)


async def test_a_wrong_phone_number_is_asked_again(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=510)
    await chat.say("/report")
    await chat.tap("report:type:phishing")
    await chat.tap("report:victim:self")
    await chat.tap("report:done")
    await chat.tap("report:money:no")
    await chat.tap("report:when:month")
    await chat.tap("report:channel:call")
    await chat.tap("report:share:yes")
    await chat.tap("report:contact:phone")
    wrong = await chat.say("12")
    assert T("en", "report.bad_phone") in wrong.last.text
    summary = await chat.say("+82 10-1234-5678")
    assert "+821012345678" in summary.last.text


async def test_a_family_member_learns_what_they_can_do_in_korean(
    bot_app: RunningBot, content: ContentCatalogue
) -> None:
    chat = bot_app.chat(language_code="ko", user_id=511)
    await chat.say("/report")
    await chat.tap("report:type:trafficking")
    advice = await chat.tap("report:victim:family")
    text = advice.last.text
    assert T("ko", "report.relative_intro") in text
    assert content.article("ko", "urgent_safety").steps[1] in text  # what the victim must send the police
    assert script(text) == "ko"
    assert "report:continue" in advice.callback_data
    await chat.tap("report:continue")
    await chat.tap("report:done")
    await chat.tap("report:money:no")
    await chat.tap("report:when:earlier")
    korean = await chat.tap("report:channel:kakao")
    assert T("ko", "report.ask_korean") in korean.last.text
    await chat.tap("report:korean:yes")
    await chat.tap("report:share:yes")
    summary = await chat.tap("report:contact:telegram")
    assert script(summary.last.text) == "ko"
    sent = await chat.tap("report:confirm")
    assert script(sent.last.text) == "ko"

    detail = await intake_of(bot_app).get_case(case_number_in(sent))
    assert detail is not None
    case = detail.case
    assert (case.relation, case.korean_national, case.language) == ("family", True, "ko")
    assert case.routing in ("kr", "both")
    bot_app.assert_no_crash([advice, korean, summary, sent])


async def test_the_whole_journey_speaks_khmer(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="km", user_id=512)
    replies = [await chat.say("/report")]
    for data in ("report:type:loan", "report:victim:self", "report:done", "report:money:yes"):
        replies.append(await chat.tap(data))
    replies.append(await chat.say("១២០០"))  # Khmer digits
    for data in ("report:cur:KHR", "report:method:wallet", "report:when:today", "report:channel:facebook"):
        replies.append(await chat.tap(data))
    replies.append(await chat.tap("report:share:yes"))
    replies.append(await chat.tap("report:contact:none"))
    assert "1,200 KHR" in replies[-1].last.text
    replies.append(await chat.tap("report:confirm"))
    case_number_in(replies[-1])
    for reply in replies:
        assert script(reply.last.text) == "km", reply.last.text[:120]
    bot_app.assert_no_crash(replies)


async def test_mycases_lists_the_reporters_cases_with_their_status(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=513)
    empty = await chat.say("/mycases")
    assert T("en", "mycases.none") in empty.last.text
    await chat.say("/report")
    await chat.tap("report:type:romance")
    await chat.tap("report:victim:self")
    await chat.tap("report:done")
    await answer_the_rest(chat, share="no")
    number = case_number_in(await chat.tap("report:confirm"))

    listed = await chat.say("/mycases")
    assert number in listed.last.text
    assert T("en", "mycases.status_received") in listed.last.text
    assert datetime.now(UTC).date().isoformat() in listed.last.text
    assert number not in (await bot_app.chat(language_code="en", user_id=514).say("/mycases")).text


async def test_an_analysts_status_change_is_pushed_to_the_reporter_in_their_language(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="ko", user_id=515)
    await chat.say(PARCEL_SMS)
    await chat.tap("report:from_check")
    await chat.tap("report:victim:self")
    await chat.tap("report:done")
    await answer_the_rest(chat, share="yes", korean="no")
    number = case_number_in(await chat.tap("report:confirm"))

    await intake_of(bot_app).set_status(number, "under_review", by="analyst")

    def pushed() -> list[str]:
        return [
            c.text
            for c in bot_app.request.sent("sendMessage")
            if str(c.params.get("chat_id")) == "515" and number in c.text and "🔔" in c.text
        ]

    texts = await wait_for(pushed)
    assert texts == [T("ko", "report.notice", case=number, status=T("ko", "mycases.status_under_review"))]
    assert await intake_of(bot_app).pending_notices() == ()  # told once, not again


async def test_two_taps_on_send_make_one_case(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=516)
    await chat.say("/report")
    await chat.tap("report:type:investment")
    await chat.tap("report:victim:self")
    await chat.say("Guaranteed 30% a week, deposit USDT to TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE")
    await chat.tap("report:done")
    await answer_the_rest(chat)

    first, second = await asyncio.gather(chat.tap("report:confirm"), chat.tap("report:confirm"))

    numbers = {m.group(0) for r in (first, second) for m in CASE_NUMBER.finditer(r.text)}
    assert len(numbers) == 1
    assert len(await intake_of(bot_app).my_cases(516)) == 1


async def test_nothing_is_said_received_when_the_store_fails_and_send_again_works(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=517)
    await chat.say("/report")
    await chat.tap("report:type:parcel")
    await chat.tap("report:victim:self")
    await chat.say(PARCEL_SMS)
    await chat.tap("report:done")
    await answer_the_rest(chat)
    intake = intake_of(bot_app)
    real_submit = intake.submit

    async def store_down(draft: ReportDraft) -> None:
        raise ConnectionError("database is down")

    intake.submit = store_down  # type: ignore[method-assign]
    failed = await chat.tap("report:confirm")
    intake.submit = real_submit  # type: ignore[method-assign]

    assert T("en", "report.save_failed") in failed.last.text
    assert not CASE_NUMBER.search(failed.text)
    assert "report:confirm" in failed.callback_data
    retried = await chat.tap("report:confirm")
    case_number_in(retried)
    assert len(await intake.my_cases(517)) == 1


async def test_a_reporter_flooding_reports_is_slowed_down_politely(bot_app: RunningBot) -> None:
    intake = intake_of(bot_app)
    for n in range(5):
        await intake.submit(ReportDraft(reporter_id=518, language="en", evidence=Evidence(texts=(f"spam {n}",))))

    slowed = await bot_app.chat(language_code="en", user_id=518).say("/report")
    text = slowed.last.text
    assert T("en", "report.ask_type") not in text
    minutes = re.search(r"about (\d+) min", text)
    assert minutes and 55 <= int(minutes.group(1)) <= 60
    assert "/help" in text
    other = await bot_app.chat(language_code="en", user_id=519).say("/report")
    assert T("en", "report.ask_type") in other.last.text
    bot_app.assert_no_crash([slowed, other])


async def test_report_in_a_group_asks_for_a_private_chat(bot_app: RunningBot) -> None:
    group = bot_app.chat(language_code="en", user_id=520, chat_type="group", chat_id=-100)
    replies = await group.say("/report")
    assert T("en", "report.private_only") in replies.last.text
    assert any(url.startswith("https://t.me/") for _, url in replies.buttons)


# --- the pure parts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1500", "1500"),
        ("1,500", "1500"),
        ("$ 250.50", "250.50"),
        ("1.500.000", "1500000"),
        ("1.500,50", "1500.50"),
        ("១២០០", "1200"),
        ("500,000원", "500000"),
        ("12,5", "12.5"),
    ],
)
def test_amounts_are_read_as_people_type_them(typed: str, amount: str) -> None:
    parsed = parse_amount(typed)
    assert parsed is not None and format(parsed, "f") == amount


@pytest.mark.parametrize("typed", ["", "a lot", "0", "0.00", "1000000000000000000", "..."])
def test_what_is_not_an_amount_is_refused(typed: str) -> None:
    assert parse_amount(typed) is None


def test_phone_numbers_are_read_as_cambodian_then_korean() -> None:
    assert parse_phone("012 345 678", "en") == "+85512345678"
    assert parse_phone("010-1234-5678", "ko") == "+821012345678"
    assert parse_phone("+66 81 234 5678", "km") == "+66812345678"
    assert parse_phone("12345", "en") is None


def test_the_pace_limit_frees_up_as_old_reports_leave_the_hour() -> None:
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    four = [now - timedelta(minutes=m) for m in (1, 5, 10, 20)]
    assert minutes_to_wait(four, now) == 0
    five = [*four, now - timedelta(minutes=50)]
    assert minutes_to_wait(five, now) == 10  # the 50-minute-old report leaves the window in 10 minutes
    assert minutes_to_wait([*four, now - timedelta(minutes=61)], now) == 0
