"""Draws an :class:`InvoiceDocument` as an A4 PDF/A-3B invoice a client takes seriously: the heading with both
parties, the line table (:mod:`core.pdf.line_table`), totals, payment, terms and notes, and every page's
footer, watermark and running head."""
from __future__ import annotations

from datetime import UTC, datetime, time
from io import BytesIO

from PIL import Image

from core.i18n import use_language
from core.pdf.document import InvoiceDocument, Party
from core.pdf.formatting import LocaleFormat, one_line
from core.pdf.line_table import LineTable
from core.pdf.metadata import COMPLIANCE, Metadata, apply_metadata
from core.pdf.scripts import ScriptFallback
from core.pdf.style import (
    INK,
    LOGO_MAX_H,
    LOGO_MAX_W,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    RULE,
    STATUS_MARKS,
    WATERMARK_TINT,
)
from core.pdf.typefaces import FAMILY, add_fonts


def render_invoice_pdf(doc: InvoiceDocument) -> bytes:
    """The invoice as PDF bytes; deterministic: the same document always gives the same bytes."""
    with use_language(doc.language, doc.locale):
        pdf = InvoicePage(doc)
        pdf.draw()
        return bytes(pdf.output())


class InvoicePage(LineTable, ScriptFallback):
    """One invoice being drawn: fpdf2 calls :meth:`header` on each new page; :meth:`draw` does the rest."""

    def __init__(self, doc: InvoiceDocument) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4", enforce_compliance=COMPLIANCE)
        self.doc = doc
        self.fmt = LocaleFormat(doc.locale, doc.currency)
        self.table_open = False
        self.date_style = "medium"
        add_fonts(self)
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)
        apply_metadata(self, _metadata_of(doc))

    # Page furniture, called by fpdf2 on every page.

    def header(self) -> None:
        self._draw_watermark()
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.set_xy(self.l_margin, 9)
        self.cell(0, 4, self._fitted(f"{_title_of(self.doc)} · {one_line(self.doc.buyer.name)}", self.epw - 30)
                  + " (continued)")
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
            self.cell(self.epw * 0.3, 4, f"Page {page} of {last}", align="R")
        self.page = last
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)

    def _fitted(self, text: str, width: float) -> str:
        """``text`` cut short with an ellipsis where it would run past ``width`` (a one-line slot)."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def _draw_watermark(self) -> None:
        mark = STATUS_MARKS.get(self.doc.status)
        if mark is None or mark[1] is None:
            return
        word = mark[1]
        self.set_font(FAMILY, "B", 110)
        self.set_text_color(*WATERMARK_TINT[word])
        centre_x, centre_y = self.w / 2, self.h / 2
        with self.rotation(45, x=centre_x, y=centre_y):
            self.text(centre_x - self.get_string_width(word) / 2, centre_y + 13, word)
        self.set_text_color(*INK)

    # The document.

    def draw(self) -> None:
        self.add_page()
        self._draw_heading()
        self._draw_lines()
        self._draw_totals()
        self._draw_section("Payment", self.doc.payment_instructions)
        self._draw_section("Terms", self.doc.terms)
        self._draw_section("Notes", self.doc.notes)
        self._draw_footers()
        self.report_undrawable(_title_of(self.doc))

    def _draw_heading(self) -> None:
        doc = self.doc
        right_edge = self.w - self.r_margin
        block_x = right_edge - 72
        top = self.t_margin

        # Right: optional logo, the title, status and the number/date block.
        y = top
        if doc.logo:
            y = self._draw_logo(right_edge, y) + 4
        self.set_font(FAMILY, "B", 22)
        self.set_xy(block_x, y)
        self.cell(72, 10, "INVOICE", align="R")
        y += 11
        mark = STATUS_MARKS.get(doc.status)
        if mark:
            self.set_font(FAMILY, "B", 9)
            self.set_text_color(*mark[2])
            self.set_xy(block_x, y)
            self.cell(72, 5, mark[0], align="R")
            self.set_text_color(*INK)
            y += 6
        y += 2
        for label, value in (
            ("Invoice no.", doc.number or "—"),
            ("Issue date", self.fmt.date(doc.issue_date)),
            ("Due date", self.fmt.date(doc.due_date)),
        ):
            self.set_font(FAMILY, "", 9)
            self.set_text_color(*MUTED)
            self.set_xy(block_x, y)
            self.cell(34, 5, label, align="R")
            self.set_font(FAMILY, "B", 9)
            self.set_text_color(*INK)
            self.cell(38, 5, value, align="R")
            y += 5
        right_bottom = y

        # Left: the seller.
        self.set_xy(self.l_margin, top)
        self.set_font(FAMILY, "B", 14)
        self.multi_cell(block_x - self.l_margin - 6, 7, one_line(doc.seller.name), new_x="LMARGIN", new_y="NEXT")
        self._draw_party_details(doc.seller, block_x - self.l_margin - 6)
        left_bottom = self.y

        # Bill to.
        self.set_y(max(left_bottom, right_bottom) + 8)
        self.set_font(FAMILY, "B", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 4, "BILL TO", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.set_font(FAMILY, "B", 11)
        self.multi_cell(100, 5.5, one_line(doc.buyer.name), new_x="LMARGIN", new_y="NEXT")
        self._draw_party_details(doc.buyer, 100)
        self.ln(7)

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
        if party.email:
            details.append(party.email)
        if party.tax_id:
            details.append(f"Tax ID: {party.tax_id}")
        if party.vat_id:
            details.append(f"VAT ID: {party.vat_id}")
        if party.tax_number:
            details.append(f"Tax number: {party.tax_number}")
        for text in details:
            if text.strip():
                self.multi_cell(width, 4.4, one_line(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    # After the table.

    def _draw_totals(self) -> None:
        doc, fmt = self.doc, self.fmt
        needed = 3 * 6 + 12
        if self.y + needed > self.page_break_trigger:
            self.add_page()
        self.ln(3)
        label_x, label_w, value_w = self.w - self.r_margin - 90, 55, 35
        rows = (
            ("Subtotal", fmt.money(doc.subtotal)),
            (f"Tax ({fmt.percent(doc.tax_rate)})", fmt.money(doc.tax)),
        )
        self.set_font(FAMILY, "", 9.5)
        for label, value in rows:
            self.set_x(label_x)
            self.set_text_color(*MUTED)
            self.cell(label_w, 6, label, align="R")
            self.set_text_color(*INK)
            self.cell(value_w, 6, value, align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*INK)
        self.line(label_x + 20, self.y + 1, self.w - self.r_margin, self.y + 1)
        self.set_draw_color(*RULE)
        self.ln(2.5)
        self.set_x(label_x)
        self.set_font(FAMILY, "B", 12)
        self.cell(label_w, 8, f"Total ({doc.currency})", align="R")
        self.cell(value_w, 8, fmt.money(doc.total), align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def _draw_section(self, heading: str, text: str | None) -> None:
        if not text or not text.strip():
            return
        if self.y + 14 > self.page_break_trigger:
            self.add_page()
        self.set_font(FAMILY, "B", 9)
        self.cell(0, 5, heading, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 9)
        for paragraph in text.strip().splitlines():
            self.multi_cell(0, 4.6, one_line(paragraph), new_x="LMARGIN", new_y="NEXT")
        self.ln(4)


def _title_of(doc: InvoiceDocument) -> str:
    return f"Invoice {doc.number}" if doc.number else "Draft invoice"


def _metadata_of(doc: InvoiceDocument) -> Metadata:
    return Metadata(
        title=f"{_title_of(doc)} – {one_line(doc.buyer.name)}",
        author=one_line(doc.seller.name),
        subject=f"Invoice from {one_line(doc.seller.name)} to {one_line(doc.buyer.name)}",
        lang=doc.locale.replace("_", "-"),
        created=datetime.combine(doc.issue_date, time(0), tzinfo=UTC),
    )
