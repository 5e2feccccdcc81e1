"""Intake: cases, indicators, campaigns, the outbox and case status history.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        _ts("created_at"),
        _ts("last_report_at"),
        sa.Column("report_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("scam_type", sa.String(length=64), nullable=True),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["merged_into"], ["campaigns.id"], name=op.f("fk_campaigns_merged_into_campaigns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=1024), nullable=False),
        sa.Column("provenance", sa.String(length=16), server_default="crowd", nullable=False),
        _ts("first_seen"),
        _ts("last_seen"),
        sa.Column("report_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("removal_requested", sa.Boolean(), server_default=sa.false(), nullable=False),
        _ts("removal_requested_at", nullable=True),
        sa.Column("confirmed_by", sa.String(length=64), nullable=True),
        _ts("confirmed_at", nullable=True),
        sa.CheckConstraint("provenance IN ('crowd', 'confirmed')", name=op.f("ck_indicators_provenance")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("kind", "value", name="uq_indicators_kind_value"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=32), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("routing", sa.String(length=8), nullable=False),
        sa.Column("routing_reasons", sa.JSON(), nullable=False),
        sa.Column("scam_type", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("reporter_id", sa.BigInteger(), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("korean_national", sa.Boolean(), nullable=True),
        sa.Column("contact_ok", sa.Boolean(), nullable=False),
        sa.Column("share_with_authorities", sa.Boolean(), nullable=False),
        sa.Column("contact", sa.JSON(), nullable=True),
        _ts("contact_purged_at", nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("situation", sa.JSON(), nullable=True),
        sa.Column("money_amount", sa.String(length=32), nullable=True),
        sa.Column("money_currency", sa.String(length=8), nullable=True),
        sa.Column("money_method", sa.String(length=32), nullable=True),
        sa.Column("money_bank", sa.String(length=64), nullable=True),
        _ts("occurred_at", nullable=True),
        sa.Column("contact_channel", sa.String(length=32), nullable=True),
        sa.Column("classifier_score", sa.Float(), nullable=True),
        sa.Column("signals", sa.JSON(), nullable=False),
        sa.Column("credibility", sa.Float(), nullable=False),
        sa.Column("credibility_reasons", sa.JSON(), nullable=False),
        sa.Column("text_signature", sa.JSON(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        _ts("forwarded_at", nullable=True),
        sa.CheckConstraint("priority IN ('urgent', 'normal')", name=op.f("ck_cases_priority")),
        sa.CheckConstraint("routing IN ('kh', 'kr', 'both')", name=op.f("ck_cases_routing")),
        sa.CheckConstraint(
            "status IN ('received', 'forwarded', 'under_review', 'closed', 'rejected')",
            name=op.f("ck_cases_status"),
        ),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name=op.f("fk_cases_campaign_id_campaigns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("case_number", name=op.f("uq_cases_case_number")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_cases_submission_key")),
    )
    op.create_index(op.f("ix_cases_campaign_id"), "cases", ["campaign_id"])
    op.create_index(op.f("ix_cases_created_at"), "cases", ["created_at"])
    op.create_index("ix_cases_reporter_created", "cases", ["reporter_id", "created_at"])

    op.create_table(
        "case_status_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        _ts("changed_at"),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        _ts("notified_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_status_history_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_status_history")),
    )
    op.create_index(op.f("ix_case_status_history_case_id"), "case_status_history", ["case_id"])
    op.create_index(op.f("ix_case_status_history_notified_at"), "case_status_history", ["notified_at"])

    op.create_table(
        "case_text_bands",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=48), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_text_bands_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "band", name=op.f("pk_case_text_bands")),
    )
    op.create_index(op.f("ix_case_text_bands_band"), "case_text_bands", ["band"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("sink", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _ts("created_at"),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        _ts("next_attempt_at"),
        _ts("delivered_at", nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        _ts("lease_until", nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_outbox_case_id_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("sink", "idempotency_key", name="uq_outbox_sink_idempotency_key"),
    )
    pending = sa.text("delivered_at IS NULL")
    op.create_index(op.f("ix_outbox_case_id"), "outbox", ["case_id"])
    op.create_index("ix_outbox_due", "outbox", ["priority", "id"], postgresql_where=pending, sqlite_where=pending)
    op.create_index(
        "ix_outbox_case_pending",
        "outbox",
        ["case_id", "sink", "sequence"],
        postgresql_where=pending,
        sqlite_where=pending,
    )

    op.create_table(
        "report_indicators",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_report_indicators_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_report_indicators_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "indicator_id", name=op.f("pk_report_indicators")),
    )
    op.create_index(op.f("ix_report_indicators_indicator_id"), "report_indicators", ["indicator_id"])


def downgrade() -> None:
    op.drop_table("report_indicators")
    op.drop_table("outbox")
    op.drop_table("case_text_bands")
    op.drop_table("case_status_history")
    op.drop_table("cases")
    op.drop_table("indicators")
    op.drop_table("campaigns")
