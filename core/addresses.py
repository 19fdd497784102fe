"""Postcode and city inside a free-text address, for the e-invoice, which carries them as fields of their own.

Addresses are typed as lines (``Hauptstr. 1 | 10115 Berlin``) and printed as typed; this reads the line that holds
the postcode and city in the ways Europe, the UK and the US write them. When no line reads so, the address is
still used, all of it as address lines, and the user is told when they save it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_POSTCODE_FIRST = re.compile(
    r"^(?:[A-Z]{1,3}[- ])?"  # D-10115, F-75001, CH-8001
    r"(\d{4}-\d{3}|\d{2}-\d{3}|\d{3} ?\d{2}|\d{4} ?[A-Z]{2}|\d{4,5})"  # PT, PL, SE/CZ/SK/GR, NL, most others
    r",?\s+(\D.*)$"
)
_UK = r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"
_IE = r"[AC-FHKNPRTV-Y]\d{2}|D6W ?[0-9AC-FHKNPRTV-Y]{4}|[AC-FHKNPRTV-Y]\d{2} ?[0-9AC-FHKNPRTV-Y]{4}"
_CITY_FIRST = re.compile(rf"^(\D.*?),?\s+(?:[A-Z]{{2}}\s+)?(\d{{5}}(?:-\d{{4}})?|{_UK}|{_IE})$")  # US, UK, IE
_POSTCODE_ALONE = re.compile(rf"^({_UK}|{_IE}|\d{{5}}(?:-\d{{4}})?)$")


@dataclass(frozen=True)
class PostalAddress:
    lines: tuple[str, ...]
    """The address lines other than the postcode and city."""
    postcode: str | None
    city: str | None


def postal_address(text: str | None) -> PostalAddress:
    """The postcode and city found in ``text`` (the last line that reads as one wins), and the other lines."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        rest = tuple(lines[:index] + lines[index + 1:])
        found = _POSTCODE_FIRST.match(line)
        if found:
            return PostalAddress(rest, found.group(1), found.group(2).strip(" ,"))
        found = _CITY_FIRST.match(line.upper())
        if found:
            city = line[:found.end(1)].strip(" ,")
            return PostalAddress(rest, line[found.start(2):found.end(2)], city)
        if _POSTCODE_ALONE.match(line.upper()) and index > 0:  # "London" on one line, "SW1A 1AA" on the next
            return PostalAddress(tuple(lines[:index - 1] + lines[index + 1:]), line, lines[index - 1])
    return PostalAddress(tuple(lines), None, None)


def has_postcode_and_city(text: str | None) -> bool:
    found = postal_address(text)
    return bool(found.postcode and found.city)
