"""A safety check-in the bot asked and the client has not answered yet.

When the dialogue model reads a message as a crisis but the rule screen cleared it (a
figure of speech such as "this portal is killing me"), the bot asks "are you safe right
now?" (with 988 and 911) instead of opening the full crisis protocol; docs/crisis.md.
The client's next message is the answer, so the conversation remembers:

- `conversations.safety_check_at`: when the bot last asked (kept after an answer that was
  neither yes nor no, so a second crisis reading soon after goes to the full protocol);
- `conversations.safety_check_pending`: the next client message answers the check-in;
- `conversations.safety_check_resume`: the task the same message also asked for (an
  intent name, never message text), carried on once the client says they are safe.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("safety_check_at", UTC_DATETIME, nullable=True))
        batch.add_column(sa.Column("safety_check_pending", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("safety_check_resume", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("safety_check_resume")
        batch.drop_column("safety_check_pending")
        batch.drop_column("safety_check_at")
