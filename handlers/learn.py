"""Learn journey: scam types and articles, and answers to free-text questions via the intent model."""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from handlers import check, job_offer, report
from handlers import help as help_journey
from handlers.context import BotContext, Translate
from handlers.keyboards import reused_keyboard
from handlers.language import ask_language
from handlers.menu import menu_button, menu_only, send_menu
from handlers.quiz import quiz_button, quizzes_button
from handlers.render import article_text, scam_type_text

#: Scam-type intents and the content key that answers them.
SCAM_INTENTS = {
    "scam_job_offer": "job_offer",
    "scam_investment": "investment",
    "scam_romance": "romance",
    "scam_phishing": "phishing",
    "scam_impersonation": "impersonation",
    "scam_parcel": "parcel",
    "scam_loan": "loan",
    "scam_lottery": "lottery",
    "scam_sextortion": "sextortion",
}
#: Question intents answered by a general article of the same name.
ARTICLE_INTENTS = ("what_is_scam", "how_to_protect", "how_to_report", "scammed_what_now")
#: Articles listed under "Learn" beside the scam types.
LEARN_ARTICLES = ("what_is_scam", "how_to_protect", "scammed_what_now", "how_to_report")
#: Longest text read from one message; longer input gets a note.
MAX_TEXT = 4000


def topic_for_intent(intent: str) -> str | None:
    """The callback data of the page that answers an intent, if there is one."""
    if intent in SCAM_INTENTS:
        return f"learn:type:{SCAM_INTENTS[intent]}"
    if intent in ARTICLE_INTENTS:
        return f"learn:article:{intent}"
    return {"vet_job_offer": "job:start", "check_message": "check:start", "urgent_help": "help:now"}.get(intent)


def learn_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    """Scam types two per row, then the general articles, the quizzes, then Menu."""
    content, lang = context.services.content, context.lang
    types = [
        InlineKeyboardButton(scam.title, callback_data=f"learn:type:{key}") for key, scam in content.scam_types(lang)
    ]
    rows = [types[i : i + 2] for i in range(0, len(types), 2)]
    rows += [
        [InlineKeyboardButton(content.article(lang, key).title, callback_data=f"learn:article:{key}")]
        for key in LEARN_ARTICLES
    ]
    rows.append([quizzes_button(context.services.t, lang)])
    rows.append([menu_button(context.services.t, lang)])
    return InlineKeyboardMarkup(rows)


@reused_keyboard
def after_article_keyboard(t: Translate, lang: str) -> InlineKeyboardMarkup:
    """What to do next after reading: check something, report, more topics, menu."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t(lang, "menu.check"), callback_data="check:start"),
                InlineKeyboardButton(t(lang, "menu.report"), callback_data="report:start"),
            ],
            [
                InlineKeyboardButton(t(lang, "learn.more_topics"), callback_data="learn:menu"),
                menu_button(t, lang),
            ],
        ]
    )


@reused_keyboard
def scam_type_keyboard(t: Translate, lang: str, quiz: str | None) -> InlineKeyboardMarkup:
    """Under a scam type: its quiz (when it has one), then what to do next."""
    after = after_article_keyboard(t, lang)
    if quiz is None:
        return after
    return InlineKeyboardMarkup([[quiz_button(t, lang, quiz)], *after.inline_keyboard])


async def show_topics(update: Update, context: BotContext) -> None:
    """/learn or "Learn about scams": lists scam types and articles."""
    if (message := update.effective_message) is None:
        return
    if update.callback_query:
        await update.callback_query.answer()
    context.services.content.refresh()
    await message.reply_text(context.services.t(context.lang, "learn.title"), reply_markup=learn_keyboard(context))


async def show_scam_type(update: Update, context: BotContext, key: str | None = None) -> None:
    """Shows one scam type: how it works, warning signs, an example, what to do, and its quiz."""
    services, lang = context.services, context.lang

    def render(lang: str, found: str) -> str:
        return scam_type_text(services.t, lang, services.content.scam_type(lang, found))

    def keyboard(found: str) -> InlineKeyboardMarkup:
        return scam_type_keyboard(services.t, lang, services.content.quiz_for_scam_type(found))

    await _show_page(update, context, "learn:type:", key, render, keyboard)


async def show_article(update: Update, context: BotContext, key: str | None = None) -> None:
    """Shows one general article (what is a scam, how to protect yourself, ...)."""

    def render(lang: str, found: str) -> str:
        return article_text(context.services.content.article(lang, found))

    await _show_page(update, context, "learn:article:", key, render)


async def _show_page(
    update: Update,
    context: BotContext,
    prefix: str,
    key: str | None,
    render: Callable[[str, str], str],
    keyboard: Callable[[str], InlineKeyboardMarkup] | None = None,
) -> None:
    """Sends one content page (key from the argument or the tapped button); unknown keys get the menu.

    The buttons under it are `after_article_keyboard`'s unless ``keyboard`` makes them for the key.
    """
    if (message := update.effective_message) is None:
        return
    if update.callback_query:
        await update.callback_query.answer()
        key = key or (update.callback_query.data or "").removeprefix(prefix)
    services, lang = context.services, context.lang
    services.content.refresh()
    try:
        text = render(lang, key or "")
    except KeyError:
        await send_menu(update, context)
        return
    markup = keyboard(key or "") if keyboard else after_article_keyboard(services.t, lang)
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


def is_addressed_to_bot(update: Update, bot_username: str | None) -> bool:
    """In private chats always; in groups only when the bot is mentioned or replied to."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    if bot_username and f"@{bot_username}".lower() in (message.text or "").lower():
        return True
    reply = message.reply_to_message
    return bool(reply and reply.from_user and bot_username and reply.from_user.username == bot_username)


async def answer_question(update: Update, context: BotContext) -> None:
    """Free text: finds the intent and answers it; when unsure, offers the closest topics."""
    message = update.effective_message
    if message is None or not is_addressed_to_bot(update, context.bot.username):
        return
    services, lang = context.services, context.lang
    if context.urgent_lang is not None:  # a call for help, already answered before the NLU
        await help_journey.send_help(update, context)
        return
    text = (message.text or "").strip()
    if not text or not any(ch.isalnum() for ch in text):
        await send_menu(update, context, services.t(lang, "input.no_words"))
        return
    if len(text) > MAX_TEXT:
        await message.reply_text(services.t(lang, "input.too_long", limit=MAX_TEXT))
        text = text[:MAX_TEXT]
    result = await services.nlu.parse(text)
    services.events.question_answered(lang, text, result)
    await dispatch_intent(update, context, result.intent, [s.name for s in result.ranking])


async def dispatch_intent(update: Update, context: BotContext, intent: str, ranking: list[str]) -> None:
    """Sends the answer for one intent; every intent leads somewhere."""
    t, lang = context.services.t, context.lang
    if intent in SCAM_INTENTS:
        await show_scam_type(update, context, SCAM_INTENTS[intent])
    elif intent in ARTICLE_INTENTS:
        await show_article(update, context, intent)
    elif intent == "urgent_help":
        await help_journey.send_help(update, context)
    elif intent == "vet_job_offer":
        await job_offer.offer_job_check(update, context)
    elif intent == "check_message":
        await check.check_or_ask(update, context)
    elif intent == "how_to_report":
        await report.start_report(update, context)
    elif intent == "change_language":
        await ask_language(update, context)
    elif intent in ("greet", "menu"):
        await send_menu(update, context, t(lang, f"chat.{intent}"))
    elif intent in ("thanks", "goodbye"):
        if update.effective_message:
            await update.effective_message.reply_text(t(lang, f"chat.{intent}"), reply_markup=menu_only(t, lang))
    elif intent == "out_of_scope":
        await send_menu(update, context, t(lang, "chat.out_of_scope"))
    else:
        await offer_topics(update, context, ranking)


async def offer_topics(update: Update, context: BotContext, ranking: list[str]) -> None:
    """When the intent is unsure: up to three closest topics as buttons, plus the menu."""
    if (message := update.effective_message) is None:
        return
    t, lang, content = context.services.t, context.lang, context.services.content
    topics: list[tuple[str, str]] = []
    for intent in ranking:
        data = topic_for_intent(intent)
        if data is None or any(known == data for _, known in topics):
            continue
        topics.append((topic_title(context, intent, data), data))
        if len(topics) == 3:
            break
    if not topics:
        topics = [
            (content.article(lang, key).title, f"learn:article:{key}") for key in ("what_is_scam", "how_to_protect")
        ]
    await message.reply_text(t(lang, "learn.unsure"), reply_markup=topics_keyboard(t, lang, tuple(topics)))


@reused_keyboard
def topics_keyboard(t: Translate, lang: str, topics: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup:
    """One button per (title, callback data) topic, then Menu."""
    rows = [[InlineKeyboardButton(title, callback_data=data)] for title, data in topics]
    return InlineKeyboardMarkup([*rows, [menu_button(t, lang)]])


def topic_title(context: BotContext, intent: str, data: str) -> str:
    """The button label for a topic: the article's own title where there is one."""
    content, t, lang = context.services.content, context.services.t, context.lang
    if data.startswith("learn:type:"):
        return content.scam_type(lang, data.removeprefix("learn:type:")).title
    if data.startswith("learn:article:"):
        return content.article(lang, data.removeprefix("learn:article:")).title
    return t(lang, {"job:start": "menu.job", "check:start": "menu.check", "help:now": "menu.help"}[data])


def handlers() -> list[BaseHandler]:
    """The learn journey's handlers; the free-text handler must be registered last."""
    return [
        CommandHandler("learn", show_topics),
        CallbackQueryHandler(show_topics, pattern=r"^learn:menu$"),
        CallbackQueryHandler(show_scam_type, pattern=r"^learn:type:"),
        CallbackQueryHandler(show_article, pattern=r"^learn:article:"),
    ]


def free_text_handlers() -> list[BaseHandler]:
    """Questions typed as text; registered after every journey's own text handlers."""
    return [MessageHandler(filters.TEXT & ~filters.COMMAND & ~filters.UpdateType.EDITED, answer_question)]
