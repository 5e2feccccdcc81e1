"""Job-offer journey: a short guided check of an overseas job offer, one tap per question.

Questions and explanations come from `content/<lang>/job_check.yml`; the risk is computed by
`classifier.job_offer`. Back and cancel work at every step, and the conversation is
persistent, so it resumes after a restart.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from classifier.job_offer import QUESTIONS, assess_job_offer, validate_answers
from handlers.context import BotContext
from handlers.menu import menu_button, send_menu
from handlers.render import bullets, escape

ASKING, WAITING_FOR_TEXT = range(2)
ORDER = tuple(QUESTIONS)
ANSWERS_KEY = "job_answers"


def answers_of(context: BotContext) -> dict[str, str]:
    """The answers so far (kept in persisted user data; re-validated since it may be stale)."""
    data = context.user_data if context.user_data is not None else {}
    return validate_answers(data.get(ANSWERS_KEY) or {})


def next_question(answers: dict[str, str]) -> str | None:
    """The first question not answered yet, or None when all are."""
    return next((q for q in ORDER if q not in answers), None)


def question_keyboard(context: BotContext, question: str, step: int) -> InlineKeyboardMarkup:
    """One button per option, then Back (after the first step) and Cancel."""
    job = context.services.content.job_check(context.lang)
    t, lang = context.services.t, context.lang
    rows = [
        [InlineKeyboardButton(label, callback_data=f"job:a:{question}:{option}")]
        for option, label in job.questions[question].options.items()
    ]
    nav = [InlineKeyboardButton(t(lang, "common.cancel"), callback_data="job:cancel")]
    if step > 0:
        nav.insert(0, InlineKeyboardButton(t(lang, "common.back"), callback_data="job:back"))
    rows.append(nav)
    return InlineKeyboardMarkup(rows)


async def show_step(update: Update, context: BotContext) -> int:
    """Shows the next unanswered question, or the invitation to paste the offer."""
    message = update.effective_message
    if message is None:
        return ConversationHandler.END
    services, lang = context.services, context.lang
    services.content.refresh()
    job = services.content.job_check(lang)
    answers = answers_of(context)
    question = next_question(answers)
    if question is None:
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(job.skip, callback_data="job:skip")],
                [
                    InlineKeyboardButton(services.t(lang, "common.back"), callback_data="job:back"),
                    InlineKeyboardButton(services.t(lang, "common.cancel"), callback_data="job:cancel"),
                ],
            ]
        )
        await message.reply_text(job.paste_offer, reply_markup=keyboard)
        return WAITING_FOR_TEXT
    step = ORDER.index(question)
    text = f"({step + 1}/{len(ORDER)}) {job.questions[question].question}"
    await message.reply_text(text, reply_markup=question_keyboard(context, question, step))
    return ASKING


async def offer_job_check(update: Update, context: BotContext) -> None:
    """From a free-text question about a specific offer: one tap starts the guided check."""
    if (message := update.effective_message) is None:
        return
    t, lang = context.services.t, context.lang
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(t(lang, "job.start_button"), callback_data="job:start")], [menu_button(t, lang)]]
    )
    await message.reply_text(context.services.content.job_check(lang).intro, reply_markup=keyboard)


async def start_job_check(update: Update, context: BotContext) -> int:
    """/job or "Check a job offer": starts the guided check from the first question."""
    if update.callback_query:
        await update.callback_query.answer()
    if context.user_data is not None:
        context.user_data[ANSWERS_KEY] = {}
    if (message := update.effective_message) is not None:
        await message.reply_text(context.services.content.job_check(context.lang).intro)
    return await show_step(update, context)


async def record_answer(update: Update, context: BotContext) -> int:
    """A tapped option: stores it (if valid) and asks the next question."""
    query = update.callback_query
    if query is None:
        return ASKING
    await query.answer()
    _, _, question, option = (query.data or "job:a::").split(":", 3)
    if question in QUESTIONS and option in QUESTIONS[question] and context.user_data is not None:
        context.user_data[ANSWERS_KEY] = {**answers_of(context), question: option}
    return await show_step(update, context)


async def go_back(update: Update, context: BotContext) -> int:
    """Back: forgets the last answer and asks that question again."""
    if update.callback_query:
        await update.callback_query.answer()
    answers = answers_of(context)
    answered = [q for q in ORDER if q in answers]
    if answered and context.user_data is not None:
        answers.pop(answered[-1])
        context.user_data[ANSWERS_KEY] = answers
    return await show_step(update, context)


async def cancel(update: Update, context: BotContext) -> int:
    """Cancel (button or /cancel): stops the check and shows the menu."""
    if update.callback_query:
        await update.callback_query.answer()
    if context.user_data is not None:
        context.user_data.pop(ANSWERS_KEY, None)
    await send_menu(update, context)
    return ConversationHandler.END


async def with_offer_text(update: Update, context: BotContext) -> int:
    """The pasted offer: checked by the classifier, then the result."""
    message = update.effective_message
    text = (message.text or message.caption or "").strip() if message else ""
    if not text:
        await send_result(update, context, None, ())
        return ConversationHandler.END
    result = await context.services.checker.check(text)
    await send_result(update, context, result.verdict, tuple(s.id for s in result.signals))
    return ConversationHandler.END


async def skip_text(update: Update, context: BotContext) -> int:
    """Skip: the result from the answers alone."""
    if update.callback_query:
        await update.callback_query.answer()
    await send_result(update, context, None, ())
    return ConversationHandler.END


async def send_result(update: Update, context: BotContext, verdict: str | None, signals: tuple[str, ...]) -> None:
    """The risk level, the red flags in plain words, what to do, and the legal routes."""
    message = update.effective_message
    if message is None:
        return
    services, lang = context.services, context.lang
    job = services.content.job_check(lang)
    assessment = assess_job_offer(answers_of(context), text_verdict=verdict, text_signals=signals)
    risk = job.risk[assessment.level]
    reasons = [job.flags[f.id] for f in assessment.flags if f.id in job.flags]
    for signal_id in dict.fromkeys(assessment.text_signals):
        try:
            reasons.append(services.content.signal(lang, signal_id).explanation)
        except KeyError:
            continue
    parts = [f"<b>{escape(risk.title)}</b>"]
    if reasons:
        parts.append(f"<b>{escape(services.t(lang, 'job.red_flags'))}</b>\n{bullets(dict.fromkeys(reasons))}")
    parts.append(f"<b>{escape(services.t(lang, 'check.what_now'))}</b>\n{bullets(risk.advice)}")
    legal = services.content.article(lang, "legal_work_routes")
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(legal.title, callback_data="learn:article:legal_work_routes")],
            [InlineKeyboardButton(services.t(lang, "menu.report"), callback_data="report:start")],
            [menu_button(services.t, lang)],
        ]
    )
    if context.user_data is not None:
        context.user_data.pop(ANSWERS_KEY, None)
    await message.reply_text("\n\n".join(parts), parse_mode=ParseMode.HTML, reply_markup=keyboard)


def handlers() -> list[BaseHandler]:
    """The job-offer journey: one persistent conversation."""
    return [
        ConversationHandler(
            entry_points=[
                CommandHandler("job", start_job_check),
                CallbackQueryHandler(start_job_check, pattern=r"^job:start$"),
            ],
            states={
                ASKING: [
                    CallbackQueryHandler(record_answer, pattern=r"^job:a:"),
                    CallbackQueryHandler(go_back, pattern=r"^job:back$"),
                ],
                WAITING_FOR_TEXT: [
                    MessageHandler((filters.TEXT | filters.CAPTION) & ~filters.COMMAND, with_offer_text),
                    CallbackQueryHandler(skip_text, pattern=r"^job:skip$"),
                    CallbackQueryHandler(go_back, pattern=r"^job:back$"),
                ],
            },
            fallbacks=[
                CallbackQueryHandler(cancel, pattern=r"^job:cancel$"),
                CommandHandler("cancel", cancel),
            ],
            name="job_offer",
            persistent=True,
            allow_reentry=True,
        )
    ]
