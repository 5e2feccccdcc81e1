"""Start and language journeys: the first reply is in the user's language, and a choice sticks."""

from __future__ import annotations

import pytest

from bot.i18n import Translator
from bot.settings import Settings
from tests.bot.support import RunningBot, running_bot, script

MENU = ["learn:menu", "check:start", "job:start", "report:start", "help:now", "menu:language"]
T = Translator.from_directory()


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_start_greets_in_the_telegram_language_with_the_menu(bot: RunningBot, lang: str) -> None:
    chat = bot.chat(language_code=lang)

    replies = await chat.say("/start")

    assert len(replies) == 1
    assert script(replies.last.text) == lang
    assert "Dara" in replies.last.text  # greeted by name
    assert replies.callback_data == MENU
    bot.assert_no_crash([replies])


async def test_regional_telegram_code_is_understood(bot: RunningBot) -> None:
    replies = await bot.chat(language_code="ko-KR").say("/start")

    assert script(replies.last.text) == "ko"


@pytest.mark.parametrize("code", [None, "fr", "zh-hans"])
async def test_unknown_telegram_language_gets_english(bot: RunningBot, code: str | None) -> None:
    replies = await bot.chat(language_code=code).say("/start")

    assert script(replies.last.text) == "en"
    assert replies.callback_data == MENU


async def test_khmer_message_from_an_english_setting_user_gets_khmer(bot: RunningBot) -> None:
    chat = bot.chat(language_code="en")

    replies = await chat.say("សួស្តី")

    assert replies.messages
    assert script(replies.text) == "km"


async def test_hangul_message_from_a_khmer_setting_user_gets_korean(bot: RunningBot) -> None:
    replies = await bot.chat(language_code="km").say("안녕하세요")

    assert script(replies.text) == "ko"


async def test_latin_text_keeps_the_language_in_use(bot: RunningBot) -> None:
    """Khmer and Korean users type English too: Latin text alone doesn't switch them to English."""
    chat = bot.chat(language_code="ko")

    replies = await chat.say("hello")

    assert script(replies.text) == "ko"


async def test_language_command_offers_three_languages_in_their_own_script(bot: RunningBot) -> None:
    replies = await bot.chat(language_code="en").say("/language")

    assert replies.callback_data == ["lang:km", "lang:ko", "lang:en"]
    labels = [label for label, _ in replies.buttons]
    assert [script(label) for label in labels] == ["km", "ko", "en"]


async def test_menu_language_button_opens_the_language_choice(bot: RunningBot) -> None:
    replies = await bot.chat(language_code="km").tap("menu:language")

    assert replies.callback_data == ["lang:km", "lang:ko", "lang:en"]
    assert script(replies.last.text) == "km"


async def test_choosing_korean_switches_and_survives_a_restart(settings: Settings, trained_models: None) -> None:
    async with running_bot(settings) as first:
        chat = first.chat(language_code="en", user_id=555)
        await chat.say("/language")
        chosen = await chat.tap("lang:ko")
        after = await chat.say("/start")

        notices = [c.params.get("text") for c in chosen.calls if c.method == "answerCallbackQuery"]
        assert notices == [T("ko", "language.set")]
        assert script(chosen.last.text) == "ko"
        assert chosen.callback_data == MENU
        assert script(after.last.text) == "ko"

    # A new Application on the same database: the choice is still there, even though the
    # user's Telegram is set to English and they write in English.
    async with running_bot(settings) as second:
        replies = await second.chat(language_code="en", user_id=555).say("hello")

        assert replies.messages
        assert script(replies.text) == "ko"
        second.assert_no_crash([replies])


async def test_explicit_choice_wins_over_the_script_of_the_message(bot: RunningBot) -> None:
    chat = bot.chat(language_code="ko")
    await chat.tap("lang:en")

    replies = await chat.say("안녕하세요")

    assert script(replies.text) == "en"


async def test_unknown_language_button_changes_nothing(bot: RunningBot) -> None:
    chat = bot.chat(language_code="ko")

    tapped = await chat.tap("lang:fr")
    replies = await chat.say("/start")

    assert [c.method for c in tapped.calls] == ["answerCallbackQuery"]  # the spinner stops
    assert script(replies.last.text) == "ko"
    bot.assert_no_crash([tapped, replies])


async def test_each_user_keeps_their_own_language(bot: RunningBot) -> None:
    korean = bot.chat(language_code="en", user_id=1)
    khmer = bot.chat(language_code="en", user_id=2)
    await korean.tap("lang:ko")
    await khmer.tap("lang:km")

    assert script((await korean.say("/start")).text) == "ko"
    assert script((await khmer.say("/start")).text) == "km"
    assert script((await bot.chat(language_code="en", user_id=3).say("/start")).text) == "en"


async def test_command_menus_are_set_in_each_language(bot: RunningBot) -> None:
    menus = {c.params.get("language_code"): c for c in bot.startup_calls if c.method == "setMyCommands"}

    assert set(menus) == {"km", "ko", "en", None}
    for lang in ("km", "ko", "en"):
        commands = menus[lang].params["commands"]
        names = [c["command"] if isinstance(c, dict) else c.command for c in commands]
        descriptions = [c["description"] if isinstance(c, dict) else c.description for c in commands]
        assert names == ["start", "learn", "quiz", "job", "report", "help", "language", "subscribe", "unsubscribe"]
        assert all(script(d) == lang for d in descriptions)


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_menu_command_and_button_show_the_menu(bot: RunningBot, lang: str) -> None:
    chat = bot.chat(language_code=lang)

    by_command = await chat.say("/menu")
    by_button = await chat.tap("menu:main")

    for replies in (by_command, by_button):
        assert replies.last.text == T(lang, "menu.title")
        assert replies.callback_data == MENU
