"""Characters the main font lacks: the rest of DejaVu Sans, then Chinese and Japanese in the fallback font; the
rest is reported.

Every text fpdf2 measures or draws passes through ``normalize_text`` first, so that is where a document notices
a character the cut DejaVu faces cannot draw (✓ or Armenian in a description, a client's name in Chinese, a date
of a locale like ``zh``). Only then is the complete DejaVu face of the text's style, or the fallback font, added
and set: fpdf2 embeds every added font and, once fallback fonts are set, splits every text character by
character, which a Latin-script invoice should not pay for. A character no shipped font has would otherwise print
as nothing at all; the document logs which ones, once.
"""
from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable

from fpdf import FPDF

from core.pdf.typefaces import (
    COMPLETE_FAMILY,
    FALLBACK_FAMILY,
    add_complete_font,
    add_fallback_font,
    complete_cmap,
    fallback_cmap,
    regular_cmap,
)

log = logging.getLogger(__name__)
_NOT_DRAWN = frozenset("\n\r\t")


class ScriptFallback(FPDF):
    """Mixed into the invoice page: the fallback fonts on first need, and the characters nothing could draw."""

    fallback_key: str | None = None
    """Droid Sans Fallback's key, once added."""
    complete_keys: frozenset[str] = frozenset()
    """The complete DejaVu faces added."""
    undrawable: frozenset[str] = frozenset()

    def normalize_text(self, text: str) -> str:
        text = super().normalize_text(text)
        if text.isascii() or self.current_font is None:
            return text
        cmap = self.current_font.cmap  # type: ignore[union-attr]  # only TrueType faces are added
        missing = {ch for ch in text if ord(ch) not in cmap} - _NOT_DRAWN
        if missing:
            self._cover(missing)
        return text

    def set_font(self, family: str | None = None, style: str = "", size: float = 0) -> None:  # type: ignore[override]  # fpdf2 types size as int; a float works
        super().set_font(family, style, size)
        if self.fallback_key is not None or self.complete_keys:
            self._pin_font()

    def _pin_font(self) -> None:
        """Write the selected font into the page now, outside any text object.

        fpdf2 2.8.9 otherwise sets it, for a text line that starts in the fallback font, inside that line's
        ``q … Q`` and takes it as set: the next lines were drawn with the previous font's glyphs (garbled, in
        bold after a bold name). Done only once the fallback is in use, so other invoices keep their bytes.
        """
        if self.page and self.current_font is not None and not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))

    def _cover(self, missing: set[str]) -> None:
        rest = missing
        # The complete face of the text's style first; then the regular one, which has a few glyphs bold lacks.
        for style in dict.fromkeys(("B" if "B" in self.font_style else "", "")):
            complete = complete_cmap(style)
            covered = {ch for ch in rest if ord(ch) in complete}
            if covered and f"{COMPLETE_FAMILY.lower()}{style}" not in self.complete_keys:
                self.complete_keys = self.complete_keys | {add_complete_font(self, style)}
                self._set_fallbacks()
            rest = rest - covered
        if not rest:
            return
        if self.fallback_key is None:
            self.fallback_key = add_fallback_font(self)
            self._set_fallbacks()
        fallback = self.fonts[self.fallback_key].cmap  # type: ignore[union-attr]  # a TrueType face
        lost = {ch for ch in rest if ord(ch) not in fallback}
        if lost:
            self.undrawable = self.undrawable | lost

    def _set_fallbacks(self) -> None:
        """DejaVu's own glyphs before Droid's: a character both have looks as it did before the cut."""
        families = [COMPLETE_FAMILY] if self.complete_keys else []
        if self.fallback_key is not None:
            families.append(FALLBACK_FAMILY)
        # A bold text in Chinese is drawn in the regular fallback face rather than not at all.
        self.set_fallback_fonts(families, exact_match=False)
        self._pin_font()

    def report_undrawable(self, title: str) -> None:
        """One warning naming the characters that print blank, so a missing script is a known gap, not a mystery."""
        if not self.undrawable:
            return
        shown = sorted(self.undrawable)
        names = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in shown[:20])
        more = f" and {len(shown) - 20} more" if len(shown) > 20 else ""
        log.warning("%s: no embedded font can draw %s%s; they print blank.", title, names, more)


def unprintable_characters(texts: Iterable[str]) -> list[str]:
    """The characters of ``texts`` that neither DejaVu Sans nor the fallback font can draw (emoji, scripts like
    Thai or Devanagari), in order of first appearance: they would print blank, so the reply names them.

    The cut face answers for almost every text; the complete one and Droid's are parsed only for the rest."""
    regular = regular_cmap()
    missing: list[str] = []
    for text in texts:
        for ch in text:
            if ch > "~" and ord(ch) not in regular and ch not in missing and ch not in _NOT_DRAWN \
                    and unicodedata.category(ch) not in ("Mn", "Cf"):
                missing.append(ch)
    if missing:
        complete = complete_cmap()
        missing = [ch for ch in missing if ord(ch) not in complete]
    if missing:
        fallback = fallback_cmap()
        missing = [ch for ch in missing if ord(ch) not in fallback]
    return missing
