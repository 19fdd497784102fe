"""/client add needs a name ("rate 80" is not one); a client never billed and without work can be deleted,
anything else is archived instead."""
from __future__ import annotations

import pytest

from tests.conftest import SELLER_PROFILE


@pytest.mark.parametrize("typed", ["/client add  rate 80", "/client add rate 80 currency EUR",
                                   "/client add currency USD", "/client add email a@b.example"])
def test_a_client_needs_a_name(typed, chat) -> None:
    assert chat.text(typed).startswith("Give the client a name first: /client add ACME ")
    assert chat.text("/clients").startswith("You have no clients yet")


def test_a_name_that_begins_with_an_option_word_is_still_a_name(chat) -> None:
    assert chat.text("/client add Rate Partners rate 90").startswith("Added client Rate Partners — €90.00/h")


def test_a_client_without_work_or_invoices_can_be_deleted(chat) -> None:
    chat.text("/client add ACEM rate 80")
    chat.text("1h typo for ACEM")
    assert "has 1 logged task" in chat.text("/client delete ACEM")
    chat.text("/delete 1")
    assert chat.text("/client delete ACEM") == "Deleted the client ACEM."
    assert chat.text("/clients").startswith("You have no clients yet")
    assert chat.text("/undo") == "Took back deleting the client ACEM; it is back in /clients."
    assert "ACEM" in chat.text("/clients")
    chat.text("/client delete ACEM")
    assert chat.text("/client add ACEM rate 80").startswith("Added client ACEM")


def test_a_billed_client_is_archived_not_deleted(chat) -> None:
    for line in (*SELLER_PROFILE, "/client add ACME rate 80", "/client set ACME country DE", "1h call for ACME",
                 "/invoice ACME"):
        chat.text(line)
    assert chat.text("/client delete ACME") == "ACME has invoices, so it stays in your books: /client archive ACME hides it."
    assert "ACME" in chat.text("/clients")
