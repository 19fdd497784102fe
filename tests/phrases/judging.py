"""The judge tables' vocabulary: a phrase and the `invoicebot parse` object it must give, written from SPEC §5.

``ok`` is one logged entry, ``entries`` several from one message, ``no`` a refusal with a sentence and ``ask`` a
question with two or more choices. Descriptions are lower-cased with filler words out, null when nothing is left;
client and description are null for an unknown client (the corpus's conventions).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.phrases import parse_result_json

NOW = datetime.fromisoformat("2026-11-24T10:00:00+01:00")  # a Tuesday, 10:00 in Berlin
BERLIN = ZoneInfo("Europe/Berlin")
T, Y, VY = "2026-11-24", "2026-11-23", "2026-11-22"  # today, yesterday, the day before


def entry(minutes, client, day, description, amount=None, currency=None, rate=None) -> dict:
    return {"client": client, "minutes": minutes, "amount": amount, "currency": currency, "rate": rate,
            "date": day, "description": description}


def ok(text, minutes, client, day, description, amount=None, currency=None, rate=None):
    return pytest.param(text, {"ok": True, **entry(minutes, client, day, description, amount, currency, rate)},
                        id=text)


def entries(text, *items: dict):
    """One message holding several entries, each logged: ``{"ok": true, "entries": [...]}``."""
    return pytest.param(text, {"ok": True, "entries": list(items)}, id=text)


REASONS = {
    "no duration": r"couldn't find how long you worked",
    "nothing said": r"Tell me what you worked on",
    "zero": r"duration must be more than zero",
    "negative": r"duration can't be negative",
    "over a day": r"more than 24 hours in one entry",
    "zero price": r"price must be more than zero",
    "no such date": r"isn't a date|isn't a year I can log work in",
    "not one day": r"isn't one day",
    "not done yet": r"only log work that is done|more than a year ahead",
    "long ago": r"is long ago",
}
"""Why a phrase is refused, as the refusal must say it: a refusal for another reason (a date error where the
duration is what's missing) is as wrong as logging the phrase."""


def no(text, reason):
    """Refused, with a sentence saying what is missing or wrong (``reason``, a key of :data:`REASONS`): never
    logged as read."""
    assert reason in REASONS, reason
    return pytest.param(text, {"ok": False, "reason": reason}, id=text or "(empty)")


def ask(text):
    """Two readings are plausible: a question with its choices."""
    return pytest.param(text, {"ok": False, "choices": True}, id=text)


def judge(text: str, clients: Sequence[str], *, locale: str | None = None, now: datetime = NOW,
          tz: ZoneInfo = BERLIN) -> dict:
    return parse_result_json(text, now=now, tz=tz, clients=clients, locale=locale)


def check(answer: dict, expected: dict) -> None:
    if expected["ok"]:
        assert answer == expected
        return
    assert not answer["ok"] and answer["error"].strip().endswith((".", "?")), answer
    if "reason" in expected:
        assert re.search(REASONS[expected["reason"]], answer["error"]), (expected["reason"], answer)
    if expected.get("choices"):
        assert len(answer.get("choices", [])) >= 2 and answer["error"].strip().endswith("?"), answer
