"""The invoice service on a real database (SQLite, and PostgreSQL when configured): issue, preview, list, show,
paid, void, with numbering that stays gapless and snapshots that later changes don't touch."""
from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from core import accounts, clients, invoices, payments
from core.credit_notes import credit_invoice
from core.errors import UserError
from core.messages import Incoming
from core.models import Invoice, InvoiceCounter, Task
from core.money import Money
from core.pdf import render_invoice_pdf
from core.tasks import Work, log_task

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@pytest.fixture
def books(sessions, cipher):  # type: ignore[no-untyped-def]
    """An account with a profile and the client ACME (€80/h); returns a function opening a transaction on it."""
    with sessions.begin() as session:
        account = accounts.resolve_account(
            session, Incoming(platform="local", user_id="jane", chat_id="jane", text=""), NOW, "Europe/Berlin")
        for field, value in (("name", "Jane Doe Design"), ("address", "Hauptstr. 1 | 10115 Berlin"),
                             ("payment", "IBAN DE89 3704 0044 0532 0130 00"), ("tax_id", "DE123456789"),
                             ("tax_rate", "19"), ("terms", "14")):
            accounts.set_profile_field(session, account, cipher, field, value, NOW)
        clients.add_client(session, account, "ACME", NOW, rate=Decimal(80), currency="EUR")
        account_id = account.id

    class Books:
        def __init__(self) -> None:
            self.account_id = account_id

        def begin(self):  # type: ignore[no-untyped-def]
            return sessions.begin()

        def account(self, session):  # type: ignore[no-untyped-def]
            from core.models import Account

            return session.get(Account, self.account_id)

        def client(self, session, name: str = "ACME"):  # type: ignore[no-untyped-def]
            return clients.find_client(session, self.account(session), name)

        def log(self, minutes: int | None, day: date = date(2026, 11, 20), *, client: str = "ACME",
                fixed: Money | None = None, rate: Decimal | None = None, text: str = "work") -> int:
            with sessions.begin() as session:
                work = Work(self.client(session, client), day, minutes, fixed, rate, text)
                return log_task(session, self.account(session), work, NOW).id

        def issue(self, client: str = "ACME", until: date | None = None, today: date = TODAY) -> Invoice:
            with sessions.begin() as session:
                return invoices.issue_invoice(session, self.account(session), self.client(session, client), cipher,
                                              NOW, today, until)

    return Books()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\xa0", " ")


def test_issue_bills_every_unbilled_task_with_a_snapshot_and_totals(books, sessions, cipher) -> None:  # type: ignore[no-untyped-def]
    first = books.log(90, date(2026, 11, 20), text="logo design")
    second = books.log(45, date(2026, 11, 21), rate=Decimal(100), text="rush fix")
    fixed = books.log(None, date(2026, 11, 22), fixed=Money(Decimal("500.00"), "EUR"), text="website")
    invoice = books.issue()
    assert invoice.number == "INV-2026-0001"
    with sessions.begin() as session:
        stored = session.get(Invoice, invoice.id)
        assert [(line.task_id, line.minutes, line.rate, line.amount_minor) for line in stored.lines] == [
            (first, 90, Decimal(80), 12000), (second, 45, Decimal(100), 7500), (fixed, None, None, 50000)]
        assert (stored.subtotal_minor, stored.tax_minor, stored.total_minor) == (69500, 13205, 82705)
        assert stored.issue_date == TODAY and stored.due_date == date(2026, 12, 8)
        assert stored.status == "open" and stored.currency == "EUR"
        billed = session.scalars(select(Task.invoice_id).where(Task.id.in_([first, second, fixed]))).all()
        assert billed == [invoice.id] * 3
        # The seller block, with its payment details, is stored encrypted.
        assert "IBAN" not in stored.seller_enc and "IBAN" in cipher.decrypt(stored.seller_enc)
        assert json.loads(stored.buyer)["name"] == "ACME"


def test_the_issued_pdf_holds_names_numbers_and_amounts(books, sessions, cipher) -> None:  # type: ignore[no-untyped-def]
    books.log(90, text="logo design")
    books.log(20, text="call")
    invoice = books.issue()
    with sessions.begin() as session:
        _, document = invoices.show_invoice(session, books.account(session), invoice.number, cipher)
    text = pdf_text(render_invoice_pdf(document))
    for expected in ("Jane Doe Design", "Hauptstr. 1", "10115 Berlin", "DE123456789", "ACME", "INV-2026-0001",
                     "logo design", "call", "120.00", "26.67", "€146.67", "€27.87", "€174.54",
                     "IBAN DE89 3704 0044 0532 0130 00", "Payable within 14 days", "8 Dec 2026"):
        assert expected in text, expected


def test_later_rate_and_profile_changes_do_not_touch_an_issued_invoice(books, sessions, cipher) -> None:  # type: ignore[no-untyped-def]
    books.log(60, text="design")
    invoice = books.issue()
    with sessions.begin() as session:
        _, before = invoices.show_invoice(session, books.account(session), invoice.number, cipher)
    pdf_before = render_invoice_pdf(before)
    with sessions.begin() as session:
        account = books.account(session)
        clients.set_client_field(session, account, books.client(session), "rate", "200", now=NOW)
        clients.set_client_field(session, account, books.client(session), "name", "ACME Renamed", now=NOW)
        accounts.set_profile_field(session, account, cipher, "name", "Someone Else", NOW)
        accounts.set_profile_field(session, account, cipher, "payment", "new bank", NOW)
    with sessions.begin() as session:
        _, after = invoices.show_invoice(session, books.account(session), invoice.number, cipher)
    assert after == before
    assert render_invoice_pdf(after) == pdf_before


def test_until_bills_only_work_up_to_that_date(books, sessions) -> None:  # type: ignore[no-untyped-def]
    early = books.log(60, date(2026, 11, 10))
    late = books.log(60, date(2026, 11, 20))
    invoice = books.issue(until=date(2026, 11, 15))
    with sessions.begin() as session:
        assert session.get(Task, early).invoice_id == invoice.id
        assert session.get(Task, late).invoice_id is None


def test_nothing_to_bill_is_a_clear_error_and_takes_no_number(books, sessions) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError, match="Nothing to bill for ACME"):
        books.issue()
    books.log(60)
    assert books.issue().number == "INV-2026-0001"
    with pytest.raises(UserError, match="Nothing to bill"):
        books.issue()
    books.log(30)
    assert books.issue().number == "INV-2026-0002"


def test_mixed_currencies_are_refused_and_change_nothing(books, sessions) -> None:  # type: ignore[no-untyped-def]
    books.log(60)
    books.log(None, fixed=Money(Decimal("100.00"), "USD"))
    with pytest.raises(UserError, match="different currencies \\(EUR, USD"):
        books.issue()
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Invoice)) == 0
        assert session.scalar(select(func.count()).select_from(InvoiceCounter)) == 0
        assert session.scalar(select(func.count()).select_from(Task).where(Task.invoice_id.isnot(None))) == 0


def test_a_task_without_a_rate_is_refused_with_the_fix(books, sessions) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        clients.add_client(session, books.account(session), "Globex", NOW)
    books.log(60, client="Globex")
    with pytest.raises(UserError, match="no rate.*/client set Globex rate 80"):
        books.issue("Globex")


def test_an_invoice_needs_the_business_name(books, sessions, cipher) -> None:  # type: ignore[no-untyped-def]
    books.log(60)
    with sessions.begin() as session:
        books.account(session).profile.name = None
    with pytest.raises(UserError, match="/profile set name"):
        books.issue()


def test_numbering_is_gapless_across_preview_and_void_and_restarts_each_year(books, sessions, cipher) -> None:  # type: ignore[no-untyped-def]
    numbers = []
    for round_ in range(3):
        books.log(60)
        with sessions.begin() as session:
            draft = invoices.preview_invoice(session, books.account(session), books.client(session), cipher, TODAY)
            assert draft.number is None and draft.status == "draft"
        numbers.append(books.issue().number)
        if round_ == 1:
            with sessions.begin() as session:
                credit_invoice(session, books.account(session), numbers[-1], NOW, TODAY)
            numbers.append(books.issue().number)  # the reopened work, billed again
    assert numbers == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003", "INV-2026-0004"]
    books.log(60, date(2027, 1, 2))
    assert books.issue(today=date(2027, 1, 3)).number == "INV-2027-0001"
    with sessions.begin() as session:
        stored = session.scalars(select(Invoice.number).where(Invoice.kind == "invoice").order_by(Invoice.id)).all()
        assert stored == [*numbers, "INV-2027-0001"]
        assert session.scalar(select(Invoice.status).where(Invoice.number == "INV-2026-0002")) == "void"


def test_a_custom_number_format(books, sessions, cipher) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        accounts.set_profile_field(session, books.account(session), cipher, "number_format", "{year}-{month:02}-{seq}", NOW)
    books.log(60)
    assert books.issue().number == "2026-11-1"


def test_preview_bills_nothing_and_shows_what_would_be_issued(books, sessions, cipher) -> None:  # type: ignore[no-untyped-def]
    task = books.log(90, text="logo design")
    with sessions.begin() as session:
        draft = invoices.preview_invoice(session, books.account(session), books.client(session), cipher, TODAY)
    text = pdf_text(render_invoice_pdf(draft))
    assert "DRAFT" in text and "INV-" not in text and "€142.80" in text and "logo design" in text
    with sessions.begin() as session:
        assert session.get(Task, task).invoice_id is None
        assert session.scalar(select(func.count()).select_from(InvoiceCounter)) == 0
    issued = books.issue()
    with sessions.begin() as session:
        _, document = invoices.show_invoice(session, books.account(session), issued.number, cipher)
    assert (document.lines, document.total, document.seller) == (draft.lines, draft.total, draft.seller)


def test_void_keeps_the_number_reopens_the_tasks_and_the_pdf_says_cancelled(books, sessions, cipher) -> None:  # type: ignore[no-untyped-def]
    task = books.log(60)
    invoice = books.issue()
    with sessions.begin() as session:
        credit, voided, reopened = credit_invoice(session, books.account(session), "inv-2026-0001", NOW, TODAY)
        assert (voided.number, voided.status, reopened, credit.number) == ("INV-2026-0001", "void", 1, "CN-2026-0001")
    with sessions.begin() as session:
        assert session.get(Task, task).invoice_id is None
        _, document = invoices.show_invoice(session, books.account(session), invoice.number, cipher)
    assert "CANCELLED by credit note CN-2026-0001" in " ".join(pdf_text(render_invoice_pdf(document)).split())
    with sessions.begin() as session, pytest.raises(UserError, match="already cancelled by credit note CN-2026-0001"):
        credit_invoice(session, books.account(session), invoice.number, NOW, TODAY)
    with sessions.begin() as session, pytest.raises(UserError, match="void, so it can't be paid"):
        payments.record_payment(session, books.account(session), invoice.number, None, TODAY, TODAY, NOW)


def test_paid_records_the_date_and_refuses_nonsense(books, sessions) -> None:  # type: ignore[no-untyped-def]
    books.log(60)
    invoice = books.issue()
    with sessions.begin() as session:
        account = books.account(session)
        with pytest.raises(UserError, match="in the future"):
            payments.record_payment(session, account, invoice.number, None, date(2026, 11, 25), TODAY, NOW)
        with pytest.raises(UserError, match="was issued on 24 Nov 2026"):
            payments.record_payment(session, account, invoice.number, None, date(2026, 11, 23), TODAY, NOW)
        with pytest.raises(UserError, match="no invoice INV-2026-0099"):
            payments.record_payment(session, account, "INV-2026-0099", None, TODAY, TODAY, NOW)
    with sessions.begin() as session:
        paid = payments.record_payment(session, books.account(session), invoice.number, None, TODAY, TODAY, NOW)
        assert (paid.paid_on, paid.amount_minor) == (TODAY, 9520)
        assert session.get(Invoice, invoice.id).status == "paid"
    with sessions.begin() as session:
        with pytest.raises(UserError, match="already recorded as paid"):
            payments.record_payment(session, books.account(session), invoice.number, None, TODAY, TODAY, NOW)
        with pytest.raises(UserError, match="paid invoice can't be voided"):
            credit_invoice(session, books.account(session), invoice.number, NOW, TODAY)


def test_list_and_status_open_overdue_paid_void(books, sessions) -> None:  # type: ignore[no-untyped-def]
    numbers = []
    for _ in range(4):
        books.log(60)
        numbers.append(books.issue().number)
    with sessions.begin() as session:
        account = books.account(session)
        payments.record_payment(session, account, numbers[1], None, TODAY, TODAY, NOW)
        credit_invoice(session, account, numbers[2], NOW, TODAY)
    with sessions.begin() as session:
        listed = invoices.list_invoices(session, books.account(session))
        later = date(2026, 12, 20)  # past the 14-day terms
        assert [invoices.invoice_status(i, later) for i in listed] == ["overdue", "paid", "void", "overdue",
                                                                          "credit_note"]
        assert [invoices.invoice_status(i, TODAY) for i in listed] == ["open", "paid", "void", "open", "credit_note"]
        assert "overdue since 8 Dec 2026" in invoices.describe_invoice(listed[0], later, "en_GB")


def test_one_account_cannot_reach_another_accounts_invoice(books, sessions, cipher) -> None:  # type: ignore[no-untyped-def]
    books.log(60)
    invoice = books.issue()
    with sessions.begin() as session:
        other = accounts.resolve_account(
            session, Incoming(platform="local", user_id="mallory", chat_id="m", text=""), NOW, "UTC")
        for attempt in (lambda: invoices.show_invoice(session, other, invoice.number, cipher),
                        lambda: payments.record_payment(session, other, invoice.number, None, TODAY, TODAY, NOW),
                        lambda: credit_invoice(session, other, invoice.number, NOW, TODAY)):
            with pytest.raises(UserError, match="no invoice"):
                attempt()
        assert invoices.list_invoices(session, other) == []
