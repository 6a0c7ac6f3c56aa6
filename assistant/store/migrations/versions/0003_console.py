"""Rep console: reps and their sessions, sign-in throttling, private notes, canned
responses, and who claimed / closed a hand-off ticket (plus when on-call was texted).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
ENUM_LENGTH = 32


def upgrade() -> None:
    op.create_table(
        "reps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=ENUM_LENGTH), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("role IN ('rep', 'admin')", name="ck_reps_role"),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_index("ix_reps_practice_id", "reps", ["practice_id"])

    op.create_table(
        "rep_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.Column("last_seen_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["rep_id"], ["reps.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rep_sessions_rep_id", "rep_sessions", ["rep_id"])
    op.create_index("ix_rep_sessions_expires_at", "rep_sessions", ["expires_at"])

    op.create_table(
        "rep_sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rep_sign_in_failures_email_ip", "rep_sign_in_failures", ["email", "ip"])
    op.create_index("ix_rep_sign_in_failures_at", "rep_sign_in_failures", ["at"])

    op.create_table(
        "canned_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_canned_responses_practice_id", "canned_responses", ["practice_id"])

    with op.batch_alter_table("handoff_tickets") as batch:
        batch.add_column(sa.Column("claimed_by_rep_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("claimed_at", UTC_DATETIME, nullable=True))
        batch.add_column(sa.Column("closed_by_rep_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("oncall_alerted_at", UTC_DATETIME, nullable=True))
        batch.create_foreign_key("fk_handoff_tickets_claimed_by_rep_id", "reps",
                                 ["claimed_by_rep_id"], ["id"])
        batch.create_foreign_key("fk_handoff_tickets_closed_by_rep_id", "reps",
                                 ["closed_by_rep_id"], ["id"])

    op.create_table(
        "ticket_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["handoff_tickets.id"]),
        sa.ForeignKeyConstraint(["rep_id"], ["reps.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ticket_notes_conversation_id", "ticket_notes", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_ticket_notes_conversation_id", table_name="ticket_notes")
    op.drop_table("ticket_notes")
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.drop_constraint("fk_handoff_tickets_closed_by_rep_id", type_="foreignkey")
        batch.drop_constraint("fk_handoff_tickets_claimed_by_rep_id", type_="foreignkey")
        for column in ("oncall_alerted_at", "closed_by_rep_id", "claimed_at", "claimed_by_rep_id"):
            batch.drop_column(column)
    op.drop_index("ix_canned_responses_practice_id", table_name="canned_responses")
    op.drop_table("canned_responses")
    op.drop_index("ix_rep_sign_in_failures_at", table_name="rep_sign_in_failures")
    op.drop_index("ix_rep_sign_in_failures_email_ip", table_name="rep_sign_in_failures")
    op.drop_table("rep_sign_in_failures")
    op.drop_index("ix_rep_sessions_expires_at", table_name="rep_sessions")
    op.drop_index("ix_rep_sessions_rep_id", table_name="rep_sessions")
    op.drop_table("rep_sessions")
    op.drop_index("ix_reps_practice_id", table_name="reps")
    op.drop_table("reps")
