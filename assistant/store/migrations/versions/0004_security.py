"""Security round: a client-only copy of texts that carry a secret, and an index for
counting audit events per subject (verification attempts per client).

`messages.client_text` holds what is delivered to the client when it carries a
secret (a one-time link or code); `messages.text` then holds the masked version
that reps, exports and logs see.  The client copy is blanked once it is delivered
(SMS) and is never read by a rep-facing view.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("client_text", sa.Text(), nullable=True))
    op.create_index("ix_audit_events_subject", "audit_events",
                    ["subject_type", "subject_id", "action", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_subject", table_name="audit_events")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("client_text")
