"""Help journey: someone may be in danger now. Answers at once, without the NLU or the classifier."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from handlers.context import BotContext
from handlers.menu import menu_button
from handlers.render import article_text, contacts_text

URGENT_TOPICS = frozenset({"urgent", "police", "consular"})


async def send_help(update: Update, context: BotContext) -> None:
    """/help or "Get help now": safety guidance first, then the right contacts."""
    if (message := update.effective_message) is None:
        return
    if update.callback_query:
        await update.callback_query.answer()
    services, lang = context.services, context.lang
    services.content.refresh()
    contacts = services.content.public_contacts(lang, topics=set(URGENT_TOPICS), korean_national=lang == "ko")
    guidance = article_text(services.content.article(lang, "urgent_safety"))
    await message.reply_text(
        f"{guidance}\n\n{contacts_text(services.t, lang, contacts)}",
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
        reply_markup=InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(services.t(lang, "help.report"), callback_data="report:start")],
                [menu_button(services.t, lang)],
            ]
        ),
    )


def handlers() -> list[BaseHandler]:
    """The help journey's handlers."""
    return [
        CommandHandler(["help", "sos"], send_help),
        CallbackQueryHandler(send_help, pattern=r"^help:now$"),
    ]
