"""A phrase in German, French or Spanish from a user who chose no locale (the bot reads English first): SPEC §5,
"a phrase is read in the user's language first and in the others when that fails".

Two ways it fails in English: the English reading leaves another language's words around a number ("von 9 bis
11:30 Uhr", "hace 3 días", "vor 3 Tagen") in its description, or English finds no duration at all ("eine
Dreiviertelstunde"). Either way the other languages are read, and the one that understands every word wins. An
English phrase holding such a word as a name or a plain word keeps its English reading.
"""
from __future__ import annotations

import pytest

from tests.phrases.judging import T, check, judge, no, ok

CLIENTS = ("ACME", "Contoso")

TABLE = [
    ok("von 9 bis 11:30 Uhr Workshop ACME", 150, "ACME", T, "workshop"),
    ok("vor 3 Tagen 2 Std. Beratung ACME", 120, "ACME", "2026-11-21", "beratung"),
    ok("eine Dreiviertelstunde Telefonat ACME", 45, "ACME", T, "telefonat"),
    ok("hace 3 días 2h soporte ACME", 120, "ACME", "2026-11-21", "soporte"),
    ok("hora y media soporte ACME", 90, "ACME", T, "soporte"),
    ok("il y a 2 semaines 3h design ACME", 180, "ACME", "2026-11-10", "design"),
    ok("trois quarts d'heure réunion ACME", 45, "ACME", T, "réunion"),
    # English phrases with such words in them stay English
    ok("2h call with Wernher von Braun for ACME", 120, "ACME", T, "call with wernher von braun"),
    ok("2h tag cleanup for ACME", 120, "ACME", T, "tag cleanup"),
    ok("2h bis review for ACME", 120, "ACME", T, "bis review"),
    # refused in the user's language, and no other language understands it: the English refusal stands
    no("logo design for ACME", "no duration"),
]


@pytest.mark.parametrize("text, expected", TABLE)
def test_no_locale_chosen(text, expected):
    check(judge(text, CLIENTS), expected)


def test_the_refusal_is_the_users_own_language():
    answer = judge("logo design for ACME", CLIENTS)
    assert "how long you worked" in answer["error"]
