"""The invoice as printed: the snapshot stored at issue (seller, buyer, terms, notes) and the document built
from it, so a re-sent or voided invoice renders from stored rows alone, never from today's profile or rates."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import object_session

from core.einvoice import einvoice_gaps, einvoice_xml
from core.encryption import Cipher
from core.i18n import _, ngettext, use_language
from core.models import Account, Client, Invoice
from core.money import Money
from core.pdf import DocumentLine, InvoiceDocument, Party, render_invoice_pdf
from core.pdf.document import EmbeddedFile
from core.receipts import receipt_files
from core.tax import TaxGroup, tax_breakdown


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
    """The printable document, from the stored snapshot only: the same invoice always renders the same PDF.

    A credit note shows the invoice it cancels; a voided invoice, the credit note that cancelled it. Lines without
    a VAT category (issued before categories existed) make a document without a breakdown, printed as then.
    """
    seller = json.loads(cipher.decrypt(invoice.seller_enc) or "{}")
    buyer = json.loads(invoice.buyer)
    currency = invoice.currency
    lines = tuple(
        document_line(line.work_date, line.description, line.minutes, line.rate,
                      Money.from_minor(line.amount_minor, currency).amount, line.tax_category, line.tax_rate,
                      line.kind)
        for line in invoice.lines
    )
    groups: tuple[TaxGroup, ...] = ()
    discount = Money.from_minor(invoice.discount_minor, currency) if invoice.discount_minor is not None else None
    if lines and all(line.tax_category is not None for line in lines):
        entries = [(line.tax_category or "", line.tax_rate or Decimal(0), Money(line.amount, currency))
                   for line in lines]
        work = next((line for line in lines if line.kind != "expense"), None)
        if discount is not None and work is not None:  # the allowance is in the work's category and rate
            entries.append((work.tax_category or "", work.tax_rate or Decimal(0), Money(-discount.amount, currency)))
        groups = tax_breakdown(entries, currency)
    session = object_session(invoice)
    receipts = receipt_files(session, ((line.task_id, line.description) for line in invoice.lines
                                       if line.kind == "expense")) if session is not None else ()
    status = {"open": "issued", "issued": "issued", "paid": "paid", "void": "void"}[invoice.status]
    corrects = (invoice.corrects.number, invoice.corrects.issue_date) if invoice.corrects is not None else None
    cancelled_by = invoice.corrected_by.number if invoice.corrected_by is not None else None
    return build_document(seller, buyer, invoice.number, status, invoice.issue_date, invoice.due_date, currency,
                          invoice.locale, lines, Money.from_minor(invoice.subtotal_minor, currency).amount,
                          invoice.tax_rate, Money.from_minor(invoice.tax_minor, currency).amount,
                          Money.from_minor(invoice.total_minor, currency).amount, invoice.notes,
                          language=invoice.language, tax_groups=groups, kind=invoice.kind, corrects=corrects,
                          cancelled_by=cancelled_by, discount=discount.amount if discount is not None else None,
                          discount_percent=invoice.discount_percent, receipts=receipts)


def document_line(work_date: date, description: str, minutes: int | None, rate: Decimal | None, amount: Decimal,
                  tax_category: str | None = None, tax_rate: Decimal | None = None,
                  kind: str = "work") -> DocumentLine:
    return DocumentLine(work_date, description, minutes, rate, amount, tax_category, tax_rate, kind)


def build_document(seller: dict, buyer: dict, number: str | None, status: str, issued: date, due: date,
                   currency: str, locale: str, lines: tuple[DocumentLine, ...], subtotal: Decimal,
                   tax_rate: Decimal, tax: Decimal, total: Decimal, notes: str | None, *,
                   language: str = "en", tax_groups: tuple[TaxGroup, ...] = (), kind: str = "invoice",
                   corrects: tuple[str, date] | None = None, cancelled_by: str | None = None,
                   discount: Decimal | None = None, discount_percent: Decimal | None = None,
                   receipts: tuple[EmbeddedFile, ...] = ()) -> InvoiceDocument:
    return InvoiceDocument(
        seller=_party(seller), buyer=_party(buyer),
        number=number, status=status, issue_date=issued, due_date=due, currency=currency, locale=locale,
        lines=lines, subtotal=subtotal, tax_rate=tax_rate, tax=tax, total=total,
        payment_instructions=seller.get("payment"), terms=seller.get("terms"), notes=notes, language=language,
        kind=kind, tax_groups=tax_groups, vat_exempt=seller.get("vat_exempt"),
        buyer_reference=buyer.get("reference"), corrects=corrects, cancelled_by=cancelled_by,
        discount=discount, discount_percent=discount_percent, receipts=receipts,
    )


def einvoice_of(doc: InvoiceDocument) -> bytes | None:
    """The document's Factur-X XML; None for a draft, and for one EN 16931 can't express (a seller or buyer
    without a country, an invoice issued before VAT categories): those were issued after the user was told."""
    if doc.status == "draft" or einvoice_gaps(doc):
        return None
    with use_language(doc.language, doc.locale):
        return einvoice_xml(doc)


@dataclass(frozen=True)
class EInvoiceAhead:
    """An e-invoice made as a head start (:mod:`core.head_start`), before the transaction, for the document an
    invoice or credit note is expected to have: its number guessed, its figures from the tasks as they were read."""

    document: InvoiceDocument
    xml: bytes | None


def einvoice_ahead(doc: InvoiceDocument) -> EInvoiceAhead:
    return EInvoiceAhead(doc, einvoice_of(doc))


def einvoice_for(doc: InvoiceDocument, ahead: object | None = None) -> bytes | None:
    """The document's e-invoice: the one made ahead if it was made for an equal document, else made now.

    Equal documents make the same XML: it is made from the document's values alone (amounts, rates and quantities
    written out normalised), in its own language. A number taken by someone else meanwhile, a task edited, billed
    or deleted, a changed profile: the documents differ, and the XML is made now, as without a head start."""
    if isinstance(ahead, EInvoiceAhead) and ahead.document == doc:
        return ahead.xml
    return einvoice_of(doc)


def document_pdf(doc: InvoiceDocument) -> bytes:
    """The PDF/A-3 file of the document, with its e-invoice inside when it has one."""
    return render_invoice_pdf(doc, einvoice_of(doc))


def _party(snapshot: dict) -> Party:
    """A party from its snapshot; an invoice issued before VAT ids existed has only ``tax_id``."""
    return Party(snapshot.get("name") or "", snapshot.get("address"), snapshot.get("email"), snapshot.get("tax_id"),
                 country=snapshot.get("country"), vat_id=snapshot.get("vat_id"),
                 tax_number=snapshot.get("tax_number"))
