"""The offline Bot API and the update factory that the console and the journey tests stand on."""

from __future__ import annotations

import json

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.offline import BOT_USER, ApiCall, OfflineRequest
from bot.update_factory import UpdateFactory


@pytest.fixture
async def offline() -> tuple[Bot, OfflineRequest]:
    request = OfflineRequest()
    bot = Bot("0:offline", request=request, get_updates_request=request)
    await bot.initialize()
    return bot, request


async def test_get_me_is_the_scamcheck_bot(offline: tuple[Bot, OfflineRequest]) -> None:
    bot, request = offline

    assert bot.username == BOT_USER["username"]
    assert request.calls == []  # getMe is not recorded as something the bot "sent"


async def test_sent_messages_are_recorded_and_answered_like_telegram(offline: tuple[Bot, OfflineRequest]) -> None:
    bot, request = offline
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a:1")]])

    first = await bot.send_message(42, "hello", reply_markup=keyboard)
    second = await bot.send_message(42, "again")

    assert first.text == "hello"
    assert first.chat.id == 42
    assert second.message_id == first.message_id + 1
    assert [c.text for c in request.sent()] == ["hello", "again"]
    assert request.sent()[0].buttons == [("A", "a:1")]


async def test_a_failing_method_answers_like_a_telegram_error(offline: tuple[Bot, OfflineRequest]) -> None:
    bot, _ = offline
    request = OfflineRequest(fail_methods=frozenset({"sendMessage"}))
    failing = Bot("0:offline", request=request)
    await failing.initialize()

    with pytest.raises(BadRequest):
        await failing.send_message(1, "x")
    assert request.sent()[0].text == "x"


def test_api_call_reads_json_markup_and_captions() -> None:
    markup = json.dumps({"inline_keyboard": [[{"text": "Open", "url": "https://example.org"}]]})

    call = ApiCall("sendPhoto", {"caption": "a photo", "reply_markup": markup})

    assert call.text == "a photo"
    assert call.buttons == [("Open", "https://example.org")]
    assert ApiCall("sendChatAction", {}).text == ""


async def test_on_call_sees_each_call_as_it_happens(offline: tuple[Bot, OfflineRequest]) -> None:
    seen: list[str] = []
    request = OfflineRequest(on_call=lambda call: seen.append(call.method))
    bot = Bot("0:offline", request=request)
    await bot.initialize()

    await bot.send_message(1, "x")
    await bot.answer_callback_query("7")

    assert seen == ["sendMessage", "answerCallbackQuery"]
    request.clear()
    assert request.calls == []


async def test_factory_makes_updates_like_telegram(offline: tuple[Bot, OfflineRequest]) -> None:
    bot, _ = offline
    factory = UpdateFactory(bot, user_id=9, language_code="km")

    command = factory.text("/start now")
    text = factory.text("hello")
    tap = factory.callback("learn:menu")

    assert command.message is not None and command.message.text == "/start now"
    assert command.message.entities[0].type == "bot_command"
    assert command.message.entities[0].length == len("/start")
    assert text.message is not None and not text.message.entities
    assert tap.callback_query is not None and tap.callback_query.data == "learn:menu"
    assert tap.callback_query.from_user.language_code == "km"
    assert len({command.update_id, text.update_id, tap.update_id}) == 3
    assert command.effective_chat is not None and command.effective_chat.type == "private"


async def test_factory_group_and_unknown_language(offline: tuple[Bot, OfflineRequest]) -> None:
    bot, _ = offline
    factory = UpdateFactory(bot, language_code=None, chat_type="supergroup", chat_id=-100)

    update = factory.text("hi")

    assert update.effective_chat is not None and update.effective_chat.id == -100
    assert update.effective_chat.title
    assert update.effective_user is not None and update.effective_user.language_code is None


async def test_factory_media(offline: tuple[Bot, OfflineRequest]) -> None:
    bot, _ = offline
    factory = UpdateFactory(bot)

    assert factory.sticker().message.sticker is not None  # type: ignore[union-attr]
    assert factory.voice().message.voice is not None  # type: ignore[union-attr]
    assert factory.photo(caption="c").message.caption == "c"  # type: ignore[union-attr]
    assert factory.location().message.location is not None  # type: ignore[union-attr]
    assert factory.edited_text("x").edited_message is not None
