"""Logs keep ids for operators and never reporters' numbers or message text."""

from __future__ import annotations

import logging

import pytest
from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.i18n import Translator
from bot.logs import RedactingFilter, configure_logging, redact
from bot.settings import Settings
from handlers.context import BotContext
from tests.bot.support import running_bot

T = Translator.from_directory()


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("call +855 12 345 678 now", "12 345 6"),
        ("my number is +85512345678", "855123456"),
        ("010-1234-5678", "1234"),
        ("phone 012345678 please", "0123456"),
        ("ABA account 000 123 456", "123 4"),
        ("card 4111111111111111", "41111111111"),
        ("+82-2-3210-0404", "3210"),
    ],
)
def test_redact_masks_personal_numbers(text: str, hidden: str) -> None:
    masked = redact(text)

    assert hidden not in masked
    assert "•••" in masked


def test_redact_keeps_the_last_two_digits_for_correlation() -> None:
    assert redact("call +855 12 345 678") == "call •••78"


@pytest.mark.parametrize(
    "text",
    [
        "error while handling update 123456789",
        "user 7123456789 chose ko",
        "retry in 30 s, attempt 2",
        "version 3.6.21",
        "model nlu-76ec8f54c83bdf7e",
        "117",
    ],
)
def test_redact_keeps_ids_and_short_numbers(text: str) -> None:
    assert redact(text) == text


def test_redacting_filter_masks_formatted_arguments() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "reporter said %s", ("+855 97 111 2233",), None)

    assert RedactingFilter().filter(record) is True
    assert "97 111" not in record.getMessage()
    assert record.getMessage().endswith("•••33")


def test_configure_logging_masks_numbers_in_output(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_logging("INFO")
        logging.getLogger("some.library").info("sending to %s", "+855 12 345 678")
        logging.getLogger("httpx").info("too chatty")  # quieted
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])

    err = capsys.readouterr().err
    assert "•••78" in err
    assert "12 345" not in err
    assert "too chatty" not in err


SECRET_TEXT = "boom: my account is 012 345 6789, my name is Sok Dara"


async def explode(update: Update, context: BotContext) -> None:
    raise RuntimeError("handler failed")


async def test_error_handler_logs_the_update_id_not_the_text_and_apologises(
    settings: Settings, trained_models: None, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(settings) as bot:
        bot.app.add_handler(MessageHandler(filters.Regex("^boom"), explode), group=-2)
        chat = bot.chat(language_code="km")
        update = chat.factory.text(SECRET_TEXT)

        with caplog.at_level(logging.DEBUG):
            replies = await chat.send(update)

    errors = [r for r in caplog.records if r.name == "bot.errors"]
    assert len(errors) == 1
    assert str(update.update_id) in errors[0].getMessage()
    assert errors[0].exc_info is not None  # the traceback is kept
    assert "Sok Dara" not in caplog.text
    assert "345 6789" not in caplog.text
    # The user hears a polite apology in their language.
    assert T("km", "error.generic") in [c.text for c in replies.messages]
    assert [type(e) for e in bot.errors] == [RuntimeError]


async def test_error_in_a_button_is_handled_too(
    settings: Settings, trained_models: None, caplog: pytest.LogCaptureFixture
) -> None:
    from telegram.ext import CallbackQueryHandler

    async with running_bot(settings) as bot:
        bot.app.add_handler(CallbackQueryHandler(explode, pattern="^boom$"), group=-2)
        chat = bot.chat(language_code="ko")

        replies = await chat.tap("boom")

    assert T("ko", "error.generic") in [c.text for c in replies.messages]
    assert any(r.name == "bot.errors" for r in caplog.records)
