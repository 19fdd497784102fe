"""/undo: take back exactly the account's last change, whatever its kind, or say plainly which change it was and
that it can't be taken back — never something else.

Each kind of change has an entry in :data:`KINDS`: how to name it, and (where it can be taken back) how. A kind
without an undo function is refused with its name, and nothing changes. Adding one is adding a function here.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.accounts import format_date
from core.errors import UserError
from core.i18n import _
from core.journal import record_change
from core.models import Account, Change, Client, Invoice, Payment, Task
from core.money import Money, format_money
from core.payments import outstanding, remove_payment, restore_payment
from core.tasks import find_task, require_unbilled, restore_fields
from core.timers import drop_timer, format_instant, restore_timer


@dataclass(frozen=True)
class Undone:
    """One change taken back: its kind and what it touched (a task, for the task kinds), or the sentence that says
    what was taken back, for the other kinds."""

    kind: str
    task: Task | None = None
    text: str | None = None
    """What was taken back, as a sentence, for a change that is not about one task (a timer)."""


Undo = Callable[[Session, Account, Change, datetime], Undone]
Describe = Callable[[Session, Change], str]


@dataclass(frozen=True)
class ChangeKind:
    describe: Describe
    """Names the change for a sentence: “voiding INV-2026-0001”."""
    undo: Undo | None = None
    """Takes it back; None: not possible (yet), and /undo says so."""


def _task(session: Session, account: Account, change: Change) -> Task:
    task = session.get(Task, change.subject_id)
    assert task is not None and task.account_id == account.id
    require_unbilled(session, task)
    return task


def _undo_log(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    task = _task(session, account, change)
    task.deleted_at = now
    return Undone(change.kind, task)


def _undo_delete(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    task = _task(session, account, change)
    task.deleted_at = None
    return Undone(change.kind, task)


def _undo_edit(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    task = _task(session, account, change)
    restore_fields(task, json.loads(change.before or "{}"))
    return Undone(change.kind, task)


def _payment(session: Session, account: Account, change: Change) -> Payment:
    """The payment a payment change recorded or took back; a change journaled before payments had rows of their
    own (the migration made each paid invoice one payment) means the invoice's latest payment."""
    payment_id = json.loads(change.before or "{}").get("payment")
    query = select(Payment).where(Payment.account_id == account.id)
    if payment_id is not None:
        payment = session.scalar(query.where(Payment.id == payment_id))
    else:
        payment = session.scalar(query.where(Payment.invoice_id == change.subject_id, Payment.removed_at.is_(None))
                                 .order_by(Payment.id.desc()).limit(1))
    if payment is None:
        raise UserError(_("That payment is no longer on record, so there is nothing to take back."))
    return payment


def _undo_paid(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    payment = _payment(session, account, change)
    invoice = remove_payment(session, payment, now)
    return Undone(change.kind, text=_("Took back the payment of {amount} on {number}: {outstanding} is outstanding "
                                      "again.").format(amount=_amount(payment, invoice), number=invoice.number,
                                                       outstanding=format_money(outstanding(session, invoice))))


def _undo_unpaid(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    payment = _payment(session, account, change)
    invoice = restore_payment(session, payment)
    return Undone(change.kind, text=_("Put back the payment of {amount} of {date} on {number}.").format(
        amount=_amount(payment, invoice), date=format_date(payment.paid_on), number=invoice.number))


def _amount(payment: Payment, invoice: Invoice) -> str:
    return format_money(Money.from_minor(payment.amount_minor, invoice.currency))


def _task_number(session: Session, change: Change) -> str:
    task = session.get(Task, change.subject_id)
    return f"#{task.number}" if task is not None else "?"


def _client_name(session: Session, change: Change) -> str:
    client = session.get(Client, change.subject_id)
    return client.name if client is not None else "?"


def _invoice_number(session: Session, change: Change) -> str:
    invoice = session.get(Invoice, change.subject_id)
    return invoice.number if invoice is not None else "?"


def _field(change: Change) -> str:
    return str(json.loads(change.before or "{}").get("field", "")).replace("_", " ")


def _undo_timer_start(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    timer = drop_timer(session, account)
    text = _("Took back starting the timer; it is no longer running.") if timer is not None else \
        _("Took back starting the timer (it wasn't running any more).")
    return Undone(change.kind, text=text)


def _undo_timer_end(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    """A stopped or cancelled timer runs again from its original start (a stop's task goes with the same undo)."""
    timer = restore_timer(session, account, json.loads(change.before or "{}"), now)
    start = format_instant(timer.started_at, ZoneInfo(account.timezone), now)
    return Undone(change.kind, text=_("Your timer for {client} is running again, since {start}.").format(
        client=timer.client.name, start=start))


KINDS: dict[str, ChangeKind] = {
    "task.log": ChangeKind(lambda s, c: _("logging task {task}").format(task=_task_number(s, c)), _undo_log),
    "task.edit": ChangeKind(lambda s, c: _("changing task {task}").format(task=_task_number(s, c)), _undo_edit),
    "task.delete": ChangeKind(lambda s, c: _("deleting task {task}").format(task=_task_number(s, c)), _undo_delete),
    "client.add": ChangeKind(lambda s, c: _("adding the client {name}").format(name=_client_name(s, c))),
    "client.delete": ChangeKind(lambda s, c: _("deleting the client {name}").format(
        name=json.loads(c.before or "{}").get("name", "?"))),
    "client.set": ChangeKind(lambda s, c: _("changing the {field} of {name}").format(
        field=_field(c), name=_client_name(s, c))),
    "profile.set": ChangeKind(lambda s, c: _("changing your profile's {field}").format(field=_field(c))),
    "account.timezone": ChangeKind(lambda s, c: _("changing your timezone")),
    "invoice.issue": ChangeKind(lambda s, c: _("issuing {number}").format(number=_invoice_number(s, c))),
    "invoice.paid": ChangeKind(lambda s, c: _("recording a payment on {number}").format(
        number=_invoice_number(s, c)), _undo_paid),
    "invoice.unpaid": ChangeKind(lambda s, c: _("taking back a payment on {number}").format(
        number=_invoice_number(s, c)), _undo_unpaid),
    "invoice.void": ChangeKind(lambda s, c: _("voiding {number}").format(number=_invoice_number(s, c))),
    "timer.start": ChangeKind(lambda s, c: _("starting a timer"), _undo_timer_start),
    "timer.stop": ChangeKind(lambda s, c: _("stopping the timer"), _undo_timer_end),
    "timer.cancel": ChangeKind(lambda s, c: _("cancelling the timer"), _undo_timer_end),
}


def undo_last(session: Session, account: Account, now: datetime) -> list[Undone]:
    """Take back the account's last change (with the rest of its group); refuse, changing nothing, when that
    change is of a kind that can't be taken back."""
    last = session.scalar(_open_changes(account).order_by(Change.id.desc()).limit(1))
    if last is None:
        raise UserError(_("There is nothing to undo."))
    group = [last]
    if last.group_id is not None:
        group = list(session.scalars(_open_changes(account).where(Change.group_id == last.group_id)
                                     .order_by(Change.id.desc())))
    for change in group:
        if KINDS[change.kind].undo is None:
            raise UserError(_("Your last change was {what}, and I can't undo that. Nothing was changed.").format(
                what=KINDS[change.kind].describe(session, change)))
    return [_take_back(session, account, change, now) for change in group]


def undo_task(session: Session, account: Account, now: datetime, number: int) -> Undone:
    """Take back the last change of one task (the Undo button under a logged, edited or deleted task)."""
    task = find_task(session, account, number)
    change = None
    if task is not None:
        change = session.scalar(_open_changes(account).where(Change.kind.startswith("task."),
                                                             Change.subject_id == task.id)
                                .order_by(Change.id.desc()).limit(1))
    if change is None:
        raise UserError(_("There is nothing to undo for task #{number}.").format(number=number))
    return _take_back(session, account, change, now)


def _take_back(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    undo = KINDS[change.kind].undo
    assert undo is not None
    undone = undo(session, account, change, now)
    change.undone_at = now
    # The undo itself is journaled (as done already, so /undo never takes it back): the event stream tells a
    # dashboard that the change is gone.
    record_change(session, account, "change.undo", now, change.id).undone_at = now
    session.flush()
    return undone


def _open_changes(account: Account) -> Select[Change]:
    return select(Change).where(Change.account_id == account.id, Change.undone_at.is_(None))
