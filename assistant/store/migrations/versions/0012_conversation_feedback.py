"""Closure on resolve: the client's answer to "Did we help?", and the practice's SMS setting.

`conversation_feedback` has one row per resolution a rep announced to the client (one ticket,
unique): created when the rep resolves (the question is asked), answered at most once (`rating`
"up" or "down", an optional short comment). `practices.closure_sms_enabled` (default off) says
whether an SMS client is also texted the closing message.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("practices") as batch:
        batch.add_column(sa.Column("closure_sms_enabled", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "conversation_feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("practice_id", sa.Integer(), sa.ForeignKey("practices.id"), nullable=False),
        sa.Column("conversation_id", sa.String(36), sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("handoff_tickets.id"), nullable=False, unique=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.String(8), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("rating IS NULL OR rating IN ('up', 'down')", name="ck_conversation_feedback_rating"),
    )
    op.create_index("ix_conversation_feedback_conversation", "conversation_feedback", ["conversation_id"])
    op.create_index(
        "ix_conversation_feedback_practice_answered", "conversation_feedback", ["practice_id", "answered_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_conversation_feedback_practice_answered", table_name="conversation_feedback")
    op.drop_index("ix_conversation_feedback_conversation", table_name="conversation_feedback")
    op.drop_table("conversation_feedback")
    with op.batch_alter_table("practices") as batch:
        batch.drop_column("closure_sms_enabled")
