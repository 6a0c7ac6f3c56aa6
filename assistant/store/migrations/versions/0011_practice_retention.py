"""How long a practice keeps the dialogue model's conversation state.

Rasa's tracker events hold every turn, message text included, and Rasa never deletes them.
`practices.dialogue_retention_days` is the practice's own limit (default 30, 1 to 3650):
assistant/services/tracker_retention.py deletes each conversation's events older than its
practice's setting. Events of no known conversation keep the deployment's
TRACKER_RETENTION_DAYS.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("practices") as batch:
        batch.add_column(sa.Column("dialogue_retention_days", sa.Integer(), nullable=False, server_default="30"))
        batch.create_check_constraint(
            "ck_practices_dialogue_retention_days", "dialogue_retention_days BETWEEN 1 AND 3650"
        )


def downgrade() -> None:
    with op.batch_alter_table("practices") as batch:
        batch.drop_constraint("ck_practices_dialogue_retention_days", type_="check")
        batch.drop_column("dialogue_retention_days")
