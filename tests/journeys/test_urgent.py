"""Urgent help: the first answer per language, with nothing else working; discreet mode; the optional
rescue-request flow into the intake, with and without consent; restarts; hostile input."""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import Translator
from bot.offline import ApiCall, OfflineRequest
from bot.settings import Settings
from content.catalogue import ContentCatalogue
from handlers import discreet
from handlers.help import is_discreet_word, is_urgent_text
from handlers.urgent import STEPS, parse_people
from intake import IntakeService, read_messages
from nlu.fallback import LocalIntentMatcher
from nlu.types import NluResult
from tests.bot.support import Chat, Replies, RunningBot, running_bot, script

T = Translator.from_directory()
CONSULAR_CALL_CENTER = "+82-2-3210-0404"
POLICE_TELEGRAM = "+855-979-117-117"
CASE_NUMBER = re.compile(r"\b[A-Z]{2}-\d{4}-\d{6}\b")
#: Numbers that do not work when dialled from a Cambodian phone (Korean short and national numbers).
NOT_FROM_CAMBODIA = {"112", "118", "1332", "02-3210-0404"}
CALLS_FOR_HELP = {
    "ko": ["살려주세요", "감금", "여권을 뺏겼어요"],
    "en": ["help me", "They took my passport", "I'm trapped in a compound"],
    "km": ["ជួយខ្ញុំផង", "គេយកលិខិតឆ្លងដែនខ្ញុំ"],
}


@pytest.fixture(autouse=True)
def _default_intake(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default intake (JSONL under the test's data folder), whatever the developer's shell says."""
    for name in list(os.environ):
        if name.startswith("INTAKE_"):
            monkeypatch.delenv(name)


def whole_numbers(text: str, numbers: set[str]) -> set[str]:
    """Which of `numbers` appear in `text` as whole numbers (not inside a longer one)."""
    return {n for n in numbers if re.search(rf"(?<![\d+-]){re.escape(n)}(?![\d-])", unescape(text))}


def intake_of(bot: RunningBot) -> IntakeService:
    services = bot.app.bot_data.services
    assert services is not None
    return services.intake


def case_number_in(replies: Replies) -> str:
    found = CASE_NUMBER.search(replies.text)
    assert found, f"no case number in: {replies.text[:300]}"
    return found.group(0)


def deleted_ids(calls: list[ApiCall]) -> set[int]:
    """Message ids the bot asked Telegram to delete."""
    ids: set[int] = set()
    for call in calls:
        if call.method == "deleteMessages":
            ids.update(int(i) for i in call.params["message_ids"])
        elif call.method == "deleteMessage":
            ids.add(int(call.params["message_id"]))
    return ids


async def wait_for(condition: Callable[[], Any], *, timeout: float = 15.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (value := condition()):
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting for the background task"
        await asyncio.sleep(0.1)
    return value


# --- the first answer --------------------------------------------------------------------------


async def test_korean_help_shows_the_consular_call_center_and_no_number_that_fails_from_cambodia(
    bot_app: RunningBot, content: ContentCatalogue
) -> None:
    replies = await bot_app.chat(language_code="ko").say("/help")

    text = unescape(replies.last.text)
    assert content.article("ko", "urgent_safety").title in text
    contacts = text.split(T("ko", "contacts.title"), 1)[1]
    assert CONSULAR_CALL_CENTER in contacts and POLICE_TELEGRAM in contacts
    assert contacts.index(CONSULAR_CALL_CENTER) < contacts.index("117")  # Korean nationals' line first
    assert whole_numbers(text, NOT_FROM_CAMBODIA) == set()  # Korea's police 112 was shown here before
    assert ":  (" not in text  # the consular app has no number: no empty "name: " before its hours
    assert script(text) == "ko"
    assert {"urgent:start", "help:discreet", "help:clear", "report:start"} <= set(replies.callback_data)
    bot_app.assert_no_crash([replies])


@pytest.mark.parametrize("lang", ["km", "en"])
async def test_help_in_khmer_and_english_puts_cambodian_police_first(
    bot_app: RunningBot, content: ContentCatalogue, lang: str
) -> None:
    replies = await bot_app.chat(language_code=lang).tap("help:now")

    text = unescape(replies.last.text)
    assert content.article(lang, "urgent_safety").title in text
    contacts = text.split(T(lang, "contacts.title"), 1)[1]
    assert contacts.index("117") < contacts.index(CONSULAR_CALL_CENTER)  # still there, for Korean readers
    assert whole_numbers(text, NOT_FROM_CAMBODIA) == set()
    assert script(text) == lang
    assert replies.last.params["link_preview_options"] == {"is_disabled": True}
    assert len(replies) == 1  # once, not again by the journey group
    bot_app.assert_no_crash([replies])


@pytest.mark.parametrize(("lang", "text"), [(lang, text) for lang, texts in CALLS_FOR_HELP.items() for text in texts])
async def test_calls_for_help_get_the_help_message_in_their_language(
    bot_app: RunningBot, content: ContentCatalogue, lang: str, text: str
) -> None:
    replies = await bot_app.chat(language_code="en").say(text)  # the script decides, not the app's setting

    assert len(replies) == 1, replies.text[:300]
    assert content.article(lang, "urgent_safety").title in unescape(replies.last.text)
    assert CONSULAR_CALL_CENTER in replies.last.text
    bot_app.assert_no_crash([replies])


class HangingRasa:
    """An NLU server that never answers."""

    def __init__(self) -> None:
        self.calls = 0

    async def parse(self, text: str) -> NluResult:
        self.calls += 1
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


@pytest.fixture
def stuck_models(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The classifier and the local intent matcher never finish loading (released after the test)."""
    release = threading.Event()

    def never(*_: object, **__: object) -> Any:
        release.wait(60)
        raise RuntimeError("the model never loaded")

    monkeypatch.setattr(LocalIntentMatcher, "from_training_data", never)
    monkeypatch.setattr("bot.app.load_default_model", never)
    yield
    release.set()


@pytest.mark.parametrize(("lang", "text"), [("ko", "살려주세요"), ("km", "ជួយខ្ញុំផង"), ("en", "/help")])
async def test_the_first_answer_waits_for_no_model_no_nlu_and_no_database(
    settings: Settings,
    stuck_models: None,
    monkeypatch: pytest.MonkeyPatch,
    content: ContentCatalogue,
    lang: str,
    text: str,
) -> None:
    rasa = HangingRasa()
    async with running_bot(settings, rasa=rasa) as bot:
        # The language look-up (the user store) hangs too: whatever runs after the first answer is stuck.
        async def stuck(*_: object, **__: object) -> str:
            await asyncio.Event().wait()
            raise AssertionError("unreachable")

        monkeypatch.setattr("handlers.language.UserLanguages.resolve", stuck)
        chat = bot.chat(language_code=lang, user_id=601)
        started = time.monotonic()
        task = asyncio.create_task(bot.app.process_update(chat.factory.text(text)))
        sent = await wait_for(lambda: bot.request.sent(), timeout=1.0)
        elapsed = time.monotonic() - started
        task.cancel()

        assert elapsed < 1.0
        assert content.article(lang, "urgent_safety").title in unescape(sent[0].text)
        assert rasa.calls == 0
        assert not bot.errors


async def test_an_urgent_intent_the_keywords_miss_still_reaches_help_through_the_nlu(
    bot_app: RunningBot, content: ContentCatalogue
) -> None:
    replies = await bot_app.chat(language_code="en").say("my boss beats us every day and the guards have guns")

    assert content.article("en", "urgent_safety").title in unescape(replies.text)
    bot_app.assert_no_crash([replies])


async def test_a_language_chosen_before_a_restart_wins_over_the_first_guess(
    settings: Settings, trained_models: None, content: ContentCatalogue
) -> None:
    async with running_bot(settings) as first_run:
        await first_run.chat(language_code="en", user_id=602).tap("lang:ko")
    async with running_bot(settings) as second_run:
        replies = await second_run.chat(language_code="en", user_id=602).tap("help:now")
        # The first answer cannot wait for the store, so it guesses English; then comes Korean.
        assert content.article("ko", "urgent_safety").title in unescape(replies.last.text)
        again = await second_run.chat(language_code="en", user_id=602).tap("help:now")
        assert len(again) == 1 and script(again.last.text) == "ko"  # remembered from now on
        second_run.assert_no_crash([replies, again])


def test_urgent_phrases_are_recognised_in_each_language_and_ordinary_ones_are_not() -> None:
    for text in [
        *(t for texts in CALLS_FOR_HELP.values() for t in texts),
        "제발 도와주세요",
        "please help me!!",
        "SOS",
        "they won’t let me leave",
        "ជួយ\u200bខ្ញុំ\u200bផង",  # with the zero-width spaces some Khmer keyboards insert
        "គេមិនឱ្យខ្ញុំចេញ",  # ឱ្យ and ឲ្យ are both written
    ]:
        assert is_urgent_text(text), text
    for text in [
        "help me check this link http://bit.ly/x",
        "can you help me understand investment scams",
        "Is a job that keeps my passport a scam?",
        "hello",
        "",
        "살려주세요 " * 300,  # too long to be a call for help: left to the NLU
    ]:
        assert not is_urgent_text(text), text
    assert is_discreet_word("Quiet.") and is_discreet_word("조용히") and not is_discreet_word("quiet please now")


def test_a_typed_head_count_is_read_like_people_write_it() -> None:
    assert parse_people("12") == 12
    assert parse_people("១២ នាក់") == 12
    assert parse_people("about 30 people") == 30
    assert parse_people("many") is None
    assert parse_people("0") is None
    assert parse_people("9" * 50) is None


# --- discreet mode -----------------------------------------------------------------------------


async def test_discreet_mode_is_short_silent_and_its_first_line_alarms_nobody(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=610)

    on = await chat.say("/discreet")
    by_word = await chat.say("quiet")
    help_now = await chat.say("/help")

    for replies in (on, by_word, help_now):
        message = replies.last
        first_line = unescape(message.text).split("\n", 1)[0]
        assert first_line == T("en", "urgent.discreet_first_line")
        assert message.params["disable_notification"] is True
        assert message.params["link_preview_options"] == {"is_disabled": True}
        assert POLICE_TELEGRAM in message.text and "117" in message.text
        assert T("en", "urgent.discreet_timer", minutes=5) in unescape(message.text)
        assert len(message.text) < 700
        assert {"urgent:start", "help:clear", "help:normal"} == set(replies.callback_data)
    bot_app.assert_no_crash([on, by_word, help_now])


async def test_clear_deletes_the_users_and_the_bots_messages(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="ko", user_id=611)
    asked = chat.factory.text("/help")
    await chat.send(asked)
    clear = chat.factory.callback("help:clear")

    replies = await chat.send(clear)

    assert replies.messages == []  # nothing new left in the chat
    deleted = deleted_ids(replies.calls)
    assert asked.effective_message is not None and clear.effective_message is not None
    assert {asked.effective_message.message_id, clear.effective_message.message_id} <= deleted
    assert len(deleted) == 3  # and the bot's answer; in Telegram it is the message under the button
    answers = [c for c in replies.calls if c.method == "answerCallbackQuery"]
    assert answers and answers[0].params.get("text") == T("ko", "urgent.cleared")
    bot_app.assert_no_crash([replies])


async def test_discreet_messages_disappear_after_the_delay_they_show_even_after_a_restart(
    settings: Settings, trained_models: None
) -> None:
    async with running_bot(settings) as first_run:
        chat = first_run.chat(language_code="en", user_id=612)
        asked = chat.factory.text("/discreet")
        await chat.send(asked)
        early = await discreet.sweep(first_run.app)
        assert early == 0 and not deleted_ids(first_run.request.calls)
    later = time.time() + discreet.DELETE_AFTER + 1
    async with running_bot(settings) as second_run:
        deleted = await discreet.sweep(second_run.app, now=later)

        assert deleted == 2  # the /discreet and the answer, remembered across the restart
        assert asked.effective_message is not None
        assert asked.effective_message.message_id in deleted_ids(second_run.request.calls)
        assert await discreet.sweep(second_run.app, now=later) == 0  # forgotten once deleted


async def test_in_discreet_mode_answers_of_every_journey_are_deleted_too(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=615)
    await chat.say("/discreet")
    question = await chat.say("how do fake job offers work?")  # answered by Learn, not by help
    later = time.time() + discreet.DELETE_AFTER + 1

    deleted = await discreet.sweep(bot_app.app, now=later)

    assert question.messages, "Learn answered"
    assert deleted == 4  # /discreet, its answer, the question and Learn's answer
    bot_app.assert_no_crash([question])


async def test_deletions_that_telegram_refuses_are_quiet(settings: Settings, trained_models: None) -> None:
    request = OfflineRequest(fail_methods=frozenset({"deleteMessages", "deleteMessage"}))
    async with running_bot(settings, request=request) as bot:
        chat = bot.chat(language_code="km", user_id=613)
        await chat.say("/discreet")
        replies = await chat.say("/clear")

        assert {"deleteMessages", "deleteMessage"} <= {c.method for c in replies.calls}
        bot.assert_no_crash([replies])


async def test_normal_mode_stops_the_automatic_deletion(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=614)
    await chat.say("/discreet")
    off = await chat.tap("help:normal")
    later = time.time() + discreet.DELETE_AFTER + 1

    assert T("en", "urgent.discreet_off") in off.last.text
    assert await discreet.sweep(bot_app.app, now=later) == 0
    bot_app.assert_no_crash([off])


def test_only_deletable_messages_are_remembered() -> None:
    state = discreet.state_of({})
    for message_id in range(discreet.MAX_TRACKED + 10):
        discreet.track(state, message_id, now=1000.0)
    discreet.track(state, 99_999, now=1000.0 + discreet.DELETABLE_FOR + 1)

    assert [entry[0] for entry in state["ids"]] == [99_999]  # the rest are past Telegram's 48 hours
    damaged = {"discreet": {"ids": [["x", 1], [5]], "on": "yes"}}
    assert discreet.state_of(damaged) == {"on": False, "since": 0.0, "ids": []}


# --- the optional rescue request ---------------------------------------------------------------


async def answer_everything(chat: Chat, safe_time: str = "after 10 pm, messages only") -> Replies:
    """From "Send details" to the summary, answering every step, as a Korean national."""
    await chat.tap("urgent:start")
    await chat.tap("urgent:who:self")
    await chat.send(chat.factory.location(latitude=10.6, longitude=103.5))
    await chat.tap("urgent:people:3")
    await chat.tap("urgent:passports:yes")
    await chat.tap("urgent:korean:yes")
    await chat.tap("urgent:contact:telegram")
    await chat.say(safe_time)
    await chat.send(chat.factory.photo())
    await chat.tap("urgent:skip")
    return await chat.send(chat.factory.photo())


async def test_with_consent_an_urgent_case_goes_first_to_both_sides_for_a_korean_national(
    bot_app: RunningBot, settings: Settings
) -> None:
    chat = bot_app.chat(language_code="ko", user_id=620)
    await chat.say("/help")
    start = await chat.tap("urgent:start")
    assert T("ko", "urgent.ask_who") in start.last.text
    assert unescape(start.last.text).count(T("ko", "urgent.step", step=1, total=len(STEPS))) == 1
    assert {"urgent:skip", "urgent:cancel"} <= set(start.callback_data)

    summary = await answer_everything(chat, safe_time="밤 10시 이후, 메시지만")
    assert T("ko", "urgent.summary_title") in summary.last.text
    assert {"urgent:send", "urgent:nosend", "urgent:back"} <= set(summary.callback_data)
    assert await intake_of(bot_app).my_cases(620) == ()  # nothing stored before consent

    sent = await chat.tap("urgent:send")
    number = case_number_in(sent)
    assert T("ko", "urgent.where_both") in sent.last.text
    assert script(sent.last.text) == "ko"
    bot_app.assert_no_crash([start, summary, sent])

    detail = await intake_of(bot_app).get_case(number)
    assert detail is not None
    case = detail.case
    assert (case.priority, case.status, case.routing) == ("urgent", "forwarded", "both")
    assert case.korean_national is True and case.scam_type == "trafficking"
    assert case.situation == {
        "place": None,
        "location": {"latitude": 10.6, "longitude": 103.5},
        "people": 3,
        "passports_held": True,
    }
    assert [f["purpose"] for f in case.evidence["files"]] == ["building", "person"]
    assert case.contact is not None and case.contact["method"] == "telegram"
    assert case.contact["safe_time"] == "밤 10시 이후, 메시지만"

    sink = Path(settings.data_dir) / "intake" / "cases.jsonl"
    delivered = await wait_for(lambda: [m for m in read_messages(sink) if m["case"]["case_number"] == number])
    message = delivered[0]["case"]
    assert (message["priority"], message["routing"]) == ("urgent", "both")
    assert set(message["routing_reasons"]) >= {"korean_national", "urgent_in_cambodia"}
    assert message["situation"]["people"] == 3


async def test_without_consent_nothing_is_stored_or_sent(bot_app: RunningBot, settings: Settings) -> None:
    chat = bot_app.chat(language_code="en", user_id=621)
    await answer_everything(chat)

    declined = await chat.tap("urgent:nosend")

    assert T("en", "urgent.not_sent") in unescape(declined.last.text)
    assert "117" in declined.last.text  # the contacts, to use directly
    assert not CASE_NUMBER.search(declined.text)
    assert await intake_of(bot_app).my_cases(621) == ()
    user_data = bot_app.app.user_data.get(621, {})
    assert "urgent" not in user_data  # the answers are gone, not only unsent
    await asyncio.sleep(0.5)
    sink = Path(settings.data_dir) / "intake" / "cases.jsonl"
    assert not sink.exists() or read_messages(sink) == []
    bot_app.assert_no_crash([declined])


async def test_every_step_can_be_skipped_and_back_goes_back(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="km", user_id=622)
    seen = [await chat.tap("urgent:start")]
    seen.append(await chat.tap("urgent:skip"))
    back = await chat.tap("urgent:back")
    assert T("km", "urgent.ask_who") in back.last.text
    for _ in range(len(STEPS)):
        seen.append(await chat.tap("urgent:skip"))
    summary = seen[-1]
    assert T("km", "urgent.summary_title") in summary.last.text
    assert script(summary.last.text) == "km"

    sent = await chat.tap("urgent:send")
    detail = await intake_of(bot_app).get_case(case_number_in(sent))
    assert detail is not None and detail.case.priority == "urgent" and detail.case.routing == "kh"
    assert detail.case.contact is None and not detail.case.contact_ok
    bot_app.assert_no_crash([*seen, back, sent])


async def test_the_request_resumes_after_a_restart(settings: Settings, trained_models: None) -> None:
    async with running_bot(settings) as first_run:
        chat = first_run.chat(language_code="en", user_id=623)
        await chat.tap("urgent:start")
        await chat.tap("urgent:who:friend")
        await chat.say("KB Tower compound, Sihanoukville, building 7")
    async with running_bot(settings) as second_run:
        chat = second_run.chat(language_code="en", user_id=623)
        people = await chat.say("12")
        assert T("en", "urgent.ask_passports") in people.last.text
        for _ in range(6):
            await chat.tap("urgent:skip")
        sent = await chat.tap("urgent:send")
        detail = await intake_of(second_run).get_case(case_number_in(sent))
        assert detail is not None
        assert detail.case.relation == "friend"
        assert detail.case.situation is not None
        assert detail.case.situation["place"] == "KB Tower compound, Sihanoukville, building 7"
        assert detail.case.situation["people"] == 12
        second_run.assert_no_crash([people, sent])


async def test_hostile_input_gets_a_clear_answer_and_never_a_crash(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en", user_id=624)
    await chat.tap("urgent:start")
    seen = [await chat.tap("urgent:passports:yes")]  # a button of another step
    assert T("en", "urgent.ask_who") in seen[-1].last.text
    seen.append(await chat.say("whatever"))  # typing where a tap is asked
    assert T("en", "urgent.tap_hint") in seen[-1].last.text
    await chat.tap("urgent:who:self")
    seen.append(await chat.send(chat.factory.sticker()))
    assert T("en", "urgent.place_hint") in seen[-1].last.text
    seen.append(await chat.say("x" * 20_000))  # a huge place is kept, cut to size
    assert T("en", "urgent.ask_people") in seen[-1].last.text
    seen.append(await chat.say("lots"))
    assert T("en", "urgent.people_hint") in seen[-1].last.text
    await chat.tap("urgent:skip")
    await chat.tap("urgent:skip")
    await chat.tap("urgent:skip")
    await chat.tap("urgent:contact:phone")
    seen.append(await chat.say("not a number"))
    assert T("en", "urgent.bad_phone") in seen[-1].last.text
    seen.append(await chat.say("012 345 678"))
    assert T("en", "urgent.ask_safe_time") in seen[-1].last.text
    await chat.tap("urgent:skip")
    seen.append(await chat.send(chat.factory.voice()))  # not a photo
    assert T("en", "urgent.photo_hint") in seen[-1].last.text
    seen.append(await chat.say("help me"))  # an answer inside the flow is not a new call for help
    assert T("en", "urgent.photo_hint") in seen[-1].last.text
    await chat.tap("urgent:skip")
    await chat.tap("urgent:skip")
    summary = await chat.tap("urgent:skip")
    seen.append(summary)
    assert "+85512345678" in summary.last.text
    sent = await chat.tap("urgent:send")
    number = case_number_in(sent)
    stale = await chat.tap("urgent:send")  # a second tap on the old button
    assert not CASE_NUMBER.search(stale.text)
    assert len(await intake_of(bot_app).my_cases(624)) == 1

    detail = await intake_of(bot_app).get_case(number)
    assert detail is not None and detail.case.situation is not None
    assert detail.case.situation["place"] == "x" * 1000
    assert detail.case.contact is not None and detail.case.contact["value"] == "+85512345678"
    bot_app.assert_no_crash([*seen, sent, stale])


async def test_cancel_leaves_nothing_behind(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="ko", user_id=625)
    await chat.tap("urgent:start")
    await chat.tap("urgent:who:self")
    await chat.say("프놈펜 어딘가")

    cancelled = await chat.say("/cancel")

    assert T("ko", "urgent.cancelled") in unescape(cancelled.last.text)
    assert "urgent" not in bot_app.app.user_data.get(625, {})
    after = await chat.say("5")  # no longer an answer
    assert T("ko", "urgent.ask_passports") not in after.text
    assert await intake_of(bot_app).my_cases(625) == ()
    bot_app.assert_no_crash([cancelled, after])


async def test_in_a_group_the_request_moves_to_a_private_chat(bot_app: RunningBot) -> None:
    group = bot_app.chat(language_code="en", user_id=626, chat_type="group", chat_id=-100)

    help_there = await group.say("/help")
    start = await group.tap("urgent:start")
    quiet = await group.say("/discreet")

    assert "urgent:start" not in help_there.callback_data  # no rescue details in front of others
    assert T("en", "urgent.private_only") in start.last.text
    assert T("en", "urgent.discreet_private_only") in quiet.last.text
    bot_app.assert_no_crash([help_there, start, quiet])
