"""The words of each language the phrases are read in, gathered once per language on first use.

English is the rules' own language (the patterns in durations, dates, amounts and clients are written in it and
run for every language). German, French and Spanish add their words: month and weekday names (wide and abbreviated)
from Babel, unit words, relative days and the "ago" word from dateparser's language data, number words through
text2num, and the small table of idioms in core/phrases/idioms.py. Every word is kept folded (lower case, accents
off), as the rules read a folded copy of the phrase.

Loading costs a few milliseconds a language (dateparser's data module imports dateparser); warm_up() pays it at
start, in a background thread, so no user waits for it.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from core.phrases.idioms import IDIOMS

LANGUAGES = ("en", "de", "fr", "es")
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def fold_char(char: str) -> str:
    """One character lower-cased without its accent, always one character, so positions stay put."""
    lowered = char.lower()
    if len(lowered) != 1:
        lowered = char
    if lowered.isascii():
        return lowered
    base = unicodedata.normalize("NFD", lowered)[0]
    return base if len(base) == 1 else lowered


_FOLDS = {code: fold_char(chr(code)) for code in range(0x80, 0x250) if fold_char(chr(code)) != chr(code).lower()}


def fold_text(text: str) -> str:
    """The phrase as the language rules read it: "Fünf Stunden für Café" -> "funf stunden fur cafe"."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    if len(lowered) == len(text):
        folded = lowered.translate(_FOLDS)
        if folded.isascii():
            return folded
    return "".join(fold_char(char) for char in text)


def alternation(words: Iterable[str]) -> str:
    """A regex alternative of whole words, longest first (so "stunden" is tried before "stunde")."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _folded(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold_text(word.strip(".")) for word in words if word and word.strip(".")))


@dataclass(frozen=True, eq=False)
class Language:
    """One language's words for the phrase rules, folded (one object per language: hashed by identity, so the
    rules compiled from it can be cached)."""

    code: str
    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)  # full names: alone they are a date
    weekday_abbreviations: dict[str, int] = field(default_factory=dict)  # only with a dot or a lead word
    hour_words: tuple[str, ...] = ()
    minute_words: tuple[str, ...] = ()
    day_words: tuple[str, ...] = ()
    week_words: tuple[str, ...] = ()
    month_words: tuple[str, ...] = ()
    numbers: dict[str, int] = field(default_factory=dict)
    idioms: dict[str, object] = field(default_factory=dict)
    own_words: frozenset[str] = frozenset()
    """Words of this language that are another's signature too ("hier" is German for "here")."""
    signature: frozenset[str] = frozenset()
    """Words that say a phrase is in this language (units, days, markers): a reading in another language that
    leaves one of them in its description has not understood the phrase."""

    def idiom(self, key: str) -> object:
        return self.idioms.get(key)

    def words(self, key: str) -> tuple[str, ...]:
        value = self.idioms.get(key) or ()
        return tuple(cast(Iterable[str], value))

    def number(self, word: str) -> int | None:
        """A number word ("drei", "vingt-cinq", "veintitrés", "eine") as an int, else None (text2num)."""
        folded = fold_text(word)
        if folded in self.numbers:
            return self.numbers[folded]
        if folded.isdigit():
            return int(folded)
        if not word or word[0].isdigit():
            return None
        from text_to_num import text2num

        try:
            value = text2num(word.lower(), self.code)
        except ValueError:
            return None
        return value if isinstance(value, int) and value >= 0 else None


ENGLISH = Language("en", signature=frozenset(
    ["yesterday", "yday", "today", "tonight", "hours", "hour", "hrs", "minutes", "mins", "for", "with", "ago", "last", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december", "morning", "afternoon", "evening"]))


def signature(code: str) -> frozenset[str]:
    return language(code).signature


@cache
def language(code: str) -> Language:
    """The words of ``code`` (en, de, fr, es); unknown codes read as English."""
    if code not in IDIOMS:  # English, or a code we don't read: the rules' own language
        return ENGLISH
    return _load(code)


def _load(code: str) -> Language:
    from babel import Locale
    from dateparser.data import date_translation_data

    data = __import__(f"{date_translation_data.__name__}.{code}", fromlist=["info"]).info
    babel = Locale.parse(code)
    idioms: dict[str, Any] = IDIOMS[code]  # a table of mixed shapes (words, numbers, fragments), read by key
    months: dict[str, int] = {}
    for number, key in enumerate(_MONTH_KEYS, 1):
        names = list(data.get(key, ()))
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                names.append(babel.months[context][width][number])
        for name in _folded(names):
            if len(name) >= 3:
                months[name] = number
    months.update(idioms["month_extra"])
    weekdays: dict[str, int] = {}
    abbreviations: dict[str, int] = {}
    for number in range(len(_WEEKDAY_KEYS)):
        wide = fold_text(babel.days["format"]["wide"][number])
        weekdays[wide] = number  # dateparser's other spellings ("die", "mit", "son") are ordinary words
        for name in _folded(babel.days[context][width][number] for context in ("format", "stand-alone")
                            for width in ("abbreviated", "short")):
            if name != wide and len(name) >= 2:
                abbreviations[name] = number  # Babel's "Mo.", "lun.", "mié": only with a dot or a lead word
    hour_words = _folded([*data.get("hour", ()), *idioms["hour_words"]])
    minute_words = _folded([*data.get("minute", ()), *idioms["minute_words"]])
    day_words = _folded([*data.get("day", ()), *idioms["day_words"]])
    week_words = _folded([*data.get("week", ()), *idioms["week_words"]])
    month_words = _folded([*data.get("month", ()), *idioms["month_words"]])
    relative = data.get("relative-type", {})
    idiom_days = {key: _folded([*relative.get(source, ()), *idioms[key]])
                  for key, source in (("today", "0 day ago"), ("yesterday", "1 day ago"),
                                      ("day_before", "2 day ago"))}
    future = _folded([*relative.get("in 1 day", ()), *relative.get("in 2 day", ()),
                      *idioms["future_words"]])
    vague = _folded([*relative.get("1 week ago", ()), *relative.get("0 week ago", ()),
                     *relative.get("1 month ago", ()), *relative.get("0 month ago", ()),
                     *idioms["vague_words"]])
    merged = dict(idioms)
    merged.update(idiom_days)
    merged["future_words"] = future
    merged["vague_words"] = vague
    own = _ENGLISH_WORDS
    candidates = (*hour_words, *minute_words, *(w for days in idiom_days.values() for w in days), *future,
                  *idioms["markers"][:2], *weekdays, *months,
                  # "vor 3 Tagen", "hace 3 días", "von 9 bis 11:30 Uhr": the words around a number that no English
                  # phrase holds (the range's lead word "von" is left out: it is part of names)
                  *idioms["day_words"], *idioms["week_words"], *idioms["month_words"],
                  *(word for key in ("ago_before", "ahead_before", "range_sep", "clock_suffix")
                    for word in cast(str, idioms[key]).split("|")
                    if word.isalpha() and word not in cast(tuple[str, ...], idioms["fillers"])))
    signature = frozenset(word for word in candidates if len(word) >= 3 and " " not in word and word not in own
                          and (word not in months or len(word) > 4))
    return Language(code, months, weekdays, abbreviations, hour_words, minute_words, day_words, week_words,
                    month_words, dict(idioms["numbers"]), merged,
                    frozenset(idioms["own_words"]), signature)


# English words that other languages' lists also hold ("min", "minute", "minutes", "client", "mars"):
# never a sign that a phrase is in another language.
_ENGLISH_WORDS = frozenset(
    ["min", "mins", "tag", "minute", "minutes", "hour", "hours", "h", "hr", "hrs", "client", "april", "august", "september", "october", "november", "december", "mars", "juni", "juli", "june", "july", "august", "march", "may", "sept"]
)
