"""Indexes for the insights page's aggregates over a period.

Every insights query filters a practice's rows by a time column; without these the heatmap
scanned every message ever stored and the period queries every appointment (bench/insights.py
measures a year of a 20-clinician practice: about 100k messages, 15k appointments).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_messages_author_created", "messages", ["author", "created_at"]),
    ("ix_conversations_practice_created", "conversations", ["practice_id", "created_at"]),
    ("ix_handoff_tickets_created", "handoff_tickets", ["created_at"]),
    ("ix_calls_practice_started", "calls", ["practice_id", "started_at"]),
    ("ix_appointments_practice_status_starts", "appointments", ["practice_id", "status", "starts_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
