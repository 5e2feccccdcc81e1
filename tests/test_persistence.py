"""StorePersistence keeps conversations and data across a restart of the bot."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Chat, Message, MessageEntity, Update, User
from telegram.constants import MessageEntityType
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PersistenceInput,
    filters,
)
from telegram.request import BaseRequest, RequestData

from bot.persistence import StorePersistence
from storage import Database, DataKind, NotJSONSerialisableError, PersistedData, StateRepository
from tests.storage.support import BACKENDS, FakeClock, Target, target_for

USER_ID = 7_123_456_789
CHAT_ID = USER_ID


@pytest.fixture(params=BACKENDS)
async def target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Target]:
    """A migrated database location on SQLite and on PostgreSQL."""
    async with target_for(request.param, tmp_path) as target:
        db = target.open()
        await db.migrate()
        await db.dispose()
        yield target


class Running:
    """One "process lifetime": a database connection and a persistence over it."""

    def __init__(self, target: Target, clock: FakeClock | None = None, **kwargs: Any) -> None:
        self.db = target.open()
        self.repo = StateRepository(self.db, clock=clock) if clock else StateRepository(self.db)
        self.persistence = StorePersistence(self.repo, **kwargs)

    async def __aenter__(self) -> StorePersistence:
        return self.persistence

    async def __aexit__(self, *exc: object) -> None:
        await self.db.dispose()


# -- the BasePersistence methods, called directly ----------------------------------------


async def test_restart_restores_conversations_and_user_data(target: Target) -> None:
    async with Running(target) as first:
        await first.update_conversation("report", (CHAT_ID, USER_ID), 2)
        await first.update_conversation("report", (-100123, USER_ID, "inline-1"), "CONFIRM")
        await first.update_user_data(USER_ID, {"lang": "km", "draft": {"text": "ប្រយ័ត្ន", "links": []}})
        await first.flush()

    async with Running(target) as second:
        conversations = await second.get_conversations("report")
        user_data = await second.get_user_data()

    assert conversations == {(CHAT_ID, USER_ID): 2, (-100123, USER_ID, "inline-1"): "CONFIRM"}
    assert all(type(key) is tuple for key in conversations)
    assert user_data == {USER_ID: {"lang": "km", "draft": {"text": "ប្រយ័ត្ន", "links": []}}}


async def test_concurrent_writes_like_ptb_gathers_them(target: Target) -> None:
    users = range(1, 41)
    async with Running(target) as persistence:
        await asyncio.gather(
            *(persistence.update_user_data(uid, {"n": uid}) for uid in users),
            *(persistence.update_conversation("report", (uid, uid), uid % 3) for uid in users),
            persistence.update_bot_data({"users": len(users)}),
        )
        assert await persistence.get_user_data() == {uid: {"n": uid} for uid in users}
        assert await persistence.get_conversations("report") == {(uid, uid): uid % 3 for uid in users}


async def test_ended_conversation_is_forgotten(target: Target) -> None:
    async with Running(target) as persistence:
        await persistence.update_conversation("report", (1, 1), 1)
        await persistence.update_conversation("report", (1, 1), None)
        assert await persistence.get_conversations("report") == {}


async def test_chat_bot_and_callback_data_round_trip(target: Target) -> None:
    callback = ([("uuid-1", 1700000000.5, {"btn": "report:confirm"})], {"query-1": "uuid-1"})
    async with Running(target) as first:
        await first.update_chat_data(-100123, {"alerts": True})
        await first.update_bot_data({"broadcasts": 2})
        await first.update_callback_data(callback)

    async with Running(target) as second:
        assert await second.get_chat_data() == {-100123: {"alerts": True}}
        assert await second.get_bot_data() == {"broadcasts": 2}
        assert await second.get_callback_data() == callback


async def test_empty_database_gives_empty_data(target: Target) -> None:
    async with Running(target) as persistence:
        assert await persistence.get_user_data() == {}
        assert await persistence.get_chat_data() == {}
        assert await persistence.get_bot_data() == {}
        assert await persistence.get_callback_data() is None
        assert await persistence.get_conversations("report") == {}


async def test_dropped_user_and_chat_data_stay_dropped(target: Target) -> None:
    async with Running(target) as first:
        await first.update_user_data(1, {"a": 1})
        await first.update_user_data(2, {"b": 2})
        await first.update_chat_data(3, {"c": 3})
        await first.drop_user_data(1)
        await first.drop_chat_data(3)
        await first.update_user_data(1, {"a": 1})  # written again after the drop
        await first.drop_user_data(1)

    async with Running(target) as second:
        assert await second.get_user_data() == {2: {"b": 2}}
        assert await second.get_chat_data() == {}


async def test_non_json_user_data_is_refused_and_the_last_good_copy_kept(target: Target) -> None:
    async with Running(target) as persistence:
        await persistence.update_user_data(1, {"step": 1})
        with pytest.raises(NotJSONSerialisableError, match=r"user_data\[1\]\['photo'\] is a bytes"):
            await persistence.update_user_data(1, {"step": 2, "photo": b"..."})
        with pytest.raises(NotJSONSerialisableError, match=r"user_data\[1\] has a int key 1"):
            await persistence.update_user_data(1, {1: "one"})  # would come back as "1"
        assert await persistence.get_user_data() == {1: {"step": 1}}


async def test_unchanged_data_is_not_rewritten(target: Target) -> None:
    clock = FakeClock()
    running = Running(target, clock=clock)
    async with running as persistence:
        await persistence.update_bot_data({"n": 1})
        written_at = clock.now
        clock.advance(seconds=5)
        await persistence.update_bot_data({"n": 1})  # PTB sends bot_data on every run
        assert await _bot_data_updated_at(running.db) == written_at

        clock.advance(seconds=5)
        await persistence.update_bot_data({"n": 2})
        assert await _bot_data_updated_at(running.db) == clock.now


async def test_a_new_users_empty_data_costs_no_row_until_it_holds_something(target: Target) -> None:
    running = Running(target)
    async with running as persistence:
        await persistence.update_user_data(USER_ID, {})
        await persistence.update_chat_data(CHAT_ID, {})
        assert await _rows(running.db) == 0

        await persistence.update_user_data(USER_ID, {"draft": "x"})
        await persistence.update_user_data(USER_ID, {})  # emptied again: that must be stored too
        assert await persistence.get_user_data() == {USER_ID: {}}


async def _rows(db: Database) -> int:
    async with db.session() as session:
        return len((await session.scalars(select(PersistedData))).all())


async def _bot_data_updated_at(db: Database) -> datetime:
    async with db.session() as session:
        query = select(PersistedData.updated_at).where(PersistedData.kind == DataKind.BOT)
        return (await session.scalars(query)).one()


class UserData(dict):
    """A typed user_data, as with ContextTypes(user_data=...)."""


async def test_restored_data_uses_the_context_types(target: Target) -> None:
    types = ContextTypes(user_data=UserData)
    async with Running(target) as first:
        await first.update_user_data(1, UserData(lang="ko"))
    async with Running(target, context_types=types) as second:
        restored = await second.get_user_data()
    assert type(restored[1]) is UserData
    assert restored[1] == {"lang": "ko"}


def test_defaults_update_every_five_seconds_and_store_everything() -> None:
    persistence = StorePersistence(StateRepository(Database("sqlite+aiosqlite://")))
    assert persistence.update_interval == 5
    assert persistence.store_data == PersistenceInput()


# -- a real Application and ConversationHandler, offline ---------------------------------

ASK_WHAT, ASK_WHERE = range(2)
BOT_USER = {"id": 123, "is_bot": True, "first_name": "Scam check", "username": "scamcheck_bot"}


class OfflineRequest(BaseRequest):
    """Answers getMe and sendMessage like Telegram would; fails the test on anything else."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_: object
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        if endpoint == "getMe":
            result: object = BOT_USER
        elif endpoint == "sendMessage" and request_data is not None:
            params = request_data.parameters
            self.sent.append(str(params["text"]))
            result = {
                "message_id": len(self.sent),
                "date": 1700000000,
                "chat": {"id": params["chat_id"], "type": "private"},
                "from": BOT_USER,
                "text": params["text"],
            }
        else:
            raise AssertionError(f"unexpected Bot API call {endpoint}")
        return 200, json.dumps({"ok": True, "result": result}).encode()


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Begin a report and ask what happened."""
    assert context.user_data is not None and update.effective_message is not None
    context.user_data["report"] = {"started": True}
    await update.effective_message.reply_text("What happened?")
    return ASK_WHAT


async def _what(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Keep the description and ask where it happened."""
    assert context.user_data is not None and update.effective_message is not None
    context.user_data["report"]["what"] = update.effective_message.text
    await update.effective_message.reply_text("Where?")
    return ASK_WHERE


async def _where(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Finish the report with everything gathered before the restart."""
    assert context.user_data is not None and update.effective_message is not None
    report = context.user_data.pop("report")
    await update.effective_message.reply_text(f"Thanks: {report['what']} in {update.effective_message.text}")
    return ConversationHandler.END


def _build_app(persistence: StorePersistence, request: OfflineRequest) -> Application:
    app = ApplicationBuilder().token("123:abc").request(request).persistence(persistence).build()
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("report", _start)],
            states={
                ASK_WHAT: [MessageHandler(filters.TEXT & ~filters.COMMAND, _what)],
                ASK_WHERE: [MessageHandler(filters.TEXT & ~filters.COMMAND, _where)],
            },
            fallbacks=[],
            name="report",
            persistent=True,
        )
    )
    return app


def _message_update(app: Application, update_id: int, text: str) -> Update:
    entities = [MessageEntity(MessageEntityType.BOT_COMMAND, 0, len(text))] if text.startswith("/") else None
    message = Message(
        message_id=update_id,
        date=datetime(2025, 3, 1, tzinfo=UTC),
        chat=Chat(CHAT_ID, Chat.PRIVATE),
        from_user=User(USER_ID, "Dara", is_bot=False, language_code="km"),
        text=text,
        entities=entities,
    )
    message.set_bot(app.bot)
    return Update(update_id, message=message)


async def test_a_conversation_resumes_after_the_bot_restarts(target: Target) -> None:
    request = OfflineRequest()
    async with Running(target) as persistence:
        app = _build_app(persistence, request)
        await app.initialize()
        await app.process_update(_message_update(app, 1, "/report"))
        await app.process_update(_message_update(app, 2, "A fake job offer"))
        await app.shutdown()  # PTB's last update_persistence() and flush()

    async with Running(target) as persistence:
        app = _build_app(persistence, request)
        await app.initialize()
        await app.process_update(_message_update(app, 3, "Sihanoukville"))
        await app.shutdown()

    async with Running(target) as persistence:
        assert await persistence.get_conversations("report") == {}  # the flow ended
        assert await persistence.get_user_data() == {USER_ID: {}}

    assert request.sent == ["What happened?", "Where?", "Thanks: A fake job offer in Sihanoukville"]
