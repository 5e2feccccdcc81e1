"""Helpers for journey tests: a running offline bot, chats that send updates, and script checks.

A journey test talks to the real Application built by `bot.app.build_application`, with the
offline request recording every Bot API call; assertions look at what the user would see.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import build_application, running_application
from bot.i18n import load_catalogues
from bot.offline import ApiCall, OfflineRequest
from bot.settings import Settings
from bot.update_factory import UpdateFactory
from content.catalogue import ContentCatalogue
from nlu.service import IntentParser

#: The polite apology the error handler sends; seeing it means a handler crashed.
APOLOGIES = frozenset(catalogue["error.generic"] for catalogue in load_catalogues().values())
#: Methods whose text the user reads in the chat.
MESSAGE_METHODS = ("sendMessage", "editMessageText")


def letters(text: str) -> dict[str, int]:
    """Counts Khmer, Hangul and Latin letters in `text` (digits, emoji and punctuation ignored)."""
    counts = {"km": 0, "ko": 0, "en": 0}
    for char in text:
        code = ord(char)
        if 0x1780 <= code <= 0x17FF or 0x19E0 <= code <= 0x19FF:
            counts["km"] += 1
        elif 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            counts["ko"] += 1
        elif char.isascii() and char.isalpha():
            counts["en"] += 1
    return counts


def script(text: str) -> str:
    """The script most letters of `text` are written in: "km" (Khmer), "ko" (Hangul) or "en" (Latin)."""
    counts = letters(text)
    return max(counts, key=counts.__getitem__)


def about_job_offers(text: str, lang: str, content: ContentCatalogue) -> bool:
    """True when `text` is the fake-job page or the invitation to check a job offer, in `lang`.

    A question about fake jobs gets the page; a question about one offer gets the guided check.
    """
    text = unescape(text)
    return content.scam_type(lang, "job_offer").title in text or content.job_check(lang).intro in text


@dataclass
class Replies:
    """The Bot API calls one update caused, with views of what the user saw."""

    calls: list[ApiCall]

    @property
    def messages(self) -> list[ApiCall]:
        """Messages sent or edited in the chat."""
        return [c for c in self.calls if c.method in MESSAGE_METHODS]

    @property
    def text(self) -> str:
        """All message texts, joined."""
        return "\n".join(c.text for c in self.messages)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """Every inline button (label, callback data or URL) under the messages, in order."""
        return [button for c in self.messages for button in c.buttons]

    @property
    def callback_data(self) -> list[str]:
        """The callback data of every button."""
        return [data for _, data in self.buttons]

    @property
    def last(self) -> ApiCall:
        """The last message sent (fails the test if there was none)."""
        assert self.messages, f"the bot sent no message; calls: {[c.method for c in self.calls]}"
        return self.messages[-1]

    def __len__(self) -> int:
        return len(self.messages)


@dataclass
class Chat:
    """One user in one chat, talking to the running bot."""

    bot: RunningBot
    factory: UpdateFactory

    async def send(self, update: Update) -> Replies:
        """Feeds one update to the Application and returns the calls it caused."""
        return await self.bot.send(update)

    async def say(self, text: str, **extra: Any) -> Replies:
        """Sends a text message (commands included); `extra` adds message fields such as `reply_to_message`."""
        return await self.send(self.factory.text(text, **extra))

    async def tap(self, data: str) -> Replies:
        """Taps an inline button with this callback data."""
        return await self.send(self.factory.callback(data))


@dataclass
class RunningBot:
    """A running offline Application, the request recording its calls, and every error it raised."""

    app: Application
    request: OfflineRequest
    errors: list[BaseException] = field(default_factory=list)
    startup_calls: list[ApiCall] = field(default_factory=list)

    def chat(
        self,
        *,
        language_code: str | None = "en",
        user_id: int = 4242,
        chat_type: str = "private",
        chat_id: int | None = None,
    ) -> Chat:
        """A chat with one user whose Telegram app is set to `language_code`."""
        factory = UpdateFactory(
            self.app.bot, user_id=user_id, language_code=language_code, chat_type=chat_type, chat_id=chat_id
        )
        return Chat(self, factory)

    async def send(self, update: Update) -> Replies:
        """Feeds one update and returns the calls it caused."""
        before = len(self.request.calls)
        await self.app.process_update(update)
        return Replies(self.request.calls[before:])

    def assert_no_crash(self, replies: Iterable[Replies] = ()) -> None:
        """No handler raised, and the user never saw the error handler's apology."""
        assert not self.errors, f"handlers raised: {self.errors!r}"
        for reply in replies:
            assert not APOLOGIES.intersection(c.text for c in reply.messages), "the user got the error apology"


@asynccontextmanager
async def running_bot(
    settings: Settings,
    *,
    rasa: IntentParser | None = None,
    nlu_url: str | None = None,
    request: OfflineRequest | None = None,
) -> AsyncIterator[RunningBot]:
    """Builds the real Application on `settings` with an offline request, and runs it.

    Calls made while starting (the command menus) are kept in `startup_calls`, then forgotten.
    """
    request = request or OfflineRequest()
    app = build_application(settings, nlu_url=nlu_url, request=request, rasa=rasa, rate_limit=False)
    running = RunningBot(app, request)

    async def record(update: object, context: object) -> None:
        running.errors.append(getattr(context, "error", None) or RuntimeError("unknown error"))

    app.add_error_handler(record)
    async with running_application(app):
        running.startup_calls = list(request.calls)
        request.clear()
        yield running
