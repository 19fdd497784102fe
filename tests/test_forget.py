"""/forget me: after one confirmation every row and file of the account is gone, and only that account's."""
from __future__ import annotations

import io
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.local import LocalChannel, terminal_files, user_folder
from core import erasure
from core.messages import Attachment, Incoming
from core.models import ApiToken, Base, Email, IdempotentRequest, Identity, InboxItem, Invoice
from core.storage import create_db_engine
from tests.conftest import SELLER_PROFILE, Conversation, FixedClock

PNG = b"\x89PNG\r\n\x1a\n" + b"receipt of the Zylophonic parking" * 4
SECRETS = ("Zylophonic", "refurbish the quokka enclosure", "Quellenstrasse 4711", "Jane Doe Design", "Bolzano pass")
"""Text that only the erased account's rows hold: none of it may remain in the database file."""


def confirm(chat: Conversation, language_button: int = 1) -> str:
    asked = chat.say("/forget me")
    assert asked is not None and len(asked.actions) == 2, asked
    return chat.text(asked.actions[language_button - 1].command)


def fill_books(core, user: str, clock: FixedClock) -> Conversation:  # type: ignore[no-untyped-def]
    """Something in every table of the books: clients, tasks, an expense with its receipt, an invoice with its lines
    and a payment, a credit note, a timer, reminders, a retainer, a token, a link code, a linked Telegram chat, an
    unanswered question, an import's remembered entries and the journal."""
    chat = Conversation(core, user=user)
    for line in SELLER_PROFILE:
        chat.text(line)
    chat.text("/client add Zylophonic Widgets rate 80")
    chat.text("/client set Zylophonic address Quellenstrasse 4711 | 10115 Berlin")
    chat.text("/client add Other rate 50")
    chat.text("2h refurbish the quokka enclosure for Zylophonic yesterday")
    reply = core.handle(Incoming(platform="local", user_id=user, chat_id=user, text="/expense 12 Bolzano pass for "
                                 "Zylophonic", attachment=Attachment("receipt.png", PNG, len(PNG))))
    assert reply is not None and "Receipt kept" in reply.text, reply
    issued = chat.invoice("/invoice Zylophonic")
    assert issued.document is not None, issued.text
    chat.text("/paid INV-2026-0001 10")
    chat.text("3h second go for Zylophonic")
    chat.invoice("/invoice Zylophonic")
    assert chat.text("/void INV-2026-0002").startswith("Cancelled INV-2026-0002 with credit note")
    chat.text("/timer sketches for Other")
    chat.text("/remind daily 18:00")
    chat.text("/recurring Other monthly 1 500 website care")
    chat.text("/token new dashboard")
    export = (b"User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration\n"
              b"Me,me@example.com,Other,Site,,imported sketches,Yes,2026-11-20,09:00:00,2026-11-20,10:00:00,01:00:00\n")
    preview = core.handle(Incoming(platform="local", user_id=user, chat_id=user, text="/import",
                                   attachment=Attachment("toggl.csv", export, len(export))))
    assert preview is not None and preview.actions, preview
    assert chat.text(preview.actions[0].command).startswith("Imported one entry")
    phone = Conversation(core, user=f"{user}-phone", platform="telegram")
    code = re.search(r"/link (\S+)", chat.text("/link"))
    assert code is not None
    assert phone.text(f"/link {code.group(1)}").startswith("Linked")
    chat.text("/link")  # a code nobody used yet
    chat.text("1h call for Nobodyknows")  # an unanswered question
    chat.say("/clients", message_id=f"{user}-1")  # a delivery id (not the account's: see erasure.KEPT)
    return chat


def add_mail_and_api_rows(sessions, user: str, now: datetime) -> None:  # type: ignore[no-untyped-def]
    """An e-mail in the outbox and a stored API answer: made by SMTP and HTTP, which these tests don't start."""
    with sessions.begin() as session:
        account_id = session.scalar(select(Identity.account_id).where(Identity.platform_user_id == user))
        invoice_id = session.scalar(select(Invoice.id).where(Invoice.account_id == account_id).limit(1))
        token_id = session.scalar(select(ApiToken.id).where(ApiToken.account_id == account_id))
        session.add(Email(account_id=account_id, invoice_id=invoice_id, kind="invoice", recipient="a@example.org",
                          sender="b@example.org", message_id=f"<{user}@example.org>", next_attempt_at=now,
                          created_at=now))
        session.add(IdempotentRequest(token_id=token_id, key="k1", fingerprint="0" * 64, status=201,
                                      content_type="application/json", body="{}", created_at=now))
        session.add(InboxItem(platform="telegram", key=f"tg:{user}", chat=user, payload=b"{}", received_at=now))


def row_counts(sessions) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return {table.name: session.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables}


def test_forget_me_asks_first_names_what_goes_and_changes_nothing_until_the_button(chat: Conversation) -> None:
    chat.text("/client add ACME rate 80")
    chat.text("2h logo design for ACME")
    assert chat.text("/forget").startswith("/forget me deletes everything I keep for you")
    asked = chat.say("/forget me")
    assert asked is not None
    assert asked.text.startswith("This deletes everything I keep for you, for good: 1 client, 1 task, your "
                                 "profile and settings.")
    assert "/export tasks and /export invoices" in asked.text and "/undo can't bring any of it back" in asked.text
    assert "kept for years by law (for example 10 years in Germany, 6 in France)" in asked.text
    assert [action.label for action in asked.actions] == ["Delete everything", "Cancel"]
    assert "logo design" in chat.text("/tasks")  # asking deleted nothing
    assert chat.text(asked.actions[1].command) == "Nothing was deleted."
    assert "logo design" in chat.text("/tasks")
    assert chat.text(asked.actions[0].command) == "You already answered that question."


def test_forget_me_is_refused_in_a_group_and_after_ten_minutes(core, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    group = Conversation(core, user="carol", private=False)
    group.text("/client add ACME rate 80")
    assert group.text("/forget me").startswith("/forget is about your own books, so I only answer it in a private")
    chat = Conversation(core, user="carol")
    asked = chat.say("/forget me")
    assert asked is not None
    clock.advance(minutes=11)
    assert chat.text(asked.actions[0].command).startswith("That question is older than 10 minutes")
    assert "ACME" in chat.text("/clients")


def test_everything_of_the_account_goes_in_every_table_and_the_other_account_keeps_all(  # type: ignore[no-untyped-def]
        core, sessions, clock: FixedClock) -> None:
    alice = fill_books(core, "alice", clock)
    bob = fill_books(core, "bob", clock)  # the same books: every table holds as many of his rows as of hers
    for user in ("alice", "bob"):
        add_mail_and_api_rows(sessions, user, clock())
    before = row_counts(sessions)
    assert [name for name, count in before.items() if count == 0] == []
    assert confirm(alice) == "Everything is deleted."
    after = row_counts(sessions)
    assert {name: count for name, count in after.items() if name not in erasure.KEPT} == {
        name: count // 2 for name, count in before.items() if name not in erasure.KEPT}
    assert all(after[name] >= before[name] for name in erasure.KEPT)  # no account's (see erasure.KEPT)
    assert "INV-2026-0001" in bob.text("/invoices") and "second go" in bob.text("/tasks")
    assert "Zylophonic" in bob.text("/clients")
    # A stranger now, on every chat that reached the books: nothing to undo, numbering starts again at #1.
    phone = Conversation(core, user="alice-phone", platform="telegram")
    assert phone.text("/clients").startswith("You have no clients yet")
    assert alice.text("/undo").startswith("There is nothing to undo")
    alice.text("/client add ACME rate 80")
    assert alice.text("1h call for ACME").startswith("Logged #1:")


def inbox_row(platform: str, chat: str, key: str, text: str, now: datetime, done: bool = True) -> InboxItem:
    return InboxItem(platform=platform, key=key, chat=chat, payload=f'{{"message": {{"text": "{text}"}}}}'.encode(),
                     received_at=now, done_at=now if done else None)


def test_the_inbox_lets_go_of_what_the_erased_account_s_chats_sent(core, sessions, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    phone = Conversation(core, user="4001", platform="telegram")
    other = Conversation(core, user="4002", platform="telegram")
    phone.text("/client add ACME rate 80")
    other.text("/client add ACME rate 80")
    code = re.search(r"/link (\S+)", phone.text("/link"))
    assert code is not None
    assert Conversation(core, user="T1:U1", platform="slack").text(f"/link {code.group(1)}").startswith("Linked")
    with sessions.begin() as session:  # Slack over HTTP keys its rows by the sender, team:user, from any channel
        session.add_all([inbox_row("telegram", "4001", "tg:1", "2h secret plan for ACME", clock()),
                         inbox_row("telegram", "4001", "tg:2", "/pick 1 1", clock(), done=False),
                         inbox_row("telegram", "4002", "tg:3", "2h other plan for ACME", clock()),
                         inbox_row("slack", "T1:U1", "slack:Ev1", "2h slack plan for ACME", clock()),
                         inbox_row("slack", "T1:U2", "slack:Ev2", "2h a colleague's plan", clock())])
    assert confirm(phone) == "Everything is deleted."
    with sessions() as session:  # the one being answered stays
        assert sorted(session.scalars(select(InboxItem.key))) == ["slack:Ev2", "tg:2", "tg:3"]


def test_the_erased_text_is_gone_from_the_sqlite_file_and_its_log(  # type: ignore[no-untyped-def]
        core, sessions, clock: FixedClock, database_url: str, db_kind: str) -> None:
    if db_kind != "sqlite":
        return  # PostgreSQL's files are the server's; the test above shows its rows gone
    alice = fill_books(core, "alice", clock)
    with sessions.begin() as session:  # a message from her linked Telegram chat, answered minutes ago
        session.add(inbox_row("telegram", "alice-phone", "tg:7", f"1h call with {SECRETS[0]}", clock()))
    Conversation(core, user="bob").text("/client add Keepme Quarry rate 70")
    path = Path(make_url(database_url).database or "")

    def stored() -> bytes:
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    assert all(secret.encode() in stored() for secret in SECRETS)  # they were there
    assert confirm(alice) == "Everything is deleted."
    left = stored()
    assert [secret for secret in SECRETS if secret.encode() in left] == []
    assert b"Keepme Quarry" in left  # the other account's books are still in the file


def test_secure_delete_is_on_for_every_sqlite_connection_whatever_sqlite_was_built_with(tmp_path: Path) -> None:
    """Some builds turn it on by default (Debian's), others don't: the engine must not rely on either."""
    path = tmp_path / "built-without.db"

    def built_without_it() -> sqlite3.Connection:
        connection = sqlite3.connect(path, check_same_thread=False)
        connection.execute("PRAGMA secure_delete=OFF")
        return connection

    engine = create_db_engine(f"sqlite:///{path}", creator=built_without_it)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1
    finally:
        engine.dispose()


def test_every_table_is_erased_or_holds_nothing_of_an_account() -> None:
    """A table added later needs an ``account_id`` or a foreign key to an erased table: otherwise /forget me would
    leave its rows behind, and this fails until it is handled (or named in erasure.KEPT with the reason)."""
    unowned = [table.name for table in Base.metadata.sorted_tables
               if erasure.account_rows(table, 1) is None and table.name not in erasure.KEPT]
    assert unowned == []
    for name in erasure.KEPT:  # what is kept really names no account
        table = Base.metadata.tables[name]
        assert "account_id" not in table.c and not table.foreign_keys


def test_the_terminal_deletes_the_saved_documents_and_typed_lines_of_the_erased_account(  # type: ignore[no-untyped-def]
        core, tmp_path: Path) -> None:
    outbox, history = tmp_path / "outbox", tmp_path / "chat_history"
    history.write_text("/client add Zylophonic rate 80\n")
    out = io.StringIO()
    terminal = LocalChannel(core, "dora", outbox, out=out, history=history)
    for line in (*SELLER_PROFILE, "/client add Zylophonic rate 80", "2h design for Zylophonic",
                 "/invoice Zylophonic preview", "/export tasks", "/report year", "/invoice Zylophonic"):
        terminal.send(line)
    question = re.findall(r"/pick \d+ 1", out.getvalue())
    if question:  # the invoice asked about missing details first
        terminal.send(question[-1])
    someone_elses = outbox / "notes.txt"
    someone_elses.write_text("mine")
    saved = sorted(path.name for path in outbox.iterdir())
    assert {"DRAFT-Zylophonic.pdf", "INV-2026-0001.pdf"} <= set(saved) and any(
        name.startswith("tasks-") for name in saved) and any(name.startswith("report-") for name in saved), saved
    terminal.send("/forget me")
    terminal.send(re.findall(r"/pick \d+ 1", out.getvalue())[-1])
    assert out.getvalue().rstrip().endswith("Everything is deleted.")
    assert [path.name for path in outbox.iterdir()] == ["notes.txt"]
    assert not history.exists()


def test_at_one_terminal_a_user_s_forget_me_deletes_only_that_user_s_files(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``invoicebot chat --as NAME``: each user has an outbox folder and a history of their own; the computer's user
    keeps the outbox itself, where the others' folders are."""
    outbox, out = tmp_path / "outbox", io.StringIO()

    def terminal(name: str) -> LocalChannel:
        files = terminal_files(outbox, tmp_path, name, login="dora")
        files.history.write_text(f"typed by {name}\n")
        return LocalChannel(core, name, files.outbox, out=out, history=files.history, own_outbox=files.own_outbox)

    users = {name: terminal(name) for name in ("dora", "bob", "alice")}
    for user in users.values():
        for line in ("/client add Zylophonic rate 80", "2h design for Zylophonic", "/export tasks", "/report year"):
            user.send(line)
    bobs = sorted(path.name for path in (outbox / "bob").iterdir())
    assert len(bobs) == 2 and bobs[0].startswith("report-") and bobs[1].startswith("tasks-"), bobs
    for name in ("alice", "dora"):
        users[name].send("/forget me")
        users[name].send(re.findall(r"/pick \d+ 1", out.getvalue())[-1])
        assert out.getvalue().rstrip().endswith("Everything is deleted.")
    assert sorted(path.name for path in outbox.iterdir()) == ["bob"]  # alice's folder and dora's files are gone
    assert sorted(path.name for path in (outbox / "bob").iterdir()) == bobs
    assert sorted(path.name for path in tmp_path.glob("chat_history*")) == ["chat_history-bob"]


def test_a_terminal_user_s_folder_is_theirs_alone_whatever_the_name() -> None:
    names = ["bob", "a/b", "a_b", "..", "Zoë"]
    folders = [user_folder(name) for name in names]
    assert folders[0] == "bob" and folders[4] == "Zoë"
    assert len(set(folders)) == len(names) and all("/" not in f and not f.startswith(".") for f in folders)
