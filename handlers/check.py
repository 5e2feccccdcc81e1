"""Check journey: a forwarded or pasted message, link, number or account gets a verdict card.

Private chats: forwarded messages, texts that carry a link/number/account/wallet, and the
next message after /check or "Check a message" are checked. Groups: `/check` in reply to a
message; admins may turn on quiet warnings (`/warnings on`) that fire only when near-certain.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from classifier import CheckResult, extract_entities
from handlers.context import BotContext, Translate
from handlers.menu import menu_button, menu_only, send_menu
from handlers.render import bullets, escape

if TYPE_CHECKING:
    from content.catalogue import ContentCatalogue

log = logging.getLogger(__name__)

WAITING_FOR_MESSAGE = 1
#: Entity kinds that make a pasted text worth checking even without a /check first.
CHECKABLE_KINDS = frozenset({"url", "phone", "bank_account", "crypto_wallet", "whatsapp", "line", "kakao"})
#: Proactive group warnings fire only at or above this score with a "scam" verdict.
GROUP_WARNING_SCORE = 0.97
#: A question at least this long is assumed to contain the message it asks about.
MIN_INLINE_CHECK = 80
#: How much of a checked text is kept for a report made from the verdict card.
KEEP_FOR_REPORT = 4000


def message_content(message: Message) -> str:
    """The text or caption of a message ("" for media without a caption)."""
    return (message.text or message.caption or "").strip()


def has_checkable_entity(text: str) -> bool:
    """True when the text carries a link, phone number, account, wallet or chat handle."""
    return any(kind in CHECKABLE_KINDS for kind in extract_entities(text[:5000]).by_kind())


def verdict_card(t: Translate, lang: str, result: CheckResult, content: ContentCatalogue) -> str:
    """The verdict card: verdict, score, type, reasons in plain words, reports, what to do now."""
    verdict = content.verdict(lang, result.verdict)
    lines = [f"<b>{escape(verdict.title)}</b>"]
    facts = [t(lang, "check.score", score=round(result.score * 100))]
    if result.scam_type:
        facts.append(t(lang, "check.type", type=content.scam_type(lang, result.scam_type).title))
    lines.append(escape(" · ".join(facts)))
    reasons, seen = [], set()
    for signal in result.signals:
        if signal.id in seen:
            continue
        seen.add(signal.id)
        try:
            text = content.signal(lang, signal.id)
        except KeyError:
            continue
        reasons.append(f"• <b>{escape(text.title)}</b>: {escape(text.explanation)}")
        if len(reasons) == 3:
            break
    if reasons:
        lines.append(f"\n<b>{escape(t(lang, 'check.why'))}</b>\n" + "\n".join(reasons))
    if result.similar_reports:
        lines.append("\n" + escape(t(lang, "check.reported", count=result.similar_reports)))
    lines.append(f"\n<b>{escape(t(lang, 'check.what_now'))}</b>\n{bullets(verdict.advice)}")
    if result.truncated:
        lines.append("\n" + escape(t(lang, "check.truncated")))
    return "\n".join(lines)


def verdict_keyboard(t: Translate, lang: str, result: CheckResult) -> InlineKeyboardMarkup:
    """Report this, Learn about this scam type, Check another, Menu."""
    rows = [[InlineKeyboardButton(t(lang, "check.report_this"), callback_data="report:from_check")]]
    if result.scam_type:
        rows.append([InlineKeyboardButton(t(lang, "check.learn_type"), callback_data=f"learn:type:{result.scam_type}")])
    rows.append([InlineKeyboardButton(t(lang, "check.another"), callback_data="check:start"), menu_button(t, lang)])
    return InlineKeyboardMarkup(rows)


async def run_check(update: Update, context: BotContext, text: str) -> CheckResult | None:
    """Checks `text` and sends the verdict card; keeps the text for a report made from the card."""
    if (message := update.effective_message) is None:
        return None
    services, lang = context.services, context.lang
    if not text:
        await message.reply_text(services.t(lang, "unsupported.media"))
        return None
    result = await services.checker.check(text)
    services.events.check_answered(lang, result)
    services.content.refresh()
    if context.user_data is not None:
        context.user_data["last_check"] = {
            "text": text[:KEEP_FOR_REPORT],
            "verdict": result.verdict,
            "score": round(result.score, 4),
            "scam_type": result.scam_type,
        }
    await message.reply_text(
        verdict_card(services.t, lang, result, services.content),
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
        reply_markup=verdict_keyboard(services.t, lang, result),
    )
    return result


async def check_or_ask(update: Update, context: BotContext) -> None:
    """A free-text "is this a scam?": checks the text itself when it is long enough to be the
    message in question; otherwise offers one tap into check mode."""
    message = update.effective_message
    if message is None:
        return
    text = message_content(message)
    if len(text) >= MIN_INLINE_CHECK:
        await run_check(update, context, text)
        return
    t, lang = context.services.t, context.lang
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(t(lang, "menu.check"), callback_data="check:start")], [menu_button(t, lang)]]
    )
    await message.reply_text(t(lang, "check.how"), reply_markup=keyboard)


async def ask_for_message(update: Update, context: BotContext) -> int:
    """/check or "Check a message": asks for the message; the next one is checked."""
    if (message := update.effective_message) is None:
        return ConversationHandler.END
    if update.callback_query:
        await update.callback_query.answer()
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        return await check_in_group(update, context)
    await message.reply_text(
        context.services.t(context.lang, "check.how"),
        reply_markup=menu_only(context.services.t, context.lang),
    )
    return WAITING_FOR_MESSAGE


async def check_next_message(update: Update, context: BotContext) -> int:
    """The message after /check: checks its text or caption."""
    if (message := update.effective_message) is not None:
        await run_check(update, context, message_content(message))
    return ConversationHandler.END


async def check_forwarded_or_pasted(update: Update, context: BotContext) -> None:
    """A forwarded message (from a person, channel or hidden sender), or a text with a link/number."""
    if (message := update.effective_message) is not None:
        await run_check(update, context, message_content(message))


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel: leaves check mode and shows the menu."""
    await send_menu(update, context)
    return ConversationHandler.END


async def check_in_group(update: Update, context: BotContext) -> int:
    """/check in a group: checks the message it replies to, or says how to use it."""
    message = update.effective_message
    if message is None:
        return ConversationHandler.END
    target = message.reply_to_message
    if target is None:
        await message.reply_text(context.services.t(context.lang, "check.group_how"))
        return ConversationHandler.END
    await run_check(update, context, message_content(target))
    return ConversationHandler.END


async def toggle_warnings(update: Update, context: BotContext) -> None:
    """/warnings on|off in a group (admins only): near-certain scams get a quiet warning."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None or chat.type == ChatType.PRIVATE:
        return
    t, lang = context.services.t, context.lang
    member = await chat.get_member(user.id)
    if member.status not in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
        await message.reply_text(t(lang, "check.warnings_admins_only"))
        return
    turn_on = bool(context.args) and context.args[0].lower() in ("on", "1", "yes")
    if context.chat_data is not None:
        context.chat_data["warnings"] = turn_on
    await message.reply_text(t(lang, "check.warnings_on" if turn_on else "check.warnings_off"))


async def warn_in_group(update: Update, context: BotContext) -> None:
    """Group messages, when warnings are on: a short warning only for near-certain scams."""
    message = update.effective_message
    if message is None or not (context.chat_data or {}).get("warnings"):
        return
    text = message_content(message)
    if len(text) < 15:
        return
    result = await context.services.checker.check(text)
    if result.verdict == "scam" and result.score >= GROUP_WARNING_SCORE:
        await message.reply_text(context.services.t(context.lang, "check.group_warning"))


def handlers() -> list[BaseHandler]:
    """The check journey's handlers (before free-text questions)."""
    private = filters.ChatType.PRIVATE
    return [
        ConversationHandler(
            entry_points=[
                CommandHandler("check", ask_for_message),
                CallbackQueryHandler(ask_for_message, pattern=r"^check:start$"),
            ],
            states={
                WAITING_FOR_MESSAGE: [
                    MessageHandler((filters.TEXT | filters.CAPTION) & ~filters.COMMAND & private, check_next_message)
                ]
            },
            fallbacks=[CommandHandler("cancel", cancel)],
            name="check",
            persistent=True,
            allow_reentry=True,
        ),
        CommandHandler("warnings", toggle_warnings, filters=filters.ChatType.GROUPS),
        MessageHandler(private & filters.FORWARDED & (filters.TEXT | filters.CAPTION), check_forwarded_or_pasted),
        MessageHandler(
            private & filters.TEXT & ~filters.COMMAND & ~filters.FORWARDED & _CheckableText(),
            check_forwarded_or_pasted,
        ),
    ]


def group_watch_handlers() -> list[BaseHandler]:
    """Runs in its own group so it never stops other handlers from answering."""
    group_text = filters.ChatType.GROUPS & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND
    return [MessageHandler(group_text, warn_in_group)]


class _CheckableText(filters.MessageFilter):
    """Texts that carry a link, phone number, account, wallet or handle."""

    name = "CheckableText"

    def filter(self, message: Message) -> bool:
        return bool(message.text) and has_checkable_entity(message.text)
