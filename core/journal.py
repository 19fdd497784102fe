"""The change journal's write side: every service that changes the user's books records what it changed here.

Kept free of any knowledge of what each kind means (that is :mod:`core.undo`'s), so every service can import it.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import String, bindparam, func, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.models import Account, Change, table
from core.prepared import Prepared

CHANGES_CHANNEL = "invoicebot_changes"
"""The PostgreSQL notification channel a committed change is announced on (its payload: the account's id)."""

_group: ContextVar[list[int | None] | None] = ContextVar("invoicebot_change_group", default=None)


_accounts, _changes = table(Account).c, table(Change).c
_INSERT_CHANGE = Prepared(insert(table(Change)).values({column: bindparam(column.key) for column in _changes
                                                         if column is not _changes.id}).returning(_changes.id))
_NEXT_CHANGE_SEQ = Prepared(
    update(table(Account)).where(_accounts.id == bindparam("account"))
    .values(last_change_seq=_accounts.last_change_seq + 1).returning(_accounts.last_change_seq)
)
_NEXT_TASK_AND_CHANGE = Prepared(
    update(table(Account)).where(_accounts.id == bindparam("account"))
    .values(last_task_number=_accounts.last_task_number + 1, last_change_seq=_accounts.last_change_seq + 1)
    .returning(_accounts.last_task_number, _accounts.last_change_seq)
)
_NOTIFY = Prepared(select(func.pg_notify(CHANGES_CHANNEL, bindparam("account", type_=String))))
_START_GROUP = (update(table(Change)).where(_changes.id == bindparam("change"))
                .values(group_id=bindparam("change")))
"""The journal's statements, built once on the tables: every change runs them, and building a statement (or the
ORM's unit of work around an insert) costs several times what executing it does; the ones every logged phrase runs
are :class:`~core.prepared.Prepared`, which skips SQLAlchemy's per-execution work too."""


def record_change(session: Session, account: Account, kind: str, now: datetime, subject_id: int | None = None,
                  before: Mapping[str, object] | None = None, secret: str | None = None, *, seq: int | None = None,
                  undone: bool = False) -> int:
    """Journal one change (``kind`` is ``subject.verb``) and return its id; ``before`` is what /undo would put back,
    ``secret`` an encrypted value it would put back (kept apart, so key rotation reaches it). ``seq`` is a journal
    number already taken (:func:`next_task_and_change`); ``undone`` records a change that /undo must pass over."""
    group = _group.get()
    (change_id,) = _INSERT_CHANGE.one(session, {
        "account_id": account.id, "seq": seq if seq is not None else next_change_seq(session, account),
        "kind": kind, "subject_id": subject_id, "created_at": now, "before_enc": secret,
        "before": json.dumps({k: _jsonable(v) for k, v in before.items()}) if before is not None else None,
        "group_id": group[0] if group is not None else None, "undone_at": now if undone else None,
    })
    if group is not None and group[0] is None:
        group[0] = change_id
        session.execute(_START_GROUP, {"change": change_id})
    _announce(session, account)
    return change_id


def _announce(session: Session, account: Account) -> None:
    """Tell every process listening on :data:`CHANGES_CHANNEL` that the account changed (PostgreSQL delivers it at
    commit; SQLite has no such channel)."""
    if session.get_bind().dialect.name == "postgresql":
        _NOTIFY.rows(session, {"account": str(account.id)})


def reserve(session: Session, account: Account, counter: InstrumentedAttribute[int], n: int) -> int:
    """The first of ``n`` consecutive numbers taken from one of the account's counters (``last_task_number``,
    ``last_change_seq``) in one UPDATE. It locks the account's row until commit, so two messages of one account at
    the same moment queue up here and never get the same number (the unique indexes would refuse a twin)."""
    last = session.execute(
        update(Account).where(Account.id == account.id)
        .values({counter: counter + n})
        .returning(counter)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return int(last) - n + 1


def record_changes(session: Session, account: Account, kind: str, now: datetime, subject_ids: Sequence[int]) -> None:
    """Journal one ``kind`` change per subject, as :func:`record_change` would one by one, numbered in one step:
    an import's thousand tasks cost one UPDATE and one INSERT batch, not a thousand of each."""
    if not subject_ids:
        return
    first = reserve(session, account, Account.last_change_seq, len(subject_ids))
    changes = [Change(account_id=account.id, seq=first + offset, kind=kind, subject_id=subject_id, created_at=now)
               for offset, subject_id in enumerate(subject_ids)]
    group = _group.get()
    if group is not None and group[0] is None:
        session.add(changes[0])
        session.flush()
        group[0] = changes[0].id
    for change in changes:
        change.group_id = group[0] if group is not None else None
    session.add_all(changes)
    _announce(session, account)
    session.flush()


def next_change_seq(session: Session, account: Account) -> int:
    """The account's next journal number. The UPDATE locks the account's row until commit, so the account's changes
    commit in the order of their numbers: a reader that has seen number N has seen every number before it."""
    return int(_NEXT_CHANGE_SEQ.one(session, {"account": account.id})[0])


def next_task_and_change(session: Session, account: Account) -> tuple[int, int]:
    """The account's next task number and journal number, taken together (logging a task needs both): one UPDATE
    of the account's row, which holds its lock until commit as :func:`next_change_seq` does."""
    task_number, seq = _NEXT_TASK_AND_CHANGE.one(session, {"account": account.id})
    return int(task_number), int(seq)


@contextmanager
def change_group() -> Iterator[None]:
    """Changes recorded inside the block form one group, which /undo takes back together (several entries logged
    from one message, the copies of a repeated day). Nested blocks join the outer group."""
    if _group.get() is not None:
        yield
        return
    token = _group.set([None])
    try:
        yield
    finally:
        _group.reset(token)


def _jsonable(value: object) -> object:
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value
