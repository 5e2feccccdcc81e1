"""Alembic migrations; a package so that installs ship ``env.py`` and the revisions.

Adding a table: define the model (subclass ``storage.Base``, timestamps as
``Mapped[datetime]``, which maps to ``UTCDateTime``), then write the next revision, e.g.::

    alembic -c storage/alembic.ini -x url=sqlite+aiosqlite:///var/dev.sqlite3 upgrade head
    alembic -c storage/alembic.ini -x url=sqlite+aiosqlite:///var/dev.sqlite3 \\
        revision --autogenerate --rev-id 0002 -m "add reports"

Review the generated file (autogenerate writes ``storage.models.UTCDateTime()``; use
``sa.DateTime(timezone=True)`` instead). ``tests/storage/test_migrations.py`` fails
until models and migrations agree on SQLite and PostgreSQL.
"""
