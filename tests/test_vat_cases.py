"""Each VAT situation as a freelancer meets it, through the whole core: the category chosen from both parties,
the sentence the law asks for printed on the PDF, and the figures of the e-invoice inside it."""
from __future__ import annotations

import io
import multiprocessing
import threading
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import func, select

from core.models import Invoice, Task
from tests.conftest import SELLER_PROFILE, TEST_KEY, Conversation, FixedClock

CII = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
       "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"}


def page_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def categories(pdf: bytes) -> list[str]:
    from facturx import get_xml_from_pdf

    _, xml = get_xml_from_pdf(pdf, check_xsd=True)
    tree = etree.fromstring(xml)
    return [n.text for n in tree.iterfind(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/"
                                          "ram:CategoryCode", CII)]


@pytest.fixture
def jana(core) -> Conversation:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="jana")
    for line in (*SELLER_PROFILE, "/profile set tax_rate 19"):
        assert "Saved" in chat.text(line), line
    return chat


def bill(chat: Conversation, client: str, *setup: str) -> tuple[str, bytes]:
    chat.text(f"/client add {client} rate 80")
    for line in setup:
        chat.text(line)
    chat.text(f"2h concept for {client}")
    reply = chat.say(f"/invoice {client}")
    assert reply.document is not None, reply.text
    return reply.text, reply.document.content


def test_domestic_german_invoice_charges_19_percent(jana: Conversation) -> None:
    _, pdf = bill(jana, "Müller", "/client set Müller country DE", "/client set Müller address Markt 1 | 04109 Leipzig")
    text = page_text(pdf)
    assert "VAT 19% €30.40" in text and "Total (EUR) €190.40" in text and "Reverse charge" not in text
    assert categories(pdf) == ["S"]


def test_an_eu_business_client_is_billed_under_the_reverse_charge_with_both_vat_ids(jana: Conversation) -> None:
    _, pdf = bill(jana, "Société", "/client set Société vat_id FR40303265045")
    text = page_text(pdf)
    assert ("Reverse charge: the recipient is liable for the VAT (Article 196, Council Directive 2006/112/EC). "
            "VAT ID of the supplier: DE123456788; VAT ID of the recipient: FR40303265045.") in text
    assert "VAT (reverse charge) €0.00" in text and "Total (EUR) €160.00" in text
    assert categories(pdf) == ["AE"]


def test_an_eu_client_without_a_vat_id_pays_german_vat(jana: Conversation) -> None:
    _, pdf = bill(jana, "Pierre", "/client set Pierre country FR")
    assert "VAT 19% €30.40" in page_text(pdf) and categories(pdf) == ["S"]


def test_a_client_outside_the_eu_is_billed_without_vat_as_an_export(jana: Conversation) -> None:
    _, pdf = bill(jana, "Initech", "/client set Initech country US")
    text = page_text(pdf)
    assert "No VAT charged: supplied to a recipient outside the EU (export, place of supply outside the EU)." in text
    assert "United States" in text and categories(pdf) == ["G"]


def test_a_small_business_prints_its_exemption_sentence_instead_of_vat(jana: Conversation) -> None:
    jana.text("/profile set vat_exempt Gemäß § 19 UStG wird keine Umsatzsteuer berechnet.")
    _, pdf = bill(jana, "Bäckerei", "/client set Bäckerei country DE")
    text = page_text(pdf)
    assert "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet." in text and "VAT exempt €0.00" in text
    assert categories(pdf) == ["E"]


def test_a_seller_outside_the_eu_charging_no_tax_is_outside_the_scope_of_vat(core) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="sam")
    for line in ("/profile set name Sam Smith Studio", "/profile set address 350 Fifth Avenue | New York, NY 10118",
                 "/profile set country US", "/profile set tax_number 12-3456789", "/profile set currency USD",
                 "/profile set payment ACH routing 021000021 account 123456789"):
        chat.text(line)
    _, pdf = bill(chat, "Acme", "/client set Acme country US")
    assert "Not subject to VAT: outside the scope of VAT." in page_text(pdf) and categories(pdf) == ["O"]


def test_reverse_charge_without_the_sellers_vat_id_asks_first(jana: Conversation) -> None:
    jana.text("/profile set vat_id none")
    jana.text("/profile set tax_number 21/815/08150")
    jana.text("/client add Société rate 80")
    jana.text("/client set Société vat_id FR40303265045")
    jana.text("2h audit for Société")
    question = jana.text("/invoice Société")
    assert question.startswith("It can't carry an e-invoice (EN 16931) without your VAT id, which a reverse-charge "
                               "or export invoice must show (/profile set vat_id …).")


def test_an_invoice_in_kuwaiti_dinars_asks_first_as_en16931_has_two_decimals(jana: Conversation) -> None:
    jana.text("/profile set currency KWD")
    jana.text("/client add Souk rate 80.125")
    jana.text("/client set Souk country DE")
    jana.text("2h concept for Souk")
    question = jana.say("/invoice Souk")
    assert question.document is None and question.text.startswith(
        "It can't carry an e-invoice (EN 16931) without amounts of two decimals at most (KWD has 3)."), question.text
    issued = jana.say(question.actions[0].command)  # "Issue anyway": the PDF, without XML inside
    assert issued.document is not None and list(PdfReader(io.BytesIO(issued.document.content)).attachments) == []


def test_the_bare_xml_is_sent_as_a_document(jana: Conversation) -> None:
    _, pdf = bill(jana, "Müller", "/client set Müller country DE")
    reply = jana.say("/invoice show INV-2026-0001 xml")
    assert reply.document is not None and reply.document.filename == "INV-2026-0001.xml"
    assert reply.document.mime_type == "application/xml"
    from facturx import get_xml_from_pdf

    assert reply.document.content == get_xml_from_pdf(pdf, check_xsd=False)[1]


def test_show_re_renders_the_same_bytes_with_the_xml_inside(jana: Conversation) -> None:
    _, pdf = bill(jana, "Müller", "/client set Müller country DE")
    assert jana.say("/invoice show INV-2026-0001").document.content == pdf


def test_an_invoice_issued_anyway_without_countries_has_no_xml_and_says_so(core) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="kim")
    chat.text("/profile set name Kim")
    chat.text("/client add ACME rate 80")
    chat.text("1h call for ACME")
    issued = chat.invoice("/invoice ACME")
    assert issued.document is not None and list(PdfReader(io.BytesIO(issued.document.content)).attachments) == []
    assert "carries no e-invoice: it was issued without your country" in chat.text("/invoice show INV-2026-0001 xml")


def test_void_issues_a_credit_note_in_its_own_series_and_unbills_the_work(jana: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    jana.text("/profile set credit_note_format GS-{year}-{seq:03}")
    _, pdf = bill(jana, "Müller", "/client set Müller country DE")
    reply = jana.say("/void INV-2026-0001")
    assert reply.text.startswith("Cancelled INV-2026-0001 with credit note GS-2026-001; its 1 task is unbilled again")
    assert reply.document is not None and reply.document.filename == "GS-2026-001.pdf"
    credit = page_text(reply.document.content)
    assert "CREDIT NOTE" in credit and "This credit note cancels invoice INV-2026-0001 of 24 Nov 2026 in full." in credit
    assert "Total (EUR) €190.40" in credit and "Scan to pay" not in credit
    assert "CANCELLED by credit note GS-2026-001" in page_text(jana.say("/invoice show INV-2026-0001").document.content)
    listed = jana.text("/invoices")
    assert "GS-2026-001 · Müller · 24 Nov 2026 · €190.40 · credit note for INV-2026-0001" in listed
    assert "INV-2026-0001 · Müller · 24 Nov 2026 · €190.40 · void, cancelled by GS-2026-001" in listed
    assert "is a credit note: there is nothing to pay" in jana.text("/paid GS-2026-001")
    assert "is a credit note; it can't be voided" in jana.text("/void GS-2026-001")
    assert jana.say("/invoice Müller").text.startswith("Invoice INV-2026-0002 for Müller")  # the work, billed again
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Task).where(Task.invoice_id.is_(None))) == 0


def test_the_credit_note_of_a_german_invoice_is_written_in_german(jana: Conversation) -> None:
    """Seen on the rendered page: the credit note came out with German dates but English words."""
    bill(jana, "Müller", "/client set Müller country DE", "/client set Müller language de")
    credit = page_text(jana.say("/void INV-2026-0001").document.content)
    assert "STORNORECHNUNG" in credit and "Diese Stornorechnung storniert die Rechnung INV-2026-0001" in credit
    assert "CREDIT NOTE" not in credit and "Total" not in credit


def _void_in_child(url: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    from bot.wiring import build_core
    from core.encryption import Cipher
    from core.messages import Incoming
    from core.storage import create_db_engine, session_factory

    engine = create_db_engine(url)
    core = build_core(session_factory(engine), Cipher([TEST_KEY]), FixedClock(), default_tz="Europe/Berlin")
    barrier.wait(timeout=30)
    reply = core.handle(Incoming(platform="local", user_id="jana", chat_id="jana", text="/void INV-2026-0001"))
    results.put("" if reply is None else reply.text)
    engine.dispose()


def _one_credit_note(sessions) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        credit_notes = session.scalars(select(Invoice.number).where(Invoice.kind == "credit_note")).all()
        assert credit_notes == ["CN-2026-0001"]


def test_threads_voiding_one_invoice_at_once_make_one_credit_note(jana: Conversation, core, sessions) -> None:  # type: ignore[no-untyped-def]
    bill(jana, "Müller", "/client set Müller country DE")
    barrier = threading.Barrier(4)
    replies: list[str] = []

    def run() -> None:
        barrier.wait(timeout=30)
        replies.append(Conversation(core, user="jana").text("/void INV-2026-0001"))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(r.startswith("Cancelled INV-2026-0001 with credit note CN-2026-0001") for r in replies) == 1, replies
    assert sum("already cancelled by credit note CN-2026-0001" in r for r in replies) == 3, replies
    _one_credit_note(sessions)


def test_sqlite_processes_voiding_one_invoice_at_once_make_one_credit_note(sqlite_template: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                           cipher, clock) -> None:
    import shutil

    from bot.wiring import build_core
    from core.storage import create_db_engine, session_factory

    path = tmp_path / "race.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = create_db_engine(url)
    sessions = session_factory(engine)
    chat = Conversation(build_core(sessions, cipher, clock, default_tz="Europe/Berlin"), user="jana")
    for line in SELLER_PROFILE:
        chat.text(line)
    bill(chat, "Müller", "/client set Müller country DE")
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(3), context.Queue()
    children = [context.Process(target=_void_in_child, args=(url, barrier, results)) for _ in range(3)]
    for child in children:
        child.start()
    replies = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=60)
    assert sum(r.startswith("Cancelled INV-2026-0001 with credit note CN-2026-0001") for r in replies) == 1, replies
    _one_credit_note(sessions)
    engine.dispose()
