"""When: "yesterday", "monday", "last friday", "2 days ago", "3 March", "Nov 18", "2026-11-02", "21.11.2026", "21/11".

Our own rules cover the common forms (dateparser costs ~28 ms a phrase); dateparser.parse is only the fallback
for rarer ones ("3 months ago", "a fortnight ago"). Rules, all relative to today in the user's timezone:
- no date is today; a weekday name is its most recent occurrence, today included ("on monday" said on a Monday
  is today); "last friday" is the most recent one before today;
- a day and month without a year is its most recent past occurrence;
- numeric dates follow the locale (day-first unless its short date pattern starts with M); a day above 12 decides
  itself; a dotted date is always day-first; where the locale doesn't decide (year-first locales) we ask;
- a future date is only taken when written in full with its year (up to a year ahead); "tomorrow",
  "next monday" and "in 3 days" are refused, since work is logged once done; "last week" is refused as not one day.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from core.i18n import N_, _, current_language
from core.phrases.languages import ENGLISH, Language
from core.phrases.numbers import NUMBER_WORD_PATTERN, parse_number
from core.phrases.readings import PhraseError
from core.phrases.scan import PhraseScan

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)}
_MONTHS.update({name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, 1)})
_MONTHS["sept"] = 9
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
             "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}

_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_WD_ANY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|tue|wed|thurs|thur|thu|fri|mon|sat|sun)"
_WD_LEAD = r"(?:\b" + _WD_ANY + r"\b\.?,?\s+)"
_WD_PREFIX = r"(?:" + _WD_LEAD + r"(?:the\s+)?)?"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:,?[\s-]*(?P<y>\d{4})(?!\d))?"
_COUNT = r"(?P<n>\d+|" + NUMBER_WORD_PATTERN + r"|an?)"
_NOT_SPACE = r"[^\s\x00]"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Patterns open with a digit, so the regex engine can skip ahead to digits; the look-behind after that first
# digit checks what stands before the number. A weekday name beside a date is read apart and set aside later.
_ISO = _compile(r"(?P<y>\d(?<![\w.\-/]\d)\d{3})(?P<s>[-/.])(?P<mo>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\w\-/]|[.,]\d)")
_NUMERIC = _compile(
    r"(?P<a>\d(?<![\w.,:/\-−]\d)\d?)(?P<s>[./-])(?P<b>\d{1,2})(?:(?P=s)(?P<y>\d{4}|\d{2}))?"
    r"(?P<dot>\.)?(?![\w/\-]|[.,]\d)"
)
_ON_BEFORE = re.compile(r"\b(?:on|since|am)\s+$", re.IGNORECASE)
_DAY_MONTH = _compile(r"(?P<d>\d(?<!\w\d)\d?)" + _ORD + r"(?:\s+of)?(?:\s*|-)" + _MONTH + _YEAR)
_MONTH_DAY = _compile(r"\b" + _WD_PREFIX + _MONTH + r"\s*(?:the\s+)?(?P<d>\d{1,2})" + _ORD + r"(?![\d:])\b" + _YEAR)
_ORDINALS = (
    _compile(r"\b(?:on\s+" + _WD_LEAD + r"?(?:the\s+)?|" + _WD_LEAD + r"(?:the\s+)?|(?P<bare>the)\s+)"
             r"(?P<d>\d{1,2})(?P<ord>st|nd|rd|th)\b(?!\s*of\b)"),
    _compile(r"\bon\s+" + _WD_LEAD + r"?the\s+(?P<d>\d{1,2})(?P<ord>)\b(?![.,:/]\d)"),
)
# "review of the 3rd chapter": a bare "the 3rd" before a word of the description counts things, it is no date.
_COUNTS_A_THING = re.compile(r"\s+(?!(?:for|with|w|at|in|on|and|from|to|of|by|or)\b)[a-z]")
# "prep for tomorrow's demo", "numbers of last week": a day the work was about, not the day it was done.
_ABOUT_ANOTHER_DAY = r"(?<!for )(?<!before )(?<!until )(?<!till )(?<!by )(?<!of )(?<!from )"
_RELATIVE = _compile(
    r"\b(?:(?P<m2>(?:the\s+)?day\s+before\s+yesterday)"
    r"|(?P<m1>(?:yesterday|yday|yest|ystrdy)(?:\s+(?:morning|afternoon|evening|night))?|last\s+night)"
    r"|(?P<p0>today|tonight|tonite|earlier\s+today|this\s+(?:morning|afternoon|evening))"
    r"|" + _ABOUT_ANOTHER_DAY + r"(?P<future>tomorrow|tmrw|tmr|next\s+(?:" + _WD_ANY + r"|week|month|year)"
    r"|in\s+(?:\d+|" + NUMBER_WORD_PATTERN + r"|an?)\s+(?:days?|weeks?))(?!['’]s)"
    r"|(?P<lwwd>" + _WD_ANY + r")\s+(?:of\s+)?last\s+week|last\s+week(?:['’]s)?\s+(?P<lwwd2>" + _WD_ANY + r")"
    r"|" + _ABOUT_ANOTHER_DAY + r"(?P<vague>(?:last|this|past|previous)\s+(?:week|month|year)(?!['’]s)"
    r"|(?:a\s+)?few\s+days\s+ago)"
    r"|" + _COUNT + r"\s+(?P<unit>days?|weeks?)\s+ago"
    r"|(?P<last>last|this\s+past|past|previous)\s+(?P<lwd>" + _WD_ANY + r"))\b"
)
_WEEKDAY = _compile(
    r"\b(?:(?:on|this)\s+(?P<wd1>" + _WD_ANY + r")"
    r"|(?<!next )(?P<wd2>monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|tue|wed|thurs|thur|thu|fri|mon)"
    r"|(?P<wd3>sat|sun)(?=\.?,?\s*\x00)"  # bare only against a date taken out ("Sat 21 Nov"): else a verb, a star
    r")\b\.?"
)
_FALLBACK = _compile(
    r"\b(?:" + _COUNT + r"\s+(?:months?|years?|fortnights?)\s+ago|a\s+fortnight\s+ago"
    r"|(?:(?<!" + _NOT_SPACE + r")" + _NOT_SPACE + r"{0,6}\d" + _NOT_SPACE + r"{0,6}\s+)?(?:of\s+)?" + _MONTH
    + r"(?:\s+" + _NOT_SPACE + r"{0,6}\d" + _NOT_SPACE + r"{0,6}(?!" + _NOT_SPACE + r"))?)"
)
_MONTH_HINTS = tuple(name[:3].lower() for name in MONTH_NAMES)
_WEEKDAY_HINTS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RELATIVE_HINTS = ("yest", "yday", "ystrdy", "night", "day", "week", "toni", "tomorrow", "tmr", "next", "last",
                   "this", "past", "previous", "ago")
FUTURE = N_("I only log work that is done — for a later day, give the full date, like 2026-12-01.")
NOT_ONE_DAY = N_("“{words}” isn't one day — say which, like “last tuesday” or “3 March”.")


@dataclass(frozen=True)
class FoundDate:
    """A date as found: ``readings`` has two dates when a numeric date reads both ways; ``weekday`` is set for
    a bare weekday name, so it can stand aside when the same phrase also gives that weekday's full date."""

    readings: tuple[date, ...]
    weekday: int | None = None
    position: int = 0  # where it starts in the phrase, so a question lists dates in the order typed
    note: str | None = None  # "ahead" or "long_ago": the readings are the day as typed and the one meant instead


@lru_cache(maxsize=128)
def date_order(locale: str) -> str:
    """"dmy", "mdy" or "ymd" from the locale's short date pattern (babel); unknown locales read day-first."""
    from babel.core import Locale, UnknownLocaleError

    try:
        name = locale.split(".")[0].split("@")[0].replace("-", "_")  # "en_US.UTF-8", "de-DE"
        pattern = Locale.parse(name).date_formats["short"].pattern
    except (ValueError, TypeError, KeyError, AttributeError, UnknownLocaleError):
        return "dmy"
    for char in pattern:
        if char in "dMy":
            return {"d": "dmy", "M": "mdy", "y": "ymd"}[char]
    return "dmy"


@lru_cache(maxsize=512)
def zone_order(zone: str) -> str:
    """The numeric date order of the timezone's country when no locale was chosen: its official languages'
    short date pattern (Babel's CLDR data). "ask" where there is no country (UTC) or they disagree (Canada).
    """
    from babel.core import get_global

    territory = get_global("zone_territories").get(zone)
    languages = get_global("territory_languages").get(territory or "", {})
    official = [code for code, facts in languages.items()
                if facts.get("official_status") in ("official", "de_facto_official")]
    orders = {date_order(f"{code}_{territory}") for code in official}
    return orders.pop() if len(orders) == 1 and "ymd" not in orders else "ask"


def format_day_and_month(day: date, today: date) -> str:
    """ "3 April" as a phrase question names a day, with the year when it isn't this year's ("3 April 2025"), in the
    language the bot is answering in; a reply naming a task's date uses :func:`core.accounts.format_date`."""
    language = current_language()
    if language != "en":
        return _localised_date(day, language, day.year != today.year)
    label = f"{day.day} {MONTH_NAMES[day.month - 1]}"
    return label if day.year == today.year else f"{label} {day.year}"


@lru_cache(maxsize=1024)
def _localised_date(day: date, language: str, with_year: bool) -> str:
    from babel.dates import format_skeleton

    return format_skeleton("yMMMMd" if with_year else "MMMMd", day, locale=language)


class NoSuchDate(PhraseError):
    """A date that isn't in the calendar (31 November): a refusal about the date itself, so a command that reads a
    date with this parser (/paid … DATE, until) passes it on as it is."""


def _impossible(day: int, month: int, year: int | None = None) -> PhraseError:
    if 1 <= month <= 12:
        shown = f"{day} {MONTH_NAMES[month - 1]}" + (f" {year}" if year else "")
    else:
        shown = f"{day}/{month}" + (f"/{year}" if year else "")
    return NoSuchDate(_("{date} isn't a date — check the day and month.").format(date=shown))


def _exists(day: int, month: int, year: int | None) -> bool:
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 29 February exists without a year
    except ValueError:
        return False
    return True


def dated(day: int, month: int, year: int | None, today: date) -> tuple[tuple[date, ...], str | None]:
    """The day a date names, with a note when it is not to be taken silently (SPEC §5).

    Without a year: its most recent past occurrence — unless this year's lies ahead, then both, "ahead". With a
    year: the day itself; one that lies ahead (up to a year) or before last year comes with this year's or last
    year's same day as the other reading, "ahead" or "long_ago"; a day more than a year ahead or before 1900 is
    refused. Impossible dates are refused.
    """
    if not _exists(day, month, year):
        raise _impossible(day, month, year)
    if year is not None:
        found = date(year, month, day)
        if found > today + timedelta(days=366):
            raise PhraseError(_("{day} is more than a year ahead — check the year.").format(
                day=format_day_and_month(found, today)))
        if year < 1900:
            raise PhraseError(_("{day} isn't a year I can log work in — check the year.").format(
                day=format_day_and_month(found, today)))
        if found > today:
            return (found, *_earlier(day, month, year - 1)), "ahead"
        if year < today.year - 1:
            return (found, _most_recent(day, month, today)), "long_ago"
        return (found,), None
    if _exists(day, month, today.year) and (this_year := date(today.year, month, day)) > today:
        return (this_year, *_earlier(day, month, today.year - 1)), "ahead"
    return (_most_recent(day, month, today),), None


def _earlier(day: int, month: int, year: int) -> tuple[date, ...]:
    """The same day in an earlier year, if that year has it (29 February)."""
    return (date(year, month, day),) if _exists(day, month, year) else ()


def _most_recent(day: int, month: int, today: date) -> date:
    for candidate_year in range(today.year, today.year - 9, -1):
        if _exists(day, month, candidate_year) and (found := date(candidate_year, month, day)) <= today:
            return found
    raise _impossible(day, month)  # unreachable: 29 February comes round within eight years


def _full_year(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def _numeric_readings(match: re.Match[str], order: str, today: date) -> tuple[tuple[date, ...], str | None]:
    """Both orders of "03/04" unless the order decides ("dmy", "mdy"; "ask" keeps both); a dotted date is day-first."""
    a, b, year = int(match["a"]), int(match["b"]), _full_year(match["y"])
    if match["s"] == ".":
        order = "dmy"  # dotted dates are a day-first habit wherever they are typed
    day_first = (a, b) if _exists(a, b, year) else None
    month_first = (b, a) if _exists(b, a, year) else None
    if day_first is None and month_first is None:
        raise NoSuchDate(_("“{date}” isn't a date — check the day and month.").format(date=match.group(0).strip()))
    if day_first and month_first and a != b:
        if order == "dmy":
            month_first = None
        elif order == "mdy":
            day_first = None
    readings: list[date] = []
    note = None
    for pair in (day_first, month_first):
        if pair is not None:
            days, pair_note = dated(pair[0], pair[1], year, today)
            readings += days
            note = note or pair_note
    return tuple(dict.fromkeys(readings)), note


def weekday_date(today: date, weekday: int, strictly_before: bool) -> date:
    back = (today.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return today - timedelta(days=back)


def day_of_month(day: int, today: date) -> date:
    """ "the 5th": the most recent past month that has that day."""
    year, month = today.year, today.month
    while not (_exists(day, month, year) and date(year, month, day) <= today):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return date(year, month, day)


def read_with_dateparser(fragment: str, now_local: datetime) -> date | None:
    """dateparser for the rarer forms; its import and first call are paid in warm_up(), off the request path."""
    import dateparser

    parsed = dateparser.parse(
        fragment, languages=["en"],
        settings={"RELATIVE_BASE": now_local.replace(tzinfo=None), "PREFER_DATES_FROM": "past",
                  "RETURN_AS_TIMEZONE_AWARE": False},
    )
    return parsed.date() if parsed is not None else None


def take_dates(scan: PhraseScan, now_local: datetime, order: str, lang: Language = ENGLISH) -> list[FoundDate]:
    """Every date in the phrase, consumed; impossible, future or vague ones are refused with a PhraseError.

    ``order`` reads numeric dates ("dmy", "mdy", or "ask" for both readings). The language's own words go first
    (core/phrases/spoken_dates.py), then the rules every language shares."""
    today = now_local.date()
    found: list[FoundDate] = []

    def add(match: re.Match[str], *readings: date, weekday: int | None = None, note: str | None = None) -> None:
        found.append(FoundDate(tuple(readings), weekday, match.start(), note))
        scan.consume(*match.span())

    if lang.code != "en":
        from core.phrases.spoken_dates import take_spoken_dates

        found.extend(take_spoken_dates(scan, today, lang))

    numeric = scan.mentions("-", ".", "/")
    months = scan.mentions(*_MONTH_HINTS)
    for match in _ISO.finditer(scan.text) if numeric else ():
        days, note = dated(int(match["d"]), int(match["mo"]), int(match["y"]), today)
        add(match, *days, note=note)
    for match in _NUMERIC.finditer(scan.text) if numeric else ():
        dotted_without_year = match["s"] == "." and not match["y"]
        after_on = dotted_without_year and _ON_BEFORE.search(scan.text, 0, match.start()) is not None
        if (match["s"] == "-" and not match["y"]) or (
                dotted_without_year and not (match["dot"] or after_on or len(match["b"]) == 2)):
            continue  # "9-11" or "2.5" alone are too likely something else to be read as a date; "21.11" is one
        days, note = _numeric_readings(match, order, today)
        add(match, *days, note=note)
    for pattern in (_DAY_MONTH, _MONTH_DAY) if months else ():
        for match in pattern.finditer(scan.text):
            days, note = dated(int(match["d"]), _MONTHS[match["mon"].lower()], _full_year(match["y"]), today)
            add(match, *days, note=note)
    for pattern in _ORDINALS if scan.mentions("st", "nd", "rd", "th") else ():
        for match in pattern.finditer(scan.text):
            if match.groupdict().get("bare") and _COUNTS_A_THING.match(scan.text, match.end()):
                continue
            day = int(match["d"])
            if not 1 <= day <= 31:
                raise PhraseError(_("The {day} isn't a day of the month.").format(day=match["d"] + match["ord"]))
            add(match, day_of_month(day, today))
    for match in _RELATIVE.finditer(scan.text) if scan.mentions(*_RELATIVE_HINTS) else ():
        if match["future"]:
            raise PhraseError(_(FUTURE))
        if match["vague"]:
            raise PhraseError(_(NOT_ONE_DAY).format(words=match["vague"]))
        if match["lwwd"] or match["lwwd2"]:
            last_monday = today - timedelta(days=today.weekday() + 7)
            add(match, last_monday + timedelta(days=_WEEKDAYS[(match["lwwd"] or match["lwwd2"]).lower()]))
        elif match["m2"]:
            add(match, today - timedelta(days=2))
        elif match["m1"]:
            add(match, today - timedelta(days=1))
        elif match["p0"]:
            add(match, today)
        elif match["unit"]:
            count = parse_number(match["n"])
            if count is None or count > 3660:
                raise PhraseError(_("I couldn't read “{words}” — write it like “2 days ago”.").format(
                    words=match.group(0)))
            back = int(count) * (7 if match["unit"].lower().startswith("w") else 1)
            add(match, today - timedelta(days=back))
        else:
            add(match, weekday_date(today, _WEEKDAYS[match["lwd"].lower()], strictly_before=True))
    for match in _WEEKDAY.finditer(scan.text) if scan.mentions(*_WEEKDAY_HINTS) else ():
        weekday = _WEEKDAYS[(match["wd1"] or match["wd2"] or match["wd3"]).lower()]
        add(match, weekday_date(today, weekday, strictly_before=False), weekday=weekday)
    for match in _FALLBACK.finditer(scan.text) if months or scan.mentions("ago") else ():
        fragment = match.group(0).strip()
        digits = re.findall(r"\d+", fragment)
        if not digits and not fragment.lower().endswith("ago"):
            continue  # "march planning", "may": a month word alone is no date
        if len(digits) == 1 and len(digits[0]) == 4:
            raise PhraseError(_("“{words}” isn't one day — say which, like “3 March” or “2026-03-03”.").format(
                words=fragment))
        parsed = read_with_dateparser(fragment, now_local)
        if parsed is None:
            raise PhraseError(_("I couldn't read the date “{words}” — write it like 3 March or 2026-11-02.").format(
                words=fragment))
        if parsed > today:
            raise PhraseError(_(FUTURE))
        add(match, parsed)
    return sorted(found, key=lambda day: day.position)
