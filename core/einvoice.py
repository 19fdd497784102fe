"""The e-invoice: the document as Factur-X / ZUGFeRD XML (CII, profile EN 16931), made by the factur-x library.

Built from the same :class:`InvoiceDocument` the page is drawn from, so the XML's figures are the page's figures:
each line's amount, the VAT breakdown and the totals are copied, never recomputed. factur-x checks the XML against
the official XSD as it writes it; the EN 16931 business rules (Schematron) are checked by the test suite.

factur-x (with lxml, pypdf and requests) takes a quarter of a second to import: it is imported on first use only.
"""
from __future__ import annotations

from decimal import Decimal

from core.addresses import postal_address
from core.i18n import _, pgettext
from core.money import minor_digits
from core.payment_details import bank_account
from core.pdf.document import InvoiceDocument, Party
from core.tax import TaxGroup

FILENAME = "factur-x.xml"
INVOICE_TYPE = "380"
CREDIT_NOTE_TYPE = "381"


def einvoice_gaps(doc: InvoiceDocument) -> list[str]:
    """What EN 16931 requires that this document lacks, each as a sentence with the command that adds it."""
    if not doc.tax_groups:
        return [_("it was issued before invoices carried their VAT category")]
    gaps = []
    if minor_digits(doc.currency) > 2:  # BR-DEC-*: EN 16931 amounts have two decimals at most
        gaps.append(_("amounts of two decimals at most ({currency} has {digits})").format(
            currency=doc.currency, digits=minor_digits(doc.currency)))
    if not doc.seller.country:
        gaps.append(_("your country (/profile set country DE)"))
    if not doc.buyer.country:
        gaps.append(_("the client's country (/client set {client} country FR)").format(client=doc.buyer.name))
    categories = {group.category for group in doc.tax_groups}
    if categories & {"AE", "G"} and not doc.seller.vat_id:
        gaps.append(_("your VAT id, which a reverse-charge or export invoice must show (/profile set vat_id …)"))
    elif not (doc.seller.vat_id or doc.seller.tax_number):  # BR-CO-26: the seller must be identifiable
        gaps.append(_("your VAT id or tax number (/profile set vat_id … or /profile set tax_number …)"))
    return gaps


def vat_note(doc: InvoiceDocument, group: TaxGroup) -> str | None:
    """The sentence the law asks for when no VAT is charged, in the document's language (inside use_language)."""
    if group.category == "E":
        return doc.vat_exempt or _("Exempt from VAT.")
    if group.category == "AE":
        return _("Reverse charge: the recipient is liable for the VAT (Article 196, Council Directive 2006/112/EC). "
                 "VAT ID of the supplier: {seller}; VAT ID of the recipient: {buyer}.").format(
                     seller=doc.seller.vat_id or "—", buyer=doc.buyer.vat_id or "—")
    if group.category == "G":
        return _("No VAT charged: supplied to a recipient outside the EU (export, place of supply outside the EU).")
    if group.category == "O":
        return _("Not subject to VAT: outside the scope of VAT.")
    return None


def einvoice_xml(doc: InvoiceDocument) -> bytes:
    """The CII XML of an issued invoice or credit note, checked against the XSD; call inside ``use_language``."""
    from core.factur_x import generate_xml

    return bytes(generate_xml(_data(doc), flavor="factur-x", level="en16931", check_xsd=True,
                              check_schematron=False))


def _data(doc: InvoiceDocument) -> dict:
    assert doc.number is not None, "a draft has no e-invoice"
    money = _money_format(doc.currency)
    period = doc.service_period
    credit = doc.kind == "credit_note"
    outside_scope = any(group.category == "O" for group in doc.tax_groups)  # BR-O-02: no VAT ids at all
    data: dict = {
        "BT-1": doc.number,
        "BT-2": doc.issue_date,
        "BT-3": CREDIT_NOTE_TYPE if credit else INVOICE_TYPE,
        "BT-5": doc.currency,
        "BG-4": _seller(doc.seller, with_vat_id=not outside_scope),
        "BG-7": _party(doc.buyer, with_vat_id=not outside_scope),
        "BG-25": [_line(doc, n, line, money) for n, line in enumerate(doc.lines, 1)],
        "BG-23": [_breakdown(doc, group, money) for group in doc.tax_groups],
        "BT-106": money(doc.lines_total),
        "BT-109": money(doc.subtotal),
        "BT-110": money(doc.tax),
        "BT-112": money(doc.total),
        "BT-115": money(doc.amount_due),
    }
    if doc.discount is not None:
        data["BT-107"] = money(doc.discount)
        data["BG-20"] = [_allowance(doc, money)]
    if period is not None:  # factur-x writes an empty delivery block, which its XSD refuses, without BT-72
        data["BT-72"] = period[1]
        data["BT-73"], data["BT-74"] = period
    if doc.buyer_reference:
        data["BT-10"] = doc.buyer_reference
    if credit and doc.corrects is not None:
        data["BG-3"] = [{"BT-25": doc.corrects[0], "BT-26": doc.corrects[1]}]
        data["BT-20"] = _("Credit note for invoice {number}.").format(number=doc.corrects[0])
    else:
        data["BT-9"] = doc.due_date
        if doc.terms:
            data["BT-20"] = doc.terms
        data["BT-83"] = doc.number
        account = bank_account(doc.payment_instructions)
        if account is not None:
            data["BT-81"] = "58" if doc.currency == "EUR" else "30"  # SEPA credit transfer, else credit transfer
            data["BT-84"] = account.iban
            if account.bic:
                data["BT-86"] = account.bic
    if doc.notes:
        data["BG-1"] = [{"BT-22": doc.notes}]
    return data


def _seller(seller: Party, *, with_vat_id: bool) -> dict:
    """The seller, with the tax number (BT-32) when there is one. BR-CO-26 asks for a seller identifier: without a
    VAT id written (none, or outside the scope of VAT where none may be), the tax number or VAT id serves as BT-29."""
    data = _party(seller, with_vat_id=with_vat_id, tax_number=seller.tax_number)
    if "vat_identifier" not in data:
        data["identifiers"] = {None: seller.tax_number or seller.vat_id}
    return data


def _party(party: Party, *, with_vat_id: bool, tax_number: str | None = None) -> dict:
    address = postal_address(party.address)
    data: dict = {"name": party.name, "country_code": party.country}
    for key, value in zip(("addr_l1", "addr_l2"), address.lines[:2], strict=False):
        data[key] = value
    if len(address.lines) > 2:
        data["addr_l3"] = ", ".join(address.lines[2:])
    if address.postcode:
        data["postcode"] = address.postcode
    if address.city:
        data["city"] = address.city
    if with_vat_id and party.vat_id:
        data["vat_identifier"] = party.vat_id
    if tax_number:
        data["tax_identifier"] = tax_number
    return data


def _line(doc: InvoiceDocument, position: int, line, money) -> dict:  # type: ignore[no-untyped-def]
    category = line.tax_category or "S"
    data: dict = {
        "BT-126": str(position),
        "BT-131": money(line.amount),
        "BT-151": category,
        "BT-153": line.description.strip() or pgettext("invoice", "Work"),
        "BT-134": line.work_date,
        "BT-135": line.work_date,
    }
    if category != "O":
        data["BT-152"] = _percent(line.tax_rate if line.tax_rate is not None else doc.tax_rate)
    if line.minutes is None:  # a fixed price: one unit at that price
        data.update({"BT-129": "1", "BT-130": "C62", "BT-146": money(line.amount)})
    elif line.minutes % 3 == 0:  # whole hundredths of an hour: 1.5 h, 0.25 h, 0.05 h
        data.update({"BT-129": _plain(Decimal(line.minutes) / 60), "BT-130": "HUR", "BT-146": _plain(line.rate)})
    else:  # 80 minutes is 1.3333… h: minutes, with the hourly rate priced per 60 of them, multiply out exactly
        data.update({"BT-129": str(line.minutes), "BT-130": "MIN", "BT-146": _plain(line.rate), "BT-149": "60"})
    return data


def _allowance(doc: InvoiceDocument, money) -> dict:  # type: ignore[no-untyped-def]
    """The discount as a document-level allowance (BG-20) in the VAT category and rate of the work it comes off."""
    assert doc.discount is not None
    work = next(line for line in doc.lines if line.kind != "expense")
    category = work.tax_category or "S"
    data: dict = {"amount": money(doc.discount), "reason": pgettext("invoice", "Discount"), "reason_code": "95",
                  "vat_category_code": category}
    if category != "O":
        data["vat_rate"] = _percent(work.tax_rate if work.tax_rate is not None else doc.tax_rate)
    if doc.discount_percent is not None:
        work_sum = sum((line.amount for line in doc.lines if line.kind != "expense"), Decimal(0))
        data.update({"base_amount": money(work_sum), "rate": _plain(doc.discount_percent)})
    return data


def _breakdown(doc: InvoiceDocument, group: TaxGroup, money) -> dict:  # type: ignore[no-untyped-def]
    data = {"BT-116": money(group.base.amount), "BT-117": money(group.tax.amount), "BT-118": group.category}
    if group.category != "O":
        data["BT-119"] = _percent(group.rate)
    note = vat_note(doc, group)
    if note:
        data["BT-120"] = note
    return data


def _money_format(currency: str):  # type: ignore[no-untyped-def]
    exponent = Decimal(1).scaleb(-minor_digits(currency))
    return lambda amount: str(Decimal(amount).quantize(exponent))


def _plain(value: Decimal | None) -> str:
    assert value is not None
    text = format(value.normalize(), "f")
    return text


def _percent(rate: Decimal) -> str:
    return _plain(rate) if rate else "0"
