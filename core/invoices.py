"""Invoices: bill a client's unbilled work in one transaction, preview it, list, re-send, record payment (voiding
is a credit note: :mod:`core.credit_notes`).

An invoice is a snapshot: its lines copy each task's date, description, minutes, rate and rounded amount, and
the seller and buyer blocks are copied too, so later changes to rates, clients or the profile never touch an
issued invoice, and its PDF re-renders to the same bytes from the stored rows alone.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from core import metrics, reminders
from core.accounts import format_date
from core.discounts import Discount, apply_discount
from core.encryption import Cipher
from core.errors import UserError
from core.i18n import _
from core.invoice_documents import (
    build_document,
    buyer_snapshot,
    document_line,
    invoice_document,
    notes_for,
    seller_snapshot,
)
from core.journal import record_change
from core.languages import invoice_language, reply_locale
from core.models import Account, Client, Invoice, InvoiceCounter, InvoiceLine, Task, table
from core.money import Money, format_money
from core.pdf import InvoiceDocument
from core.pricing import Bill, price_tasks
from core.receipts import receipt_files
from core.tax import TaxParty, VatTreatment, vat_treatment

DEFAULT_NUMBER_FORMAT = "INV-{year}-{seq:04}"
DEFAULT_CREDIT_NOTE_FORMAT = "CN-{year}-{seq:04}"
_CHUNK = 1000
"""Task ids per UPDATE … IN (…): well inside SQLite's and PostgreSQL's limits on bound parameters."""


# Issuing.


def issue_invoice(session: Session, account: Account, client: Client, cipher: Cipher, now: datetime, today: date,
                  until: date | None = None, discount: Discount | None = None, *, only: list[int] | None = None,
                  journal: bool = True, reach: tuple[str, str] | None = None, draft: Draft | None = None) -> Invoice:
    """Bill every unbilled task of ``client`` (up to ``until``; ``only``: just the tasks with these ids) as one
    numbered invoice, atomically, with ``discount`` taken off its work. ``journal=False``: issued by the bot on its
    own (a retainer), not a change the user made, so /undo doesn't take it back. ``draft``: what
    :func:`draft_invoice` made with ``lock=True`` for the same arguments earlier in this transaction (/invoice
    looks at it before issuing), so the tasks are read and priced once.

    Every invoice starts the account's overdue check, whichever way it was issued (chat, REST API, retainer):
    ``reach`` is the platform and chat it reports to, None where the account's reminders already go.

    The account's counter row is locked first, so two /invoice at the same moment queue up: the second sees the
    tasks already billed and gets "nothing to bill", and no number is taken. The tasks are locked too, so an
    edit can't slip in between pricing and billing.
    """
    profile = account.profile
    _require_seller_name(account)
    fmt, scope = series(account, today)
    if draft is None:
        counter = lock_counter(session, account, scope)
        tasks, bill = _priced(session, account, client, cipher, until, discount, lock=True, only=only)
    else:
        assert draft.counter is not None, "only a draft made with lock=True is issued"
        counter, tasks, bill = draft.counter, draft.tasks, draft.bill
    language = invoice_language(account, client)
    number = number_in(fmt, counter.next_seq, today)
    clash = session.scalar(select(Invoice.id).where(Invoice.account_id == account.id, Invoice.number == number))
    if clash is not None:
        raise UserError(
            _("Your number format makes {number}, which an earlier invoice already has. Change it with /profile set "
              "number_format INV-{{year}}-{{seq:04}} (any format with {{seq}}) and try again.").format(number=number)
        )
    counter.next_seq += 1
    due = today + timedelta(days=profile.terms_days)
    invoice = Invoice(
        account_id=account.id, client_id=client.id, number=number, status="open", issue_date=today, due_date=due,
        currency=bill.currency, locale=reply_locale(account, language), language=language,
        subtotal_minor=bill.subtotal.to_minor(),
        tax_rate=bill.tax_rate, tax_minor=bill.tax.to_minor(), total_minor=bill.total.to_minor(),
        discount_minor=bill.discount.to_minor() if bill.discount is not None else None,
        discount_percent=bill.discount_percent,
        seller_enc=cipher.encrypt(json.dumps(seller_snapshot(account, cipher, today, due, language))) or "",
        buyer=json.dumps(buyer_snapshot(client)), notes=notes_for(account, client), created_at=now,
    )
    session.add(invoice)
    session.flush()
    # Bulk statements on the tables rather than 2 × N ORM objects (or the ORM's bulk insert, which still collects
    # each row as it would an object's): a 500-line invoice stays a few milliseconds of SQL.
    session.execute(insert(table(InvoiceLine)), [
        {"invoice_id": invoice.id, "position": n, "task_id": line.task_id, "work_date": line.work_date,
         "description": line.description, "minutes": line.minutes, "rate": line.rate,
         "amount_minor": line.amount.to_minor(), "tax_category": line.tax_category, "tax_rate": line.tax_rate,
         "kind": line.kind}
        for n, line in enumerate(bill.lines, 1)
    ])
    set_invoice_of_tasks(session, [task.id for task in tasks], invoice.id)
    address = reach or reminders.usual_address(session, account)
    if address is not None:
        reminders.watch_overdue(session, account, *address, now)
    if journal:
        record_change(session, account, "invoice.issue", now, invoice.id)
    metrics.after_commit(session, metrics.invoice_issued)
    return invoice


@dataclass(frozen=True)
class Draft:
    """What /invoice would bill now: the tasks, their bill, and the document as a draft (no number); ``counter``:
    the account's counter row, locked (``lock=True``), else None."""

    tasks: list[Task]
    bill: Bill
    document: InvoiceDocument
    counter: InvoiceCounter | None = None


def preview_invoice(session: Session, account: Account, client: Client, cipher: Cipher, today: date,
                    until: date | None = None, discount: Discount | None = None) -> InvoiceDocument:
    """The document /invoice would issue now, as a draft: no number taken, nothing billed, nothing written."""
    return draft_invoice(session, account, client, cipher, today, until, discount).document


def draft_invoice(session: Session, account: Account, client: Client, cipher: Cipher, today: date,
                  until: date | None = None, discount: Discount | None = None, *, lock: bool = False) -> Draft:
    """The draft of :func:`preview_invoice` with its tasks and bill; ``lock``: the account's counter and the tasks
    locked as :func:`issue_invoice` locks them, so it can issue this draft without reading them again."""
    _require_seller_name(account)
    counter = lock_counter(session, account, series(account, today)[1]) if lock else None
    tasks, bill = _priced(session, account, client, cipher, until, discount, lock=lock)
    due = today + timedelta(days=account.profile.terms_days)
    language = invoice_language(account, client)
    seller = seller_snapshot(account, cipher, today, due, language)
    lines = tuple(document_line(line.work_date, line.description, line.minutes, line.rate, line.amount.amount,
                                line.tax_category, line.tax_rate, line.kind)
                  for line in bill.lines)
    return Draft(tasks, bill, build_document(
        seller, buyer_snapshot(client), None, "draft", today, due, bill.currency, reply_locale(account, language),
        lines, bill.subtotal.amount, bill.tax_rate, bill.tax.amount, bill.total.amount, notes_for(account, client),
        language=language, tax_groups=bill.tax_groups,
        discount=bill.discount.amount if bill.discount is not None else None, discount_percent=bill.discount_percent,
        receipts=receipt_files(session, ((line.task_id, line.description) for line in bill.lines
                                         if line.kind == "expense"))), counter)


def next_number(session: Session, account: Account, today: date, *, credit_note: bool = False) -> str:
    """The number an invoice (or credit note) issued now would take, read without a lock: a guess for a head
    start, which the issuing transaction confirms (another one may take that number first)."""
    fmt, scope = series(account, today, credit_note=credit_note)
    seq = session.scalar(select(InvoiceCounter.next_seq).where(InvoiceCounter.account_id == account.id,
                                                              InvoiceCounter.scope == scope))
    return number_in(fmt, seq or 1, today)


def series(account: Account, today: date, *, credit_note: bool = False) -> tuple[str, str]:
    """The number format of the account's invoices (or credit notes) and the counter that numbers them today."""
    if credit_note:
        fmt = account.profile.credit_note_format or DEFAULT_CREDIT_NOTE_FORMAT
        return fmt, "cn:" + counter_scope(fmt, today)
    fmt = account.profile.number_format or DEFAULT_NUMBER_FORMAT
    return fmt, counter_scope(fmt, today)


def number_in(fmt: str, seq: int, today: date) -> str:
    return fmt.format(seq=seq, year=today.year, month=today.month)


def set_invoice_of_tasks(session: Session, task_ids: list[int], invoice_id: int | None) -> None:
    """Bill the tasks ``task_ids`` on ``invoice_id`` (None: unbill them) with one UPDATE per chunk of ids, not one
    ORM flush per task: a 500-line invoice or void holds the write lock a few milliseconds for it, not a hundred.

    Task objects this session loaded keep the invoice_id they were loaded with (matching 500 of them against the
    ids in Python costs more than the UPDATE): read the tasks again after this to see it."""
    for start in range(0, len(task_ids), _CHUNK):
        session.execute(update(Task).where(Task.id.in_(task_ids[start:start + _CHUNK])).values(invoice_id=invoice_id)
                        .execution_options(synchronize_session=False))


def lock_counter(session: Session, account: Account, scope: str) -> InvoiceCounter:
    """The account's counter row for one series and period, locked until commit: numbers stay gapless and unique
    however many /invoice (or /void, whose credit notes have a series of their own) run at once."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(InvoiceCounter).values(account_id=account.id, scope=scope, next_seq=1)
                    .on_conflict_do_nothing())
    counter = session.scalar(
        select(InvoiceCounter).where(InvoiceCounter.account_id == account.id, InvoiceCounter.scope == scope)
        .with_for_update().execution_options(populate_existing=True)
    )
    assert counter is not None
    return counter


def counter_scope(fmt: str, today: date) -> str:
    """Numbers restart with each period the format shows: per month with {month}, per year with {year}."""
    if "{month" in fmt:
        return f"{today.year}-{today.month:02d}"
    if "{year" in fmt:
        return str(today.year)
    return "all"


def _unbilled_query(account: Account, client: Client, until: date | None) -> Select[Task]:
    query = select(Task).where(Task.account_id == account.id, Task.client_id == client.id,
                               Task.invoice_id.is_(None), Task.deleted_at.is_(None))
    if until is not None:
        query = query.where(Task.work_date <= until)
    return query.order_by(Task.work_date, Task.id)


def _unbilled(session: Session, account: Account, client: Client, until: date | None) -> list[Task]:
    return list(session.scalars(_unbilled_query(account, client, until)))


def _priced(session: Session, account: Account, client: Client, cipher: Cipher, until: date | None,
            discount: Discount | None, *, lock: bool, only: list[int] | None = None) -> tuple[list[Task], Bill]:
    tasks = (_lock_unbilled(session, account, client, until, only) if lock else
             _unbilled(session, account, client, until))
    if not tasks:
        raise UserError(_nothing_to_bill(client, until))
    return tasks, apply_discount(price_tasks(tasks, vat_treatment_for(account, client, cipher)), discount)


def _lock_unbilled(session: Session, account: Account, client: Client, until: date | None,
                   only: list[int] | None = None) -> list[Task]:
    query = _unbilled_query(account, client, until)
    if only is not None:
        query = query.where(Task.id.in_(only))
    query = query.with_for_update().execution_options(populate_existing=True)
    return list(session.scalars(query))


def _nothing_to_bill(client: Client, until: date | None) -> str:
    if until:
        return _("Nothing to bill for {client} up to {date}: there is no unbilled work. /tasks {client} shows it.").format(
            client=client.name, date=format_date(until))
    return _("Nothing to bill for {client}: there is no unbilled work. /tasks {client} shows it.").format(
        client=client.name)


def _require_seller_name(account: Account) -> None:
    if not (account.profile.name or "").strip():
        raise UserError(_("An invoice needs your business name first: /profile set name Jane Doe Design (and "
                          "/profile set address …, /profile set payment IBAN … for the PDF)."))


def vat_treatment_for(account: Account, client: Client, cipher: Cipher) -> VatTreatment:
    """The VAT category and rate of an invoice to ``client`` now (:func:`core.tax.vat_treatment`)."""
    profile = account.profile
    rate = client.tax_rate if client.tax_rate is not None else profile.tax_rate
    seller = TaxParty(profile.country, cipher.decrypt(profile.vat_id_enc))
    return vat_treatment(seller, TaxParty(client.country, client.vat_id), rate, exempt=bool(profile.vat_exempt))


# Reading issued invoices back.


def find_invoice(session: Session, account: Account, number: str, *, lock: bool = False) -> Invoice:
    """The account's invoice by number, exact or case-insensitive; ``lock`` holds its row until commit, so a
    /paid and a /void of the same invoice at the same moment are decided one after the other."""
    wanted = number.strip()
    if not wanted:
        raise UserError(_("Which invoice? Give its number, e.g. INV-2026-0001; /invoices lists them."))
    for condition in (Invoice.number == wanted, func.lower(Invoice.number) == wanted.lower()):
        query = select(Invoice).where(Invoice.account_id == account.id, condition).order_by(Invoice.id).limit(2)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        found = list(session.scalars(query))
        if len(found) == 1:
            return found[0]
    raise UserError(_("There is no invoice {number}. /invoices lists your invoices with their numbers.").format(
        number=wanted))


def list_invoices(session: Session, account: Account, client: Client | None = None) -> list[Invoice]:
    query = select(Invoice).where(Invoice.account_id == account.id)
    if client is not None:
        query = query.where(Invoice.client_id == client.id)
    return list(session.scalars(query.order_by(Invoice.issue_date, Invoice.id)))


def invoice_status(invoice: Invoice, today: date) -> str:
    """``open``, ``overdue`` (open past its due date), ``paid`` or ``void``; a credit note is ``credit_note``."""
    if invoice.kind == "credit_note":
        return "credit_note"
    if invoice.status == "open" and invoice.due_date < today:
        return "overdue"
    return invoice.status


def invoice_total(invoice: Invoice) -> Money:
    return Money.from_minor(invoice.total_minor, invoice.currency)


def show_invoice(session: Session, account: Account, number: str, cipher: Cipher) -> tuple[Invoice, InvoiceDocument]:
    invoice = find_invoice(session, account, number)
    return invoice, invoice_document(invoice, cipher)


# Listing.


def describe_invoice(invoice: Invoice, today: date, locale: str, paid: Money | None = None,
                     last_paid_on: date | None = None) -> str:
    """One line for /invoices: number, client, date, total, status (a credit note: the invoice it cancels); an
    invoice paid in part shows what is still outstanding (``paid`` is what its payments add up to)."""
    status = invoice_status(invoice, today)
    total = invoice_total(invoice)
    left = total - paid if paid is not None and paid.amount > 0 else None
    if invoice.kind == "credit_note":
        corrected = invoice.corrects.number if invoice.corrects is not None else "—"
        detail = (_("credit note for {number}, withdrawn") if invoice.withdrawn_at is not None else
                  _("credit note for {number}")).format(number=corrected)
    elif status == "void" and invoice.corrected_by is not None:
        detail = _("void, cancelled by {number}").format(number=invoice.corrected_by.number)
    elif status == "void":
        detail = _("void")
    elif status == "paid":
        detail = _("paid {date}").format(date=format_date(last_paid_on, locale)) if last_paid_on else _("paid")
    elif left is not None:
        detail = (_("overdue since {date}, {outstanding} of it outstanding") if status == "overdue" else
                  _("open, {outstanding} of it outstanding, due {date}")).format(
            date=format_date(invoice.due_date, locale), outstanding=format_money(left, locale))
    else:
        detail = (_("overdue since {date}") if status == "overdue" else _("open, due {date}")).format(
            date=format_date(invoice.due_date, locale))
    return (f"{invoice.number} · {invoice.client.name} · {format_date(invoice.issue_date, locale)} · "
            f"{format_money(total, locale)} · {detail}")
