"""Draws an :class:`InvoiceDocument` as an A4 PDF/A-3B invoice a client takes seriously.

The line table is drawn with plain cells and our own page-break check rather than fpdf2's ``table()``: measured
on the same lines, ``table()`` costs about 1.4 ms a row against about 0.13 ms for cells, and an invoice only
needs a fixed set of columns, a wrapped description and a header that repeats on every page.
"""
from __future__ import annotations

from datetime import datetime, time, timezone
from io import BytesIO

from fpdf import FPDF
from PIL import Image
from fpdf.enums import MethodReturnValue

from core.pdf.document import DocumentLine, InvoiceDocument, Party
from core.pdf.formatting import LocaleFormat
from core.pdf.metadata import COMPLIANCE, Metadata, apply_metadata
from core.pdf.typefaces import FAMILY, add_fonts

# Geometry, in millimetres, on A4 (210 × 297).
MARGIN_X = 18.0
MARGIN_TOP = 16.0
MARGIN_BOTTOM = 22.0
LINE_H = 4.4
ROW_PAD = 1.3
COLUMNS = (  # label, width, alignment
    ("Date", 25.0, "L"),
    ("Description", 75.0, "L"),
    ("Hours", 18.0, "R"),
    ("Rate", 26.0, "R"),
    ("Amount", 30.0, "R"),
)
LOGO_MAX_H = 18.0
LOGO_MAX_W = 60.0

INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
HEADER_FILL = (236, 239, 243)
STATUS_MARKS = {  # status: (label under the title, watermark across each page or None, colour)
    "draft": ("DRAFT – not a valid invoice", "DRAFT", (120, 120, 120)),
    "void": ("VOID – cancelled, do not pay", "VOID", (176, 42, 55)),
    "paid": ("PAID", None, (25, 135, 84)),
}
WATERMARK_TINT = {"DRAFT": (232, 232, 232), "VOID": (247, 214, 218)}


def render_invoice_pdf(doc: InvoiceDocument) -> bytes:
    """The invoice as PDF bytes; deterministic: the same document always gives the same bytes."""
    pdf = _InvoicePdf(doc)
    pdf.draw()
    return bytes(pdf.output())


class _InvoicePdf(FPDF):
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
        self.cell(0, 4, f"{_title_of(self.doc)} · {_one_line(self.doc.buyer.name)} (continued)")
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
            self.cell(self.epw * 0.7, 4, f"{_one_line(self.doc.seller.name)} · {_title_of(self.doc)}")
            self.cell(self.epw * 0.3, 4, f"Page {page} of {last}", align="R")
        self.page = last
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)

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
        self.multi_cell(block_x - self.l_margin - 6, 7, _one_line(doc.seller.name), new_x="LMARGIN", new_y="NEXT")
        self._draw_party_details(doc.seller, block_x - self.l_margin - 6)
        left_bottom = self.y

        # Bill to.
        self.set_y(max(left_bottom, right_bottom) + 8)
        self.set_font(FAMILY, "B", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 4, "BILL TO", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.set_font(FAMILY, "B", 11)
        self.multi_cell(100, 5.5, _one_line(doc.buyer.name), new_x="LMARGIN", new_y="NEXT")
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
        for text in details:
            if text.strip():
                self.multi_cell(width, 4.4, _one_line(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    # The line table.

    def _draw_table_header(self) -> None:
        self.set_font(FAMILY, "B", 8.5)
        self.set_fill_color(*HEADER_FILL)
        self.set_x(self.l_margin)
        labels = {"Rate": f"Rate ({self.doc.currency}/h)", "Amount": f"Amount ({self.doc.currency})"}
        for label, width, align in COLUMNS:
            self.cell(width, 7, labels.get(label, label), align=align, fill=True)
        self.ln(7)
        self.set_font(FAMILY, "", 9)

    def _draw_lines(self) -> None:
        self.table_open = True
        self._draw_table_header()
        desc_width = COLUMNS[1][1] - 2 * self.c_margin
        self.date_style = self._date_style()
        for line in self.doc.lines:
            self._draw_line(line, self._wrap(line.description, desc_width))
        self.table_open = False

    def _date_style(self) -> str:
        """Medium dates (Nov 24, 2026) unless one of them is too wide for the column in this locale."""
        room = COLUMNS[0][1] - 2 * self.c_margin
        dates = {line.work_date for line in self.doc.lines}
        if all(self.get_string_width(self.fmt.date(d)) <= room for d in dates):
            return "medium"
        return "numeric"

    def _wrap(self, text: str, width: float) -> list[str]:
        """Greedy word wrap on summed glyph widths (fpdf2 applies no kerning, so widths add up exactly).

        fpdf2's ``multi_cell(dry_run=True)`` measures character by character and made a 500-line invoice of
        two-line descriptions cost several times more than drawing it; it is kept for a word wider than the column.
        """
        text = _one_line(text)
        if self.get_string_width(text) <= width:
            return [text]
        space = self.get_string_width(" ")
        lines: list[str] = []
        current, current_width = "", 0.0
        for word in text.split(" "):
            word_width = self.get_string_width(word)
            if current and current_width + space + word_width <= width:
                current, current_width = f"{current} {word}", current_width + space + word_width
                continue
            if current:
                lines.append(current)
            if word_width <= width:
                current, current_width = word, word_width
                continue
            pieces = list(self.multi_cell(width + 2 * self.c_margin, LINE_H, word, dry_run=True,
                                          output=MethodReturnValue.LINES))
            lines += pieces[:-1]
            current, current_width = pieces[-1], self.get_string_width(pieces[-1])
        if current:
            lines.append(current)
        return lines

    def _draw_line(self, line: DocumentLine, description: list[str]) -> None:
        height = len(description) * LINE_H + 2 * ROW_PAD
        if self.y + height > self.page_break_trigger:
            self.add_page()  # the header repeats the table header
        top = self.y
        text_y = top + ROW_PAD
        fmt = self.fmt
        if line.hours is None:
            hours, rate = "–", "fixed"
        else:
            hours, rate = fmt.hours(line.hours), fmt.amount(line.rate) if line.rate is not None else ""
        x = self.l_margin
        (_, w_date, _), (_, w_desc, _), (_, w_hours, _), (_, w_rate, _), (_, w_amount, _) = COLUMNS
        self.set_xy(x, text_y)
        self.cell(w_date, LINE_H, fmt.date(line.work_date, self.date_style))
        for i, text in enumerate(description):
            self.set_xy(x + w_date, text_y + i * LINE_H)
            self.cell(w_desc, LINE_H, text)
        self.set_xy(x + w_date + w_desc, text_y)
        self.cell(w_hours, LINE_H, hours, align="R")
        self.cell(w_rate, LINE_H, rate, align="R")
        self.cell(w_amount, LINE_H, fmt.amount(line.amount), align="R")
        bottom = top + height
        self.line(self.l_margin, bottom, self.w - self.r_margin, bottom)
        self.set_xy(self.l_margin, bottom)

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
            self.multi_cell(0, 4.6, _one_line(paragraph), new_x="LMARGIN", new_y="NEXT")
        self.ln(4)


def _title_of(doc: InvoiceDocument) -> str:
    return f"Invoice {doc.number}" if doc.number else "Draft invoice"


def _metadata_of(doc: InvoiceDocument) -> Metadata:
    return Metadata(
        title=f"{_title_of(doc)} – {_one_line(doc.buyer.name)}",
        author=_one_line(doc.seller.name),
        subject=f"Invoice from {_one_line(doc.seller.name)} to {_one_line(doc.buyer.name)}",
        lang=doc.locale.replace("_", "-"),
        created=datetime.combine(doc.issue_date, time(0), tzinfo=timezone.utc),
    )


def _one_line(text: str) -> str:
    """Line breaks and control characters become spaces: one printed line, wrapped only by the layout."""
    return " ".join("".join(ch if ch >= " " else " " for ch in text).split())
