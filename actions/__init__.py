"""Custom actions for the Rasa action server (run with rasa_sdk from the app environment).

rasa_sdk imports every submodule of this package, which registers the actions.
"""
