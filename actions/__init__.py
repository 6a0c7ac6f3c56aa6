"""Custom actions for the Rasa action server (run with rasa_sdk from the app environment).

rasa_sdk imports every submodule of this package, which registers the actions.
"""

import os as _os

from assistant.logs import configure as _configure_logging

# The action server process logs the same JSON lines as the gateway, request ids included.
_configure_logging(_os.environ.get("LOG_LEVEL", "INFO"))
