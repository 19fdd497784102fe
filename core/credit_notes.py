"""Credit notes: an issued invoice is cancelled by a credit note, never edited or deleted (SPEC §7).

The credit note has its own gapless series (``CN-{year}-{seq:04}`` unless the profile says otherwise), is dated the
day it is issued, refers to the invoice it cancels (EN 16931 BT-25, type code 381) and repeats its lines, parties
and figures, so the two documents cancel out in the books. The invoice keeps its number, is marked void and
re-renders stamped "Cancelled by CN-…"; its work is unbilled again, ready for a corrected invoice.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Integer, insert, literal, select
from sqlalchemy.orm import Session

from core.errors import UserError
from core.i18n import _
from core.invoices import find_invoice, lock_counter, number_in, series, set_invoice_of_tasks
from core.journal import record_change
from core.models import Account, Invoice, InvoiceLine, Task, table
from core.money import format_money
from core.payments import paid_so_far


def credit_invoice(session: Session, account: Account, number: str, now: datetime,
                   today: date, *, journal: bool = True) -> tuple[Invoice, Invoice, int]:
    """Cancel the invoice ``number`` with a credit note; returns the credit note, the invoice and how many tasks
    are unbilled again. ``journal=False``: the void is part of another change (/undo of an invoice just issued),
    not a change of its own.

    The invoice row is locked first, so two /void of one invoice at the same moment queue up and the second finds
    it void already; a unique index on the credit note's reference refuses a second one in any case.
    """
    invoice = find_invoice(session, account, number, lock=True)
    if invoice.kind == "credit_note":
        raise UserError(_("{number} is a credit note; it can't be voided. To bill the work again, use "
                          "/invoice {client}.").format(number=invoice.number, client=invoice.client.name))
    if invoice.status == "void":
        cancelled_by = session.scalar(select(Invoice.number).where(Invoice.corrects_id == invoice.id,
                                                                   Invoice.withdrawn_at.is_(None)))
        if cancelled_by:
            raise UserError(_("{number} is already cancelled by credit note {credit}.").format(
                number=invoice.number, credit=cancelled_by))
        raise UserError(_("{number} is already void.").format(number=invoice.number))
    if invoice.status == "paid":
        raise UserError(_("{number} is recorded as paid; a paid invoice can't be voided.").format(
            number=invoice.number))
    received = paid_so_far(session, invoice)
    if received.amount > 0:
        raise UserError(_("{number} has {amount} paid on it; a credit note would cancel money you received. Take the "
                          "payments back first (/unpaid {number}), then void it.").format(
            number=invoice.number, amount=format_money(received)))
    fmt, scope = series(account, today, credit_note=True)
    counter = lock_counter(session, account, scope)
    credit_number = number_in(fmt, counter.next_seq, today)
    clash = session.scalar(select(Invoice.id).where(Invoice.account_id == account.id,
                                                    Invoice.number == credit_number))
    if clash is not None:
        raise UserError(_("Your credit note format makes {number}, which an earlier document already has. Change it "
                          "with /profile set credit_note_format CN-{{year}}-{{seq:04}} and try again.").format(
                              number=credit_number))
    counter.next_seq += 1
    credit = Invoice(
        account_id=account.id, client_id=invoice.client_id, kind="credit_note", corrects_id=invoice.id,
        number=credit_number, status="issued", issue_date=today, due_date=today, currency=invoice.currency,
        locale=invoice.locale, language=invoice.language, subtotal_minor=invoice.subtotal_minor,
        tax_rate=invoice.tax_rate,
        tax_minor=invoice.tax_minor, total_minor=invoice.total_minor, discount_minor=invoice.discount_minor,
        discount_percent=invoice.discount_percent, seller_enc=invoice.seller_enc,
        buyer=invoice.buyer, notes=None, created_at=now,
    )
    session.add(credit)
    session.flush()
    lines = table(InvoiceLine)
    copied = [lines.c[name] for name in ("position", "task_id", "work_date", "description", "minutes", "rate",
                                         "amount_minor", "tax_category", "tax_rate", "kind")]
    # One INSERT … SELECT: the lines are copied by the database, not read into 500 objects and written back.
    session.execute(insert(lines).from_select(
        ["invoice_id", *(column.name for column in copied)],
        select(literal(credit.id, Integer), *copied).where(lines.c.invoice_id == invoice.id)))
    before_status = invoice.status
    invoice.status = "void"
    invoice.voided_at = now
    reopened = list(session.scalars(select(Task.id).where(Task.account_id == account.id,
                                                          Task.invoice_id == invoice.id).with_for_update()))
    set_invoice_of_tasks(session, reopened, None)
    if journal:
        record_change(session, account, "invoice.void", now, invoice.id,
                      {"status": before_status, "task_ids": reopened, "credit_note": credit.id})
    session.flush()
    session.refresh(credit)
    return credit, invoice, len(reopened)
