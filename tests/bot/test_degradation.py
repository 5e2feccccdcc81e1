"""When Rasa is down, slow or broken, the bot still answers (local matcher) and reports itself degraded."""

from __future__ import annotations

import socket

import pytest

from bot.settings import Settings
from content.catalogue import ContentCatalogue
from nlu.service import NluService
from tests.bot.support import RunningBot, about_job_offers, running_bot, script
from tests.fake_rasa import FakeRasa

JOB_QUESTION = "is this job in cambodia with free flight a scam"
PARCEL = {
    "intent": {"name": "scam_parcel", "confidence": 0.93},
    "intent_ranking": [{"name": "scam_parcel", "confidence": 0.93}, {"name": "scam_phishing", "confidence": 0.04}],
}


def nlu_of(bot: RunningBot) -> NluService:
    services = bot.app.bot_data.services
    assert services is not None
    return services.nlu


@pytest.mark.parametrize("mode", ["down", "timeout", "500", "garbage"])
async def test_bot_answers_with_the_local_matcher_when_rasa_fails(
    settings: Settings,
    trained_models: None,
    content: ContentCatalogue,
    mode: str,
) -> None:
    rasa = FakeRasa(PARCEL, mode=mode)
    client = rasa.client()
    async with running_bot(settings, rasa=client) as bot:
        replies = await bot.chat(language_code="en").say(JOB_QUESTION)

        assert rasa.calls == 1
        assert about_job_offers(replies.text, "en", content)
        health = nlu_of(bot).health()
        assert health.degraded
        assert health.local_answers == 1
        bot.assert_no_crash([replies])
    await client.aclose()


async def test_bot_uses_rasa_when_it_answers(
    settings: Settings, trained_models: None, content: ContentCatalogue
) -> None:
    rasa = FakeRasa(PARCEL)
    client = rasa.client()
    async with running_bot(settings, rasa=client) as bot:
        # Rasa says "parcel", whatever the text: the answer must come from Rasa, not the local matcher.
        replies = await bot.chat(language_code="ko").say(JOB_QUESTION)

        assert content.scam_type("ko", "parcel").title in replies.text
        assert not nlu_of(bot).health().degraded
    await client.aclose()


async def test_rasa_dying_mid_conversation_still_gets_answers(
    settings: Settings, trained_models: None, content: ContentCatalogue
) -> None:
    rasa = FakeRasa(PARCEL)
    client = rasa.client()
    async with running_bot(settings, rasa=client) as bot:
        chat = bot.chat(language_code="km")
        before = await chat.say("ផ្ញើអីវ៉ាន់")

        rasa.mode = "down"
        during = [await chat.say(text) for text in ("សួស្តី", "ការងារនៅកម្ពុជា គេចេញថ្លៃសំបុត្រយន្តហោះឱ្យ", "អរគុណ")]

        assert content.scam_type("km", "parcel").title in before.text
        for replies in during:
            assert replies.messages
            assert script(replies.text) == "km"
        assert about_job_offers(during[1].text, "km", content)
        assert nlu_of(bot).health().degraded
        bot.assert_no_crash([before, *during])
    await client.aclose()


async def test_nlu_url_with_nothing_listening_still_answers(settings: Settings, trained_models: None) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"

    async with running_bot(settings, nlu_url=url) as bot:
        replies = await bot.chat(language_code="ko").say("안녕하세요")

        assert script(replies.text) == "ko"
        assert nlu_of(bot).health().degraded
        bot.assert_no_crash([replies])
