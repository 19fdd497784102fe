"""SQLite writers queue on BEGIN IMMEDIATE: a waiting writer tries again at a fine interval, so it takes the lock
at its first try after the release (not after a nap of SQLite's back-off), and still gives up with SQLite's
"database is locked" once the busy timeout has passed."""
from __future__ import annotations

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
        # Only that BEGIN went without SQLite's busy handler: the transaction's statements keep it.
        assert second.exec_driver_sql("PRAGMA busy_timeout").scalar() == storage.SQLITE_BUSY_TIMEOUT_MS
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
