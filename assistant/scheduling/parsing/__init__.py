"""Small readers for what clients type during scheduling and verification.

`parse_choice`          "2", "the second one", "the 3pm one"  -> which offered option  (choice.py)
`read_choice`           "friday's" with two Friday times      -> the options it could mean (choice.py)
`split_requests`        "cancel thursday and book next week"  -> two requests, in order  (requests.py)
`asks_how_we_meet`      "is that by video?"                   -> a question about modality (requests.py)
`parse_date_of_birth`   "4/12/90", "april 12 1990"            -> a date                 (birth_date.py)
`normalize_name`        "jordan  LEE." == "Jordan Lee" for comparisons               (identity.py)
`split_identity`        "Jordan Lee 4/12/1990"                -> (name, date of birth)  (identity.py)
"""

from assistant.scheduling.parsing.birth_date import parse_date_of_birth
from assistant.scheduling.parsing.choice import parse_choice, read_choice
from assistant.scheduling.parsing.identity import normalize_name, split_identity
from assistant.scheduling.parsing.requests import Request, asks_how_we_meet, split_requests, task_of

__all__ = [
    "Request",
    "asks_how_we_meet",
    "normalize_name",
    "parse_choice",
    "parse_date_of_birth",
    "read_choice",
    "split_identity",
    "split_requests",
    "task_of",
]
