"""Trends: anonymous check and question events.

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "check_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("scam_type", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_events")),
    )
    op.create_index(op.f("ix_check_events_day"), "check_events", ["day"])
    op.create_table(
        "question_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("unsure", sa.Boolean(), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_events")),
    )
    op.create_index(op.f("ix_question_events_day"), "question_events", ["day"])


def downgrade() -> None:
    op.drop_index(op.f("ix_question_events_day"), table_name="question_events")
    op.drop_table("question_events")
    op.drop_index(op.f("ix_check_events_day"), table_name="check_events")
    op.drop_table("check_events")
