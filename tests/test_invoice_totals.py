"""Totals always equal the sum of the printed lines: each line rounded half-up once, then summed, then taxed; with a
billing increment each line prints the billed time, and its rate × time still gives its amount."""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from core.models import Client, Task
from core.pdf import DocumentLine, InvoiceDocument, Party, render_invoice_pdf
from core.pricing import price_tasks
from core.tax import VatTreatment

rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)
minutes = st.integers(min_value=1, max_value=24 * 60)
tax_rates = st.sampled_from([Decimal(0), Decimal(7), Decimal(19), Decimal("20"), Decimal("8.1"), Decimal("21")])
currencies = st.sampled_from(["EUR", "USD", "JPY", "CHF"])
steps = st.sampled_from([0, 1, 5, 6, 10, 15, 30, 60, 7])
"""Billing increments in minutes (0: none)."""


def make_tasks(entries: list[tuple[Decimal, int]], currency: str, step: int = 0) -> list[Task]:
    client = Client(id=1, name="ACME", rate=None, currency=currency, rounding=step)
    return [Task(id=n, client=client, client_id=1, work_date=date(2026, 11, 1 + n % 28), minutes=m, rate=r,
                 description=f"task {n}") for n, (r, m) in enumerate(entries, 1)]


def billed(minutes_: int, step: int) -> int:
    """Written independently of the code under test: the smallest multiple of the step not below the minutes."""
    if step <= 1:
        return minutes_
    multiple = step
    while multiple < minutes_:
        multiple += step
    return multiple


def expected_line(rate: Decimal, minutes_: int, digits: int) -> Decimal:
    """Written independently of the code under test: the exact product, rounded half-up once."""
    exact = rate * minutes_ / Decimal(60)
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


@given(entries=st.lists(st.tuples(rates, minutes), min_size=1, max_size=40), tax_rate=tax_rates,
       currency=currencies, step=steps)
def test_each_line_is_rounded_once_and_totals_are_sums_of_lines(entries, tax_rate, currency, step) -> None:  # type: ignore[no-untyped-def]
    digits = 0 if currency == "JPY" else 2
    bill = price_tasks(make_tasks(entries, currency, step), VatTreatment("S", tax_rate))
    assert [line.minutes for line in bill.lines] == [billed(m, step) for _r, m in entries]
    assert [line.amount.amount for line in bill.lines] == [expected_line(r, billed(m, step), digits)
                                                           for r, m in entries]
    assert bill.subtotal.amount == sum(expected_line(r, billed(m, step), digits) for r, m in entries)
    unit = Decimal(1).scaleb(-digits)
    assert bill.tax.amount == (bill.subtotal.amount * tax_rate / 100).quantize(unit, rounding=ROUND_HALF_UP)
    assert bill.total.amount == bill.subtotal.amount + bill.tax.amount
    assert bill.currency == currency


def printed_amounts(pdf: bytes) -> tuple[list[tuple[int, Decimal, Decimal]], Decimal, Decimal, Decimal]:
    """(minutes, rate, amount) of each row and the three totals as printed (en_GB: 1,234.50 and €1,234.50)."""
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    number = r"([\d,]+\.\d\d)"
    rows = re.findall(r"^\d{1,2} Nov 2026 task \d+ (\d{1,2}):(\d\d) " + number + " " + number + "$", text, flags=re.M)

    def total(label: str) -> Decimal:
        match = re.search(label + r".*?€" + number, text)
        assert match, label
        return Decimal(match[1].replace(",", ""))

    return ([(int(h) * 60 + int(m), Decimal(rate.replace(",", "")), Decimal(amount.replace(",", "")))
             for h, m, rate, amount in rows], total("Subtotal"), total(r"Tax \("), total(r"Total \(EUR\)"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.lists(st.tuples(rates, minutes), min_size=1, max_size=60), tax_rate=tax_rates, step=steps)
def test_the_printed_pdf_adds_up(entries, tax_rate, step) -> None:  # type: ignore[no-untyped-def]
    bill = price_tasks(make_tasks(entries, "EUR", step), VatTreatment("S", tax_rate))
    document = InvoiceDocument(
        seller=Party("Jane Doe Design"), buyer=Party("ACME"), number="INV-2026-0001", status="issued",
        issue_date=date(2026, 11, 30), due_date=date(2026, 12, 14), currency="EUR", locale="en_GB",
        lines=tuple(DocumentLine(line.work_date, line.description, line.minutes, line.rate,
                                 line.amount.amount) for line in bill.lines),
        subtotal=bill.subtotal.amount, tax_rate=tax_rate, tax=bill.tax.amount, total=bill.total.amount,
    )
    rows, subtotal, tax, total = printed_amounts(render_invoice_pdf(document))
    assert [minutes_ for minutes_, _rate, _amount in rows] == [billed(m, step) for _r, m in entries]
    for minutes_, rate, amount in rows:  # each printed line multiplies out: rate × h:mm, half-up once
        assert amount == expected_line(rate, minutes_, 2)
    assert sum(amount for _m, _r, amount in rows) == subtotal
    assert subtotal + tax == total
    assert tax == (subtotal * tax_rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
