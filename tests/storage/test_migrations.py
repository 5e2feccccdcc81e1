"""Migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from storage import Base, Database, User, UserRepository, alembic_config, default_sqlite_url

#: Every table the models declare (later revisions add theirs, e.g. intake's cases and outbox).
APP_TABLES = set(Base.metadata.tables)


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def _current_revision(db: Database) -> str | None:
    async with db.engine.connect() as conn:
        return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())


def _head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_migrate_builds_every_table_on_an_empty_database(empty_db: Database) -> None:
    assert await _tables(empty_db) == set()

    await empty_db.migrate()

    assert await _tables(empty_db) == APP_TABLES | {"alembic_version"}
    assert await _current_revision(empty_db) == _head()


async def test_models_and_migrations_agree(db: Database) -> None:
    async with db.engine.connect() as conn:
        diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata))
    assert diff == [], f"models differ from migrations; write a new revision: {diff}"


async def test_migrating_again_keeps_data(db: Database) -> None:
    await UserRepository(db).touch(1, "km")

    await db.migrate()

    assert (await UserRepository(db).get(1)) is not None


async def test_downgrade_to_base_and_back(db: Database) -> None:
    await db.downgrade("base")
    assert not APP_TABLES & await _tables(db)

    await db.migrate()
    assert await _tables(db) == APP_TABLES | {"alembic_version"}


async def test_failed_session_rolls_back(db: Database) -> None:
    await UserRepository(db).touch(5, "en")
    when = datetime(2025, 1, 1, tzinfo=UTC)

    with pytest.raises(RuntimeError, match="boom"):
        async with db.session() as session:
            session.add(User(user_id=6, language="en", created_at=when, last_seen_at=when))
            await session.flush()
            raise RuntimeError("boom")

    async with db.session() as session:
        ids = set(await session.scalars(select(User.user_id)))
    assert ids == {5}


async def test_sqlite_migrate_creates_the_data_folder(tmp_path: Path) -> None:
    url = default_sqlite_url(tmp_path / "not" / "yet")
    db = Database(url)
    try:
        await db.migrate()
        await UserRepository(db).touch(1, None)
    finally:
        await db.dispose()
    assert (tmp_path / "not" / "yet" / "scambot.sqlite3").is_file()


async def test_sqlite_file_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = Database(default_sqlite_url(tmp_path))
    try:
        await db.migrate()
        async with db.engine.connect() as conn:
            journal = (await conn.execute(text("PRAGMA journal_mode"))).scalar_one()
            foreign_keys = (await conn.execute(text("PRAGMA foreign_keys"))).scalar_one()
            busy = (await conn.execute(text("PRAGMA busy_timeout"))).scalar_one()
    finally:
        await db.dispose()
    assert (journal, foreign_keys) == ("wal", 1)
    assert busy >= 1000


async def test_in_memory_sqlite_shares_one_database_across_sessions() -> None:
    db = Database("sqlite+aiosqlite://")
    try:
        await db.migrate()
        await UserRepository(db).touch(9, "ko")
        assert await UserRepository(db).count() == 1
    finally:
        await db.dispose()


def test_default_sqlite_url_is_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = default_sqlite_url(Path("var"))
    assert url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'var' / 'scambot.sqlite3'}"


@pytest.mark.parametrize(
    ("url", "kwargs", "message"),
    [
        ("mysql+aiomysql://u@h/db", {}, "unsupported database URL backend 'mysql'"),
        ("sqlite+aiosqlite://", {"schema": "x"}, "schema='x' is only supported on PostgreSQL"),
    ],
)
def test_database_rejects_what_it_cannot_serve(url: str, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Database(url, **kwargs)
