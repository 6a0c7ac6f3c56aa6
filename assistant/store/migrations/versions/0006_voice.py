"""The phone channel: calls, call-back tickets and the practice's voice settings.

- `conversations.channel` may be 'voice' (one call is one conversation);
- `handoff_tickets.reason` may be 'callback' (a caller left a message, or asked for a
  person nobody could answer: someone must call back);
- `calls`: one row per Twilio CallSid, with where the call is (`stage`), what Twilio
  last reported, the transfer's outcome, the voicemail (recording and transcript) and
  who called the client back when;
- `practices.voice_name`, `voice_greeting`, `front_desk_numbers`: what the practice chose;
- `messages.speech_confidence`: how sure Twilio's speech recognition was of a caller's words.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
ENUM_LENGTH = 32

CHANNELS_BEFORE = ["web", "sms"]
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
]


def _one_of(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _replace_check(table: str, column: str, values: Sequence[str]) -> None:
    name = f"ck_{table}_{column}"
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(name, type_="check")
        batch.create_check_constraint(name, _one_of(column, values))


def upgrade() -> None:
    _replace_check("conversations", "channel", [*CHANNELS_BEFORE, "voice"])
    _replace_check("handoff_tickets", "reason", [*REASONS_BEFORE, "callback"])
    with op.batch_alter_table("practices") as batch:
        batch.add_column(sa.Column("voice_name", sa.String(64), nullable=True))
        batch.add_column(sa.Column("voice_greeting", sa.String(500), nullable=True))
        batch.add_column(sa.Column("front_desk_numbers", sa.JSON(), nullable=True))
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("speech_confidence", sa.Float(), nullable=True))
    op.create_table(
        "calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_sid", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(36), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("from_number", sa.String(20), nullable=True),
        sa.Column("to_number", sa.String(20), nullable=True),
        sa.Column("stage", sa.String(ENUM_LENGTH), nullable=False),
        sa.Column("twilio_status", sa.String(ENUM_LENGTH), nullable=True),
        sa.Column("caller_client_id", sa.Integer(), nullable=True),
        sa.Column("held_text", sa.Text(), nullable=True),
        sa.Column("misunderstood_turns", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("silent_turns", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("bot_helped", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("dial_target", sa.String(ENUM_LENGTH), nullable=True),
        sa.Column("dial_status", sa.String(ENUM_LENGTH), nullable=True),
        sa.Column("recording_sid", sa.String(64), nullable=True),
        sa.Column("recording_url", sa.String(500), nullable=True),
        sa.Column("recording_seconds", sa.Integer(), nullable=True),
        sa.Column("transcript", sa.Text(), nullable=True),
        sa.Column("transcription_status", sa.String(ENUM_LENGTH), nullable=True),
        sa.Column("missed_text_sent_at", UTC_DATETIME, nullable=True),
        sa.Column("called_back_at", UTC_DATETIME, nullable=True),
        sa.Column("called_back_by_rep_id", sa.Integer(), nullable=True),
        sa.Column("started_at", UTC_DATETIME, nullable=False),
        sa.Column("ended_at", UTC_DATETIME, nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            _one_of(
                "stage",
                ["choosing_client", "confirming_dob", "talking", "transferring", "recording", "ended"],
            ),
            name="ck_calls_stage",
        ),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"]),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"]),
        sa.ForeignKeyConstraint(["caller_client_id"], ["clients.id"]),
        sa.ForeignKeyConstraint(["called_back_by_rep_id"], ["reps.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_sid", name="uq_calls_call_sid"),
        sa.UniqueConstraint("conversation_id", name="uq_calls_conversation_id"),
        sa.UniqueConstraint("recording_sid", name="uq_calls_recording_sid"),
    )
    op.create_index("ix_calls_practice_id", "calls", ["practice_id"])


def downgrade() -> None:
    op.drop_index("ix_calls_practice_id", table_name="calls")
    op.drop_table("calls")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("speech_confidence")
    with op.batch_alter_table("practices") as batch:
        batch.drop_column("front_desk_numbers")
        batch.drop_column("voice_greeting")
        batch.drop_column("voice_name")
    _replace_check("handoff_tickets", "reason", REASONS_BEFORE)
    _replace_check("conversations", "channel", CHANNELS_BEFORE)
