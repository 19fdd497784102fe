"""``/import`` of invoicebot's own ``/export tasks`` file: books moved to another account come out the same (/tasks
and the totals equal, fixed prices, own rates and expenses kept, billed work left out), importing twice adds nothing,
the books the file came from recognise their own tasks, a spreadsheet's re-save (``;``, decimal commas, CRLF, BOM,
day-first dates) imports identically, and a row in another currency than its client's is refused by its line."""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.errors import UserError
from core.exports import TASK_COLUMNS
from core.limits import MAX_RECORD_NUMBER
from core.models import Task
from core.timesheets import OpenDateOrder, read_timesheet
from tests.conftest import SELLER_PROFILE, Conversation
from tests.test_imports import send

TRICKY = 'Logo, "final" v2\nsecond line — café Müller; ünïcödé'
FORMULA = "=SUM(1;2) is not a formula"
CLIENTS = ("/client add ACME rate 80", "/client add Globex rate 60 currency USD", "/client add Initech rate 50")


def account(core, user: str) -> Conversation:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user=user)
    for line in (*SELLER_PROFILE, *CLIENTS):
        chat.text(line)
    return chat


@pytest.fixture
def alice(core, sessions) -> Conversation:  # type: ignore[no-untyped-def]
    """Varied books: time at the client's rate, an own rate, a fixed price with time beside it, an expense, two
    currencies, text a phrase couldn't carry, and a billed task (Initech's, on an invoice)."""
    chat = account(core, "alice")
    for phrase in ("2h logo design for ACME yesterday", "45m call with ACME today",
                   "2h rush job for ACME @ 120/h today", "€500 3h website for ACME today",
                   "90m support for Globex today", "1h review for Initech today", "/expense 12.50 train ticket for ACME"):
        chat.text(phrase)
    with sessions() as session:  # text no chat phrase would keep whole: as an import or the API could set it
        tasks = {task.number: task for task in session.scalars(select(Task))}
        tasks[1].description = TRICKY
        tasks[5].description = FORMULA
        session.commit()
    chat.invoice("/invoice Initech")
    return chat


def books(chat: Conversation) -> str:
    """/tasks as the user reads it, task numbers aside (each account numbers its own)."""
    return re.sub(r"#\d+", "#", chat.text("/tasks"))


def excel_resave(content: bytes) -> bytes:
    """The file as LibreOffice or Excel in a German locale saves it back: BOM, ``;``, CRLF, decimal commas and
    day-first dates."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(rows[0])
    for row in rows[1:]:
        cells = dict(zip(rows[0], row, strict=True))
        year, month, day = cells["date"].split("-")
        cells["date"] = f"{day}.{month}.{year}"
        for name in ("rate", "amount"):
            cells[name] = cells[name].replace(".", ",")
        writer.writerow([cells[name] for name in rows[0]])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def exported(chat: Conversation) -> bytes:
    reply = chat.say("/export tasks")
    assert reply is not None and reply.document is not None, reply
    return reply.document.content


def test_books_moved_to_a_new_account_are_the_same_and_import_once(core, alice: Conversation) -> None:  # type: ignore[no-untyped-def]
    content = exported(alice)
    bob = account(core, "bob")
    preview = send(bob, content, "tasks-all.csv")
    assert preview.text.splitlines() == [
        "invoicebot export tasks-all.csv:",
        "ACME: 5 entries, 7h 45m",  # the fixed price's 3h of work and the expense (no time) are entries too
        "Globex: 1 entry, 1h 30m",
        "1 billed task is left out: it is on an invoice already, and work is never billed twice.",
        "1 task keeps its rate from the file as its own: it differs from the client's.",
        "Fixed prices, expenses and rates keep what the file says. Nothing is stored until you press Import.",
    ]
    assert bob.text(preview.actions[0].command).splitlines()[0] == "Imported 6 entries as tasks #1 to #6."
    assert books(bob) == books(alice)
    assert "€500.00" in books(bob) and "$90.00" in books(bob) and "€12.50" in books(bob)
    again = send(bob, content, "tasks-all.csv")
    assert "Nothing new to import." in again.text and "6 entries were already imported" in again.text
    assert not again.actions
    assert books(bob) == books(alice)


def test_the_books_a_file_came_from_recognise_their_tasks(alice: Conversation) -> None:
    before = books(alice)
    preview = send(alice, exported(alice), "tasks-all.csv")
    assert "Nothing new to import." in preview.text
    assert "6 tasks are already in your books: they are not added again." in preview.text
    assert not preview.actions
    assert books(alice) == before


def test_a_spreadsheet_resave_imports_identically(core, alice: Conversation) -> None:  # type: ignore[no-untyped-def]
    content = exported(alice)
    resaved = excel_resave(content)
    assert b";" in resaved.splitlines()[0] and b"12,50" in resaved and resaved.startswith(b"\xef\xbb\xbf")
    bob = account(core, "bob")
    preview = send(bob, resaved, "tasks-all.csv")
    assert "ACME: 5 entries, 7h 45m" in preview.text
    bob.text(preview.actions[0].command)
    assert books(bob) == books(alice)
    assert "Nothing new to import." in send(bob, content, "tasks-all.csv").text  # the original is the same rows


def test_a_row_in_another_currency_than_its_client_is_refused_by_its_line(core, alice: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    bob = Conversation(core, user="bob")
    bob.text("/client add ACME rate 80 currency CHF")
    bob.text("/client add Globex rate 60 currency USD")
    reply = send(bob, exported(alice), "tasks-all.csv")
    assert reply.text.startswith("Line 2: the task is in EUR, but ACME is billed in CHF.")
    assert not reply.actions
    with sessions() as session:
        assert len(session.scalars(select(Task)).all()) == 7  # alice's, and nothing added for bob


def test_a_rate_the_client_here_would_price_differently_is_kept_and_said(core, alice: Conversation) -> None:  # type: ignore[no-untyped-def]
    bob = account(core, "bob")
    bob.text("/client set ACME rate 100")
    preview = send(bob, exported(alice), "tasks-all.csv")
    assert "3 tasks keep their rate from the file as their own: it differs from the client's." in preview.text
    bob.text(preview.actions[0].command)
    assert books(bob) == books(alice)  # €80.00/h stays €80.00/h: nothing re-priced


def test_a_client_rounding_differently_here_is_named_in_the_preview(core, alice: Conversation) -> None:  # type: ignore[no-untyped-def]
    bob = account(core, "bob")
    bob.text("/client set ACME rounding 60")
    preview = send(bob, exported(alice), "tasks-all.csv")
    assert ("1 task bills another amount here than in the file, because the client rounds time differently here "
            "(line 4).") in preview.text  # the 45m call (line 4: task 1 spans two lines) bills 1h here
    bob.text(preview.actions[0].command)
    assert "€80.00" in bob.text("/tasks")


def test_a_number_a_spreadsheet_mangled_is_refused_by_its_line(core, alice: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    content = exported(alice).replace(b",12.50,", b",12.5x,")  # the expense: the last of 7 rows, on line 9
    reply = send(account(core, "bob"), content, "tasks-all.csv")
    assert reply.text.startswith("Line 9: “12.5x” in the column amount is not a number I can read"), reply.text
    assert not reply.actions
    with sessions() as session:
        assert len(session.scalars(select(Task)).all()) == 7  # alice's only


def test_undo_takes_a_moved_books_import_back_expense_and_fixed_price_too(core, alice: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    content = exported(alice)
    bob = account(core, "bob")
    bob.text(send(bob, content, "tasks-all.csv").actions[0].command)
    with sessions() as session:
        bob_id = session.scalar(select(func.max(Task.account_id)))  # the account made second
        assert sorted(session.scalars(select(Task.kind).where(Task.account_id == bob_id))) == [
            "expense", "work", "work", "work", "work", "work"]
    assert bob.text("/undo").startswith("Took back the import: its 6 tasks are removed.")
    assert "#" not in bob.text("/tasks")
    assert send(bob, content, "tasks-all.csv").actions[0].label == "Import 6 entries"  # importable again


OWN_CELLS = st.text(alphabet=st.sampled_from(list('0123456789.,;-E" \nEURyesno\ufeff\u202eé')), max_size=12)


@given(st.lists(st.lists(OWN_CELLS, min_size=0, max_size=12), max_size=4).map(
    lambda rows: (",".join(TASK_COLUMNS) + "\n" + "\n".join(",".join(row) for row in rows)).encode()))
@settings(max_examples=300)
def test_any_tasks_file_is_read_or_refused_with_a_sentence(content: bytes) -> None:
    try:
        sheet = read_timesheet(content, ZoneInfo("Europe/Berlin"), date(2026, 11, 24), None)
    except OpenDateOrder as open_order:  # the command asks
        assert open_order.line >= 2
    except UserError as refusal:
        assert refusal.message.endswith("."), refusal.message
    else:
        assert all(entry.own is not None and entry.own.number <= MAX_RECORD_NUMBER for entry in sheet.entries)


def test_a_task_number_too_large_for_the_books_is_refused_by_its_line() -> None:
    content = (",".join(TASK_COLUMNS) + "\n2147483648,2026-11-02,ACME,call,45,45,80,60.00,EUR,,no\n").encode()
    with pytest.raises(UserError, match="Line 2: “2147483648” in the column number is not a number I can read"):
        read_timesheet(content, ZoneInfo("Europe/Berlin"), date(2026, 11, 24), None)
