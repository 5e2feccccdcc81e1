"""Help and report journeys: the right official contacts, and never an unverified one."""

from __future__ import annotations

import re
from html import unescape

import pytest
import yaml

from bot.i18n import Translator
from bot.settings import PROJECT_ROOT
from content.catalogue import ContentCatalogue
from content.schema import ARTICLE_KEYS, SCAM_TYPE_KEYS
from tests.bot.support import Replies, RunningBot, script

CONSULAR_CALL_CENTER = "+82-2-3210-0404"
T = Translator.from_directory()


def unverified_numbers() -> set[str]:
    """Phone numbers of `to_verify` contacts that no confirmed contact shares.

    Read straight from content/contacts.yml, so the test does not trust the code under test.
    """
    contacts = yaml.safe_load((PROJECT_ROOT / "content" / "contacts.yml").read_text(encoding="utf-8"))
    confirmed = {c.get("phone") for c in contacts.values() if c.get("status") == "confirmed"}
    confirmed |= {c.get("telegram") for c in contacts.values() if c.get("status") == "confirmed"}
    return {
        number
        for c in contacts.values()
        if c.get("status") == "to_verify"
        for number in (c.get("phone"), c.get("telegram"))
        if number and number not in confirmed
    }


def shown_numbers(text: str, numbers: set[str]) -> set[str]:
    """Which of `numbers` appear in `text` as whole numbers (not inside a longer one)."""
    return {n for n in numbers if re.search(rf"(?<![\d+-]){re.escape(n)}(?![\d-])", unescape(text))}


def test_the_check_itself_knows_unverified_numbers() -> None:
    numbers = unverified_numbers()

    assert "1288" in numbers  # the unconfirmed anti-trafficking hotline
    assert "+855-85-600-002" in numbers
    assert "112" not in numbers  # also a confirmed number (Korean police)
    assert shown_numbers("call 1288 now", numbers) == {"1288"}
    assert shown_numbers("call 21288 or 1288-1", numbers) == set()


async def test_help_for_korean_user_shows_the_consular_call_center_first(
    bot: RunningBot, content: ContentCatalogue
) -> None:
    replies = await bot.chat(language_code="ko").say("/help")

    text = unescape(replies.last.text)
    assert content.article("ko", "urgent_safety").title in text
    assert CONSULAR_CALL_CENTER in text
    assert script(text) == "ko"
    # Korean nationals see their consular line before the Cambodian police.
    contacts = text.split(T("ko", "contacts.title"), 1)[1]
    assert contacts.index(CONSULAR_CALL_CENTER) < contacts.index("117")
    assert replies.callback_data == ["urgent:start", "help:discreet", "help:clear", "report:start", "menu:main"]
    bot.assert_no_crash([replies])


@pytest.mark.parametrize("lang", ["km", "en"])
async def test_help_shows_cambodian_police_and_the_guidance(
    bot: RunningBot, content: ContentCatalogue, lang: str
) -> None:
    replies = await bot.chat(language_code=lang).tap("help:now")

    text = unescape(replies.last.text)
    assert content.article(lang, "urgent_safety").title in text
    assert "117" in text
    assert script(text) == lang


async def test_sos_is_the_same_as_help(bot: RunningBot) -> None:
    chat = bot.chat(language_code="km")

    assert (await chat.say("/sos")).text == (await chat.say("/help")).text


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_report_starts_the_guided_report_in_the_users_language(
    bot: RunningBot, content: ContentCatalogue, lang: str
) -> None:
    chat = bot.chat(language_code=lang)

    by_command = await chat.say("/report")
    by_button = await chat.tap("report:start")  # from the menu, /help or an article

    text = unescape(by_command.last.text)
    assert T(lang, "report.ask_type") in text
    assert script(text) == lang
    assert by_button.text == by_command.text
    labels = [label for label, _ in by_command.buttons]
    assert labels[: len(SCAM_TYPE_KEYS)] == [scam.title for _, scam in content.scam_types(lang)]
    assert by_command.callback_data[-1] == "report:cancel"
    bot.assert_no_crash([by_command, by_button])


async def test_a_question_about_reporting_leads_into_the_report(bot: RunningBot, content: ContentCatalogue) -> None:
    chat = bot.chat(language_code="en")

    answer = await chat.say("How do I report a scam?")
    started = await chat.tap("report:start")

    assert content.article("en", "how_to_report").title in unescape(answer.last.text)
    assert "report:start" in answer.callback_data
    assert T("en", "report.ask_type") in started.last.text
    bot.assert_no_crash([answer, started])


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_no_unverified_number_is_ever_shown(bot: RunningBot, lang: str) -> None:
    numbers = unverified_numbers()
    chat = bot.chat(language_code=lang)
    everything: list[Replies] = []
    for command in ("/start", "/help", "/sos", "/report", "/job", "/learn"):
        everything.append(await chat.say(command))
    for data in (
        "help:now",
        "report:start",
        "job:start",
        *(f"learn:type:{key}" for key in SCAM_TYPE_KEYS),
        *(f"learn:article:{key}" for key in ARTICLE_KEYS),
    ):
        everything.append(await chat.tap(data))

    for replies in everything:
        assert replies.messages
        assert shown_numbers(replies.text, numbers) == set(), replies.text[:200]
    bot.assert_no_crash(everything)
