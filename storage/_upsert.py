"""A portable ``INSERT ... ON CONFLICT DO UPDATE`` for SQLite and PostgreSQL.

Both dialects spell it the same way in SQLAlchemy, but through different ``insert``
constructs; this picks the right one so repositories stay dialect-free and atomic
(no read-then-write race between two workers).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def upsert(
    session: AsyncSession,
    table: Table,
    values: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
    *,
    conflict: Sequence[str],
    update: Callable[[Any], Mapping[str, Any]],
) -> Any:
    """Build an upsert statement for the session's dialect.

    Args:
        session: The session the statement will run in (its bind picks the dialect).
        table: Target table.
        values: Column values of the row to insert, or a list of rows (one statement), or
            None for a statement to execute with many rows (``session.execute(stmt, rows)``:
            compiled once and cached, whatever the number of rows).
        conflict: Primary-key (or unique) columns that may collide.
        update: Given the columns of the row that was being inserted (``excluded``),
            return the ``SET`` clause applied to the existing row on conflict.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table)
    else:  # pragma: no cover - Database rejects other backends up front
        raise ValueError(f"no upsert for dialect {dialect!r}")
    if values is not None:
        stmt = stmt.values(values)
    return stmt.on_conflict_do_update(index_elements=list(conflict), set_=dict(update(stmt.excluded)))
