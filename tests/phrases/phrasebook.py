"""The fixed clock, timezone and client list the phrase tests read against (the corpus's reference line)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.phrases import ParsedWork, parse_phrase, parse_result_json

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime.fromisoformat("2026-11-24T10:00:00+01:00")  # a Tuesday
TODAY = date(2026, 11, 24)
CLIENTS = ("Contoso", "Fabrikam", "Northwind Traders", "Tailspin", "Café Lumière", "Vandelay", "Dunder Mifflin",
           "ACME", "Initech")


def read(text: str, *, now: datetime = NOW, tz: ZoneInfo = BERLIN, clients: Sequence[str] = CLIENTS,
         locale: str = "en_GB") -> ParsedWork:
    """The reading, its description lower-cased as the corpus writes it (the parser keeps the user's case for
    invoices; test_descriptions checks that on its own)."""
    work = parse_phrase(text, now=now, tz=tz, clients=clients, locale=locale)
    return replace(work, description=work.description.lower()) if work.description else work


def result(text: str, *, now: datetime = NOW, tz: ZoneInfo = BERLIN, clients: Sequence[str] = CLIENTS,
           locale: str = "en_GB") -> dict:
    return parse_result_json(text, now=now, tz=tz, clients=clients, locale=locale)
