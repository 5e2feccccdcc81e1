"""The tap that sees every sent message: what it reads from Bot API answers, and that it never breaks a send."""

from __future__ import annotations

import json

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.offline import OfflineRequest
from bot.sent_messages import SentMessageTap, sent_messages


def answer(result: object) -> bytes:
    return json.dumps({"ok": True, "result": result}).encode()


def test_a_sent_message_and_an_album_are_read_other_answers_are_not() -> None:
    message = {"message_id": 7, "chat": {"id": 42, "type": "private"}}
    album = [message, {"message_id": 8, "chat": {"id": 42, "type": "private"}}]

    assert sent_messages("sendMessage", answer(message)) == [(42, 7)]
    assert sent_messages("sendMediaGroup", answer(album)) == [(42, 7), (42, 8)]
    assert sent_messages("editMessageText", answer(message)) == []
    assert sent_messages("sendMessage", b"not json") == []
    assert sent_messages("sendMessage", answer(True)) == []


async def test_the_tap_passes_the_answer_through_and_reports_the_message() -> None:
    inner = OfflineRequest()
    tap = SentMessageTap(inner)
    seen: list[tuple[int, int]] = []
    tap.on_sent = lambda chat_id, message_id: seen.append((chat_id, message_id))

    async with Bot("1:offline", request=tap, get_updates_request=OfflineRequest()) as bot:
        sent = await bot.send_message(42, "hi")

    assert sent.text == "hi"
    assert seen == [(42, sent.message_id)]
    assert [call.method for call in inner.calls] == ["sendMessage"]


async def test_a_failing_listener_does_not_fail_the_send() -> None:
    tap = SentMessageTap(OfflineRequest())

    def broken(chat_id: int, message_id: int) -> None:
        raise RuntimeError("bookkeeping broke")

    tap.on_sent = broken

    async with Bot("1:offline", request=tap, get_updates_request=OfflineRequest()) as bot:
        sent = await bot.send_message(42, "hi")

    assert sent.text == "hi"


async def test_only_watched_chats_are_reported() -> None:
    tap = SentMessageTap(OfflineRequest())
    seen: list[tuple[int, int]] = []
    tap.watches = lambda chat_id: chat_id == 42
    tap.on_sent = lambda chat_id, message_id: seen.append((chat_id, message_id))

    async with Bot("1:offline", request=tap, get_updates_request=OfflineRequest()) as bot:
        await bot.send_message(7, "not watched")
        watched = await bot.send_message(42, "watched")

    assert seen == [(42, watched.message_id)]


async def test_the_bot_gets_its_sent_message_back_without_the_keyboard_it_already_knows() -> None:
    tap = SentMessageTap(OfflineRequest())
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Menu", callback_data="menu:main")]])

    async with Bot("1:offline", request=tap, get_updates_request=OfflineRequest()) as bot:
        sent = await bot.send_message(42, "<b>hi</b>", parse_mode="HTML", reply_markup=keyboard)

    assert (sent.chat_id, sent.text) == (42, "<b>hi</b>")
    assert sent.reply_markup is None and sent.from_user is None


def test_only_an_answer_carrying_one_message_loses_its_echoed_parts() -> None:
    markup = {"inline_keyboard": [[{"text": "Menu", "callback_data": "menu:main"}]]}
    message = {"message_id": 7, "chat": {"id": 42, "type": "private"}, "text": "hi", "reply_markup": markup}
    update = {"update_id": 1, "message": dict(message)}

    slim = SentMessageTap.parse_json_payload(answer(dict(message)))
    updates = SentMessageTap.parse_json_payload(answer([update]))

    assert "reply_markup" not in slim["result"] and slim["result"]["text"] == "hi"
    assert updates["result"][0]["message"]["reply_markup"] == markup
