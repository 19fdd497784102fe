"""The phrase being read, with the parts already understood blanked out so later rules see only the rest."""
from __future__ import annotations

import re
import unicodedata

GAP = "\x00"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\ufeff]")
_SPACE = re.compile(r"\s")
_VULGAR = {"½": ".5", "¼": ".25", "¾": ".75"}
_VULGAR_FRACTION = re.compile(r"(\d)?(\s*)([½¼¾])")


def _spell_fraction(match: re.Match[str]) -> str:
    """ "1½" and "1 ½" -> "1.5"; a lone "½" -> "0.5", keeping the space before it."""
    if match[1]:
        return match[1] + _VULGAR[match[3]]
    return match[2] + "0" + _VULGAR[match[3]]


def normalise_text(text: str) -> str:
    """NFKC folds phone keyboards' full-width digits, ligatures and ½; control characters become spaces."""
    text = unicodedata.normalize("NFKC", _VULGAR_FRACTION.sub(_spell_fraction, text))
    text = _CONTROL.sub(" ", text)
    return _SPACE.sub(" ", text)


class PhraseScan:
    """Holds the normalised phrase; ``consume`` replaces a recognised span by GAP characters of the same length.

    Keeping the length fixed keeps every match position valid, and GAP marks where a part was taken out,
    which is what the description rules need to drop the filler words around it ("for", "on", "of").
    """

    __slots__ = ("original", "text", "lowered", "_folded")

    def __init__(self, text: str) -> None:
        self.original = text
        self.text = text
        self.lowered = text.lower()  # for cheap "could this rule match at all?" checks before a regex runs
        self._folded: str | None = None

    @property
    def folded(self) -> str:
        """The text lower-cased without accents, the same length (for the German, French and Spanish rules)."""
        if self._folded is None:
            from core.phrases.languages import fold_text

            self._folded = fold_text(self.text)
        return self._folded

    def mentions(self, *fragments: str) -> bool:
        """Whether any fragment occurs in the phrase (lower-case); skips regexes that can't match."""
        lowered = self.lowered
        return any(map(lowered.__contains__, fragments))  # map: no generator frame per call (hot path)

    def consume(self, start: int, end: int) -> None:
        self.text = self.text[:start] + GAP * (end - start) + self.text[end:]
        if self._folded is not None:
            self._folded = self._folded[:start] + GAP * (end - start) + self._folded[end:]
