"""Bounds on what people type, checked before anything is built from it.

One place for the limits the rest of the core relies on, so a hostile or unlucky message gets a sentence instead
of an exception from deep inside (a database that refuses a NUL byte or an id past its column, a timezone lookup
that takes a 4,000-character name as a file name, a field longer than its column):

- the message as a whole (:func:`check_message`): its length, and characters no database can store;
- each field a command sets (:func:`check_field`): its own maximum, before it is parsed or stored, and the
  widths inside a format (:func:`check_format_widths`) before it is formatted;
- numbers that name a record (:func:`record_number`): plain digits within the id columns' range.
"""
from __future__ import annotations

import re
import string
import unicodedata

from core.errors import UserError
from core.i18n import _, format_number

MAX_MESSAGE_LENGTH = 4000
MAX_RECORD_NUMBER = 2**31 - 1
"""The largest value of an Integer column (PostgreSQL's ``integer``): no id, task or question number is larger."""

FIELD_LIMITS: dict[str, int] = {
    "name": 200, "address": 500, "email": 320, "tax_id": 64, "vat_id": 64, "tax_number": 64, "payment": 500,
    "currency": 64, "tax_rate": 64, "terms": 64, "number_format": 64, "locale": 64, "rounding": 64,
    "rate": 64, "notes": 1000, "reference": 120, "country": 64, "language": 64, "vat_exempt": 500,
    "archived": 64, "timezone": 64,
}
"""The longest value each field takes, as typed (the stored column may be shorter after parsing)."""
DEFAULT_FIELD_LIMIT = 500
MAX_FORMAT_WIDTH = 20
"""The widest a field of a user's format (an invoice number's ``{seq:04}``) may be padded."""
MAX_RECEIPT_BYTES = 5 * 1024 * 1024
"""A receipt sent with /expense: a phone photo is 2–4 MB, a shop's PDF receipt some tens of KB; an invoice carries
one per expense."""
MAX_IMPORT_BYTES = 2 * 1024 * 1024
"""A CSV sent with /import: a year of a busy freelancer's entries is some hundred KB; the limit leaves room and keeps
the preview quick."""


def check_message(text: str) -> None:
    """Refuse a message too long to handle, or holding characters that can't be stored (a NUL byte, a lone
    surrogate from undecodable input, other control characters): nothing is saved, and the user is told why."""
    if len(text) > MAX_MESSAGE_LENGTH:
        raise UserError(_("That message is {length} characters long; I take at most {limit}. Nothing was saved — "
                          "send it in shorter pieces.").format(length=format_number(len(text)),
                                                               limit=format_number(MAX_MESSAGE_LENGTH)))
    bad = next((char for char in text if _unstorable(char)), None)
    if bad is not None:
        raise UserError(_("Your message contains {character}, which I can't keep in your books — perhaps from a copy "
                          "and paste, or a terminal set to another encoding. Nothing was saved; send it again "
                          "without it.").format(character=_describe(bad)))


_INVISIBLE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
                        "|(?<![^\\x00-\\x7f\\s])[\u200c\u200d]|[\u200c\u200d](?![^\\x00-\\x7f\\s])")
"""Bidi controls (RLO, LRE, isolates, LRM/RLM/ALM) and zero-width characters: invisible, yet they can make a
line read differently from what was typed. A zero-width joiner or non-joiner stays between two non-ASCII
characters, where it joins an emoji sequence (👩‍💻) or shapes a script; elsewhere it is dropped too."""


def strip_invisible(text: str) -> tuple[str, list[str]]:
    """The text NFC-normalised without bidi controls and zero-width characters, and the ones taken out (each
    once, as ``U+202E RIGHT-TO-LEFT OVERRIDE``) so the reply can say so."""
    text = unicodedata.normalize("NFC", text)
    removed = list(dict.fromkeys(match.group() for match in _INVISIBLE.finditer(text)))
    if not removed:
        return text, []
    return _INVISIBLE.sub("", text), [f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip() for char in removed]


def _unstorable(char: str) -> bool:
    category = unicodedata.category(char)
    return category == "Cs" or (category == "Cc" and char not in "\n\t\r")


def _describe(char: str) -> str:
    if unicodedata.category(char) == "Cs":
        return _("a byte that isn't UTF-8 text")
    return _("the control character U+{code}").format(code=f"{ord(char):04X}")


def storable_text(text: str | None, limit: int) -> str | None:
    """Text a platform gave us (a display name), cut to ``limit`` and without what can't be stored: it is shown
    back, never acted on, so it is tidied rather than refused."""
    if text is None:
        return None
    return "".join(char for char in text if not _unstorable(char))[:limit] or None


def check_field(field: str, value: str) -> str:
    """``value`` for ``field`` when it is within that field's limit; a sentence naming the limit otherwise."""
    limit = FIELD_LIMITS.get(field, DEFAULT_FIELD_LIMIT)
    if len(value) > limit:
        raise UserError(_("Too long for the {field}: {length} characters, at most {limit}. Nothing was "
                          "changed.").format(field=field.replace("_", " "), length=format_number(len(value)),
                                             limit=format_number(limit)))
    return value


def check_format_widths(fmt: str) -> str:
    """Refuse a ``str.format`` pattern whose field widths or precisions exceed :data:`MAX_FORMAT_WIDTH` before it is
    ever formatted: ``{seq:1000000000}`` would build a gigabyte string to learn that it is too long."""
    try:
        specs = [spec for _literal, name, spec, _conversion in string.Formatter().parse(fmt) if name is not None]
    except ValueError:
        return fmt  # malformed: the caller's own formatting refuses it, cheaply
    for spec in specs:
        if any(int(digits) > MAX_FORMAT_WIDTH for digits in re.findall(r"\d+", spec or "")):
            raise UserError(_("A width in a format can be at most {limit}, like {{seq:04}}. Nothing was "
                              "changed.").format(limit=MAX_FORMAT_WIDTH))
    return fmt


def record_number(text: str) -> int | None:
    """``12`` → 12: plain ASCII digits (not ``²`` or ``١٢``, which ``str.isdigit`` accepts and ``int`` may not)
    within the id columns' range; None for anything else, so the caller says "no such …" in its own words."""
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > len(str(MAX_RECORD_NUMBER)):
        return None
    number = int(cleaned)
    return number if number <= MAX_RECORD_NUMBER else None
