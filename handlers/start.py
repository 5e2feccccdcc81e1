"""Start journey: greet in the user's language and show the menu."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from handlers.context import BotContext
from handlers.menu import send_menu


async def start(update: Update, context: BotContext) -> None:
    """/start: greets by name and shows the six choices."""
    user = update.effective_user
    name = user.first_name if user else ""
    await send_menu(update, context, context.services.t(context.lang, "start.welcome", name=name))


async def menu(update: Update, context: BotContext) -> None:
    """/menu or the Menu button: shows the six choices again."""
    if update.callback_query:
        await update.callback_query.answer()
    await send_menu(update, context)


def handlers() -> list[BaseHandler]:
    """The start journey's handlers."""
    return [
        CommandHandler("start", start),
        CommandHandler("menu", menu),
        CallbackQueryHandler(menu, pattern=r"^menu:main$"),
    ]
