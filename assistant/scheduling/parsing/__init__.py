"""Small readers for what clients type during scheduling and verification.

`parse_choice`          "2", "the second one", "the 3pm one"  -> which offered option  (choice.py)
`parse_date_of_birth`   "4/12/90", "april 12 1990"            -> a date                 (birth_date.py)
`normalize_name`        "jordan  LEE." == "Jordan Lee" for comparisons               (identity.py)
`split_identity`        "Jordan Lee 4/12/1990"                -> (name, date of birth)  (identity.py)
"""

from assistant.scheduling.parsing.birth_date import parse_date_of_birth
from assistant.scheduling.parsing.choice import parse_choice
from assistant.scheduling.parsing.identity import normalize_name, split_identity

__all__ = ["normalize_name", "parse_choice", "parse_date_of_birth", "split_identity"]
