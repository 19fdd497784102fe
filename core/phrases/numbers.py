"""Numbers as people type them in a hurry: digits with a point or a comma, or words (one … ninety-nine)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}

NUMBER_WORDS: dict[str, int] = {"a": 1, "an": 1, **_UNITS, **_TENS}
for _tens, _value in _TENS.items():
    for _unit, _unit_value in list(_UNITS.items())[:9]:
        NUMBER_WORDS[f"{_tens}-{_unit}"] = _value + _unit_value
        NUMBER_WORDS[f"{_tens} {_unit}"] = _value + _unit_value

# Compact (tens, then an optional unit; longest alternatives first) because regexes try it at every word.
_UNIT_WORDS = "one|two|three|four|five|six|seven|eight|nine"
NUMBER_WORD_PATTERN = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:(?:\s+|-)(?:" + _UNIT_WORDS + r"))?"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|eleven|twelve|ten|" + _UNIT_WORDS + r")"
)


def parse_number(token: str) -> Decimal | None:
    """A digit string ("1,5", ".5", "2") or a number word as a Decimal; None when it is neither."""
    cleaned = " ".join(token.lower().split())
    if cleaned in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[cleaned])
    cleaned = cleaned.replace(",", ".")
    if cleaned.startswith("."):
        cleaned = "0" + cleaned
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_money_number(token: str) -> Decimal | None:
    """A price: "1,200.50", "1.200,50", "1'200", "12,5".

    A lone separator before exactly three digits is a thousands mark ("€1,200" is twelve hundred)."""
    text = token.replace("'", "").replace("’", "").replace(" ", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text or "." in text:
        mark = "," if "," in text else "."
        head, _, tail = text.rpartition(mark)
        if len(tail) == 3 and head:
            text = text.replace(mark, "")
        elif text.count(mark) > 1:
            return None
        else:
            text = text.replace(mark, ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
