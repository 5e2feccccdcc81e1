"""Job-offer journey: the warning signs of fake overseas jobs, and the legal routes to work abroad."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from handlers.context import BotContext
from handlers.menu import menu_button
from handlers.render import article_text, scam_type_text


async def start_job_check(update: Update, context: BotContext) -> None:
    """/job or "Vet a job offer": the red flags to look for, then the legal routes."""
    if (message := update.effective_message) is None:
        return
    if update.callback_query:
        await update.callback_query.answer()
    services, lang = context.services, context.lang
    services.content.refresh()
    await message.reply_text(
        scam_type_text(services.t, lang, services.content.scam_type(lang, "job_offer")), parse_mode=ParseMode.HTML
    )
    await message.reply_text(
        article_text(services.content.article(lang, "legal_work_routes")),
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
        reply_markup=InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(services.t(lang, "menu.report"), callback_data="report:start")],
                [menu_button(services.t, lang)],
            ]
        ),
    )


def handlers() -> list[BaseHandler]:
    """The job-offer journey's handlers."""
    return [
        CommandHandler("job", start_job_check),
        CallbackQueryHandler(start_job_check, pattern=r"^job:start$"),
    ]
