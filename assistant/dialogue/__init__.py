"""The dialogue model's client: Rasa over HTTP (bot.py); the turn itself is conversation/pipeline.py."""
