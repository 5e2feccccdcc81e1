"""Quizzes: anonymous attempts and answers.

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quiz_attempts",
        sa.Column("attempt_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("quiz", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("questions", sa.SmallInteger(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=True),
        sa.PrimaryKeyConstraint("attempt_id", name=op.f("pk_quiz_attempts")),
    )
    op.create_index(op.f("ix_quiz_attempts_day"), "quiz_attempts", ["day"])
    op.create_table(
        "quiz_answers",
        sa.Column("attempt_id", sa.String(length=32), nullable=False),
        sa.Column("question", sa.SmallInteger(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["quiz_attempts.attempt_id"],
            name=op.f("fk_quiz_answers_attempt_id_quiz_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", "question", name=op.f("pk_quiz_answers")),
    )


def downgrade() -> None:
    op.drop_table("quiz_answers")
    op.drop_index(op.f("ix_quiz_attempts_day"), table_name="quiz_attempts")
    op.drop_table("quiz_attempts")
