"""Discounts: ``/invoice ACME discount 10%`` or ``discount 50`` takes a percentage or an amount off the invoice's
work before tax (expenses are re-charged at cost and keep their amounts).

The discount is one document-level allowance (EN 16931 BG-20) in the VAT category and rate of the work, so the
work's VAT group is taxed on its sum less the discount; the page prints it as a line of its own, and the invoice's
subtotal is net of it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal

from core.errors import UserError
from core.i18n import _, pgettext
from core.money import Money, format_money, parse_decimal, parse_money
from core.pricing import Bill
from core.tax import tax_breakdown


@dataclass(frozen=True)
class Discount:
    """What the user asked for: a percentage of the work, or an amount in the client's currency."""

    percent: Decimal | None = None
    amount: Money | None = None

    def to_json(self) -> str:
        return json.dumps({"percent": str(self.percent) if self.percent is not None else None,
                           "amount": str(self.amount.amount) if self.amount is not None else None,
                           "currency": self.amount.currency if self.amount is not None else None})

    @classmethod
    def from_json(cls, text: str) -> Discount:
        data = json.loads(text)
        return cls(Decimal(data["percent"]) if data.get("percent") is not None else None,
                   Money(Decimal(data["amount"]), data["currency"]) if data.get("amount") is not None else None)

    def command_words(self) -> str:
        """How it is typed after /invoice CLIENT (not user text: read back by :func:`parse_discount`)."""
        return f"discount {self.percent}%" if self.percent is not None else f"discount {self.amount.amount}"  # type: ignore[union-attr]


def parse_discount(text: str, currency: str) -> Discount:
    """``10%`` (``10 %``) or ``50`` (``€50``, ``50 EUR``) in ``currency``; anything else is a question back."""
    cleaned = " ".join(text.split())
    if cleaned.endswith("%"):
        percent = parse_decimal(cleaned.rstrip("% "), pgettext("a number the user gives", "discount"))
        if percent > 100:
            raise UserError(_("A discount in percent is between 0 and 100, not {percent}%.").format(
                percent=cleaned.rstrip("% ")))
        if percent <= 0:
            raise UserError(_("A discount must be above zero, not {text}.").format(text=cleaned))
        return Discount(percent=percent)
    amount = parse_money(cleaned, currency) if cleaned else None
    if amount is None:
        raise UserError(_("How much discount? Write a percentage or an amount after “discount”, e.g. discount 10% "
                          "or discount 50."))
    if amount.amount <= 0:
        raise UserError(_("A discount must be above zero, not {text}.").format(text=cleaned))
    return Discount(amount=amount)


def apply_discount(bill: Bill, discount: Discount | None) -> Bill:
    """The bill with ``discount`` taken off its work before tax; refused when larger than the work."""
    if discount is None:
        return bill
    work = [line for line in bill.lines if line.kind != "expense"]
    if not work:
        raise UserError(_("There is no work to take a discount off on this invoice: a discount comes off the work, "
                          "and expenses are re-charged as they were paid."))
    work_sum = sum((line.amount for line in work), Money.zero(bill.currency))
    if discount.percent is not None:
        off = Money(work_sum.amount * discount.percent / 100, bill.currency).rounded()
    else:
        assert discount.amount is not None
        off = discount.amount
    if off.amount > work_sum.amount:
        raise UserError(_("A discount of {discount} is larger than the work it comes off ({work}); give at most "
                          "{work}.").format(discount=format_money(off), work=format_money(work_sum)))
    category, rate = work[0].tax_category, work[0].tax_rate  # the work of one invoice shares its VAT treatment
    entries = [(line.tax_category, line.tax_rate, line.amount) for line in bill.lines]
    groups = tax_breakdown([*entries, (category, rate, Money(-off.amount, bill.currency))], bill.currency)
    tax = sum((group.tax for group in groups), Money.zero(bill.currency))
    subtotal = bill.subtotal - off
    return replace(bill, subtotal=subtotal, tax=tax, total=subtotal + tax, tax_groups=groups, discount=off,
                   discount_percent=discount.percent)
