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
