"""Taking messages in on the event loop: drop a repeated delivery, keep one conversation in order, and wait for a
wake-up that is only a hint (the inbox consumer, the live-events streams), which PostgreSQL's notifications give.

Used on the event loop only (no thread touches them), so none needs a lock of its own.
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager, suppress
from typing import Generic, TypeVar

from sqlalchemy import Engine

log = logging.getLogger(__name__)

Key = TypeVar("Key", bound=Hashable)

RELISTEN_S = 2.0
"""After a lost LISTEN connection, connect again after this long (the pollers poll meanwhile)."""


class RecentIds(Generic[Key]):
    """The last ``size`` delivery ids (Telegram update_ids, Slack event_ids): a repeat (a webhook retry, a poll
    after a restart) is dropped before it costs a thread and a database call. The core's own record of message
    ids stays the authority; this only spares it the work."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._ids: OrderedDict[Key, None] = OrderedDict()

    def first_sight(self, delivery_id: Key) -> bool:
        """True the first time an id is offered, False for a repeat."""
        if delivery_id in self._ids:
            return False
        self._ids[delivery_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True


class Turns(Generic[Key]):
    """One conversation's messages are handled one after another, in the order they arrived ("/client add X"
    then "2h for X" must not race); different conversations run in parallel. A conversation's lock is forgotten
    once nobody waits for it, so the registry holds only the conversations busy now."""

    def __init__(self) -> None:
        self._locks: dict[Key, asyncio.Lock] = {}
        self._waiting: dict[Key, int] = {}

    @asynccontextmanager
    async def turn(self, key: Key) -> AsyncIterator[None]:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody else queued: forget the lock
                del self._waiting[key]
                del self._locks[key]

    def __len__(self) -> int:
        """How many conversations hold or wait for a turn now."""
        return len(self._locks)


async def wait_for(event: asyncio.Event, timeout: float) -> None:
    """Until ``event`` is set or ``timeout`` seconds pass (a poll is due either way), then clear it for the next
    wait: a wake-up is a hint to look again, never the only way to learn of new work."""
    with suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout)
    event.clear()


async def listen(engine: Engine, channel: str, notice: Callable[[str], None], *,
                 listening: Callable[[bool], None]) -> None:
    """Calls ``notice(payload)`` for each PostgreSQL notification on ``channel`` until cancelled, on a connection of
    its own, opened again after a failure. ``listening(True)`` once LISTEN holds (anything committed before it is to
    be read now), ``listening(False)`` when the connection is lost: notifications are a hint to look again, and
    while nobody listens the poll is all there is."""
    import psycopg

    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as connection:
                await connection.execute(f"LISTEN {channel}")
                listening(True)
                async for notification in connection.notifies():
                    notice(notification.payload)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("listening on %s lost PostgreSQL; listening again in %.0f s", channel, RELISTEN_S,
                        exc_info=True)
        finally:
            listening(False)
        await asyncio.sleep(RELISTEN_S)
