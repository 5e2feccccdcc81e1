"""In groups the bot answers only commands, mentions and replies to itself; it doesn't chat along."""

from __future__ import annotations

import pytest

from bot.i18n import Translator
from bot.offline import BOT_USER
from content.catalogue import ContentCatalogue
from tests.bot.support import Chat, RunningBot, about_job_offers, script

T = Translator.from_directory()
GROUP_ID = -100_123_456


@pytest.fixture
def group(bot: RunningBot) -> Chat:
    """A family group the bot was added to; this member's Telegram is in English."""
    return bot.chat(language_code="en", chat_type="supergroup", chat_id=GROUP_ID)


async def test_a_basic_group_behaves_the_same(bot: RunningBot) -> None:
    basic = bot.chat(language_code="en", chat_type="group", chat_id=GROUP_ID)

    assert (await basic.say("hello everyone")).calls == []
    assert (await basic.say(f"@{BOT_USER['username']} hello")).messages
    assert (await basic.say("/help")).messages


async def test_plain_chatter_is_left_alone(group: Chat) -> None:
    for text in ("is this job in cambodia with free flight a scam", "hello everyone", "🙂", "ok", "សួស្តី"):
        replies = await group.say(text)

        assert replies.calls == [], text


async def test_a_mention_gets_an_answer(group: Chat, content: ContentCatalogue) -> None:
    replies = await group.say(f"@{BOT_USER['username']} is this job in cambodia with free flight a scam")

    assert replies.messages
    assert replies.last.params["chat_id"] == GROUP_ID
    assert about_job_offers(replies.text, "en", content)


async def test_a_mention_in_khmer_gets_a_khmer_answer(group: Chat) -> None:
    replies = await group.say(f"@{BOT_USER['username'].upper()} តើការងារនៅកម្ពុជាឥតគិតថ្លៃសំបុត្រ ជាការបោកប្រាស់ទេ")

    assert replies.messages
    assert script(replies.text) == "km"


async def test_a_reply_to_the_bot_gets_an_answer(group: Chat) -> None:
    bot_message = {"message_id": 7, "date": 0, "chat": group.factory.chat, "from": BOT_USER, "text": "..."}

    replies = await group.say("what about parcel messages?", reply_to_message=bot_message)

    assert replies.messages


async def test_a_reply_to_someone_else_is_left_alone(group: Chat) -> None:
    other = {"id": 77, "is_bot": False, "first_name": "Sok"}
    their_message = {"message_id": 7, "date": 0, "chat": group.factory.chat, "from": other, "text": "..."}

    replies = await group.say("is this a scam?", reply_to_message=their_message)

    assert replies.calls == []


@pytest.mark.parametrize("command", ["/help", f"/help@{BOT_USER['username']}"])
async def test_commands_work(group: Chat, command: str) -> None:
    replies = await group.say(command)

    assert T("en", "contacts.title") in replies.last.text
    assert replies.last.params["chat_id"] == GROUP_ID


async def test_start_shows_the_menu(group: Chat) -> None:
    replies = await group.say("/start")

    assert replies.callback_data[0] == "learn:menu"


async def test_buttons_work(group: Chat) -> None:
    replies = await group.tap("learn:type:parcel")

    assert replies.messages


async def test_media_and_unknown_commands_are_left_alone(bot: RunningBot, group: Chat) -> None:
    updates = {
        "sticker": group.factory.sticker(),
        "voice": group.factory.voice(),
        "photo": group.factory.photo(),
        "location": group.factory.location(),
        "another bot's command": group.factory.text("/ban@other_admin_bot"),
    }
    for kind, update in updates.items():
        replies = await group.send(update)

        assert replies.calls == [], kind
    bot.assert_no_crash()
