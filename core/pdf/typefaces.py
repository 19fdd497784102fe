"""The embedded Unicode fonts, parsed once per process and handed to each new document.

DejaVu Sans (regular and bold) draws Latin, Greek and Cyrillic, from the cut faces of :mod:`core.pdf.font_subsets`
(a third of its glyphs, so that fpdf2 subsets a small font into each file). A character outside them is drawn from
the complete DejaVu faces, and what DejaVu lacks (Chinese and Japanese above all) from Droid Sans Fallback; both are
only parsed, added to a document and subset into it when a text of that document needs them
(:mod:`core.pdf.scripts`), because fpdf2 writes every added font into the file and checks every character against
the fallback fonts once they are set.

fpdf2's ``add_font`` parses the whole TTF with fontTools for every document. Everything it derives (widths, cmap,
glyph ids, descriptor) depends only on the file, so it is computed once here; each document gets a light copy with
its own subset map and its own lazily-read fontTools object, because fpdf2 subsets that object in place when it
writes the file. That object keeps each glyph's outline bytes as they are (``recalcBBoxes=False``): the boxes in
the file are already right, and recomputing them meant decoding and re-encoding every glyph drawn. A test renders
the same invoice both ways and requires byte-identical output, so an fpdf2 upgrade that changes these internals is
caught rather than trusted.
"""
from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from importlib import resources
from io import BytesIO
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

FAMILY = "DejaVuSans"
_FACES = {"": "DejaVuSans-LGC.ttf", "B": "DejaVuSans-LGC-Bold.ttf"}
COMPLETE_FAMILY = "DejaVuSansComplete"
_COMPLETE_FACES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FALLBACK_FAMILY = "DroidSansFallback"
_FALLBACK_FILE = "DroidSansFallbackFull.ttf"


@dataclass(frozen=True)
class _Face:
    family: str
    style: str
    path: Path
    data: bytes
    template: TTFFont
    glyph_order: tuple[str, ...]
    """Derived from the cmap when the font has no glyph names (Droid): 80 ms a document if left to fontTools."""


_lock = threading.Lock()
_faces: tuple[_Face, ...] | None = None
_fallback: _Face | None = None
_complete: dict[str, _Face] = {}


def font_path(filename: str) -> Path:
    """Where a shipped font file lives (inside the installed package)."""
    return Path(str(resources.files("core.pdf").joinpath("fonts", filename)))


def _parse_face(family: str, style: str, filename: str) -> _Face:
    path = font_path(filename)
    scratch = FPDF()
    scratch.add_font(family, style, path)
    template = scratch.fonts[f"{family.lower()}{style}"]
    glyph_order = tuple(template.ttfont.getGlyphOrder())  # type: ignore[union-attr]  # a TrueType face: has ttfont
    template.ttfont = None  # type: ignore[union-attr]  # each document opens its own (6 MB kept less)
    return _Face(family, style, path, path.read_bytes(), template, glyph_order)  # type: ignore[arg-type]  # add_font made a TTFFont


def _load_faces() -> tuple[_Face, ...]:
    global _faces
    with _lock:
        if _faces is None:
            _faces = tuple(_parse_face(FAMILY, style, filename) for style, filename in _FACES.items())
        return _faces


def _load_fallback() -> _Face:
    """Parsed on first need only: about 170 ms and 4 MB that an invoice in Latin script never pays for."""
    global _fallback
    with _lock:
        if _fallback is None:
            _fallback = _parse_face(FALLBACK_FAMILY, "", _FALLBACK_FILE)
        return _fallback


def _load_complete(style: str) -> _Face:
    """A complete DejaVu face, parsed on first need: most invoices never hold a character outside the cut ones."""
    with _lock:
        if style not in _complete:
            _complete[style] = _parse_face(COMPLETE_FAMILY, style, _COMPLETE_FACES[style])
        return _complete[style]


def add_fonts(pdf: FPDF) -> None:
    """Make the shipped family available in ``pdf`` as :data:`FAMILY` (regular and bold), from the cache."""
    for face in _load_faces():
        pdf.fonts[f"{FAMILY.lower()}{face.style}"] = _copy_for(face, pdf)


def add_fonts_uncached(pdf: FPDF) -> None:
    """The plain fpdf2 way; the reference the cached path is tested and benchmarked against."""
    for style, filename in _FACES.items():
        pdf.add_font(FAMILY, style, font_path(filename))
        _keep_outlines(pdf, f"{FAMILY.lower()}{style}")


def add_complete_font(pdf: FPDF, style: str) -> str:
    """Add the complete DejaVu face of ``style`` ("" or "B") to ``pdf`` (from the cache) and return its font key."""
    key = f"{COMPLETE_FAMILY.lower()}{style}"
    if key not in pdf.fonts:
        pdf.fonts[key] = _copy_for(_load_complete(style), pdf)
    return key


def add_complete_font_uncached(pdf: FPDF, style: str) -> str:
    """The plain fpdf2 way, for the byte-identity test."""
    key = f"{COMPLETE_FAMILY.lower()}{style}"
    if key not in pdf.fonts:
        pdf.add_font(COMPLETE_FAMILY, style, font_path(_COMPLETE_FACES[style]))
        _keep_outlines(pdf, key)
    return key


def add_fallback_font(pdf: FPDF) -> str:
    """Add the fallback face to ``pdf`` (from the cache) and return its font key."""
    key = FALLBACK_FAMILY.lower()
    if key not in pdf.fonts:
        pdf.fonts[key] = _copy_for(_load_fallback(), pdf)
    return key


def add_fallback_font_uncached(pdf: FPDF) -> str:
    """The plain fpdf2 way, for the byte-identity test."""
    pdf.add_font(FALLBACK_FAMILY, "", font_path(_FALLBACK_FILE))
    _keep_outlines(pdf, FALLBACK_FAMILY.lower())
    return FALLBACK_FAMILY.lower()


def _keep_outlines(pdf: FPDF, key: str) -> None:
    """What :func:`_copy_for` does to the fontTools object, done to one fpdf2 made itself."""
    font = pdf.fonts[key]
    assert isinstance(font, TTFFont) and font.ttfont is not None  # add_font of a .ttf file makes one
    font.ttfont.recalcBBoxes = False


def _copy_for(face: _Face, pdf: FPDF) -> TTFFont:
    template = face.template
    font = TTFFont.__new__(TTFFont)
    for slot in TTFFont.__slots__:
        if hasattr(template, slot):
            setattr(font, slot, getattr(template, slot))
    # Shared read-only: cw, cmap, glyph_ids, name and metrics. Per document: everything written while drawing
    # or while writing the file.
    font.i = len(pdf.fonts) + 1
    font.ttfont = ttLib.TTFont(BytesIO(face.data), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    font.ttfont.setGlyphOrder(list(face.glyph_order))  # a list of its own: subsetting replaces it
    font.desc = copy.copy(template.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    return font


def regular_cmap() -> dict[int, str]:
    """The characters the main (cut) face draws (code point → glyph name), from the cache."""
    return _load_faces()[0].template.cmap


def complete_cmap(style: str = "") -> dict[int, str]:
    """The characters the complete DejaVu face of ``style`` draws; parses it on first need."""
    return _load_complete(style).template.cmap


def fallback_cmap() -> dict[int, str]:
    """The characters the fallback face draws; parses it on first need."""
    return _load_fallback().template.cmap
