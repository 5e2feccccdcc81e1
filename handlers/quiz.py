"""Quiz journey: a short quiz per scam type, one question per message, one tap per answer.

Quizzes come from ``content/<lang>/quizzes.yml``. The attempt in progress
(`content.quiz.QuizRun`) is kept in the user's persisted data, so a quiz goes on after a
restart. Each answer button carries the attempt id, the question number and the option
(``quiz:a:<attempt>:<question>:<option>``), so a tap on an older quiz's buttons, a second
tap on the same question or forged data gets a short notice and counts for nothing.
Results are stored anonymously for the trends page (`storage.quiz.QuizResults`).
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable
from datetime import UTC, datetime

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from content.quiz import Quiz, QuizQuestion, QuizRun
from handlers.context import BotContext, Translate
from handlers.menu import menu_button, menu_only, send_menu
from handlers.render import escape

log = logging.getLogger(__name__)

#: Where the attempt in progress lives in the user's persisted data.
RUN_KEY = "quiz"
_ANSWER = re.compile(r"^quiz:a:([0-9a-f]{8}):([0-9]{1,2}):([0-9]{1,2})$")
_START = re.compile(r"^quiz:start:([a-z][a-z0-9_]{0,39})$")


def quiz_button(t: Translate, lang: str, key: str) -> InlineKeyboardButton:
    """ "Test yourself": starts the quiz ``key`` (under a scam-type page, or after an alert)."""
    return InlineKeyboardButton(t(lang, "quiz.test_yourself"), callback_data=f"quiz:start:{key}")


def quizzes_button(t: Translate, lang: str) -> InlineKeyboardButton:
    """ "Quizzes": the list of quizzes."""
    return InlineKeyboardButton(t(lang, "quiz.menu_button"), callback_data="quiz:menu")


def letters(t: Translate, lang: str) -> list[str]:
    """The option labels of the language (A B C D, ក ខ គ ឃ, ① ② ③ ④)."""
    return t(lang, "quiz.letters").split()


def question_text(t: Translate, lang: str, quiz: Quiz, number: int) -> str:
    """One question as Telegram HTML: title and progress, the question, the lettered options."""
    question = quiz.questions[number]
    heading = t(lang, "quiz.heading", title=quiz.title, number=number + 1, total=len(quiz.questions))
    options = "\n".join(
        escape(t(lang, "quiz.option", letter=letter, text=option.text))
        for letter, option in zip(letters(t, lang), question.options, strict=False)
    )
    return f"<b>{escape(heading)}</b>\n\n{escape(question.question)}\n\n{options}"


def question_keyboard(t: Translate, lang: str, run: QuizRun, question: QuizQuestion) -> InlineKeyboardMarkup:
    """One button per option, labelled with its letter; then a way out."""
    labels = letters(t, lang)
    row = [
        InlineKeyboardButton(labels[i], callback_data=f"quiz:a:{run.run}:{run.question}:{i}")
        for i in range(len(question.options))
    ]
    return InlineKeyboardMarkup([row, [InlineKeyboardButton(t(lang, "common.cancel"), callback_data="quiz:stop")]])


def feedback_text(t: Translate, lang: str, question: QuizQuestion, chosen: int) -> str:
    """Right or not (with the right answer when not), then the explanation."""
    if chosen == question.answer:
        verdict = t(lang, "quiz.right")
    else:
        letter = letters(t, lang)[question.answer]
        verdict = t(lang, "quiz.wrong", letter=letter, answer=question.options[question.answer].text)
    return f"<b>{escape(verdict)}</b>\n{escape(question.explanation)}"


def score_text(t: Translate, lang: str, score: int, total: int) -> str:
    """The score, and a word on what to do next."""
    if score == total:
        band = "quiz.score_all"
    elif score * 2 >= total:
        band = "quiz.score_most"
    else:
        band = "quiz.score_few"
    return f"<b>{escape(t(lang, 'quiz.score', score=score, total=total))}</b>\n{escape(t(lang, band))}"


async def show_quizzes(update: Update, context: BotContext, note: str | None = None) -> None:
    """/quiz, or "Quizzes" in Learn: the list, the quiz of a recent alert first; "/quiz <id>" starts one."""
    if (message := update.effective_message) is None:
        return
    if update.callback_query is not None:
        if note is None:  # with a note, the tap was answered by the caller already
            await update.callback_query.answer()
    elif context.args and note is None:
        await start_quiz(update, context, key=context.args[0].lower())
        return
    services, lang = context.services, context.lang
    t, content = services.t, services.content
    content.refresh()
    quizzes = content.quizzes(lang)
    if not quizzes:
        await message.reply_text(t(lang, "quiz.none"), reply_markup=menu_only(t, lang))
        return
    newest = content.alert_quiz(datetime.now(UTC).date())
    # The quiz of a recent alert goes first, marked as new.
    ordered = sorted(quizzes, key=lambda item: item[0] != newest)
    rows = [
        [
            InlineKeyboardButton(
                t(lang, "quiz.new", title=q.title) if k == newest else q.title, callback_data=f"quiz:start:{k}"
            )
        ]
        for k, q in ordered
    ]
    rows.append([menu_button(t, lang)])
    text = t(lang, "quiz.choose") if note is None else f"{note}\n\n{t(lang, 'quiz.choose')}"
    await message.reply_text(text, reply_markup=InlineKeyboardMarkup(rows))


async def start_quiz(update: Update, context: BotContext, key: str | None = None) -> None:
    """A quiz button: a new attempt, and its first question (an older attempt's buttons stop working)."""
    if (message := update.effective_message) is None:
        return
    if (query := update.callback_query) is not None:
        await query.answer()
        found = _START.match(query.data or "")
        key = found[1] if found else None
    services, lang = context.services, context.lang
    services.content.refresh()
    try:
        quiz = services.content.quiz(lang, key or "")
    except KeyError:
        await show_quizzes(update, context, note=services.t(lang, "quiz.gone"))
        return
    run = QuizRun(secrets.token_hex(4), key or "")
    if context.user_data is not None:
        context.user_data[RUN_KEY] = run.to_data()
    t = services.t
    await message.reply_text(
        question_text(t, lang, quiz, 0),
        parse_mode=ParseMode.HTML,
        reply_markup=question_keyboard(t, lang, run, quiz.questions[0]),
    )
    if (results := services.quiz_results) is not None:
        await _quietly(results.started(run.run, quiz=run.quiz, language=lang, questions=len(quiz.questions)))


async def answer(update: Update, context: BotContext) -> None:
    """An option tapped: right or not and why, then the next question or the score."""
    if (query := update.callback_query) is None or (message := update.effective_message) is None:
        return
    services, lang = context.services, context.lang
    t = services.t
    data = context.user_data if context.user_data is not None else {}
    run = QuizRun.from_data(data.get(RUN_KEY))
    found = _ANSWER.match(query.data or "")
    if run is None or found is None or found[1] != run.run or int(found[2]) > run.question:
        await query.answer(t(lang, "quiz.stale"))
        return
    number, chosen = int(found[2]), int(found[3])
    if number < run.question:  # a second tap on the same buttons
        await query.answer(t(lang, "quiz.already"))
        return
    services.content.refresh()
    try:
        quiz = services.content.quiz(lang, run.quiz)
    except KeyError:  # staff removed the quiz meanwhile
        data.pop(RUN_KEY, None)
        await query.answer()
        await show_quizzes(update, context, note=t(lang, "quiz.gone"))
        return
    if number >= len(quiz.questions) or chosen >= len(quiz.questions[number].options):
        await query.answer(t(lang, "quiz.stale"))
        return
    question = quiz.questions[number]
    correct = chosen == question.answer
    after = run.answered(correct)
    # Stored before anything is awaited, so a double tap handled at the same time sees it.
    data[RUN_KEY] = after.to_data()
    await query.answer()
    await _close(query)
    await message.reply_text(feedback_text(t, lang, question, chosen), parse_mode=ParseMode.HTML)
    results = services.quiz_results
    if results is not None:
        await _quietly(results.answered(run.run, number, correct=correct))
    if after.question < len(quiz.questions):
        await message.reply_text(
            question_text(t, lang, quiz, after.question),
            parse_mode=ParseMode.HTML,
            reply_markup=question_keyboard(t, lang, after, quiz.questions[after.question]),
        )
        return
    scam = services.content.scam_type(lang, quiz.scam_type)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"📖 {scam.title}", callback_data=f"learn:type:{quiz.scam_type}")],
            [InlineKeyboardButton(t(lang, "quiz.again"), callback_data=f"quiz:start:{run.quiz}")],
            [InlineKeyboardButton(t(lang, "quiz.more"), callback_data="quiz:menu"), menu_button(t, lang)],
        ]
    )
    await message.reply_text(
        score_text(t, lang, after.score, len(quiz.questions)), parse_mode=ParseMode.HTML, reply_markup=keyboard
    )
    if results is not None:
        await _quietly(results.finished(run.run))


async def stop(update: Update, context: BotContext) -> None:
    """Cancel under a question: ends the attempt and shows the menu."""
    if update.callback_query:
        await update.callback_query.answer()
    if context.user_data is not None:
        context.user_data.pop(RUN_KEY, None)
    await send_menu(update, context)


async def unknown(update: Update, context: BotContext) -> None:
    """Any other "quiz:" button (malformed or forged): a short notice, nothing else."""
    if update.callback_query:
        await update.callback_query.answer(context.services.t(context.lang, "quiz.stale"))


async def _close(query: CallbackQuery) -> None:
    """Takes the buttons off an answered question (an old message may no longer be editable)."""
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError as exc:
        log.debug("could not close a quiz question: %s", exc)


async def _quietly(recording: Awaitable[object]) -> None:
    """Stores a result; the quiz goes on if the database does not answer (these are statistics)."""
    try:
        await recording
    except Exception:  # noqa: BLE001 - any storage failure: log it and carry on
        log.warning("could not store a quiz result", exc_info=True)


def handlers() -> list[BaseHandler]:
    """The quiz journey: /quiz and every "quiz:" button."""
    return [
        CommandHandler("quiz", show_quizzes),
        CallbackQueryHandler(show_quizzes, pattern=r"^quiz:menu$"),
        CallbackQueryHandler(start_quiz, pattern=r"^quiz:start:"),
        CallbackQueryHandler(answer, pattern=r"^quiz:a:"),
        CallbackQueryHandler(stop, pattern=r"^quiz:stop$"),
        CallbackQueryHandler(unknown, pattern=r"^quiz:"),
    ]
