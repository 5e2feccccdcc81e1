"""Learn journey: topics, articles, and free-text questions answered from their intent."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import unescape

import pytest

from bot.i18n import Translator
from bot.settings import Settings
from content.catalogue import ContentCatalogue
from content.schema import SCAM_TYPE_KEYS
from nlu.types import INTENTS, NLU_FALLBACK, IntentScore, NluResult
from tests.bot.support import RunningBot, about_job_offers, running_bot, script

T = Translator.from_directory()
LEARN_ARTICLES = ["what_is_scam", "how_to_protect", "scammed_what_now", "how_to_report"]

#: A question about fake jobs abroad, the way people would type it.
JOB_QUESTIONS = {
    "en": "is this job in cambodia with free flight a scam",
    "ko": "캄보디아 일자리인데 항공권 공짜로 준대요 이거 사기예요?",
    "km": "ការងារនៅកម្ពុជា គេចេញថ្លៃសំបុត្រយន្តហោះឱ្យ តើជាការបោកប្រាស់ទេ",
}


@dataclass
class FakeParser:
    """An intent parser that answers whatever the test sets (stands in for Rasa)."""

    result: NluResult = field(default_factory=lambda: NluResult(NLU_FALLBACK, 0.0))
    seen: list[str] = field(default_factory=list)

    async def parse(self, text: str) -> NluResult:
        self.seen.append(text)
        return self.result


def plain(text: str) -> str:
    """What the user reads: Telegram HTML without tags."""
    return unescape(text.replace("<b>", "").replace("</b>", "").replace("<i>", "").replace("</i>", ""))


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_learn_menu_lists_ten_scam_types_and_the_articles(
    bot: RunningBot, content: ContentCatalogue, lang: str
) -> None:
    replies = await bot.chat(language_code=lang).tap("learn:menu")

    assert len(SCAM_TYPE_KEYS) == 10
    assert replies.last.text == T(lang, "learn.title")
    assert replies.callback_data == [
        *(f"learn:type:{key}" for key in SCAM_TYPE_KEYS),
        *(f"learn:article:{key}" for key in LEARN_ARTICLES),
        "quiz:menu",
        "menu:main",
    ]
    labels = [label for label, _ in replies.buttons]
    assert labels[:10] == [scam.title for _, scam in content.scam_types(lang)]


async def test_learn_command_shows_the_same_topics(bot: RunningBot) -> None:
    by_command = await bot.chat().say("/learn")
    by_button = await bot.chat().tap("learn:menu")

    assert by_command.callback_data == by_button.callback_data


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_parcel_page_is_shown_in_the_users_language(
    bot: RunningBot, content: ContentCatalogue, lang: str
) -> None:
    parcel = content.scam_type(lang, "parcel")

    replies = await bot.chat(language_code=lang).tap("learn:type:parcel")

    text = plain(replies.last.text)
    assert replies.last.params.get("parse_mode") == "HTML"
    assert parcel.title in text
    assert parcel.warning_signs[0] in text
    assert parcel.what_to_do[0] in text
    assert T(lang, "learn.warning_signs") in text
    assert script(text) == lang
    # Never a dead end: the next steps are offered, a quiz on this scam type first.
    assert replies.callback_data == ["quiz:start:parcel", "check:start", "report:start", "learn:menu", "menu:main"]


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_every_topic_page_opens(bot: RunningBot, content: ContentCatalogue, lang: str) -> None:
    chat = bot.chat(language_code=lang)
    pages = [f"learn:type:{key}" for key in SCAM_TYPE_KEYS] + [f"learn:article:{key}" for key in LEARN_ARTICLES]

    for data in pages:
        replies = await chat.tap(data)

        assert len(replies) == 1, data
        assert script(replies.last.text) == lang, data
        assert "menu:main" in replies.callback_data
        bot.assert_no_crash([replies])


async def test_unknown_topic_falls_back_to_the_menu(bot: RunningBot) -> None:
    replies = await bot.chat().tap("learn:type:no_such_scam")

    assert replies.last.text == T("en", "menu.title")
    bot.assert_no_crash([replies])


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_free_text_job_question_answers_with_the_job_offer_scam(
    bot: RunningBot, content: ContentCatalogue, lang: str
) -> None:
    replies = await bot.chat(language_code="en").say(JOB_QUESTIONS[lang])

    assert replies.messages
    assert about_job_offers(replies.text, lang, content), replies.text[:200]
    assert "job:start" in replies.callback_data or "learn:menu" in replies.callback_data
    assert script(replies.text) == lang
    bot.assert_no_crash([replies])


@pytest.mark.parametrize(
    "text",
    ["asdkjh qwe zxcv", "ok", "???", "lorem ipsum dolor sit amet", "ខ្ញុំ", "ㅋㅋㅋㅋ", "12345", "a"],
)
async def test_unsure_or_garbled_input_is_never_met_with_silence(bot: RunningBot, text: str) -> None:
    replies = await bot.chat().say(text)

    assert len(replies) >= 1
    assert replies.callback_data, "every answer offers a way on"
    bot.assert_no_crash([replies])


async def test_unsure_intent_offers_the_closest_topics(
    settings: Settings, trained_models: None, content: ContentCatalogue
) -> None:
    ranking = (IntentScore("scam_parcel", 0.3), IntentScore("how_to_protect", 0.2), IntentScore("greet", 0.1))
    parser = FakeParser(NluResult(NLU_FALLBACK, 0.3, ranking))
    async with running_bot(settings, rasa=parser) as bot:
        replies = await bot.chat(language_code="ko").say("택배 어쩌구")

    assert replies.last.text == T("ko", "learn.unsure")
    assert replies.buttons == [
        (content.scam_type("ko", "parcel").title, "learn:type:parcel"),
        (content.article("ko", "how_to_protect").title, "learn:article:how_to_protect"),
        (T("ko", "common.menu"), "menu:main"),
    ]
    assert parser.seen == ["택배 어쩌구"]


async def test_unsure_without_any_topic_offers_the_basics(settings: Settings, trained_models: None) -> None:
    parser = FakeParser(NluResult(NLU_FALLBACK, 0.1, (IntentScore("greet", 0.1),)))
    async with running_bot(settings, rasa=parser) as bot:
        replies = await bot.chat(language_code="km").say("hmm")

    assert replies.last.text == T("km", "learn.unsure")
    assert replies.callback_data == ["learn:article:what_is_scam", "learn:article:how_to_protect", "menu:main"]


async def test_every_intent_gets_an_answer_in_the_users_language(settings: Settings, trained_models: None) -> None:
    parser = FakeParser()
    async with running_bot(settings, rasa=parser) as bot:
        chat = bot.chat(language_code="ko")
        for intent in (*INTENTS, NLU_FALLBACK, "an_intent_added_later"):
            parser.result = NluResult(intent, 0.9, (IntentScore(intent, 0.9),))

            replies = await chat.say("질문이 있어요")

            assert replies.messages, intent
            assert script(replies.text) == "ko", intent
            assert replies.callback_data, intent
            bot.assert_no_crash([replies])


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ("scam_romance", "learn:type:romance"),
        ("scam_sextortion", "learn:type:sextortion"),
        ("how_to_protect", "learn:article:how_to_protect"),
        ("scammed_what_now", "learn:article:scammed_what_now"),
    ],
)
async def test_intent_opens_its_page(settings: Settings, trained_models: None, intent: str, expected: str) -> None:
    parser = FakeParser(NluResult(intent, 0.95, (IntentScore(intent, 0.95),)))
    async with running_bot(settings, rasa=parser) as bot:
        chat = bot.chat()
        asked = await chat.say("tell me")
        tapped = await chat.tap(expected)

    assert asked.last.text == tapped.last.text


async def test_greeting_and_thanks_are_answered_kindly(settings: Settings, trained_models: None) -> None:
    parser = FakeParser()
    async with running_bot(settings, rasa=parser) as bot:
        chat = bot.chat(language_code="en")
        parser.result = NluResult("greet", 0.99)
        hello = await chat.say("hi")
        parser.result = NluResult("thanks", 0.99)
        thanks = await chat.say("thanks!")

    assert hello.last.text == T("en", "chat.greet")
    assert hello.callback_data[:6] == [
        "learn:menu",
        "check:start",
        "job:start",
        "report:start",
        "help:now",
        "menu:language",
    ]
    assert thanks.last.text == T("en", "chat.thanks")
    assert thanks.callback_data == ["menu:main"]


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_job_button_starts_the_guided_job_check(bot: RunningBot, content: ContentCatalogue, lang: str) -> None:
    chat = bot.chat(language_code=lang)

    by_button = await chat.tap("job:start")
    by_command = await chat.say("/job")

    assert content.job_check(lang).intro in by_button.text
    assert script(by_button.text) == lang
    assert any(data.startswith("job:a:") for data in by_button.callback_data)  # the first question's options
    assert "job:cancel" in by_button.callback_data  # a way out at every step
    assert by_command.text == by_button.text


async def test_job_question_intent_offers_the_job_check(
    settings: Settings, trained_models: None, content: ContentCatalogue
) -> None:
    parser = FakeParser(NluResult("vet_job_offer", 0.9, (IntentScore("vet_job_offer", 0.9),)))
    async with running_bot(settings, rasa=parser) as bot:
        replies = await bot.chat(language_code="km").say("ការងារនេះពិតទេ")

    assert content.job_check("km").intro in replies.text
    assert replies.callback_data == ["job:start", "menu:main"]
