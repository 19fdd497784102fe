"""Several entries in one message: "2h design, 1h call for ACME", "2h design ACME; 1h call Globex", one a line.

A message splits at a semicolon, a new line, or a comma that stands between words ("1,5h" keeps its comma), and
only when two or more of the parts each hold a duration or a price: "2h logo design, Contoso, yesterday." stays one
entry. A part without a quantity is context: a client or a date alone counts for every entry ("Contoso\\n2h
design\\n45m call"); words of its own go with the entry before it. An entry that names no client takes the one
client the message names, and one that names no day the one day the message names, as a person reads
"yesterday: 2h design, 1h call for ACME".
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from core.phrases.readings import ParsedWork

_SEPARATOR = re.compile(r"[;\n]|(?<!\d),|,(?!\d)")
_BRACKETS = re.compile(r"\([^()\n]*\)|\[[^\[\]\n]*\]")  # "2h design (1h mockups, 1h call)": one entry
_HEADER = re.compile(r"(?P<head>[^:]{1,40}):\s+(?=\S)")  # what opens the message, for every entry


def split_message(text: str, quantity_of: Callable[[str], int],
                  has_words: Callable[[str], bool]) -> list[tuple[str, int]] | None:
    """The entries' phrases with the line each stands on, or None when the message is one entry.

    ``quantity_of`` tells whether a part holds a duration or a price (1), nothing but one (2: "1 hour, 15 minutes"
    is one duration, so such a part joins the next), or neither (0); ``has_words`` whether a part without one
    holds words of its own (more than a client or a date)."""
    if not _SEPARATOR.search(text):
        return None
    masked = _BRACKETS.sub(lambda m: m.group().replace(",", "\x02").replace(";", "\x03"), text)
    parts, lines = [], []
    for line, row in enumerate(masked.split("\n")):
        for part in _SEPARATOR.split(row):
            if part.strip(" .!?"):
                parts.append(part.strip().replace("\x02", ",").replace("\x03", ";"))
                lines.append(line)
    header = _HEADER.match(parts[0]) if parts else None
    if header and not quantity_of(header["head"]):  # "Gestern: 2 Std. Logo ACME, 1 Std. Call Globex"
        parts[0:1] = [header["head"], parts[0][header.end():]]
        lines[0:1] = [-1, lines[0]]
    kinds = [quantity_of(part) for part in parts]
    for index in range(len(parts) - 2, -1, -1):
        if kinds[index] == 2 and kinds[index + 1]:
            parts[index:index + 2] = [parts[index] + " " + parts[index + 1]]
            kinds[index:index + 2] = [1]
            del lines[index + 1]
    quantities = [bool(kind) for kind in kinds]
    if sum(quantities) < 2:
        return None
    entries: list[list[str]] = []
    entry_lines: list[int] = []
    shared: list[str] = []
    for part, quantity, line in zip(parts, quantities, lines, strict=True):
        if quantity:
            entries.append([part])
            entry_lines.append(line)
        elif has_words(part) and entries:
            entries[-1].append(part)
        elif has_words(part):
            shared.append(f"\x01{part}")  # words before the first entry go with the first
        else:
            shared.append(part)
    leading = [part[1:] for part in shared if part.startswith("\x01")]
    context = [part for part in shared if not part.startswith("\x01")]
    if leading:
        entries[0] = leading + entries[0]
    return [(" ".join(entry + context), line) for entry, line in zip(entries, entry_lines, strict=True)]


def share_context(readings: list[ParsedWork], lines: list[int] | None = None) -> list[ParsedWork]:
    """Entries without a client or a day take the one their line names, else the one the message names (if it
    names exactly one). Entries that each name their client stand on their own: "2h design ACME\n1h call Globex
    yesterday" is two days."""
    if lines is not None:
        by_line: dict[int, list[int]] = {}
        for index, line in enumerate(lines):
            by_line.setdefault(line, []).append(index)
        readings = list(readings)
        for indexes in by_line.values():
            for index, reading in zip(indexes, share_context([readings[i] for i in indexes]), strict=True):
                readings[index] = reading
    if all(r.client or r.unknown_client for r in readings):
        return readings
    clients = {r.client for r in readings if r.client} | {r.unknown_client for r in readings if r.unknown_client}
    days = {r.work_date for r in readings if r.dated}
    shared = []
    for reading in readings:
        if len(clients) == 1 and not (reading.client or reading.unknown_client):
            (name,) = clients
            known = any(r.client == name for r in readings)
            reading = replace(reading, client=name if known else None, unknown_client=None if known else name)
        if len(days) == 1 and not reading.dated:
            (day,) = days
            reading = replace(reading, work_date=day, dated=True)
        shared.append(reading)
    return shared
