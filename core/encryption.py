"""Encryption at rest of payment instructions, tax ids and workspace tokens: Fernet tokens under a key list, newest
key first.

Each stored value is ``KEYID:TOKEN``: the Fernet token, after the id of the key that wrote it (8 hex digits of an
HMAC of the key, which tells nothing about the key). Fernet tokens carry no key id of their own, and the id is
what lets the start-up check find every key in use with one grouped query per column instead of decrypting every
row, and lets a read go straight to the right key. Values written before ids existed (a bare Fernet token) are
still read, by trying every key.

Keys can be rotated: add a new key in front, run ``invoicebot rotate-key``, and drop the old key once everything
is re-encrypted.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # cryptography loads at the first value encrypted or decrypted: a start reads none (key ids only)
    from cryptography.fernet import Fernet, MultiFernet

KEY_ID_LENGTH = 8
_KEY_ID = re.compile(r"[0-9a-f]{8}")

class WrongKey(Exception):
    """Stored data can't be decrypted with the configured keys."""


def key_id(key: str | bytes) -> str:
    """The short id written in front of every value a key encrypts; ValueError for what is not a key (checked as
    Fernet checks it: 32 url-safe base64-encoded bytes)."""
    raw = base64.urlsafe_b64decode(key.encode() if isinstance(key, str) else key)
    if len(raw) != 32:
        raise ValueError("a Fernet key is 32 url-safe base64-encoded bytes")
    return hmac.new(raw, b"invoicebot key id", hashlib.sha256).hexdigest()[:KEY_ID_LENGTH]


def stored_key_id(value: str) -> str | None:
    """The id of the key a stored value was written with; None for a value from before ids were written."""
    head = value[:KEY_ID_LENGTH]
    if len(value) > KEY_ID_LENGTH and value[KEY_ID_LENGTH] == ":" and _KEY_ID.fullmatch(head):
        return head
    return None


class Cipher:
    def __init__(self, keys: Sequence[str | bytes]) -> None:
        if not keys:
            raise ValueError("at least one encryption key is needed")
        try:
            ids = [key_id(k) for k in keys]
        except (ValueError, TypeError) as exc:  # binascii.Error (not base64) is a ValueError
            raise ValueError(
                "an encryption key is malformed: each must be 32 url-safe base64-encoded bytes "
                "(make one with `invoicebot new-key`)"
            ) from exc
        self._keys = list(keys)
        self._ids = ids
        self._newest_id = ids[0]

    @cached_property
    def _by_id(self) -> dict[str, Fernet]:
        from cryptography.fernet import Fernet

        by_id: dict[str, Fernet] = {}
        for kid, key in zip(self._ids, self._keys, strict=True):
            by_id.setdefault(kid, Fernet(key))
        return by_id

    @cached_property
    def _newest(self) -> Fernet:
        return self._by_id[self._newest_id]

    @cached_property
    def _any(self) -> MultiFernet:
        from cryptography.fernet import MultiFernet

        return MultiFernet([self._by_id[kid] for kid in self._ids])

    @staticmethod
    def new_key() -> str:
        """A new random key, as Fernet's ``generate_key`` makes one: 32 random bytes, url-safe base64."""
        return base64.urlsafe_b64encode(os.urandom(32)).decode()

    @property
    def key_ids(self) -> tuple[str, ...]:
        """The ids of the configured keys."""
        return tuple(dict.fromkeys(self._ids))

    @property
    def newest_key_id(self) -> str:
        return self._newest_id

    def encrypt(self, plaintext: str | None) -> str | None:
        if plaintext is None:
            return None
        return self.encrypt_bytes(plaintext.encode())

    def decrypt(self, value: str | None) -> str | None:
        if value is None:
            return None
        return self.decrypt_bytes(value).decode()

    def encrypt_bytes(self, data: bytes) -> str:
        """``data`` as a stored value (a request body kept in the inbox need not be text)."""
        return f"{self._newest_id}:{self._newest.encrypt(data).decode()}"

    def decrypt_bytes(self, value: str) -> bytes:
        from cryptography.fernet import InvalidToken

        kid = stored_key_id(value)
        fernet = self._any if kid is None else self._by_id.get(kid)
        try:
            if fernet is None:
                raise InvalidToken
            return fernet.decrypt(value[KEY_ID_LENGTH + 1:] if kid else value)
        except InvalidToken:
            raise WrongKey(
                "stored data can't be decrypted with the configured keys (INVOICEBOT_SECRET_KEYS or the key file)"
            ) from None

    def can_read(self, value: str) -> bool:
        try:
            self.decrypt(value)
        except WrongKey:
            return False
        return True

    def rotate(self, value: str | None) -> str | None:
        """The same plaintext under the newest key (the value itself when it is already); WrongKey if unreadable."""
        if value is None:
            return None
        if stored_key_id(value) == self._newest_id and self.can_read(value):
            return value
        return self.encrypt(self.decrypt(value))
