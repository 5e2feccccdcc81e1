"""Staff journey: commands only for the Telegram ids in STAFF_IDS (more come with the staff console)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.context import BotContext


def is_staff(update: Update, context: BotContext) -> bool:
    """True when the sender is on the staff allow-list."""
    user = update.effective_user
    return user is not None and user.id in context.services.staff_ids


async def health(update: Update, context: BotContext) -> None:
    """/health: NLU mode (Rasa or the local matcher), failures and content reload errors."""
    if (message := update.effective_message) is None:
        return
    if not is_staff(update, context):
        await message.reply_text(context.services.t(context.lang, "unsupported.command"))
        return
    nlu = context.services.nlu.health()
    content_error = context.services.content.last_error
    lines = [
        f"NLU: {'DEGRADED (local matcher)' if nlu.degraded else 'Rasa OK'}",
        f"Rasa failures: {nlu.rasa_failures}; local answers: {nlu.local_answers}",
        f"Last NLU error: {nlu.last_error or '-'}",
        f"Content: {'last reload FAILED: ' + str(content_error) if content_error else 'OK'}",
    ]
    await message.reply_text("\n".join(lines))


def handlers() -> list[BaseHandler]:
    """The staff journey's handlers."""
    return [CommandHandler("health", health)]
