"""The scheduling store: typed models, engine/session handling, migrations."""
