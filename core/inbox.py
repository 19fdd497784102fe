"""The inbox: deliveries stored in the database before the platform hears "received" (SPEC §11).

A Telegram webhook call or a Slack request is answered 200 only after its row is committed here, and a polled
Telegram update is confirmed (the next getUpdates' offset) only after it is; so a crash, kill -9 included, loses
nothing that was acknowledged. Every ``invoicebot run`` process claims rows with a lease (PostgreSQL: ``FOR UPDATE
SKIP LOCKED``; SQLite: the write lock of ``BEGIN IMMEDIATE``), hands each to its channel and marks it done once the
answer is sent; a lease that runs out (its worker was killed) is taken over. Only the oldest waiting row of a
conversation can be claimed, so one chat's messages are handled one at a time, in order, across processes.

Bodies are stored encrypted with the core's keys (they hold what users type, payment details and /link codes, and
Slack's response_url), as is the answer to a claimed row, kept with its delivery id (``processed_messages.reply_enc``)
until the row is done: a row handled again after a crash between the core's commit and "done" is answered with it
instead of being taken for a duplicate. The only window for a double answer is between "sent" and "done".
"""
from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import String, bindparam, delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased, sessionmaker

from core.context import Clock
from core.encryption import Cipher
from core.models import InboxItem, ProcessedMessage
from core.storage import transaction

DEFAULT_LIMIT = 5000
"""Undone rows at which intake stops (``INVOICEBOT_INBOX_MAX``): acknowledgements wait, then answer 503."""
DEFAULT_LEASE = timedelta(seconds=30)
"""How long a claimed row is a worker's; renewed while it is being handled, taken over once it runs out."""
INBOX_CHANNEL = "invoicebot_inbox"
"""The PostgreSQL notification channel a committed store is announced on (its payload: the platform), so every
worker's consumer of that platform looks at once rather than at its next poll."""
_NOTIFY = select(func.pg_notify(INBOX_CHANNEL, bindparam("platform", type_=String)))
DONE_KEPT = timedelta(minutes=10)
"""A done row is kept this long (a re-delivery of it is just acknowledged), then pruned with its payload; a later
re-delivery is stored again and recognised by the core's delivery ids."""


@dataclass(frozen=True)
class Delivery:
    """One received delivery, as stored: ``key`` is the core's ``Incoming.message_id`` for it."""

    platform: str
    key: str
    chat: str
    payload: bytes


@dataclass(frozen=True)
class Claimed:
    id: int
    platform: str
    key: str
    payload: bytes


class Stored(Enum):
    STORED = "stored"
    KNOWN = "known"
    """Already in the inbox (a re-delivery): acknowledge it, nothing else."""
    FULL = "full"
    """The inbox holds its limit of undone rows: not stored, ask the platform to come back later."""


def worker_name() -> str:
    """Who holds a lease, for the operator reading the table: host, pid and a random tail (pids are reused)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Inbox:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock, cipher: Cipher, *, limit: int = DEFAULT_LIMIT,
                 lease: timedelta = DEFAULT_LEASE) -> None:
        self.sessions = sessions
        self.clock = clock
        self.cipher = cipher
        self.limit = limit
        self.lease = lease
        self.owner = worker_name()

    def store(self, deliveries: Sequence[Delivery]) -> Stored:
        """Store one request's ``deliveries`` (see :meth:`store_all`)."""
        return self.store_all([deliveries])[0]

    def store_all(self, requests: Sequence[Sequence[Delivery]]) -> list[Stored]:
        """Store several requests' deliveries in one transaction, one outcome per request: under a flood, one turn
        of the write lock and one commit serve every request waiting, rather than one each. Requests are taken in
        order, each as a whole, as if stored one after the other: a re-delivered key changes nothing, and while the
        inbox holds ``limit`` undone rows nothing new is stored. Counting and inserting share the transaction: on
        SQLite (one writer) the bound is exact, on PostgreSQL it can be passed by other processes' requests stored
        at the same instant. Bodies are encrypted before the write lock is taken."""
        bodies = {(d.platform, d.key): self.cipher.encrypt_bytes(d.payload) for request in requests for d in request}
        pairs = set(bodies)
        with transaction(self.sessions) as session:
            stored = session.execute(select(InboxItem.platform, InboxItem.key).where(
                InboxItem.platform.in_({p for p, _ in pairs}), InboxItem.key.in_({k for _, k in pairs})))
            seen = {(row.platform, row.key) for row in stored} & pairs
            waiting = self._waiting(session, most=self.limit)
            rows: list[dict[str, object]] = []
            outcomes: list[Stored] = []
            now = self.clock()
            for request in requests:
                new = {(d.platform, d.key): d for d in request if (d.platform, d.key) not in seen}
                if not new:
                    outcomes.append(Stored.KNOWN)
                elif waiting >= self.limit:
                    outcomes.append(Stored.FULL)
                else:
                    seen.update(new)
                    waiting += len(new)
                    rows.extend({"platform": d.platform, "key": d.key, "chat": d.chat,
                                 "payload_enc": bodies[pair], "received_at": now} for pair, d in new.items())
                    outcomes.append(Stored.STORED)
            if rows:  # another process may have stored a key since the select: it is stored all the same
                postgresql = session.get_bind().dialect.name == "postgresql"
                insert = pg_insert if postgresql else sqlite_insert
                session.execute(insert(InboxItem).on_conflict_do_nothing(index_elements=["platform", "key"]), rows)
                if postgresql:  # delivered at commit; SQLite has no such channel
                    for platform in {row["platform"] for row in rows}:
                        session.execute(_NOTIFY, {"platform": platform})
            return outcomes

    def waiting(self) -> int:
        """Undone rows, claimed or not."""
        with transaction(self.sessions) as session:
            return self._waiting(session)

    @staticmethod
    def _waiting(session: Session, *, most: int | None = None) -> int:
        """Undone rows; with ``most``, counted only up to it (an index range that stops there, not the backlog)."""
        undone = select(InboxItem.id).where(InboxItem.done_at.is_(None))
        if most is not None:
            undone = undone.limit(most)
        return session.scalar(select(func.count()).select_from(undone.subquery())) or 0

    def claim(self, platform: str, most: int) -> list[Claimed]:
        """Lease up to ``most`` rows of ``platform``, oldest first: each the oldest undone row of its chat, with no
        lease or one run out. Another worker's live lease on a chat's oldest row keeps that chat's later rows."""
        if most <= 0:
            return []
        now = self.clock()
        earlier = aliased(InboxItem)
        blocked = exists().where(earlier.platform == InboxItem.platform, earlier.chat == InboxItem.chat,
                                 earlier.done_at.is_(None), earlier.id < InboxItem.id)
        due = (select(InboxItem.id)
               .where(InboxItem.platform == platform, InboxItem.done_at.is_(None),
                      or_(InboxItem.claimed_until.is_(None), InboxItem.claimed_until < now), ~blocked)
               .order_by(InboxItem.id).limit(most))
        with transaction(self.sessions) as session:
            if session.get_bind().dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True)  # SQLite: BEGIN IMMEDIATE already holds the lock
            ids = list(session.scalars(due))
            if not ids:
                return []
            session.execute(update(InboxItem).where(InboxItem.id.in_(ids))
                            .values(claimed_by=self.owner, claimed_until=now + self.lease))
            rows = session.execute(select(InboxItem.id, InboxItem.platform, InboxItem.key, InboxItem.payload_enc,
                                          InboxItem.payload).where(InboxItem.id.in_(ids)).order_by(InboxItem.id)).all()
        return [Claimed(row.id, row.platform, row.key, self._body(row.payload_enc, row.payload)) for row in rows]

    def _body(self, encrypted: str | None, legacy: bytes | None) -> bytes:
        """A row's body: decrypted, or as stored by a version before bodies were encrypted."""
        return self.cipher.decrypt_bytes(encrypted) if encrypted is not None else bytes(legacy or b"")

    def renew(self, ids: Sequence[int]) -> None:
        """Extend this worker's leases on rows still being handled (a slow invoice must not be taken over)."""
        self._set_lease(ids, claimed_until=self.clock() + self.lease)

    def release(self, ids: Sequence[int]) -> None:
        """Give rows back unhandled (stopping before they were started): the next claim takes them at once."""
        self._set_lease(ids, claimed_by=None, claimed_until=None)

    def _set_lease(self, ids: Sequence[int], **values: object) -> None:
        """Change the lease of those of ``ids`` this worker still holds undone (another may have taken one over)."""
        if not ids:
            return
        with transaction(self.sessions) as session:
            session.execute(update(InboxItem)
                            .where(InboxItem.id.in_(ids), InboxItem.claimed_by == self.owner,
                                   InboxItem.done_at.is_(None))
                            .values(**values))

    def done(self, item: Claimed) -> None:
        """The row is answered (see :meth:`done_all`)."""
        self.done_all([item])

    def done_all(self, items: Sequence[Claimed]) -> list[None]:
        """The rows are answered: mark them done and drop the answers kept for a replay, in one transaction (one
        result per row, for the consumer's batching)."""
        with transaction(self.sessions) as session:
            session.execute(update(InboxItem).where(InboxItem.id.in_([item.id for item in items]))
                            .values(done_at=self.clock(), claimed_by=None, claimed_until=None))
            for platform in {item.platform for item in items}:
                keys = [item.key for item in items if item.platform == platform]
                session.execute(update(ProcessedMessage)
                                .where(ProcessedMessage.platform == platform, ProcessedMessage.message_id.in_(keys))
                                .values(reply_enc=None))
        return [None] * len(items)


def prune_done(session: Session, now: datetime) -> int:
    """Delete rows done longer ago than :data:`DONE_KEPT` (their payloads with them)."""
    result = session.execute(delete(InboxItem).where(InboxItem.done_at < now - DONE_KEPT))
    return int(getattr(result, "rowcount", 0) or 0)
