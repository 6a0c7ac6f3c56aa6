"""The web chat channel: the widget reads replies from the transcript."""
