"""Live updates for open screens: wake on PostgreSQL NOTIFY, or poll (SQLite)."""
