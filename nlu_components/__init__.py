"""Rasa NLU components of this project (loaded by Rasa from .venv-rasa; nothing in .venv
imports them): Rasa finds them by module path because it runs from the project root."""
