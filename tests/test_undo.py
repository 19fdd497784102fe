"""/undo takes back exactly the last change of any kind, or says which change it was and that it can't, changing
nothing; the change journal is one table every change writes to (SQLite and PostgreSQL)."""
from __future__ import annotations

from sqlalchemy import select, text

from tests.conftest import Conversation, migrate_to

CANT = "and I can't undo that. Nothing was changed."


def _books(chat: Conversation) -> None:
    chat.text("/profile set name Jane Doe Design")
    chat.text("/client add ACME rate 80")
    chat.text("/client add Globex rate 100")
    chat.text("1h older work for Globex")
    chat.text("2h logo for ACME")


def test_undo_after_void_says_what_the_last_change_was_and_deletes_nothing(chat) -> None:
    _books(chat)
    chat.invoice("/invoice ACME")
    chat.text("/void INV-2026-0001")
    before = chat.text("/tasks")
    assert chat.text("/undo") == f"Your last change was voiding INV-2026-0001, {CANT}"
    assert chat.text("/tasks") == before
    assert "older work" in before and "logo" in before
    assert chat.text("/undo") == f"Your last change was voiding INV-2026-0001, {CANT}"  # still the last


def test_undo_after_paid_or_issue_refuses_by_name(chat) -> None:
    _books(chat)
    chat.invoice("/invoice ACME")
    assert chat.text("/undo") == f"Your last change was issuing INV-2026-0001, {CANT}"
    chat.text("/paid INV-2026-0001")
    assert chat.text("/undo") == f"Your last change was recording INV-2026-0001 as paid, {CANT}"
    assert "paid" in chat.text("/invoices").splitlines()[-1]
    assert "older work" in chat.text("/tasks Globex")


def test_client_profile_and_timezone_changes_are_journaled_and_named(chat) -> None:
    _books(chat)
    chat.text("/client set ACME rate 90")
    assert chat.text("/undo") == f"Your last change was changing the rate of ACME, {CANT}"
    chat.text("/client archive Globex")
    assert chat.text("/undo") == f"Your last change was changing the archived of Globex, {CANT}"
    chat.text("/client add Initech")
    assert chat.text("/undo") == f"Your last change was adding the client Initech, {CANT}"
    chat.text("/profile set payment IBAN DE89 3704 0044 0532 0130 00")
    assert chat.text("/undo") == f"Your last change was changing your profile's payment, {CANT}"
    chat.text("/tz Europe/Paris")
    assert chat.text("/undo") == f"Your last change was changing your timezone, {CANT}"


def test_task_changes_are_taken_back_newest_first(chat) -> None:
    chat.text("/client add ACME rate 80")
    chat.text("1h first for ACME")
    chat.text("2h second for ACME")
    chat.text("/edit 2 3h")
    chat.text("/delete 1")
    assert chat.text("/undo").startswith("Restored #1: 1h for ACME")
    assert chat.text("/undo").startswith("Put back #2: 2h for ACME")
    assert chat.text("/undo").startswith("Removed #2: 2h for ACME")
    assert chat.text("/undo").startswith("Removed #1: 1h for ACME")
    assert chat.text("/undo") == f"Your last change was adding the client ACME, {CANT}"


def test_a_task_undo_button_still_reaches_its_own_task_after_other_changes(chat) -> None:
    chat.text("/client add ACME rate 80")
    undo_button = chat.say("1h first for ACME").actions[0].command
    chat.text("/client set ACME rate 90")
    assert chat.text(undo_button).startswith("Removed #1: 1h for ACME")


def test_a_repeated_day_is_one_change_that_undo_takes_back_whole(chat, clock) -> None:
    chat.text("/client add ACME rate 80")
    chat.text("1h design for ACME")
    chat.text("2h review for ACME")
    clock.advance(days=1)
    assert "#3" in chat.text("/again") and "#4" in chat.text("/tasks")
    undone = chat.text("/undo").splitlines()
    assert [line.split(":")[0] for line in undone] == ["Removed #4", "Removed #3"]
    tasks = chat.text("/tasks")
    assert "#3" not in tasks and "#4" not in tasks and "#1" in tasks and "#2" in tasks


def test_the_journal_keeps_what_a_change_replaced(chat, sessions) -> None:
    from core.models import Change

    _books(chat)
    chat.text("/client set ACME rate 90")
    chat.invoice("/invoice ACME")
    chat.text("/paid INV-2026-0001")
    with sessions() as session:
        rows = [(c.kind, c.before) for c in session.scalars(select(Change).order_by(Change.id))]
    assert ("client.set", '{"field": "rate", "rate": "80"}') in rows
    assert rows[-2:] == [("invoice.issue", None), ("invoice.paid", '{"status": "open", "paid_on": null}')]


def test_the_migration_moves_the_task_journal_over(blank_database_url, cipher, clock) -> None:
    from bot.wiring import build_core
    from core.storage import create_db_engine, migrate, session_factory

    engine = create_db_engine(blank_database_url)
    try:
        migrate_to(engine, "0006")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO accounts (id, timezone, created_at, last_task_number) VALUES "
                                    "(7, 'Europe/Berlin', '2026-11-01 09:00:00', 2)"))
            connection.execute(text("INSERT INTO profiles (account_id, currency, tax_rate, terms_days, number_format, "
                                    "locale) VALUES (7, 'EUR', '0', 30, 'INV-{year}-{seq:04}', 'en_GB')"))
            connection.execute(text("INSERT INTO identities (platform, platform_user_id, account_id, created_at) "
                                    "VALUES ('local', 'alice', 7, '2026-11-01 09:00:00')"))
            connection.execute(text("INSERT INTO clients (id, account_id, name, name_key, rate, currency, archived, "
                                    "created_at) VALUES (3, 7, 'ACME', 'acme', '80', 'EUR', false, "
                                    "'2026-11-01 09:00:00')"))
            for task_id, number, minutes in ((40, 1, 180), (41, 2, 60)):
                connection.execute(text("INSERT INTO tasks (id, account_id, number, client_id, work_date, minutes, "
                                        "description, created_at) VALUES (:id, 7, :number, 3, '2026-11-02', "
                                        ":minutes, 'old', '2026-11-02 09:00:00')"),
                                   {"id": task_id, "number": number, "minutes": minutes})
            journal = [(1, 40, "log", None, None), (2, 41, "log", None, None),
                       (3, 40, "edit", '{"minutes": 120}', None), (4, 41, "delete", None, "2026-11-03 10:00:00")]
            for change_id, task_id, kind, before, undone in journal:
                connection.execute(text("INSERT INTO task_changes (id, account_id, task_id, kind, \"before\", "
                                        "created_at, undone_at) VALUES (:id, 7, :task, :kind, :before, "
                                        "'2026-11-02 09:00:00', :undone)"),
                                   {"id": change_id, "task": task_id, "kind": kind, "before": before,
                                    "undone": undone})
        migrate(engine)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, kind, subject_id, \"before\", undone_at IS NOT NULL "
                                           "FROM changes ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, "task.log", 40, None, False), (2, "task.log", 41, None, False),
                                            (3, "task.edit", 40, '{"minutes": 120}', False),
                                            (4, "task.delete", 41, None, True)]
        chat = Conversation(build_core(session_factory(engine), cipher, clock))
        assert chat.text("/undo").startswith("Put back #1: 2h for ACME")  # the newest open change: the edit
        assert chat.text("/undo").startswith("Removed #2:")
        chat.text("/client set ACME rate 90")  # a new journal id after the copied ones (PostgreSQL's sequence)
        assert chat.text("/undo") == f"Your last change was changing the rate of ACME, {CANT}"
    finally:
        engine.dispose()
