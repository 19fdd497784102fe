"""/undo takes back exactly the last change of any kind, or says which change it was and that it can't, changing
nothing; the change journal is one table every change writes to (SQLite and PostgreSQL)."""
from __future__ import annotations

from sqlalchemy import select, text

from tests.conftest import Conversation, insert_alice_and_acme, migrate_to

CANT = "and I can't undo that. Nothing was changed."


def _books(chat: Conversation) -> None:
    chat.text("/profile set name Jane Doe Design")
    chat.text("/client add ACME rate 80")
    chat.text("/client add Globex rate 100")
    chat.text("1h older work for Globex")
    chat.text("2h logo for ACME")


def test_every_kind_of_change_can_be_taken_back() -> None:
    from core.undo import KINDS

    assert [kind for kind, entry in KINDS.items() if entry.undo is None] == []


def test_undo_of_an_invoice_just_issued_credits_it_and_unbills_its_work(chat, clock) -> None:
    _books(chat)
    chat.invoice("/invoice ACME")
    clock.advance(minutes=9)
    assert chat.text("/undo") == ("Took back issuing INV-2026-0001: credit note CN-2026-0001 cancels it (the number "
                                  "stays used, as the law wants), and its 1 task is unbilled again. /invoice show "
                                  "CN-2026-0001 shows the credit note.")
    assert "logo" in chat.text("/tasks ACME")
    listed = chat.text("/invoices")
    assert "INV-2026-0001 · ACME" in listed and "void, cancelled by CN-2026-0001" in listed
    assert "credit note for INV-2026-0001" in listed
    assert chat.text("/undo").startswith("Removed #2: 2h for ACME")  # the change before the invoice, not the void
    assert chat.invoice("/invoice Globex").document.filename == "INV-2026-0002.pdf"  # the number was not reused


def test_an_invoice_older_than_ten_minutes_stays_and_undo_says_so(chat, clock) -> None:
    _books(chat)
    chat.invoice("/invoice ACME")
    clock.advance(minutes=11)
    assert chat.text("/undo") == ("INV-2026-0001 was issued more than 10 minutes ago, so /undo leaves it as it is. "
                                  "To cancel it, /void INV-2026-0001 issues a credit note.")
    assert chat.text("/tasks ACME").startswith("No unbilled work for ACME.")
    assert "CN-" not in chat.text("/invoices")


def test_undo_of_a_void_reopens_the_invoice_and_withdraws_its_credit_note(chat, clock) -> None:
    _books(chat)
    chat.invoice("/invoice ACME")
    clock.advance(days=3)
    chat.text("/void INV-2026-0001")
    assert "logo" in chat.text("/tasks ACME")
    assert chat.text("/undo") == ("Took back voiding INV-2026-0001: it is open again, with its work billed on it. "
                                  "Credit note CN-2026-0001 keeps its number, marked withdrawn.")
    assert "logo" not in chat.text("/tasks ACME")
    listed = chat.text("/invoices")
    assert "credit note for INV-2026-0001, withdrawn" in listed
    assert "INV-2026-0001 · ACME" in listed and "open, due" in listed
    assert chat.text("/paid INV-2026-0001").startswith("Recorded INV-2026-0001 (ACME, €160.00) as paid")
    chat.text("/unpaid INV-2026-0001")
    chat.text("/void INV-2026-0001")  # voided again: a new credit note, the withdrawn one keeps its number
    listed = chat.text("/invoices")
    assert "void, cancelled by CN-2026-0002" in listed and "credit note for INV-2026-0001, withdrawn" in listed


def test_client_changes_are_taken_back(chat) -> None:
    _books(chat)
    chat.text("/client set ACME rate 90")
    assert chat.text("/undo") == "Took back changing the rate of ACME."
    assert "80" in chat.text("/client ACME") and "90" not in chat.text("/client ACME")
    chat.text("/client set ACME name Acme Corp")
    assert chat.text("/undo") == "Took back changing the name of ACME."
    assert "ACME" in chat.text("/clients") and "Acme Corp" not in chat.text("/clients")
    chat.text("/client set ACME tax_rate 7")
    chat.text("/undo")
    chat.text("/client archive Globex")
    assert chat.text("/undo") == "Took back archiving Globex; it is back in /clients."
    assert "Globex" in chat.text("/clients")
    chat.text("/client add Initech rate 50 email ap@initech.example")
    chat.text("/client set Initech country FR")
    chat.text("/client delete Initech")
    assert "Initech" not in chat.text("/clients")
    assert chat.text("/undo") == "Took back deleting the client Initech; it is back in /clients."
    shown = chat.text("/client Initech")
    assert "ap@initech.example" in shown and "50" in shown and "FR" in shown
    assert chat.text("/undo") == "Took back changing the country of Initech."  # its earlier change finds it again
    assert chat.text("/undo") == "Took back adding the client Initech; it is gone again."
    assert "Initech" not in chat.text("/clients")
    assert chat.text("/undo").startswith("Removed #2: 2h for ACME")


def test_undo_of_adding_a_client_takes_its_undone_work_with_it(chat) -> None:
    chat.text("/client add ACME rate 80")
    chat.text("1h design for ACME")
    chat.text("/undo")  # the task goes (a deleted task, kept in the books)
    assert chat.text("/undo") == "Took back adding the client ACME; it is gone again."
    assert "ACME" not in chat.text("/clients").replace("/client add ACME", "")
    assert chat.text("/undo") == "There is nothing to undo."


def test_undo_of_adding_a_client_that_has_work_now_is_refused(chat, sessions, clock) -> None:
    from core.models import Client, Task

    chat.text("/client add ACME rate 80")
    with sessions.begin() as session:  # work that came in without a journal entry of its own
        client = session.scalars(select(Client)).one()
        session.add(Task(account_id=client.account_id, number=1, client_id=client.id, work_date=clock().date(),
                         minutes=60, description="imported", created_at=clock()))
    assert chat.text("/undo") == ("ACME has 1 logged task now, so adding it can't be taken back. Nothing was "
                                  "changed.")
    assert "ACME" in chat.text("/clients")


def test_profile_and_timezone_changes_are_taken_back(chat) -> None:
    chat.text("/profile set terms 14")
    chat.text("/profile set terms 30")
    assert chat.text("/undo") == "Took back changing your profile's terms."
    assert "14" in chat.text("/profile")
    chat.text("/profile set tax_rate 19")
    chat.text("/profile set tax_rate 7")
    chat.text("/undo")
    assert "19" in chat.text("/profile")
    chat.text("/profile set payment IBAN DE89 3704 0044 0532 0130 00")
    chat.text("/profile set payment IBAN GB33 BUKB 2020 1555 5555 55")
    assert chat.text("/undo") == "Took back changing your profile's payment."
    shown = chat.text("/profile")
    assert "DE89" in shown and "GB33" not in shown
    chat.text("/undo")
    assert "DE89" not in chat.text("/profile")
    chat.text("/tz Europe/Paris")
    assert chat.text("/undo") == "Took back changing your timezone; it is Europe/Berlin again."
    assert "Europe/Berlin" in chat.text("/tz")


def test_the_old_secret_is_kept_encrypted_where_key_rotation_reaches_it(chat, sessions) -> None:
    from bot.keys import encrypted_columns
    from core.models import Change

    chat.text("/profile set payment IBAN DE89 3704 0044 0532 0130 00")
    chat.text("/profile set payment IBAN GB33 BUKB 2020 1555 5555 55")
    with sessions() as session:
        change = session.scalars(select(Change).order_by(Change.id.desc())).first()
        assert "DE89" not in (change.before or "") and "DE89" not in (change.before_enc or "")
        assert change.before_enc
    assert ("changes", "before_enc") in {(c.table, c.column) for c in encrypted_columns()}


def test_a_secret_change_journaled_before_old_values_were_kept_is_refused(chat, sessions) -> None:
    from core.models import Change

    chat.text("/profile set payment IBAN DE89 3704 0044 0532 0130 00")
    with sessions.begin() as session:
        change = session.scalars(select(Change).order_by(Change.id.desc())).first()
        change.before = '{"field": "payment"}'
    assert chat.text("/undo") == ("Your profile's payment was changed before I kept its old value, so I can't put it "
                                  "back. Nothing was changed.")
    assert "DE89" in chat.text("/profile")


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
    assert chat.text("/undo") == "Took back adding the client ACME; it is gone again."


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
    assert rows[-2:] == [("invoice.issue", None), ("invoice.paid", '{"payment": 1}')]


def test_the_migration_moves_the_task_journal_over(blank_database_url, cipher, clock) -> None:
    from bot.wiring import build_core
    from core.storage import create_db_engine, migrate, session_factory

    engine = create_db_engine(blank_database_url)
    try:
        migrate_to(engine, "0006")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO accounts (id, timezone, created_at, last_task_number) VALUES "
                                    "(7, 'Europe/Berlin', '2026-11-01 09:00:00', 2)"))
            insert_alice_and_acme(connection)
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
        assert chat.text("/undo") == "Took back changing the rate of ACME."
    finally:
        engine.dispose()
