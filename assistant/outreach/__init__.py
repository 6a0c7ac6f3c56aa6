"""Reaching out to clients: reminders and follow-ups (issue 11)."""
