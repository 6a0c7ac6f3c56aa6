"""Practice questions: the answers a practice gives to what clients ask before they call.

- `practice_faq_answers`: one row per practice and topic (address, parking, accessibility,
  insurance, self-pay, first session, intake forms, telehealth), the answer as the admin
  wrote it and an optional https link (the intake forms, a connection test, a map).  No row
  means the practice has not answered that question, and the bot hands the client to a
  person instead of inventing an answer.  Hours, the cancellation policy and how to reach
  a person are not stored here: they come from the practice's existing settings;
- `handoff_tickets.reason` may be 'practice_question': a client asked something the
  practice has not answered yet, so a rep sees that (not "asked for a person").

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
# Written out rather than imported: a migration keeps the values it created, whatever the
# model's enum becomes later.
TOPICS = [
    "address",
    "parking",
    "accessibility",
    "insurance",
    "self_pay",
    "first_session",
    "intake_forms",
    "telehealth",
]
REASONS_BEFORE = [
    "low_confidence",
    "repeated_failure",
    "requested",
    "billing",
    "crisis",
    "verification_failed",
    "unknown_number",
    "portal_help",
    "sms_opt_out",
    "delivery_failed",
    "callback",
]


def _replace_reason_check(values: Sequence[str]) -> None:
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.drop_constraint("ck_handoff_tickets_reason", type_="check")
        batch.create_check_constraint("ck_handoff_tickets_reason", f"reason IN ({', '.join(map(repr, values))})")


def upgrade() -> None:
    _replace_reason_check([*REASONS_BEFORE, "practice_question"])
    op.create_table(
        "practice_faq_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("link_url", sa.String(500), nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_by_rep_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            f"topic IN ({', '.join(repr(topic) for topic in TOPICS)})", name="ck_practice_faq_answers_topic"
        ),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"]),
        sa.ForeignKeyConstraint(["updated_by_rep_id"], ["reps.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "topic", name="uq_practice_faq_answers_practice_topic"),
    )


def downgrade() -> None:
    op.drop_table("practice_faq_answers")
    # Keep the tickets: before 0008 the nearest reason was a client asking for a person.
    op.execute("UPDATE handoff_tickets SET reason = 'requested' WHERE reason = 'practice_question'")
    _replace_reason_check(REASONS_BEFORE)
