"""SMS channel and web widget: inbound idempotency and media, the outbound
outbox, opt-outs, the candidates of a number shared by several clients, the
widget's allowed origins and one-time verification codes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("media", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("next_attempt_at", UTC_DATETIME, nullable=True))
        batch.add_column(sa.Column("error_code", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("segments", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("redact_after_send", sa.Boolean(), server_default="0", nullable=False))
        batch.create_unique_constraint("uq_messages_idempotency_key", ["idempotency_key"])
        batch.create_index("ix_messages_next_attempt_at", ["next_attempt_at"])
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("candidate_client_ids", sa.JSON(), nullable=True))
    with op.batch_alter_table("practices") as batch:
        batch.add_column(sa.Column("widget_allowed_origins", sa.JSON(), nullable=True))
    op.create_table(
        "verification_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("client_id", sa.Integer(), sa.ForeignKey("clients.id"), nullable=False),
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("used_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_verification_codes_conversation_id", "verification_codes", ["conversation_id"])
    op.create_table(
        "sms_opt_outs",
        sa.Column("practice_id", sa.Integer(), sa.ForeignKey("practices.id"), nullable=False),
        sa.Column("phone_e164", sa.String(length=20), nullable=False),
        sa.Column("opted_out_at", UTC_DATETIME, nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("keyword", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("practice_id", "phone_e164"),
    )


def downgrade() -> None:
    op.drop_table("sms_opt_outs")
    op.drop_index("ix_verification_codes_conversation_id", table_name="verification_codes")
    op.drop_table("verification_codes")
    with op.batch_alter_table("practices") as batch:
        batch.drop_column("widget_allowed_origins")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("candidate_client_ids")
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_next_attempt_at")
        batch.drop_constraint("uq_messages_idempotency_key", type_="unique")
        for column in ("redact_after_send", "segments", "error_code", "next_attempt_at", "attempts", "media", "idempotency_key"):
            batch.drop_column(column)
