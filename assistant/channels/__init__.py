"""Channels clients reach the practice through (web chat lives in api/routes/chat.py)."""
