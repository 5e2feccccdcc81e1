"""The error handler: a polite answer for the user, ids and a traceback for the log, nothing else."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from handlers.context import BotContext
from handlers.language import message_text, telegram_language

log = logging.getLogger("bot.errors")


async def on_error(update: object, context: BotContext) -> None:
    """Logs the error with the update id only (never message text), and apologises to the user."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_message is None:
        return
    try:
        services = context.bot_data.services
        lang = await _language(update, context)
        text = services.t(lang, "error.generic") if services else "Sorry, something went wrong. Please try again."
        await update.effective_message.reply_text(text)
    except TelegramError:
        log.warning("could not send the apology for update %s", update_id)


async def _language(update: Update, context: BotContext) -> str:
    """The user's language; error handlers get a fresh context, without the `lang` set for the update."""
    services, user = context.bot_data.services, update.effective_user
    if services is None or user is None:
        return "en"
    try:
        return await services.languages.resolve(user.id, text=message_text(update), telegram_code=user.language_code)
    except Exception:  # noqa: BLE001 - the store may be what failed; the apology must still go out
        return telegram_language(user.language_code) or "en"
