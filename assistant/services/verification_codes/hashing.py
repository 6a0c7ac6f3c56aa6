"""A verification code as a secret: six digits from `secrets`, kept only as an argon2 hash,
and checked with the same work whether or not a code was ever sent."""

from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id minimum: fast enough per request, costly to brute-force 10^6 codes offline.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def hash_code(code: str) -> str:
    return _hasher.hash(code)


@functools.cache
def dummy_hash() -> str:
    """A hash to check against when no code was sent, so both paths cost the same (made once)."""
    return _hasher.hash(new_code())


def matches(code_hash: str, code: str) -> bool:
    try:
        return _hasher.verify(code_hash, code)
    except (VerificationError, InvalidHashError):
        return False
