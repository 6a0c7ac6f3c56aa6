"""Insights' daily roll-ups: settled days counted once instead of on every request.

`insight_days` lists the practice-local days already rolled up (with the zone they were cut
in); `insight_day_counts` holds their counts: conversations by channel, client messages by
weekday and hour, and containment outcomes (services/insights/rollups.py).  The insights page
reads a period's rolled-up days from here and computes only the rest (the last few days,
whose contacts are not all judged yet) from the messages.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "insight_days",
        sa.Column("practice_id", sa.Integer(), sa.ForeignKey("practices.id"), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("rolled_up_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "insight_day_counts",
        sa.Column("practice_id", sa.Integer(), sa.ForeignKey("practices.id"), primary_key=True),
        sa.Column("metric", sa.String(32), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("channel", sa.String(8), primary_key=True),
        sa.Column("item", sa.String(16), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("insight_day_counts")
    op.drop_table("insight_days")
