"""Report journey: where and how to report a scam, with the official contacts."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from handlers.context import BotContext
from handlers.menu import menu_button
from handlers.render import article_text, contacts_text

REPORT_TOPICS = frozenset({"fraud_report", "police", "cyber", "bank"})


async def start_report(update: Update, context: BotContext) -> None:
    """/report or "Report a scam": how to report, and to whom."""
    if (message := update.effective_message) is None:
        return
    if update.callback_query:
        await update.callback_query.answer()
    services, lang = context.services, context.lang
    services.content.refresh()
    contacts = services.content.public_contacts(lang, topics=set(REPORT_TOPICS), korean_national=lang == "ko")
    await message.reply_text(
        f"{article_text(services.content.article(lang, 'how_to_report'))}\n\n"
        f"{contacts_text(services.t, lang, contacts)}",
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
        reply_markup=InlineKeyboardMarkup([[menu_button(services.t, lang)]]),
    )


def handlers() -> list[BaseHandler]:
    """The report journey's handlers."""
    return [
        CommandHandler("report", start_report),
        CallbackQueryHandler(start_report, pattern=r"^report:(start|from_check)$"),
    ]
