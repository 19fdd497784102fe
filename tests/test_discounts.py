"""/invoice CLIENT … discount 10% | discount 50: taken off the work before tax, printed as its own line on the
preview and the issued invoice, carried in the e-invoice as a document-level allowance (EN 16931 BG-20)."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import func, select

from core.models import Invoice, Task
from tests.conftest import SELLER_PROFILE, Conversation
from tests.test_einvoice import CII, Schematron, schematron  # noqa: F401  (the session's Schematron fixture)


@pytest.fixture
def jana(core) -> Conversation:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="jana")
    for line in (*SELLER_PROFILE, "/profile set tax_rate 19", "/client add ACME rate 80 currency EUR",
                 "/client set ACME country DE", "/client set ACME address Torstraße 12 | 10119 Berlin",
                 "2h logo for ACME", "/expense 45.90 train ticket for ACME tax 7%"):
        chat.text(line)
    return chat


def page_text(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def invoices_of(sessions) -> list[tuple[int, int, int, int | None, Decimal | None]]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return [(i.subtotal_minor, i.tax_minor, i.total_minor, i.discount_minor, i.discount_percent)
                for i in session.scalars(select(Invoice).order_by(Invoice.id))]


def test_a_percentage_comes_off_the_work_before_tax_in_the_preview_and_the_invoice(  # type: ignore[no-untyped-def]
        jana: Conversation, sessions, schematron: Schematron) -> None:  # noqa: F811
    from facturx import get_xml_from_pdf

    # work 160.00 − 10 % = 144.00, VAT 19 % 27.36; expense 45.90, VAT 7 % 3.21; total 220.47
    preview = jana.say("/invoice ACME preview discount 10%")
    assert "Discount 10% of the work: −€16.00" in preview.text and "total €220.47" in preview.text
    assert [a.command for a in preview.actions] == ["/invoice ACME discount 10%"]
    page = page_text(preview.document.content)
    assert "Discount 10% −€16.00 Subtotal after discount €189.90" in page and "VAT 19% on €144.00 €27.36" in page
    assert invoices_of(sessions) == []
    issued = jana.invoice(preview.actions[0].command)
    assert "total €220.47" in issued.text
    assert invoices_of(sessions) == [(18990, 3057, 22047, 1600, Decimal(10))]
    page = page_text(issued.document.content)
    assert "Discount 10% −€16.00" in page and "Total (EUR) €220.47" in page
    _, xml = get_xml_from_pdf(issued.document.content, check_xsd=True)
    assert schematron.failures(xml) == []
    tree = etree.fromstring(xml)
    settlement = tree.find(".//ram:ApplicableHeaderTradeSettlement", CII)
    allowance = settlement.find("ram:SpecifiedTradeAllowanceCharge", CII)
    assert [allowance.findtext(path, namespaces=CII) for path in (
        "ram:ChargeIndicator/{urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100}Indicator",
        "ram:CalculationPercent", "ram:BasisAmount", "ram:ActualAmount", "ram:CategoryTradeTax/ram:CategoryCode",
        "ram:CategoryTradeTax/ram:RateApplicablePercent")] == ["false", "10", "160.00", "16.00", "S", "19"]
    summation = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", CII)
    assert [summation.findtext(f"ram:{name}", namespaces=CII) for name in (
        "LineTotalAmount", "AllowanceTotalAmount", "TaxBasisTotalAmount", "GrandTotalAmount")] == \
        ["205.90", "16.00", "189.90", "220.47"]


def test_an_amount_in_the_clients_currency_comes_off_and_a_void_keeps_it(jana: Conversation, sessions,  # type: ignore[no-untyped-def]
                                                                         schematron: Schematron) -> None:  # noqa: F811
    from facturx import get_xml_from_pdf

    issued = jana.invoice("/invoice ACME discount 50")
    assert invoices_of(sessions) == [(15590, 2411, 18001, 5000, None)]  # 110.00 × 19 % = 20.90, + 3.21
    assert "Discount −€50.00" in page_text(issued.document.content)
    credit = jana.say(f"/void {issued.document.filename.removesuffix('.pdf')}")
    _, xml = get_xml_from_pdf(credit.document.content, check_xsd=True)
    assert schematron.failures(xml) == []
    assert invoices_of(sessions)[1] == (15590, 2411, 18001, 5000, None)


@pytest.mark.parametrize(("command", "says"), [
    ("/invoice ACME discount 160.01", "larger than the work"),
    ("/invoice ACME discount 101%", "between 0 and 100"),
    ("/invoice ACME discount 10 USD", "give the amount in EUR"),
    ("/invoice ACME discount", "How much discount?"),
    ("/invoice ACME discount lots", "How much discount?"),
    ("/invoice ACME discount 0", "above zero"),
])
def test_a_discount_that_cant_be_given_is_refused_and_nothing_is_billed(jana: Conversation, sessions,  # type: ignore[no-untyped-def]
                                                                        command: str, says: str) -> None:
    assert says in jana.text(command)
    assert says in jana.text(command.replace("/invoice ACME", "/invoice ACME preview"))
    assert invoices_of(sessions) == []
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Task).where(Task.invoice_id.is_not(None))) == 0


def test_a_discount_on_expenses_alone_is_refused(jana: Conversation) -> None:
    jana.text("/client add Globex rate 60 currency EUR")
    jana.text("/expense 20 parking for Globex")
    assert "no work to take a discount off" in jana.text("/invoice Globex discount 5%")
