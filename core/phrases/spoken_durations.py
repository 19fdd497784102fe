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

_WORD = r"[a-zß]+(?:-[a-zß]+)*(?:\s+(?:y|et|und)\s+[a-zß]+)?"  # "quarante-cinq", "cuarenta y cinco"
# A number opens the pattern and the look-behind comes after its first digit, so the regex engine skips ahead to
# digits; a minus before it is read apart (_negative).
_N = r"(?P<n>\d(?<![\w.,/]\d)(?<!\d:\d)\d*(?:[.,]\d+)?)"
_NUMBER_WORD_START = r"(?<![\w.,/\-−])"
_END = r"(?![^\W_])"

# Cheap checks before a rule runs: its words must be in the phrase at all (most phrases have none of them).
_HALVES = ("halb", "viertel", "demi", "quart", "media", "cuarto")
_MINUTE_STEMS = ("min", "mn")



@dataclass(frozen=True)
class _Rules:
    fractions: tuple[tuple[re.Pattern[str], int], ...]
    one_and_a_half: re.Pattern[str] | None
    and_a_half: re.Pattern[str] | None
    plus_part: re.Pattern[str]
    hours_minutes: re.Pattern[str]
    compact: re.Pattern[str]
    clock_hours: re.Pattern[str]
    fraction: re.Pattern[str]
    hours: re.Pattern[str]
    minutes: re.Pattern[str]
    word_hours: re.Pattern[str]
    word_minutes: re.Pattern[str]
    span: re.Pattern[str]
    lead: re.Pattern[str]
    clock: re.Pattern[str]
    units: frozenset[str]
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
    number = rf"(?:{_N}\s*|{_NUMBER_WORD_START}(?P<w>{_WORD})\s+)"
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
        plus_part=re.compile(rf"{number}?(?P<unit>{h})\s*(?:{half}){_END}"),
        hours_minutes=re.compile(rf"(?:{_N}\s*|{_NUMBER_WORD_START}(?P<w>{_WORD})\s+){h}\s*"
                                 rf"(?:{lang.idiom('and')})?\s*(?:(?P<m>\d{{1,2}})\s*|(?P<mw>{_WORD})\s+){m}"),
        compact=re.compile(rf"{_N}\s*{h}\s*(?P<m>\d{{2}})(?!\d|[.,:/]\d|\s*(?:{minutes}))(?![^\W_])"),
        clock_hours=re.compile(rf"(?P<h>\d(?<![\w.,/]\d)(?<!\d:\d)\d?):(?P<m>\d{{2}})\s*{h}"),
        fraction=re.compile(rf"(?:{_N}\s+)?(?P<a>\d(?<![\w.,/]\d))/(?P<b>[248])\s*{h}"),
        hours=re.compile(rf"{_N}\s*{h}"),
        minutes=re.compile(rf"{_N}\s*{m}"),
        word_hours=re.compile(rf"{_NUMBER_WORD_START}(?P<n>)(?P<w>{_WORD})\s+{h}"),
        word_minutes=re.compile(rf"{_NUMBER_WORD_START}(?P<n>)(?P<w>{_WORD})\s+{m}"),
        span=re.compile(
            rf"(?P<h1>\d(?<![\w.,:/\-−]\d)\d?)(?:(?:[:.]|\s*h\s*)(?P<m1>\d{{2}})(?!\d))?"
            rf"(?P<u1>\s*(?:{suffix})(?![^\W_])\.?)?\s*(?P<sep>(?<![\w])(?:{sep})(?![\w])|[-–—])\s*(?:las?\s+)?"
            + _time(2, suffix) + r"(?![\d:]|[-/.]\d)"),
        lead=re.compile(rf"(?<![\w])(?P<lead>{lang.idiom('range_lead')})\s+(?:(?:las?|den)\s+)?$"),
        clock=re.compile(
            rf"(?<![\w])(?:{lang.idiom('clock_mark')})\s+(?:(?:las?|den)\s+)?(?<![\w.,:/])(?P<h>\d{{1,2}})"
            rf"(?:(?:[:.]|\s*h\s*)(?P<m>\d{{2}}))?(?:\s*(?:{suffix})(?![^\W_])\.?)?(?![\w.,:]?\d|\s*(?:{hours}|"
            rf"{minutes}|{spans}|€|%|eur|[$£])(?![^\W_]))"),
        units=frozenset(lang.hour_words + lang.minute_words),
        needs_lead=frozenset(lang.words("range_sep_needs_lead")),
    )


def _value(lang: Language, match: re.Match[str], original: str, digits: str = "n",
           word: str = "w") -> tuple[Decimal | None, int]:
    """The number and where it starts: digits, or number words — the longest tail of the words that is a number
    ("Besprechung und zwei" is "zwei": the match then starts there)."""
    if match[digits]:
        return parse_number(match[digits]), match.start(digits)
    start, end = match.span(word)
    words = list(re.finditer(r"\S+", original[start:end]))
    for first in words:
        number = lang.number(original[start + first.start():end])
        if number is not None:
            return Decimal(number), start + first.start()
    return None, start


def _negative(text: str, start: int) -> bool | None:
    """A minus right before the number: True (a negative duration, refused); None when the number follows a
    digit and a dash ("9-11 Std.": a span of clock hours, no duration of its own); else False."""
    if start and text[start - 1] in "-−":
        if start > 1 and (text[start - 2].isalnum() or text[start - 2] in ".,"):
            return None
        return True
    return False


def _found(minutes: int, match: re.Match[str], text: str, start: int | None = None) -> FoundDuration | None:
    position = match.start() if start is None else start
    negative = _negative(text, position)
    return None if negative is None else FoundDuration(minutes=minutes, negative=negative, position=position)


def _has_word_before_unit(folded: str, units: frozenset[str]) -> bool:
    """Whether a unit word follows a word ("zwei Stunden"): only then can a number word come before a unit."""
    words = folded.split()
    return any(word.rstrip(".") in units and not words[i - 1][0].isdigit() for i, word in enumerate(words) if i)


def _span(match: re.Match[str], lead: str | None, rules: _Rules) -> list[int] | None:
    """The readings of "von 9 bis 11:30 Uhr", "de 9h à 11h30", "9-11 Uhr"; None when it is no range of times."""
    sep = match["sep"].strip()
    marked = any(match[g] for g in ("m1", "m2", "u1", "u2"))
    if not (lead or marked) and sep in "-–—":
        return None  # a bare "9-11": read last, and only when the phrase has no other duration
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

    def add(minutes: int, match: re.Match[str], start: int | None = None) -> None:
        duration = _found(minutes, match, scan.folded, start)
        if duration is not None:
            found.append(duration)
            scan.consume(match.start() if start is None else start - duration.negative, match.end())

    folded = scan.folded
    for match in rules.span.finditer(folded):
        lead = rules.lead.search(folded, max(0, match.start() - 20), match.start())
        readings = _span(match, lead["lead"] if lead else None, rules)
        if readings is not None:
            start = lead.start() if lead else match.start()
            found.extend(FoundDuration(minutes, position=start) for minutes in readings)
            scan.consume(start, match.end())
    for match in rules.clock.finditer(scan.folded):
        scan.consume(*match.span())
    if any(map(folded.__contains__, _HALVES)):
        for pattern, minutes in rules.fractions:
            for match in pattern.finditer(scan.folded):
                found.append(FoundDuration(minutes, position=match.start()))
                scan.consume(*match.span())
        for match in rules.plus_part.finditer(scan.folded):
            whole, start = _value(lang, match, original) if (match["n"] or match["w"]) else (None, match.start())
            if whole is None:  # "hora y media", "Besprechung hora y media": one hour and a half
                whole, start = Decimal(1), match.start("unit")
            add(to_minutes(whole + (Decimal("0.5") if match["half"] else Decimal("0.25"))), match, start)
    if rules.one_and_a_half is not None and "anderthalb" in folded:
        for match in rules.one_and_a_half.finditer(scan.folded):
            found.append(FoundDuration(90, position=match.start()))
            scan.consume(*match.span())
    if rules.and_a_half is not None and "einhalb" in folded:
        for match in rules.and_a_half.finditer(scan.folded):
            count = lang.number(original[match.start("w"):match.end("w")])
            if count is not None:
                found.append(FoundDuration(to_minutes(Decimal(count) + Decimal("0.5")), position=match.start()))
                scan.consume(*match.span())
    if any(map(folded.__contains__, _MINUTE_STEMS)):
        for match in rules.hours_minutes.finditer(scan.folded):
            whole, start = _value(lang, match, original)
            part, _start = _value(lang, match, original, "m", "mw")
            if whole is not None and part is not None:
                add(to_minutes(whole) + int(part), match, start)
    for match in rules.compact.finditer(scan.folded):
        if int(match["m"]) < 60:
            add(int(match["n"]) * 60 + int(match["m"]), match)
    if ":" in folded:
        for match in rules.clock_hours.finditer(scan.folded):
            add(int(match["h"]) * 60 + int(match["m"]), match)
    if "/" in folded:
        for match in rules.fraction.finditer(scan.folded):
            add(to_minutes(Decimal(match["n"] or 0) + Decimal(match["a"]) / Decimal(match["b"])), match)
    words = _has_word_before_unit(scan.folded, rules.units)
    for pattern, scale in ((rules.hours, Decimal(1)), (rules.minutes, Decimal(1) / 60),
                           *(((rules.word_hours, Decimal(1)), (rules.word_minutes, Decimal(1) / 60)) if words else ())):
        for match in pattern.finditer(scan.folded):
            value, start = _value(lang, match, original)
            if value is None:
                continue  # "Meeting Stunden": a word before the unit that is no number
            add(to_minutes(value * scale), match, start)
    return found
