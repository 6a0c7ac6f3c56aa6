"""Indexes for reading a conversation's messages and a client's sessions in order (insights).

Insights' containment cuts each SMS thread into contacts by silence (a window over the
thread's messages in time order) and asks of every web chat and call whether the client
wrote in it. With messages indexed by conversation alone, SQLite read every message of the
period from the table, on every channel, and sorted them; `(conversation_id, created_at,
author)` answers both from the index. It replaces `ix_messages_conversation_id`, its prefix.
The heatmap of client messages read each message's row for its conversation (to keep one
practice's): `ix_messages_author_created` gains `conversation_id`, which halved it.
Retention asks, for each client seen lately, whether a later session is booked: with
appointments indexed by client alone it read all of a client's sessions, past ones first;
`(client_id, starts_at)` goes straight to the later ones (5.4 ms -> 1.5 ms a point).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_messages_conversation_created", "messages", ["conversation_id", "created_at", "author"])
    op.drop_index("ix_messages_conversation_id", table_name="messages")
    op.create_index(
        "ix_messages_author_created_conversation", "messages", ["author", "created_at", "conversation_id"]
    )
    op.drop_index("ix_messages_author_created", table_name="messages")
    op.create_index("ix_conversations_practice_channel", "conversations", ["practice_id", "channel"])
    op.create_index("ix_appointments_client_starts", "appointments", ["client_id", "starts_at"])
    op.drop_index("ix_appointments_client_id", table_name="appointments")


def downgrade() -> None:
    op.create_index("ix_appointments_client_id", "appointments", ["client_id"])
    op.drop_index("ix_appointments_client_starts", table_name="appointments")
    op.drop_index("ix_conversations_practice_channel", table_name="conversations")
    op.create_index("ix_messages_author_created", "messages", ["author", "created_at"])
    op.drop_index("ix_messages_author_created_conversation", table_name="messages")
    op.create_index("ix_messages_conversation_id", "messages", ["conversation_id"])
    op.drop_index("ix_messages_conversation_created", table_name="messages")
