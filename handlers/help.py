"""Help journey: someone may be in danger now. The first answer comes before anything else.

/help, /sos, "Get help now" and urgent phrases in any language ("살려주세요", "ជួយខ្ញុំផង",
"they took my passport") are answered by `answer_at_once` in a handler group that runs before
the language look-up, the NLU and the classifier, so nothing they wait on (Rasa, the model,
the database) can hold the first message back. Its language comes from memory (the last help
message, the script typed, the Telegram setting); if the store then knows better (a language
the user chose), the message is sent once more in that language.

The message gives safety guidance and the official contacts that work from Cambodia, with
buttons to send details for a rescue request (`handlers.urgent`), to turn on discreet mode
and to clear the chat (`handlers.discreet`).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from handlers import discreet
from handlers.context import BotContext, Translate
from handlers.language import choose_language
from handlers.menu import menu_button, menu_only
from handlers.render import article_text, contacts_text, escape

if TYPE_CHECKING:
    from content.catalogue import PublicContact

#: Contacts shown in urgent help: tagged `urgent` in content/contacts.yml and usable from Cambodia.
URGENT_TOPICS = frozenset({"urgent"})
HERE = "KH"
#: user_data key: the language of the last help message (the first answer cannot wait for the store).
LANG_KEY = "help_lang"
#: user_data key of the urgent flow's draft (while it runs, typed answers are not urgent phrases).
URGENT_DRAFT_KEY = "urgent"
#: Longer texts are left to the NLU: a phrase inside a long pasted message is weak evidence.
MAX_URGENT_TEXT = 1000
#: What may remain of a message besides a plain "help me" for it to count ("please", "제발").
ALONE_SLACK = 8

#: Phrases that mean danger wherever they appear in a short message (matched on `normalise`d text).
URGENT_PHRASES = (
    # Korean
    "살려",
    "감금",
    "갇혀",
    "갇혔",
    "납치",
    "여권을 뺏",
    "여권 뺏",
    "여권을 빼앗",
    "여권 빼앗",
    "구해주",
    "구해줘",
    "구조 요청",
    "구조요청",
    # Khmer
    "ជួយសង្គ្រោះ",
    "ឃុំខ្លួន",
    "ឃុំខ្ញុំ",
    "ចាប់ជំរិត",
    "បង្ខាំង",
    "មិនឲ្យខ្ញុំចេញ",
    "យកលិខិតឆ្លងដែន",
)
#: English phrases, as whole words.
URGENT_ENGLISH = re.compile(
    r"\b(?:save me|rescue me|sos|kidnapp?ed|locked (?:me )?(?:up|in)|trapped|held hostage|being held"
    r"|(?:took|taken|take) my passport|passports? (?:was |were |is |are )?taken"
    r"|won'?t let (?:me|us) (?:leave|go|out)|i'?m in danger|i am in danger)\b"
)
#: "Help me" alone (or with a "please") is urgent; "help me check this link" is not.
ALONE_PHRASES = tuple(
    sorted(
        ("help me", "please help", "도와주세요", "도와줘요", "도와줘", "ជួយខ្ញុំផង", "ជួយផង", "ជួយខ្ញុំ"),
        key=len,
        reverse=True,
    )
)
#: A message that is only one of these words turns discreet mode on, whatever the NLU says.
DISCREET_WORDS = frozenset({"quiet", "discreet", "조용히", "ស្ងាត់"})
#: Longer messages are not "only the word", whatever spaces or emoji surround it.
MAX_DISCREET_TEXT = 40
# One search instead of one per phrase: every private message is checked before anything else.
_URGENT_PHRASE = re.compile("|".join(map(re.escape, URGENT_PHRASES)))

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


# --- pure helpers ------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def normalise(text: str) -> str:
    """Folds what varies between keyboards: width, case, invisible spaces, ឱ/ឲ, curly apostrophes."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_INVISIBLE)
    return re.sub(r"\s+", " ", folded.replace("ឱ", "ឲ").replace("’", "'")).strip()


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum() or unicodedata.category(ch).startswith("M"))


def is_urgent_text(text: str) -> bool:
    """Whether a typed message says someone is in danger now, in Khmer, Korean or English."""
    if not text or len(text) > MAX_URGENT_TEXT:
        return False
    plain = normalise(text)
    if _URGENT_PHRASE.search(plain) or URGENT_ENGLISH.search(plain):
        return True
    rest = plain
    for phrase in ALONE_PHRASES:
        rest = rest.replace(phrase, "\0")
    return "\0" in rest and len(_letters(rest)) <= ALONE_SLACK


def is_discreet_word(text: str) -> bool:
    """Whether a message is only the word that turns discreet mode on."""
    return len(text) <= MAX_DISCREET_TEXT and _letters(normalise(text)) in DISCREET_WORDS


def reply_language(remembered: str | None, text: str | None, telegram_code: str | None) -> str:
    """The help message's language without the store: the script typed, the last help, Telegram's setting."""
    return choose_language(chosen=None, stored=remembered, text=text, telegram_code=telegram_code)


def short_contacts(t: Translate, lang: str, contacts: Sequence[PublicContact]) -> str:
    """One short line per contact (name, number, source date), for discreet mode; Telegram HTML."""
    lines = []
    for contact in contacts:
        ways = [w for w in (contact.phone, contact.telegram and f"Telegram {contact.telegram}", contact.url) if w]
        dated = t(lang, "contacts.source_date", date=str(contact.source_date))
        lines.append(f"• {contact.name}" + (f": {' · '.join(ways)}" if ways else "") + f" {dated}")
    return escape("\n".join(lines) if lines else t(lang, "contacts.none"))


# --- the help message --------------------------------------------------------------------------


def _private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


def urgent_contacts(context: BotContext, lang: str) -> list[PublicContact]:
    """Confirmed urgent contacts that work from Cambodia; Korean nationals' first for Korean speakers."""
    content = context.services.content
    content.refresh()
    return content.public_contacts(lang, topics=set(URGENT_TOPICS), korean_national=lang == "ko", reachable_from=HERE)


def help_keyboard(t: Translate, lang: str, *, private: bool, quiet: bool) -> InlineKeyboardMarkup:
    """Rescue details, discreet mode and clearing in private chats; reporting and the menu."""
    button = InlineKeyboardButton
    if quiet:
        return InlineKeyboardMarkup(
            [
                [button(t(lang, "urgent.details_button"), callback_data="urgent:start")],
                [
                    button(t(lang, "urgent.clear_now_button"), callback_data="help:clear"),
                    button(t(lang, "urgent.normal_button"), callback_data="help:normal"),
                ],
            ]
        )
    rows = [[button(t(lang, "help.report"), callback_data="report:start")], [menu_button(t, lang)]]
    if private:
        rows[:0] = [
            [button(t(lang, "urgent.rescue_button"), callback_data="urgent:start")],
            [
                button(t(lang, "urgent.discreet_button"), callback_data="help:discreet"),
                button(t(lang, "urgent.clear_button"), callback_data="help:clear"),
            ],
        ]
    return InlineKeyboardMarkup(rows)


def help_text(context: BotContext, lang: str, *, quiet: bool) -> str:
    """Guidance and contacts (Telegram HTML); in discreet mode short, with a first line that alarms nobody."""
    t = context.services.t
    contacts = urgent_contacts(context, lang)
    if quiet:
        minutes = discreet.DELETE_AFTER // 60
        return "\n\n".join(
            [
                escape(t(lang, "urgent.discreet_first_line")),
                short_contacts(t, lang, contacts),
                escape(t(lang, "urgent.discreet_tip")),
                escape(t(lang, "urgent.discreet_timer", minutes=minutes)),
            ]
        )
    guidance = article_text(context.services.content.article(lang, "urgent_safety"))
    return f"{guidance}\n\n{contacts_text(t, lang, contacts)}"


async def _send_help_message(update: Update, context: BotContext, lang: str) -> Message | None:
    quiet = discreet.is_on(context.chat_data)
    text = help_text(context, lang, quiet=quiet)
    keyboard = help_keyboard(context.services.t, lang, private=_private(update), quiet=quiet)
    return await discreet.say(update, context, text, reply_markup=keyboard, html=True)


async def send_help(update: Update, context: BotContext) -> None:
    """The help message in the update's language, unless this update already got it in that language."""
    if update.effective_message is None:
        return
    if context.user_data is not None:
        context.user_data[LANG_KEY] = context.lang
    if context.urgent_lang == context.lang:
        return
    if context.urgent_lang is None and update.callback_query:
        await update.callback_query.answer()  # stops the button's spinner
    context.urgent_lang = context.lang
    await _send_help_message(update, context, context.lang)


async def answer_at_once(update: Update, context: BotContext) -> None:
    """/help, /sos, "Get help now" or an urgent phrase: the help message before anything else is done."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if update.callback_query and update.callback_query.data != "help:now":
        return  # PTB lets a button without data through any pattern: not a call for help
    data = context.user_data if context.user_data is not None else {}
    typed = None if update.callback_query else message.text
    if typed and not typed.startswith("/") and data.get(URGENT_DRAFT_KEY):
        return  # answers to the urgent flow's questions are not new calls for help
    context.lang = reply_language(data.get(LANG_KEY), typed, user.language_code)
    await send_help(update, context)


async def discreet_on(update: Update, context: BotContext) -> None:
    """/discreet, the button or the word: short, silent messages that clear themselves."""
    if update.callback_query:
        await update.callback_query.answer()
    t, lang = context.services.t, context.lang
    if not _private(update) or context.chat_data is None:
        if update.effective_message:
            await update.effective_message.reply_text(t(lang, "urgent.discreet_private_only"))
        return
    if context.args and context.args[0].lower() in ("off", "no", "0"):
        await discreet_off(update, context)
        return
    discreet.turn_on(discreet.state_of(context.chat_data), time.time())
    await _send_help_message(update, context, lang)


async def discreet_off(update: Update, context: BotContext) -> None:
    """ "Normal mode": messages stay in the chat again."""
    if update.callback_query:
        await update.callback_query.answer()
    if context.chat_data is not None:
        discreet.turn_off(discreet.state_of(context.chat_data))
    t, lang = context.services.t, context.lang
    await discreet.say(update, context, t(lang, "urgent.discreet_off"), reply_markup=menu_only(t, lang))


async def clear(update: Update, context: BotContext) -> None:
    """/clear or "Clear this chat": deletes the remembered messages, this one too."""
    t, lang = context.services.t, context.lang
    if not _private(update):
        if update.callback_query:
            await update.callback_query.answer()
        return
    deleted = await discreet.clear_chat(update, context)
    if update.callback_query:
        await update.callback_query.answer(t(lang, "urgent.cleared"))
    elif deleted <= 1:  # only the /clear itself
        await discreet.say(update, context, t(lang, "urgent.nothing_to_clear"))


class _UrgentText(filters.MessageFilter):
    """Typed texts that say someone is in danger now."""

    name = "UrgentText"

    def filter(self, message: Message) -> bool:
        return bool(message.text) and is_urgent_text(message.text)


class _DiscreetWord(filters.MessageFilter):
    """A message that is only the discreet-mode word."""

    name = "DiscreetWord"

    def filter(self, message: Message) -> bool:
        return bool(message.text) and is_discreet_word(message.text)


def first_handlers() -> list[BaseHandler]:
    """Registered in a group before the language look-up: the first answer waits for nothing."""
    not_edited = ~filters.UpdateType.EDITED
    typed = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & ~filters.FORWARDED & not_edited
    return [
        CommandHandler(["help", "sos"], answer_at_once, filters=not_edited),
        CallbackQueryHandler(answer_at_once, pattern=r"^help:now$"),
        MessageHandler(typed & _UrgentText(), answer_at_once),
    ]


def tracking_handlers() -> list[BaseHandler]:
    """Registered in the first group of all: remembers messages of discreet chats."""
    return [TypeHandler(Update, discreet.track_incoming)]


def handlers() -> list[BaseHandler]:
    """The help journey's own group: again in the right language, discreet mode, clearing."""
    return [
        CommandHandler(["help", "sos"], send_help),
        CallbackQueryHandler(send_help, pattern=r"^help:now$"),
        CommandHandler("discreet", discreet_on),
        CallbackQueryHandler(discreet_on, pattern=r"^help:discreet$"),
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & _DiscreetWord(), discreet_on),
        CallbackQueryHandler(discreet_off, pattern=r"^help:normal$"),
        CommandHandler("clear", clear),
        CallbackQueryHandler(clear, pattern=r"^help:clear$"),
    ]
