"""The invoice as printed: the snapshot stored at issue (seller, buyer, terms, notes) and the document built
from it, so a re-sent or voided invoice renders from stored rows alone, never from today's profile or rates."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from core.encryption import Cipher
from core.i18n import _, ngettext, use_language
from core.models import Account, Client, Invoice
from core.money import Money
from core.pdf import DocumentLine, InvoiceDocument, Party


def notes_for(account: Account, client: Client) -> str | None:
    parts = [text.strip() for text in (client.notes, account.profile.notes) if text and text.strip()]
    return "\n".join(parts) or None


def seller_snapshot(account: Account, cipher: Cipher, issued: date, due: date, language: str) -> dict:
    """The seller block as printed, with the payment terms written out in the invoice's ``language``."""
    profile = account.profile
    days = (due - issued).days
    with use_language(language):
        terms = (_("Payable on receipt.") if days == 0 else
                 ngettext("Payable within {days} day of the issue date.",
                          "Payable within {days} days of the issue date.", days).format(days=days))
    return {"name": profile.name, "address": profile.address, "email": profile.email, "country": profile.country,
            "vat_id": cipher.decrypt(profile.vat_id_enc), "tax_number": cipher.decrypt(profile.tax_number_enc),
            "vat_exempt": profile.vat_exempt, "payment": cipher.decrypt(profile.payment_enc), "terms": terms}


def buyer_snapshot(client: Client) -> dict:
    return {"name": client.name, "address": client.address, "email": client.email, "country": client.country,
            "vat_id": client.vat_id, "reference": client.reference}


def invoice_document(invoice: Invoice, cipher: Cipher) -> InvoiceDocument:
    """The printable document, from the stored snapshot only: the same invoice always renders the same PDF."""
    seller = json.loads(cipher.decrypt(invoice.seller_enc) or "{}")
    buyer = json.loads(invoice.buyer)
    currency = invoice.currency
    lines = tuple(
        document_line(line.work_date, line.description, line.minutes, line.rate,
                      Money.from_minor(line.amount_minor, currency).amount)
        for line in invoice.lines
    )
    status = {"open": "issued", "paid": "paid", "void": "void"}[invoice.status]
    return build_document(seller, buyer, invoice.number, status, invoice.issue_date, invoice.due_date, currency,
                          invoice.locale, lines, Money.from_minor(invoice.subtotal_minor, currency).amount,
                          invoice.tax_rate, Money.from_minor(invoice.tax_minor, currency).amount,
                          Money.from_minor(invoice.total_minor, currency).amount, invoice.notes,
                          language=invoice.language)


def document_line(work_date: date, description: str, minutes: int | None, rate: Decimal | None,
                   amount: Decimal) -> DocumentLine:
    return DocumentLine(work_date, description, minutes, rate, amount)


def build_document(seller: dict, buyer: dict, number: str | None, status: str, issued: date, due: date,
                   currency: str, locale: str, lines: tuple[DocumentLine, ...], subtotal: Decimal,
                   tax_rate: Decimal, tax: Decimal, total: Decimal, notes: str | None, *,
                   language: str = "en") -> InvoiceDocument:
    return InvoiceDocument(
        seller=_party(seller), buyer=_party(buyer),
        number=number, status=status, issue_date=issued, due_date=due, currency=currency, locale=locale,
        lines=lines, subtotal=subtotal, tax_rate=tax_rate, tax=tax, total=total,
        payment_instructions=seller.get("payment"), terms=seller.get("terms"), notes=notes, language=language,
    )


def _party(snapshot: dict) -> Party:
    """A party from its snapshot; an invoice issued before VAT ids existed has only ``tax_id``."""
    return Party(snapshot.get("name") or "", snapshot.get("address"), snapshot.get("email"), snapshot.get("tax_id"),
                 country=snapshot.get("country"), vat_id=snapshot.get("vat_id"),
                 tax_number=snapshot.get("tax_number"))
