"""SQLite writers queue on BEGIN IMMEDIATE: a waiting writer tries again at a fine interval, so it takes the lock
at its first try after the release (not after a nap of SQLite's back-off); one thread of a process tries at a time;
a writer still gives up with SQLite's "database is locked" once the busy timeout has passed."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from core import storage


@pytest.fixture
def holder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Engine, Connection]]:
    """An engine on a SQLite file and a connection of it holding the write lock (a row inserted, not committed)."""
    monkeypatch.setattr(storage, "SQLITE_BUSY_TIMEOUT_MS", 2_000)  # before: a failing wait gives up in 2 s
    engine = storage.create_db_engine(f"sqlite:///{tmp_path / 'locks.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE entries (name TEXT)"))
    first = engine.connect()
    first.execute(text("INSERT INTO entries VALUES ('first')"))
    yield engine, first
    first.close()
    engine.dispose()


def test_a_waiting_writer_takes_the_lock_at_its_first_try_after_the_release(
        holder: tuple[Engine, Connection], monkeypatch: pytest.MonkeyPatch) -> None:
    engine, first = holder
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 3:
            first.commit()  # the holder is done while the second writer waits

    monkeypatch.setattr(storage, "sleep", nap)
    with engine.begin() as second:
        assert second.execute(text("SELECT name FROM entries")).scalars().all() == ["first"]
        second.execute(text("INSERT INTO entries VALUES ('second')"))
        # No statement of a transaction that holds the write lock can meet a lock (WAL): no handler is needed.
        assert second.exec_driver_sql("PRAGMA busy_timeout").scalar() == 0
    assert naps == [storage.BEGIN_RETRY_SECONDS] * 3
    with engine.connect() as reader:
        assert reader.execute(text("SELECT name FROM entries ORDER BY rowid")).scalars().all() == ["first", "second"]


def test_a_writer_still_gives_up_with_database_is_locked_after_the_busy_timeout(
        holder: tuple[Engine, Connection], monkeypatch: pytest.MonkeyPatch) -> None:
    engine, first = holder
    clock = [0.0]

    def nap(seconds: float) -> None:
        clock[0] += seconds

    monkeypatch.setattr(storage, "monotonic", lambda: clock[0])
    monkeypatch.setattr(storage, "sleep", nap)
    with pytest.raises(OperationalError, match="database is locked"), engine.begin() as second:
        second.execute(text("INSERT INTO entries VALUES ('second')"))
    assert clock[0] == pytest.approx(storage.SQLITE_BUSY_TIMEOUT_MS / 1000, abs=2 * storage.BEGIN_RETRY_SECONDS)
    first.commit()  # the holder's transaction was never disturbed
    with engine.connect() as reader:
        assert reader.execute(text("SELECT name FROM entries")).scalars().all() == ["first"]


def test_the_threads_of_a_process_wait_for_their_turn_rather_than_all_trying(
        holder: tuple[Engine, Connection], monkeypatch: pytest.MonkeyPatch) -> None:
    engine, first = holder
    real_sleep = storage.sleep
    naps: list[int] = []
    many = threading.Event()

    def nap(seconds: float) -> None:
        naps.append(threading.get_ident())
        if len(naps) >= 20:
            many.set()
        real_sleep(seconds)

    monkeypatch.setattr(storage, "sleep", nap)

    def write(name: str) -> None:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO entries VALUES (:name)"), {"name": name})

    writers = [threading.Thread(target=write, args=(name,)) for name in ("second", "third")]
    for writer in writers:
        writer.start()
    assert many.wait(10)
    tried_while_held = set(naps)
    first.commit()
    for writer in writers:
        writer.join(10)
    assert len(tried_while_held) == 1  # the other thread waited for its turn, without trying
    with engine.connect() as reader:
        assert sorted(reader.execute(text("SELECT name FROM entries")).scalars()) == ["first", "second", "third"]


def test_the_garbage_collector_waits_while_the_write_lock_is_held(tmp_path: Path) -> None:
    """A full collection of a big worker takes 100–200 ms: never while every other writer waits for this one."""
    import gc

    engines = [storage.create_db_engine(f"sqlite:///{tmp_path / name}") for name in ("one.db", "two.db")]
    one, two = engines
    try:
        assert gc.isenabled()
        with one.begin() as connection:
            connection.execute(text("CREATE TABLE entries (name TEXT)"))
            assert not gc.isenabled()
        assert gc.isenabled()
        with pytest.raises(ZeroDivisionError), one.begin() as connection:  # rolled back
            connection.execute(text("INSERT INTO entries VALUES ('lost')"))
            assert not gc.isenabled()
            _ = 1 / 0
        assert gc.isenabled()
        first = one.connect()
        first.execute(text("INSERT INTO entries VALUES ('first')"))
        with two.begin() as other:  # another database's lock, held at the same time
            other.execute(text("SELECT 1"))
        assert not gc.isenabled()
        first.close()  # ended without commit: rolled back as it goes back to the pool
        assert gc.isenabled()
        with storage.reading(storage.session_factory(one)) as session:  # a reader holds no lock
            session.execute(text("SELECT count(*) FROM entries"))
            assert gc.isenabled()
        gc.disable()
        with one.begin() as connection:
            connection.execute(text("SELECT 1"))
        assert not gc.isenabled()  # turned off by the program itself: left off
    finally:
        gc.enable()
        for engine in engines:
            engine.dispose()


def test_a_write_session_dropped_without_closing_it_does_not_keep_the_lock_and_the_collector_for_good(
        holder: tuple[Engine, Connection], monkeypatch: pytest.MonkeyPatch) -> None:
    """Such a transaction ends only when the collector finalizes it: paused for it, the collector would never run.
    A writer that has waited a while lets it run, which ends the forgotten transaction and frees the lock."""
    import gc

    engine, first = holder
    first.commit()
    monkeypatch.setattr(storage, "STALE_PAUSE_SECONDS", 0.05)
    sessions = storage.session_factory(engine)

    def forgotten() -> None:
        session = sessions()  # no `with`, no close: the session and its transaction refer to each other
        session.execute(text("INSERT INTO entries VALUES ('forgotten')"))

    try:
        forgotten()
        assert not gc.isenabled()
        with engine.begin() as second:  # waits, lets the collector end the forgotten transaction, then writes
            second.execute(text("INSERT INTO entries VALUES ('second')"))
        assert gc.isenabled()
        with engine.connect() as reader:
            assert reader.execute(text("SELECT name FROM entries ORDER BY rowid")).scalars().all() == [
                "first", "second"]  # the forgotten insert was rolled back
    finally:
        gc.enable()


def test_the_collector_comes_back_when_a_write_connection_is_invalidated(tmp_path: Path) -> None:
    import gc

    engine = storage.create_db_engine(f"sqlite:///{tmp_path / 'lost.db'}")
    try:
        connection = engine.connect()
        connection.execute(text("CREATE TABLE entries (name TEXT)"))
        assert not gc.isenabled()
        connection.connection.invalidate()  # the database connection lost mid-transaction: no commit, no rollback
        assert gc.isenabled()
        connection.close()
    finally:
        gc.enable()
        engine.dispose()


def test_a_reader_waits_with_sqlites_handler_while_it_reads_and_leaves_none_behind(tmp_path: Path) -> None:
    engine = storage.create_db_engine(f"sqlite:///{tmp_path / 'reader.db'}")
    sessions = storage.session_factory(engine)
    try:
        with storage.reading(sessions) as session:
            assert session.execute(text("PRAGMA busy_timeout")).scalar() == storage.SQLITE_BUSY_TIMEOUT_MS
        with storage.transaction(sessions) as session:  # the same pooled connection, writing
            assert session.execute(text("PRAGMA busy_timeout")).scalar() == 0
    finally:
        engine.dispose()
