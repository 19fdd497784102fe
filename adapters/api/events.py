"""Live events: ``GET /api/v1/events`` streams the account's change journal as Server-Sent Events (SPEC §10).

Every change any channel or process makes is a row of the journal (core/journal.py) with the account's next
sequence number, taken under a lock of the account's row: a higher number never commits before a lower one, so a
stream that has sent event N has seen every event before N, and ``Last-Event-ID: N`` resumes without loss.

A stream learns of new rows from PostgreSQL's LISTEN/NOTIFY (the journal notifies on commit; one listening
connection per process wakes every stream of that account) and, on SQLite, by reading the journal every half second.
Either way it reads the rows after the last one it sent, so a missed wake-up costs time, never an event.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from adapters.api import operations as ops
from adapters.ordering import listen
from core.journal import CHANGES_CHANNEL
from core.models import Account, Change, Client, Invoice, Task

EVENT_NAMES = {
    "task.log": "task.logged", "task.edit": "task.edited", "task.delete": "task.deleted",
    "client.add": "client.added", "client.set": "client.changed", "client.delete": "client.deleted",
    "profile.set": "profile.changed", "account.timezone": "profile.changed",
    "invoice.issue": "invoice.issued", "invoice.paid": "invoice.paid", "invoice.unpaid": "invoice.unpaid",
    "invoice.void": "invoice.voided", "timer.start": "timer.started", "timer.stop": "timer.stopped",
    "timer.cancel": "timer.cancelled", "change.undo": "change.undone",
}
"""The journal's kinds (``task.log``) as event names (``task.logged``); a kind not listed is sent as it is."""
BATCH = 200
"""Events read per query: a client far behind is brought up to date in several reads, none of them huge."""
ZONE_KINDS = frozenset({"account.timezone", "change.undo"})
"""Changes after which a stream reads the account's timezone again: /tz, and an /undo (it may take one back)."""


def event_name(kind: str) -> str:
    return EVENT_NAMES.get(kind, kind)


def changes_after(session: Session, account_id: int, after: int) -> list[Change]:
    return list(session.scalars(select(Change).where(Change.account_id == account_id, Change.seq > after)
                                .order_by(Change.seq).limit(BATCH)))


def stream_start(session: Session, account_id: int, resume: int | None) -> tuple[int, ZoneInfo]:
    """Where a stream starts (after ``resume``, else after the account's newest change) and the account's timezone
    (see :func:`stream_zone`), from one read of the account."""
    account = session.get(Account, account_id)
    if account is None:
        return resume or 0, ZoneInfo("UTC")
    return resume if resume is not None else account.last_change_seq, ZoneInfo(account.timezone)


def stream_zone(session: Session, account_id: int, zone: ZoneInfo, changes: Sequence[Change]) -> ZoneInfo:
    """The account's timezone for a batch of ``changes``: ``zone`` as the stream read it, read again only when they
    may have changed it (:data:`ZONE_KINDS`). The events' one date not stored is today, in the user's timezone,
    which decides whether an invoice is overdue."""
    if not any(change.kind in ZONE_KINDS for change in changes):
        return zone
    return stream_start(session, account_id, None)[1]


def event_data(session: Session, change: Change, today: Any) -> dict[str, Any]:
    """The changed object as it is now (a task, client or invoice, as the REST API shows it)."""
    kind = change.kind
    if kind == "change.undo":
        undone = session.get(Change, change.subject_id) if change.subject_id is not None else None
        if undone is None:
            return {"undone": None}
        return {"undone": event_name(undone.kind), "object": event_data(session, undone, today)}
    subject = change.subject_id
    if kind.startswith("task.") and subject is not None:
        task = session.get(Task, subject)
        if task is None:
            return {"deleted": True}
        data = ops.task_out(session, task).model_dump(mode="json")
        if task.deleted_at is not None:
            data["deleted"] = True
        return data
    if kind.startswith("invoice.") and subject is not None:
        invoice = session.get(Invoice, subject)
        return ops.invoice_out(session, invoice, today).model_dump(mode="json") if invoice else {"deleted": True}
    if kind.startswith("client.") and subject is not None:
        client = session.get(Client, subject)
        return ops.client_out(client).model_dump(mode="json") if client else {"deleted": True}
    if kind == "client.delete":
        return {"deleted": True, "name": json.loads(change.before or "{}").get("name")}
    return {}


def format_event(change: Change, data: dict[str, Any]) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"id: {change.seq}\nevent: {event_name(change.kind)}\ndata: {payload}\n\n".encode()


class ChangeHub:
    """Wakes the streams of an account when its journal grows: from PostgreSQL notifications when there are any,
    else the streams poll on their own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.notified = engine.dialect.name == "postgresql"
        self._waiters: defaultdict[int, set[asyncio.Event]] = defaultdict(set)
        self._listener: asyncio.Task[None] | None = None

    def subscribe(self, account_id: int) -> asyncio.Event:
        if self.notified and self._listener is None:
            self._listener = asyncio.create_task(listen(self.engine, CHANGES_CHANNEL, self._notice,
                                                        listening=self._listening), name="api-events-listener")
        event = asyncio.Event()
        self._waiters[account_id].add(event)
        return event

    def unsubscribe(self, account_id: int, event: asyncio.Event) -> None:
        self._waiters[account_id].discard(event)
        if not self._waiters[account_id]:
            del self._waiters[account_id]

    def wake(self, account_id: int | None = None) -> None:
        for key, events in list(self._waiters.items()):
            if account_id is None or key == account_id:
                for event in events:
                    event.set()

    async def close(self) -> None:
        self.wake()
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None

    def _notice(self, payload: str) -> None:
        if payload.isdigit():
            self.wake(int(payload))

    def _listening(self, listening: bool) -> None:
        if listening:
            self.wake()  # anything committed before LISTEN took hold is read now
