"""The encryption keys: from INVOICEBOT_SECRET_KEYS, else a key file in the data dir, created mode 0600."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import redaction
from bot.settings import ConfigError, Settings
from core.encryption import Cipher, WrongKey
from core.models import Invoice, Profile

log = logging.getLogger(__name__)
KEY_FILE_NAME = "secret.key"


def load_cipher(settings: Settings) -> Cipher:
    keys = list(settings.secret_keys) or _key_file_keys(settings.data_dir / KEY_FILE_NAME)
    try:
        return Cipher(keys)
    except ValueError as exc:
        raise ConfigError(f"INVOICEBOT_SECRET_KEYS: {exc}.") from None


def _key_file_keys(path: Path) -> list[str]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(Cipher.new_key() + "\n")
            log.warning(
                "INVOICEBOT_SECRET_KEYS is not set: created a new encryption key in %s. Back it up: without it the "
                "payment details and tax ids in the database can't be read.", path
            )
    keys = [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    redaction.protect(*keys)
    if not keys:
        raise ConfigError(f"The key file {path} holds no key; restore it from your backup.")
    return keys


def _encrypted_values(session: Session):  # type: ignore[no-untyped-def]
    for column in (Profile.tax_id_enc, Profile.vat_id_enc, Profile.tax_number_enc):
        yield from session.scalars(select(column).where(column.is_not(None)).limit(1))
    yield from session.scalars(select(Profile.payment_enc).where(Profile.payment_enc.is_not(None)).limit(1))
    yield from session.scalars(select(Invoice.seller_enc).limit(1))


def verify_keys(sessions: sessionmaker[Session], cipher: Cipher) -> None:
    """Refuse to start with keys that can't read what is stored: never a silent mix of keys."""
    with sessions() as session:
        for token in _encrypted_values(session):
            try:
                cipher.decrypt(token)
            except WrongKey:
                raise ConfigError(
                    "The encryption keys (INVOICEBOT_SECRET_KEYS or the key file) can't decrypt the data in this "
                    "database. Put the key it was written with back in the list (newest first)."
                ) from None


def rotate_keys(sessions: sessionmaker[Session], cipher: Cipher) -> int:
    """Re-encrypt every secret under the newest key, in one transaction; returns how many values changed."""
    count = 0
    with sessions.begin() as session:
        for profile in session.scalars(select(Profile)):
            for field in ("tax_id_enc", "vat_id_enc", "tax_number_enc", "payment_enc"):
                token = getattr(profile, field)
                if token is not None:
                    setattr(profile, field, cipher.rotate(token))
                    count += 1
        for invoice in session.scalars(select(Invoice)):
            invoice.seller_enc = cipher.rotate(invoice.seller_enc)
            count += 1
    return count
