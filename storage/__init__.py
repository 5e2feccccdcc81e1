"""Database layer: engine and migrations, users, and persisted bot state.

It imports nothing else of the project and nothing of ``telegram``.

Typical use from the composition root::

    db = Database(default_sqlite_url(data_dir))
    await db.migrate()
    users = UserRepository(db)
    ...
    await db.dispose()
"""

from storage.db import Database, alembic_config, default_sqlite_url
from storage.models import Base, ConversationState, DataKind, PersistedData, User, UTCDateTime, utcnow
from storage.state import (
    SINGLETON_OWNER,
    ConversationKey,
    NotJSONSerialisableError,
    StateRepository,
    check_json,
    decode_key,
    encode_key,
)
from storage.users import UserRecord, UserRepository

__all__ = [
    "SINGLETON_OWNER",
    "Base",
    "ConversationKey",
    "ConversationState",
    "DataKind",
    "Database",
    "NotJSONSerialisableError",
    "PersistedData",
    "StateRepository",
    "User",
    "UserRecord",
    "UserRepository",
    "UTCDateTime",
    "alembic_config",
    "check_json",
    "decode_key",
    "default_sqlite_url",
    "encode_key",
    "utcnow",
]
