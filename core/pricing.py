"""Pricing: what a set of tasks bills, line by line, as it will be printed.

Each line is rate × hours rounded half-up to the currency's minor unit once; the subtotal is the sum of those
printed amounts and the tax is computed on that sum, so an invoice always adds up on paper (SPEC §7).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.errors import UserError
from core.i18n import _
from core.models import Task
from core.money import Money, line_amount
from core.tasks import billed_minutes, task_currency, task_rate
from core.tax import TaxGroup, VatTreatment, tax_breakdown


@dataclass(frozen=True)
class PricedLine:
    task_id: int
    work_date: date
    description: str
    minutes: int | None
    """None for a fixed-price item."""
    rate: Decimal | None
    amount: Money
    tax_category: str
    tax_rate: Decimal
    """This line's VAT rate in percent (an expense may have its own)."""
    kind: str = "work"
    """``work`` or ``expense`` (listed in a section of its own)."""


@dataclass(frozen=True)
class Bill:
    """What a set of tasks bills: the lines as they will be printed and totals that are sums of those lines."""

    currency: str
    lines: tuple[PricedLine, ...]
    subtotal: Money
    tax_rate: Decimal
    """The invoice's rate in percent (of its work; lines may differ)."""
    tax: Money
    total: Money
    tax_groups: tuple[TaxGroup, ...] = ()
    """The VAT breakdown: one group per category and rate, each taxed on the sum of its lines."""
    discount: Money | None = None
    """Taken off the work before tax (:mod:`core.discounts`); ``subtotal`` is net of it."""
    discount_percent: Decimal | None = None


def price_tasks(tasks: Sequence[Task], treatment: VatTreatment) -> Bill:
    """Price each task half-up to the minor unit once, then add up the printed amounts and tax each group of
    lines with one category and rate on its sum (:func:`core.tax.tax_breakdown`).

    Refuses a task without a rate and a mix of currencies: both would print an invoice that is wrong.
    """
    if not tasks:
        raise ValueError("no tasks to price")
    currencies = sorted({task_currency(task) for task in tasks})
    if len(currencies) > 1:
        per = ", ".join(f"#{t.number} {task_currency(t)}" for t in tasks[:12])
        raise UserError(_("These tasks are in different currencies ({currencies}: {tasks}); one invoice has one "
                          "currency. Edit the odd ones out (/edit ID …) or bill them separately with /invoice CLIENT "
                          "until DATE.").format(currencies=", ".join(currencies), tasks=per))
    currency = currencies[0]
    lines = []
    for task in tasks:
        if task.fixed_amount_minor is not None:
            amount, minutes, rate = Money.from_minor(task.fixed_amount_minor, currency), None, None
        else:
            rate, minutes = task_rate(task), billed_minutes(task)
            if rate is None or minutes is None:
                raise UserError(_("Task #{task} has no rate, so I can't price it. Set the client's rate with "
                                  "/client set {client} rate 80, then try again.").format(task=task.number,
                                                                                        client=task.client.name))
            amount = line_amount(rate, minutes, currency)  # the billed minutes: rounded up to the increment
        category, tax_rate = line_tax(task, treatment)
        lines.append(PricedLine(task.id, task.work_date, task.description or "", minutes, rate, amount,
                                category, tax_rate, task.kind))
    lines.sort(key=lambda line: line.kind == "expense")  # the work first, then the expenses (stable: by date)
    subtotal = sum((line.amount for line in lines), Money.zero(currency))
    groups = tax_breakdown(((line.tax_category, line.tax_rate, line.amount) for line in lines), currency)
    tax = sum((group.tax for group in groups), Money.zero(currency))
    return Bill(currency, tuple(lines), subtotal, treatment.rate, tax, subtotal + tax, groups)


def line_tax(task: Task, treatment: VatTreatment) -> tuple[str, Decimal]:
    """The VAT category and rate of a task's line: the invoice's, unless an expense has a rate of its own and the
    invoice charges VAT at all (standard or zero rated): reverse charge, export and exemption cover every line."""
    if task.kind != "expense" or task.tax_rate is None or treatment.category not in ("S", "Z"):
        return treatment.category, treatment.rate
    return ("S", task.tax_rate) if task.tax_rate > 0 else ("Z", Decimal(0))
