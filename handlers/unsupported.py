"""Everything no journey handles: media, stickers, edits, unknown commands, stray buttons."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from handlers.context import BotContext
from handlers.menu import send_menu


def _private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


async def media(update: Update, context: BotContext) -> None:
    """Photos, voice, video, files: says what the bot can read and how to paste text."""
    if (message := update.effective_message) and _private(update):
        await message.reply_text(context.services.t(context.lang, "unsupported.media"))


async def sticker(update: Update, context: BotContext) -> None:
    """Stickers and emoji-only messages: a friendly nudge back to the menu."""
    if _private(update):
        await send_menu(update, context, context.services.t(context.lang, "unsupported.sticker"))


async def location(update: Update, context: BotContext) -> None:
    """A shared location: points to urgent help rather than ignoring it."""
    if (message := update.effective_message) and _private(update):
        await message.reply_text(context.services.t(context.lang, "unsupported.location"))


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot doesn't know: says so and shows the menu."""
    if _private(update):
        await send_menu(update, context, context.services.t(context.lang, "unsupported.command"))


async def stale_button(update: Update, context: BotContext) -> None:
    """A button from an old message that no journey handles any more."""
    if update.callback_query:
        await update.callback_query.answer()
        await send_menu(update, context)


async def ignore(update: Update, context: BotContext) -> None:
    """Edited messages and service messages are ignored on purpose (answering edits would repeat answers)."""


def handlers() -> list[BaseHandler]:
    """Registered after every journey, so they only catch what nobody else did."""
    return [
        MessageHandler(filters.UpdateType.EDITED, ignore),
        MessageHandler(filters.Sticker.ALL | filters.Dice.ALL, sticker),
        MessageHandler(filters.LOCATION | filters.VENUE, location),
        MessageHandler(
            filters.PHOTO
            | filters.VIDEO
            | filters.VOICE
            | filters.AUDIO
            | filters.Document.ALL
            | filters.VIDEO_NOTE
            | filters.ANIMATION
            | filters.CONTACT
            | filters.POLL,
            media,
        ),
        MessageHandler(filters.COMMAND, unknown_command),
        CallbackQueryHandler(stale_button),
    ]
