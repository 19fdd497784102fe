"""/expense: a cost re-charged to a client, in the client's currency, at its own VAT rate, listed in /tasks and in
a section of its own on the invoice, with the VAT broken down per rate on the page and in the e-invoice."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import select

from core.models import Invoice, InvoiceLine, Task
from tests.conftest import SELLER_PROFILE, Conversation
from tests.test_einvoice import CII, Schematron, schematron  # noqa: F401  (the session's Schematron fixture)


@pytest.fixture
def jana(core) -> Conversation:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="jana")
    for line in (*SELLER_PROFILE, "/profile set tax_rate 19", "/client add ACME rate 80 currency EUR",
                 "/client set ACME country DE", "/client set ACME address Torstraße 12 | 10119 Berlin"):
        chat.text(line)
    return chat


def expenses_of(sessions) -> list[tuple[int, str, int | None, str | None, Decimal | None]]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return [(t.number, t.work_date.isoformat(), t.fixed_amount_minor, t.description, t.tax_rate)
                for t in session.scalars(select(Task).where(Task.kind == "expense", Task.deleted_at.is_(None))
                                         .order_by(Task.number))]


def page_text(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_an_expense_is_logged_listed_marked_and_undone(jana: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    reply = jana.say("/expense 45.90 train ticket for ACME yesterday tax 7%")
    assert reply.text == "Expense #1: expense of €45.90 for ACME on 23 Nov 2026 — train ticket — VAT 7%"
    assert [a.command for a in reply.actions] == ["/undo 1"]
    assert jana.text("/expense €120 software licence for ACME") == \
        "Expense #2: expense of €120.00 for ACME on 24 Nov 2026 — software licence"
    jana.text("2h logo for ACME")
    assert expenses_of(sessions) == [(1, "2026-11-23", 4590, "train ticket", Decimal(7)),
                                     (2, "2026-11-24", 12000, "software licence", None)]
    listed = jana.text("/tasks")
    assert "ACME — 2h, €325.90" in listed
    assert "#1 23 Nov 2026 · expense · train ticket · €45.90, VAT 7%" in listed
    assert "#2 24 Nov 2026 · expense · software licence · €120.00" in listed
    assert jana.text("/delete 2").startswith("Deleted #2: expense of €120.00")
    assert jana.text("/undo").startswith("Restored #2")
    jana.text("/undo 3")
    assert jana.text("/undo 1").startswith("Removed #1: expense of €45.90")
    assert [number for number, *_ in expenses_of(sessions)] == [2]


@pytest.mark.parametrize(("command", "says"), [
    ("/expense 10 USD taxi for ACME", "That amount is in USD, but this is billed in EUR"),
    ("/expense 45.90 for ACME", "What was the expense for?"),
    ("/expense train for ACME", "Start with the amount"),
    ("/expense 12 lunch for Nobody", "I don't know a client called “Nobody”"),
    ("/expense 12 lunch", "Use /expense AMOUNT WHAT for CLIENT"),
    ("/expense 0 lunch for ACME", "An expense needs an amount above zero"),
    ("/expense 12.3456 lunch for ACME", "at most 2 decimal places"),
    ("/expense 12 lunch for ACME tax 120%", "A tax rate is a percentage between 0 and 100"),
    ("/expense 12 lunch for ACME tax 7% tax 19%", "Give one tax rate"),
])
def test_bad_input_is_refused_and_changes_nothing(jana: Conversation, sessions, command: str, says: str) -> None:  # type: ignore[no-untyped-def]
    assert says in jana.text(command)
    assert expenses_of(sessions) == []


def test_edit_refuses_an_expense_rather_than_reading_it_as_work(jana: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    jana.text("/expense 30 parking for ACME")
    assert "is an expense" in jana.text("/edit 1 3h parking for ACME")
    assert expenses_of(sessions) == [(1, "2026-11-24", 3000, "parking", None)]


def test_the_invoice_lists_expenses_apart_and_breaks_vat_down_per_rate(jana: Conversation, sessions,  # type: ignore[no-untyped-def]
                                                                       schematron: Schematron) -> None:  # noqa: F811
    from facturx import get_xml_from_pdf

    jana.text("2h logo for ACME")
    jana.text("/expense 45.90 train ticket for ACME yesterday tax 7%")
    jana.text("/expense 120 software licence for ACME")
    preview = jana.say("/invoice ACME preview")
    assert "total €382.31" in preview.text  # 280 × 19 % = 53.20, 45.90 × 7 % = 3.21
    issued = jana.invoice("/invoice ACME")
    assert "total €382.31" in issued.text
    with sessions() as session:
        invoice = session.scalars(select(Invoice)).one()
        assert (invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor) == (32590, 5641, 38231)
        lines = [(line.kind, line.description, line.amount_minor, line.tax_category, line.tax_rate)
                 for line in session.scalars(select(InvoiceLine).order_by(InvoiceLine.position))]
    assert lines == [("work", "logo", 16000, "S", Decimal(19)),
                     ("expense", "train ticket", 4590, "S", Decimal(7)),
                     ("expense", "software licence", 12000, "S", Decimal(19))]
    page = page_text(issued.document.content)
    assert page.index("logo") < page.index("Expenses") < page.index("train ticket (VAT 7%)")
    assert "VAT 19% on €280.00 €53.20" in page and "VAT 7% on €45.90 €3.21" in page
    _, xml = get_xml_from_pdf(issued.document.content, check_xsd=True)
    assert schematron.failures(xml) == []
    tree = etree.fromstring(xml)
    items = tree.findall(".//ram:IncludedSupplyChainTradeLineItem", CII)
    assert [(item.findtext(".//ram:SpecifiedTradeProduct/ram:Name", namespaces=CII),
             item.findtext(".//ram:ApplicableTradeTax/ram:RateApplicablePercent", namespaces=CII),
             item.findtext(".//ram:LineTotalAmount", namespaces=CII)) for item in items] == \
        [("logo", "19", "160.00"), ("train ticket", "7", "45.90"), ("software licence", "19", "120.00")]
    breakdown = [(tax.findtext("ram:RateApplicablePercent", namespaces=CII), tax.findtext("ram:BasisAmount",
                                                                                          namespaces=CII),
                  tax.findtext("ram:CalculatedAmount", namespaces=CII))
                 for tax in tree.findall(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", CII)]
    assert breakdown == [("19", "280.00", "53.20"), ("7", "45.90", "3.21")]


def test_a_void_reopens_the_expense_and_its_credit_note_repeats_the_sections(jana: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    jana.text("/expense 45.90 train ticket for ACME tax 7%")
    issued = jana.invoice("/invoice ACME")
    number = issued.document.filename.removesuffix(".pdf")
    credit = jana.say(f"/void {number}")
    assert "Expenses" in page_text(credit.document.content)
    assert "#1 24 Nov 2026 · expense · train ticket" in jana.text("/tasks")
    with sessions() as session:
        kinds = {line.kind for line in session.scalars(select(InvoiceLine))}
    assert kinds == {"expense"}


def test_reverse_charge_covers_an_expense_with_its_own_rate(jana: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    jana.text("/client add Paris SARL rate 90 currency EUR")
    jana.text("/client set Paris SARL country FR")
    jana.text("/client set Paris SARL vat_id FR40303265045")
    jana.text("/expense 200 hotel for Paris SARL tax 7%")
    jana.invoice("/invoice Paris SARL")
    with sessions() as session:
        line = session.scalars(select(InvoiceLine)).one()
        invoice = session.scalars(select(Invoice)).one()
    assert (line.tax_category, line.tax_rate, invoice.tax_minor) == ("AE", Decimal(0), 0)


def test_a_receipt_path_that_cant_be_read_logs_nothing(jana: Conversation, sessions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.local import LocalChannel, receipt_from_path

    out = io.StringIO()
    LocalChannel(jana.core, "jana", tmp_path / "outbox", out=out).send(
        f"/expense 12 parking for ACME receipt {tmp_path / 'missing.jpg'}")
    assert out.getvalue() == (f"There is no file at {tmp_path / 'missing.jpg'}, so nothing was done: check the path "
                              "and type the command again.\n")
    assert expenses_of(sessions) == []
    assert receipt_from_path("/tasks receipt x") == ("/tasks receipt x", None)  # only /expense takes a receipt
