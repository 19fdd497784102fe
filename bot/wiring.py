"""Builds the core from the settings: engine, schema check, keys, clock."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.keys import load_cipher
from bot.keys import verify_keys as check_keys
from bot.private_files import private_file, private_folder
from bot.settings import ConfigError, Settings
from core.app import Core
from core.context import Clock
from core.encryption import Cipher
from core.storage import create_db_engine, migrate, newest_revision, schema_revision, session_factory
from core.tax_ids import split_legacy_tax_ids

if TYPE_CHECKING:  # the SMTP and e-mail machinery loads only where SMTP_URL is set
    from core.mailer import Mailer

log = logging.getLogger(__name__)


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    core: Core

    def close(self) -> None:
        self.engine.dispose()


def open_database(settings: Settings) -> Engine:
    """The engine; the embedded SQLite database migrates itself, PostgreSQL must be at the newest revision."""
    if settings.embedded:
        private_folder(settings.data_dir)
        protect_database_files(settings.database_url)
    engine = create_db_engine(settings.database_url)
    if settings.embedded:
        migrate(engine)
    else:
        _require_current_schema(engine)
    return engine


def protect_database_files(url: str) -> None:
    """The SQLite file and its WAL and shared-memory companions, 0600 (new ones are, by the umask)."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if database and database != ":memory:":
        for suffix in ("", "-wal", "-shm"):
            private_file(Path(database + suffix))


def _require_current_schema(engine: Engine) -> None:
    head, current = newest_revision(), schema_revision(engine)
    if current != head:
        raise ConfigError(f"The database schema is at {current or 'nothing'}, not {head}: run `invoicebot migrate`.")


def build_core(sessions: sessionmaker[Session], cipher: Cipher, clock: Clock, default_tz: str = "UTC",
               mailer: Mailer | None = None) -> Core:
    """The core with the chat's command table, plain text going to the work logger."""
    from core.commands import COMMANDS, PLAIN_TEXT

    return Core(sessions, cipher, clock, commands=COMMANDS, plain_text=PLAIN_TEXT, default_tz=default_tz,
                mailer=mailer)


def build_mailer(settings: Settings, sessions: sessionmaker[Session], cipher: Cipher, clock: Clock) -> Mailer | None:
    """E-mail to clients over ``SMTP_URL``; None when it isn't set."""
    config = settings.smtp()
    if config is None:
        return None
    from core.mail import MailSetup
    from core.mailer import Mailer
    from core.smtp import SmtpTransport

    if config.security == "off" and not config.is_local:
        log.warning("SMTP_URL has tls=off for %s, which is not this machine: e-mails (with invoices in them) "
                    "cross the network unencrypted. tls=off is meant for a relay on this machine.", config.where)
    return Mailer(sessions, cipher, clock, SmtpTransport(config),
                  setup=MailSetup(server=config.where, mail_from=settings.mail_from))


def build_runtime(settings: Settings, clock=system_clock, *, verify_keys: bool = True) -> Runtime:  # type: ignore[no-untyped-def]
    engine = open_database(settings)
    sessions = session_factory(engine)
    cipher = load_cipher(settings)
    if verify_keys:
        check_keys(sessions, cipher)
        split_legacy_tax_ids(sessions, cipher)  # needs the keys, so it can't be a migration; a no-op once done
    core = build_core(sessions, cipher, clock, default_tz=settings.default_tz,
                      mailer=build_mailer(settings, sessions, cipher, clock))
    return Runtime(settings, engine, sessions, core)
