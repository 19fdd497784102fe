"""How long, in German, French and Spanish words: "2 Std.", "anderthalb Stunden", "une heure et demie", "trois quarts
d'heure", "hora y media", ranges "von 9 bis 11:30 Uhr", "de 9h à 11h30", "de 9 a 11:30", and times of day
("um 14 Uhr", "à 14h", "a las 4"), which are taken out and dropped.

These rules read the folded phrase (lower case, accents off) and run before the English ones, which still read
digits with h/min, "1:30" and "9:00-11:30" for every language. A French "9h" inside a range or after "à" is a time
of day, so ranges and times go first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import cast

from core.phrases.durations import FoundDuration, span_minutes, to_minutes
from core.phrases.languages import Language, alternation
from core.phrases.numbers import parse_number
from core.phrases.scan import PhraseScan

_DIGITS = r"\d+(?:[.,]\d+)?|[.,]\d+"
_WORD = r"[a-zß]+(?:-[a-zß]+)*"
_NEG = r"(?:(?<![\w.,\-−])(?P<neg>[-−])|(?<![\w.,/\-−])(?<!\d:))"
_END = r"(?![^\W_])"



@dataclass(frozen=True)
class _Rules:
    fractions: tuple[tuple[re.Pattern[str], int], ...]
    one_and_a_half: re.Pattern[str] | None
    and_a_half: re.Pattern[str] | None
    plus_part: re.Pattern[str]
    half_alone: re.Pattern[str] | None
    hours_minutes: re.Pattern[str]
    compact: re.Pattern[str]
    clock_hours: re.Pattern[str]
    fraction: re.Pattern[str]
    hours: re.Pattern[str]
    minutes: re.Pattern[str]
    span: re.Pattern[str]
    clock: re.Pattern[str]
    needs_lead: frozenset[str]


def _time(n: int, suffix: str) -> str:
    return (rf"(?P<h{n}>\d{{1,2}})(?:(?:[:.]|\s*h\s*)(?P<m{n}>\d{{2}})(?!\d))?"
            rf"(?P<u{n}>\s*(?:{suffix})(?![^\W_])\.?)?")


@cache
def _rules(lang: Language) -> _Rules:
    hours = alternation(lang.hour_words)
    minutes = alternation(lang.minute_words)
    h = rf"(?:{hours})(?![^\W_])\.?"
    m = rf"(?:{minutes})(?![^\W_])\.?"
    number = rf"(?:(?P<n>{_DIGITS})\s*|(?P<w>{_WORD})\s+)"
    fractions = tuple((re.compile(rf"(?<![\w-])(?:{pattern}){_END}"), value)
                      for pattern, value in cast(dict[str, int], lang.idiom("fractions")).items())
    one_and_a_half = lang.idiom("one_and_a_half")
    and_a_half = lang.idiom("and_a_half")
    suffix = str(lang.idiom("clock_suffix"))
    sep = str(lang.idiom("range_sep"))
    spans = alternation(lang.day_words + lang.week_words + lang.month_words)
    half = rf"(?P<half>{lang.idiom('plus_half')})|(?P<quarter>{lang.idiom('plus_quarter')})"
    return _Rules(
        fractions=fractions,
        one_and_a_half=re.compile(rf"(?<![\w-])(?:{one_and_a_half})\s+{h}") if one_and_a_half else None,
        and_a_half=re.compile(rf"(?<![\w-])(?P<w>[a-z]+?){and_a_half}\s+{h}") if and_a_half else None,
        plus_part=re.compile(rf"{_NEG}{number}?{h}\s*(?:{half}){_END}"),
        half_alone=re.compile(rf"(?<![\w-])(?:una\s+)?hora\s+y\s+media{_END}") if lang.code == "es" else None,
        hours_minutes=re.compile(rf"{_NEG}(?:(?P<n>\d+)\s*|(?P<w>{_WORD})\s+){h}\s*(?:{lang.idiom('and')})?\s*"
                                 rf"(?:(?P<m>\d{{1,2}})\s*|(?P<mw>{_WORD})\s+){m}"),
        compact=re.compile(rf"{_NEG}(?P<n>\d{{1,2}})\s*{h}\s*(?P<m>\d{{2}})(?!\d|[.,:/]\d|\s*(?:{minutes}))"
                           rf"(?![^\W_])"),
        clock_hours=re.compile(rf"{_NEG}(?P<h>\d{{1,2}}):(?P<m>\d{{2}})\s*{h}"),
        fraction=re.compile(rf"{_NEG}(?:(?P<n>\d+)\s+)?(?P<a>\d)/(?P<b>[248])\s*{h}"),
        hours=re.compile(rf"{_NEG}{number}{h}"),
        minutes=re.compile(rf"{_NEG}{number}{m}"),
        span=re.compile(
            rf"(?:(?<![\w])(?P<lead>{lang.idiom('range_lead')})\s+(?:(?:las?|den)\s+)?)?(?<![\w.,:/\-−])"
            + _time(1, suffix) + rf"\s*(?P<sep>(?<![\w])(?:{sep})(?![\w])|[-–—])\s*(?:las?\s+)?"
            + _time(2, suffix) + r"(?![\d:]|[-/.]\d)"),
        clock=re.compile(
            rf"(?<![\w])(?:{lang.idiom('clock_mark')})\s+(?:(?:las?|den)\s+)?(?<![\w.,:/])(?P<h>\d{{1,2}})"
            rf"(?:(?:[:.]|\s*h\s*)(?P<m>\d{{2}}))?(?:\s*(?:{suffix})(?![^\W_])\.?)?(?![\w.,:]?\d|\s*(?:{hours}|"
            rf"{minutes}|{spans}|€|%|eur|[$£])(?![^\W_]))"),
        needs_lead=frozenset(lang.words("range_sep_needs_lead")),
    )


def _value(lang: Language, match: re.Match[str], original: str, digits: str = "n", word: str = "w") -> Decimal | None:
    if match[digits]:
        return parse_number(match[digits])
    start, end = match.span(word)
    number = lang.number(original[start:end])
    return None if number is None else Decimal(number)


def _found(minutes: int, match: re.Match[str]) -> FoundDuration:
    return FoundDuration(minutes=minutes, negative=bool(match.groupdict().get("neg")), position=match.start())


def _span(match: re.Match[str], rules: _Rules) -> list[int] | None:
    """The readings of "von 9 bis 11:30 Uhr", "de 9h à 11h30", "9-11 Uhr"; None when it is no range of times."""
    sep, lead = match["sep"].strip(), match["lead"]
    marked = any(match[g] for g in ("m1", "m2", "u1", "u2"))
    if sep in rules.needs_lead and not (lead or (marked and sep not in ("und", "et", "y"))):
        return None
    if sep in ("und", "et", "y") and lead not in ("zwischen", "entre"):
        return None
    start = _clock(match["h1"], match["m1"])
    end = _clock(match["h2"], match["m2"])
    if start is None or end is None:
        return None
    return span_minutes(start, end, twelve_hour=False)


def _clock(hour: str, minute: str | None) -> int | None:
    h, m = int(hour), int(minute or 0)
    if h > 24 or m >= 60 or (h == 24 and m):
        return None
    return h * 60 + m


def take_spoken_durations(scan: PhraseScan, lang: Language) -> list[FoundDuration]:
    """Every duration in the language's words, consumed; every time of day ("um 14 Uhr"), consumed and dropped."""
    rules = _rules(lang)
    found: list[FoundDuration] = []
    original = scan.original

    for match in rules.span.finditer(scan.folded):
        readings = _span(match, rules)
        if readings is not None:
            found.extend(FoundDuration(minutes, position=match.start()) for minutes in readings)
            scan.consume(*match.span())
    for match in rules.clock.finditer(scan.folded):
        scan.consume(*match.span())
    for pattern, minutes in rules.fractions:
        for match in pattern.finditer(scan.folded):
            found.append(FoundDuration(minutes, position=match.start()))
            scan.consume(*match.span())
    if rules.half_alone is not None:
        for match in rules.half_alone.finditer(scan.folded):
            found.append(FoundDuration(90, position=match.start()))
            scan.consume(*match.span())
    if rules.one_and_a_half is not None:
        for match in rules.one_and_a_half.finditer(scan.folded):
            found.append(FoundDuration(90, position=match.start()))
            scan.consume(*match.span())
    if rules.and_a_half is not None:
        for match in rules.and_a_half.finditer(scan.folded):
            whole = lang.number(original[match.start("w"):match.end("w")])
            if whole is not None:
                found.append(FoundDuration(to_minutes(Decimal(whole) + Decimal("0.5")), position=match.start()))
                scan.consume(*match.span())
    for match in rules.plus_part.finditer(scan.folded):
        hours = _value(lang, match, original) if (match["n"] or match["w"]) else Decimal(1)
        if hours is not None:
            extra = Decimal("0.5") if match["half"] else Decimal("0.25")
            found.append(_found(to_minutes(hours + extra), match))
            scan.consume(*match.span())
    for match in rules.hours_minutes.finditer(scan.folded):
        hours = _value(lang, match, original)
        part = _value(lang, match, original, "m", "mw")
        if hours is not None and part is not None:
            found.append(_found(to_minutes(hours) + int(part), match))
            scan.consume(*match.span())
    for match in rules.compact.finditer(scan.folded):
        if int(match["m"]) < 60:
            found.append(_found(int(match["n"]) * 60 + int(match["m"]), match))
            scan.consume(*match.span())
    for match in rules.clock_hours.finditer(scan.folded):
        found.append(_found(int(match["h"]) * 60 + int(match["m"]), match))
        scan.consume(*match.span())
    for match in rules.fraction.finditer(scan.folded):
        hours = Decimal(match["n"] or 0) + Decimal(match["a"]) / Decimal(match["b"])
        found.append(_found(to_minutes(hours), match))
        scan.consume(*match.span())
    for pattern, scale in ((rules.hours, Decimal(1)), (rules.minutes, Decimal(1) / 60)):
        for match in pattern.finditer(scan.folded):
            value = _value(lang, match, original)
            if value is None:
                continue  # "Meeting Stunden": a word before the unit that is no number
            found.append(_found(to_minutes(value * scale), match))
            scan.consume(*match.span())
    return found
