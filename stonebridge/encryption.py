"""Fields encrypted at rest with the keys in FIELD_ENCRYPTION_KEY.

A worker's identity, contact details, words and voice are stored only as Fernet tokens. The
first key encrypts and every listed key decrypts (MultiFernet), so a key is rotated by putting a
new one first and running `manage.py rotate_field_key`. A token no listed key opens raises
`WrongKey`: a wrong key must stop the reader, never show ciphertext as if it were the text.
Encrypted columns cannot be searched or ordered by the database; nothing needs to.
"""

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class WrongKey(Exception):
    """A stored value that none of the configured keys decrypts."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken:
        raise WrongKey(
            "An encrypted value cannot be read with the keys in FIELD_ENCRYPTION_KEY."
        ) from None


def rotate(token: bytes) -> bytes:
    """The same value encrypted with the first key (for `rotate_field_key`)."""
    try:
        return fernet().rotate(token)
    except InvalidToken:
        raise WrongKey("A value cannot be re-encrypted: no configured key reads it.") from None


class EncryptedBinaryField(models.BinaryField):
    """Bytes (a voice message, a photo) kept encrypted; Python sees the plain bytes."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> bytes | None:
        if value is None:
            return None
        return decrypt(bytes(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        return super().get_db_prep_value(encrypt(bytes(value)), connection, prepared)


class EncryptedTextField(models.TextField):
    """Text kept encrypted; the empty string stays empty, so "not given" is visible without a
    key while its content is not."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value.encode("ascii")).decode("utf-8")

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None or value == "":
            return value
        return encrypt(str(value).encode("utf-8")).decode("ascii")

    def to_python(self, value: Any) -> Any:
        return value
