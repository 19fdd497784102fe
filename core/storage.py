"""Engines, sessions and schema upgrades for SQLite (the embedded default) and PostgreSQL (production)."""
from __future__ import annotations

import gc
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from time import monotonic, sleep
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

SQLITE_BUSY_TIMEOUT_MS = 15_000
READ_ONLY = "invoicebot_read_only"
"""The execution option of :func:`reading`'s connection."""
BEGIN_RETRY_SECONDS = 0.001
"""How often a writer waiting for SQLite's write lock tries again (see :func:`_begin_immediate`)."""
STALE_PAUSE_SECONDS = 1.0
"""A writer of this process that has waited this long for the lock lets the paused garbage collector run."""


def create_db_engine(url: str, **kwargs: object) -> Engine:
    """An engine with the settings this project relies on.

    SQLite: WAL (readers don't block the writer), a busy timeout, foreign keys on, and every transaction opened
    with BEGIN IMMEDIATE, so two writers queue up on the lock instead of failing when a read turns into a write.
    ``secure_delete`` overwrites what is deleted with zeros: a deleted client's name or an erased account's
    (/forget me) is gone from the file, not left in free pages for anyone who copies it.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
        _configure_sqlite(engine, in_memory=parsed.database in (None, "", ":memory:"))
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
        # Without SQLite's busy handler from here on (the pragmas above waited with the connection's timeout): a
        # writer waits in its BEGIN's own loop (_begin_immediate), after which no statement of its transaction can
        # meet a lock in WAL mode; a reader waits with SQLite's handler while it reads (see _on_begin).
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.close()

    turn = threading.Lock()  # this engine's threads try for SQLite's write lock one at a time

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            _busy_timeout(connection, SQLITE_BUSY_TIMEOUT_MS)
            connection.exec_driver_sql("BEGIN")  # deferred: a reader takes no lock and waits for no writer (WAL)
        else:
            _begin_immediate(connection, turn)
            _COLLECTOR.pause(connection.info)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection: Connection) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            _busy_timeout(connection, 0)
        _COLLECTOR.resume(connection.info)

    @event.listens_for(engine, "checkin")
    @event.listens_for(engine, "invalidate")
    def _on_return(_dbapi_connection: Any, record: Any, *_: Any) -> None:
        if record is not None:  # a transaction that ended without commit or rollback (a lost connection)
            _COLLECTOR.resume(record.info)


def _begin_immediate(connection: Connection, turn: threading.Lock) -> None:
    """BEGIN IMMEDIATE, tried again every :data:`BEGIN_RETRY_SECONDS` until the busy timeout has passed.

    SQLite's own busy handler naps on a back-off schedule (1, 2, 5, 10 … then 100 ms a nap), so a writer queued
    behind a 150 ms transaction could sleep on for tens of milliseconds after the lock was free, while a newcomer
    took it. Trying again at a fine interval ends each wait just after the release. One thread of the process
    tries at a time (``turn``, held until its BEGIN is done, never during its transaction): the others wait for
    their turn without taking CPU from the lock's holder. Only this BEGIN goes without SQLite's handler; after the
    timeout it is SQLite's own "database is locked", as before. The connection has no busy handler of SQLite's
    (set at connect), so a BEGIN that finds the lock free costs nothing more than the BEGIN. A wait past :data:`STALE_PAUSE_SECONDS` lets the
    garbage collector run once (see :meth:`_PausedCollector.collect_if_stuck`).
    """
    raw = connection.connection.dbapi_connection
    assert raw is not None
    started = monotonic()
    deadline = started + SQLITE_BUSY_TIMEOUT_MS / 1000
    my_turn = turn.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    collected = False
    try:
        while my_turn and monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.Error as exc:
                if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
                    break  # raised below, as SQLAlchemy reports any other failure of BEGIN
            if not collected and monotonic() - started > STALE_PAUSE_SECONDS:
                _COLLECTOR.collect_if_stuck()
                collected = True
            sleep(BEGIN_RETRY_SECONDS)
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the last try: SQLite's own error if still locked
    finally:
        if my_turn:
            turn.release()


def _busy_timeout(connection: Connection, milliseconds: int) -> None:
    raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.execute(f"PRAGMA busy_timeout={milliseconds}")


@contextmanager
def waiting_for_locks(raw: Any) -> Iterator[None]:
    """Statements on the raw SQLite connection ``raw`` (outside any transaction) wait for locks with SQLite's busy
    handler, up to the busy timeout; the connection goes back to the pool without it, as every connection is."""
    raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    try:
        yield
    finally:
        raw.execute("PRAGMA busy_timeout=0")


class _PausedCollector:
    """Python's cyclic garbage collector, paused while a thread of this process holds a SQLite write lock.

    A worker that has drawn invoices holds some 180,000 objects (fonts, the PDF and XML stacks), and a full
    collection of them takes 100–200 ms: started inside a transaction (by whatever allocation crosses the
    threshold), it held every other writer up that long (bench/bench_invoice_contention.py). Paused there, it runs
    just after the commit instead. Only cycles wait: reference counting frees everything else as before.

    A transaction whose session was dropped without being closed ends only when the collector finalizes it, so
    paused for it, the collector would never run and the lock never go: a writer of this process that has waited
    :data:`STALE_PAUSE_SECONDS` runs a collection (:meth:`collect_if_stuck`), which ends such a transaction.
    """

    def __init__(self) -> None:
        self._guard = threading.RLock()  # re-entered when a collection finalizes a connection inside pause/resume
        self._holders = 0
        self._resume = False

    def pause(self, info: dict[Any, Any]) -> None:
        with self._guard:
            if info.get(_PAUSED):
                return
            info[_PAUSED] = True
            if self._holders == 0:
                self._resume = gc.isenabled()  # a program that turned it off itself keeps it off
                gc.disable()
            self._holders += 1

    def resume(self, info: dict[Any, Any]) -> None:
        with self._guard:
            if not info.pop(_PAUSED, False):
                return
            self._holders -= 1
            if self._holders == 0 and self._resume:
                gc.enable()

    def collect_if_stuck(self) -> None:
        """Collect now if this process has paused the collector: what it holds up may be the lock's holder."""
        with self._guard:
            if self._holders == 0 or not self._resume:
                return
        gc.collect()  # finalizes an abandoned transaction (its rollback resumes the collector); else harmless


_PAUSED = "invoicebot_collector_paused"
_COLLECTOR = _PausedCollector()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any exception. Services never commit; this does."""
    with sessions.begin() as session:
        yield session


@contextmanager
def reading(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction that only reads and is rolled back: on SQLite it takes no write lock, so it holds up no writer
    and waits for none (it reads the last commit). Work done in it is a head start, to be confirmed by a writer."""
    with sessions(autoflush=False) as session:
        session.connection(execution_options={READ_ONLY: True})
        try:
            yield session
        finally:
            session.rollback()


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def newest_revision() -> str:
    """The newest migration's revision, without loading alembic: migrations are ``NNNN_name.py`` with revision
    ``"NNNN"``, one after the other (tests/test_migrations.py checks that alembic's own head agrees)."""
    names = [entry.name for entry in resources.files("migrations").joinpath("versions").iterdir()]
    return max(name[:4] for name in names if name[:4].isdigit() and name.endswith(".py"))


def schema_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; safe to run again (a schema at head costs one query, no alembic)."""
    if schema_revision(engine) == newest_revision():
        return
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
