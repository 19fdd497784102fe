"""The statements every logged phrase runs on the session's DBAPI connection (core/prepared.py) store what the ORM
would, in the same transaction, fail as SQLAlchemy's statements fail, and stay visible to statement listeners
(SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError

from core.models import Account, Change, Task


def _account(sessions) -> Account:  # type: ignore[no-untyped-def]
    with sessions() as session:
        account = session.scalars(select(Account)).one()
        session.expunge(account)
        return account


def test_a_logged_task_and_its_change_read_back_through_the_orm_as_written(chat, sessions, clock) -> None:
    chat.text("/client add ACME rate 80")
    clock.set("2026-11-24T23:30:00+01:00")  # an instant given in another offset is stored as its UTC instant
    assert chat.text("1.5h logo design for ACME @ 92.50/h yesterday").startswith("Logged #1:")
    with sessions() as session:
        task = session.scalars(select(Task)).one()
        change = session.scalars(select(Change).where(Change.kind == "task.log")).one()
    assert (task.number, task.work_date, task.minutes, task.rate, task.description) == (
        1, date(2026, 11, 23), 90, Decimal("92.5"), "logo design")
    assert task.created_at == datetime(2026, 11, 24, 22, 30, tzinfo=UTC) and task.created_at.tzinfo is UTC
    assert (task.invoice_id, task.deleted_at, task.kind, task.fixed_amount_minor) == (None, None, "work", None)
    assert (change.subject_id, change.created_at, change.before, change.undone_at) == (
        task.id, datetime(2026, 11, 24, 22, 30, tzinfo=UTC), None, None)
    assert chat.text("/undo").startswith("Removed #1:")  # the journal entry is one /undo reads


def test_a_phrase_stores_instants_and_dates_in_the_very_form_the_orm_does(chat, engine) -> None:
    """Compared as stored, not as read back: SQL compares them as text on SQLite (the delivery record's expiry,
    the retention's pruning), so a second form of the same instant would sort wrongly against the first."""
    chat.text("/client add ACME rate 80")  # the client and its change: written through the ORM
    chat.say("2h logo design for ACME", message_id="m-1")
    with engine.connect() as connection:
        client_added, = connection.execute(text("SELECT created_at FROM clients")).one()
        task_logged, work_date, *unset = connection.execute(text(
            "SELECT created_at, work_date, rate, deleted_at, tax_rate, invoice_id FROM tasks")).one()
        changes = connection.execute(text("SELECT created_at FROM changes ORDER BY seq")).scalars().all()
        received, = connection.execute(text("SELECT received_at FROM processed_messages")).one()
    assert task_logged == client_added == changes[0] == changes[1] == received
    assert str(work_date) == "2026-11-24" and unset == [None, None, None, None]  # NULL, not a text of None


def test_a_refused_statement_raises_sqlalchemys_error_and_the_transaction_leaves_nothing(chat, sessions,
                                                                                         clock) -> None:
    from core.journal import record_change

    chat.text("/client add ACME rate 80")
    account = _account(sessions)
    with sessions() as session:
        seq = session.scalar(select(Account.last_change_seq))
    with pytest.raises(IntegrityError), sessions.begin() as session:
        record_change(session, account, "task.log", clock(), 1, seq=seq)  # a journal number already taken
    with sessions() as session:
        assert session.scalar(select(Account.last_change_seq)) == seq
        assert [change.kind for change in session.scalars(select(Change))] == ["client.add"]


def test_statement_listeners_see_every_statement_of_a_phrase(chat, engine) -> None:
    chat.text("/client add ACME rate 80")
    chat.text("1h call for ACME")
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(" ".join(args[2].split()[:3])))
    assert chat.say("2h logo design for ACME", message_id="m-1").text.startswith("Logged #2:")
    assert chat.say("2h logo design for ACME", message_id="m-1") is None  # a re-delivery changes nothing
    assert [sql for sql in seen if sql.startswith(("INSERT", "UPDATE"))] == [
        "INSERT INTO processed_messages", "UPDATE accounts SET", "INSERT INTO tasks", "INSERT INTO changes",
        "INSERT INTO processed_messages"]



def test_an_account_whose_profile_row_is_missing_is_found_and_given_a_new_one(chat, engine) -> None:
    chat.text("/client add ACME rate 80")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM profiles"))
    assert chat.text("2h logo design for ACME").startswith("Logged #1:")  # the same books: no second account
    assert chat.text("/profile set name Jane Doe Design").startswith("Saved")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM accounts")).scalar() == 1
        assert connection.execute(text("SELECT name, locale FROM profiles")).one() == ("Jane Doe Design", "en_GB")


def test_the_account_read_twice_in_one_transaction_is_one_object_and_keeps_its_changes(chat, sessions,
                                                                                       clock) -> None:
    from core.accounts import resolve_account
    from core.messages import Incoming

    chat.text("/client add ACME rate 80")
    alice = Incoming(platform="local", user_id="alice", chat_id="alice", text="", is_private=True)
    with sessions.begin() as session:
        account = resolve_account(session, alice, clock(), "UTC")
        account.timezone = "Europe/Paris"
        account.profile.name = "Jane Doe Design"
        assert resolve_account(session, alice, clock(), "UTC") is account
    with sessions() as session:
        account = resolve_account(session, alice, clock(), "UTC")
        assert (account.timezone, account.profile.name, account.profile.account is account) == (
            "Europe/Paris", "Jane Doe Design", True)
