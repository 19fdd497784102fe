"""The phrase being read, with the parts already understood blanked out so later rules see only the rest."""
from __future__ import annotations

import re
import unicodedata

GAP = "\x00"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\ufeff]")
_SPACE = re.compile(r"\s")


def normalise_text(text: str) -> str:
    """NFKC folds phone keyboards' full-width digits, ligatures and ½; control characters become spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return _SPACE.sub(" ", text)


class PhraseScan:
    """Holds the normalised phrase; ``consume`` replaces a recognised span by GAP characters of the same length.

    Keeping the length fixed keeps every match position valid, and GAP marks where a part was taken out,
    which is what the description rules need to drop the filler words around it ("for", "on", "of").
    """

    __slots__ = ("original", "text")

    def __init__(self, text: str) -> None:
        self.original = text
        self.text = text

    def consume(self, start: int, end: int) -> None:
        self.text = self.text[:start] + GAP * (end - start) + self.text[end:]
