"""When, in German, French and Spanish words: "gestern", "avant-hier", "anteayer", "letzten Freitag", "vendredi
dernier", "el viernes pasado", "vor 3 Tagen", "il y a 2 semaines", "hace 3 días", "am 3. März", "le 1er nov",
"el 18 de noviembre", "am 18.", "le 18".

The same rules as English (core/phrases/dates.py), read on the folded phrase before the rules every language
shares (numeric and ISO dates): a weekday is its most recent occurrence, today included; "last" is the one before
today; a day and month that lie ahead ask; "morgen", "demain", "mañana", "nächsten Montag", "dans 3 jours" are
refused, and so are vague spans ("letzte Woche").
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from core.i18n import _
from core.phrases.dates import FUTURE, NOT_ONE_DAY, FoundDate, dated, day_of_month, weekday_date
from core.phrases.languages import Language, alternation
from core.phrases.readings import PhraseError
from core.phrases.scan import PhraseScan

# "Vorbereitung für morgen", "prep pour demain": a day the work was about, not the day it was done.
_ABOUT = r"(?<!fur )(?<!fuer )(?<!pour )(?<!para )(?<!bis )(?<!avant )(?<!antes de )"



def _words(words: Iterable[str]) -> str:
    """Whole words; a space inside may be any run of spaces, a hyphen or an apostrophe may be left out."""
    return alternation(words).replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]?").replace("'", "['’]?")


def _stems(*patterns: object) -> tuple[str, ...] | None:
    """The literal words the alternatives of idiom patterns open with ("vor", "il", "hace"), to skip a rule whose
    words are not in the phrase at all; None when one opens with no word of two letters (then it always runs)."""
    stems = []
    for pattern in patterns:
        if not pattern:
            continue
        for alternative in str(pattern).split("|"):
            word = re.match(r"[a-z]+", alternative.strip("(?:"))
            if not word or len(word.group()) < 2:
                return None
            stems.append(word.group())
    return tuple(dict.fromkeys(stems))


def _wanted(folded: str, stems: tuple[str, ...] | None) -> bool:
    return stems is None or any(map(folded.__contains__, stems))


_WORDS = re.compile(r"[a-zß]+")


@dataclass(frozen=True)
class _Rules:
    stems: dict[str, tuple[str, ...] | None]
    weekday_words: frozenset[str]  # a rule about weekdays runs only when one of these is a word of the phrase
    relative_words: frozenset[str]
    month_words: frozenset[str]
    relative: re.Pattern[str]
    ago: re.Pattern[str]
    ahead: re.Pattern[str]
    last: re.Pattern[str]
    last_week_day: re.Pattern[str]
    next_day: re.Pattern[str]
    weekday: re.Pattern[str]
    weekday_day: re.Pattern[str]
    day_month: re.Pattern[str]
    the_day: re.Pattern[str]


@cache
def _rules(lang: Language) -> _Rules:
    abbreviation = alternation(lang.weekday_abbreviations)
    wd = alternation(lang.weekdays) + (rf"|(?:{abbreviation})\.(?!\w)" if abbreviation else "")  # "letzten Mo."
    bare = alternation(name for name in lang.weekday_abbreviations if len(name) >= 3 or lang.code == "de")
    months = alternation(lang.months)
    units = alternation(lang.day_words + lang.week_words + lang.month_words)
    count = r"(?P<n>\d{1,4}|[a-z]+(?:-[a-z]+)?)"
    lead = str(lang.idiom("weekday_lead"))
    last_before = lang.idiom("last")
    last_after = lang.idiom("last_after")
    next_before, next_after = lang.idiom("next"), lang.idiom("next_after")
    last_forms = [rf"(?:{last_before})\s+(?:{lead}\s+)?(?P<wd1>{wd})"] if last_before else []
    if last_after:
        last_forms.append(rf"(?:(?:{lead})\s+)?(?P<wd2>{wd})\s+(?:{last_after})")
    next_forms = [rf"(?:(?:{lead})\s+)?(?:{next_before})\s+(?:{wd})"] if next_before else []
    if next_after:
        next_forms.append(rf"(?:(?:{lead})\s+)?(?:{wd})\s+(?:{next_after})")
    relative = {"today": lang.words("today"), "yesterday": lang.words("yesterday"),
                "before": lang.words("day_before"), "future": lang.words("future_words"),
                "vague": lang.words("vague_words")}
    groups = "|".join(
        (rf"{_ABOUT}(?P<{name}>{_words(words)})" if name == "future" else rf"(?P<{name}>{_words(words)})")
        for name, words in relative.items() if words)
    stems = {"next": _stems(next_before, next_after), "last": _stems(last_before, last_after),
             "ago": _stems(lang.idiom("ago_before")), "ahead": _stems(lang.idiom("ahead_before")),
             "last_week": _stems(lang.idiom("of_last_week"))}
    first_words = {word.group() for words in relative.values() for phrase in words
                   if (word := _WORDS.match(phrase)) is not None}
    return _Rules(
        stems=stems,
        weekday_words=frozenset(lang.weekdays) | frozenset(lang.weekday_abbreviations),
        relative_words=frozenset(first_words),
        month_words=frozenset(lang.months),
        relative=re.compile(rf"(?<![\w'’-])(?:{groups})(?![\w'’-])"),
        ago=re.compile(rf"(?<![\w'’])(?:{lang.idiom('ago_before')})\s+{count}\s+(?P<unit>{units})(?![\w])\.?"),
        ahead=re.compile(rf"{_ABOUT}(?<![\w'’])(?:{lang.idiom('ahead_before')})\s+(?:\d{{1,4}}|[a-z]+)\s+"
                         rf"(?:{units})(?![\w])"),
        last=re.compile(rf"(?<![\w])(?:{'|'.join(last_forms)})(?![\w])"),
        last_week_day=re.compile(rf"(?<![\w])(?:{lead}\s+)?(?P<wd>{wd})\s+(?:{lang.idiom('of_last_week')})"
                                 rf"(?![\w])"),
        next_day=re.compile(rf"(?<![\w])(?:{'|'.join(next_forms)})(?![\w])"),
        weekday=re.compile(rf"(?<![\w])(?:(?:{lead})\s+)?(?:(?P<wd>{wd})(?![\w])"
                           rf"|(?<=\s)(?P<ab2>{abbreviation})(?=\s*,?\s*\d)"
                           rf"|(?<=\s)(?P<ab3>{bare})(?=[\s.!]*$)(?<!\sso))"),
        weekday_day=re.compile(rf"(?<![\w])(?:(?:{lead})\s+)?(?P<wd>{wd})(?<![.])\s+(?P<d>\d{{1,2}})(?:er|\.)?"
                               r"(?![\d:.,/]\d|\w|\s*(?:h|uhr|heures?|horas?|min)(?![\w]))"),
        day_month=re.compile(
            rf"(?<![\w.,:/])(?:(?:am|le|el|el\s+dia|du|del)\s+)?(?P<d>\d{{1,2}})(?:\.|er|ero|º|°|e)?\s*"
            rf"(?:de\s+)?(?P<mon>{months})(?![\w])\.?(?:,?\s*(?:de\s+|del\s+)?(?P<y>\d{{4}})(?!\d))?"
            + (rf"(?:\s+(?:{last_after})(?![\w]))?" if last_after else "")),  # "le 20 novembre dernier"
        the_day=re.compile(
            r"(?<![\w])(?:am\s+(?P<d1>\d{1,2})\.(?![\d\w])|(?:le|el|el\s+dia)\s+(?P<d2>\d{1,2})(?:er)?"
            r"(?!\s*[\d:.,/%€$£h]|\s*(?:uhr|heures?|horas?|min|euros?)(?![\w])|[\w]))"),
    )


def take_spoken_dates(scan: PhraseScan, today: date, lang: Language) -> list[FoundDate]:
    """Every date in the language's words, consumed; a future, vague or impossible one refused."""
    rules = _rules(lang)
    found: list[FoundDate] = []

    def add(match: re.Match[str], *readings: date, weekday: int | None = None, note: str | None = None) -> None:
        found.append(FoundDate(tuple(readings), weekday, match.start(), note))
        scan.consume(*match.span())

    folded = scan.folded
    words = set(_WORDS.findall(folded))  # the rules below run only when their words are there at all
    weekdays = bool(words & rules.weekday_words)
    for match in rules.day_month.finditer(scan.folded) if words & rules.month_words else ():
        year = int(match["y"]) if match["y"] else None
        days, note = dated(int(match["d"]), lang.months[match["mon"]], year, today)
        add(match, *days, note=note)
    for match in rules.weekday_day.finditer(scan.folded) if weekdays else ():  # "lundi 23": asked if they disagree
        found.append(FoundDate((weekday_date(today, _weekday(lang, match["wd"]), strictly_before=False),),
                               _weekday(lang, match["wd"]), match.start()))
        add(match, day_of_month(int(match["d"]), today))
    if weekdays and _wanted(folded, rules.stems["next"]) and rules.next_day.search(scan.folded):
        raise PhraseError(_(FUTURE))
    for match in (rules.last_week_day.finditer(scan.folded)
                  if weekdays and _wanted(folded, rules.stems["last_week"]) else ()):
        last_monday = today - timedelta(days=today.weekday() + 7)
        add(match, last_monday + timedelta(days=_weekday(lang, match["wd"])))
    for match in rules.last.finditer(scan.folded) if weekdays and _wanted(folded, rules.stems["last"]) else ():
        groups = match.groupdict()
        weekday = _weekday(lang, groups.get("wd1") or groups["wd2"])
        add(match, weekday_date(today, weekday, strictly_before=True))
    for match in rules.relative.finditer(scan.folded) if words & rules.relative_words else ():
        if match["future"]:
            raise PhraseError(_(FUTURE))
        if match["vague"]:
            raise PhraseError(_(NOT_ONE_DAY).format(words=scan.original[match.start():match.end()]))
        back = 0 if match["today"] else 1 if match["yesterday"] else 2
        add(match, today - timedelta(days=back))
    for match in rules.ago.finditer(scan.folded) if _wanted(folded, rules.stems["ago"]) else ():
        count = lang.number(scan.original[match.start("n"):match.end("n")])
        if count is None:
            continue
        add(match, _back(today, count, match["unit"], lang))
    if _wanted(folded, rules.stems["ahead"]) and rules.ahead.search(scan.folded):
        raise PhraseError(_(FUTURE))
    for match in rules.weekday.finditer(scan.folded) if weekdays else ():
        weekday = _weekday(lang, match["wd"] or match["ab2"] or match["ab3"])
        add(match, weekday_date(today, weekday, strictly_before=False), weekday=weekday)
    for match in rules.the_day.finditer(scan.folded) if words & {"am", "le", "el"} else ():
        day = int(match["d1"] or match["d2"])
        if not 1 <= day <= 31:
            raise PhraseError(_("The {day} isn't a day of the month.").format(day=day))
        add(match, day_of_month(day, today))
    return found


def _weekday(lang: Language, name: str) -> int:
    name = name.rstrip(".")
    return lang.weekdays[name] if name in lang.weekdays else lang.weekday_abbreviations[name]


def _back(today: date, count: int, unit: str, lang: Language) -> date:
    if count > 3660:
        raise PhraseError(_("That is too long ago to log — give the date, like 2026-03-02."))
    if unit in lang.week_words:
        return today - timedelta(days=7 * count)
    if unit in lang.month_words:
        month = today.month - count
        year = today.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        for day in range(today.day, 27, -1):
            try:
                return date(year, month, day)
            except ValueError:
                continue
        return date(year, month, 28)
    return today - timedelta(days=count)
