"""Language journey: pick the reply language for each update, and let the user change it."""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, TypeHandler

from handlers.context import BotContext
from handlers.menu import send_menu
from storage.batching import Batcher

if TYPE_CHECKING:
    from storage.users import UserRecord, UserRepository

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("km", "ko", "en")
DEFAULT_LANGUAGE = "en"
#: Each language's name in its own script, so anyone can find theirs.
LANGUAGE_NAMES = {"km": "ភាសាខ្មែរ", "ko": "한국어", "en": "English"}
CALLBACK_PREFIX = "lang:"
#: Seconds before writing seen users again after the store failed.
RETRY_WRITE_AFTER = 5.0


# Letters by script, counted at C speed (every message is looked at). Khmer vowel signs are
# combining marks, not letters; they count as Khmer too.
_KHMER = re.compile("[\u1780-\u17dd\u19e0-\u19ff]")
_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e]")
_LATIN = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a]")


def script_language(text: str) -> str | None:
    """Returns "km" or "ko" when the text is mostly in Khmer or Hangul letters, else None.

    Latin text says nothing reliable (Khmer and Korean users type English too), so it gives None.
    """
    sample = text[:500]
    khmer, hangul, latin = (len(script.findall(sample)) for script in (_KHMER, _HANGUL, _LATIN))
    if khmer >= max(2, hangul, latin // 2):
        return "km"
    if hangul >= max(2, khmer, latin // 2):
        return "ko"
    return None


def telegram_language(code: str | None) -> str | None:
    """Maps Telegram's `language_code` ("ko", "km-KH", "en-US") to one of ours, or None."""
    if not code:
        return None
    base = code.split("-")[0].lower()
    return base if base in LANGUAGES else None


def choose_language(*, chosen: str | None, stored: str | None, text: str | None, telegram_code: str | None) -> str:
    """Picks the reply language: the user's explicit choice, then the script they write in,
    then what we used before, then their Telegram setting, then English."""
    if chosen in LANGUAGES:
        return chosen  # type: ignore[return-value]
    by_script = script_language(text) if text else None
    for candidate in (by_script, stored, telegram_language(telegram_code)):
        if candidate in LANGUAGES:
            return candidate  # type: ignore[return-value]
    return DEFAULT_LANGUAGE


class UserLanguages:
    """Remembers each user's language: explicit choices in the store, detected ones in memory.

    Why writes wait: recording that a user was seen (first contact, last seen, Telegram
    language) is bookkeeping, so it is written behind the reply, many users per transaction,
    at most every `touch_every` seconds per user. A burst of new users then costs no database
    write on the reply path (on SQLite each write is an fsync, one writer at a time). Explicit
    choices are written at once. Call `close` before the store closes.
    """

    def __init__(
        self,
        users: UserRepository,
        *,
        touch_every: float = 300,
        cache_size: int = 50_000,
        write_delay: float = 0.5,
    ) -> None:
        self._users = users
        self._touch_every = touch_every
        self._cache_size = cache_size
        self._write_delay = write_delay
        # user id -> (language in use, chosen explicitly, monotonic time of the last "seen")
        self._cache: OrderedDict[int, tuple[str | None, bool, float]] = OrderedDict()
        # user id -> Telegram language code, seen but not yet written
        self._unwritten: dict[int, str | None] = {}
        self._writer: asyncio.Task[None] | None = None
        # First contacts arriving together are read in one query.
        self._reads: Batcher[int, UserRecord | None] = Batcher(self._read_many)

    async def resolve(self, user_id: int, *, text: str | None, telegram_code: str | None) -> str:
        """Returns the reply language for this update and remembers it."""
        entry = self._cache.get(user_id)
        stored_read = entry is not None
        if entry is None:
            entry, stored_read = await self._stored_choice(user_id)
        stored, chosen, seen = entry
        now = time.monotonic()
        if now - seen >= self._touch_every:
            self._note_seen(user_id, telegram_code)
            seen = now
        lang = choose_language(chosen=stored if chosen else None, stored=stored, text=text, telegram_code=telegram_code)
        if stored_read:  # after a failed read, the next message asks the store again
            self._remember(user_id, (lang, chosen, seen))
        return lang

    async def choose(self, user_id: int, lang: str) -> None:
        """Stores an explicit choice; it wins over script and Telegram settings from now on."""
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
        await self._users.set_language(user_id, lang)
        self._remember(user_id, (lang, True, time.monotonic()))

    async def flush(self) -> None:
        """Writes every user seen since the last write; on a store error they wait for the next."""
        seen, self._unwritten = self._unwritten, {}
        if not seen:
            return
        try:
            await self._users.touch_many(seen)
        except SQLAlchemyError as exc:
            log.warning("could not record %d users: %s; trying again later", len(seen), type(exc).__name__)
            self._unwritten = {**seen, **self._unwritten}
            self._drop_oldest_unwritten()
            self._schedule_write(delay=max(self._write_delay, RETRY_WRITE_AFTER))

    async def close(self) -> None:
        """Writes what is left now, instead of after the delay."""
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        await self.flush()
        if self._writer is not None:  # the store failed: nothing more can be done at shutdown
            self._writer.cancel()
            self._writer = None

    async def _stored_choice(self, user_id: int) -> tuple[tuple[str | None, bool, float], bool]:
        """First contact since start-up: a language the user chose earlier still wins.

        Returns the cache entry and whether the store answered.
        """
        try:
            record = await self._reads.get(user_id)
        except SQLAlchemyError as exc:
            # A busy store must not cost the user an answer: detect the language instead.
            log.warning("could not read user %s: %s", user_id, type(exc).__name__)
            return (None, False, -math.inf), False
        if record is not None and record.language_chosen:
            return (record.language, True, -math.inf), True
        return (None, False, -math.inf), True

    async def _read_many(self, user_ids: Sequence[int]) -> list[UserRecord | None]:
        found = await self._users.get_many(user_ids)
        return [found.get(user_id) for user_id in user_ids]

    def _note_seen(self, user_id: int, telegram_code: str | None) -> None:
        self._unwritten[user_id] = telegram_code
        self._drop_oldest_unwritten()
        self._schedule_write()

    def _drop_oldest_unwritten(self) -> None:
        # With the store down for long, keep memory bounded: a lost "last seen" is harmless.
        while len(self._unwritten) > self._cache_size:
            del self._unwritten[next(iter(self._unwritten))]

    def _schedule_write(self, delay: float | None = None) -> None:
        if self._writer is None or self._writer.done():
            wait = self._write_delay if delay is None else delay
            self._writer = asyncio.get_running_loop().create_task(self._write_soon(wait), name="user-languages-writer")

    async def _write_soon(self, delay: float) -> None:
        await asyncio.sleep(delay)
        self._writer = None
        await self.flush()

    def _remember(self, user_id: int, entry: tuple[str | None, bool, float]) -> None:
        self._cache[user_id] = entry
        self._cache.move_to_end(user_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


def message_text(update: Update) -> str | None:
    """The text or caption of the update's message, if any."""
    message = update.effective_message
    if message is None:
        return None
    return message.text or message.caption


async def resolve_language(update: Update, context: BotContext) -> None:
    """Runs before every other handler: sets `context.lang` for this update."""
    user = update.effective_user
    if user is None:
        return
    context.lang = await context.services.languages.resolve(
        user.id, text=message_text(update), telegram_code=user.language_code
    )


def language_keyboard() -> InlineKeyboardMarkup:
    """One button per language, each written in its own script."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(LANGUAGE_NAMES[code], callback_data=f"{CALLBACK_PREFIX}{code}")] for code in LANGUAGES]
    )


async def ask_language(update: Update, context: BotContext) -> None:
    """/language: shows the three languages."""
    if (message := update.effective_message) is None:
        return
    if update.callback_query:
        await update.callback_query.answer()
    await message.reply_text(context.services.t(context.lang, "language.choose"), reply_markup=language_keyboard())


async def set_language(update: Update, context: BotContext) -> None:
    """Stores the chosen language and shows the menu in it."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    code = (query.data or "").removeprefix(CALLBACK_PREFIX)
    if code not in LANGUAGES:
        await query.answer()
        return
    await context.services.languages.choose(user.id, code)
    context.lang = code
    await query.answer(context.services.t(code, "language.set"))
    await send_menu(update, context, context.services.t(code, "language.set"))


def pre_handlers() -> list[BaseHandler]:
    """Run in a negative group, before any journey."""
    return [TypeHandler(Update, resolve_language)]


def handlers() -> list[BaseHandler]:
    """The language journey's handlers."""
    return [
        CommandHandler("language", ask_language),
        CallbackQueryHandler(ask_language, pattern=r"^menu:language$"),
        CallbackQueryHandler(set_language, pattern=rf"^{CALLBACK_PREFIX}"),
    ]
