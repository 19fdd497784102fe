"""The cut DejaVu faces the invoice draws with: the characters of their blocks, drawn exactly as the complete faces
draw them, shipped in the package; and a character outside them still drawn by DejaVu, not lost."""
from __future__ import annotations

import io
import logging
from datetime import date
from decimal import Decimal

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from core.pdf import DocumentLine, Party, font_subsets, render_invoice_pdf, scripts, typefaces
from core.pdf import render as render_module
from core.pdf.scripts import unprintable_characters
from tests.test_pdf_layout import content_streams
from tests.test_pdf_render import make_document, page_texts


@pytest.mark.parametrize("complete, lgc", font_subsets.FILES.items())
def test_a_cut_face_holds_its_blocks_drawn_exactly_as_the_complete_face_draws_them(complete: str, lgc: str) -> None:
    full, cut = TTFont(typefaces.font_path(complete)), TTFont(typefaces.font_path(lgc))
    full_cmap, cut_cmap = full.getBestCmap(), cut.getBestCmap()
    assert set(cut_cmap) == {code for code in full_cmap if font_subsets.kept(code)}
    assert len(cut.getGlyphOrder()) < len(full.getGlyphOrder()) / 2.5  # what makes each render's subset cheap
    full_glyphs, cut_glyphs = full.getGlyphSet(), cut.getGlyphSet()
    for code, name in cut_cmap.items():
        expected, shipped = DecomposingRecordingPen(full_glyphs), DecomposingRecordingPen(cut_glyphs)
        full_glyphs[full_cmap[code]].draw(expected)
        cut_glyphs[name].draw(shipped)
        assert shipped.value == expected.value, hex(code)
        assert cut["hmtx"][name][0] == full["hmtx"][full_cmap[code]][0], hex(code)
    assert cut["name"].getBestFullName() == full["name"].getBestFullName()  # embedded under DejaVu's own name


ARMENIAN = "Հայաստան"


def fonts_of(pdf: bytes) -> list[str]:
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    return sorted(str(ref.get_object()["/BaseFont"]) for ref in fonts.values())


def test_a_character_outside_the_cut_faces_is_drawn_by_the_complete_dejavu_face_in_its_style(
        caplog: pytest.LogCaptureFixture) -> None:
    line = DocumentLine(date(2026, 11, 3), f"✓ translation {ARMENIAN}", 60, Decimal(80), Decimal("80.00"))
    doc = make_document(0, buyer=Party(f"{ARMENIAN} LLC"), lines=(line,), subtotal=Decimal("80.00"),
                        tax=Decimal("15.20"), total=Decimal("95.20"))
    with caplog.at_level(logging.WARNING, logger="core.pdf.scripts"):
        drawing = render_module.InvoicePage(doc)
        drawing.draw()
        pdf = bytes(drawing.output())
    assert drawing.complete_keys == {"dejavusanscomplete", "dejavusanscompleteB"}  # the bold name, the description
    assert drawing.fallback_key is None and not drawing.undrawable
    assert not [record for record in caplog.records if record.name == "core.pdf.scripts"]
    text = page_texts(pdf)[0]
    assert f"{ARMENIAN} LLC" in text and f"✓ translation {ARMENIAN}" in text
    assert len(fonts_of(pdf)) == 4 and not any("Droid" in name for name in fonts_of(pdf))
    assert b"2 Tr" not in content_streams(pdf)[0]  # DejaVu has a bold Armenian: no outlined regular face
    assert unprintable_characters([f"✓ {ARMENIAN}", "Ἀθῆναι"]) == []


def test_the_cached_complete_face_renders_exactly_what_plain_fpdf2_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = make_document(2, buyer=Party(f"{ARMENIAN} LLC ✓ 株式会社"))
    cached = render_invoice_pdf(doc)
    monkeypatch.setattr(render_module, "add_fonts", typefaces.add_fonts_uncached)
    monkeypatch.setattr(scripts, "add_complete_font", typefaces.add_complete_font_uncached)
    monkeypatch.setattr(scripts, "add_fallback_font", typefaces.add_fallback_font_uncached)
    assert render_invoice_pdf(doc) == cached


def test_an_invoice_in_latin_greek_and_cyrillic_embeds_only_the_cut_faces() -> None:
    drawing = render_module.InvoicePage(make_document(3))  # Greek and Cyrillic buyer, Polish and French lines
    drawing.draw()
    assert not drawing.complete_keys and drawing.fallback_key is None
    assert set(drawing.fonts) == {"dejavusans", "dejavusansB"}


def test_a_bold_character_only_the_regular_complete_face_has_is_drawn_from_it_outlined_not_lost(
        caplog: pytest.LogCaptureFixture) -> None:
    name = "𝖠𝖡𝖢 Studio"  # mathematical sans-serif letters: in DejaVu Sans, not in DejaVu Sans Bold
    with caplog.at_level(logging.WARNING, logger="core.pdf.scripts"):
        drawing = render_module.InvoicePage(make_document(1, buyer=Party(name)))
        drawing.draw()
        pdf = bytes(drawing.output())
    assert "dejavusanscomplete" in drawing.complete_keys and not drawing.undrawable
    assert not [record for record in caplog.records if record.name == "core.pdf.scripts"]
    assert name in page_texts(pdf)[0]
    assert b"2 Tr" in content_streams(pdf)[0]  # a regular face made bold, as for Chinese
