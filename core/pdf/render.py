"""Draws an :class:`InvoiceDocument` as an A4 PDF/A-3B invoice or credit note an accountant accepts: both parties
with their countries and VAT ids, number, dates and service period, the line table (:mod:`core.pdf.line_table`),
totals with the VAT breakdown and the sentence the law asks for when no VAT is charged, payment with its reference
line and EPC QR code, terms and notes; every page's footer, watermark and running head. Every word is in the
document's language, and the Factur-X XML, when given, is embedded as the PDF/A-3 associated file."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from io import BytesIO

from babel.dates import format_interval
from fpdf.enums import MethodReturnValue, TextMode
from PIL import Image

from core.i18n import _, pgettext, use_language
from core.pdf.document import InvoiceDocument, Party
from core.pdf.formatting import LocaleFormat, one_line
from core.pdf.line_table import LineTable
from core.pdf.metadata import COMPLIANCE, Metadata, apply_metadata
from core.pdf.payment_qr import EpcPayment, draw_matrix, epc_matrix
from core.pdf.scripts import ScriptFallback
from core.pdf.style import (
    INK,
    LOGO_MAX_H,
    LOGO_MAX_W,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    QR_SIZE,
    RULE,
    STATUS_COLOURS,
    WATERMARK_TINT,
)
from core.pdf.typefaces import FAMILY, add_fonts, complete_cmap

EINVOICE_FILENAME = "factur-x.xml"



def render_invoice_pdf(doc: InvoiceDocument, einvoice: bytes | None = None) -> bytes:
    """The document as PDF bytes, in its own language, with ``einvoice`` (the Factur-X XML) embedded when given.

    Deterministic: the same document and XML always give the same bytes.
    """
    with use_language(doc.language, doc.locale):
        pdf = InvoicePage(doc, einvoice)
        pdf.draw()
        return bytes(pdf.output())


class InvoicePage(LineTable, ScriptFallback):
    """One document being drawn: fpdf2 calls :meth:`header` on each new page; :meth:`draw` does the rest."""

    def __init__(self, doc: InvoiceDocument, einvoice: bytes | None = None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4", enforce_compliance=COMPLIANCE)
        self.doc = doc
        self.einvoice = einvoice
        self.fmt = LocaleFormat(doc.locale, doc.currency)
        self.table_open = False
        self.date_style = "medium"
        add_fonts(self)
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)
        apply_metadata(self, _metadata_of(doc), einvoice is not None)

    # Page furniture, called by fpdf2 on every page.

    def header(self) -> None:
        self._draw_watermark()
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.set_xy(self.l_margin, 9)
        self.cell(0, 4, _("{title} · {client} (continued)").format(
            title=self._fitted(_title_of(self.doc), self.epw * 0.4),
            client=self._fitted(one_line(self.doc.buyer.name), self.epw * 0.4)))
        self.set_y(MARGIN_TOP)
        self.set_text_color(*INK)
        if self.table_open:
            self._draw_table_header()

    def _draw_footers(self) -> None:
        """Every page's footer, drawn once the page count is known.

        fpdf2's ``{nb}`` alias is replaced after layout, so right-aligned text holding it ends up misaligned;
        going back over the finished pages puts "Page x of y" exactly at the margin.
        """
        last = self.page
        self.set_auto_page_break(False)
        for page in range(1, last + 1):
            self.page = page
            self.current_font_is_set_on_page = False  # that page's stream ended in another font
            self.set_font(FAMILY, "", 8)
            self.set_text_color(*MUTED)
            self.set_xy(self.l_margin, -14)
            self.cell(self.epw * 0.7, 4, self._fitted(f"{one_line(self.doc.seller.name)} · {_title_of(self.doc)}",
                                                      self.epw * 0.7 - 2 * self.c_margin))
            self.cell(self.epw * 0.3, 4, _("Page {page} of {pages}").format(page=page, pages=last), align="R")
        self.page = last
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)

    def _draw_watermark(self) -> None:
        word = {"draft": pgettext("watermark", "DRAFT"), "void": pgettext("watermark", "VOID")}.get(self.doc.status)
        if word is None:
            return
        self.set_font(FAMILY, "B", 110 if len(word) <= 6 else 80)
        self.set_text_color(*WATERMARK_TINT[self.doc.status])
        centre_x, centre_y = self.w / 2, self.h / 2
        with self.rotation(45, x=centre_x, y=centre_y):
            self.text(centre_x - self.get_string_width(word) / 2, centre_y + 13, word)
        self.set_text_color(*INK)

    # The document.

    def draw(self) -> None:
        self.add_page()
        self._draw_heading()
        self._draw_lines()
        self._draw_closing_blocks()
        self._draw_footers()
        if self.einvoice is not None:
            self.embed_file(bytes=self.einvoice, basename=EINVOICE_FILENAME, mime_type="text/xml",
                            associated_file_relationship="Alternative", desc="Factur-X / ZUGFeRD (EN 16931)",
                            modification_date=_created(self.doc))
        for receipt in self.doc.receipts:
            self.embed_file(bytes=receipt.content, basename=receipt.filename, mime_type=receipt.media_type,
                            associated_file_relationship="Supplement", desc=receipt.description,
                            modification_date=_created(self.doc))
        self.report_undrawable(_title_of(self.doc))

    def _status_mark(self) -> str | None:
        doc = self.doc
        if doc.status == "draft":
            return _("DRAFT – not a valid invoice")
        if doc.status == "void":
            if doc.cancelled_by:
                return _("CANCELLED by credit note {number} – do not pay").format(number=doc.cancelled_by)
            return _("VOID – cancelled, do not pay")
        if doc.status == "paid":
            return pgettext("invoice status", "PAID")
        return None

    def _heading_rows(self) -> list[tuple[str, str]]:
        doc, fmt = self.doc, self.fmt
        credit = doc.kind == "credit_note"
        rows = [
            (pgettext("invoice", "Credit note no.") if credit else pgettext("invoice", "Invoice no."),
             doc.number or "—"),
            # Translators: the date a credit note is issued, beside "Invoice date" (the cancelled invoice's)
            (pgettext("credit note", "Issue date") if credit else pgettext("invoice", "Issue date"),
             fmt.date(doc.issue_date)),
        ]
        period = doc.service_period
        if period is not None and doc.tax_groups:  # invoices issued before it existed keep their old heading
            rows.append((pgettext("invoice", "Service period"), self._period_text(*period)))
        if credit and doc.corrects is not None:
            rows += [(pgettext("invoice", "For invoice"), doc.corrects[0]),
                     (pgettext("invoice", "Invoice date"), fmt.date(doc.corrects[1]))]
        elif not credit:
            rows.append((pgettext("invoice", "Due date"), fmt.date(doc.due_date)))
        if doc.buyer_reference:
            rows.append((pgettext("invoice", "Your reference"), doc.buyer_reference))
        return rows

    def _period_text(self, first, last) -> str:  # type: ignore[no-untyped-def]
        if first == last:
            return self.fmt.date(first)
        for skeleton in ("yMMMd", "yMd"):
            text = format_interval(first, last, skeleton, locale=self.fmt.locale)
            if self.get_string_width(text) <= 38 - 2 * self.c_margin:
                return text
        return text

    def _draw_heading(self) -> None:
        doc = self.doc
        right_edge = self.w - self.r_margin
        block_x = right_edge - 72
        top = self.t_margin

        # Right: optional logo, the title, status and the number/date block.
        y = top
        if doc.logo:
            y = self._draw_logo(right_edge, y) + 4
        title = pgettext("invoice", "CREDIT NOTE") if doc.kind == "credit_note" else pgettext("invoice", "INVOICE")
        title_width = right_edge - block_x + 4  # the right column: a long seller name beside it stays readable
        size = 22
        self.set_font(FAMILY, "B", size)
        while size > 12 and self.get_string_width(title) > title_width - 2 * self.c_margin:
            size -= 1  # "FACTURA RECTIFICATIVA" is smaller than "INVOICE" rather than over the seller's name
            self.set_font(FAMILY, "B", size)
        self.set_xy(right_edge - title_width, y)
        self.cell(title_width, 10, title, align="R")
        y += 11
        mark = self._status_mark()
        if mark:
            self.set_font(FAMILY, "B", 9)
            self.set_text_color(*STATUS_COLOURS[doc.status])
            self.set_xy(block_x, y)  # inside the right column: a long seller name beside it stays readable
            self.multi_cell(right_edge - block_x, 5, mark, align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(*INK)
            y = self.y + 1
        y += 2
        self.set_font(FAMILY, "B", 9)  # the values' font, which _heading_rows measures with
        for label, value in self._heading_rows():
            self.set_font(FAMILY, "", 9)
            self.set_text_color(*MUTED)
            self.set_xy(block_x, y)
            self.cell(34, 5, label, align="R")
            self.set_font(FAMILY, "B", 9)
            self.set_text_color(*INK)
            self.cell(38, 5, self._fitted(value, 38 - 2 * self.c_margin), align="R")
            y += 5
        right_bottom = y

        # Left: the seller.
        self.set_xy(self.l_margin, top)
        self.set_font(FAMILY, "B", 14)
        self._bold_lines(block_x - self.l_margin - 6, 7, one_line(doc.seller.name))
        self._draw_party_details(doc.seller, block_x - self.l_margin - 6)
        left_bottom = self.y

        # Bill to.
        self.set_y(max(left_bottom, right_bottom) + 8)
        self.set_font(FAMILY, "B", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 4, pgettext("invoice", "BILL TO"), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.set_font(FAMILY, "B", 11)
        self._bold_lines(100, 5.5, one_line(doc.buyer.name))
        self._draw_party_details(doc.buyer, 100)
        self.ln(7)

    def _bold_lines(self, width: float, height: float, text: str) -> None:
        """A bold name, left-aligned (never justified) and wrapped; a script the bold face lacks (Chinese,
        Japanese: drawn by the regular fallback face) is drawn filled and outlined, so it reads as bold too."""
        cmap = self.current_font.cmap  # type: ignore[union-attr]
        outside = [ch for ch in text if ch > "~" and ord(ch) not in cmap]  # the cut face's: most names stop here
        fallback = bool(outside) and any(ord(ch) not in complete_cmap("B") for ch in outside)
        if fallback:
            self.set_draw_color(*INK)
            self.text_mode, self.line_width = TextMode.FILL_STROKE, 0.22
        self.multi_cell(width, height, text, align="L", new_x="LMARGIN", new_y="NEXT")
        if fallback:
            self.text_mode, self.line_width = TextMode.FILL, 0.2
            self.set_draw_color(*RULE)

    def _draw_logo(self, right_edge: float, top: float) -> float:
        """Scaled into a box at the top right; returns the bottom edge."""
        with Image.open(BytesIO(self.doc.logo or b"")) as logo:
            ratio = logo.width / logo.height
        height = min(LOGO_MAX_H, LOGO_MAX_W / ratio)
        width = height * ratio
        self.image(BytesIO(self.doc.logo or b""), x=right_edge - width, y=top, w=width, h=height)
        return top + height

    def _draw_party_details(self, party: Party, width: float) -> None:
        self.set_font(FAMILY, "", 9)
        self.set_text_color(*MUTED)
        details = [*(party.address or "").splitlines()]
        doc = self.doc
        if party.country and doc.seller.country != doc.buyer.country:  # across a border, both say their country
            details.append(_country_name(party.country, doc.locale))
        if party.email:
            details.append(party.email)
        if party.tax_id:
            details.append(pgettext("invoice", "Tax ID: {number}").format(number=party.tax_id))
        if party.vat_id:
            details.append(pgettext("invoice", "VAT ID: {number}").format(number=party.vat_id))
        if party.tax_number:
            details.append(pgettext("invoice", "Tax number: {number}").format(number=party.tax_number))
        for text in details:
            if text.strip():
                self.multi_cell(width, 4.4, one_line(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    # After the table: blocks kept together so that none is left alone on a page.

    def _draw_closing_blocks(self) -> None:
        """Totals, the VAT note, payment, terms and notes. When they don't all fit below the table, the page breaks
        before a block so that at least the last two go over together: a lone "Terms" on a page looks lost."""
        blocks = [block for block in (self._totals_block(), self._vat_note_block(), self._payment_block(),
                                      self._text_block(pgettext("invoice", "Terms"), self._terms_text()),
                                      self._text_block(pgettext("invoice", "Notes"), self.doc.notes)) if block]
        room = self.page_break_trigger - self.y
        heights = [height for height, _ in blocks]
        if sum(heights) > room:
            fits = 0
            while fits < len(blocks) - 2 and sum(heights[:fits + 1]) <= room:
                fits += 1
            for _, draw in blocks[:fits]:
                draw()
            self.add_page()
            blocks = blocks[fits:]
        for _, draw in blocks:
            draw()

    def _lines_of(self, text: str, width: float) -> int:
        lines = self.multi_cell(width, 4.6, text, dry_run=True, output=MethodReturnValue.LINES)
        assert isinstance(lines, list)  # what output=LINES returns
        return len(lines)

    def _totals_block(self) -> tuple[float, Callable[[], None]]:
        rows = self._total_rows()
        return len(rows) * 6 + 12 + 3 + 6, lambda: self._draw_totals(rows)

    def _total_rows(self) -> list[tuple[str, str]]:
        doc, fmt = self.doc, self.fmt
        rows = [(pgettext("invoice", "Subtotal"), fmt.money(doc.lines_total))]
        if doc.discount is not None:
            label = (pgettext("invoice", "Discount {percent}").format(percent=fmt.percent(doc.discount_percent))
                     if doc.discount_percent is not None else pgettext("invoice", "Discount"))
            rows += [(label, "−" + fmt.money(doc.discount)),
                     (pgettext("invoice", "Subtotal after discount"), fmt.money(doc.subtotal))]
        if not doc.tax_groups:  # issued before the breakdown existed: one rate
            return rows + [(pgettext("invoice", "Tax ({rate})").format(rate=fmt.percent(doc.tax_rate)),
                            fmt.money(doc.tax))]
        several = len(doc.tax_groups) > 1
        for group in doc.tax_groups:
            label = {
                "E": pgettext("invoice", "VAT exempt"), "AE": pgettext("invoice", "VAT (reverse charge)"),
                "G": pgettext("invoice", "VAT (export, not charged)"), "O": pgettext("invoice", "Not subject to VAT"),
            }.get(group.category) or pgettext("invoice", "VAT {rate}").format(rate=fmt.percent(group.rate))
            if several:
                label = pgettext("invoice", "{label} on {base}").format(label=label, base=fmt.money(group.base.amount))
            rows.append((label, fmt.money(group.tax.amount)))
        return rows

    def _draw_totals(self, rows: list[tuple[str, str]]) -> None:
        doc, fmt = self.doc, self.fmt
        self.ln(3)
        label_x, label_w, value_w = self.w - self.r_margin - 110, 75, 35
        self.set_font(FAMILY, "", 9.5)
        for label, value in rows:
            self.set_x(label_x)
            self.set_text_color(*MUTED)
            self.cell(label_w, 6, self._fitted(label, label_w - 2 * self.c_margin), align="R")
            self.set_text_color(*INK)
            self.cell(value_w, 6, value, align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*INK)
        self.line(label_x + 40, self.y + 1, self.w - self.r_margin, self.y + 1)
        self.set_draw_color(*RULE)
        self.ln(2.5)
        self.set_x(label_x)
        self.set_font(FAMILY, "B", 12)
        self.cell(label_w, 8, pgettext("invoice", "Total ({currency})").format(currency=doc.currency), align="R")
        self.cell(value_w, 8, fmt.money(doc.total), align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def _vat_note_block(self) -> tuple[float, Callable[[], None]] | None:
        from core.einvoice import vat_note

        doc = self.doc
        sentences = []
        if doc.kind == "credit_note" and doc.corrects is not None:
            sentences.append(_("This credit note cancels invoice {number} of {date} in full.").format(
                number=doc.corrects[0], date=self.fmt.date(doc.corrects[1])))
        for group in doc.tax_groups:
            note = vat_note(doc, group)
            if note and note not in sentences:
                sentences.append(note)
        if not sentences:
            return None
        self.set_font(FAMILY, "", 9)
        height = sum(self._lines_of(s, self.epw) for s in sentences) * 4.6 + 4

        def draw() -> None:
            self.set_font(FAMILY, "", 9)
            for sentence in sentences:
                self.multi_cell(0, 4.6, sentence, align="L", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        return height, draw

    def _payment_qr(self) -> EpcPayment | None:
        """An EPC QR for an issued invoice in euros with an IBAN: a banking app fills in the transfer from it."""
        from core.payment_details import bank_account

        doc = self.doc
        if doc.kind != "invoice" or doc.status != "issued" or doc.currency != "EUR" or not doc.amount_due:
            return None
        account = bank_account(doc.payment_instructions)
        if account is None or doc.number is None:
            return None
        return EpcPayment(one_line(doc.seller.name), account.iban, account.bic, doc.amount_due, doc.number)

    def _payment_block(self) -> tuple[float, Callable[[], None]] | None:
        doc = self.doc
        if doc.kind == "credit_note" or not (doc.payment_instructions or "").strip():
            return None
        qr = self._payment_qr()
        width = self.epw - (QR_SIZE + 6 if qr else 0)
        paragraphs = [one_line(p) for p in doc.payment_instructions.strip().splitlines() if p.strip()]  # type: ignore[union-attr]
        if doc.number:
            paragraphs.append(_("Please quote {number} with your payment.").format(number=doc.number))
        self.set_font(FAMILY, "", 9)
        text_height = 5 + sum(self._lines_of(p, width) for p in paragraphs) * 4.6
        height = max(text_height, QR_SIZE + 5 if qr else 0) + 4

        def draw() -> None:
            top = self.y
            self.set_font(FAMILY, "B", 9)
            self.cell(width, 5, pgettext("invoice", "Payment"), new_x="LMARGIN", new_y="NEXT")
            self.set_font(FAMILY, "", 9)
            for paragraph in paragraphs:
                self.multi_cell(width, 4.6, paragraph, align="L", new_x="LMARGIN", new_y="NEXT")
            bottom = self.y
            if qr is not None:
                x = self.w - self.r_margin - QR_SIZE
                draw_matrix(self, epc_matrix(qr), x, top, QR_SIZE)
                self.set_font(FAMILY, "", 7)
                self.set_text_color(*MUTED)
                self.set_xy(x, top + QR_SIZE)
                self.cell(QR_SIZE, 4, pgettext("invoice", "Scan to pay"), align="C")
                self.set_text_color(*INK)
                bottom = max(bottom, top + QR_SIZE + 5)
            self.set_xy(self.l_margin, bottom + 4)

        return height, draw

    def _terms_text(self) -> str | None:
        """The terms as written into the snapshot at issue, in the invoice's language; a credit note has none."""
        return None if self.doc.kind == "credit_note" else self.doc.terms

    def _text_block(self, heading: str, text: str | None) -> tuple[float, Callable[[], None]] | None:
        if not text or not text.strip():
            return None
        paragraphs = [one_line(p) for p in text.strip().splitlines()]
        self.set_font(FAMILY, "", 9)
        height = 5 + sum(self._lines_of(p, self.epw) for p in paragraphs) * 4.6 + 4

        def draw() -> None:
            self.set_font(FAMILY, "B", 9)
            self.cell(0, 5, heading, new_x="LMARGIN", new_y="NEXT")
            self.set_font(FAMILY, "", 9)
            for paragraph in paragraphs:
                self.multi_cell(0, 4.6, paragraph, align="L", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        return height, draw


def _country_name(code: str, locale: str) -> str:
    from core.countries import country_name

    return country_name(code, locale)


def _title_of(doc: InvoiceDocument) -> str:
    if not doc.number:
        return _("Draft invoice")
    if doc.kind == "credit_note":
        return _("Credit note {number}").format(number=doc.number)
    return _("Invoice {number}").format(number=doc.number)


def _created(doc: InvoiceDocument) -> datetime:
    return datetime.combine(doc.issue_date, time(0), tzinfo=UTC)


def _metadata_of(doc: InvoiceDocument) -> Metadata:
    seller, buyer = one_line(doc.seller.name), one_line(doc.buyer.name)
    return Metadata(
        title=_("{title} – {client}").format(title=_title_of(doc), client=buyer),
        author=seller,
        subject=_("{title} from {seller} to {client}").format(title=_title_of(doc), seller=seller, client=buyer),
        lang=doc.locale.replace("_", "-"),
        created=_created(doc),
    )
