"""The line table: plain cells, a header that repeats on every page, descriptions wrapped inside their column.

Drawn with our own page-break check rather than fpdf2's ``table()``: measured on the same lines, ``table()`` costs
about ten times what cells do (bench/bench_invoice.py prints both). The rows' texts are written as ``cell`` writes
them, without going through it (:meth:`LineTable._text`): a 500-line invoice spent most of its drawing time there.
"""
from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, TextMode
from fpdf.fonts import TTFFont

from core.i18n import pgettext
from core.pdf.document import DocumentLine, InvoiceDocument
from core.pdf.formatting import LocaleFormat, one_line
from core.pdf.style import COLUMNS, HEADER_FILL, LINE_H, ROW_PAD
from core.pdf.typefaces import FAMILY


class LineTable(FPDF):
    """The table part of the invoice page; :class:`core.pdf.render.InvoicePage` adds the rest."""

    doc: InvoiceDocument
    fmt: LocaleFormat
    table_open: bool
    date_style: str

    def _fitted(self, text: str, width: float) -> str:
        """``text`` cut short with an ellipsis where it would run past ``width`` (a one-line slot)."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def _text(self, x: float, y: float, w: float, h: float, text: str, align: str = "L") -> None:
        """What ``cell(w, h, text, align=align)`` at ``x``, ``y`` draws (one line, left or right aligned, no border).

        fpdf2's ``cell`` splits every text into styled fragments, copies the graphics state for each and measures
        it again; a table cell in a font that draws all its characters needs none of that, so the same operators
        are written here, with the same arithmetic. Anything else (a character for a fallback font, fpdf2's
        page-count alias, a line past the page's end, a changed text mode) goes through ``cell``. A test draws
        invoices both ways and requires identical bytes.
        """
        if not text:
            return  # cell draws nothing for it either
        font = self.current_font
        if not self._plain(text, font, y + h) or not isinstance(font, TTFFont):
            self.set_xy(x, y)
            self.cell(w, h, text, align=align)
            return
        k = self.k
        width = sum(font.cw[ord(ch)] for ch in text) * self.font_size_pt * 0.001 / k
        dx = w - self.c_margin - width if align == "R" else self.c_margin
        if not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(font, self.font_size_pt))
        pick = font.subset.pick
        codes = font.escape_text("".join(chr(pick(ord(ch))) for ch in text))  # type: ignore[arg-type]  # every character is in the font
        position = f"BT {(x + dx) * k:.2f} {(self.h - y - 0.5 * h - 0.3 * self.font_size) * k:.2f} Td"
        colour = self.text_color
        if colour != self.fill_color:  # as cell does: the text colour set inside the text object, then restored
            self._out(f"q {position} {colour.serialize().lower()} ({codes}) Tj ET Q")  # type: ignore[union-attr]  # set in __init__
        else:
            self._out(f"{position} ({codes}) Tj ET")

    def _plain(self, text: str, font: object, bottom: float) -> bool:
        """Whether ``cell`` would draw ``text`` as one run of the current font in the current state."""
        cmap = getattr(font, "cmap", None)
        return (cmap is not None and all(ord(ch) in cmap and ch >= " " for ch in text)
                and not (self.str_alias_nb_pages and self.str_alias_nb_pages in text)
                and not (self.auto_page_break and bottom > self.page_break_trigger)
                and self.text_mode == TextMode.FILL and not self.underline and not self.strikethrough
                and self.char_spacing == 0 and self.font_stretching == 100)

    def _width(self, text: str) -> float:
        """``get_string_width(text)``, summed directly when the current font draws every character."""
        font = self.current_font
        if isinstance(font, TTFFont) and all(ord(ch) in font.cmap for ch in text):
            return sum(font.cw[ord(ch)] for ch in text) * self.font_size_pt * 0.001 / self.k
        return self.get_string_width(text)

    def _draw_table_header(self) -> None:
        self.set_font(FAMILY, "B", 8.5)
        self.set_fill_color(*HEADER_FILL)
        self.set_x(self.l_margin)
        currency = self.doc.currency
        labels = {
            "date": pgettext("invoice", "Date"), "description": pgettext("invoice", "Description"),
            "time": pgettext("invoice", "Time (h:mm)"),
            "rate": pgettext("invoice", "Rate ({currency}/h)").format(currency=currency),
            "amount": pgettext("invoice", "Amount ({currency})").format(currency=currency),
        }
        for key, width, align in COLUMNS:
            self.cell(width, 7, self._fitted(labels[key], width - 2 * self.c_margin), align=align, fill=True)
        self.ln(7)
        self.set_font(FAMILY, "", 9)

    def _draw_lines(self) -> None:
        self.table_open = True
        self._draw_table_header()
        desc_width = COLUMNS[1][1] - 2 * self.c_margin
        self.date_style = self._date_style()
        work = [line for line in self.doc.lines if line.kind != "expense"]
        expenses = [line for line in self.doc.lines if line.kind == "expense"]
        for line in work:
            self._draw_line(line, self._wrap(line.description, desc_width))
        if expenses:
            self._draw_section_heading(pgettext("invoice", "Expenses"))
        for line in expenses:
            self._draw_line(line, self._wrap(self._expense_text(line), desc_width))
        self.table_open = False

    def _draw_section_heading(self, title: str) -> None:
        """A heading row inside the table (the expenses below the work), kept on a page with its first line."""
        if self.y + 7 + LINE_H + 2 * ROW_PAD > self.page_break_trigger:
            self.add_page()
        self.set_font(FAMILY, "B", 9)
        self.set_x(self.l_margin)
        self.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 9)

    def _expense_text(self, line: DocumentLine) -> str:
        """An expense's description, with its VAT rate where that differs from the invoice's."""
        if line.tax_category == "S" and line.tax_rate is not None and line.tax_rate != self.doc.tax_rate:
            return pgettext("invoice", "{description} (VAT {rate})").format(
                description=line.description, rate=self.fmt.percent(line.tax_rate))
        return line.description

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
        text = one_line(text)
        if self._width(text) <= width:
            return [text]
        space = self._width(" ")
        lines: list[str] = []
        current, current_width = "", 0.0
        for word in text.split(" "):
            word_width = self._width(word)
            if current and current_width + space + word_width <= width:
                current, current_width = f"{current} {word}", current_width + space + word_width
                continue
            if current:
                lines.append(current)
            if word_width <= width:
                current, current_width = word, word_width
                continue
            pieces: list[str] = self.multi_cell(width + 2 * self.c_margin, LINE_H, word, dry_run=True,  # type: ignore[assignment]  # output=LINES returns the lines
                                                output=MethodReturnValue.LINES)
            lines += pieces[:-1]
            current, current_width = pieces[-1], self._width(pieces[-1])
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
        if line.kind == "expense":
            hours, rate = "–", ""
        elif line.minutes is None:
            hours, rate = "–", pgettext("invoice", "fixed")
        else:
            hours, rate = fmt.duration(line.minutes), fmt.amount(line.rate) if line.rate is not None else ""
        x = self.l_margin
        (_, w_date, _), (_, w_desc, _), (_, w_hours, _), (_, w_rate, _), (_, w_amount, _) = COLUMNS
        self._text(x, text_y, w_date, LINE_H, fmt.date(line.work_date, self.date_style))
        for i, text in enumerate(description):
            self._text(x + w_date, text_y + i * LINE_H, w_desc, LINE_H, text)
        x += w_date + w_desc
        self._text(x, text_y, w_hours, LINE_H, hours, align="R")
        self._text(x + w_hours, text_y, w_rate, LINE_H, rate, align="R")
        self._text(x + w_hours + w_rate, text_y, w_amount, LINE_H, fmt.amount(line.amount), align="R")
        bottom = top + height
        self.line(self.l_margin, bottom, self.w - self.r_margin, bottom)
        self.set_xy(self.l_margin, bottom)
