"""Bad and unusual input: every update gets a sensible reply or is ignored on purpose, never a crash."""

from __future__ import annotations

import random

import pytest

from bot.i18n import Translator
from bot.offline import BOT_USER, OfflineRequest
from bot.settings import Settings
from tests.bot.support import RunningBot, running_bot, script

T = Translator.from_directory()
MENU = ["learn:menu", "check:start", "job:start", "report:start", "help:now", "menu:language"]


def random_text(size: int, errors: str, seed: int) -> str:
    """Random bytes decoded as UTF-8 the lenient way, like a corrupted paste."""
    data = random.Random(seed).randbytes(size)
    return data.decode("utf-8", errors=errors)


async def test_whitespace_only_gets_the_menu_with_a_hint(bot: RunningBot) -> None:
    replies = await bot.chat(language_code="ko").say("   \n\t  ")

    assert replies.last.text == T("ko", "input.no_words")
    assert replies.callback_data == MENU
    bot.assert_no_crash([replies])


async def test_empty_text_is_ignored_without_a_crash(bot: RunningBot) -> None:
    """Telegram never delivers an empty text; if something does, nothing breaks."""
    replies = await bot.chat().say("")

    bot.assert_no_crash([replies])


@pytest.mark.parametrize("text", ["🙂", "🙂🙂🙂🙏", "👍🏽", "❤️‍🔥", "\u200b\u200b", "...!!!"])
async def test_no_words_gets_the_menu_with_a_hint(bot: RunningBot, text: str) -> None:
    replies = await bot.chat(language_code="km").say(text)

    assert replies.last.text == T("km", "input.no_words")
    assert replies.callback_data == MENU


async def test_ten_thousand_characters_are_read_in_part_and_answered(bot: RunningBot) -> None:
    text = ("I got a job offer in cambodia with free flight, is it a scam? " * 200)[:10_000]

    replies = await bot.chat().say(text)

    assert len(text) == 10_000
    assert replies.messages[0].text == T("en", "input.too_long", limit=4000)
    assert len(replies) >= 2  # and then the answer itself
    bot.assert_no_crash([replies])


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02hello\x07\x1b[31m red",
        "scam?\r\n\r\n\x0b\x0c",
        "\u202eevil\u202c text",  # right-to-left override
        "a\ufffd\ufffd\ufffdb",
    ],
)
async def test_control_characters_get_an_answer(bot: RunningBot, text: str) -> None:
    replies = await bot.chat().say(text)

    assert replies.messages
    bot.assert_no_crash([replies])


@pytest.mark.parametrize(("errors", "seed"), [("replace", 1), ("replace", 2), ("surrogateescape", 3)])
async def test_binary_looking_text_gets_an_answer(bot: RunningBot, errors: str, seed: int) -> None:
    replies = await bot.chat().say(random_text(300, errors, seed))

    assert replies.messages
    bot.assert_no_crash([replies])


@pytest.mark.parametrize("command", ["/foo", "/FOO bar", "/start_over", "/12345"])
async def test_unknown_command_says_so_and_shows_the_menu(bot: RunningBot, command: str) -> None:
    replies = await bot.chat(language_code="ko").say(command)

    assert replies.last.text == T("ko", "unsupported.command")
    assert replies.callback_data == MENU


async def test_command_for_another_bot_is_not_ours(bot: RunningBot) -> None:
    replies = await bot.chat().say("/start@some_other_bot")

    assert replies.last.text != T("en", "start.welcome", name="Dara")
    bot.assert_no_crash([replies])


async def test_command_addressed_to_us_by_name_works(bot: RunningBot) -> None:
    replies = await bot.chat().say(f"/help@{BOT_USER['username']}")

    assert T("en", "contacts.title") in replies.last.text


async def test_sticker_gets_a_friendly_nudge_and_the_menu(bot: RunningBot) -> None:
    chat = bot.chat(language_code="km")

    replies = await chat.send(chat.factory.sticker())

    assert replies.last.text == T("km", "unsupported.sticker")
    assert replies.callback_data == MENU


@pytest.mark.parametrize("kind", ["voice", "photo", "photo_with_caption"])
async def test_media_asks_for_the_text(bot: RunningBot, kind: str) -> None:
    chat = bot.chat(language_code="ko")
    update = {
        "voice": chat.factory.voice,
        "photo": chat.factory.photo,
        "photo_with_caption": lambda: chat.factory.photo(caption="이거 사기인가요?"),
    }[kind]()

    replies = await chat.send(update)

    assert replies.last.text == T("ko", "unsupported.media")


async def test_location_points_to_help(bot: RunningBot) -> None:
    chat = bot.chat(language_code="en")

    replies = await chat.send(chat.factory.location())

    assert replies.last.text == T("en", "unsupported.location")
    assert "/help" in replies.last.text


async def test_edited_message_is_ignored_on_purpose(bot: RunningBot) -> None:
    chat = bot.chat()

    replies = await chat.send(chat.factory.edited_text("is this job offer a scam?"))

    assert replies.calls == []
    bot.assert_no_crash()


async def test_edited_command_is_ignored_too(bot: RunningBot) -> None:
    """Fixing a typo in "/help" must not send the whole help page a second time."""
    chat = bot.chat()
    edited = chat.factory.edited_text("/help")

    replies = await chat.send(edited)

    assert edited.edited_message is not None and edited.edited_message.entities  # a real command
    assert replies.calls == []


@pytest.mark.parametrize("data", ["xyz:1", "", "learn:article:nope", "report:confirm:999", "a" * 64])
async def test_stale_button_stops_the_spinner_and_shows_the_menu(bot: RunningBot, data: str) -> None:
    replies = await bot.chat(language_code="km").tap(data)

    assert replies.calls[0].method == "answerCallbackQuery"
    assert replies.last.text == T("km", "menu.title")
    assert replies.callback_data == MENU
    bot.assert_no_crash([replies])


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_every_menu_button_answers_in_the_users_language(bot: RunningBot, lang: str) -> None:
    for user_id, data in enumerate(MENU, start=100):  # a new user each, so no journey is left open
        replies = await bot.chat(language_code=lang, user_id=user_id).tap(data)

        assert replies.calls[0].method == "answerCallbackQuery", data
        assert replies.messages, data
        assert script(replies.text) == lang, data
        bot.assert_no_crash([replies])


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_check_button_explains_how_to_check_a_message(bot: RunningBot, lang: str) -> None:
    replies = await bot.chat(language_code=lang).tap("check:start")

    assert replies.last.text == T(lang, "check.how")


async def test_a_failing_telegram_call_is_logged_not_raised(
    settings: Settings, trained_models: None, caplog: pytest.LogCaptureFixture
) -> None:
    request = OfflineRequest(fail_methods=frozenset({"sendMessage"}))
    async with running_bot(settings, request=request) as bot:
        chat = bot.chat()
        update = chat.factory.text("/start")

        await chat.send(update)  # must not raise

    assert len(bot.errors) == 1
    logged = [r for r in caplog.records if r.name == "bot.errors" and r.levelname == "ERROR"]
    assert logged and str(update.update_id) in logged[0].getMessage()
