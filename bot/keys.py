"""The encryption keys: from INVOICEBOT_SECRET_KEYS, else a key file in the data dir, created mode 0600; the check
at start that they read every stored value; rotation to the newest key."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import column as sql_column
from sqlalchemy import func, select, table, text, update
from sqlalchemy.orm import Session, sessionmaker

from bot import redaction
from bot.private_files import private_file, private_folder
from bot.settings import ConfigError, Settings
from core.encryption import KEY_ID_LENGTH, Cipher, WrongKey, stored_key_id
from core.models import Base

log = logging.getLogger(__name__)
KEY_FILE_NAME = "secret.key"


def load_cipher(settings: Settings) -> Cipher:
    keys = list(settings.secret_keys) or _key_file_keys(settings.data_dir / KEY_FILE_NAME)
    try:
        return Cipher(keys)
    except ValueError as exc:
        raise ConfigError(f"INVOICEBOT_SECRET_KEYS: {exc}.") from None


def _key_file_keys(path: Path) -> list[str]:
    private_file(path)
    if not path.exists():
        private_folder(path.parent)
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


@dataclass(frozen=True)
class EncryptedColumn:
    """A column holding encrypted values, with its table's primary key (one column or several), as plain text
    columns."""

    table: str
    keys: tuple[str, ...]
    column: str

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"

    def columns(self):  # type: ignore[no-untyped-def]
        plain = table(self.table, *(sql_column(k) for k in self.keys), sql_column(self.column))
        return plain, [plain.c[k] for k in self.keys], plain.c[self.column]


def encrypted_columns() -> list[EncryptedColumn]:
    """Every column holding encrypted values: the models' ``*_enc`` columns (the inbox's request bodies and the
    answers kept with them included) and Slack's workspace tokens."""
    from adapters.slack.installation_tables import token_columns

    found = []
    for model_table in Base.metadata.sorted_tables:
        keys = tuple(c.name for c in model_table.primary_key.columns)
        for model_column in model_table.columns:
            if model_column.name.endswith("_enc") and keys:
                found.append(EncryptedColumn(model_table.name, keys, model_column.name))
    found += [EncryptedColumn(name, ("id",), column) for name, column in token_columns()]
    return found


def _stored(column: EncryptedColumn):  # type: ignore[no-untyped-def]
    plain, keys, value = column.columns()
    return plain, keys, value, value.is_not(None) & (value != "")


def _row_key(values: tuple[object, ...]) -> object:
    """A row's primary key as the operator reads it: the value itself, or the tuple of a composite key."""
    return values[0] if len(values) == 1 else values


def key_ids_in_use(session: Session) -> dict[str | None, dict[str, int]]:
    """How many stored values each key id holds, per column. None: values from before key ids were written.

    One statement of plain SQL, a grouped count per column joined by UNION ALL: every start runs it, and building
    and compiling a dozen SQLAlchemy statements cost ten times more than running them. The table and column names
    are the models' own, quoted by the dialect."""
    quote = session.get_bind().dialect.identifier_preparer.quote
    counts = []
    for column in encrypted_columns():
        value = quote(column.column)
        counts.append(
            f"SELECT '{column.name}', CASE WHEN substr({value}, {KEY_ID_LENGTH + 1}, 1) = ':' "
            f"THEN substr({value}, 1, {KEY_ID_LENGTH}) END, count(*) FROM {quote(column.table)} "
            f"WHERE {value} IS NOT NULL AND {value} <> '' GROUP BY 2"
        )
    found: dict[str | None, dict[str, int]] = {}
    for name, key_id_, count in session.execute(text(" UNION ALL ".join(counts))):
        found.setdefault(key_id_, {})[name] = count
    return found


def _unreadable_old_values(session: Session, cipher: Cipher) -> dict[str, list[object]]:
    """Values without a key id that no configured key opens (these must be tried one by one)."""
    unreadable: dict[str, list[object]] = {}
    for column in encrypted_columns():
        plain, keys, value, stored = _stored(column)
        old = stored & (func.substr(value, KEY_ID_LENGTH + 1, 1) != ":")
        for *row_key, token in session.execute(select(*keys, value).where(old).execution_options(yield_per=1000)):
            if stored_key_id(token) is None and not cipher.can_read(token):
                unreadable.setdefault(column.name, []).append(_row_key(tuple(row_key)))
    return unreadable


def verify_keys(sessions: sessionmaker[Session], cipher: Cipher) -> None:
    """Refuse to start unless the keys read every stored value: a key missing from the list would otherwise show
    only when its user asks for their invoice ("something went wrong")."""
    with sessions() as session:
        in_use = key_ids_in_use(session)
        missing = {kid: where for kid, where in in_use.items() if kid is not None and kid not in cipher.key_ids}
        old = _unreadable_old_values(session, cipher) if None in in_use else {}
    if not missing and not old:
        return
    parts = [f"{sum(where.values())} written with the key {kid} ({_listed(where)})" for kid, where in missing.items()]
    if old:
        parts.append(f"{sum(len(keys) for keys in old.values())} older ones that no configured key opens "
                     f"({_listed({name: len(keys) for name, keys in old.items()})})")
    raise ConfigError(
        "The encryption keys (INVOICEBOT_SECRET_KEYS or the key file) can't decrypt every value in this database: "
        f"{'; '.join(parts)}. Put the missing key back in the list (newest first); `invoicebot rotate-key` then "
        f"moves everything to the newest key. The configured keys are {', '.join(cipher.key_ids)} "
        "(`invoicebot key-id KEY` shows a key's id)."
    )


def _listed(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items())


@dataclass
class Rotation:
    changed: int = 0
    unreadable: dict[str, list[object]] = field(default_factory=dict)
    """Column → primary keys of the values no configured key opens (left as they were)."""


def rotate_keys(sessions: sessionmaker[Session], cipher: Cipher) -> Rotation:
    """Re-encrypt every stored value under the newest key, in one transaction; what can't be read is reported and
    left as it is, so the rest is still rotated."""
    rotation = Rotation()
    with sessions.begin() as session:
        for column in encrypted_columns():
            plain, keys, value, stored = _stored(column)
            rows = session.execute(select(*keys, value).where(stored)).all()
            for *row_key, token in rows:
                try:
                    rotated = cipher.rotate(token)
                except WrongKey:
                    rotation.unreadable.setdefault(column.name, []).append(_row_key(tuple(row_key)))
                    continue
                if rotated != token:
                    match = [key == part for key, part in zip(keys, row_key, strict=True)]
                    session.execute(update(plain).where(*match).values({column.column: rotated}))
                    rotation.changed += 1
    return rotation
