"""Payments in full or in parts: /paid NUMBER [AMOUNT] [DATE], /unpaid, the outstanding amount in /invoices and the
overdue notice, /undo of both, and the migration of the old single paid date — on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from core.models import Invoice, Payment
from tests.conftest import SELLER_PROFILE, Conversation, insert_alice_and_acme, migrate_to


def _issue(chat: Conversation, hours: int = 5) -> str:
    for line in SELLER_PROFILE:
        chat.text(line)
    chat.text("/client add ACME rate 100")
    chat.text(f"{hours}h website for ACME")
    reply = chat.invoice("/invoice ACME")
    assert reply.text.startswith("Invoice INV-2026-0001 for ACME"), reply.text
    return "INV-2026-0001"


def _status(sessions) -> tuple[str, list[tuple[int, str, bool]]]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        invoice = session.scalar(select(Invoice).where(Invoice.number == "INV-2026-0001"))
        rows = session.scalars(select(Payment).order_by(Payment.id)).all()
        return invoice.status, [(p.amount_minor, p.paid_on.isoformat(), p.removed_at is None) for p in rows]


def test_partial_payments_until_the_total_then_paid(chat, sessions, clock) -> None:
    number = _issue(chat)  # 5h at 100, no VAT: 500.00
    clock.advance(days=2)
    assert chat.text(f"/paid {number} 200 yesterday") == (
        "Recorded €200.00 received on 25 Nov 2026 for INV-2026-0001 (ACME): €300.00 of €500.00 is still outstanding.")
    assert _status(sessions)[0] == "open"
    listing = chat.text("/invoices")
    assert "Open: 1, €300.00" in listing
    assert "€500.00 · open, €300.00 of it outstanding, due 24 Dec 2026" in listing
    assert chat.text(f"/paid {number} €300") == (
        "Recorded €300.00 received on 26 Nov 2026 for INV-2026-0001 (ACME): it is now paid in full.")
    assert _status(sessions) == ("paid", [(20000, "2026-11-25", True), (30000, "2026-11-26", True)])
    assert "€500.00 · paid 26 Nov 2026" in chat.text("/invoices")
    assert chat.text(f"/paid {number}") == "INV-2026-0001 is already recorded as paid on 26 Nov 2026."


def test_a_payment_without_an_amount_pays_what_is_outstanding(chat, sessions) -> None:
    number = _issue(chat)
    chat.text(f"/paid {number} 95,00 EUR")
    assert chat.text(f"/paid {number} 2026-11-24") == (
        "Recorded €405.00 received on 24 Nov 2026 for INV-2026-0001 (ACME): it is now paid in full.")
    assert _status(sessions) == ("paid", [(9500, "2026-11-24", True), (40500, "2026-11-24", True)])


def test_overpayment_and_nonsense_are_refused_and_change_nothing(chat, sessions) -> None:
    number = _issue(chat)
    chat.text(f"/paid {number} 100")
    refusals = {
        f"/paid {number} 500": "€500.00 is more than the €400.00 still outstanding on INV-2026-0001; I don't record "
                               "overpayments. Record at most €400.00.",
        f"/paid {number} 0": "A payment must be more than zero.",
        f"/paid {number} 10 USD": "That amount is in USD, but this is billed in EUR: give the amount in EUR.",
        f"/paid {number} 10.5555": "An amount in EUR has at most 2 decimal places, not “10.5555”.",
        f"/paid {number} 10 someday": "I can't read “someday” as a date; write it like 2026-11-24, today or "
                                      "yesterday.",
        f"/paid {number} 10 tomorrow": "I can't read “tomorrow” as a date; write it like 2026-11-24, today or "
                                       "yesterday.",
    }
    for command, refusal in refusals.items():
        assert chat.text(command) == refusal, command
    assert _status(sessions) == ("open", [(10000, "2026-11-24", True)])


def test_a_number_that_reads_as_an_amount_and_as_a_day_is_asked(chat, sessions, clock) -> None:
    number = _issue(chat)
    clock.advance(days=3)
    reply = chat.say(f"/paid {number} 25.11")
    assert reply.text == "Is “25.11” an amount or a day? Choose one, or write the amount with its currency."
    assert [(a.label, a.command) for a in reply.actions] == [
        ("€25.11 received on 27 Nov 2026", "/paid INV-2026-0001 25.11 EUR 2026-11-27"),
        ("Paid in full on 25 Nov 2026", "/paid INV-2026-0001 2026-11-25")]
    assert _status(sessions) == ("open", [])
    assert chat.text(reply.actions[0].command).startswith("Recorded €25.11 received on 27 Nov 2026")
    assert chat.text(f"/paid {number} 26 Nov").startswith("Recorded €474.89 received on 26 Nov 2026")


def test_unpaid_takes_the_last_payment_back_and_undo_puts_it_back(chat, sessions) -> None:
    number = _issue(chat)
    chat.text(f"/paid {number} 95")
    chat.text(f"/paid {number}")
    assert chat.text(f"/unpaid {number}") == (
        "Took back the payment of €405.00 of 24 Nov 2026 on INV-2026-0001: €405.00 is outstanding again.")
    assert _status(sessions) == ("open", [(9500, "2026-11-24", True), (40500, "2026-11-24", False)])
    assert chat.text("/undo") == "Put back the payment of €405.00 of 24 Nov 2026 on INV-2026-0001."
    assert _status(sessions) == ("paid", [(9500, "2026-11-24", True), (40500, "2026-11-24", True)])
    assert chat.text("/undo") == "Took back the payment of €405.00 on INV-2026-0001: €405.00 is outstanding again."
    assert chat.text("/undo") == "Took back the payment of €95.00 on INV-2026-0001: €500.00 is outstanding again."
    assert _status(sessions) == ("open", [(9500, "2026-11-24", False), (40500, "2026-11-24", False)])
    assert chat.text(f"/unpaid {number}") == "There is no payment on INV-2026-0001 to take back."


def test_a_partly_paid_invoice_is_not_voided(chat, sessions) -> None:
    number = _issue(chat)
    chat.text(f"/paid {number} 95")
    assert chat.text(f"/void {number}") == (
        "INV-2026-0001 has €95.00 paid on it; a credit note would cancel money you received. Take the payments back "
        "first (/unpaid INV-2026-0001), then void it.")
    chat.text(f"/unpaid {number}")
    assert chat.text(f"/void {number}").startswith("Cancelled INV-2026-0001 with credit note CN-2026-0001")


def test_the_overdue_notice_asks_for_what_is_outstanding(chat, sessions, clock) -> None:
    from core.digests import overdue_notice
    from core.models import Account

    number = _issue(chat)
    chat.text(f"/paid {number} 95")
    with sessions() as session:
        account = session.scalars(select(Account)).one()
        notice = overdue_notice(session, account, datetime(2027, 1, 4, tzinfo=UTC).date(), None, "en_GB")
    assert "INV-2026-0001 to ACME — €405.00, due 24 Dec 2026 (11 days ago)" in notice.text


def test_the_migration_makes_each_paid_invoice_one_full_payment(blank_database_url, cipher, clock) -> None:
    from bot.wiring import build_core
    from core.storage import create_db_engine, migrate, session_factory

    engine = create_db_engine(blank_database_url)
    try:
        migrate_to(engine, "0010")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO accounts (id, timezone, created_at, last_task_number) VALUES "
                                    "(7, 'Europe/Berlin', '2026-11-01 09:00:00', 0)"))
            insert_alice_and_acme(connection)
            seller = cipher.encrypt('{"name": "Jane"}')
            for invoice_id, number, status, paid_on in ((11, "INV-2026-0001", "paid", "2026-11-10"),
                                                        (12, "INV-2026-0002", "open", None),
                                                        (13, "INV-2026-0003", "paid", None)):
                connection.execute(text(
                    "INSERT INTO invoices (id, account_id, client_id, kind, number, status, issue_date, due_date, "
                    "currency, locale, language, subtotal_minor, tax_rate, tax_minor, total_minor, seller_enc, buyer, "
                    "paid_on, created_at) VALUES (:id, 7, 3, 'invoice', :number, :status, '2026-11-02', "
                    "'2026-12-02', 'EUR', 'en_GB', 'en', 16000, '0', 0, 16000, :seller, '{\"name\": \"ACME\"}', "
                    ":paid_on, '2026-11-02 09:00:00')"),
                    {"id": invoice_id, "number": number, "status": status, "paid_on": paid_on, "seller": seller})
            connection.execute(text("INSERT INTO changes (account_id, kind, subject_id, \"before\", created_at) VALUES "
                                    "(7, 'invoice.paid', 13, '{\"status\": \"open\", \"paid_on\": null}', "
                                    "'2026-11-03 09:00:00')"))
        migrate(engine)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT invoice_id, amount_minor, paid_on, account_id, removed_at "
                                           "FROM payments ORDER BY invoice_id")).all()
            columns = [c[0] for c in connection.execute(text("SELECT * FROM invoices")).cursor.description]
        assert [(r[0], r[1], str(r[2]), r[3], r[4]) for r in rows] == [(11, 16000, "2026-11-10", 7, None),
                                                                      (13, 16000, "2026-11-02", 7, None)]
        assert "paid_on" not in columns
        chat = Conversation(build_core(session_factory(engine), cipher, clock))
        listing = chat.text("/invoices")
        assert "INV-2026-0001 · ACME · 2 Nov 2026 · €160.00 · paid 10 Nov 2026" in listing
        assert "INV-2026-0002 · ACME · 2 Nov 2026 · €160.00 · open, due 2 Dec 2026" in listing
        # The /paid journaled before payments had rows: /undo takes back the payment the migration made of it.
        assert chat.text("/undo") == "Took back the payment of €160.00 on INV-2026-0003: €160.00 is outstanding again."
        assert chat.text("/paid INV-2026-0002 60").startswith("Recorded €60.00 received on 24 Nov 2026")
        assert "€100.00 of it outstanding" in chat.text("/invoices")
    finally:
        engine.dispose()
