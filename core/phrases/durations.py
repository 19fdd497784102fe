"""How long: "2h", "1h30", "1,5h", "90 minutes", "half an hour", "9:00-11:30", "from 14:00 to 17:15", bare "1:30".

Times of day ("at 14:00", "3pm") are taken out too, so they are neither a duration nor part of the description.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from core.phrases.languages import ENGLISH, Language
from core.phrases.numbers import NUMBER_WORD_PATTERN, parse_number
from core.phrases.scan import PhraseScan

_H = r"(?:hours?|hrs?|hs|h)"
_M = r"(?:minutes?|mins?|mns?|m)"
_WORD = r"(?:" + NUMBER_WORD_PATTERN + r")"
_DIGITS = r"(?:\d+(?:[.,]\d+)?|[.,]\d+)"
# A number starts a word; an optional minus right before it is kept to refuse negative durations. After
# "9-" it is no duration of its own ("9-11h" is a span of clock hours), after "2h-" it is a second one.
_LEAD = r"(?:(?<![\w.,\-−])(?<!\d:)(?P<neg>[-−])|(?<![\w.,/])(?<!\d[\-−])(?<!\d:))"
_END = r"(?![^\W_])"
_MONTHISH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|days?\b|weeks?\b|st\b|nd\b|rd\b|th\b|[ap]\.?m\b)"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_AND_A_HALF = _compile(
    _LEAD + r"(?:(?P<n>" + _DIGITS + r")\s*|(?P<w>" + _WORD + r"|an?)\s+)"
    r"(?:and\s+a\s+(?P<frac1>half|quarter)\s+" + _H + r"|" + _H + r"\s+and\s+a\s+(?P<frac2>half|quarter))" + _END
)
_HOURS_MINUTES = _compile(
    _LEAD + r"(?:(?P<n>\d+)\s*|(?P<w>" + _WORD + r"|an?)\s+)" + _H +
    r"\s*(?:,|and|&|\+)?\s*(?:(?P<m>\d{1,2})\s*|(?P<mw>" + _WORD + r")\s+)" + _M + _END
)
_COMPACT = _compile(
    _LEAD + r"(?P<n>\d{1,2})\s*(?:(?:hrs?|h)(?P<m>\d{2})"
    r"|" + _H + r"\s*(?P<m2>\d{2})(?!\d|[.,:/]\d)(?!\s*" + _MONTHISH + r"))" + _END
)
# A plural-looking word ("emails", "product photos") within two words after "2h 10": a count of things may follow.
_COUNTED = re.compile(r"\s+(?:[^\W\d_]+\s+)?[^\W\d_]*[^\W\d_s]s\b")
_CLOCK_HOURS = _compile(_LEAD + r"(?P<h>\d{1,2}):(?P<m>\d{2})\s*" + _H + _END)
_FRACTION = _compile(_LEAD + r"(?:(?P<n>\d+)\s+)?(?P<a>\d)/(?P<b>[248])\s*" + _H + _END)
_THREE_QUARTERS = _compile(r"(?:\b(?:three|3)[\s-]quarters?|(?<![\w./])3/4)\s+of\s+an?\s+hour" + _END)
_HALF_HOUR = _compile(r"(?:\b(?:an?\s+)?half|(?<![\w./])1/2)\s+(?:of\s+)?(?:an?\s+)?hour" + _END)
_QUARTER_HOUR = _compile(r"(?:\b(?:an?\s+)?quarter|(?<![\w./])1/4)\s+(?:of\s+)?(?:an?\s+)?hour" + _END)
_HOURS = _compile(_LEAD + r"(?:(?P<n>" + _DIGITS + r")(?:\s*|-)|(?P<w>" + _WORD + r"|an?)[\s-]+)" + _H + _END)
_MINUTES = _compile(_LEAD + r"(?:(?P<n>" + _DIGITS + r")(?:\s*|-)|(?P<w>" + _WORD + r")[\s-]+)" + _M + _END)

_TIME = (r"(?:(?P<h{0}>\d{{1,2}})(?:[:.](?P<m{0}>\d{{2}}))?\s*(?P<ap{0}>[ap]\.?m\.?(?![^\W\d_]))?"
         r"|\b(?P<noon{0}>noon|midday)\b)")
_RANGE = _compile(
    r"(?:\b(?P<lead>from|between)\s+)?(?<![\w.,:/\-−])" + _TIME.format(1)
    + r"\s*(?P<sep>-|–|—|\bto\b|\buntil\b|\btill\b|\btil\b|\band\b)\s*" + _TIME.format(2) + r"(?![\d:]|[-/.]\d)"
    + r"(?:(?<=\d)h(?![^\W_]))?"  # "9-11h": hours of the clock, as German and French write them
)
_CLOCK_MARKED = _compile(
    r"(?:(?<!\w)@|\b(?:at|around|by|until|till|since|from|starting(?:\s+at)?|before|after))\s*"
    r"(?:(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>[ap]\.?m\.?(?![^\W\d_])|o['’]?clock\b)?(?![\w:.,])"
    r"|\b(?:noon|midday|midnight)\b)"  # "at noon", not the "noon" of "this afternoon"
)
_CLOCK_AMPM = _compile(
    r"(?<![\w.,:])\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?(?![^\W\d_])|o['’]?clock\b)"
)
# "about 2h", "~45m": a hedge on a duration goes with it (the hours logged are the figure given).
_HEDGE = _compile(r"(?:\b(?:about|around|roughly|approx(?:imately)?|circa|ca|almost|nearly|some)\b\.?|~)\s*(?=\x00)")
_BARE_CLOCK = _compile(r"(?<![\w.,:/])(?P<h>\d{1,2}):(?P<m>\d{2})(?![\d:])")


@dataclass(frozen=True)
class FoundDuration:
    """A duration as found: ``clock`` marks a bare "1:30", which might also be a time of day."""

    minutes: int
    negative: bool = False
    clock: bool = False
    position: int = 0  # where it starts in the phrase, so a question lists durations in the order typed


def to_minutes(hours: Decimal) -> int:
    with localcontext() as context:  # exact however many digits were typed (the refusal quotes them back)
        context.prec = max(context.prec, hours.adjusted() + 8)
        return int((hours * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_to_minutes = to_minutes


def _number(match: re.Match[str], digits: str = "n", word: str = "w") -> Decimal:
    value = parse_number(match[digits] or match[word])
    return value if value is not None else Decimal(0)


def _found(minutes: int, match: re.Match[str]) -> FoundDuration:
    return FoundDuration(minutes=minutes, negative=bool(match.groupdict().get("neg")), position=match.start())


def _hours_dot_minutes(digits: str | None) -> int | None:
    """ "1.30h" may be 1.3 hours or 1h30: the minutes of that second reading, so the parser asks.

    Two decimals that are a whole number of minutes below 60 read both ways; quarters (".25", ".50", ".75") are
    how people write decimal hours, and "1.5h" or "1.75h" can only be decimal.
    """
    if not digits or not re.fullmatch(r"\d+[.,]\d{2}", digits):
        return None
    whole, fraction = int(digits[:-3]), int(digits[-2:])
    if fraction % 25 == 0 or fraction >= 60:
        return None
    return whole * 60 + fraction


def _clock_minutes(hour: str, minute: str | None, ampm: str | None) -> int | None:
    """Minutes since midnight, or None when it is not a time of day."""
    h, m = int(hour), int(minute or 0)
    if m >= 60:
        return None
    if ampm and ampm[0].lower() in "ap":
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm[0].lower() == "p" else 0)
    elif h > 24 or (h == 24 and m):
        return None
    return h * 60 + m


def _meridiem(text: str | None) -> str | None:
    return text[0].lower() if text and text[0].lower() in "ap" else None


def span_minutes(start: int, end: int, *, twelve_hour: bool, overnight: bool = False) -> list[int]:
    """How long from ``start`` to ``end`` (minutes since midnight): one reading, or several when the end comes
    before the start ("11:30-9:00": till 9 pm, over night, or the times swapped?), so the parser asks.

    A wrap over noon read on a twelve-hour clock ("12:30-1:30") and an evening-to-morning range marked so
    ("10pm-2am", ``overnight``) are no reversal.
    """
    if end >= start:
        return [end - start]
    if overnight:
        return [end + 24 * 60 - start]
    if twelve_hour and 12 * 60 <= start < 13 * 60 and end < 12 * 60:
        return [end + 12 * 60 - start]
    readings = []
    if twelve_hour and end < 12 * 60 and end + 12 * 60 > start:
        readings.append(end + 12 * 60 - start)
    readings += [end + 24 * 60 - start, start - end]
    return list(dict.fromkeys(readings))


def _range_minutes(match: re.Match[str], bare: bool) -> list[int] | None:
    """The readings of "9:00-11:30", "10am-12pm", "from 2 to 5pm", "9-11"; None when the match is no time range.

    A bare "9-11" (hours alone, a dash) is a range when ``bare`` says nothing counted follows ("2-3 bugs")."""
    lead, sep = (match["lead"] or "").lower(), match["sep"].lower()
    if (sep == "and") != (lead == "between"):
        return None
    if not (any((match["m1"], match["m2"], match["ap1"], match["ap2"], match["noon1"], match["noon2"])) or lead
            or (bare and sep in "-–—")):
        return None
    h1, h2 = match["h1"] or "12", match["h2"] or "12"  # "noon" is 12 pm
    ap1 = "p" if match["noon1"] else _meridiem(match["ap1"])
    ap2 = "p" if match["noon2"] else _meridiem(match["ap2"])
    given = bool(ap1 and ap2)
    if ap2 and not ap1:
        ap1 = ap2
        start, end = _clock_minutes(h1, match["m1"], ap1), _clock_minutes(h2, match["m2"], ap2)
        if start is not None and end is not None and start >= end and ap2 == "p":
            ap1 = "a"  # "11-1pm" is 11 am to 1 pm
        given = True
    start = _clock_minutes(h1, match["m1"], ap1)
    end = _clock_minutes(h2, match["m2"], ap2)
    if start is None or end is None:
        return None
    return span_minutes(start, end, twelve_hour=not (ap1 or ap2), overnight=given and ap1 == "p" and ap2 == "a")


def take_durations(scan: PhraseScan, lang: Language = ENGLISH) -> list[FoundDuration]:
    """Every duration in the phrase, consumed, and every time of day, consumed and dropped.

    The language's own words go first (core/phrases/spoken_durations.py), then the rules every language shares."""
    found: list[FoundDuration] = []
    if lang.code != "en":
        from core.phrases.spoken_durations import take_spoken_durations

        found.extend(take_spoken_durations(scan, lang))
    clock_words = scan.mentions(":", "am", "pm", "a.m", "p.m", "clock", "noon", "midday", "midnight")
    for match in _RANGE.finditer(scan.text) if clock_words or scan.mentions("from", "between") else ():
        minutes = _range_minutes(match, bare=False)
        if minutes is not None:
            found.extend(FoundDuration(reading, position=match.start()) for reading in minutes)
            scan.consume(*match.span())
    for match in _AND_A_HALF.finditer(scan.text) if scan.mentions("and a") else ():
        extra = Decimal("0.5") if (match["frac1"] or match["frac2"]).lower() == "half" else Decimal("0.25")
        found.append(_found(_to_minutes(_number(match) + extra), match))
        scan.consume(*match.span())
    for match in _HOURS_MINUTES.finditer(scan.text) if scan.mentions("m") else ():
        part = _number(match, "m", "mw")
        found.append(_found(_to_minutes(_number(match)) + int(part), match))
        scan.consume(*match.span())
    for match in _COMPACT.finditer(scan.text):
        if match["m2"] and int(match["m2"]) < 60 and _COUNTED.match(scan.text, match.end()):
            # "2h 10 product photos": 2h10, or 2h making ten photos? Ask, and keep the count in the description.
            found.append(_found(int(match["n"]) * 60 + int(match["m2"]), match))
            found.append(_found(int(match["n"]) * 60, match))
            scan.consume(match.start(), match.start("m2"))
            continue
        if int(match["m"] or match["m2"]) < 60:  # "1h75" is no way to write a duration: left unread
            found.append(_found(int(match["n"]) * 60 + int(match["m"] or match["m2"]), match))
            scan.consume(*match.span())
    for match in _CLOCK_HOURS.finditer(scan.text) if scan.mentions(":") else ():
        found.append(_found(int(match["h"]) * 60 + int(match["m"]), match))
        scan.consume(*match.span())
    for match in _FRACTION.finditer(scan.text) if scan.mentions("/") else ():
        hours = Decimal(match["n"] or 0) + Decimal(match["a"]) / Decimal(match["b"])
        found.append(_found(_to_minutes(hours), match))
        scan.consume(*match.span())
    for pattern, fixed in ((_THREE_QUARTERS, 45), (_HALF_HOUR, 30), (_QUARTER_HOUR, 15)):
        for match in pattern.finditer(scan.text) if scan.mentions("half", "quarter", "/") else ():
            found.append(FoundDuration(fixed, position=match.start()))
            scan.consume(*match.span())
    for match in _HOURS.finditer(scan.text):
        found.append(_found(_to_minutes(_number(match)), match))
        as_clock = _hours_dot_minutes(match["n"])
        if as_clock is not None:
            found.append(_found(as_clock, match))
        scan.consume(*match.span())
    for match in _MINUTES.finditer(scan.text):
        found.append(_found(_to_minutes(_number(match) / 60), match))
        scan.consume(*match.span())
    marked = scan.mentions("@", "at", "around", "by", "til", "since", "from", "start", "before", "after")
    for pattern, hinted in ((_CLOCK_MARKED, marked), (_CLOCK_AMPM, clock_words)):
        for match in pattern.finditer(scan.text) if hinted else ():
            scan.consume(*match.span())
    for match in _BARE_CLOCK.finditer(scan.text) if scan.mentions(":") else ():
        hour, minute = int(match["h"]), int(match["m"])
        if minute >= 60:
            continue
        if hour <= 12:
            found.append(FoundDuration(hour * 60 + minute, clock=True, position=match.start()))
        scan.consume(*match.span())  # 13:00 and later: a time of day, not twelve-plus hours of work
    if not found and scan.mentions("-", "–", "—"):
        found.extend(_bare_ranges(scan))
    for match in _HEDGE.finditer(scan.text) if found else ():
        scan.consume(*match.span())
    return sorted(found, key=lambda duration: duration.position)


def _bare_ranges(scan: PhraseScan) -> list[FoundDuration]:
    """ "9-11", "9 - 11": hours of the clock, read only when the phrase has no other duration ("2h review of
    chapters 3-4" is about chapters) and nothing counted follows ("fixed 2-3 bugs")."""
    found: list[FoundDuration] = []
    for match in _RANGE.finditer(scan.text):
        if _COUNTED.match(" " + scan.text[match.end():match.end() + 60]):
            continue
        minutes = _range_minutes(match, bare=True)
        if minutes is not None:
            found.extend(FoundDuration(reading, position=match.start()) for reading in minutes)
            scan.consume(*match.span())
    return found
