"""Totals always equal the sum of the printed lines: each line rounded half-up once, then summed, then taxed."""
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


def make_tasks(entries: list[tuple[Decimal, int]], currency: str) -> list[Task]:
    client = Client(id=1, name="ACME", rate=None, currency=currency)
    return [Task(id=n, client=client, client_id=1, work_date=date(2026, 11, 1 + n % 28), minutes=m, rate=r,
                 description=f"task {n}") for n, (r, m) in enumerate(entries, 1)]


def expected_line(rate: Decimal, minutes_: int, digits: int) -> Decimal:
    """Written independently of the code under test: the exact product, rounded half-up once."""
    exact = rate * minutes_ / Decimal(60)
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


@given(entries=st.lists(st.tuples(rates, minutes), min_size=1, max_size=40), tax_rate=tax_rates,
       currency=currencies)
def test_each_line_is_rounded_once_and_totals_are_sums_of_lines(entries, tax_rate, currency) -> None:  # type: ignore[no-untyped-def]
    digits = 0 if currency == "JPY" else 2
    bill = price_tasks(make_tasks(entries, currency), VatTreatment("S", tax_rate))
    assert [line.amount.amount for line in bill.lines] == [expected_line(r, m, digits) for r, m in entries]
    assert bill.subtotal.amount == sum(expected_line(r, m, digits) for r, m in entries)
    unit = Decimal(1).scaleb(-digits)
    assert bill.tax.amount == (bill.subtotal.amount * tax_rate / 100).quantize(unit, rounding=ROUND_HALF_UP)
    assert bill.total.amount == bill.subtotal.amount + bill.tax.amount
    assert bill.currency == currency


def printed_amounts(pdf: bytes) -> tuple[list[Decimal], Decimal, Decimal, Decimal]:
    """The amount column and the three totals as printed (en_GB: 1,234.50 and €1,234.50)."""
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    number = r"([\d,]+\.\d\d)"
    rows = re.findall(r"^\d{1,2} Nov 2026 task \d+ \d{1,2}:\d\d [\d,.]+ " + number + "$", text, flags=re.M)

    def total(label: str) -> Decimal:
        match = re.search(label + r".*?€" + number, text)
        assert match, label
        return Decimal(match[1].replace(",", ""))

    return [Decimal(r.replace(",", "")) for r in rows], total("Subtotal"), total(r"Tax \("), total(r"Total \(EUR\)")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.lists(st.tuples(rates, minutes), min_size=1, max_size=60), tax_rate=tax_rates)
def test_the_printed_pdf_adds_up(entries, tax_rate) -> None:  # type: ignore[no-untyped-def]
    bill = price_tasks(make_tasks(entries, "EUR"), VatTreatment("S", tax_rate))
    document = InvoiceDocument(
        seller=Party("Jane Doe Design"), buyer=Party("ACME"), number="INV-2026-0001", status="issued",
        issue_date=date(2026, 11, 30), due_date=date(2026, 12, 14), currency="EUR", locale="en_GB",
        lines=tuple(DocumentLine(line.work_date, line.description, line.minutes, line.rate,
                                 line.amount.amount) for line in bill.lines),
        subtotal=bill.subtotal.amount, tax_rate=tax_rate, tax=bill.tax.amount, total=bill.total.amount,
    )
    lines, subtotal, tax, total = printed_amounts(render_invoice_pdf(document))
    assert len(lines) == len(entries)
    assert sum(lines) == subtotal
    assert subtotal + tax == total
    assert tax == (subtotal * tax_rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
