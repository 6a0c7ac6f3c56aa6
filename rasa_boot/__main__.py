"""`python -m rasa_boot <rasa arguments>`: apply the start-up patches, then run Rasa's CLI."""

from __future__ import annotations

import sys

from rasa_boot import schema_cache


def main() -> None:
    schema_cache.install()
    from rasa.__main__ import main as rasa_main

    # Rasa's CLI reads sys.argv; present ourselves as the `rasa` script it expects.
    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
