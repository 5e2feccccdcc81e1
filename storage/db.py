"""Engine, sessions and migrations for SQLite (default) and PostgreSQL (scale-out).

One :class:`Database` object per process, created by the composition root and closed
with :meth:`Database.dispose` on shutdown.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import URL, Connection, event, make_url, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_FILENAME = "scambot.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 15_000
# Any constant works; it only has to be the same for every worker migrating one database.
_PG_MIGRATION_LOCK_KEY = 0x5CA4B07


def default_sqlite_url(data_dir: Path) -> str:
    """Return the URL of the embedded SQLite database inside ``data_dir``.

    Args:
        data_dir: Folder for the bot's data; it is created by :meth:`Database.migrate`.

    Returns:
        An absolute ``sqlite+aiosqlite:///...`` URL.
    """
    path = (Path(data_dir) / SQLITE_FILENAME).expanduser().resolve()
    return URL.create("sqlite+aiosqlite", database=str(path)).render_as_string(hide_password=False)


def _json_dumps(value: Any) -> str:
    # Keep Khmer and Korean readable in the database; reject NaN, which PostgreSQL's
    # json type refuses and SQLite would store as a non-standard token.
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def alembic_config(*, connection: Connection | None = None) -> Config:
    """Build the Alembic configuration without an ini file.

    ``script_location`` is an absolute path next to this module, so migrations run from
    any working directory and from an installed package.

    Args:
        connection: A synchronous connection for ``env.py`` to run on.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


class Database:
    """An async engine plus a session factory for one database URL.

    SQLite connections get WAL journaling, foreign keys and a busy timeout, and
    SQLAlchemy emits ``BEGIN`` itself so that every session is a real transaction.

    Args:
        url: ``sqlite+aiosqlite:///path`` or ``postgresql+asyncpg://user@host/db``.
        echo: Log every SQL statement (debugging only: it logs parameters).
        schema: PostgreSQL only: the schema to use as ``search_path`` (created by
            :meth:`migrate`). Lets several deployments or test runs share one database.

    Raises:
        ValueError: If the URL's backend is not SQLite or PostgreSQL, or ``schema`` is
            given for SQLite.
    """

    def __init__(self, url: str, *, echo: bool = False, schema: str | None = None) -> None:
        self._url = make_url(url)
        self._schema = schema
        backend = self._url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database URL backend {backend!r}: use sqlite or postgresql")
        # hide_parameters: a failed statement's error must not carry reporters' data into logs.
        options: dict[str, Any] = {"echo": echo, "json_serializer": _json_dumps, "hide_parameters": True}
        if backend == "sqlite":
            if schema is not None:
                raise ValueError(f"schema={schema!r} is only supported on PostgreSQL")
            if self._sqlite_path() is None:
                # One shared connection, or every session would see its own empty database.
                options["poolclass"] = StaticPool
                options["connect_args"] = {"check_same_thread": False}
        else:
            options["pool_pre_ping"] = True
            if schema is not None:
                options["connect_args"] = {"server_settings": {"search_path": schema}}
        self._engine: AsyncEngine = create_async_engine(self._url, **options)
        if backend == "sqlite":
            _configure_sqlite(self._engine)
        self._sessions = async_sessionmaker(self._engine, expire_on_commit=False)

    @property
    def engine(self) -> AsyncEngine:
        """The underlying async engine."""
        return self._engine

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._url.get_backend_name()

    def __repr__(self) -> str:
        return f"Database({self._url.render_as_string(hide_password=True)!r})"

    def _sqlite_path(self) -> Path | None:
        database = self._url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return Path(database)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """Open a session inside a transaction: committed on exit, rolled back on error."""
        async with self._sessions() as session, session.begin():
            yield session

    async def migrate(self, revision: str = "heads") -> None:
        """Upgrade the schema with Alembic (``upgrade heads`` by default).

        Journeys built side by side may each branch from the same revision; ``heads`` applies
        every branch.

        Creates the SQLite file's folder, or the PostgreSQL schema, when missing. On
        PostgreSQL an advisory lock lets several workers start at once safely.
        """
        if self.dialect == "sqlite" and (path := self._sqlite_path()) is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        await self._run_alembic(command.upgrade, revision)

    async def downgrade(self, revision: str) -> None:
        """Downgrade the schema to ``revision`` (``"base"`` drops every table)."""
        await self._run_alembic(command.downgrade, revision)

    async def _run_alembic(self, fn: Callable[..., None], revision: str) -> None:
        async with self._engine.begin() as conn:
            if self.dialect == "postgresql":
                if self._schema is not None:
                    quoted = conn.dialect.identifier_preparer.quote_identifier(self._schema)
                    await conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {quoted}"))
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK_KEY})
            await conn.run_sync(lambda sync_conn: fn(alembic_config(connection=sync_conn), revision))

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self._engine.dispose()


def _configure_sqlite(engine: AsyncEngine) -> None:
    """Apply per-connection pragmas and let SQLAlchemy, not sqlite3, emit BEGIN."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # sqlite3's legacy mode skips BEGIN before SELECT and DDL; take control of it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            # WAL lets readers run beside the writer; synchronous stays FULL (the default)
            # so an acknowledged report survives a power cut, not only a process crash.
            cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")
