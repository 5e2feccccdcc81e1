"""Alembic revisions, applied in order by ``Database.migrate()``."""
