"""The parse entry: reads a work phrase into a ParsedWork, refuses it with a reason, or asks which reading is meant.

Each part is taken out of the phrase in an order that keeps the readings apart: money first ("@ 120/h" would
otherwise look like a client, "€500" like a number), then durations and times of day, then dates, then clients;
what is left is the description.

A phrase is read in the user's language first (the language of the locale they chose, else the language they
speak to the bot in, else English); when that reading fails, or leaves in its description words that are another
language's (units, days, client markers), it is read in those languages too. One reading is taken; two that
differ make a question. A message may hold several entries (core/phrases/entries.py).
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from core.errors import UserError
from core.i18n import N_, _, current_language, format_minutes, language_of
from core.phrases.amounts import Price, Rate, take_prices, take_rates
from core.phrases.clients import FoundClients, take_clients
from core.phrases.dates import FoundDate, date_order, format_day_and_month, read_with_dateparser, take_dates, zone_order
from core.phrases.descriptions import describe
from core.phrases.durations import FoundDuration, take_durations
from core.phrases.entries import share_context, split_message
from core.phrases.languages import LANGUAGES, Language, fold_text, language, signature
from core.phrases.readings import MAX_PHRASE_LENGTH, AmbiguousPhrase, Choice, ParsedWork, PhraseError
from core.phrases.scan import PhraseScan, normalise_text

MAX_HOURS = 24
MAX_CHOICES = 12
NO_DURATION = N_("I couldn't find how long you worked — add a duration like 2h or 45m.")
_WORD_PARTS = re.compile(r"[-'.,;:!?()\[\]]+")
_LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}


def _duration_options(found: list[FoundDuration]) -> tuple[list[int], bool]:
    """Distinct durations to choose from, and whether a bare "1:30" (maybe a time of day) is among several."""
    if any(d.negative for d in found):
        raise PhraseError(_("A duration can't be negative — write how long you worked, like 1h or 30m."))
    for duration in found:
        if duration.minutes <= 0:
            raise PhraseError(_("The duration must be more than zero — write how long you worked, like 1h or 30m."))
        if duration.minutes > MAX_HOURS * 60:
            raise PhraseError(_("{duration} is more than {hours} hours in one entry — log each day on its own.").format(
                duration=format_minutes(duration.minutes), hours=MAX_HOURS))
    options = list(dict.fromkeys(d.minutes for d in found))
    return options, len(options) > 1 and any(d.clock for d in found)


def _date_options(found: list[FoundDate], today: date) -> tuple[list[date], str | None]:
    """Distinct dates, and the note of a date not to be taken silently ("ahead", "long_ago"); a weekday name
    standing next to that weekday's full date ("Tue 17 Nov") is no second date."""
    explicit = [day for f in found if f.weekday is None for day in f.readings]
    kept = [f for f in found if f.weekday is None or not any(d.weekday() == f.weekday for d in explicit)]
    options = list(dict.fromkeys(day for f in kept for day in f.readings))
    note = next((f.note for f in kept if f.note), None)
    return options or [today], note


def _merged(first: FoundClients, second: FoundClients) -> FoundClients:
    """Both passes' clients: those named in each pass if any are common, else all of them (and we ask)."""
    if not (first.names and second.names):
        return FoundClients(first.names or second.names, None if first.names else second.unknown)
    common = tuple(name for name in first.names if name in second.names)
    return FoundClients(common or tuple(dict.fromkeys(first.names + second.names)), None)


def _distinct_rates(found: list[Rate]) -> list[Rate]:
    """One rate per amount, with the currency written with it if any writing of it had one."""
    by_amount: dict[Decimal, Rate] = {}
    for rate in found:
        if rate.amount not in by_amount or by_amount[rate.amount].currency is None:
            by_amount[rate.amount] = rate
    return list(by_amount.values())


def _price_label(price: Price) -> str:
    return f"{price.amount} {price.currency}"


def _full_date(day: date) -> str:
    return format_day_and_month(day, date(1, 1, 1))


def _question(kind: str, labels: list[str], clock: bool, dates: list[date], note: str | None, today: date) -> str:
    from babel.lists import format_list

    listed = format_list(labels, style="or", locale=current_language())
    if kind == "minutes" and clock:
        return _("How long did you work — {options}? (A time like 1:30 could also be when you started.)").format(
            options=listed)
    if kind == "minutes":
        return _("How long did you work — {options}?").format(options=listed)
    if kind == "work_date" and note == "ahead" and len(dates) == 2:
        return _("{day} is ahead — log it for {typed}, or did you mean last year?").format(
            day=format_day_and_month(dates[0], dates[0]), typed=_full_date(dates[0]))
    if kind == "work_date" and note == "long_ago" and len(dates) == 2:
        return _("{typed} is long ago — log it for {typed}, or did you mean {recent}?").format(
            typed=_full_date(dates[0]), recent=format_day_and_month(dates[1], today))
    return {
        "work_date": _("Which day do you mean — {options}?"),
        "client": _("Which client do you mean — {options}?"),
        "price": _("Which price do you mean — {options}?"),
        "rate": _("Which rate do you mean — {options}?"),
    }[kind].format(options=listed)


def _read(text: str, now: datetime, tz: ZoneInfo, clients: tuple[str, ...], order: str, lang: Language) -> ParsedWork:
    """One entry read in one language: a ParsedWork, or PhraseError / AmbiguousPhrase."""
    if len(text) > MAX_PHRASE_LENGTH:
        raise PhraseError(_("That is {length} characters — a work entry can be at most {limit}. "
                            "Send one entry a message.").format(length=len(text), limit=MAX_PHRASE_LENGTH))
    normalised = normalise_text(text)
    if not normalised.strip():
        raise PhraseError(_("Tell me what you worked on, e.g. “2h logo design for ACME yesterday”."))
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now_local = now.astimezone(tz)
    today = now_local.date()
    scan = PhraseScan(normalised)
    look_alikes = take_clients(scan, clients, look_alike_only=True, lang=lang)
    rates = _distinct_rates(take_rates(scan, lang))
    prices = list(dict.fromkeys(take_prices(scan, lang)))
    minutes, clock = _duration_options(take_durations(scan, lang))
    found_dates = take_dates(scan, now_local, order, lang)
    dates, note = _date_options(found_dates, today)
    found_clients = _merged(look_alikes, take_clients(scan, clients, lang=lang))
    description = describe(scan.text, lang)
    if not minutes and not prices:
        raise PhraseError(_(NO_DURATION))
    if len(found_clients.names) > MAX_CHOICES:
        shown = ", ".join(found_clients.names[:3])
        raise PhraseError(_("That fits {count} clients ({names}, …) — type more of the name.").format(
            count=len(found_clients.names), names=shown))

    full = note is not None  # a question about the year shows every year
    dimensions: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = [
        ("minutes", [(_("{duration} of work").format(duration=format_minutes(m)), {"minutes": m}) for m in minutes]
         or [("", {"minutes": None})]),
        ("price", [(_price_label(p), {"amount": p.amount, "currency": p.currency}) for p in prices]
         or [("", {"amount": None, "currency": None})]),
        ("rate", [(f"{r.amount}/h", {"rate": r.amount, "rate_currency": r.currency}) for r in rates]
         or [("", {"rate": None})]),
        ("work_date", [(_full_date(d) if full else format_day_and_month(d, today), {"work_date": d}) for d in dates]),
        ("client", [(name, {"client": name}) for name in found_clients.names] or [("", {"client": None})]),
    ]
    base: dict[str, Any] = {"unknown_client": found_clients.unknown, "description": description, "dated": bool(found_dates)}
    ambiguous = [(kind, options) for kind, options in dimensions if len(options) > 1]
    if not ambiguous:
        fields = dict(base)
        for _kind, options in dimensions:
            fields.update(options[0][1])
        return ParsedWork(**fields)
    combos = list(itertools.islice(itertools.product(*(options for _kind, options in dimensions)), MAX_CHOICES + 1))
    if len(combos) > MAX_CHOICES:
        raise PhraseError(_("That reads too many ways for me — send one entry with one duration, date and client."))
    choices = []
    for combo in combos:
        fields = dict(base)
        for _label, values in combo:
            fields.update(values)
        label = " · ".join(lbl for (kind, options), (lbl, _values) in zip(dimensions, combo, strict=True) if len(options) > 1)
        choices.append(Choice(label, ParsedWork(**fields)))
    question = " ".join(_question(kind, [lbl for lbl, _values in options], clock, dates, note, today)
                        for kind, options in ambiguous)
    raise AmbiguousPhrase(question, tuple(choices))


def _leftover(outcome: ParsedWork | AmbiguousPhrase | PhraseError, text: str) -> set[str]:
    """The words a reading did not understand: its description's (or the whole phrase's, if it failed)."""
    if isinstance(outcome, AmbiguousPhrase):
        outcome = outcome.choices[0].reading
    left = outcome.description if isinstance(outcome, ParsedWork) else text
    if not left:
        return set()
    words = set(fold_text(left).replace("’", "'").split())
    return words | {part for word in words for part in _WORD_PARTS.split(word)}  # "demi-heure": "heure"


def _foreign(words: set[str], code: str) -> list[str]:
    """The other languages whose own words are among ``words`` (the words ``code`` shares with them aside:
    "hier" is German too)."""
    words = words - language(code).own_words
    return [other for other in LANGUAGES if other != code and words & signature(other)]


def _attempt(text: str, now: datetime, tz: ZoneInfo, clients: tuple[str, ...], order: str,
             code: str) -> ParsedWork | AmbiguousPhrase | PhraseError:
    try:
        return _read(text, now, tz, clients, order, language(code))
    except AmbiguousPhrase as question:
        return question
    except PhraseError as refusal:
        return refusal


def _same(first: ParsedWork | AmbiguousPhrase, second: ParsedWork | AmbiguousPhrase) -> bool:
    if isinstance(first, ParsedWork) and isinstance(second, ParsedWork):
        return first == second
    if isinstance(first, AmbiguousPhrase) and isinstance(second, AmbiguousPhrase):
        return [c.reading for c in first.choices] == [c.reading for c in second.choices]
    return False


def _label(code: str, outcome: ParsedWork, today: date) -> str:
    quantity = format_minutes(outcome.minutes) if outcome.minutes else f"{outcome.amount} {outcome.currency}"
    parts = [quantity, format_day_and_month(outcome.work_date, today), outcome.client or outcome.unknown_client or "",
             outcome.description or ""]
    return _LANGUAGE_NAMES[code] + ": " + " · ".join(part for part in parts if part)


def _read_entry(text: str, now: datetime, tz: ZoneInfo, clients: tuple[str, ...], order: str,
                primary: str) -> ParsedWork:
    """One entry in the user's language, or in the languages its leftover words belong to (see the docstring).

    The reading that leaves the fewest other languages' words wins, the user's own on a tie; two other languages
    tied with different readings make a question."""
    first = _attempt(text, now, tz, clients, order, primary)
    others = _foreign(_leftover(first, text), primary)
    fallback: list[str] = []
    if isinstance(first, PhraseError):  # not understood in the user's language: the others are read too, and
        # count only where they understand every word that is some language's own ("mañana" refused in Spanish
        # is not an English description)
        fallback = [code for code in LANGUAGES if code not in (primary, *others)]
    if not others and not fallback:
        if isinstance(first, (AmbiguousPhrase, PhraseError)):
            raise first
        return first
    readings: list[tuple[str, ParsedWork | AmbiguousPhrase, int]] = []
    if not isinstance(first, PhraseError):
        readings.append((primary, first, len(others)))
    for code in [*others, *fallback]:
        outcome = _attempt(text, now, tz, clients, order, code)
        if not isinstance(outcome, PhraseError):
            unknown = len(_foreign(_leftover(outcome, text), code))
            # a fallback counts with a whole reading only: a language the user isn't writing must not turn a
            # refusal ("24h 30m" is more than a day) into a question ("24h or 30m?")
            if code in others or (not unknown and isinstance(outcome, ParsedWork)):
                readings.append((code, outcome, unknown))
    if not readings:
        raise first  # type: ignore[misc]  # every reading failed: the user's language says why
    fewest = min(unknown for _code, _outcome, unknown in readings)
    best = [(code, outcome) for code, outcome, unknown in readings if unknown == fewest]
    distinct: list[tuple[str, ParsedWork | AmbiguousPhrase]] = []
    for code, outcome in best:
        if not any(_same(outcome, kept) for _code, kept in distinct):
            distinct.append((code, outcome))
    if best[0][0] == primary or len(distinct) == 1 or not all(isinstance(o, ParsedWork) for _c, o in distinct):
        chosen = distinct[0][1]
        if isinstance(chosen, AmbiguousPhrase):
            raise chosen
        return chosen
    today = now.astimezone(tz).date()
    choices = tuple(Choice(_label(code, outcome, today), outcome)  # type: ignore[arg-type]  # all ParsedWork: checked above
                    for code, outcome in distinct)
    raise AmbiguousPhrase(_("That reads differently in {first} and {second} — which did you mean?").format(
        first=_LANGUAGE_NAMES[distinct[0][0]], second=_LANGUAGE_NAMES[distinct[1][0]]), choices)


def _settings(tz: ZoneInfo, locale: str | None, language_code: str | None) -> tuple[str, str]:
    """The numeric date order and the language read first, from what the user chose (SPEC §5)."""
    order = date_order(locale) if locale else zone_order(getattr(tz, "key", "") or "")
    primary = language_of(locale) or language_of(language_code) or "en"
    return order, primary


def _quantity_of(text: str, primary: str) -> int:
    """2 when the part is nothing but a duration or price, 1 when it holds one, 0 when it holds none — in the
    user's language, or in one whose words the part holds ("2 Std. Logo" in an English chat)."""
    words = _leftover(PhraseError(""), text)
    for code in [primary] + _foreign(words, primary):
        scan = PhraseScan(normalise_text(text))
        try:
            found = (take_rates(scan, language(code)), take_prices(scan, language(code)),
                     take_durations(scan, language(code)))
        except PhraseError:
            return 1  # a broken amount is still the part's own: its entry will say what is wrong
        if any(found):
            return 1 if any(ch.isalnum() for ch in scan.text) else 2
    return 0


def parse_message(text: str, *, now: datetime, tz: ZoneInfo, clients: Sequence[str], locale: str | None = None,
                  language: str | None = None) -> tuple[ParsedWork, ...]:
    """Reads a message: one entry or several (SPEC §5). Raises PhraseError or AmbiguousPhrase (a question whose
    choices carry every entry of the message).

    ``locale`` is a locale the user chose (None: never chosen, the timezone's country orders 03/04);
    ``language`` the language they write in when they chose no locale (e.g. the one the bot answers in)."""
    order, primary = _settings(tz, locale, language)
    names = tuple(clients)
    parts = None
    if len(text) <= MAX_PHRASE_LENGTH:
        parts = split_message(text, lambda part: _quantity_of(part, primary),
                              lambda part: _has_words(part, now, tz, names, order, primary))
    if parts is None:
        return (_read_entry(text, now, tz, names, order, primary),)
    lines = [line for _part, line in parts]
    outcomes: list[ParsedWork | AmbiguousPhrase] = []
    for part, _line in parts:
        try:
            outcomes.append(_read_entry(part, now, tz, names, order, primary))
        except AmbiguousPhrase as question:
            outcomes.append(question)
    questions = [outcome for outcome in outcomes if isinstance(outcome, AmbiguousPhrase)]
    if not questions:
        return tuple(share_context(outcomes, lines))  # type: ignore[arg-type]  # no question among them: all ParsedWork
    options = [[(c.label, c.reading) for c in o.choices] if isinstance(o, AmbiguousPhrase) else [("", o)]
               for o in outcomes]
    combos = list(itertools.islice(itertools.product(*options), MAX_CHOICES + 1))
    if len(combos) > MAX_CHOICES:
        raise PhraseError(_("That reads too many ways for me — send one entry with one duration, date and client."))
    choices = []
    for combo in combos:
        readings = tuple(share_context([reading for _label, reading in combo], lines))
        label = " / ".join(lbl for lbl, _reading in combo if lbl)
        choices.append(Choice(label, readings[0], readings))
    raise AmbiguousPhrase(" ".join(question.message for question in questions), tuple(choices))


def _has_words(part: str, now: datetime, tz: ZoneInfo, clients: tuple[str, ...], order: str, primary: str) -> bool:
    """Whether a part without a quantity says more than a client or a day ("review" does, "Contoso, yesterday" not)."""
    try:
        reading = _read_entry(f"1h {part}", now, tz, clients, order, primary)
    except AmbiguousPhrase as question:
        reading = question.choices[0].reading
    except PhraseError:
        return True
    return bool(reading.description) and not reading.unknown_client


def parse_phrase(text: str, *, now: datetime, tz: ZoneInfo, clients: Sequence[str], locale: str | None = None,
                 language: str | None = None) -> ParsedWork:
    """Reads one work phrase as one entry. Raises PhraseError (what is missing or wrong) or AmbiguousPhrase."""
    order, primary = _settings(tz, locale, language)
    return _read_entry(text, now, tz, tuple(clients), order, primary)


def _result(work: ParsedWork) -> dict[str, Any]:
    return {
        "client": work.client,
        "minutes": work.minutes,
        "amount": None if work.amount is None else str(work.amount),
        "currency": work.currency,
        "rate": None if work.rate is None else str(work.rate),
        "date": work.work_date.isoformat(),
        "description": None if work.unknown_client or work.description is None else work.description.lower(),
    }


def parse_result_json(text: str, *, now: datetime, tz: ZoneInfo, clients: Sequence[str], locale: str | None = None,
                      language: str | None = None) -> dict[str, Any]:
    """The `invoicebot parse` object for one line (SPEC §5): one entry, or ``{"ok": true, "entries": [...]}``.

    An unknown client gives client null and description null, as the reference corpus has it: the entry is
    not logged as read until the user has said which client it is.
    """
    try:
        works = parse_message(text, now=now, tz=tz, clients=clients, locale=locale, language=language)
    except AmbiguousPhrase as question:
        return {"ok": False, "error": question.message, "choices": [choice.label for choice in question.choices]}
    except UserError as refusal:
        return {"ok": False, "error": refusal.message}
    if len(works) > 1:
        return {"ok": True, "entries": [_result(work) for work in works]}
    return {"ok": True, **_result(works[0])}


def warm_up() -> None:
    """Pays dateparser's import and first parse (about a second), babel's locale data and each language's words up
    front.

    The bot calls it in a background thread at start-up, so no user waits for it; parsing works without it.
    """
    read_with_dateparser("3 months ago", datetime(2026, 1, 15, 12, 0))
    for locale in ("en_GB", "en_US"):
        date_order(locale)
    for code, phrase in (("en", "2h warm-up for Example yesterday"), ("de", "2 Std. Aufwärmen für Example gestern"),
                         ("fr", "2h échauffement pour Example hier"), ("es", "2h calentamiento para Example ayer")):
        parse_phrase(phrase, now=datetime(2026, 1, 15, 12, 0, tzinfo=ZoneInfo("UTC")), tz=ZoneInfo("UTC"),
                     clients=("Example",), language=code)
