"""Outreach: reminders and follow-ups the practice starts, within the texting rules.

- `outreach_jobs`: one row per text the rules decided on (a reminder for one appointment
  at one offset, a follow-up for one event), unique by `event_key` so an event is acted
  on once; planned -> sending (leased, like the outbox) -> sent | skipped (with the
  reason) | cancelled (the appointment moved, or the job went stale);
- `outreach_contacts`: the dropped-off worklist's log (a rep reached out, with a note);
- `practices.outreach_settings`: the practice's rules, timings and templates (JSON;
  None = the defaults);
- `clients`: their own time zone (quiet hours), outreach paused, do not contact,
  discharged, and the session cadence reps set (days between sessions);
- `appointments.confirmed_at`: the client confirmed a reminder.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
ENUM_LENGTH = 32

KINDS = [
    "reminder",
    "booking_confirmation",
    "no_show",
    "cancelled_not_rebooked",
    "no_next_session",
    "dropped_off_checkin",
    "manual_checkin",
]
STATES = ["planned", "sending", "sent", "skipped", "cancelled"]


def _one_of(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def upgrade() -> None:
    with op.batch_alter_table("practices") as batch:
        batch.add_column(sa.Column("outreach_settings", sa.JSON(), nullable=True))
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("timezone", sa.String(64), nullable=True))
        batch.add_column(sa.Column("outreach_paused_at", UTC_DATETIME, nullable=True))
        batch.add_column(sa.Column("do_not_contact", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("discharged_at", UTC_DATETIME, nullable=True))
        batch.add_column(sa.Column("session_cadence_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("appointments") as batch:
        batch.add_column(sa.Column("confirmed_at", UTC_DATETIME, nullable=True))
    op.create_table(
        "outreach_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(ENUM_LENGTH), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("event_key", sa.String(160), nullable=False),
        sa.Column("due_at", UTC_DATETIME, nullable=False),
        sa.Column("state", sa.String(ENUM_LENGTH), nullable=False),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("lease_until", UTC_DATETIME, nullable=True),
        sa.Column("leased_by", sa.String(64), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("decided_at", UTC_DATETIME, nullable=True),
        sa.Column("replied_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint(_one_of("kind", KINDS), name="ck_outreach_jobs_kind"),
        sa.CheckConstraint(_one_of("state", STATES), name="ck_outreach_jobs_state"),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"]),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_key", name="uq_outreach_jobs_event_key"),
    )
    op.create_index("ix_outreach_jobs_state_due_at", "outreach_jobs", ["state", "due_at"])
    op.create_index("ix_outreach_jobs_client_id", "outreach_jobs", ["client_id"])
    op.create_table(
        "outreach_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(ENUM_LENGTH), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"]),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.ForeignKeyConstraint(["rep_id"], ["reps.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outreach_contacts_client_id", "outreach_contacts", ["client_id"])


def downgrade() -> None:
    op.drop_index("ix_outreach_contacts_client_id", table_name="outreach_contacts")
    op.drop_table("outreach_contacts")
    op.drop_index("ix_outreach_jobs_client_id", table_name="outreach_jobs")
    op.drop_index("ix_outreach_jobs_state_due_at", table_name="outreach_jobs")
    op.drop_table("outreach_jobs")
    with op.batch_alter_table("appointments") as batch:
        batch.drop_column("confirmed_at")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("session_cadence_days")
        batch.drop_column("discharged_at")
        batch.drop_column("do_not_contact")
        batch.drop_column("outreach_paused_at")
        batch.drop_column("timezone")
    with op.batch_alter_table("practices") as batch:
        batch.drop_column("outreach_settings")
