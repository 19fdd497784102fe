"""The inbox in tests: one on a scratch SQLite database (for channel tests whose ScriptedCore has no database),
and how many rows of a database's inbox wait, to wait on an explicit condition."""
from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine, func, select

from core.encryption import Cipher
from core.inbox import Inbox
from core.models import Base, InboxItem
from core.storage import create_db_engine, session_factory


@contextlib.contextmanager
def scratch_inbox(**options: Any) -> Iterator[Inbox]:
    with tempfile.TemporaryDirectory(prefix="inbox-") as folder:
        engine = create_db_engine(f"sqlite:///{folder}/inbox.db")
        Base.metadata.create_all(engine)
        try:
            yield Inbox(session_factory(engine), lambda: datetime.now(UTC), Cipher([Cipher.new_key()]), **options)
        finally:
            engine.dispose()


def inbox_of(core: Any) -> Inbox:
    """The inbox in the real core's own database."""
    return Inbox(core.sessions, core.clock, core.cipher)


def waiting_rows(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(InboxItem)
                                     .where(InboxItem.done_at.is_(None))) or 0
    finally:
        engine.dispose()


async def until(condition, what: str, timeout: float = 90) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.1)
