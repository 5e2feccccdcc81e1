"""The guided job-offer check: one tap per question, back and cancel, resumes after a restart."""

from __future__ import annotations

from bot.settings import Settings
from classifier.job_offer import QUESTIONS
from content.catalogue import ContentCatalogue
from tests.bot.support import RunningBot, running_bot

RISKY = {
    "destination": "cambodia",
    "travel": "employer_pays",
    "passport": "they_keep",
    "visa": "tourist_visa",
    "salary": "much_higher",
    "contact": "chat_only",
    "agency": "unlicensed",
}
SAFE = {
    "destination": "korea",
    "travel": "i_pay_ticket",
    "passport": "i_keep",
    "visa": "work_visa",
    "salary": "usual",
    "contact": "office",
    "agency": "licensed",
}


async def answer(chat, answers: dict[str, str], *, upto: int | None = None):  # type: ignore[no-untyped-def]
    """Taps the answers in order; returns the last replies."""
    replies = None
    for question in list(QUESTIONS)[:upto]:
        replies = await chat.tap(f"job:a:{question}:{answers[question]}")
    return replies


async def test_risky_offer_is_high_risk_with_its_red_flags(bot_app: RunningBot, content: ContentCatalogue) -> None:
    chat = bot_app.chat(language_code="en")
    first = await chat.say("/job")
    job = content.job_check("en")
    assert job.questions["destination"].question in first.text
    assert "job:a:destination:cambodia" in first.callback_data
    paste = await answer(chat, RISKY)
    assert job.paste_offer in paste.last.text
    result = await chat.tap("job:skip")
    assert job.risk["high"].title in result.last.text
    assert job.flags["passport_held"] in result.last.text
    assert job.flags["tourist_visa"] in result.last.text
    assert "learn:article:legal_work_routes" in result.callback_data
    bot_app.assert_no_crash([first, paste, result])


async def test_safe_answers_with_an_ordinary_offer_text_are_low_risk(
    bot_app: RunningBot, content: ContentCatalogue
) -> None:
    chat = bot_app.chat(language_code="en")
    await chat.tap("job:start")
    await answer(chat, SAFE)
    result = await chat.say("Factory worker under EPS, contract through the Ministry of Labour, E-9 visa.")
    assert content.job_check("en").risk["low"].title in result.last.text


async def test_back_asks_the_previous_question_again_and_cancel_leaves(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en")
    await chat.say("/job")
    second = await chat.tap("job:a:destination:thailand")
    assert "(2/7)" in second.last.text
    back = await chat.tap("job:back")
    assert "(1/7)" in back.last.text
    cancelled = await chat.tap("job:cancel")
    assert "check:start" in cancelled.callback_data  # the main menu
    stale = await chat.tap("job:a:travel:employer_pays")  # an old button after cancelling
    assert "(3/7)" not in stale.text


async def test_the_job_check_questions_are_in_khmer_for_khmer_users(bot_app: RunningBot) -> None:
    from tests.bot.support import script

    chat = bot_app.chat(language_code="km")
    first = await chat.say("/job")
    assert script(first.last.text) == "km"


async def test_a_conversation_resumes_after_a_restart(
    settings: Settings, trained_models: None, content: ContentCatalogue
) -> None:
    async with running_bot(settings) as first_run:
        chat = first_run.chat(language_code="en", user_id=99)
        await chat.say("/job")
        await answer(chat, RISKY, upto=3)
    async with running_bot(settings) as second_run:
        chat = second_run.chat(language_code="en", user_id=99)
        fourth = await chat.tap("job:a:visa:tourist_visa")
        assert "(5/7)" in fourth.last.text
        for question in ("salary", "contact", "agency"):
            await chat.tap(f"job:a:{question}:{RISKY[question]}")
        result = await chat.tap("job:skip")
        assert content.job_check("en").risk["high"].title in result.last.text
        second_run.assert_no_crash([fourth, result])


async def test_an_offer_pasted_with_its_link_and_number_gets_the_job_check_not_a_verdict_card(
    bot_app: RunningBot, content: ContentCatalogue
) -> None:
    chat = bot_app.chat(language_code="en")
    await chat.tap("job:start")
    await answer(chat, SAFE)

    result = await chat.say("Factory job in Korea, apply at http://eps-jobs.xyz/apply or call +855 12 345 678")

    job = content.job_check("en")
    assert any(job.risk[level].title in result.last.text for level in ("low", "medium", "high"))
    assert content.verdict("en", "scam").title not in result.text
    bot_app.assert_no_crash([result])
