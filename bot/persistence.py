"""python-telegram-bot persistence backed by the project's database.

With it, ``ConversationHandler(name=..., persistent=True)`` flows, ``user_data``,
``chat_data``, ``bot_data`` and callback data survive a restart, on SQLite or PostgreSQL.

Everything persisted must be JSON data: ``None``, ``bool``, ``int``, finite ``float``,
``str``, ``list``, ``tuple`` (comes back as a ``list``) and ``dict`` with ``str`` keys.
Conversation states may be ints, strings (``IntEnum``/``StrEnum`` members come back as
their plain value, which compares equal) or other JSON data; conversation keys are
tuples of ints and strings and come back as tuples. A value that is not JSON data is
not written: the update raises :class:`storage.NotJSONSerialisableError` naming the
path (``user_data[42]['draft']``) and type, never the value, and the Application hands
it to its error handlers. The previously stored value stays in place.

If ``bot_data`` holds services (a typed context object), pass
``store_data=PersistenceInput(bot_data=False)``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from telegram.ext import BasePersistence, ContextTypes, PersistenceInput

from storage import SINGLETON_OWNER, ConversationKey, DataKind, StateRepository, check_json

_LOGGER = logging.getLogger(__name__)

DEFAULT_UPDATE_INTERVAL = 5.0

# The shapes BasePersistence exchanges (PTB keeps its own aliases in a private module).
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]
ConversationDict = dict[ConversationKey, object]


def _digest(data: Any) -> bytes:
    """Fingerprint of already-checked JSON data, to skip rewriting unchanged entries."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


_EMPTY_DIGEST = _digest({})


class StorePersistence(BasePersistence[Any, Any, Any]):
    """Persist python-telegram-bot state through :class:`storage.StateRepository`.

    Every ``update_*`` call writes through to the database at once (PTB batches them
    every ``update_interval`` seconds and once more on shutdown), skipping entries whose
    content did not change since the last write, and empty entries never written (most
    users never need any), so :meth:`flush` has nothing left to do.
    ``refresh_*`` are no-ops: the in-memory data is authoritative for one process.

    Args:
        repository: Where the data lives.
        store_data: Which kinds of data to persist (all by default).
        update_interval: Seconds between PTB's persistence runs (5 by default).
        context_types: When ``user_data``/``chat_data``/``bot_data`` are custom ``dict``
            subclasses, restored entries are built with these factories.
    """

    __slots__ = ("_context_types", "_repository", "_written")

    def __init__(
        self,
        repository: StateRepository,
        *,
        store_data: PersistenceInput | None = None,
        update_interval: float = DEFAULT_UPDATE_INTERVAL,
        context_types: ContextTypes[Any, Any, Any, Any] | None = None,
    ) -> None:
        super().__init__(store_data=store_data, update_interval=update_interval)
        self._repository = repository
        self._context_types = context_types
        self._written: dict[tuple[DataKind, int], bytes] = {}

    # -- helpers ---------------------------------------------------------------------

    def _restore(self, factory: Callable[[], Any] | None, data: Any) -> Any:
        if factory is None or factory is dict:
            return data
        restored = factory()
        restored.update(data)
        return restored

    async def _load(self, kind: DataKind) -> dict[int, Any]:
        entries = await self._repository.get_all_data(kind)
        for owner_id, data in entries.items():
            self._written[(kind, owner_id)] = _digest(data)
        return entries

    async def _store(self, kind: DataKind, owner_id: int, data: Any) -> None:
        # Check first: the digest alone would not tell {1: x} from {"1": x}.
        check_json(data, f"{kind.value}_data[{owner_id}]")
        digest = _digest(data)
        # Nothing stored reads back as empty, so a new user's empty data costs no write.
        if self._written.get((kind, owner_id), _EMPTY_DIGEST) == digest:
            return
        await self._repository.upsert_data(kind, owner_id, data)
        self._written[(kind, owner_id)] = digest

    async def _drop(self, kind: DataKind, owner_id: int) -> None:
        await self._repository.delete_data(kind, owner_id)
        self._written.pop((kind, owner_id), None)

    # -- loading on start-up ---------------------------------------------------------

    async def get_user_data(self) -> dict[int, Any]:
        """Return every stored ``user_data`` entry."""
        factory = self._context_types.user_data if self._context_types else None
        return {uid: self._restore(factory, data) for uid, data in (await self._load(DataKind.USER)).items()}

    async def get_chat_data(self) -> dict[int, Any]:
        """Return every stored ``chat_data`` entry."""
        factory = self._context_types.chat_data if self._context_types else None
        return {cid: self._restore(factory, data) for cid, data in (await self._load(DataKind.CHAT)).items()}

    async def get_bot_data(self) -> Any:
        """Return the stored ``bot_data`` (an empty one if none)."""
        factory = self._context_types.bot_data if self._context_types else None
        data = (await self._load(DataKind.BOT)).get(SINGLETON_OWNER, {})
        return self._restore(factory, data)

    async def get_callback_data(self) -> CDCData | None:
        """Return the stored callback-data cache, with its tuples restored."""
        data = (await self._load(DataKind.CALLBACK)).get(SINGLETON_OWNER)
        if data is None:
            return None
        buttons, queries = data
        return [(uuid, float(stamp), dict(entries)) for uuid, stamp, entries in buttons], dict(queries)

    async def get_conversations(self, name: str) -> ConversationDict:
        """Return the stored states of conversation ``name`` keyed by tuple key."""
        return await self._repository.get_conversations(name)

    # -- writing ---------------------------------------------------------------------

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        """Store a conversation's new state, or forget it when ``new_state`` is None."""
        if new_state is None:
            await self._repository.delete_conversation(name, key)
        else:
            await self._repository.upsert_conversation(name, key, new_state)

    async def update_user_data(self, user_id: int, data: Any) -> None:
        """Store one user's ``user_data``."""
        await self._store(DataKind.USER, user_id, data)

    async def update_chat_data(self, chat_id: int, data: Any) -> None:
        """Store one chat's ``chat_data``."""
        await self._store(DataKind.CHAT, chat_id, data)

    async def update_bot_data(self, data: Any) -> None:
        """Store ``bot_data``."""
        await self._store(DataKind.BOT, SINGLETON_OWNER, data)

    async def update_callback_data(self, data: CDCData) -> None:
        """Store the callback-data cache (button data must be JSON data too)."""
        buttons, queries = data
        await self._store(
            DataKind.CALLBACK,
            SINGLETON_OWNER,
            [[[uuid, stamp, entries] for uuid, stamp, entries in buttons], queries],
        )

    async def drop_user_data(self, user_id: int) -> None:
        """Delete one user's ``user_data``."""
        await self._drop(DataKind.USER, user_id)

    async def drop_chat_data(self, chat_id: int) -> None:
        """Delete one chat's ``chat_data``."""
        await self._drop(DataKind.CHAT, chat_id)

    async def refresh_user_data(self, user_id: int, user_data: Any) -> None:
        """Nothing to do: memory is authoritative for this process."""

    async def refresh_chat_data(self, chat_id: int, chat_data: Any) -> None:
        """Nothing to do: memory is authoritative for this process."""

    async def refresh_bot_data(self, bot_data: Any) -> None:
        """Nothing to do: memory is authoritative for this process."""

    async def flush(self) -> None:
        """Nothing is buffered: every update was written when PTB handed it over."""
        _LOGGER.debug("persistence flushed (writes are immediate)")
