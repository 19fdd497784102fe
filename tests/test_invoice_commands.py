"""The invoice commands through the whole core, as a user types them."""
from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from core.commands import COMMANDS
from core.commands.invoices import parse_date_argument
from core.errors import UserError
from tests.conftest import Conversation


@pytest.fixture
def jane(core) -> Conversation:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="jane")
    for line in ("/profile set name Jane Doe Design", "/profile set address Hauptstr. 1, Berlin", "/profile set payment IBAN DE89 3704 0044 0532 0130 00",
                 "/profile set tax_rate 19", "/client add ACME rate 80", "/client add Globex rate 100 currency USD",
                 "2h logo design for ACME yesterday", "45m email triage for ACME"):
        chat.text(line)
    return chat


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_invoice_issues_replies_with_the_pdf_and_next_steps(jane: Conversation) -> None:
    reply = jane.invoice("/invoice acme")
    assert reply.text == "Invoice INV-2026-0001 for ACME: 2 lines, total €261.80, due 24 Dec 2026."
    assert reply.document is not None and reply.document.filename == "INV-2026-0001.pdf"
    assert reply.sensitive  # the PDF carries payment details: channels keep it out of groups
    assert [a.command for a in reply.actions] == ["/paid INV-2026-0001", "/void INV-2026-0001"]
    text = pdf_text(reply.document.content)
    assert "INV-2026-0001" in text and "€261.80" in text and "logo design" in text
    assert jane.text("/tasks ACME").startswith("No unbilled work for ACME")


def test_preview_sends_a_draft_and_bills_nothing(jane: Conversation) -> None:
    reply = jane.say("/invoice ACME preview")
    assert reply.text.startswith("Draft for ACME: 2 lines, total €261.80. Nothing is billed")
    assert reply.document is not None and reply.document.filename == "DRAFT-ACME.pdf"
    assert "DRAFT" in pdf_text(reply.document.content)
    assert [a.command for a in reply.actions] == ["/invoice ACME"]
    assert "logo design" in jane.text("/tasks ACME")
    assert jane.invoice("/invoice ACME").text.startswith("Invoice INV-2026-0001")


def test_until_limits_the_work_billed(jane: Conversation) -> None:
    assert jane.invoice("/invoice ACME until yesterday").text.startswith("Invoice INV-2026-0001 for ACME: 1 line, total €190.40")
    assert "email triage" in jane.text("/tasks ACME")
    assert "Nothing to bill for ACME up to 1 Nov 2026" in jane.invoice("/invoice ACME until 2026-11-01").text


def test_show_re_sends_the_same_pdf(jane: Conversation) -> None:
    issued = jane.invoice("/invoice ACME")
    shown = jane.say("/invoice show INV-2026-0001")
    assert shown.document is not None and issued.document is not None
    assert shown.document.content == issued.document.content
    assert shown.text.startswith("INV-2026-0001 · ACME · 24 Nov 2026 · €261.80 · open, due 24 Dec 2026")


def test_invoices_lists_with_status_and_totals(jane: Conversation) -> None:
    assert jane.text("/invoices").startswith("No invoices yet")
    jane.invoice("/invoice ACME")
    jane.text("3h consulting for Globex")
    jane.invoice("/invoice Globex")
    jane.text("/paid INV-2026-0002")
    listing = jane.text("/invoices")
    assert listing.splitlines()[0] == "Invoices — Open: 1, €261.80 · Paid: 1, US$357.00"
    assert "INV-2026-0002 · Globex · 24 Nov 2026 · US$357.00 · paid 24 Nov 2026" in listing
    assert "Globex" not in jane.text("/invoices ACME")


def test_paid_with_a_date_and_void_with_its_pdf(jane: Conversation) -> None:
    jane.invoice("/invoice ACME")
    assert jane.text("/paid INV-2026-0001 24.11.2026") == \
        "Recorded INV-2026-0001 (ACME, €261.80) as paid on 24 Nov 2026."
    jane.text("1h call for ACME")
    jane.invoice("/invoice ACME")
    voided = jane.say("/void INV-2026-0002")
    assert voided.text.startswith("Cancelled INV-2026-0002 with credit note CN-2026-0001; its 1 task is unbilled again")
    assert voided.document is not None and voided.document.filename == "CN-2026-0001.pdf"
    assert "CREDIT NOTE" in pdf_text(voided.document.content)
    shown = pdf_text(jane.say("/invoice show INV-2026-0002").document.content)
    assert "CANCELLED by credit note CN-2026-0001" in " ".join(shown.split())  # the stamp wraps in its column
    assert voided.actions == ()
    assert jane.invoice("/invoice ACME").text.startswith("Invoice INV-2026-0003")


@pytest.mark.parametrize("message, expected", [
    ("/invoice", "Use /invoice CLIENT"),
    ("/invoice show", "Use /invoice show NUMBER"),
    ("/invoice show INV-9", "There is no invoice INV-9"),
    ("/invoice Initech", "I don't know a client called “Initech”"),
    ("/invoice ACME until someday", "I can't read “someday” as a date"),
    ("/invoice ACME until 31.02.2026", "“31.02.2026” isn't a date — check the day and month."),
    ("/invoice ACME until 31 February", "31 February isn't a date — check the day and month."),
    ("/paid", "Use /paid NUMBER [AMOUNT] [DATE]"),
    ("/unpaid", "Use /unpaid NUMBER"),
    ("/unpaid INV-2026-0001", "There is no invoice INV-2026-0001"),
    ("/paid INV-2026-0001", "There is no invoice INV-2026-0001"),
    ("/void", "Use /void NUMBER"),
    ("/void INV-2026-0001 now", "Use /void NUMBER"),
])
def test_bad_input_gets_a_clear_sentence_and_changes_nothing(jane: Conversation, message: str, expected: str) -> None:
    assert jane.text(message).startswith(expected)
    assert "logo design" in jane.text("/tasks ACME")
    assert jane.text("/invoices").startswith("No invoices yet")


def test_an_ambiguous_client_prefix_offers_each_match(jane: Conversation) -> None:
    jane.text("/client add ACME Labs rate 90")
    reply = jane.say("/invoice AC preview")
    assert "matches more than one client" in reply.text
    assert [a.command for a in reply.actions] == ["/invoice ACME preview", "/invoice ACME Labs preview"]


def test_the_commands_are_in_the_table_with_examples() -> None:
    names = [command.name for command in COMMANDS]
    assert {"invoice", "invoices", "paid", "void"} <= set(names)
    invoice = COMMANDS[names.index("invoice")]
    assert "/invoice ACME preview" in invoice.examples


@pytest.mark.parametrize("text, locale, expected", [
    ("", "en_GB", date(2026, 11, 24)), ("today", "en_GB", date(2026, 11, 24)),
    ("yesterday", "en_GB", date(2026, 11, 23)), ("2026-11-02", "en_GB", date(2026, 11, 2)),
    ("2.11.2026", "de_DE", date(2026, 11, 2)), ("02/11/2026", "en_GB", date(2026, 11, 2)),
    ("11/02/2026", "en_US", date(2026, 11, 2)), ("2.11.", "de_DE", date(2026, 11, 2)),
    ("2.11.26", "de_DE", date(2026, 11, 2)), ("last friday", "en_GB", date(2026, 11, 20)),
    ("3 Nov", "en_GB", date(2026, 11, 3)), ("Nov 18", "en_US", date(2026, 11, 18)),
    ("2 days ago", "en_GB", date(2026, 11, 22)),
])
def test_parse_date_argument(text: str, locale: str, expected: date) -> None:
    assert parse_date_argument(text, date(2026, 11, 24), locale) == expected


def test_parse_date_argument_refuses_what_it_cannot_read() -> None:
    for text in ("tomorrowish", "2026-13-01", "32.1.2026", "monday and friday", "31 February"):
        with pytest.raises(UserError):
            parse_date_argument(text, date(2026, 11, 24), "en_GB")


def test_issue_date_and_numbering_year_follow_the_users_timezone(core, clock) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="sam")
    for line in ("/tz America/Los_Angeles", "/profile set name Sam Smith", "/profile set terms 0",
                 "/client add ACME rate 80"):
        chat.text(line)
    clock.set("2027-01-01T03:00:00+00:00")  # still New Year's Eve in Los Angeles
    chat.text("2h wrap-up for ACME")
    assert chat.invoice("/invoice ACME").text.splitlines()[0] == "Invoice INV-2026-0001 for ACME: 1 line, total €160.00, due 31 Dec 2026."
    assert chat.text("/invoice show INV-2026-0001").startswith("INV-2026-0001 · ACME · 31 Dec 2026")


def test_a_clients_tax_rate_and_note_override_the_profile(jane: Conversation) -> None:
    jane.text("/client set ACME tax_rate 0")
    jane.text("/client set ACME notes Reverse charge: VAT to be accounted for by the recipient.")
    reply = jane.invoice("/invoice ACME")
    assert reply.text == "Invoice INV-2026-0001 for ACME: 2 lines, total €220.00, due 24 Dec 2026."
    text = pdf_text(reply.document.content).replace("\xa0", " ")
    assert "VAT 0%" in text and "Reverse charge: VAT to be accounted for by the recipient." in text


def test_a_pdf_without_payment_details_or_tax_id_may_go_into_a_group(core) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="kim")
    for line in ("/profile set name Kim Design", "/client add ACME rate 80", "2h logo design for ACME"):
        chat.text(line)
    assert not chat.say("/invoice ACME preview").sensitive
    assert not chat.invoice("/invoice ACME").sensitive
    chat.text("/profile set tax_id DE123456789")
    assert chat.say("/invoice show INV-2026-0001").sensitive is False  # printed as issued, without a tax id
    chat.text("1h call for ACME")
    assert chat.say("/invoice ACME preview").sensitive and chat.invoice("/invoice ACME").sensitive


def test_a_line_of_1h20_prints_its_time_exactly_so_it_multiplies_out(core) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="ada")
    for line in ("/profile set name Ada Design", "/client add ACME rate 80", "1h20 logo design for ACME"):
        chat.text(line)
    reply = chat.invoice("/invoice ACME")
    assert reply.document is not None
    text = pdf_text(reply.document.content)
    assert "logo design 1:20 80.00 106.67" in text  # 80 min × €80/h = 106.666… → 106.67, rounded once
    assert "1.33" not in text


def test_a_client_named_in_japanese_is_printed_on_the_pdf(core) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="ken")
    for line in ("/profile set name Ken Design", "/client add 株式会社サンプル rate 80",
                 "2h ロゴデザイン for 株式会社サンプル"):
        chat.text(line)
    reply = chat.invoice("/invoice 株式会社サンプル")
    assert reply.document is not None, reply.text
    text = pdf_text(reply.document.content)
    assert "株式会社サンプル" in text and "ロゴデザイン" in text and "2:00 80.00 160.00" in text
