"""Bad input answers with a clear sentence and changes nothing."""
import pytest
from sqlalchemy import func, select

from core.models import Account, Client, Identity, Task


def snapshot(sessions):  # type: ignore[no-untyped-def]
    with sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Account, Identity, Client, Task))


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("/frobnicate", "I don't know the command /frobnicate"),
        ("/tasks Initech", "I don't know a client called “Initech”"),
        ("/tz Mars/Olympus", "not a timezone I know"),
        ("/client add", "/client add NAME"),
        ("/client add ACME rate lots", "is not a number"),
        ("/client add Beta currency EURO", "not a currency code"),
        ("/client add acme", "already have a client called ACME"),
        ("/delete 999", "There is no task #999"),
        ("/delete abc", "is not a task number"),
        ("/edit 1", "Use /edit ID PHRASE"),
        ("/report fortnight", "I can report on"),
        ("/profile set iban X", "I don't know the profile field"),
        ("/profile set tax_rate 150", "between 0 and 100"),
        ("/profile set number_format INV-{n}", "may only use {seq}"),
        ("/profile set locale xx_YY", "not a locale I know"),
        ("/pick 99 1", "can't find that question"),
        ("good morning", "how long"),
        ("x" * 5000, "at most 4,000"),
    ],
)
def test_bad_input_gets_a_clear_sentence_and_changes_nothing(chat, sessions, message, expected) -> None:
    chat.say("/client add ACME rate 80")
    before = snapshot(sessions)
    reply = chat.say(message)
    assert expected.lower() in reply.text.lower()
    assert "something went wrong" not in reply.text
    assert snapshot(sessions) == before


def test_an_unexpected_error_is_logged_with_a_reference_and_the_conversation_goes_on(core, chat, caplog, monkeypatch) -> None:
    from dataclasses import replace

    def broken(ctx, args):  # type: ignore[no-untyped-def]
        raise RuntimeError("database exploded: secret detail")

    core._by_name["clients"] = replace(core._by_name["clients"], handler=broken)
    reply = chat.say("/clients")
    assert reply.text.startswith("Sorry, something went wrong (ref ")
    ref = reply.text.split("ref ")[1][:8]
    assert "secret detail" not in reply.text
    assert any(ref in record.getMessage() and record.exc_info for record in caplog.records)
    assert "Added client" in chat.text("/client add Globex")
