"""Tasks are numbered per account (#1, #2 …): commands, buttons and replies use the account's number, never the
database id, and one account logging twice at the same moment never gets one number twice."""
from __future__ import annotations

import threading

from sqlalchemy import text

from tests.conftest import Conversation, insert_alice_and_acme, migrate_to


def test_a_new_users_first_task_is_number_one_whatever_others_logged(core) -> None:
    alice, bob = Conversation(core, "alice"), Conversation(core, "bob")
    for who in (alice, bob):
        who.text("/client add ACME rate 80")
    for _ in range(3):
        alice.text("1h design for ACME")
    reply = bob.say("2h review for ACME")
    assert reply.text.startswith("Logged #1: 2h for ACME")
    assert [(a.label, a.command) for a in reply.actions] == [("Undo", "/undo 1")]
    assert "  #1 " in bob.text("/tasks") and "#2" not in bob.text("/tasks")


def test_commands_address_a_task_by_the_accounts_own_number(core) -> None:
    alice, bob = Conversation(core, "alice"), Conversation(core, "bob")
    for who in (alice, bob):
        who.text("/client add ACME rate 80")
    alice.text("1h alice one for ACME")
    alice.text("1h alice two for ACME")
    bob.text("1h bob one for ACME")
    assert bob.text("/edit 1 3h").startswith("Changed #1: 3h for ACME")
    assert "bob one" in bob.text("/tasks") and "3h" in bob.text("/tasks")
    assert "1h" in alice.text("/tasks").split("alice one")[0]  # alice's #1 untouched
    assert bob.text("/delete 2") == "There is no task #2. /tasks lists your unbilled work with its numbers."
    assert alice.text("/delete 2").startswith("Deleted #2: 1h for ACME")
    assert alice.text("/undo 2").startswith("Restored #2:")
    assert bob.text("/undo").startswith("Put back #1: 1h for ACME")


def test_a_deleted_tasks_number_is_not_given_again(chat) -> None:
    chat.text("/client add ACME rate 80")
    chat.text("1h one for ACME")
    chat.text("1h two for ACME")
    chat.text("/delete 2")
    assert chat.text("1h three for ACME").startswith("Logged #3:")


def test_one_account_logging_at_the_same_moment_gets_distinct_numbers(core) -> None:
    Conversation(core, "alice").text("/client add ACME rate 80")
    threads_count = 6
    start = threading.Barrier(threads_count)
    replies: list[str] = []

    def log(n: int) -> None:
        start.wait()
        replies.append(Conversation(core, "alice").text(f"1h task {n} for ACME"))

    threads = [threading.Thread(target=log, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(int(r.split(":")[0].removeprefix("Logged #")) for r in replies)
    assert numbers == list(range(1, threads_count + 1)), replies


def test_the_migration_numbers_existing_tasks_per_account_in_id_order(blank_database_url) -> None:
    from core.storage import create_db_engine

    engine = create_db_engine(blank_database_url)
    try:
        migrate_to(engine, "0002")
        with engine.begin() as connection:
            for account in (1, 2, 3):
                connection.execute(text("INSERT INTO accounts (id, timezone, created_at) "
                                        "VALUES (:id, 'UTC', '2026-11-01 09:00:00')"), {"id": account})
                connection.execute(text("INSERT INTO clients (id, account_id, name, name_key, currency, archived, "
                                        "created_at) VALUES (:id, :id, 'ACME', 'acme', 'EUR', false, "
                                        "'2026-11-01 09:00:00')"), {"id": account})
            # Interleaved as several users' logging was: ids 1…7 over accounts 1 and 2; account 3 has none.
            for task_id, account in ((1, 2), (2, 1), (3, 1), (4, 2), (5, 1), (6, 2), (7, 2)):
                connection.execute(text("INSERT INTO tasks (id, account_id, client_id, work_date, minutes, "
                                        "created_at) VALUES (:id, :account, :account, '2026-11-02', 60, "
                                        "'2026-11-02 09:00:00')"), {"id": task_id, "account": account})
        migrate_to(engine, "0003")
        with engine.connect() as connection:
            numbers = connection.execute(text("SELECT id, account_id, number FROM tasks ORDER BY id")).all()
            last = dict(connection.execute(text("SELECT id, last_task_number FROM accounts")).all())
        assert [tuple(row) for row in numbers] == [(1, 2, 1), (2, 1, 1), (3, 1, 2), (4, 2, 2), (5, 1, 3),
                                                   (6, 2, 3), (7, 2, 4)]
        assert last == {1: 3, 2: 4, 3: 0}
    finally:
        engine.dispose()


def test_after_the_migration_the_next_task_continues_the_accounts_sequence(blank_database_url, cipher, clock) -> None:
    from bot.wiring import build_core
    from core.storage import create_db_engine, migrate, session_factory

    engine = create_db_engine(blank_database_url)
    try:
        migrate_to(engine, "0002")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO accounts (id, timezone, created_at) VALUES "
                                    "(7, 'UTC', '2026-11-01 09:00:00')"))
            insert_alice_and_acme(connection)
            for task_id in (40, 41):
                connection.execute(text("INSERT INTO tasks (id, account_id, client_id, work_date, minutes, "
                                        "description, created_at) VALUES (:id, 7, 3, '2026-11-02', 60, 'old', "
                                        "'2026-11-02 09:00:00')"), {"id": task_id})
        migrate(engine)
        chat = Conversation(build_core(session_factory(engine), cipher, clock))
        assert "  #1 " in chat.text("/tasks") and "  #2 " in chat.text("/tasks")
        assert chat.text("1h new for ACME").startswith("Logged #3:")
        assert chat.text("/delete 1").startswith("Deleted #1: 1h for ACME on 2 Nov 2026 — old")
    finally:
        engine.dispose()
