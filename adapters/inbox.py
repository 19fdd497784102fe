"""A channel's side of the inbox (core/inbox.py): storing what arrives, and the consumer that handles it.

Every ``invoicebot run`` process runs one consumer per channel. It claims up to ``concurrency`` rows at a time
(only the oldest waiting row of a chat: one conversation is handled in order, across processes), hands each to the
channel, and marks it done once the channel has answered. Memory holds at most ``concurrency`` rows, whatever the
backlog; the rest waits in the database.

An idle consumer looks again when a row is stored: by this process (woken directly), or by any process on
PostgreSQL (woken by the notification the store sends at commit); else at its next poll.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Generic, TypeVar

from aiohttp import web

from adapters.ordering import listen, wait_for
from core.inbox import INBOX_CHANNEL, Claimed, Delivery, Inbox, Stored

log = logging.getLogger(__name__)

IDLE_POLL_S = 0.5
"""With nothing to claim, look again after this long: on SQLite (rows stored by another process wake nobody here),
and on PostgreSQL while the notifications are not listened to (starting, or the connection lost)."""
NOTIFIED_POLL_S = 5.0
"""With nothing to claim and PostgreSQL's notifications listened to, look again after this long: for what they don't
announce, a lease run out or a chat's next row left behind by another worker that is stopping."""
FULL_WAIT_S = 5.0
"""A request arriving at a full inbox waits this long for room before it is answered 503."""
RETRY_AFTER_S = 10
"""What a 503 for a full inbox or a stopping worker tells the platform (Telegram and Slack retry)."""
BATCH = 200
"""Requests stored, or rows marked done, in one transaction at most."""
STOP_WAIT_S = 8.0
"""On SIGTERM, rows in flight get this long to finish (the process must exit within 10 s); any still running
then keeps its lease and is taken over by the next worker when it runs out."""

Handler = Callable[[Claimed], Awaitable[None]]
T = TypeVar("T")
R = TypeVar("R")


class Batched(Generic[T, R]):
    """``await batched(x)`` runs ``work([x, …])`` in a worker thread with every other call made while the previous
    run was going: under a flood, one transaction, one thread and one turn of SQLite's write lock for many stores
    (or many "done"), rather than one each — per-request ones filled the thread pool and queued on the write lock
    ahead of the handling itself. ``work`` gives one result per item, in order; if it raises, every call of that
    run raises it."""

    def __init__(self, work: Callable[[list[T]], list[R]], name: str) -> None:
        self._work = work
        self._name = name
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def __call__(self, item: T) -> R:
        result: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, result))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run(), name=self._name)
        return await result

    async def _run(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:BATCH], self._waiting[BATCH:]
            try:
                outcomes = await asyncio.to_thread(self._work, [item for item, _ in batch])
            except Exception as error:
                for _, result in batch:
                    if not result.done():
                        result.set_exception(error)
                continue
            for (_, result), outcome in zip(batch, outcomes, strict=True):
                if not result.done():  # not if its caller went away meanwhile (the work is done all the same)
                    result.set_result(outcome)


def unavailable(reason: str) -> web.HTTPServiceUnavailable:
    return web.HTTPServiceUnavailable(text=reason, headers={"Retry-After": str(RETRY_AFTER_S)})


class Consumer:
    def __init__(self, inbox: Inbox, platform: str, handle: Handler, *, concurrency: int = 16) -> None:
        self.inbox = inbox
        self.platform = platform
        self._handle = handle
        self._concurrency = concurrency
        self._wake = asyncio.Event()
        self._room = asyncio.Event()
        self._stopping = asyncio.Event()
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._notified = False
        self._store = Batched(inbox.store_all, f"{platform}-inbox-store")
        self._done = Batched(inbox.done_all, f"{platform}-inbox-done")

    # ------------------------------------------------------------------ intake
    async def accept(self, deliveries: list[Delivery], *, wait: float | None = None,
                     when_stopping: bool = False) -> None:
        """Store ``deliveries`` before they are acknowledged; raises 503 (with Retry-After) when stopping (unless
        ``when_stopping``: kept for the next start instead), or when the inbox stays full for ``wait`` seconds
        (:data:`FULL_WAIT_S`) — the platform delivers them again later."""
        deadline = time.monotonic() + (FULL_WAIT_S if wait is None else wait)
        while True:
            if self._stopping.is_set() and not when_stopping:
                raise unavailable("stopping")
            stored = await self._store(deliveries)
            if stored is not Stored.FULL:
                if stored is Stored.STORED:
                    self._wake.set()
                return
            if time.monotonic() >= deadline:
                raise unavailable("busy: too many messages waiting")
            await self.wait_for_room(min(1.0, deadline - time.monotonic()))

    async def wait_for_room(self, most: float) -> None:
        """Until a row here is done, or ``most`` seconds (another process may have made room)."""
        await wait_for(self._room, most)

    # ------------------------------------------------------------------ consuming
    @property
    def stopping(self) -> bool:
        """stop() has begun: nothing more is claimed."""
        return self._stopping.is_set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"{self.platform}-inbox")
        engine = self.inbox.sessions.kw["bind"]
        if engine.dialect.name == "postgresql":
            self._listener = asyncio.create_task(listen(engine, INBOX_CHANNEL, self._notice, listening=self._listening),
                                                 name=f"{self.platform}-inbox-listener")

    async def stop(self) -> None:
        """Claim nothing more; let the rows in flight finish (for :data:`STOP_WAIT_S` at most)."""
        self._stopping.set()
        self._wake.set()
        if self._listener is not None:
            self._listener.cancel()
            with suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._task is not None:
            await self._task
            self._task = None

    def _notice(self, platform: str) -> None:
        """A row of ``platform`` was stored, by any process."""
        if platform == self.platform:
            self._wake.set()

    def _listening(self, listening: bool) -> None:
        self._notified = listening
        if listening:
            self._wake.set()  # a row stored before LISTEN took hold is claimed now

    async def _run(self) -> None:
        renewed = time.monotonic()
        while not self._stopping.is_set():
            claimed = await self._claim()
            for item in claimed:
                self._in_flight[item.id] = asyncio.create_task(self._one(item), name=f"inbox-{item.id}")
            if time.monotonic() - renewed > self.inbox.lease.total_seconds() / 3:
                await self._renew()
                renewed = time.monotonic()
            if not claimed or len(self._in_flight) >= self._concurrency:
                await wait_for(self._wake, NOTIFIED_POLL_S if self._notified else IDLE_POLL_S)
        if self._in_flight:
            await asyncio.wait(list(self._in_flight.values()), timeout=STOP_WAIT_S)

    async def _claim(self) -> list[Claimed]:
        try:
            return await asyncio.to_thread(self.inbox.claim, self.platform,
                                           self._concurrency - len(self._in_flight))
        except Exception:
            log.exception("%s inbox: claiming rows failed; trying again shortly", self.platform)
            return []

    async def _renew(self) -> None:
        try:
            await asyncio.to_thread(self.inbox.renew, list(self._in_flight))
        except Exception:
            log.exception("%s inbox: renewing leases failed", self.platform)

    async def _one(self, item: Claimed) -> None:
        """Handle one row, then mark it done; an error is logged with a reference and the row is done all the
        same (handling it again would fail again), except when "done" itself fails: the lease runs out and
        another claim answers it from the kept reply."""
        try:
            await self._handle(item)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("%s inbox: handling row %s failed (ref %s)", self.platform, item.key, ref,
                          extra={"ref": ref})
        try:
            await self._done(item)
        except Exception:
            log.exception("%s inbox: could not mark row %s done", self.platform, item.key)
        finally:
            del self._in_flight[item.id]
            self._wake.set()
            self._room.set()
