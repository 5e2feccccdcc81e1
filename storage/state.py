"""Conversation states and bot data, stored as JSON so they survive a restart.

Values must survive a JSON round trip unchanged, so they are checked before writing:
``None``, ``bool``, ``int``, finite ``float``, ``str``, ``list``, ``tuple`` (read back as
a ``list``) and ``dict`` with ``str`` keys. Anything else (bytes, datetimes, sets,
objects, ``int`` keys that JSON would turn into strings) raises
:class:`NotJSONSerialisableError` naming the offending path, never the value itself.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select

from storage._upsert import upsert
from storage.db import Database
from storage.models import ConversationState, DataKind, PersistedData, ensure_aware, utcnow

ConversationKey = tuple[int | str, ...]
SINGLETON_OWNER = 0
"""``owner_id`` used for the one bot_data row and the one callback_data row."""

_KEY_MAX_LENGTH = 255
_NAME_MAX_LENGTH = 128
_conversations = cast(Table, ConversationState.__table__)
_data = cast(Table, PersistedData.__table__)


class NotJSONSerialisableError(TypeError):
    """A value to persist would not come back unchanged from JSON."""


def check_json(value: Any, where: str) -> None:
    """Raise if ``value`` would not survive a JSON round trip.

    Args:
        value: The value to check.
        where: Label for error messages, e.g. ``"user_data[42]"``.

    Raises:
        NotJSONSerialisableError: With the path and type of the first bad part.
    """
    _check(value, where, set())


def _check(value: Any, path: str, parents: set[int]) -> None:
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotJSONSerialisableError(f"{path} is {value!r}; JSON has no NaN or infinity")
        return
    if not isinstance(value, dict | list | tuple):
        raise NotJSONSerialisableError(
            f"{path} is a {type(value).__name__}; only None, bool, int, float, str, "
            "list, tuple and dict with str keys can be persisted"
        )
    if id(value) in parents:
        raise NotJSONSerialisableError(f"{path} contains itself (circular reference)")
    parents.add(id(value))
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotJSONSerialisableError(
                    f"{path} has a {type(key).__name__} key {key!r}; JSON keys are strings, "
                    "so it would come back as a different key"
                )
            _check(item, f"{path}[{key!r}]", parents)
    else:
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]", parents)
    parents.discard(id(value))


def encode_key(key: Sequence[int | str]) -> str:
    """Encode a conversation key as compact JSON text, e.g. ``(-100, 7)`` -> ``[-100,7]``.

    Raises:
        ValueError: If a part is not an ``int`` or ``str``, or the text is too long.
    """
    parts = list(key)
    for part in parts:
        if isinstance(part, bool) or not isinstance(part, int | str):
            raise ValueError(f"conversation key part {part!r} is a {type(part).__name__}; use int or str")
    text = json.dumps(parts, separators=(",", ":"), ensure_ascii=False)
    if len(text) > _KEY_MAX_LENGTH:
        raise ValueError(f"conversation key is {len(text)} characters; at most {_KEY_MAX_LENGTH}")
    return text


def decode_key(text: str) -> ConversationKey:
    """Inverse of :func:`encode_key`: JSON list text back to a tuple."""
    return tuple(json.loads(text))


def _check_name(name: str) -> None:
    if not name or len(name) > _NAME_MAX_LENGTH:
        raise ValueError(f"conversation name {name!r} must be 1-{_NAME_MAX_LENGTH} characters")


class StateRepository:
    """Read and write conversation states and the bot's data dictionaries.

    Every write is a single upsert or delete in its own transaction, so it is safe to
    run many of them concurrently (python-telegram-bot gathers them).

    Args:
        db: The database.
        clock: Returns the current aware datetime for ``updated_at``.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def get_conversations(self, name: str) -> dict[ConversationKey, Any]:
        """Return every stored state of the conversation ``name``, keyed by tuple key."""
        async with self._db.session() as session:
            rows = await session.execute(
                select(ConversationState.key, ConversationState.state).where(ConversationState.name == name)
            )
            return {decode_key(key): state for key, state in rows}

    async def upsert_conversation(self, name: str, key: Sequence[int | str], state: Any) -> None:
        """Store the state of one conversation, replacing the previous one.

        Raises:
            ValueError: If ``name`` or ``key`` is malformed.
            NotJSONSerialisableError: If ``state`` cannot be stored as JSON.
        """
        _check_name(name)
        encoded = encode_key(key)
        check_json(state, f"conversation {name!r} state for {encoded}")
        async with self._db.session() as session:
            await session.execute(
                upsert(
                    session,
                    _conversations,
                    {"name": name, "key": encoded, "state": state, "updated_at": ensure_aware(self._clock())},
                    conflict=["name", "key"],
                    update=lambda new: {"state": new.state, "updated_at": new.updated_at},
                )
            )

    async def delete_conversation(self, name: str, key: Sequence[int | str]) -> None:
        """Forget one conversation (it ended); a missing one is not an error."""
        async with self._db.session() as session:
            await session.execute(
                delete(ConversationState).where(
                    ConversationState.name == name, ConversationState.key == encode_key(key)
                )
            )

    async def get_all_data(self, kind: DataKind) -> dict[int, Any]:
        """Return every stored entry of ``kind``, keyed by owner id."""
        async with self._db.session() as session:
            rows = await session.execute(
                select(PersistedData.owner_id, PersistedData.data).where(PersistedData.kind == DataKind(kind).value)
            )
            return {owner_id: data for owner_id, data in rows}

    async def get_data(self, kind: DataKind, owner_id: int = SINGLETON_OWNER) -> Any | None:
        """Return one stored entry, or ``None`` if there is none."""
        async with self._db.session() as session:
            row = await session.get(PersistedData, (DataKind(kind).value, owner_id))
            return None if row is None else row.data

    async def upsert_data(self, kind: DataKind, owner_id: int, data: Any) -> None:
        """Store one entry, replacing the previous one.

        Args:
            kind: Which dictionary the entry belongs to.
            owner_id: User or chat id; :data:`SINGLETON_OWNER` for bot and callback data.
            data: A JSON-compatible value (see the module docstring).

        Raises:
            NotJSONSerialisableError: If ``data`` cannot be stored as JSON.
        """
        kind = DataKind(kind)
        check_json(data, f"{kind.value}_data[{owner_id}]")
        async with self._db.session() as session:
            await session.execute(
                upsert(
                    session,
                    _data,
                    {
                        "kind": kind.value,
                        "owner_id": owner_id,
                        "data": data,
                        "updated_at": ensure_aware(self._clock()),
                    },
                    conflict=["kind", "owner_id"],
                    update=lambda new: {"data": new.data, "updated_at": new.updated_at},
                )
            )

    async def delete_data(self, kind: DataKind, owner_id: int = SINGLETON_OWNER) -> None:
        """Forget one entry; a missing one is not an error."""
        async with self._db.session() as session:
            await session.execute(
                delete(PersistedData).where(
                    PersistedData.kind == DataKind(kind).value,
                    PersistedData.owner_id == owner_id,
                )
            )
