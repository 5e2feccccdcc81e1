"""Alembic environment for both SQLite and PostgreSQL, on the async drivers.

Normally :meth:`storage.db.Database.migrate` passes an open connection in
``config.attributes["connection"]``. From the ``alembic`` command line (see
``storage/alembic.ini``) the URL comes from ``-x url=...`` or ``sqlalchemy.url``.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from storage.models import Base

config = context.config
if config.config_file_name is not None:
    # Command-line use only; the bot keeps its own logging set-up.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
target_metadata = Base.metadata


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("no database URL: pass -x url=sqlite+aiosqlite:///path/to/db")
    return url


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        # Batch mode lets future ALTERs work on SQLite (which rebuilds the table).
        render_as_batch=True,
        compare_type=True,
        **kwargs,
    )


def _run_on(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_new_engine(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run_on)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    _configure(url=_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (connection := config.attributes.get("connection")) is not None:
    _run_on(connection)
else:
    asyncio.run(_run_with_new_engine(_url()))
