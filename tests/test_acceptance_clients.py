"""Client details a freelancer types during set-up: checked like the same details in the profile."""
from sqlalchemy import select

from core.models import Client


def test_a_client_email_that_is_no_address_is_refused_and_changes_nothing(chat, sessions) -> None:
    chat.say("/client add ACME rate 80 email billing@acme.test")
    assert "doesn't look like an email address" in chat.text("/client set ACME email foo")
    with sessions() as session:
        assert session.scalar(select(Client.email).where(Client.name == "ACME")) == "billing@acme.test"
    assert "billing@acme.test" in chat.text("/client ACME")


def test_adding_a_client_with_a_bad_email_adds_nothing(chat) -> None:
    assert "doesn't look like an email address" in chat.text("/client add Globex rate 90 email globex")
    assert "no clients yet" in chat.text("/clients")


def test_a_valid_client_email_is_kept(chat) -> None:
    chat.say("/client add ACME rate 80")
    assert "a@acme.test" in chat.text("/client set ACME email a@acme.test")


def test_an_archived_clients_unbilled_work_can_still_be_listed_and_billed(chat) -> None:
    chat.say("/profile set name Ana")
    chat.say("/client add Northwind Traders rate 90")
    chat.say("2h review for Northwind")
    chat.say("/client archive Northwind")
    assert "Northwind Traders — 2h" in chat.text("/tasks")
    assert "Northwind Traders — 2h" in chat.text("/tasks Northwind")
    assert chat.invoice("/invoice Northwind").text.startswith("Invoice INV-2026-0001 for Northwind Traders")


def test_naming_an_archived_client_says_so_instead_of_offering_to_add_it(chat) -> None:
    chat.say("/client add Northwind Traders rate 90")
    chat.say("/client archive Northwind")
    reply = chat.text("/client archive north")
    assert reply == "Northwind Traders is archived. /client set Northwind Traders archived no brings it back."


def test_a_client_rate_of_zero_is_refused_like_a_phrase_rate_of_zero(chat) -> None:
    assert chat.text("/client add ACME rate 0") == "A rate must be more than zero; give it like 80 or 80.50."
    assert "no clients yet" in chat.text("/clients")
    chat.say("/client add ACME rate 80/h")
    assert chat.text("/client set ACME rate 0.00") == "A rate must be more than zero; give it like 80 or 80.50."
    assert "€80.00/h" in chat.text("/client ACME")


def test_a_client_named_with_accents_is_found_without_them(chat) -> None:
    for line in ("/profile set name Zoë", "/profile set address A", "/profile set payment IBAN X"):
        chat.say(line)
    chat.say("/client add Café Müller rate 60")
    chat.say("2h menu for Café Müller")
    assert "€66.00/h" in chat.text("/client set cafe rate 66")
    assert chat.text("/invoice cafe muller preview").startswith("Draft for Café Müller")
    assert "Café Müller — 2h" in chat.text("/tasks Cafe")


def test_client_changes_echo_the_value_that_was_stored(chat) -> None:
    chat.say("/client add Café Müller rate 60")
    assert chat.text("/client set café müller tax_rate 0") == "Updated tax rate of Café Müller: 0%."
    assert chat.text("/client set Café Müller address Hauptstr 1 | 10115 Berlin") == (
        "Updated address of Café Müller: Hauptstr 1, 10115 Berlin.")
    assert chat.text("/client set Café Müller notes Reverse charge applies") == (
        "Updated notes of Café Müller: Reverse charge applies.")
    chat.say("/client archive Café Müller")
    assert chat.text("/client set Café Müller archived no") == "Brought back Café Müller: it shows in /clients again."
    assert "Café Müller" in chat.text("/clients")


def test_an_overlong_client_email_is_refused_before_the_database_sees_it(chat) -> None:
    chat.say("/client add ACME rate 80")
    address = "a" * 250 + "@acme.test"
    assert chat.text(f"/client set ACME email {address}") == "That email address is too long (at most 254 characters)."
