"""The error handler: a polite answer for the user, ids and a traceback for the log, nothing else."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from handlers.context import BotContext

log = logging.getLogger("bot.errors")


async def on_error(update: object, context: BotContext) -> None:
    """Logs the error with the update id only (never message text), and apologises to the user."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_message is None:
        return
    try:
        services = context.bot_data.services
        lang = getattr(context, "lang", "en")
        text = services.t(lang, "error.generic") if services else "Sorry, something went wrong. Please try again."
        await update.effective_message.reply_text(text)
    except TelegramError:
        log.warning("could not send the apology for update %s", update_id)
