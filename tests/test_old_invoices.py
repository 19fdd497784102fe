"""Invoices issued before the e-invoice existed (schema 0004: one ``tax_id``, no country, no VAT category on the
lines) still re-render after the upgrade: shown again, sent as XML (no: said why), voided with a credit note and
then stamped "Cancelled by", listed and paid — without failing and without inventing VAT data they never had."""
from __future__ import annotations

import io
import json

from pypdf import PdfReader
from sqlalchemy import text

from tests.conftest import Conversation, migrate_to

OLD_SELLER = {"name": "Jane Doe Design", "address": "Hauptstr. 1\n10115 Berlin", "email": "jane@example.com",
              "tax_id": "21/815/08150", "payment": "IBAN DE89 3704 0044 0532 0130 00",
              "terms": "Payable within 14 days of the issue date."}


def page_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _old_invoice(engine, cipher) -> None:  # type: ignore[no-untyped-def]
    """What /invoice wrote under schema 0004: the seller snapshot with ``tax_id``, lines without a VAT category."""
    migrate_to(engine, "0004")
    at = "2026-10-01 09:00:00"
    with engine.begin() as connection:
        run = connection.execute
        run(text("INSERT INTO accounts (id, timezone, created_at, last_task_number) VALUES (5, 'Europe/Berlin', "
                 ":at, 2)"), {"at": at})
        run(text("INSERT INTO profiles (account_id, name, currency, tax_rate, terms_days, number_format, locale, "
                 "tax_id_enc, payment_enc) VALUES (5, 'Jane Doe Design', 'EUR', '19', 14, 'INV-{year}-{seq:04}', "
                 "'en_GB', :tax, :payment)"),
            {"tax": cipher.encrypt("21/815/08150"), "payment": cipher.encrypt(OLD_SELLER["payment"])})
        run(text("INSERT INTO identities (platform, platform_user_id, account_id, created_at) VALUES "
                 "('local', 'jane', 5, :at)"), {"at": at})
        run(text("INSERT INTO clients (id, account_id, name, name_key, rate, currency, archived, created_at) "
                 "VALUES (4, 5, 'ACME', 'acme', '80', 'EUR', false, :at)"), {"at": at})
        run(text("INSERT INTO invoice_counters (account_id, scope, next_seq) VALUES (5, '2026', 2)"))
        run(text("INSERT INTO invoices (id, account_id, client_id, number, status, issue_date, due_date, currency, "
                 "locale, subtotal_minor, tax_rate, tax_minor, total_minor, seller_enc, buyer, created_at) VALUES "
                 "(21, 5, 4, 'INV-2026-0001', 'open', '2026-10-05', '2026-10-19', 'EUR', 'en_GB', 21000, '19', "
                 "3990, 24990, :seller, :buyer, :at)"),
            {"seller": cipher.encrypt(json.dumps(OLD_SELLER)),
             "buyer": json.dumps({"name": "ACME", "address": "Markt 1\n04109 Leipzig", "email": None}), "at": at})
        for task_id, number, minutes, fixed, rate, description, amount in (
                (31, 1, 90, None, "80", "logo design", 12000), (32, 2, None, 9000, None, "hosting, one year", 9000)):
            run(text("INSERT INTO tasks (id, account_id, client_id, number, work_date, minutes, fixed_amount_minor, "
                     "fixed_currency, rate, description, invoice_id, created_at) VALUES (:id, 5, 4, :number, "
                     "'2026-10-02', :minutes, :fixed, :currency, :rate, :description, 21, :at)"),
                {"id": task_id, "number": number, "minutes": minutes, "fixed": fixed,
                 "currency": "EUR" if fixed else None, "rate": rate, "description": description, "at": at})
            run(text("INSERT INTO invoice_lines (invoice_id, position, task_id, work_date, description, minutes, rate, "
                     "amount_minor) VALUES (21, :position, :id, '2026-10-02', :description, :minutes, :rate, "
                     ":amount)"),
                {"position": number, "id": task_id, "description": description, "minutes": minutes, "rate": rate,
                 "amount": amount})


def test_an_invoice_from_before_the_e_invoice_is_shown_voided_and_stamped_after_the_upgrade(  # type: ignore[no-untyped-def]
        blank_database_url, cipher, clock) -> None:
    from bot.wiring import build_core
    from core.storage import create_db_engine, migrate, session_factory

    engine = create_db_engine(blank_database_url)
    try:
        _old_invoice(engine, cipher)
        migrate(engine)
        chat = Conversation(build_core(session_factory(engine), cipher, clock, default_tz="Europe/Berlin"),
                            user="jane")

        shown = chat.say("/invoice show INV-2026-0001")
        assert shown.document is not None, shown.text
        page = page_text(shown.document.content)
        assert "INV-2026-0001" in page and "Total (EUR) €249.90" in page and "Tax (19%) €39.90" in page
        assert "21/815/08150" in page  # the one tax id it was issued with, printed as then
        assert "Reverse charge" not in page and "CANCELLED" not in page
        assert list(PdfReader(io.BytesIO(shown.document.content)).attachments) == []  # no XML it never had
        assert chat.say("/invoice show INV-2026-0001").document.content == shown.document.content

        xml = chat.text("/invoice show INV-2026-0001 xml")
        assert "carries no e-invoice" in xml and "issued before invoices carried their VAT category" in xml

        assert "INV-2026-0001 · ACME" in chat.text("/invoices")
        voided = chat.say("/void INV-2026-0001")
        assert voided.text.startswith("Cancelled INV-2026-0001 with credit note CN-2026-0001"), voided.text
        assert voided.document is not None
        credit = page_text(voided.document.content)
        assert "CREDIT NOTE" in credit and "cancels invoice INV-2026-0001 of 5 Oct 2026 in full" in credit
        assert "Total (EUR) €249.90" in credit

        stamped = chat.say("/invoice show INV-2026-0001")
        assert stamped.document is not None, stamped.text
        assert "CANCELLED by credit note CN-2026-0001" in page_text(stamped.document.content)
        assert "void, cancelled by CN-2026-0001" in chat.text("/invoices")
        assert "its 2 tasks are unbilled again" in voided.text
        with engine.connect() as connection:  # the work is unbilled again, to be billed with today's VAT data
            assert connection.execute(text("SELECT count(*) FROM tasks WHERE invoice_id IS NULL")).scalar() == 2
    finally:
        engine.dispose()
