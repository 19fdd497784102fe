"""/forget me: every row of an account, in every table, deleted in one transaction.

The tables are walked from the schema itself rather than listed by hand, so a table added later is erased with the
rest: a table with ``account_id`` loses the account's rows, a table without one loses the rows that point (through
a foreign key, at any depth) at rows being erased — an invoice's lines, a token's stored idempotent answers.
:data:`KEPT` names the tables that hold nothing of any account, and a test fails for a table that is neither.

On SQLite the engine runs with ``secure_delete`` (core/storage.py), so deleted text is overwritten in the file
rather than left in free pages; :func:`checkpoint` then empties the write-ahead log, whose older page images
still hold it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, Table, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from core.messages import safe_file_name
from core.models import (
    Account,
    Base,
    Client,
    Identity,
    InboxItem,
    Invoice,
    Payment,
    RecurringInvoice,
    Reminder,
    Task,
)
from core.storage import waiting_for_locks

log = logging.getLogger(__name__)

KEPT = {"processed_messages": "delivery ids (platform and update id), tied to no account; they expire with "
                              "core/retention.py, and the answer kept with one (encrypted) goes once it is sent",
        "inbox": "deliveries as received, tied to no account: each goes a few minutes after it is answered "
                 "(core/inbox.py); those already answered of the erased account's private Telegram chats "
                 "and of its Slack users go with it (forget_deliveries)"}
"""Tables that hold nothing of any account, with the reason."""


@dataclass(frozen=True)
class Books:
    """What an erasure deletes, counted for the confirmation."""

    clients: int
    tasks: int
    expenses: int
    invoices: int
    credit_notes: int
    payments: int
    retainers: int
    reminders: int
    chats: int


def count_books(session: Session, account: Account) -> Books:
    def count(model: Any, *where: ColumnElement[bool]) -> int:  # any model with an account_id
        return session.scalar(select(func.count()).select_from(model).where(model.account_id == account.id,
                                                                            *where)) or 0

    return Books(
        clients=count(Client),
        tasks=count(Task, Task.kind == "work", Task.deleted_at.is_(None)),
        expenses=count(Task, Task.kind == "expense", Task.deleted_at.is_(None)),
        invoices=count(Invoice, Invoice.kind == "invoice"),
        credit_notes=count(Invoice, Invoice.kind == "credit_note"),
        payments=count(Payment, Payment.removed_at.is_(None)),
        retainers=count(RecurringInvoice, RecurringInvoice.cancelled_at.is_(None)),
        reminders=count(Reminder),
        chats=count(Identity),
    )


def document_names(session: Session, account: Account) -> tuple[str, ...]:
    """Glob patterns of the file names the account's documents are saved under by a channel that keeps them (the
    terminal's outbox): invoices and credit notes (PDF, e-invoice XML), drafts, CSV exports, /report charts —
    copies included (``INV-2026-0001-2.pdf``, see bot/private_files.py ``write_new``)."""
    stems = [safe_file_name(number) for number in session.scalars(
        select(Invoice.number).where(Invoice.account_id == account.id))]
    stems += [f"DRAFT-{safe_file_name(name, 'client')}" for name in session.scalars(
        select(Client.name).where(Client.account_id == account.id))]
    names = [pattern for stem in stems for suffix in ("pdf", "xml")
             for pattern in (f"{stem}.{suffix}", f"{stem}-[0-9]*.{suffix}")]
    return (*names, "tasks-*.csv", "invoices-*.csv", "report-*.png")


def erase_account(session: Session, account: Account) -> None:
    """Delete the account and everything of it; its identities go too, so every chat it was reached from is a
    stranger afterwards. Children before parents, in the order the foreign keys ask for."""
    session.flush()
    forget_deliveries(session, account)
    for table in reversed(Base.metadata.sorted_tables):
        rows = account_rows(table, account.id)
        if rows is not None:
            session.execute(delete(table).where(rows))
    session.expunge_all()  # the deleted rows' objects must not be written back


def forget_deliveries(session: Session, account: Account) -> None:
    """The messages the account's private chats sent that the inbox keeps for a few minutes after answering them
    (core/inbox.py): their text goes now, with the books, not at the next prune. A row's ``chat`` is matched with
    each identity of the account: Telegram stores the chat id, which for a private chat is its user's id (a group's
    rows wait for the prune); Slack over HTTP (adapters/slack/intake.py) stores the sender as ``team:user``, which is
    its identity's id, from any channel. The delivery being answered is not done yet and stays: it is the button
    press that confirmed the erasure, and goes with the next prune."""
    chats = [and_(InboxItem.platform == platform, InboxItem.chat == user_id) for platform, user_id in
             session.execute(select(Identity.platform, Identity.platform_user_id)
                             .where(Identity.account_id == account.id))]
    if chats:
        session.execute(delete(InboxItem).where(InboxItem.done_at.is_not(None), or_(*chats)))


def account_rows(table: Table, account_id: int) -> ColumnElement[bool] | None:
    """Which rows of ``table`` belong to the account; None for a table in :data:`KEPT` — and for one that is not
    and has no way to name its owner, which the schema test refuses."""
    if table.name == Account.__tablename__:
        return table.c.id == account_id
    if "account_id" in table.c:
        return table.c.account_id == account_id
    for key in table.foreign_keys:
        parent = key.column.table
        owned = account_rows(parent, account_id) if parent is not table else None
        if owned is not None:
            return key.parent.in_(select(key.column).where(owned))
    return None


def checkpoint(engine: Engine) -> None:
    """Copy SQLite's write-ahead log into the file and truncate it to nothing: the log keeps the pages as they were
    before the erasure until then. Best effort: a reader still busy leaves it to SQLite's next checkpoint."""
    if engine.dialect.name != "sqlite":
        return
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        with waiting_for_locks(cursor):
            busy, *_pages = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            log.warning("the write-ahead log could not be emptied after an erasure (a reader was busy)")
    finally:
        connection.close()
