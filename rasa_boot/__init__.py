"""Start-up hook for the Rasa server (runs in .venv-rasa only; nothing in .venv imports it).

`.venv-rasa/bin/python -m rasa_boot run <rasa run arguments>` applies the patches below and
then hands over to Rasa's own command line, so the served process is Rasa plus these fixes.
"""
