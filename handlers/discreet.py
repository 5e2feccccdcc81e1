"""Discreet mode and clearing the chat, for people who may be watched.

The help and urgent journeys remember the id of every message they send and receive in the
chat's persisted data, so "Clear this chat" (or /clear) can delete them, also after a restart.
In discreet mode every message of the chat is remembered, messages go out silently and without
link previews, and each one is deleted `DELETE_AFTER` seconds after it was sent by `sweep`,
which the bot runs in its background loop. PTB's job queue is not used on purpose: its jobs
live in memory only (and it needs APScheduler), while the due times kept here in `chat_data`
survive a restart with nothing more to install.

Telegram lets a bot delete messages in a private chat (its own and the user's) for 48 hours
only; older ids are forgotten, and deletions that fail are ignored quietly.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, MutableMapping
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from handlers.context import BotContext

log = logging.getLogger(__name__)

STATE_KEY = "discreet"
#: Seconds after which a message is deleted in discreet mode (shown to the user in minutes).
DELETE_AFTER = 5 * 60
#: Telegram refuses to delete messages older than 48 hours; keep a margin.
DELETABLE_FOR = 47 * 3600
#: Ids remembered per chat (the oldest are forgotten first).
MAX_TRACKED = 300
#: Ids per deleteMessages call (Telegram's limit).
DELETE_BATCH = 100
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

ChatData = MutableMapping[str, Any]


# --- the chat's state (JSON data in chat_data) ---------------------------------------------------


def state_of(chat_data: ChatData | None) -> dict[str, Any]:
    """The chat's discreet state, created or repaired (persisted data may be old or damaged)."""
    holder: ChatData = chat_data if chat_data is not None else {}
    state = holder.get(STATE_KEY)
    if not isinstance(state, dict):
        state = {}
        holder[STATE_KEY] = state
    state["on"] = state.get("on") is True
    if not isinstance(state.get("since"), (int, float)):
        state["since"] = 0.0
    ids = state.get("ids")
    state["ids"] = [
        [entry[0], float(entry[1])]
        for entry in (ids if isinstance(ids, list) else [])
        if isinstance(entry, list)
        and len(entry) == 2
        and isinstance(entry[0], int)
        and isinstance(entry[1], (int, float))
    ]
    return state


def is_on(chat_data: ChatData | None) -> bool:
    """Whether the chat is in discreet mode (without creating any state)."""
    state = (chat_data or {}).get(STATE_KEY)
    return isinstance(state, dict) and state.get("on") is True


def track(state: dict[str, Any], message_id: int, now: float) -> None:
    """Remembers a message to delete later; forgets those Telegram would no longer delete."""
    ids: list[list[Any]] = state["ids"]
    if any(entry[0] == message_id for entry in ids):
        return
    ids.append([message_id, now])
    ids[:] = [entry for entry in ids if now - entry[1] < DELETABLE_FOR][-MAX_TRACKED:]


def due(state: dict[str, Any], now: float, delay: float = DELETE_AFTER) -> list[int]:
    """Ids to delete now: in discreet mode, those sent `delay` seconds ago (or before it was turned on)."""
    if not state["on"]:
        return []
    return [message_id for message_id, sent in state["ids"] if max(sent, state["since"]) + delay <= now]


def note_sent(chat_data: ChatData | None, chat_id: int, message_id: int) -> None:
    """A message the bot sent, by any journey: remembered for deletion in a discreet private chat."""
    if chat_id > 0 and is_on(chat_data):  # private chats have the user's (positive) id
        track(state_of(chat_data), message_id, time.time())


def forget(state: dict[str, Any], message_ids: Iterable[int]) -> None:
    """Stops remembering these ids."""
    gone = set(message_ids)
    state["ids"] = [entry for entry in state["ids"] if entry[0] not in gone]


def turn_on(state: dict[str, Any], now: float) -> None:
    """Discreet mode on: messages already remembered are deleted `DELETE_AFTER` from now at the latest."""
    state["on"] = True
    state["since"] = now


def turn_off(state: dict[str, Any]) -> None:
    """Discreet mode off: nothing is deleted automatically any more (/clear still works)."""
    state["on"] = False


# --- Telegram ----------------------------------------------------------------------------------


def _private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


def remember(context: BotContext, update: Update, *messages: Message | None) -> None:
    """Remembers the update's own message and `messages` for deletion (private chats only)."""
    if not _private(update) or context.chat_data is None:
        return
    state, now = state_of(context.chat_data), time.time()
    incoming = update.effective_message
    for message in (incoming, *messages):
        if message is not None:
            track(state, message.message_id, now)


async def say(
    update: Update,
    context: BotContext,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    html: bool = False,
) -> Message | None:
    """Replies without link previews, silently in discreet mode, and remembers both messages."""
    if (message := update.effective_message) is None:
        return None
    sent = await message.reply_text(
        text,
        parse_mode=ParseMode.HTML if html else None,
        link_preview_options=NO_PREVIEW,
        disable_notification=is_on(context.chat_data),
        reply_markup=reply_markup,
    )
    remember(context, update, sent)
    return sent


async def track_incoming(update: Update, context: BotContext) -> None:
    """Runs before every handler: in discreet mode, remembers what the user sends or taps."""
    if _private(update) and is_on(context.chat_data):
        remember(context, update)


async def delete_quietly(bot: Bot, chat_id: int, message_ids: list[int]) -> None:
    """Deletes messages; ones Telegram refuses (too old, already gone) are skipped without noise."""
    for start in range(0, len(message_ids), DELETE_BATCH):
        batch = message_ids[start : start + DELETE_BATCH]
        try:
            await bot.delete_messages(chat_id, batch)
        except Forbidden:  # the user blocked the bot: nothing more can be deleted
            return
        except TelegramError:
            # One undeletable id fails the whole batch: try them one by one.
            for message_id in batch:
                try:
                    await bot.delete_message(chat_id, message_id)
                except TelegramError:
                    continue
    log.debug("deleted %d messages in a discreet chat", len(message_ids))


async def clear_chat(update: Update, context: BotContext) -> int:
    """Deletes every remembered message of the chat (and the one asking); returns how many."""
    chat = update.effective_chat
    if chat is None or not _private(update) or context.chat_data is None:
        return 0
    remember(context, update)
    state = state_of(context.chat_data)
    ids = [entry[0] for entry in state["ids"]]
    forget(state, ids)
    await delete_quietly(context.bot, chat.id, ids)
    return len(ids)


async def sweep(app: Application, *, now: float | None = None) -> int:
    """Deletes the messages due in every discreet chat; returns how many (the bot's background loop)."""
    now = time.time() if now is None else now
    deleted, changed = 0, []
    for chat_id, data in list(app.chat_data.items()):
        if not is_on(data):
            continue
        state = state_of(data)
        ids = due(state, now)
        if not ids:
            continue
        forget(state, ids)
        changed.append(chat_id)
        await delete_quietly(app.bot, chat_id, ids)
        deleted += len(ids)
    if changed:
        app.mark_data_for_update_persistence(chat_ids=changed)
    return deleted
