"""Staff alerts in Telegram: /alerts shows progress, sends a one-language alert, or cancels one.

Gated like /health (the STAFF_IDS allow-list); staff replies are in English like the other
staff commands. Composing in three languages, previews and schedules are on the web console.

    /alerts                        the latest alerts with their delivery counts
    /alerts 12                     one alert
    /alerts send ko [topic] TEXT   send TEXT now to Korean subscribers (of a scam type: topic=romance)
    /alerts cancel 12              stop alert 12
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.context import BotContext
from handlers.staff import is_staff
from storage.broadcasts import ALERT_LANGUAGES, AlertNotFoundError, AlertRecord

if TYPE_CHECKING:
    from storage.broadcasts import BroadcastRepository

log = logging.getLogger(__name__)

LIST_LIMIT = 5
USAGE = (
    "Usage:\n"
    "/alerts - latest alerts and their progress\n"
    "/alerts <id> - one alert\n"
    "/alerts send <km|ko|en> [topic=<scam type>] <text> - send now to that language's subscribers\n"
    "/alerts cancel <id> - stop an alert"
)


def progress_line(alert: AlertRecord) -> str:
    """One alert in one line: id, state, audience, and what happened to its messages."""
    p = alert.progress
    audience = ", ".join(sorted(alert.audience_languages)) if alert.audience_languages else "km, ko, en"
    topic = alert.topic or "general"
    line = f"#{alert.id} {p.state} · {audience} · {topic} · {alert.send_at:%Y-%m-%d %H:%M} UTC"
    if p.recipients:
        line += (
            f"\n  {p.sent}/{p.recipients} sent, {p.pending + p.sending} to go, {p.failed} failed, "
            f"{p.blocked} blocked, {p.unknown} unknown, {p.cancelled} cancelled"
        )
    return line


def _alerts(context: BotContext) -> BroadcastRepository:
    alerts = context.services.alerts
    if alerts is None:
        raise RuntimeError("alerts are not wired; build the application with bot.app.build_application")
    return alerts


async def alerts_command(update: Update, context: BotContext) -> None:
    """/alerts [id | send ... | cancel id]: staff see and steer broadcasts."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if not is_staff(update, context, "editor"):  # analysts triage; they do not send alerts
        await message.reply_text(context.services.t(context.lang, "unsupported.command"))
        return
    args = context.args or []
    alerts = _alerts(context)
    if not args:
        latest = await alerts.list_alerts(limit=LIST_LIMIT)
        await message.reply_text("\n".join(progress_line(a) for a in latest) or "No alerts yet.\n\n" + USAGE)
    elif args[0].isdigit():
        record = await alerts.get_alert(int(args[0]))
        await message.reply_text(progress_line(record) if record else f"No alert #{args[0]}.")
    elif args[0] == "cancel" and len(args) == 2 and args[1].isdigit():
        try:
            stopped = await alerts.cancel_alert(int(args[1]), cancelled_by=f"tg:{user.id}")
        except AlertNotFoundError:
            await message.reply_text(f"No alert #{args[1]}.")
            return
        log.info("staff %s cancelled alert %s", user.id, args[1])
        await message.reply_text(f"Alert #{args[1]} cancelled." if stopped else f"Alert #{args[1]} had already ended.")
    elif args[0] == "send" and len(args) >= 3 and args[1] in ALERT_LANGUAGES:
        await _send(update, context, args[1], args[2:])
    else:
        await message.reply_text(USAGE)


async def _send(update: Update, context: BotContext, lang: str, words: list[str]) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    topic = None
    if words[0].startswith("topic="):
        topic = words[0].removeprefix("topic=")
        known = {key for key, _ in context.services.content.scam_types("en")}
        if topic not in known:
            await message.reply_text(f"Unknown topic {topic!r}; one of: {', '.join(sorted(known))}.")
            return
    # The text as typed, line breaks kept: what follows "/alerts send <lang> [topic=...]".
    leading = 3 if topic is None else 4
    parts = (message.text or "").split(maxsplit=leading)
    text = parts[leading].strip() if len(parts) > leading else ""
    if not text:
        await message.reply_text(USAGE)
        return
    alerts = _alerts(context)
    try:
        alert_id = await alerts.create_alert(
            texts={lang: text}, audience_languages={lang}, topic=topic, created_by=f"tg:{user.id}"
        )
    except ValueError as exc:
        await message.reply_text(f"Not sent: {exc}")
        return
    log.info("staff %s queued alert %d", user.id, alert_id)
    context.services.wake_broadcast()
    subscriptions = context.services.subscriptions
    audience = await subscriptions.count(languages={lang}, topic=topic) if subscriptions else 0
    await message.reply_text(
        f"Alert #{alert_id} queued for about {audience} subscriber(s). Progress: /alerts {alert_id}"
    )


def handlers() -> list[BaseHandler]:
    """The staff alerts command."""
    return [CommandHandler("alerts", alerts_command)]
