"""Staff journey: commands for staff only: the STAFF_IDS allow-list (admins) and console accounts
linked to a Telegram id, with the same roles as in the web console."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.context import BotContext


def staff_role(update: Update, context: BotContext) -> str | None:
    """The sender's staff role: "admin" for STAFF_IDS, else the role of their linked console account."""
    user = update.effective_user
    if user is None:
        return None
    if user.id in context.services.staff_ids:
        return "admin"
    roles = context.services.staff_roles
    return roles.role_of(user.id) if roles is not None else None


def is_staff(update: Update, context: BotContext, *roles: str) -> bool:
    """True when the sender is staff with one of ``roles`` (any role when none is given; admins always)."""
    role = staff_role(update, context)
    return role is not None and (not roles or role == "admin" or role in roles)


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
