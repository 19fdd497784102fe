"""Encryption at rest of payment instructions and tax ids: Fernet tokens under a key list, newest key first.

Decryption tries every key, so keys can be rotated: add a new key in front, run ``invoicebot rotate-key``, and
drop the old key once everything is re-encrypted.
"""
from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class WrongKey(Exception):
    """Stored data can't be decrypted with the configured keys."""


class Cipher:
    def __init__(self, keys: Sequence[str | bytes]) -> None:
        if not keys:
            raise ValueError("at least one encryption key is needed")
        try:
            self._fernet = MultiFernet([Fernet(k) for k in keys])
        except (ValueError, TypeError) as exc:
            raise ValueError(
                "an encryption key is malformed: each must be 32 url-safe base64-encoded bytes "
                "(make one with `invoicebot new-key`)"
            ) from exc

    @staticmethod
    def new_key() -> str:
        return Fernet.generate_key().decode()

    def encrypt(self, plaintext: str | None) -> str | None:
        if plaintext is None:
            return None
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str | None) -> str | None:
        if token is None:
            return None
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise WrongKey(
                "stored data can't be decrypted with the configured keys (INVOICEBOT_SECRET_KEYS or the key file)"
            ) from None

    def rotate(self, token: str | None) -> str | None:
        """The same plaintext re-encrypted under the newest key."""
        if token is None:
            return None
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken:
            raise WrongKey("stored data can't be decrypted with the configured keys") from None
