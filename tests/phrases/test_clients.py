"""Clients: a known name or a unique prefix, case- and accent-insensitive, anywhere; ambiguity asks; unknown kept."""
from __future__ import annotations

import pytest

from core.phrases import AmbiguousPhrase, PhraseError
from tests.phrases.phrasebook import read, result

KNOWN = {
    "2h review for Contoso": "Contoso", "2h review for contoso": "Contoso", "2h review CONTOSO": "Contoso",
    "Contoso: 2h review": "Contoso", "contoso:2h review": "Contoso", "2h review @contoso": "Contoso",
    "2h review #contoso": "Contoso", "2h review with Contoso": "Contoso", "2h review client contoso": "Contoso",
    "contoso 2h review": "Contoso", "2h review contoso": "Contoso", "2h review (Contoso)": "Contoso",
    "[Contoso] 2h review": "Contoso", "2h review - Contoso": "Contoso",
    "2h review, contoso.": "Contoso", "2h review contoso!": "Contoso", "2h review @con": "Contoso",
    "2h review for cont": "Contoso", "#fab 2h review": "Fabrikam", "2h review @fabrik": "Fabrikam",
    "2h review northwind": "Northwind Traders", "2h review Northwind Traders": "Northwind Traders",
    "2h review northwind traders": "Northwind Traders", "2h review for northwind trad": "Northwind Traders",
    "2h review @north": "Northwind Traders", "Northwind: 2h review": "Northwind Traders",
    "2h review café lumière": "Café Lumière", "2h review cafe lumiere": "Café Lumière",
    "2h review CAFÉ LUMIÈRE": "Café Lumière", "2h review for cafe": "Café Lumière", "2h review @café": "Café Lumière",
    "2h review dunder mifflin": "Dunder Mifflin", "2h review dunder": "Dunder Mifflin",
    "2h review @dunder": "Dunder Mifflin", "2h review Dunder  Mifflin": "Dunder Mifflin",
    "2h review tailspin": "Tailspin", "2h review w/ contoso": "Contoso", "2h review w Contoso": "Contoso",
    "2h review @ Contoso": "Contoso", "2h review @tail": "Tailspin", "Vandelay 2h review": "Vandelay",
    "2h review for ACME": "ACME", "2h review acme": "ACME", "2h review Acme": "ACME", "2h review @initech": "Initech",
}


@pytest.mark.parametrize("text, client", KNOWN.items(), ids=list(KNOWN))
def test_known_client(text, client):
    work = read(text)
    assert (work.client, work.unknown_client, work.minutes, work.description) == (client, None, 120, "review")


@pytest.mark.parametrize("text", [
    "2h review", "2h tailspinning practice", "2h lumière study", "2h mifflin notes", "2h con review",
    "2h design for the new website", "2h call with John", "2h review for API docs", "2h review for globodyne",
    "2h review PR #123", "2h review issue #45",
])
def test_no_client(text):
    work = read(text)
    assert work.client is None and work.unknown_client is None


def test_a_bare_word_must_be_a_whole_first_word_of_the_name():
    assert read("2h contos review").client is None       # a partial word needs a marker
    assert read("2h review @contos").client == "Contoso"


@pytest.mark.parametrize("text, unknown, description", [
    ("2h notes for Globodyne", "Globodyne", "notes"),
    ("2h notes for Globodyne Industries yesterday", "Globodyne Industries", "notes"),
    ("2h notes for Globodyne about the logo", "Globodyne", "notes about the logo"),
    ("2h notes @globodyne", "globodyne", "notes"),
    ("#globodyne 2h notes", "globodyne", "notes"),
    ("Globodyne: 2h notes", "Globodyne", "notes"),
    ("Globo Dyne: 2h notes", "Globo Dyne", "notes"),
    ("for Globodyne 2h notes", "Globodyne", "notes"),
    ("2h notes @ Globodyne", "Globodyne", "notes"),
])
def test_unknown_client_is_kept_as_typed(text, unknown, description):
    work = read(text)
    assert (work.client, work.unknown_client, work.description) == (None, unknown, description)
    as_json = result(text)
    assert as_json["ok"] and as_json["client"] is None and as_json["description"] is None


def test_a_known_client_wins_over_an_unknown_name():
    work = read("2h notes for Globodyne @contoso")
    assert (work.client, work.unknown_client) == ("Contoso", None)


@pytest.mark.parametrize("clients, text, options", [
    (("Northwind Traders", "Northwind Labs"), "2h review northwind", ["Northwind Traders", "Northwind Labs"]),
    (("Northwind Traders", "Northwind Labs"), "2h review @north", ["Northwind Traders", "Northwind Labs"]),
    (("Contoso", "Fabrikam"), "2h review contoso and fabrikam", ["Contoso", "Fabrikam"]),
    (("Contoso", "Contoso Bank"), "2h review @cont", ["Contoso", "Contoso Bank"]),
    (("Tailspin", "Tailwind"), "2h review @tail", ["Tailspin", "Tailwind"]),
])
def test_a_name_fitting_two_clients_is_a_question(clients, text, options):
    with pytest.raises(AmbiguousPhrase) as asked:
        read(text, clients=clients)
    assert [choice.label for choice in asked.value.choices] == options
    assert [choice.reading.client for choice in asked.value.choices] == options
    assert all(choice.reading.minutes == 120 for choice in asked.value.choices)
    assert asked.value.message.startswith("Which client do you mean")


@pytest.mark.parametrize("text, client", [
    ("2h review northwind labs", "Northwind Labs"), ("2h review Northwind Traders", "Northwind Traders"),
    ("2h review contoso", "Contoso"), ("2h review contoso bank", "Contoso Bank"), ("2h review @contoso", "Contoso"),
])
def test_the_longer_or_exact_name_settles_it(text, client):
    clients = ("Northwind Traders", "Northwind Labs", "Contoso", "Contoso Bank")
    assert read(text, clients=clients).client == client


def test_a_possessive_is_the_client():
    work = read("2h review for Contoso's team")
    assert (work.client, work.description) == ("Contoso", "review team")


def test_the_same_client_twice_is_one_client():
    assert read("Contoso: 2h review for contoso").client == "Contoso"


@pytest.mark.parametrize("clients, text, client", [
    (("On Point Media",), "2h work on monday", None),          # a stop word alone is no client
    (("The Agency",), "2h the agency retainer", "The Agency"),
    (("AB Consulting",), "2h ab testing", None),                # too short to stand for the name bare
    (("AB Consulting",), "2h testing @ab", "AB Consulting"),
    (("The Agency", "Theta Labs"), "2h design for the website", None),  # a stop word is no prefix
    (("Theta Labs",), "2h design for thet", "Theta Labs"),
    (("Contoso",), "2h design @co", None),  # two letters are too few to stand for a name
    (("Smith & Sons",), "2h review smith & sons", "Smith & Sons"),
    (("AT&T",), "2h review at&t", "AT&T"),
    (("O'Reilly Media",), "2h review o'reilly", "O'Reilly Media"),
    (("Studio 54",), "2h review studio 54", "Studio 54"),
    (("Łódź Design",), "2h review lodz design", "Łódź Design"),
    (("Müller GmbH",), "2h review muller", "Müller GmbH"),
    (("Zoë",), "2h review ZOË", "Zoë"),
])
def test_names_of_many_shapes(clients, text, client):
    assert read(text, clients=clients).client == client


def test_hundreds_of_clients():
    clients = tuple(f"Client {n:03d} GmbH" for n in range(400)) + ("Contoso", "Fabrikam")
    assert read("2h review @contoso", clients=clients).client == "Contoso"
    assert read("2h review client 123 gmbh", clients=clients).client == "Client 123 GmbH"
    with pytest.raises(PhraseError, match="fits 400 clients .* type more of the name"):
        read("2h review @client", clients=clients)


def test_no_known_clients_at_all():
    work = read("2h review for Contoso", clients=())
    assert (work.client, work.unknown_client) == (None, "Contoso")


LOOK_ALIKES = ("3M", "May & Co", "Monday Studio", "Contoso", "Studio 54", "24 Hour Fitness", "Ten Eleven")


@pytest.mark.parametrize("text, client, minutes, day", [
    ("2h review 3M", "3M", 120, 24), ("2h review for 3m", "3M", 120, 24), ("3M: 2h review", "3M", 120, 24),
    ("45m review @3m", "3M", 45, 24), ("3m review contoso", "Contoso", 3, 24),  # lower-case and bare: 3 minutes
    ("2h review may & co yesterday", "May & Co", 120, 23), ("2h review monday studio", "Monday Studio", 120, 24),
    ("2h review monday contoso", "Contoso", 120, 23), ("2h review studio 54", "Studio 54", 120, 24),
    ("2h review 24 hour fitness", "24 Hour Fitness", 120, 24), ("2h review ten eleven", "Ten Eleven", 120, 24),
])
def test_clients_whose_names_look_like_dates_durations_or_numbers(text, client, minutes, day):
    work = read(text, clients=LOOK_ALIKES)
    assert (work.client, work.minutes, work.work_date.day, work.description) == (client, minutes, day, "review")


def test_a_look_alike_and_another_client_is_a_question():
    with pytest.raises(AmbiguousPhrase) as asked:
        read("2h review contoso 3M", clients=LOOK_ALIKES)
    assert [choice.label for choice in asked.value.choices] == ["3M", "Contoso"]


@pytest.mark.parametrize("text, client, description", [
    ("1h pairing fab", "Fabrikam", "pairing"),                  # a bare prefix closing the phrase
    ("1h pairing Fabri yesterday", "Fabrikam", "pairing"),      # closing what is left once the date is out
    ("fab 1h pairing", "Fabrikam", "pairing"),                  # opening the message
    ("2h moving van Contoso", "Contoso", "moving van"),         # a named client beats a bare prefix
    ("2h moving van for Globodyne", None, "moving van"),        # and so does an unknown marked name
    ("2h van rental planning", None, "van rental planning"),    # first after the duration: the description
])
def test_a_bare_prefix_where_people_put_the_client(text, client, description):
    work = read(text)
    assert (work.client, work.description) == (client, description)


def test_a_bare_prefix_fitting_several_clients_is_a_word_of_the_description():
    clients = (*(f"Client {n:03d} GmbH" for n in range(5)), "Designworks", "Design Co")
    work = read("CLI tooling 2h", clients=clients)
    assert (work.client, work.description) == (None, "cli tooling")
    work = read("2h review desi", clients=clients)
    assert (work.client, work.description) == (None, "review desi")
    with pytest.raises(AmbiguousPhrase):  # marked, the same prefix is meant as a client: which one?
        read("2h review @desi", clients=clients)


@pytest.mark.parametrize("text, client", [
    ("#DunderMifflin 1h payroll", "Dunder Mifflin"), ("1h payroll @dunder_mifflin", "Dunder Mifflin"),
    ("1h payroll #dunder-mifflin", "Dunder Mifflin"), ("#cafelumiere 1h payroll", "Café Lumière"),
    ("#northwindtr 1h payroll", "Northwind Traders"), ("#dundermiffln 1h payroll", None),
    ("1h Dunder-Mifflin payroll", "Dunder Mifflin"), ("1h payroll for northwind-traders", "Northwind Traders"),
    ("1h payroll for northwind-tr", "Northwind Traders"),
    ("1h northwind-tr payroll", None),  # a run cut short mid-phrase needs a marker or an end
])
def test_a_handle_may_run_the_words_together(text, client):
    assert read(text).client == client
