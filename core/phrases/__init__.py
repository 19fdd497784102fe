"""Provisional phrase parser (replaced by the full grammar of SPEC §5)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.errors import UserError

MAX_PHRASE_LENGTH = 500


@dataclass(frozen=True)
class ParsedWork:
    minutes: int | None
    amount: Decimal | None
    currency: str | None
    rate: Decimal | None
    client: str | None
    unknown_client: str | None
    work_date: date
    description: str | None


class PhraseError(UserError):
    pass


@dataclass(frozen=True)
class Choice:
    label: str
    reading: ParsedWork


class AmbiguousPhrase(UserError):
    def __init__(self, message: str, choices: Sequence[Choice]) -> None:
        super().__init__(message)
        self.choices = tuple(choices)


def parse_phrase(text: str, *, now: datetime, tz: ZoneInfo, clients: Sequence[str], locale: str = "en_GB") -> ParsedWork:
    today = now.astimezone(tz).date()
    words = text.split()
    minutes = None
    amount = currency = None
    rest = []
    work_date = today
    client = unknown = None
    for w in words:
        m = re.fullmatch(r"(\d+(?:[.,]\d+)?)(h|m)", w)
        if m:
            minutes = int(Decimal(m[1].replace(",", ".")) * (60 if m[2] == "h" else 1))
            continue
        m = re.fullmatch(r"€(\d+)", w)
        if m:
            amount, currency = Decimal(m[1]), "EUR"
            continue
        if w.lower() == "yesterday":
            work_date = today - timedelta(days=1)
            continue
        hits = [c for c in clients if c.lower().startswith(w.lower().lstrip("@#"))] if len(w) > 2 else []
        if len(hits) == 1:
            client = hits[0]
            continue
        if len(hits) > 1:
            raise AmbiguousPhrase("Which client?", [Choice(h, ParsedWork(minutes, amount, currency, None, h, None, work_date, None)) for h in hits])
        rest.append(w)
    if minutes is None and amount is None:
        raise PhraseError("I couldn't find how long you worked.")
    if client is None and "for" in rest:
        unknown = rest[rest.index("for") + 1] if rest.index("for") + 1 < len(rest) else None
        if unknown:
            rest.remove(unknown)
    desc = " ".join(w for w in rest if w.lower() not in ("for",)).lower() or None
    return ParsedWork(minutes, amount, currency, None, client, unknown, work_date, desc)


def parse_result_json(text: str, *, now: datetime, tz: ZoneInfo, clients: Sequence[str], locale: str = "en_GB") -> dict:
    try:
        r = parse_phrase(text, now=now, tz=tz, clients=clients, locale=locale)
    except UserError as e:
        return {"ok": False, "error": e.message}
    return {"ok": True, "client": r.client, "minutes": r.minutes, "date": r.work_date.isoformat(), "description": r.description}


def warm_up() -> None:
    pass
