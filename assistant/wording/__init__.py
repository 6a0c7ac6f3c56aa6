"""Client-facing wording and formats."""
