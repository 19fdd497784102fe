"""/invoice and /void make their e-invoice before their transaction (core/head_start.py), so a big invoice holds the
write lock only for the billing itself; the head start is used only for exactly the document issued, so an invoice
never carries a stale e-invoice, and a refused e-invoice still takes no number."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from facturx import get_xml_from_pdf
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from core import invoice_documents
from core.invoices import invoice_total
from core.models import Account, Client, Identity, Invoice, InvoiceCounter, InvoiceLine, Task
from tests.conftest import SELLER_PROFILE, Conversation


@pytest.fixture
def alice(core) -> Conversation:  # type: ignore[no-untyped-def]
    chat = Conversation(core)
    for line in (*SELLER_PROFILE, "/client add ACME rate 80", "/client set ACME country DE",
                 "2h logo design for ACME", "90m website fixes for ACME", "1h call for ACME"):
        chat.text(line)
    return chat


class Made:
    """Each e-invoice made, with whether another writer could have written to the database meanwhile."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.calls: list[tuple[str | None, bool]] = []

    def writer_could_start(self) -> bool:
        if self.url.startswith("sqlite"):
            raw = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
            try:
                raw.execute("BEGIN IMMEDIATE")
                raw.execute("ROLLBACK")
                return True
            except sqlite3.OperationalError:
                return False
            finally:
                raw.close()
        from sqlalchemy import create_engine
        from sqlalchemy.exc import OperationalError

        engine = create_engine(self.url)
        try:
            with engine.begin() as connection:  # the message's transaction locks its account's row first
                connection.execute(text("SELECT id FROM accounts FOR UPDATE NOWAIT"))
            return True
        except OperationalError:
            return False
        finally:
            engine.dispose()


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Made:
    spy = Made(database_url)
    real = invoice_documents.einvoice_of

    def einvoice_of(doc):  # type: ignore[no-untyped-def]
        spy.calls.append((doc.number, spy.writer_could_start()))
        return real(doc)

    monkeypatch.setattr(invoice_documents, "einvoice_of", einvoice_of)
    return spy


def pdf_xml(reply) -> bytes:  # type: ignore[no-untyped-def]
    assert reply.document is not None, reply.text
    _name, xml = get_xml_from_pdf(reply.document.content, check_xsd=False)
    return bytes(xml)


def shown_xml(chat: Conversation, number: str) -> bytes:
    """The e-invoice made now from the stored rows alone (/invoice show NUMBER xml has no head start)."""
    reply = chat.say(f"/invoice show {number} xml")
    assert reply is not None and reply.document is not None, reply
    return bytes(reply.document.content)


def test_the_invoice_carries_the_e_invoice_made_before_its_transaction_byte_for_byte(alice, made) -> None:  # type: ignore[no-untyped-def]
    reply = alice.say("/invoice ACME")
    assert reply.text.startswith("Invoice INV-2026-0001 for ACME: 3 lines"), reply.text
    # Made once, while any other user could still write: not inside the transaction that bills.
    assert made.calls == [("INV-2026-0001", True)]
    assert pdf_xml(reply) == shown_xml(alice, "INV-2026-0001")


def test_the_credit_note_of_a_void_carries_the_e_invoice_made_before_its_transaction(alice, made) -> None:  # type: ignore[no-untyped-def]
    alice.say("/invoice ACME")
    made.calls.clear()
    reply = alice.say("/void INV-2026-0001")
    assert "credit note CN-2026-0001" in reply.text, reply.text
    assert made.calls == [("CN-2026-0001", True)]
    assert pdf_xml(reply) == shown_xml(alice, "CN-2026-0001")


def _rename_a_task(session: Session) -> None:
    task = session.scalars(select(Task).where(Task.description == "call")).one()
    task.description = "call about the new brief"


def _raise_the_rate(session: Session) -> None:
    from decimal import Decimal

    session.scalars(select(Client)).one().rate = Decimal(95)


def _delete_a_task(session: Session) -> None:
    session.scalars(select(Task).where(Task.description == "call")).one().deleted_at = datetime(2026, 11, 24, tzinfo=UTC)


def _take_the_number(session: Session) -> None:
    """Another invoice (of another worker, say) takes the number the head start expected."""
    account = session.scalars(select(Account)).one()
    session.add(InvoiceCounter(account_id=account.id, scope="2026", next_seq=2))


def _bill_a_task(session: Session) -> None:
    """Another invoice (a retainer's, another worker's /invoice ACME until …) bills one of the tasks first."""
    from core.encryption import Cipher
    from core.invoices import issue_invoice
    from tests.conftest import TEST_KEY

    account = session.scalars(select(Account)).one()
    task = session.scalars(select(Task).where(Task.description == "call")).one()
    issue_invoice(session, account, task.client, Cipher([TEST_KEY]), datetime(2026, 11, 24, 9, tzinfo=UTC),
                  date(2026, 11, 24), only=[task.id], journal=False)


@pytest.mark.parametrize(("change", "lines"), [(_rename_a_task, 3), (_raise_the_rate, 3), (_delete_a_task, 2),
                                              (_bill_a_task, 2), (_take_the_number, 3)],
                         ids=["text", "rate", "deleted", "billed", "number"])
def test_a_change_after_the_head_start_gets_an_e_invoice_made_inside_with_the_new_figures(  # type: ignore[no-untyped-def]
        alice, made, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, change, lines: int) -> None:
    from core.commands import invoices as commands

    real = commands.invoice_head_start

    def then_changed(ctx, args):  # type: ignore[no-untyped-def]
        ahead = real(ctx, args)
        with sessions.begin() as session:  # between the head start and the message's own transaction
            change(session)
        return ahead

    monkeypatch.setattr(commands, "invoice_head_start", then_changed)
    reply = alice.say("/invoice ACME")
    number = reply.text.split()[1]
    assert [expected for expected, _free in made.calls] == ["INV-2026-0001", number]  # ahead, then inside again
    xml = pdf_xml(reply)
    assert xml == shown_xml(alice, number)
    with sessions.begin() as session:
        issued = session.scalars(select(Invoice).where(Invoice.number == number)).one()
        described = [line.description for line in issued.lines]
        total = invoice_total(issued)
    assert len(described) == lines
    assert f"<ram:ID>{number}</ram:ID>".encode() in xml
    assert f"<ram:GrandTotalAmount>{total.amount}</ram:GrandTotalAmount>".encode() in xml
    assert all(f"<ram:Name>{description}</ram:Name>".encode() in xml for description in described)


def test_a_refused_e_invoice_takes_no_number_and_the_series_stays_gapless(alice, sessions,  # type: ignore[no-untyped-def]
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = invoice_documents.einvoice_xml

    def refused(doc):  # type: ignore[no-untyped-def]
        raise ValueError("the XML does not validate against the XSD")  # as factur-x's check_xsd refuses

    monkeypatch.setattr(invoice_documents, "einvoice_xml", refused)
    assert alice.text("/invoice ACME").startswith("Sorry, something went wrong")
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Invoice)) == 0
        assert session.scalar(select(InvoiceCounter.next_seq)) in (None, 1)
        assert session.scalar(select(func.count()).select_from(Task).where(Task.invoice_id.is_(None))) == 3
    monkeypatch.setattr(invoice_documents, "einvoice_xml", real)
    assert alice.text("/invoice ACME").startswith("Invoice INV-2026-0001 for ACME")


@pytest.fixture
def many_tasks(alice: Conversation, sessions: sessionmaker[Session]) -> Iterator[int]:
    """1,200 more unbilled tasks for ACME: more than one UPDATE's worth of ids (1,000)."""
    with sessions.begin() as session:
        account = session.scalar(select(Account).join(Identity).where(Identity.platform_user_id == "alice"))
        assert account is not None
        client = session.scalars(select(Client)).one()
        last = account.last_task_number
        session.execute(insert(Task), [
            {"account_id": account.id, "number": last + n + 1, "client_id": client.id,
             "work_date": date(2026, 11, 20) - timedelta(days=n % 30), "minutes": 15 + n % 4 * 15,
             "description": f"review {n}", "created_at": datetime(2026, 11, 23, tzinfo=UTC)} for n in range(1200)])
        account.last_task_number = last + 1200
    yield 1203


def test_billing_and_voiding_more_than_a_thousand_tasks(alice, many_tasks: int, sessions) -> None:  # type: ignore[no-untyped-def]
    assert alice.text("/invoice ACME").startswith(f"Invoice INV-2026-0001 for ACME: {many_tasks} lines")

    def state() -> tuple[list[tuple[int | None, int]], list[tuple], list[tuple]]:
        with sessions.begin() as session:
            billed = sorted((tuple(row) for row in session.execute(
                select(Task.invoice_id, func.count()).group_by(Task.invoice_id))), key=str)
            by = {number: ident for ident, number in session.execute(select(Invoice.id, Invoice.number))}

            def lines(number: str) -> list[tuple]:
                return [tuple(row) for row in session.execute(
                    select(InvoiceLine.position, InvoiceLine.task_id, InvoiceLine.work_date, InvoiceLine.description,
                           InvoiceLine.minutes, InvoiceLine.rate, InvoiceLine.amount_minor, InvoiceLine.tax_category,
                           InvoiceLine.tax_rate, InvoiceLine.kind)
                    .where(InvoiceLine.invoice_id == by.get(number, -1)).order_by(InvoiceLine.position))]

            return billed, lines("INV-2026-0001"), lines("CN-2026-0001")

    billed, invoiced, credited = state()
    assert billed == [(1, many_tasks)]
    assert [line[0] for line in invoiced] == list(range(1, many_tasks + 1))
    assert len({line[1] for line in invoiced}) == many_tasks and credited == []
    assert alice.text("/void INV-2026-0001").startswith(
        f"Cancelled INV-2026-0001 with credit note CN-2026-0001; its {many_tasks} tasks are unbilled again")
    billed, invoiced_after, credited = state()
    assert billed == [(None, many_tasks)]
    assert credited == invoiced == invoiced_after


def test_nothing_the_head_start_made_is_kept_once_the_message_is_answered(alice) -> None:  # type: ignore[no-untyped-def]
    """The document it made carries every receipt (up to 5 MB each): a worker's thread must not hold it on."""
    from core import head_start

    reply = alice.say("/invoice ACME")
    assert reply.text.startswith("Invoice INV-2026-0001"), reply.text
    assert head_start._made.get() is None


def test_a_head_start_that_fails_is_logged_and_the_invoice_is_still_issued(  # type: ignore[no-untyped-def]
        alice, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """A head start lost puts its work back inside the write lock: it must not go unnoticed."""
    from core.commands import invoices as commands

    def broken(ctx, args):  # type: ignore[no-untyped-def]
        raise RuntimeError("broken head start")

    monkeypatch.setattr(commands, "invoice_head_start", broken)
    with caplog.at_level("WARNING", logger="core.head_start"):
        reply = alice.say("/invoice ACME")
    assert reply.text.startswith("Invoice INV-2026-0001 for ACME: 3 lines"), reply.text
    assert [record.getMessage() for record in caplog.records if record.name == "core.head_start"] == [
        "the head start of /invoice failed; its work is done inside the transaction"]
