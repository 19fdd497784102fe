"""Which language the bot speaks: /language, else the chat app's, else English; dates and money follow it; a
client's invoices are in the client's language, fixed at issue; reminders speak the replies' language."""
from __future__ import annotations

import json

from sqlalchemy import select, text

from core.digests import compose
from core.invoice_documents import invoice_document
from core.messages import Incoming
from core.models import Account, Invoice
from core.pdf import render_invoice_pdf
from core.reminders import Claim
from tests.conftest import Conversation, migrate_to


class ChatApp(Conversation):
    """A user whose chat app reports ``locale`` with every message (Telegram's language_code, Slack's locale)."""

    def __init__(self, core, locale: str | None, user: str = "alice") -> None:  # type: ignore[no-untyped-def]
        super().__init__(core, user, platform="telegram")
        self.locale = locale

    def say(self, text: str, message_id: str | None = None):  # type: ignore[no-untyped-def]
        return self.core.handle(Incoming(platform=self.platform, user_id=self.user, chat_id=self.user, text=text,
                                         message_id=message_id, is_private=True, locale=self.locale))


def test_english_until_the_user_chooses_a_language_then_that_language_with_its_dates_and_money(core) -> None:
    chat = Conversation(core)
    assert chat.text("/clients").startswith("You have no clients yet.")
    assert chat.text("/language de") == ("Ab jetzt antworte ich dir auf Deutsch. Auch Rechnungen schreibe ich so, außer "
                                         "ein Kunde hat eine eigene Sprache (/client set NAME language de).")
    assert chat.text("/client add ACME rate 1200") == "Kunde angelegt: ACME — 1.200,00\xa0€/h."
    assert "Sprache: Deutsch (mit /language gewählt)" in chat.text("/profile")
    assert chat.text("/language").startswith("Ich antworte dir auf Deutsch (mit /language gewählt).")
    assert chat.text("/language auto") == "I follow your chat app's language again: English."
    assert chat.text("/client ACME").startswith("ACME — €1,200.00/h")


def test_a_language_is_named_by_code_or_by_name_in_any_of_the_four(core) -> None:
    chat = Conversation(core)
    assert chat.text("/language Français").startswith("Désormais, je vous réponds en français.")
    assert chat.text("/language alemán").startswith("Ab jetzt antworte ich dir auf Deutsch.")
    assert chat.text("/language es_MX").startswith("A partir de ahora te respondo en español.")
    assert chat.text("/language ENGLISH").startswith("From now on I answer you in English.")


def test_a_language_the_bot_does_not_speak_is_refused_and_nothing_changes(core) -> None:
    chat = Conversation(core)
    chat.text("/language fr")
    refused = chat.text("/language it")
    assert refused == "Je parle anglais, allemand, français et espagnol\xa0: indiquez en, de, fr ou es, et non «\xa0it\xa0»."
    assert chat.text("/clients").startswith("Vous n’avez encore aucun client.")


def test_the_chat_app_s_language_is_used_until_the_user_chooses_another(core) -> None:
    french = ChatApp(core, "fr")
    assert french.text("/clients").startswith("Vous n’avez encore aucun client.")
    assert "Langue\xa0: français (la langue de votre messagerie)" in french.text("/profile")
    assert french.text("/language en").startswith("From now on I answer you in English.")
    assert french.text("/clients").startswith("You have no clients yet.")
    assert ChatApp(core, "pt-BR", user="bob").text("/clients").startswith("You have no clients yet.")


def test_a_refusal_and_an_unknown_command_are_in_the_user_s_language(core) -> None:
    spanish = ChatApp(core, "es-ES")
    assert spanish.text("/frobnicate") == "No conozco el comando /frobnicate. Envía /help para ver lo que puedo hacer."
    assert spanish.text("/client set Nobody rate 90").startswith("No conozco ningún cliente llamado «Nobody»")
    assert spanish.say("").text.startswith("Cuéntame en qué trabajaste")


def test_a_reminder_speaks_the_language_of_the_replies(core, sessions, clock) -> None:
    german = ChatApp(core, "de-AT")
    german.text("/client add ACME rate 80")
    german.text("/remind weekly fri 16:00")
    german.text("/log 2h Logo for ACME")  # the phrase parser reads English here; only the digest's words matter
    with sessions() as session:
        account = session.scalar(select(Account))
        claim = Claim(1, account.id, "weekly", "telegram", "alice", clock.now, clock.now, 0, None, clock.now, "test")
        digest = compose(session, claim, clock.now)
    assert digest is not None
    assert digest.text.startswith("Wöchentliche Übersicht – nicht abgerechnete Arbeit:")
    assert "ACME: 2 h, €\xa0160,00, seit 24.11.2026" in digest.text  # de_AT writes money as Austria does


def test_an_invoice_is_in_its_client_s_language_and_stays_so_once_issued(core, sessions, cipher) -> None:
    chat = Conversation(core)
    chat.text("/profile set name Jane Doe Design")
    chat.text("/profile set terms 14")
    chat.text("/client add ACME rate 80")
    assert chat.text("/client set ACME language fr") == "ACME's invoices are written in French from now on."
    assert "Invoice language: French" in chat.text("/client ACME")
    chat.text("2h logo design for ACME yesterday")
    chat.invoice("/invoice ACME")
    with sessions() as session:
        invoice = session.scalar(select(Invoice))
        assert (invoice.language, invoice.locale) == ("fr", "fr_FR")
        before = invoice_document(invoice, cipher)
    assert before.terms == "Payable sous 14 jours à compter de la date d’émission."
    assert chat.text("/client set ACME language default") == (
        "ACME's invoices are written in your language again (English).")
    chat.text("/language es")
    with sessions() as session:
        after = invoice_document(session.scalar(select(Invoice)), cipher)
    assert after == before and render_invoice_pdf(after) == render_invoice_pdf(before)


def test_an_invoice_without_a_client_language_is_in_the_user_s_language(core, sessions, cipher) -> None:
    chat = ChatApp(core, "es")
    chat.text("/profile set name Jane Doe Design")
    chat.text("/client add ACME rate 80")
    chat.text("2h logo design for ACME yesterday")
    chat.invoice("/invoice ACME")
    with sessions() as session:
        invoice = session.scalar(select(Invoice))
        assert (invoice.language, invoice.locale) == ("es", "es_ES")
        assert invoice_document(invoice, cipher).terms == ("Pagadera en un plazo de 30 días desde la fecha de "
                                                          "emisión.")


def test_invoices_issued_before_languages_keep_english(blank_database_url) -> None:
    from core.storage import create_db_engine, migrate

    engine = create_db_engine(blank_database_url)
    try:
        migrate_to(engine, "0007")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO accounts (id, timezone, created_at) VALUES "
                                    "(1, 'UTC', '2026-11-01 09:00:00')"))
            connection.execute(text("INSERT INTO clients (id, account_id, name, name_key, currency, archived, "
                                    "created_at) VALUES (1, 1, 'ACME', 'acme', 'EUR', false, '2026-11-01 09:00:00')"))
            connection.execute(text(
                "INSERT INTO invoices (id, account_id, client_id, number, status, issue_date, due_date, currency, "
                "locale, subtotal_minor, tax_rate, tax_minor, total_minor, seller_enc, buyer, created_at) VALUES "
                "(1, 1, 1, 'INV-2026-0001', 'open', '2026-11-02', '2026-12-02', 'EUR', 'de_DE', 100, '0', 0, 100, "
                "'', :buyer, '2026-11-02 09:00:00')"), {"buyer": json.dumps({"name": "ACME"})})
        migrate(engine)
        with engine.connect() as connection:
            row = connection.execute(text("SELECT language, locale FROM invoices")).one()
            account = connection.execute(text("SELECT language, platform_locale FROM accounts")).one()
        assert tuple(row) == ("en", "de_DE")
        assert tuple(account) == (None, None)
    finally:
        engine.dispose()


def test_the_platform_s_locale_is_remembered_for_messages_nobody_asked_for(core, sessions) -> None:
    ChatApp(core, "fr-CA").text("/clients")
    ChatApp(core, None).text("/clients")  # a button press may come without one: nothing is forgotten
    with sessions() as session:
        assert session.scalar(select(Account.platform_locale)) == "fr_CA"


def test_an_unexpected_error_is_apologised_for_in_the_user_s_language(sessions, cipher, clock) -> None:
    from core.app import Core
    from core.context import Command

    def broken(ctx, args):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    core = Core(sessions, cipher, clock, commands=(Command("boom", broken, "/boom", ""),), plain_text=broken)
    assert ChatApp(core, "de").text("/boom").startswith("Entschuldigung, da ist etwas schiefgegangen (Ref. ")
