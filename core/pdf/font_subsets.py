"""DejaVu Sans cut down to the characters invoices in Latin, Greek and Cyrillic script are written in.

Every invoice embeds its font, and fpdf2 builds that embedded subset with fontTools at output time, from the whole
face it was given: parsing and pruning DejaVu Sans's 6,253 glyphs (Armenian, Arabic, Braille, math alphabets …)
cost more than drawing a 20-line invoice. The shipped ``DejaVuSans-LGC*.ttf`` files hold only the blocks below
(2,196 glyphs, outlines byte for byte DejaVu's), so that work shrinks to about a third; they are the faces every
invoice draws with. The complete faces stay shipped beside them: a character outside these blocks (✓, Armenian,
polytonic Greek) is drawn from them, as before, through the fallback in :mod:`core.pdf.scripts`.

The cut files are made from the complete ones by this module, and checked against them by the tests::

    python -m core.pdf.font_subsets
"""
from __future__ import annotations

from pathlib import Path

BLOCKS: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x02B0, 0x02FF),  # Spacing Modifier Letters (ʼ, the Ukrainian apostrophe; ˆ ˇ ˘ ˜)
    (0x0300, 0x036F),  # Combining Diacritical Marks: text typed decomposed (é as e + ́)
    (0x0370, 0x03FF),  # Greek and Coptic
    (0x0400, 0x052F),  # Cyrillic and its Supplement
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, Welsh)
    (0x2000, 0x206F),  # General Punctuation: dashes, quotes, bullet, ellipsis, the narrow no-break space
    (0x2070, 0x209F),  # Superscripts and Subscripts
    (0x20A0, 0x20CF),  # Currency Symbols
    (0x2100, 0x214F),  # Letterlike Symbols (№, ™, ℃)
    (0x2150, 0x218F),  # Number Forms (⅓, Roman numerals)
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators (the minus sign of a discount, ≤, ≈)
    (0x25A0, 0x25FF),  # Geometric Shapes (■ ● ▶ as bullets)
    (0xFB00, 0xFB06),  # Latin ligatures (ﬁ, ﬂ from text copied out of a PDF)
    (0xFEFF, 0xFEFF),  # the zero-width no-break space a pasted text may start with
    (0xFFFD, 0xFFFD),  # the replacement character
)
"""The Unicode blocks kept, inclusive ranges."""

FILES = {"DejaVuSans.ttf": "DejaVuSans-LGC.ttf", "DejaVuSans-Bold.ttf": "DejaVuSans-LGC-Bold.ttf"}
"""Each complete face and the cut face made from it, in ``core/pdf/fonts``."""


def kept(code_point: int) -> bool:
    """Whether ``code_point`` is in one of :data:`BLOCKS`."""
    return any(first <= code_point <= last for first, last in BLOCKS)


def cut(source: Path, target: Path) -> None:
    """Write the face at ``source`` restricted to :data:`BLOCKS` to ``target``.

    What fpdf2 drops from every embedded font anyway (OpenType layout, FontForge's and device metrics tables, the
    kerning it never applies) is dropped here once; outlines, hinting and the naming and licence strings are kept.
    Glyph names are left out (fontTools derives them from the cmap), which spares every render decoding 2,196 of
    them. The file is reproducible: no timestamp is touched.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(notdef_outline=True, recommended_glyphs=True, glyph_names=False, layout_features=[],
                             name_IDs=["*"], name_languages=["*"], name_legacy=True)
    options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx"]
    face = TTFont(source, recalcTimestamp=False, recalcBBoxes=False)  # each glyph's bytes as DejaVu wrote them
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for first, last in BLOCKS for code in range(first, last + 1)])
    subsetter.subset(face)
    face.save(target)


def main() -> None:
    """Remake the cut faces from the complete ones (after changing :data:`BLOCKS` or updating DejaVu)."""
    folder = Path(__file__).with_name("fonts")
    for complete, lgc in FILES.items():
        cut(folder / complete, folder / lgc)
        print(f"{folder / lgc}: {(folder / lgc).stat().st_size} bytes")


if __name__ == "__main__":
    main()
