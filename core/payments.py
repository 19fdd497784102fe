"""Payments: money received against an invoice, in full or in parts (SPEC §6 /paid, /unpaid).

An invoice is paid when its payments reach its total; a payment above what is outstanding is refused, since it
would leave the books saying the client owes less than nothing. A payment taken back (/unpaid, /undo) is marked
removed, never deleted, so /undo can put it back as it was. These are plain functions of the session, so every
channel (and the REST API) records payments the same way; the caller's transaction commits them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts import format_date
from core.errors import UserError
from core.i18n import _
from core.invoices import find_invoice, invoice_total
from core.journal import record_change
from core.models import Account, Invoice, Payment
from core.money import Money, format_money


@dataclass(frozen=True)
class PaidSoFar:
    minor: int = 0
    """The payments' sum, in the invoice currency's minor unit."""
    last_on: date | None = None
    """The day of the latest payment."""


def paid_so_far(session: Session, invoice: Invoice) -> Money:
    """What the invoice's payments add up to (those not taken back)."""
    return Money.from_minor(paid_by_invoice(session, [invoice.id]).get(invoice.id, PaidSoFar()).minor,
                            invoice.currency)


def paid_by_invoice(session: Session, invoice_ids: Iterable[int]) -> dict[int, PaidSoFar]:
    """Each invoice's payments so far, in one grouped query (for lists of invoices)."""
    ids = sorted(set(invoice_ids))
    if not ids:
        return {}
    rows = session.execute(select(Payment.invoice_id, func.sum(Payment.amount_minor), func.max(Payment.paid_on))
                           .where(Payment.invoice_id.in_(ids), Payment.removed_at.is_(None))
                           .group_by(Payment.invoice_id))
    return {invoice_id: PaidSoFar(int(total or 0), last_on) for invoice_id, total, last_on in rows}


def outstanding(session: Session, invoice: Invoice) -> Money:
    """What the client still owes on an invoice: its total less its payments; nothing on a void invoice."""
    if invoice.kind != "invoice" or invoice.status == "void":
        return Money.zero(invoice.currency)
    return invoice_total(invoice) - paid_so_far(session, invoice)


def live_payments(session: Session, invoice: Invoice) -> list[Payment]:
    """The invoice's payments not taken back, oldest first."""
    return list(session.scalars(select(Payment).where(Payment.invoice_id == invoice.id, Payment.removed_at.is_(None))
                                .order_by(Payment.id)))


def record_payment(session: Session, account: Account, number: str, amount: Money | None, paid_on: date,
                   today: date, now: datetime) -> Payment:
    """Record money received on the invoice ``number`` (``amount`` None: all that is outstanding) and journal it.

    The invoice row is locked first, so a /paid and a /void (or two /paid) of one invoice are decided one after the
    other, and two payments can't together pass its total.
    """
    invoice = find_invoice(session, account, number, lock=True)
    if invoice.kind == "credit_note":
        raise UserError(_("{number} is a credit note: there is nothing to pay.").format(number=invoice.number))
    if invoice.status == "void":
        raise UserError(_("{number} is void, so it can't be paid. /invoices shows the open ones.").format(
            number=invoice.number))
    due = outstanding(session, invoice)
    if due.amount <= 0:
        last = live_payments(session, invoice)
        raise UserError(_("{number} is already recorded as paid on {date}.").format(
            number=invoice.number, date=format_date(last[-1].paid_on if last else invoice.issue_date)))
    if paid_on > today:
        raise UserError(_("{date} is in the future; record a payment once it has arrived.").format(
            date=format_date(paid_on)))
    if paid_on < invoice.issue_date:
        raise UserError(_("{number} was issued on {issued}; it can't have been paid on {date}.").format(
            number=invoice.number, issued=format_date(invoice.issue_date), date=format_date(paid_on)))
    if amount is None:
        amount = due
    if amount.currency != invoice.currency:
        raise UserError(_("{number} is billed in {currency}: give the payment in {currency}.").format(
            number=invoice.number, currency=invoice.currency))
    if amount.amount <= 0:
        raise UserError(_("A payment must be more than zero."))
    if amount.amount > due.amount:
        raise UserError(_("{amount} is more than the {outstanding} still outstanding on {number}; I don't record "
                          "overpayments. Record at most {outstanding}.").format(
            amount=format_money(amount), outstanding=format_money(due), number=invoice.number))
    payment = Payment(account_id=account.id, invoice_id=invoice.id, amount_minor=amount.to_minor(), paid_on=paid_on,
                      created_at=now)
    session.add(payment)
    session.flush()
    settle(session, invoice)
    record_change(session, account, "invoice.paid", now, invoice.id, {"payment": payment.id})
    return payment


def take_back_last_payment(session: Session, account: Account, number: str, now: datetime) -> Payment:
    """/unpaid: the invoice's newest payment is taken back (journaled, so /undo puts it back)."""
    invoice = find_invoice(session, account, number, lock=True)
    payments = live_payments(session, invoice)
    if not payments:
        raise UserError(_("There is no payment on {number} to take back.").format(number=invoice.number))
    payment = payments[-1]
    remove_payment(session, payment, now)
    record_change(session, account, "invoice.unpaid", now, invoice.id, {"payment": payment.id})
    return payment


def remove_payment(session: Session, payment: Payment, now: datetime) -> Invoice:
    """Take one payment back (it stays on record, marked removed); the invoice is open again if it now falls short."""
    invoice = _invoice_of(session, payment)
    payment.removed_at = now
    session.flush()
    settle(session, invoice)
    return invoice


def restore_payment(session: Session, payment: Payment) -> Invoice:
    """Put a payment taken back in place again (undoing /unpaid); refused if it would now overpay the invoice."""
    invoice = _invoice_of(session, payment)
    amount = Money.from_minor(payment.amount_minor, invoice.currency)
    if invoice.status == "void" or amount.amount > outstanding(session, invoice).amount:
        raise UserError(_("Putting back the payment of {amount} would pay {number} more than its total, so I left "
                          "it as it is.").format(amount=format_money(amount), number=invoice.number))
    payment.removed_at = None
    session.flush()
    settle(session, invoice)
    return invoice


def settle(session: Session, invoice: Invoice) -> None:
    """An open invoice whose payments reach its total is paid; a paid one that falls short is open again."""
    if invoice.kind != "invoice" or invoice.status == "void":
        return
    invoice.status = "paid" if paid_so_far(session, invoice).amount >= invoice_total(invoice).amount else "open"
    session.flush()


def _invoice_of(session: Session, payment: Payment) -> Invoice:
    invoice = session.scalar(select(Invoice).where(Invoice.id == payment.invoice_id).with_for_update()
                             .execution_options(populate_existing=True))
    assert invoice is not None
    return invoice
