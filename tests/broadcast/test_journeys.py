"""/subscribe, /unsubscribe and staff /alerts through the real Application, and an alert reaching
the subscribers who chose it, once each, in their language."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.broadcast import Broadcaster, BroadcastSettings, alert_composer
from bot.i18n import Translator
from bot.settings import Settings
from content.catalogue import ContentCatalogue
from tests.bot.support import RunningBot, running_bot, script

T = Translator.from_directory()
STAFF_ID = 900


@pytest.fixture(autouse=True)
def _clean_environment(clean_env: None) -> None:
    """No test here inherits the developer's settings variables."""


@pytest.fixture
async def bot(settings: Settings, trained_models: None) -> AsyncIterator[RunningBot]:
    staffed = settings.model_copy(update={"staff_ids": [STAFF_ID]})
    async with running_bot(staffed) as running:
        yield running


@pytest.fixture(scope="module")
def content() -> ContentCatalogue:
    return ContentCatalogue()


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_subscribe_shows_topics_in_the_users_language(
    bot: RunningBot, content: ContentCatalogue, lang: str
) -> None:
    chat = bot.chat(language_code=lang)

    replies = await chat.say("/subscribe")

    assert replies.last.text == T(lang, "subscribe.choose")
    labels = [label for label, _ in replies.buttons]
    assert labels[0] == T(lang, "subscribe.all")
    assert {title for _, title in [(k, s.title) for k, s in content.scam_types(lang)]} <= set(labels)
    assert replies.callback_data[-1] == "sub:done"
    bot.assert_no_crash([replies])


async def test_tapping_topics_ticks_them_and_done_says_what_was_chosen(
    bot: RunningBot, content: ContentCatalogue
) -> None:
    chat = bot.chat(language_code="ko")
    await chat.say("/subscribe")
    romance = content.scam_type("ko", "romance").title

    ticked = await chat.tap("sub:t:romance")
    markup = [c for c in ticked.calls if c.method == "editMessageReplyMarkup"]
    assert markup and (T("ko", "subscribe.chosen", topic=romance), "sub:t:romance") in markup[-1].buttons

    done = await chat.tap("sub:done")
    assert done.last.text == T("ko", "subscribe.saved", topics=romance)

    # Tapping again removes it; with nothing left, Done says no alerts will come.
    await chat.say("/subscribe")
    await chat.tap("sub:t:romance")
    assert (await chat.tap("sub:done")).last.text == T("ko", "subscribe.none")
    bot.assert_no_crash()


async def test_unsubscribe_stops_everything(bot: RunningBot) -> None:
    chat = bot.chat(language_code="km")
    assert (await chat.say("/unsubscribe")).last.text == T("km", "subscribe.not_subscribed")
    await chat.say("/subscribe")
    await chat.tap("sub:t:all")

    assert (await chat.say("/unsubscribe")).last.text == T("km", "subscribe.stopped")
    assert await bot.app.bot_data.services.subscriptions.get(4242) is None  # type: ignore[union-attr]


async def test_forged_topic_and_group_chats_get_a_clear_answer(bot: RunningBot) -> None:
    private = bot.chat(language_code="en")
    forged = await private.tap("sub:t:not-a-topic")
    assert not forged.messages
    assert await bot.app.bot_data.services.subscriptions.get(4242) is None  # type: ignore[union-attr]

    group = bot.chat(language_code="en", chat_type="group", chat_id=-100)
    assert (await group.say("/subscribe")).last.text == T("en", "subscribe.private_only")
    bot.assert_no_crash()


async def test_alerts_command_is_for_staff_only(bot: RunningBot) -> None:
    replies = await bot.chat(user_id=5).say("/alerts")
    assert replies.last.text == T("en", "unsupported.command")


async def test_staff_alert_reaches_the_right_subscribers_once_in_their_language(bot: RunningBot) -> None:
    korean_romance = bot.chat(language_code="ko", user_id=11)
    korean_all = bot.chat(language_code="ko", user_id=12)
    khmer_all = bot.chat(language_code="km", user_id=13)
    korean_jobs = bot.chat(language_code="ko", user_id=14)
    await korean_romance.say("/subscribe")
    await korean_romance.tap("sub:t:romance")
    await korean_all.say("/subscribe")
    await korean_all.tap("sub:t:all")
    await khmer_all.say("/subscribe")
    await khmer_all.tap("sub:t:all")
    await korean_jobs.say("/subscribe")
    await korean_jobs.tap("sub:t:job_offer")
    staff = bot.chat(user_id=STAFF_ID)

    queued = await staff.say("/alerts send ko topic=romance 로맨스 스캠 주의!\n돈을 보내지 마세요.")
    assert "#1 queued for about 2 subscriber(s)" in queued.last.text

    services = bot.app.bot_data.services
    assert services is not None and services.alerts is not None
    sender = Broadcaster(
        bot.app.bot, services.alerts, settings=BroadcastSettings(rate=50), compose=alert_composer(services.t)
    )
    bot.request.clear()
    while await sender.run_once():
        pass

    sent = [c for c in bot.request.calls if c.method == "sendMessage"]
    assert sorted(c.params["chat_id"] for c in sent) == [11, 12]
    for call in sent:
        assert "로맨스 스캠 주의!\n돈을 보내지 마세요." in call.text
        assert call.text.startswith(T("ko", "subscribe.alert_header"))
        assert script(call.text) == "ko"

    progress = await staff.say("/alerts 1")
    assert "#1 done" in progress.last.text and "2/2 sent" in progress.last.text
    # Nothing is sent twice, even if the sender looks again.
    assert not await sender.run_once()
    bot.assert_no_crash()


async def test_staff_can_cancel_and_bad_commands_get_usage(bot: RunningBot) -> None:
    staff = bot.chat(user_id=STAFF_ID)
    await staff.say("/alerts send en Beware of fake parcel fees.")

    assert (await staff.say("/alerts cancel 1")).last.text == "Alert #1 cancelled."
    assert (await staff.say("/alerts cancel 1")).last.text == "Alert #1 had already ended."
    assert (await staff.say("/alerts cancel 7")).last.text == "No alert #7."
    assert (await staff.say("/alerts send fr hello")).last.text.startswith("Usage:")
    assert "Unknown topic" in (await staff.say("/alerts send en topic=cats hello")).last.text
    assert "#1 cancelled" in (await staff.say("/alerts")).last.text
    bot.assert_no_crash()
