"""Shared fixtures: databases (SQLite always, PostgreSQL when INVOICEBOT_TEST_DATABASE_URL is set), a fixed clock,
a Core, and a conversation helper that talks to it like a user."""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from tests import netguard

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_proxy, None)
netguard.install()

# Timings belong in bench/, not in tests: no hypothesis example fails for being slow on a loaded machine.
settings.register_profile("invoicebot", deadline=None)
settings.load_profile("invoicebot")

PG_URL_VARIABLE = "INVOICEBOT_TEST_DATABASE_URL"
TEST_KEY = "q9Q3bJ0H9s7vGQ1f3a0uC1mX1o2Q3c4Yb5Zr6Vt7Wu8="
SUMMARY = pytest.StashKey[list[str]]()
"""Lines a test leaves for the end of the run (e.g. how many documents the EN 16931 Schematron checked)."""


def _pg_url() -> str | None:
    url = os.environ.get(PG_URL_VARIABLE, "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            raise pytest.UsageError(f"CI=true but {PG_URL_VARIABLE} is not set: the suite must also run on PostgreSQL.")
        return None
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    lines = config.stash.get(SUMMARY, [])
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)


def database_kinds() -> list[str]:
    return ["sqlite", "postgresql"] if _pg_url() else ["sqlite"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_kind" in metafunc.fixturenames:
        metafunc.parametrize("db_kind", database_kinds(), scope="session")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per test session; each test gets a copy (migrating per test is slow)."""
    from core.storage import create_db_engine, migrate

    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (so parallel runs don't collide), dropped at the end."""
    from sqlalchemy import create_engine

    from core.storage import create_db_engine, migrate

    base = _pg_url()
    assert base is not None
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"invoicebot_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # unreachable PostgreSQL must fail the run, never skip it
        pytest.fail(f"PostgreSQL at {PG_URL_VARIABLE} is unreachable: {exc}", pytrace=False)
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    migrate(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database of the parametrized kind."""
    if db_kind == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "invoicebot.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("pg_database")
    yield url
    from sqlalchemy import create_engine

    from core.models import Base

    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def blank_database_url(db_kind: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the parametrized kind, not migrated: for tests that migrate step by step with data."""
    if db_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank.db'}"
        return
    from sqlalchemy import create_engine

    base = _pg_url()
    assert base is not None
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"invoicebot_blank_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def migrate_to(engine: Engine, revision: str) -> None:
    """Upgrade (or downgrade) the schema to one revision, as `alembic upgrade REVISION` would."""
    from alembic import command

    from core.storage import alembic_config

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    from core.storage import create_db_engine

    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@dataclass
class FixedClock:
    """The injected clock: stands still until a test moves it."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 24, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def set(self, iso: str) -> None:
        self.now = datetime.fromisoformat(iso)

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def cipher():  # type: ignore[no-untyped-def]
    from core.encryption import Cipher

    return Cipher([TEST_KEY])


@pytest.fixture
def sessions(engine: Engine):  # type: ignore[no-untyped-def]
    from core.storage import session_factory

    return session_factory(engine)


@pytest.fixture
def core(sessions, cipher, clock):  # type: ignore[no-untyped-def]
    from bot.wiring import build_core

    return build_core(sessions, cipher, clock, default_tz="Europe/Berlin")


class Conversation:
    """A user talking to the core, errbot-testbot style: ``say`` returns the reply."""

    def __init__(self, core, user: str = "alice", platform: str = "local", private: bool = True) -> None:  # type: ignore[no-untyped-def]
        self.core = core
        self.user = user
        self.platform = platform
        self.private = private

    def say(self, text: str, message_id: str | None = None):  # type: ignore[no-untyped-def]
        from core.messages import Incoming

        return self.core.handle(Incoming(platform=self.platform, user_id=self.user, chat_id=self.user, text=text,
                                         message_id=message_id, is_private=self.private))

    def text(self, message: str) -> str:
        reply = self.say(message)
        assert reply is not None
        return reply.text

    def invoice(self, message: str):  # type: ignore[no-untyped-def]
        """Send ``/invoice …``; when the bot first asks about missing details (no payment details, no country for
        the e-invoice), answer "Issue anyway" and return what that issued."""
        reply = self.say(message)
        assert reply is not None
        asked = reply.document is None and len(reply.actions) == 2 and all(
            action.command.startswith("/pick ") for action in reply.actions)
        return self.say(reply.actions[0].command) if asked else reply  # "Issue anyway", in any language


SELLER_PROFILE = ("/profile set name Jane Doe Design", "/profile set address Hauptstr. 1 | 10115 Berlin",
                  "/profile set country DE", "/profile set vat_id DE123456788",
                  "/profile set payment IBAN DE89 3704 0044 0532 0130 00 | BIC COBADEFFXXX")
"""A profile an invoice needs nothing more of: /invoice issues at once, with the e-invoice inside."""


@pytest.fixture
def chat(core) -> Conversation:  # type: ignore[no-untyped-def]
    return Conversation(core)


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    """A real SMTP server on 127.0.0.1 (no TLS, no login) for the tests that read the e-mails it received; aiosmtpd is
    imported only by the tests that ask for it."""
    from tests.mail_server import smtp_server

    with smtp_server() as running:
        yield running


def insert_alice_and_acme(connection) -> None:  # type: ignore[no-untyped-def]
    """For migration tests with data: account 7's profile, the local identity "alice" and client 3 "ACME" (EUR 80/h),
    as rows of the early schema (the account row itself differs between revisions: the caller inserts it)."""
    connection.execute(text("INSERT INTO profiles (account_id, currency, tax_rate, terms_days, number_format, "
                            "locale) VALUES (7, 'EUR', '0', 30, 'INV-{year}-{seq:04}', 'en_GB')"))
    connection.execute(text("INSERT INTO identities (platform, platform_user_id, account_id, created_at) "
                            "VALUES ('local', 'alice', 7, '2026-11-01 09:00:00')"))
    connection.execute(text("INSERT INTO clients (id, account_id, name, name_key, rate, currency, archived, "
                            "created_at) VALUES (3, 7, 'ACME', 'acme', '80', 'EUR', false, '2026-11-01 09:00:00')"))
