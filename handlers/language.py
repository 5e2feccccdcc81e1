"""Language journey: pick the reply language for each update, and let the user change it."""

from __future__ import annotations

import logging
import time
import unicodedata
from collections import OrderedDict
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, TypeHandler

from handlers.context import BotContext
from handlers.menu import send_menu

if TYPE_CHECKING:
    from storage.users import UserRepository

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("km", "ko", "en")
DEFAULT_LANGUAGE = "en"
#: Each language's name in its own script, so anyone can find theirs.
LANGUAGE_NAMES = {"km": "ភាសាខ្មែរ", "ko": "한국어", "en": "English"}
CALLBACK_PREFIX = "lang:"

def script_language(text: str) -> str | None:
    """Returns "km" or "ko" when the text is mostly in Khmer or Hangul letters, else None.

    Latin text says nothing reliable (Khmer and Korean users type English too), so it gives None.
    """
    khmer = hangul = latin = 0
    for char in text[:500]:
        code = ord(char)
        # Khmer vowel signs are combining marks, not letters; they count as Khmer too.
        if 0x1780 <= code <= 0x17DD or 0x19E0 <= code <= 0x19FF:
            khmer += 1
        elif not char.isalpha():
            continue
        elif 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            hangul += 1
        elif "LATIN" in unicodedata.name(char, ""):
            latin += 1
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


def choose_language(
    *, chosen: str | None, stored: str | None, text: str | None, telegram_code: str | None
) -> str:
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

    The store is touched (last seen, Telegram language) at most every `touch_every` seconds
    per user, so busy chats don't cost a database write per message.
    """

    def __init__(self, users: UserRepository, *, touch_every: float = 300, cache_size: int = 50_000) -> None:
        self._users = users
        self._touch_every = touch_every
        self._cache_size = cache_size
        # user id -> (language in use, chosen explicitly, monotonic time of the last store write)
        self._cache: OrderedDict[int, tuple[str | None, bool, float]] = OrderedDict()

    async def resolve(self, user_id: int, *, text: str | None, telegram_code: str | None) -> str:
        """Returns the reply language for this update and remembers it."""
        entry = self._cache.get(user_id)
        now = time.monotonic()
        if entry is None or now - entry[2] >= self._touch_every:
            remembered = entry[0] if entry else None
            try:
                record = await self._users.touch(user_id, telegram_code)
            except SQLAlchemyError as exc:
                # A busy store (e.g. "database is locked" in a burst of new users) must not
                # cost the user an answer: detect the language now, remember it next time.
                log.warning("could not record user %s: %s", user_id, type(exc).__name__)
                entry = (remembered, entry[1] if entry else False, entry[2] if entry else 0.0)
            else:
                entry = (record.language if record.language_chosen else remembered, record.language_chosen, now)
        stored, chosen, touched = entry
        lang = choose_language(
            chosen=stored if chosen else None, stored=stored, text=text, telegram_code=telegram_code
        )
        self._remember(user_id, (lang, chosen, touched))
        return lang

    async def choose(self, user_id: int, lang: str) -> None:
        """Stores an explicit choice; it wins over script and Telegram settings from now on."""
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
        await self._users.set_language(user_id, lang)
        self._remember(user_id, (lang, True, time.monotonic()))

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
