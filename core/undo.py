"""/undo: take back exactly the account's last change, whatever its kind, or say plainly which change it was and
that it can't be taken back — never something else.

Each kind of change has an entry in :data:`KINDS`: how to name it, and (where it can be taken back) how. A kind
without an undo function is refused with its name, and nothing changes. Adding one is adding a function here.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from core import reminders
from core.accounts import PROFILE_COLUMN_TYPES, SECRET_PROFILE_COLUMNS, format_date
from core.clients import name_key, remove_client, restore_client, restore_client_fields
from core.credit_notes import credit_invoice
from core.errors import UserError
from core.i18n import _, ngettext
from core.imports import IMPORT_KIND, forget_import
from core.journal import record_change
from core.models import Account, Change, Client, Invoice, Payment, RecurringInvoice, Task, Timer
from core.money import Money, format_money
from core.payments import outstanding, paid_so_far, remove_payment, restore_payment
from core.recurring import turn_on_again
from core.tasks import find_task, require_unbilled, restore_fields
from core.timers import drop_timer, format_instant, restore_timer

RECENT_ISSUE = timedelta(minutes=10)
"""An invoice issued this recently and never sent can be undone (it is credited, never deleted: SPEC §6)."""


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


def _before(change: Change) -> dict[str, object]:
    return dict(json.loads(change.before or "{}"))


def _client(session: Session, account: Account, change: Change) -> Client:
    client = session.get(Client, change.subject_id) if change.subject_id is not None else None
    if client is None or client.account_id != account.id:
        raise UserError(_("That client is no longer in your books, so there is nothing to take back."))
    return client


def _undo_client_add(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    """A client just added goes again, unless work, an invoice or a timer already names it."""
    client = _client(session, account, change)
    if session.scalar(select(Invoice.id).where(Invoice.client_id == client.id).limit(1)) is not None:
        raise UserError(_("{name} has invoices now, so adding it can't be taken back. Nothing was changed.").format(
            name=client.name))
    live = session.scalar(select(func.count()).select_from(Task).where(Task.client_id == client.id,
                                                                       Task.deleted_at.is_(None)))
    if live:
        raise UserError(ngettext("{name} has {n} logged task now, so adding it can't be taken back. Nothing was "
                                 "changed.", "{name} has {n} logged tasks now, so adding it can't be taken back. "
                                 "Nothing was changed.", live).format(name=client.name, n=live))
    if session.scalar(select(Timer.id).where(Timer.client_id == client.id)) is not None:
        raise UserError(_("Your running timer is for {name}, so adding it can't be taken back. Nothing was "
                          "changed.").format(name=client.name))
    if session.scalar(select(RecurringInvoice.id).where(RecurringInvoice.client_id == client.id).limit(1)):
        raise UserError(_("{name} has a retainer (/recurring), so adding it can't be taken back. Nothing was "
                          "changed.").format(name=client.name))
    name = client.name
    remove_client(session, account, client, now)
    return Undone(change.kind, text=_("Took back adding the client {name}; it is gone again.").format(name=name))


def _undo_client_delete(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    client = restore_client(session, account, change.subject_id, _before(change), now)
    return Undone(change.kind, text=_("Took back deleting the client {name}; it is back in /clients.").format(
        name=client.name))


def _undo_client_set(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    client = _client(session, account, change)
    before = _before(change)
    if "name" in before:
        old = str(before["name"])
        clash = session.scalar(select(Client).where(Client.account_id == account.id, Client.id != client.id,
                                                    Client.name_key == name_key(old)))
        if clash is not None:
            raise UserError(_("You have another client called {name} now, so the old name can't come back. "
                              "Nothing was changed.").format(name=clash.name))
    restore_client_fields(client, before)
    field = str(before.get("field", ""))
    if field == "archived":
        text = (_("Took back archiving {name}; it is back in /clients.") if not client.archived else
                _("Took back bringing {name} back; it is archived again.")).format(name=client.name)
    else:
        text = _("Took back changing the {field} of {name}.").format(field=field.replace("_", " "), name=client.name)
    return Undone(change.kind, text=text)


def _undo_profile_set(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    profile = account.profile
    before = _before(change)
    field = str(before.get("field", ""))
    if field in SECRET_PROFILE_COLUMNS:
        if not before.get("secret_kept"):
            raise UserError(_("Your profile's {field} was changed before I kept its old value, so I can't put it "
                              "back. Nothing was changed.").format(field=field.replace("_", " ")))
        setattr(profile, SECRET_PROFILE_COLUMNS[field], change.before_enc)
    for column, value in before.items():
        if column in ("field", "secret_kept") or not hasattr(profile, column):
            continue
        if value is not None and column in PROFILE_COLUMN_TYPES:
            value = Decimal(str(value))
        setattr(profile, column, value)
    return Undone(change.kind, text=_("Took back changing your profile's {field}.").format(
        field=field.replace("_", " ")))


def _undo_timezone(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    account.timezone = str(_before(change)["timezone"])
    reminders.reschedule(session, account, now)
    return Undone(change.kind, text=_("Took back changing your timezone; it is {zone} again.").format(
        zone=account.timezone))


def was_sent(session: Session, invoice: Invoice) -> bool:
    """Whether the document went out to anyone by e-mail (or may have: an attempt was made): then it is in the
    client's hands and stands. The e-mail outbox answers."""
    from core import mail

    return mail.was_sent(session, invoice)


def _undo_issue(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    """An invoice nobody has seen yet is cancelled by a credit note (its number is never reused) and its work is
    unbilled again; one that is older, sent or paid stands, and /void is the way to cancel it."""
    invoice = session.get(Invoice, change.subject_id)
    if invoice is None or invoice.account_id != account.id:
        raise UserError(_("That invoice is no longer in your books, so there is nothing to take back."))
    if invoice.status == "void":
        raise UserError(_("{number} is already cancelled, so there is nothing to take back.").format(
            number=invoice.number))
    if now - invoice.created_at > RECENT_ISSUE:
        raise UserError(_("{number} was issued more than 10 minutes ago, so /undo leaves it as it is. To cancel it, "
                          "/void {number} issues a credit note.").format(number=invoice.number))
    if was_sent(session, invoice):
        raise UserError(_("{number} was already e-mailed, so /undo leaves it as it is. To cancel it, /void {number} "
                          "issues a credit note.").format(number=invoice.number))
    if paid_so_far(session, invoice).amount > 0 or invoice.status == "paid":
        raise UserError(_("{number} has a payment recorded, so /undo leaves it as it is. Take the payment back "
                          "first (/unpaid {number}).").format(number=invoice.number))
    today = now.astimezone(ZoneInfo(account.timezone)).date()
    credit, invoice, reopened = credit_invoice(session, account, invoice.number, now, today, journal=False)
    return Undone(change.kind, text=ngettext(
        "Took back issuing {number}: credit note {credit} cancels it (the number stays used, as the law wants), "
        "and its {n} task is unbilled again. /invoice show {credit} shows the credit note.",
        "Took back issuing {number}: credit note {credit} cancels it (the number stays used, as the law wants), "
        "and its {n} tasks are unbilled again. /invoice show {credit} shows the credit note.", reopened).format(
        number=invoice.number, credit=credit.number, n=reopened))


def _undo_void(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    """The invoice is open again and its work billed on it again; its credit note keeps its number, withdrawn —
    only while that credit note never went out."""
    invoice = session.get(Invoice, change.subject_id)
    before = _before(change)
    credit = session.get(Invoice, before.get("credit_note")) if before.get("credit_note") is not None else None
    if invoice is None or invoice.account_id != account.id or credit is None or invoice.status != "void":
        raise UserError(_("That void is no longer on record, so there is nothing to take back."))
    if was_sent(session, credit):
        raise UserError(_("Credit note {credit} was already e-mailed, so the void of {number} stands. To bill the "
                          "work again, use /invoice {client}.").format(credit=credit.number, number=invoice.number,
                                                                       client=invoice.client.name))
    listed = before.get("task_ids")
    task_ids = [int(task_id) for task_id in listed] if isinstance(listed, list) else []
    tasks = list(session.scalars(select(Task).where(Task.account_id == account.id, Task.id.in_(task_ids))
                                 .with_for_update())) if task_ids else []
    for task in tasks:
        if task.invoice_id is not None or task.deleted_at is not None:
            raise UserError(_("Task #{task} is no longer unbilled work, so the void of {number} can't be taken "
                              "back. Nothing was changed.").format(task=task.number, number=invoice.number))
    credit.withdrawn_at = now
    session.flush()  # the withdrawn credit note leaves the one-credit-note-per-invoice index first
    invoice.status = str(before.get("status") or "open")
    invoice.voided_at = None
    for task in tasks:
        task.invoice_id = invoice.id
    session.flush()
    return Undone(change.kind, text=_("Took back voiding {number}: it is open again, with its work billed on it. "
                                      "Credit note {credit} keeps its number, marked withdrawn.").format(
        number=invoice.number, credit=credit.number))


def _retainer(session: Session, account: Account, change: Change) -> RecurringInvoice:
    row = session.get(RecurringInvoice, change.subject_id) if change.subject_id is not None else None
    if row is None or row.account_id != account.id:
        raise UserError(_("That retainer is no longer on record, so there is nothing to take back."))
    return row


def _retainer_number(session: Session, change: Change) -> str:
    row = session.get(RecurringInvoice, change.subject_id) if change.subject_id is not None else None
    return f"#{row.number}" if row is not None else "?"


def _undo_recurring_add(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    """The retainer stops; an invoice it issued meanwhile stays (/void cancels it)."""
    row = _retainer(session, account, change)
    row.active = False
    row.cancelled_at = now
    return Undone(change.kind, text=_("Took back adding retainer #{id}; it won't issue anything.").format(
        id=row.number))


def _undo_recurring_off(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    row = _retainer(session, account, change)
    turn_on_again(session, account, row)
    return Undone(change.kind, text=_("Took back stopping retainer #{id}; it runs again.").format(id=row.number))


def _undo_import(session: Session, account: Account, change: Change, now: datetime) -> Undone:
    tasks = forget_import(session, change)
    return Undone(change.kind, text=ngettext("Took back the import: its {n} task is removed.",
                                             "Took back the import: its {n} tasks are removed.", tasks).format(n=tasks))


KINDS: dict[str, ChangeKind] = {
    "task.log": ChangeKind(lambda s, c: _("logging task {task}").format(task=_task_number(s, c)), _undo_log),
    "task.edit": ChangeKind(lambda s, c: _("changing task {task}").format(task=_task_number(s, c)), _undo_edit),
    "task.delete": ChangeKind(lambda s, c: _("deleting task {task}").format(task=_task_number(s, c)), _undo_delete),
    "client.add": ChangeKind(lambda s, c: _("adding the client {name}").format(name=_client_name(s, c)),
                             _undo_client_add),
    "client.delete": ChangeKind(lambda s, c: _("deleting the client {name}").format(
        name=json.loads(c.before or "{}").get("name", "?")), _undo_client_delete),
    "client.set": ChangeKind(lambda s, c: _("changing the {field} of {name}").format(
        field=_field(c), name=_client_name(s, c)), _undo_client_set),
    "profile.set": ChangeKind(lambda s, c: _("changing your profile's {field}").format(field=_field(c)),
                              _undo_profile_set),
    "account.timezone": ChangeKind(lambda s, c: _("changing your timezone"), _undo_timezone),
    "invoice.issue": ChangeKind(lambda s, c: _("issuing {number}").format(number=_invoice_number(s, c)),
                                _undo_issue),
    "invoice.paid": ChangeKind(lambda s, c: _("recording a payment on {number}").format(
        number=_invoice_number(s, c)), _undo_paid),
    "invoice.unpaid": ChangeKind(lambda s, c: _("taking back a payment on {number}").format(
        number=_invoice_number(s, c)), _undo_unpaid),
    "invoice.void": ChangeKind(lambda s, c: _("voiding {number}").format(number=_invoice_number(s, c)), _undo_void),
    "recurring.add": ChangeKind(lambda s, c: _("adding retainer {id}").format(id=_retainer_number(s, c)),
                                _undo_recurring_add),
    "recurring.off": ChangeKind(lambda s, c: _("stopping retainer {id}").format(id=_retainer_number(s, c)),
                                _undo_recurring_off),
    "timer.start": ChangeKind(lambda s, c: _("starting a timer"), _undo_timer_start),
    "timer.stop": ChangeKind(lambda s, c: _("stopping the timer"), _undo_timer_end),
    "timer.cancel": ChangeKind(lambda s, c: _("cancelling the timer"), _undo_timer_end),
    IMPORT_KIND: ChangeKind(lambda s, c: _("importing a time-tracking export"), _undo_import),
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
    record_change(session, account, "change.undo", now, change.id, undone=True)
    session.flush()
    return undone


def _open_changes(account: Account) -> Select[Change]:
    return select(Change).where(Change.account_id == account.id, Change.undone_at.is_(None))
