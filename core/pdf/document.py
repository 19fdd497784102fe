"""What an invoice PDF shows: plain, frozen values, so the same document always renders the same bytes.

The invoice service builds one of these from its stored snapshot; the renderer never reads the database, so
/invoice show re-sends exactly what was issued, and the renderer can be tested and benchmarked on its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.tax import TaxGroup

STATUSES = ("draft", "issued", "paid", "void")
KINDS = ("invoice", "credit_note")


@dataclass(frozen=True)
class Party:
    """The seller (the user's business profile) or the buyer (the client), as printed."""

    name: str
    address: str | None = None
    """Free text; line breaks are kept."""
    email: str | None = None
    tax_id: str | None = None
    """The single tax id of invoices issued before VAT id and tax number were two fields."""
    country: str | None = None
    """ISO 3166 alpha-2."""
    vat_id: str | None = None
    tax_number: str | None = None


@dataclass(frozen=True)
class DocumentLine:
    """One printed line: the amount is already rounded, and the totals are sums of these amounts."""

    work_date: date
    description: str
    minutes: int | None
    """The time worked, printed exactly as h:mm; None for a fixed-price item (printed without time or rate)."""
    rate: Decimal | None
    amount: Decimal
    tax_category: str | None = None
    """The EN 16931 VAT category (S, Z, E, AE, G, O); None on invoices issued before categories existed."""
    tax_rate: Decimal | None = None
    kind: str = "work"
    """``work`` or ``expense``: expenses are listed after the work, under a heading of their own."""


@dataclass(frozen=True)
class EmbeddedFile:
    """A file carried inside the PDF beside the page (an expense's receipt), as a PDF/A-3 associated file."""

    filename: str
    media_type: str
    content: bytes
    description: str


@dataclass(frozen=True)
class InvoiceDocument:
    seller: Party
    buyer: Party
    number: str | None
    """None while a draft: a preview consumes no number."""
    status: str
    """One of ``draft``, ``issued``, ``paid``, ``void``; draft and void are marked across every page."""
    issue_date: date
    due_date: date
    currency: str
    locale: str
    """Babel locale for numbers and dates (``en_GB``, ``de_DE``): one of :attr:`language`."""
    lines: tuple[DocumentLine, ...]
    subtotal: Decimal
    tax_rate: Decimal
    """In percent: 19 means 19 %."""
    tax: Decimal
    total: Decimal
    payment_instructions: str | None = None
    terms: str | None = None
    notes: str | None = None
    """E.g. a tax-exemption or reverse-charge sentence."""
    logo: bytes | None = None
    """PNG or JPEG bytes, printed at the top right."""
    language: str = "en"
    """The language of the labels and sentences printed (``de``: Rechnung, Leistungsdatum …)."""
    kind: str = "invoice"
    """``invoice`` or ``credit_note`` (type 381: same lines, positive amounts, referring to ``corrects``)."""
    tax_groups: tuple[TaxGroup, ...] = ()
    """The VAT breakdown per category and rate; empty on invoices issued before it existed (one rate, ``tax``)."""
    vat_exempt: str | None = None
    """The seller's exemption sentence, printed for category E."""
    buyer_reference: str | None = None
    corrects: tuple[str, date] | None = None
    """A credit note's invoice: its number and issue date."""
    cancelled_by: str | None = None
    """A voided invoice's credit note number, stamped on it."""
    amount_due: Decimal | None = None
    """What the payment QR and the e-invoice ask for; the total unless part of it was paid."""
    discount: Decimal | None = None
    """Taken off the work before tax (EN 16931 BG-20); :attr:`subtotal` is net of it."""
    discount_percent: Decimal | None = None
    """The percentage it was given as, printed beside it; None for an amount."""
    receipts: tuple[EmbeddedFile, ...] = ()
    """The receipts of the expenses it bills, embedded in the PDF (PDF/A-3 associated files, Supplement)."""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown invoice status {self.status!r}; expected one of {STATUSES}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown document kind {self.kind!r}; expected one of {KINDS}")
        if self.status != "draft" and not self.number:
            raise ValueError("only a draft may be rendered without an invoice number")
        if self.amount_due is None:
            object.__setattr__(self, "amount_due", self.total)

    @property
    def lines_total(self) -> Decimal:
        """The sum of the lines (EN 16931 BT-106): the subtotal before the discount."""
        return self.subtotal + (self.discount or 0)

    @property
    def service_period(self) -> tuple[date, date] | None:
        """First to last day of the work billed."""
        days = [line.work_date for line in self.lines]
        return (min(days), max(days)) if days else None
