"""The description: what is left once duration, date, client, money and filler words are out, lower-cased."""
from __future__ import annotations

import pytest

from core.phrases import parse_phrase
from tests.phrases.phrasebook import BERLIN, CLIENTS, NOW, read, result

DESCRIPTIONS = {
    "3h UI mockups for Contoso yesterday": "ui mockups",
    "worked 6h on the Contoso release yesterday": "release",
    "spent 3 hours on menu design for café lumière last friday": "menu design",
    "an hour of testing for Vandelay on wednesday": "testing",
    "8:30-10:00 standup and review Contoso": "standup and review",
    "2h review of the API docs for Contoso": "review of the api docs",
    "2h design, review & deploy for Contoso yesterday.": "design, review & deploy",
    "I did 2 hours of testing for Contoso": "testing",
    "I've spent 2h on invoices contoso": "invoices",
    "2h on invoices with contoso on monday": "invoices",
    "Contoso 2h": None, "2h for Contoso": None, "2h Contoso yesterday.": None, "2h - Contoso": None,
    "2h in meetings contoso": "meetings",
    "2h call with John about the pitch contoso": "call with john about the pitch",
    "2h \"design\" contoso": "design",
    "2h design (contoso)": "design",
    "2h logo v2.1 contoso": "logo v2.1",
    "2h ÉTUDE de marché contoso": "étude de marché",
    "2h 🎨 logo contoso 🎉": "🎨 logo contoso 🎉".replace(" contoso", ""),
    "2h design\nand review\tcontoso": "design and review",
    "2h meeting at 14:00 contoso": "meeting",
    "2h workshop from the office contoso": "workshop from the office",
    "2h review for the website relaunch for Contoso": "review for the website relaunch",
    "just logged 2h of bugfixing for contoso": "bugfixing",
    "Had a 30 min call with Contoso": "call",
    "had a quick 30 min call with contoso": "quick call",
    "about 2h of research for Contoso": "research",
    "roughly 2 hours research contoso": "research",
    "~2h research contoso": "research",
    "2h design for contoso (invoice later)": "design (invoice later)",
    "worked on the Contoso website for 3 hours": "website",
    "Today: 2h design contoso": "design",
    "2h meeting with Contoso about roadmap": "meeting about roadmap",
}


@pytest.mark.parametrize("text, description", DESCRIPTIONS.items(), ids=list(DESCRIPTIONS))
def test_description(text, description):
    assert read(text).description == description


@pytest.mark.parametrize("text, description", [
    ("3h API integration for Contoso", "API integration"),
    ("Contoso: 1h call with John about Q4 SEO", "call with John about Q4 SEO"),
    ("2h Übersetzung Fabrikam", "Übersetzung"),
])
def test_the_description_keeps_the_users_case_for_the_invoice(text, description):
    work = parse_phrase(text, now=NOW, tz=BERLIN, clients=CLIENTS)
    assert work.description == description
    assert result(text)["description"] == description.lower()  # the parse contract writes it lower-cased


@pytest.mark.parametrize("text, description", [
    ("1h x for Contoso", "x"), ("x 1h for Contoso", "x"), ("Contoso: 1h X.", "X"), ("1h w for Contoso", "w"),
    ("2 Std. q für Contoso", "q"),
])
def test_a_one_letter_description_is_kept_as_typed(text, description):
    """A one-letter description ("x") is what the user typed, though "x" also marks a rate and "w" means "with":
    when nothing else is left, it stays."""
    assert parse_phrase(text, now=NOW, tz=BERLIN, clients=CLIENTS).description == description


@pytest.mark.parametrize("text", ["I 1h for Contoso", "2h à Contoso", "2h y para Contoso", "I spent 1h on Contoso",
                                  "2h for Contoso"])
def test_a_small_word_of_a_language_alone_is_no_description(text):
    assert read(text).description is None


def test_several_entries_keep_their_one_letter_descriptions():
    from core.phrases import parse_message

    works = parse_message("1h x, 2h y for Contoso", now=NOW, tz=BERLIN, clients=CLIENTS)
    assert [work.description for work in works] == ["x", "y"]
