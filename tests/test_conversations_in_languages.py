"""A German, a French and a Spanish freelancer each have the README's first conversation and bill it, in their own
language: the phrase in their words, every reply in their language with its dates and money, and an invoice whose
PDF (read back with pypdf) carries the labels an accountant of their country expects — and no English."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from core.messages import Incoming, Reply

NBSP = "\xa0"


@dataclass(frozen=True)
class Freelancer:
    language: str
    """What their chat app reports (Telegram's language_code): the only hint of their language they give."""
    phrase: str
    """The README's "2h logo design for ACME yesterday", as they would type it."""
    added: str
    logged: str
    tasks: str
    profile: tuple[str, ...]
    client: tuple[str, ...]
    issued: str
    on_the_invoice: tuple[str, ...]
    reverse_charge_client: tuple[str, ...]
    reverse_charge: str


FREELANCERS = (
    Freelancer(
        "de", "2 Std. Logodesign für ACME gestern",
        added=f"Kunde angelegt: ACME — 80,00{NBSP}€/h.",
        logged=f"Eingetragen #1: 2 h für ACME am 23.11.2026 — Logodesign — 160,00{NBSP}€ zu 80,00{NBSP}€/h",
        tasks=(f"Nicht abgerechnete Arbeit:\nACME — 2 h, 160,00{NBSP}€\n"
               f"  #1 23.11.2026 · 2 h · Logodesign · 160,00{NBSP}€ zu 80,00{NBSP}€/h"),
        profile=("/profile set name Jana Muster Design", "/profile set address Hauptstr. 1 | 10115 Berlin",
                 "/profile set country DE", "/profile set vat_id DE123456788", "/profile set tax_rate 19",
                 "/profile set payment IBAN DE89 3704 0044 0532 0130 00 | BIC COBADEFFXXX"),
        client=("/client set ACME country DE", "/client set ACME address Alexanderplatz 1 | 10178 Berlin"),
        issued="Rechnung INV-2026-0001 an ACME:",
        on_the_invoice=("RECHNUNG", "Rechnungsnummer INV-2026-0001", "Rechnungsdatum 24.11.2026",
                        "Leistungszeitraum 23.11.2026", "Fällig am 24.12.2026", "RECHNUNG AN",
                        "23.11.2026 Logodesign 2:00 80,00 160,00", "Zwischensumme 160,00 €", "USt 19 % 30,40 €",
                        "Gesamtbetrag (EUR) 190,40 €", "Bitte geben Sie bei der Zahlung INV-2026-0001 an.",
                        "Zahlbar innerhalb von 30 Tagen ab Rechnungsdatum.", "Seite 1 von 1"),
        reverse_charge_client=("/client set ACME country FR", "/client set ACME vat_id FR40303265045"),
        reverse_charge="Steuerschuldnerschaft des Leistungsempfängers",
    ),
    Freelancer(
        "fr", "2h création de logo pour ACME hier",
        added=f"Client ajouté{NBSP}: ACME — 80,00{NBSP}€/h.",
        logged=(f"Enregistré #1{NBSP}: 2 h pour ACME le 23 nov. 2026 — création de logo — 160,00{NBSP}€ à "
                f"80,00{NBSP}€/h"),
        tasks=(f"Travail non facturé{NBSP}:\nACME — 2 h, 160,00{NBSP}€\n"
               f"  #1 23 nov. 2026 · 2 h · création de logo · 160,00{NBSP}€ à 80,00{NBSP}€/h"),
        profile=("/profile set name Jeanne Martin Design", "/profile set address 1 rue de Rivoli | 75001 Paris",
                 "/profile set country FR", "/profile set vat_id FR40303265045", "/profile set tax_rate 20",
                 "/profile set payment IBAN FR76 3000 6000 0112 3456 7890 189 | BIC AGRIFRPP"),
        client=("/client set ACME country FR", "/client set ACME address 2 avenue Foch | 75116 Paris"),
        issued="Facture INV-2026-0001 pour ACME",
        on_the_invoice=("FACTURE", "Facture n° INV-2026-0001", "Date d’émission 24 nov. 2026",
                        "Période de prestation 23 nov. 2026", "Échéance 24 déc. 2026", "FACTURÉ À",
                        "23 nov. 2026 création de logo 2:00 80,00 160,00", "Sous-total 160,00 €", "TVA 20 % 32,00 €",
                        "Total (EUR) 192,00 €", "Merci d’indiquer INV-2026-0001 avec votre paiement.",
                        "Payable sous 30 jours à compter de la date d’émission.", "Page 1 sur 1"),
        reverse_charge_client=("/client set ACME country DE", "/client set ACME vat_id DE123456788"),
        reverse_charge="Autoliquidation",
    ),
    Freelancer(
        "es", "2h diseño de logo para ACME ayer",
        added=f"Cliente añadido: ACME — 80,00{NBSP}€/h.",
        logged=f"Registrado #1: 2 h para ACME el 23 nov 2026 — diseño de logo — 160,00{NBSP}€ a 80,00{NBSP}€/h",
        tasks=(f"Trabajo sin facturar:\nACME — 2 h, 160,00{NBSP}€\n"
               f"  #1 23 nov 2026 · 2 h · diseño de logo · 160,00{NBSP}€ a 80,00{NBSP}€/h"),
        profile=("/profile set name Ana García Diseño", "/profile set address Calle Mayor 1 | 28013 Madrid",
                 "/profile set country ES", "/profile set vat_id ESB12345674", "/profile set tax_rate 21",
                 "/profile set payment IBAN ES91 2100 0418 4502 0005 1332 | BIC CAIXESBBXXX"),
        client=("/client set ACME country ES", "/client set ACME address Gran Vía 2 | 28013 Madrid"),
        issued="Factura INV-2026-0001 para ACME",
        on_the_invoice=("FACTURA", "Factura n.º INV-2026-0001", "Fecha de emisión 24 nov 2026",
                        "Periodo de prestación 23 nov 2026", "Vencimiento 24 dic 2026", "FACTURAR A",
                        "23 nov 2026 diseño de logo 2:00 80,00 160,00", "Subtotal 160,00 €", "IVA 21 % 33,60 €",
                        "Total (EUR) 193,60 €", "Indique INV-2026-0001 con su pago, por favor.",
                        "Pagadera en un plazo de 30 días desde la fecha de emisión.", "Página 1 de 1"),
        reverse_charge_client=("/client set ACME country DE", "/client set ACME vat_id DE123456788"),
        reverse_charge="Inversión del sujeto pasivo",
    ),
)

ENGLISH_WORDS = re.compile(r"\b(the|and|your|you|is|was|of|with|yet|unbilled|logged|nothing|invoice|due|hours|days?|"
                           r"added|please|here|which|what|paid|rate|line|lines)\b", re.IGNORECASE)
"""Words of the bot's English that no German, French or Spanish reply contains (checked outside /commands and the
user's own words); "client" and "total" are French and Spanish too."""
ENGLISH_ON_PAPER = ("INVOICE", "BILL TO", "Invoice no.", "Issue date", "Service period", "Due date", "Payable within",
                    "Please quote", "Page 1 of", "Amount (", "Time (h:mm)", "Rate (", "Tax (")
"""The English labels of the PDF; those spelled alike in French or Spanish (Description, Total) are not listed."""


class Chat:
    """The freelancer in Telegram: every message carries their app's language, nothing else says it."""

    def __init__(self, core, language: str) -> None:  # type: ignore[no-untyped-def]
        self.core, self.language, self.replies = core, language, []

    def say(self, text: str) -> Reply:
        reply = self.core.handle(Incoming(platform="telegram", user_id="7", chat_id="7", text=text,
                                          locale=self.language))
        assert reply is not None
        self.replies.append(reply)
        return reply

    def text(self, message: str) -> str:
        return self.say(message).text


def english_in(reply: Reply) -> list[str]:
    """English words in a reply, once commands (/client set ACME rate 80) and the user's data are taken out."""
    text = re.sub(r"/[a-z_]+(\s+(add|set|show|until|preview|rate|currency|email|archived|no|off|on|language|"
                  r"vat_id|tax_number|payment|name|address|country|[A-Z0-9-]+|\d+|…))*", " ", reply.text)
    text = re.sub(r"INV-\d{4}-\d{4}|ACME|IBAN|BIC", " ", text)
    words = [match.group(0) for match in ENGLISH_WORDS.finditer(text)]
    labels = [action.label for action in reply.actions if ENGLISH_WORDS.search(action.label)]
    return words + labels


def pdf_text(reply: Reply) -> str:
    assert reply.document is not None and reply.document.filename.endswith(".pdf")
    pages = PdfReader(io.BytesIO(reply.document.content)).pages
    return re.sub(r"[ \xa0\u202f]+", " ", "\n".join(page.extract_text() for page in pages))


@pytest.mark.parametrize("who", FREELANCERS, ids=lambda f: f.language)
def test_the_first_conversation_in_the_freelancer_s_language(core, who: Freelancer) -> None:
    chat = Chat(core, who.language)
    assert chat.text("/client add ACME rate 80 currency EUR") == who.added
    logged = chat.say(who.phrase)
    assert logged.text == who.logged
    assert [action.command for action in logged.actions] == ["/undo 1"]
    assert chat.text("/tasks") == who.tasks
    assert [english_in(reply) for reply in chat.replies] == [[], [], []]


@pytest.mark.parametrize("who", FREELANCERS, ids=lambda f: f.language)
def test_the_invoice_in_the_freelancer_s_language(core, who: Freelancer) -> None:
    chat = Chat(core, who.language)
    for line in ("/client add ACME rate 80 currency EUR", who.phrase, *who.profile, *who.client):
        chat.say(line)
    issued = chat.say("/invoice ACME")
    assert issued.text.startswith(who.issued)
    page = pdf_text(issued)
    assert [label for label in who.on_the_invoice if label not in page] == []
    assert [label for label in ENGLISH_ON_PAPER if label in page] == []
    assert "…" not in page  # no label cut short in its column
    assert [english_in(reply) for reply in chat.replies if english_in(reply)] == []


@pytest.mark.parametrize("who", FREELANCERS, ids=lambda f: f.language)
def test_a_reverse_charge_invoice_says_so_in_the_freelancer_s_language(core, who: Freelancer) -> None:
    chat = Chat(core, who.language)
    for line in ("/client add ACME rate 80 currency EUR", who.phrase, *who.profile, *who.reverse_charge_client):
        chat.say(line)
    chat.say("/client set ACME address Somewhere 1 | 12345 Town")
    issued = chat.say("/invoice ACME")
    if issued.document is None:  # a question before issuing (a detail the e-invoice lacks): answered yes
        issued = chat.say(issued.actions[0].command)
    assert who.reverse_charge in pdf_text(issued)


@pytest.mark.parametrize("who", FREELANCERS, ids=lambda f: f.language)
def test_help_s_examples_are_phrases_of_the_language_that_log_work(core, who: Freelancer) -> None:
    chat = Chat(core, who.language)
    chat.say("/client add ACME rate 80")
    examples = [line.removeprefix("• ") for line in chat.text("/help").splitlines() if line.startswith("• ")]
    phrases = [example for example in examples if not example.startswith("/")]
    assert len(phrases) == 2
    for number, phrase in enumerate(phrases, 1):
        logged = chat.say(phrase)
        assert [action.command for action in logged.actions] == [f"/undo {number}"], logged.text
