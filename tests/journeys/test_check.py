"""The check journey: what people forward or paste gets a verdict card in their language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from content.catalogue import ContentCatalogue
from tests.bot.support import RunningBot, script

PARCEL_SMS_EN = (
    "Your parcel is held at customs. Pay the 2 USD fee now at http://bit.ly/xk2 or it will be returned today"
)
PARCEL_SMS_KO = (
    "[CJ대한통운] 고객님 택배가 주소 불일치로 보관 중입니다. 24시간 내 주소 확인 바랍니다 http://bit.ly/3xk2"
)
ORDINARY_EN = "hi mum, I'll be home around 7 tonight, can you save me some rice?"
NOW = int(datetime.now(UTC).timestamp())
FORWARD_ORIGINS = {
    "user": {"type": "user", "date": NOW, "sender_user": {"id": 777, "is_bot": False, "first_name": "Scammer"}},
    "hidden_user": {"type": "hidden_user", "date": NOW, "sender_user_name": "Lucky Prize"},
    "chat": {"type": "chat", "date": NOW, "sender_chat": {"id": -1001, "type": "group", "title": "Jobs"}},
    "channel": {
        "type": "channel",
        "date": NOW,
        "chat": {"id": -1002, "type": "channel", "title": "Deals"},
        "message_id": 5,
    },
}


async def test_check_then_paste_gives_a_scam_card_with_reasons_and_actions(
    bot_app: RunningBot, content: ContentCatalogue
) -> None:
    chat = bot_app.chat(language_code="en")
    prompt = await chat.tap("check:start")
    assert "paste" in prompt.last.text.lower()
    card = await chat.say(PARCEL_SMS_EN)
    assert content.verdict("en", "scam").title in card.last.text
    assert content.signal("en", "url_shortener").title in card.last.text
    assert "report:from_check" in card.callback_data
    assert "learn:type:parcel" in card.callback_data
    assert "check:start" in card.callback_data
    bot_app.assert_no_crash([prompt, card])


async def test_an_ordinary_message_has_no_known_signs(bot_app: RunningBot, content: ContentCatalogue) -> None:
    chat = bot_app.chat(language_code="en")
    await chat.say("/check")
    card = await chat.say(ORDINARY_EN)
    assert content.verdict("en", "no_signs").title in card.last.text
    assert not any(data.startswith("learn:type:") for data in card.callback_data)


async def test_korean_smishing_gets_a_korean_card(bot_app: RunningBot, content: ContentCatalogue) -> None:
    chat = bot_app.chat(language_code="ko")
    await chat.say("/check")
    card = await chat.say(PARCEL_SMS_KO)
    assert script(card.last.text) == "ko"
    assert content.verdict("ko", "no_signs").title not in card.last.text


@pytest.mark.parametrize("origin", sorted(FORWARD_ORIGINS))
async def test_forwarded_messages_of_every_origin_are_checked_at_once(
    bot_app: RunningBot, content: ContentCatalogue, origin: str
) -> None:
    chat = bot_app.chat(language_code="en")
    card = await chat.say(PARCEL_SMS_EN, forward_origin=FORWARD_ORIGINS[origin])
    assert content.verdict("en", "scam").title in card.last.text
    bot_app.assert_no_crash([card])


async def test_a_bare_link_is_checked_without_asking(bot_app: RunningBot, content: ContentCatalogue) -> None:
    chat = bot_app.chat(language_code="en")
    card = await chat.say("http://192.168.4.20/aba-login/verify.php")
    titles = [content.verdict("en", key).title for key in ("scam", "suspicious")]
    assert any(title in card.last.text for title in titles)


async def test_a_photo_without_text_gets_told_how_to_paste(bot_app: RunningBot) -> None:
    chat = bot_app.chat(language_code="en")
    await chat.say("/check")
    reply = await chat.send(chat.factory.photo())
    assert "paste" in reply.last.text.lower()
    bot_app.assert_no_crash([reply])


async def test_in_a_group_check_replies_to_the_message_it_answers(
    bot_app: RunningBot, content: ContentCatalogue
) -> None:
    group = bot_app.chat(language_code="en", chat_type="supergroup", chat_id=-100123)
    without_reply = await group.say("/check")
    assert "reply" in without_reply.last.text.lower()
    suspicious = {
        "message_id": 77,
        "date": NOW,
        "chat": group.factory.chat,
        "from": {"id": 9, "is_bot": False, "first_name": "Unknown"},
        "text": PARCEL_SMS_EN,
    }
    card = await group.say("/check", reply_to_message=suspicious)
    assert content.verdict("en", "scam").title in card.last.text


async def test_group_chatter_is_left_alone_when_warnings_are_off(bot_app: RunningBot) -> None:
    group = bot_app.chat(language_code="en", chat_type="group", chat_id=-5)
    replies = await group.say(PARCEL_SMS_EN)
    assert len(replies) == 0
