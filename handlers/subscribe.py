"""Subscribe journey: /subscribe picks alert topics with one tap each; /unsubscribe stops them all.

The choice lives in the store (not in a conversation), so the buttons keep working after a
restart. Topics are "all" or a scam type from the content; alerts arrive in the user's language.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from handlers.context import BotContext
from storage.subscriptions import ALL_TOPICS

if TYPE_CHECKING:
    from storage.subscriptions import SubscriptionRepository

log = logging.getLogger(__name__)

PREFIX = "sub:"
TOGGLE = f"{PREFIX}t:"
DONE = f"{PREFIX}done"


def _repository(context: BotContext) -> SubscriptionRepository:
    subscriptions = context.services.subscriptions
    if subscriptions is None:
        raise RuntimeError("subscriptions are not wired; build the application with bot.app.build_application")
    return subscriptions


def topic_names(context: BotContext) -> dict[str, str]:
    """Every topic one can follow, with its name in the user's language, in menu order."""
    lang = context.lang
    names = {ALL_TOPICS: context.services.t(lang, "subscribe.all")}
    names.update((key, scam.title) for key, scam in context.services.content.scam_types(lang))
    return names


def topics_keyboard(context: BotContext, chosen: frozenset[str]) -> InlineKeyboardMarkup:
    """ "All alerts" on its own row, the scam types two per row (chosen ones ticked), then Done."""
    t, lang = context.services.t, context.lang

    def button(key: str, name: str) -> InlineKeyboardButton:
        label = t(lang, "subscribe.chosen", topic=name) if key in chosen else name
        return InlineKeyboardButton(label, callback_data=f"{TOGGLE}{key}")

    names = topic_names(context)
    types = [button(key, name) for key, name in names.items() if key != ALL_TOPICS]
    rows = [[button(ALL_TOPICS, names[ALL_TOPICS])], *(types[i : i + 2] for i in range(0, len(types), 2))]
    rows.append([InlineKeyboardButton(t(lang, "subscribe.done"), callback_data=DONE)])
    return InlineKeyboardMarkup(rows)


async def _in_private(update: Update, context: BotContext) -> bool:
    """Alerts go to the user's private chat; elsewhere, say where to subscribe."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        return True
    if (message := update.effective_message) is not None:
        await message.reply_text(context.services.t(context.lang, "subscribe.private_only"))
    return False


async def subscribe(update: Update, context: BotContext) -> None:
    """/subscribe: shows the topics, ticked where the user already follows them."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not await _in_private(update, context):
        return
    try:
        current = await _repository(context).get(user.id)
    except SQLAlchemyError as exc:
        log.warning("could not read subscription of %s: %s", user.id, type(exc).__name__)
        await message.reply_text(context.services.t(context.lang, "subscribe.unavailable"))
        return
    chosen = current.topics if current else frozenset()
    await message.reply_text(
        context.services.t(context.lang, "subscribe.choose"), reply_markup=topics_keyboard(context, chosen)
    )


async def toggle(update: Update, context: BotContext) -> None:
    """A topic button: follows it, or stops following it; the ticks update in place."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    topic = (query.data or "").removeprefix(TOGGLE)
    if topic not in topic_names(context):  # an old button, or forged data
        await query.answer()
        return
    repository = _repository(context)
    try:
        current = await repository.get(user.id)
        if current is not None and topic in current.topics:
            current = await repository.unsubscribe(user.id, [topic])
        else:
            current = await repository.subscribe(user.id, language=context.lang, topics=[topic])
    except SQLAlchemyError as exc:
        log.warning("could not change subscription of %s: %s", user.id, type(exc).__name__)
        await query.answer(context.services.t(context.lang, "subscribe.unavailable"), show_alert=True)
        return
    await query.answer()
    chosen = current.topics if current else frozenset()
    await query.edit_message_reply_markup(reply_markup=topics_keyboard(context, chosen))


async def done(update: Update, context: BotContext) -> None:
    """Done: says which topics the user will get alerts about, in words."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    await query.answer()
    t, lang = context.services.t, context.lang
    try:
        current = await _repository(context).get(user.id)
    except SQLAlchemyError as exc:
        log.warning("could not read subscription of %s: %s", user.id, type(exc).__name__)
        await query.edit_message_text(t(lang, "subscribe.unavailable"))
        return
    if current is None:
        await query.edit_message_text(t(lang, "subscribe.none"))
        return
    names = topic_names(context)
    followed = [name for key, name in names.items() if key in current.topics]
    await query.edit_message_text(t(lang, "subscribe.saved", topics=", ".join(followed)))


async def unsubscribe(update: Update, context: BotContext) -> None:
    """/unsubscribe: stops every alert at once."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    t, lang = context.services.t, context.lang
    repository = _repository(context)
    try:
        had = await repository.get(user.id)
        if had is not None:
            await repository.unsubscribe(user.id)
    except SQLAlchemyError as exc:
        log.warning("could not unsubscribe %s: %s", user.id, type(exc).__name__)
        await message.reply_text(t(lang, "subscribe.unavailable"))
        return
    await message.reply_text(t(lang, "subscribe.stopped" if had else "subscribe.not_subscribed"))


def handlers() -> list[BaseHandler]:
    """The subscribe journey's handlers."""
    return [
        CommandHandler("subscribe", subscribe),
        CommandHandler("unsubscribe", unsubscribe),
        CallbackQueryHandler(toggle, pattern=rf"^{TOGGLE}"),
        CallbackQueryHandler(done, pattern=rf"^{DONE}$"),
    ]
