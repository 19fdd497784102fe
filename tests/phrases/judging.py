"""The judge tables' vocabulary: a phrase and the `invoicebot parse` object it must give, written from SPEC §5.

``ok`` is one logged entry, ``entries`` several from one message, ``no`` a refusal with a sentence and ``ask`` a
question with two or more choices. Descriptions are lower-cased with filler words out, null when nothing is left;
client and description are null for an unknown client (the corpus's conventions).
"""
from __future__ import annotations

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


def no(text):
    """Refused (or asked), with a sentence saying what is missing or wrong: never logged as read."""
    return pytest.param(text, {"ok": False}, id=text or "(empty)")


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
    if expected.get("choices"):
        assert len(answer.get("choices", [])) >= 2 and answer["error"].strip().endswith("?"), answer
