"""A lease on an accepted client message, so only one gateway process answers it.

`messages.lease_until` / `messages.leased_by`: whoever handles an inbound message
(the SMS worker, the web chat request, recovery after a restart) first claims it with
a conditional UPDATE ... WHERE status = 'received' AND the lease is free or expired;
a crashed worker's lease simply runs out and recovery takes the message over.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("lease_until", UTC_DATETIME, nullable=True))
        batch.add_column(sa.Column("leased_by", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("leased_by")
        batch.drop_column("lease_until")
