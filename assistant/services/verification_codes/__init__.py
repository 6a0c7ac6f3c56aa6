"""One-time codes texted to the mobile on file: the stronger way to verify a web chat.

A code is six digits from `secrets`, kept only as an argon2 hash, valid for ten
minutes and bound to one conversation.  Wrong guesses are counted across every
code of the conversation (asking for a new code does not reset them); after five
a person takes over.  Whether the name and date of birth matched is never told
to the requester: the same answer comes back either way, in about the same time.

Per client, across conversations, identity_guard caps how many codes are texted
and how many wrong codes are tried before that client's codes stop working.

hashing.py keeps the code secret, history.py counts what a conversation has done so far,
request.py texts a code, check.py checks one.
"""

from assistant.services.verification_codes.check import CodeCheck, CodeOutcome, check_code
from assistant.services.verification_codes.hashing import new_code
from assistant.services.verification_codes.history import (
    FAILURE_EVENT,
    MAX_CODE_ATTEMPTS,
    MAX_CODE_REQUESTS,
    REQUEST_EVENT,
)
from assistant.services.verification_codes.request import (
    CODE_SENT_NOTICE,
    CODE_TTL,
    TooManyCodeRequests,
    code_text,
    request_code,
)

__all__ = [
    "CODE_SENT_NOTICE",
    "CODE_TTL",
    "FAILURE_EVENT",
    "MAX_CODE_ATTEMPTS",
    "MAX_CODE_REQUESTS",
    "REQUEST_EVENT",
    "CodeCheck",
    "CodeOutcome",
    "TooManyCodeRequests",
    "check_code",
    "code_text",
    "new_code",
    "request_code",
]
