"""The parse entry: reads a work phrase into a ParsedWork, refuses it with a reason, or asks which reading is meant.

Each part is taken out of the phrase in an order that keeps the readings apart: money first ("@ 120/h" would
otherwise look like a client, "€500" like a number), then durations and times of day, then dates, then clients;
what is left is the description.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.errors import UserError
from core.phrases.amounts import Price, take_prices, take_rates
from core.phrases.clients import FoundClients, take_clients
from core.phrases.dates import FoundDate, date_order, format_date, read_with_dateparser, take_dates
from core.phrases.descriptions import describe
from core.phrases.durations import FoundDuration, format_minutes, take_durations
from core.phrases.readings import MAX_PHRASE_LENGTH, AmbiguousPhrase, Choice, ParsedWork, PhraseError
from core.phrases.scan import PhraseScan, normalise_text

MAX_HOURS = 24
MAX_CHOICES = 12
NO_DURATION = "I couldn't find how long you worked — add a duration like 2h or 45m."


def _duration_options(found: list[FoundDuration]) -> tuple[list[int], bool]:
    """Distinct durations to choose from, and whether a bare "1:30" (maybe a time of day) is among several."""
    if any(d.negative for d in found):
        raise PhraseError("A duration can't be negative — write how long you worked, like 1h or 30m.")
    for duration in found:
        if duration.minutes <= 0:
            raise PhraseError("The duration must be more than zero — write how long you worked, like 1h or 30m.")
        if duration.minutes > MAX_HOURS * 60:
            raise PhraseError(f"{format_minutes(duration.minutes)} is more than {MAX_HOURS} hours in one entry — "
                              "log each day on its own.")
    options = list(dict.fromkeys(d.minutes for d in found))
    return options, len(options) > 1 and any(d.clock for d in found)


def _date_options(found: list[FoundDate], today: date) -> list[date]:
    """Distinct dates; a weekday name standing next to that weekday's full date ("Tue 17 Nov") is no second date."""
    explicit = [day for f in found if f.weekday is None for day in f.readings]
    kept = [f for f in found if f.weekday is None or not any(d.weekday() == f.weekday for d in explicit)]
    options = list(dict.fromkeys(day for f in kept for day in f.readings))
    return options or [today]


def _merged(first: FoundClients, second: FoundClients) -> FoundClients:
    """Both passes' clients: those named in each pass if any are common, else all of them (and we ask)."""
    if not (first.names and second.names):
        return FoundClients(first.names or second.names, None if first.names else second.unknown)
    common = tuple(name for name in first.names if name in second.names)
    return FoundClients(common or tuple(dict.fromkeys(first.names + second.names)), None)


def _price_label(price: Price) -> str:
    return f"{price.amount} {price.currency}"


def _question(kind: str, labels: list[str], clock: bool) -> str:
    listed = ", ".join(labels[:-1]) + " or " + labels[-1]
    if kind == "minutes":
        extra = " (a time like 1:30 could also be when you started)" if clock else ""
        return f"How long did you work — {listed}?{extra}"
    return {
        "work_date": f"Which day do you mean — {listed}?",
        "client": f"Which client do you mean — {listed}?",
        "price": f"Which price do you mean — {listed}?",
        "rate": f"Which rate do you mean — {listed}?",
    }[kind]


def _read(text: str, now: datetime, tz: ZoneInfo, clients: tuple[str, ...], locale: str) -> ParsedWork:
    if len(text) > MAX_PHRASE_LENGTH:
        raise PhraseError(f"That is {len(text)} characters — a work entry can be at most {MAX_PHRASE_LENGTH}. "
                          "Send one entry a message.")
    normalised = normalise_text(text)
    if not normalised.strip():
        raise PhraseError("Tell me what you worked on, e.g. “2h logo design for ACME yesterday”.")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now_local = now.astimezone(tz)
    today = now_local.date()
    scan = PhraseScan(normalised)
    look_alikes = take_clients(scan, clients, look_alike_only=True)
    rates = list(dict.fromkeys(take_rates(scan)))
    prices = list(dict.fromkeys(take_prices(scan)))
    minutes, clock = _duration_options(take_durations(scan))
    found_dates = take_dates(scan, now_local, locale)
    dates = _date_options(found_dates, today)
    found_clients = _merged(look_alikes, take_clients(scan, clients))
    description = describe(scan.text)
    if not minutes and not prices:
        raise PhraseError(NO_DURATION)
    if len(found_clients.names) > MAX_CHOICES:
        shown = ", ".join(found_clients.names[:3])
        raise PhraseError(f"That fits {len(found_clients.names)} clients ({shown}, …) — type more of the name.")

    dimensions: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = [
        ("minutes", [(f"{format_minutes(m)} of work", {"minutes": m}) for m in minutes] or [("", {"minutes": None})]),
        ("price", [(_price_label(p), {"amount": p.amount, "currency": p.currency}) for p in prices]
         or [("", {"amount": None, "currency": None})]),
        ("rate", [(f"{r}/h", {"rate": r}) for r in rates] or [("", {"rate": None})]),
        ("work_date", [(format_date(d, today), {"work_date": d}) for d in dates]),
        ("client", [(name, {"client": name}) for name in found_clients.names] or [("", {"client": None})]),
    ]
    base = {"unknown_client": found_clients.unknown, "description": description, "dated": bool(found_dates)}
    ambiguous = [(kind, options) for kind, options in dimensions if len(options) > 1]
    if not ambiguous:
        fields = dict(base)
        for _, options in dimensions:
            fields.update(options[0][1])
        return ParsedWork(**fields)
    combos = list(itertools.islice(itertools.product(*(options for _, options in dimensions)), MAX_CHOICES + 1))
    if len(combos) > MAX_CHOICES:
        raise PhraseError("That reads too many ways for me — send one entry with one duration, date and client.")
    choices = []
    for combo in combos:
        fields = dict(base)
        for _, values in combo:
            fields.update(values)
        label = " · ".join(lbl for (kind, options), (lbl, _) in zip(dimensions, combo) if len(options) > 1)
        choices.append(Choice(label, ParsedWork(**fields)))
    question = " ".join(_question(kind, [lbl for lbl, _ in options], clock) for kind, options in ambiguous)
    raise AmbiguousPhrase(question, tuple(choices))


def parse_phrase(text: str, *, now: datetime, tz: ZoneInfo, clients: Sequence[str],
                 locale: str = "en_GB") -> ParsedWork:
    """Reads one work phrase. Raises PhraseError (what is missing or wrong) or AmbiguousPhrase (a question)."""
    return _read(text, now, tz, tuple(clients), locale)


def parse_result_json(text: str, *, now: datetime, tz: ZoneInfo, clients: Sequence[str],
                      locale: str = "en_GB") -> dict[str, Any]:
    """The `invoicebot parse` object for one phrase (SPEC §5).

    An unknown client gives client null and description null, as the reference corpus has it: the entry is
    not logged as read until the user has said which client it is.
    """
    try:
        work = _read(text, now, tz, tuple(clients), locale)
    except AmbiguousPhrase as question:
        return {"ok": False, "error": question.message, "choices": [choice.label for choice in question.choices]}
    except UserError as refusal:
        return {"ok": False, "error": refusal.message}
    return {
        "ok": True,
        "client": work.client,
        "minutes": work.minutes,
        "amount": None if work.amount is None else str(work.amount),
        "currency": work.currency,
        "rate": None if work.rate is None else str(work.rate),
        "date": work.work_date.isoformat(),
        "description": None if work.unknown_client or work.description is None else work.description.lower(),
    }


def warm_up() -> None:
    """Pays dateparser's import and first parse (about a second) and babel's locale data up front.

    The bot calls it in a background thread at start-up, so no user waits for it; parsing works without it.
    """
    read_with_dateparser("3 months ago", datetime(2026, 1, 15, 12, 0))
    for locale in ("en_GB", "en_US"):
        date_order(locale)
    parse_phrase("2h warm-up for Example yesterday", now=datetime(2026, 1, 15, 12, 0, tzinfo=ZoneInfo("UTC")),
                 tz=ZoneInfo("UTC"), clients=("Example",))
