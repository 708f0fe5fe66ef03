"""Receipt codes: how a worker without an account finds their case again.

A receipt is the 6-digit case number and 12 random secret digits. Only an Argon2id hash of the
secret is stored, so the database alone cannot open a case; after 5 wrong secrets the case locks
for an hour, which makes guessing 10^12 secrets hopeless without tracking who guesses.
"""

import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

SECRET_DIGITS = 12
WRONG_SECRETS_BEFORE_LOCK = 5
LOCK = timedelta(hours=1)

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters


def new_number() -> str:
    return f"{secrets.randbelow(900_000) + 100_000}"


def new_secret() -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(SECRET_DIGITS))


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def secret_matches(secret_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def grouped(digits: str) -> str:
    """12 digits as three groups of four, easier to copy down: 4821 0937 5512."""
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def digits_only(typed: str) -> str:
    """What the worker typed, without spaces, dashes or full-width digits' differences."""
    normalised = typed.translate({0xFF10 + d: str(d) for d in range(10)})
    return "".join(ch for ch in normalised if ch.isascii() and ch.isdigit())
