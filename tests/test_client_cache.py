"""Each worker keeps an account's client list between messages (core.clients.ClientCache): a logged phrase reads no
clients from the database while the list is current, and a client added, renamed, archived or re-priced through
another worker — two Cores on one database, as two `invoicebot run` processes are — is seen at the very next
message, because the database raises the account's ``clients_version`` with every change of its clients."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event, select, text

from core.models import Account, Task
from tests.conftest import Conversation


@pytest.fixture
def workers(database_url: str, cipher, clock) -> Iterator[tuple[Conversation, Conversation]]:  # type: ignore[no-untyped-def]
    """Alice as two workers see her: two Cores, each with its own engine, on one database."""
    from bot.wiring import build_core
    from core.storage import create_db_engine, session_factory

    engines = [create_db_engine(database_url) for _ in range(2)]
    first, second = (Conversation(build_core(session_factory(engine), cipher, clock, default_tz="Europe/Berlin"))
                     for engine in engines)
    yield first, second
    for engine in engines:
        engine.dispose()


def _statements(chat: Conversation) -> list[str]:
    """Every statement the next message of this conversation runs, recorded from its worker's engine."""
    engine = chat.core.sessions.kw["bind"]
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_a_logged_phrase_reads_no_clients_while_its_workers_list_is_current(workers) -> None:  # type: ignore[no-untyped-def]
    first, _ = workers
    first.text("/client add ACME rate 80")
    first.text("/client add Globex rate 50")
    first.text("1h call for Globex")  # the first phrase reads the list
    seen = _statements(first)
    assert first.text("2h logo design for ACME").startswith("Logged #2: 2h for ACME")
    assert not [sql for sql in seen if "FROM clients" in sql], seen


def test_a_client_added_through_one_worker_is_known_to_the_other_at_once(workers) -> None:  # type: ignore[no-untyped-def]
    first, second = workers
    first.text("/client add ACME rate 80")
    first.text("1h call for ACME")
    second.text("/client add Initech rate 60")
    assert first.text("2h review for Initech").startswith("Logged #2: 2h for Initech")


def test_a_client_renamed_through_one_worker_is_known_by_its_new_name_to_the_other(workers) -> None:  # type: ignore[no-untyped-def]
    first, second = workers
    first.text("/client add ACME rate 80")
    first.text("1h call for ACME")
    second.text("/client set ACME name Globex")
    assert first.text("2h review for Globex").startswith("Logged #2: 2h for Globex")
    assert "Logged" not in first.text("1h more for ACME")


def test_a_client_archived_through_one_worker_is_not_logged_to_by_the_other(workers) -> None:  # type: ignore[no-untyped-def]
    first, second = workers
    first.text("/client add ACME rate 80")
    first.text("/client add Globex rate 50")
    first.text("1h call for ACME")
    second.text("/client archive ACME")
    reply = first.text("2h review for ACME")
    assert "Logged" not in reply
    assert "ACME" in reply


def test_a_rate_changed_through_one_worker_prices_the_others_next_phrase(workers) -> None:  # type: ignore[no-untyped-def]
    first, second = workers
    first.text("/client add ACME rate 80")
    first.text("1h call for ACME")
    second.text("/client set ACME rate 100")
    assert "€200.00 at €100.00/h" in first.text("2h review for ACME")


def test_a_client_changed_outside_the_bot_is_seen_too(workers) -> None:  # type: ignore[no-untyped-def]
    """The version is raised by the database (triggers), not by the bot's code: any writer's change counts."""
    first, _ = workers
    first.text("/client add ACME rate 80")
    first.text("1h call for ACME")
    sessions = first.core.sessions
    with sessions.begin() as session:
        before = session.scalar(select(Account.clients_version))
        session.execute(text("UPDATE clients SET rate = '90'"))
        assert session.scalar(select(Account.clients_version)) == before + 1
    assert "€180.00 at €90.00/h" in first.text("2h review for ACME")
    with sessions.begin() as session:
        assert session.scalar(select(Task.rate).where(Task.number == 2)) is None  # the client's rate, not a copy
