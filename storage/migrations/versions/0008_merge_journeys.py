"""Joins the branches written side by side (staff console, broadcast, quizzes, trends).

Revision ID: 0008
Revises: 0003, 0004, 0005, 0007
Create Date: 2026-11-25
"""

from collections.abc import Sequence

revision: str = "0008"
down_revision: str | Sequence[str] | None = ("0003", "0004", "0005", "0007")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to change."""
