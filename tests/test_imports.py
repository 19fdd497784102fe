"""``/import``: Toggl Track and Clockify detailed exports (samples in tests/imports/, made up) — tricky rows (BOM,
quotes with commas and new lines, ``;``, decimal commas, a 12-hour clock, locale dates, entries past midnight and
over 24 h split per day), the preview's numbers, the Import button, re-import adding only what is new, /undo of
the whole import, malformed files refused naming the line (nothing stored), and the terminal's ``/import PATH``."""
from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.errors import UserError
from core.messages import Attachment, Incoming
from core.models import ImportedEntry, PendingChoice, Task
from core.timesheets import MAX_IMPORT_BYTES, OpenDateOrder, read_timesheet, split_by_day
from tests.conftest import Conversation

SAMPLES = Path(__file__).parent / "imports"
TOGGL_HEADER = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,"
                "Duration,Tags,Amount (EUR)\n")


def send(chat: Conversation, content: bytes, name: str = "export.csv", caption: str = "/import"):  # type: ignore[no-untyped-def]
    return chat.core.handle(Incoming(platform=chat.platform, user_id=chat.user, chat_id=chat.user, text=caption,
                                     is_private=chat.private, attachment=Attachment(name, content, len(content))))


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def tasks_of(sessions) -> list[tuple[str, date, int | None, str | None]]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return [(task.client.name, task.work_date, task.minutes, task.description) for task in session.scalars(
            select(Task).where(Task.deleted_at.is_(None)).order_by(Task.number))]


@pytest.fixture
def sam(core) -> Conversation:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="sam")
    chat.text("/client add ACME rate 80 currency EUR")
    chat.text("/client add Initech rate 60 currency USD")
    return chat


def test_a_toggl_export_is_previewed_per_client_and_imported_on_the_button(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    preview = send(sam, sample("toggl_detailed.csv"), "toggl.csv")
    assert preview.text.splitlines() == [
        "Toggl Track export toggl.csv:",
        "ACME: 3 entries, 6h 46m",  # 2:30:00 + 0:45:30 (rounds up) + 3:30:00 past midnight
        "Initech: 2 entries, 26h 15m",  # 26:00:00 over two days, and a project standing for the client
        "Globex is not one of your clients — /client add Globex first and send the file again, or the import "
        "leaves out its 2 entries.",
        "1 non-billable entry is left out.",
        "2 entries run past midnight: each becomes one task per day.",
        "1 entry names no client: its project's name is taken as the client.",
        "The work bills at each client's rate. Nothing is stored until you press Import.",
    ]
    assert [action.label for action in preview.actions] == ["Import 5 entries", "Cancel"]
    assert tasks_of(sessions) == []  # nothing before the button
    done = sam.say(preview.actions[0].command)
    assert done.text.splitlines()[0] == "Imported 5 entries as tasks #1 to #7."
    assert tasks_of(sessions) == [
        ("ACME", date(2026, 11, 2), 150, 'Logo, "final" v2'),
        ("ACME", date(2026, 11, 3), 46, "Call notes second line"),
        ("ACME", date(2026, 11, 4), 120, "Deploy"),  # no description: the task's name
        ("ACME", date(2026, 11, 5), 90, "Deploy"),
        ("Initech", date(2026, 11, 6), 960, "Server migration"),  # 26 h: 16 h on the first day, 10 h on the next
        ("Initech", date(2026, 11, 7), 600, "Server migration"),
        ("Initech", date(2026, 11, 11), 15, "Standup"),
    ]
    assert "You already answered that question." in sam.text(preview.actions[0].command)
    assert len(tasks_of(sessions)) == 7


def test_an_archived_client_is_named_with_the_way_back_not_with_client_add(sam: Conversation) -> None:
    """/client add refuses a name an archived client has: the preview must give the advice that works."""
    sam.text("/client add GLOBEX rate 70")
    assert sam.text("/client set GLOBEX archived yes").startswith("Archived GLOBEX")
    preview = send(sam, sample("toggl_detailed.csv"))
    assert ("GLOBEX is archived — /client set GLOBEX archived no brings it back; send the file again then, or the "
            "import leaves out its 2 entries.") in preview.text.splitlines()
    assert "not one of your clients" not in preview.text
    assert sam.text("/client set GLOBEX archived no").startswith("Brought back GLOBEX")
    again = send(sam, sample("toggl_detailed.csv"))
    assert "GLOBEX: 2 entries, 3h" in again.text and "archived" not in again.text


def test_the_same_file_again_adds_only_what_is_new(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    first = send(sam, sample("toggl_detailed.csv"))
    sam.say(first.actions[0].command)
    again = send(sam, sample("toggl_detailed.csv"))
    assert again.actions == ()
    assert "Nothing new to import." in again.text and "5 entries were already imported" in again.text
    sam.text("/client add Globex rate 70")
    third = send(sam, sample("toggl_detailed.csv"))
    assert "Globex: 2 entries, 3h" in third.text and "5 entries were already imported" in third.text
    assert sam.text(third.actions[0].command).startswith("Imported 2 entries as tasks #8 to #9.")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportedEntry)) == 7


def test_two_previews_of_one_file_confirmed_import_it_once(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    one, two = send(sam, sample("toggl_detailed.csv")), send(sam, sample("toggl_detailed.csv"))
    sam.say(one.actions[0].command)
    assert sam.text(two.actions[0].command) == "Nothing new to import: those entries were imported meanwhile."
    assert len(tasks_of(sessions)) == 7


def test_undo_takes_the_whole_import_back_and_it_can_be_imported_again(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    sam.text("2h logo for ACME yesterday")
    preview = send(sam, sample("toggl_detailed.csv"))
    sam.say(preview.actions[0].command)
    assert sam.text("/undo") == "Took back the import: its 7 tasks are removed."
    assert [client for client, *_rest in tasks_of(sessions)] == ["ACME"]  # the task logged before stays
    again = send(sam, sample("toggl_detailed.csv"))
    assert [action.label for action in again.actions] == ["Import 5 entries", "Cancel"]


def test_cancel_stores_nothing(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    preview = send(sam, sample("toggl_detailed.csv"))
    assert sam.text(preview.actions[1].command) == "Nothing was imported."
    assert tasks_of(sessions) == []


def test_clockify_with_semicolons_decimal_commas_and_day_first_dates(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    preview = send(sam, sample("clockify_detailed_eu.csv"), "clockify.csv")
    assert preview.text.splitlines()[:2] == ["Clockify export clockify.csv:", "ACME: 2 entries, 2h 15m"]
    sam.say(preview.actions[0].command)
    assert tasks_of(sessions) == [("ACME", date(2026, 11, 23), 90, "Design; review"),
                                  ("ACME", date(2026, 11, 3), 45, "Café Müller menu")]  # 23/11 shows: day first


def test_clockify_with_a_12_hour_clock_and_month_first_dates(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    preview = send(sam, sample("clockify_detailed_us.csv"))
    sam.say(preview.actions[0].command)
    assert tasks_of(sessions) == [("Initech", date(2026, 11, 20), 90, "Schema design"),
                                  ("Initech", date(2026, 11, 2), 60, "Night deploy"),  # 11:00 PM to 12:30 AM
                                  ("Initech", date(2026, 11, 3), 30, "Night deploy")]


def one_row(day: str) -> bytes:
    return (TOGGL_HEADER + f"Sam,s@example.com,ACME,Web,,Review,Yes,{day},10:00:00,{day},11:00:00,01:00:00,,\n").encode()


def test_dates_the_file_leaves_open_are_asked_with_a_button_per_reading(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    asked = send(sam, one_row("03/04/2026"))
    assert asked.text.splitlines()[-1] == ("Line 2 writes 03/04/2026: is that 3 Apr 2026 or 4 Mar 2026? No date in the "
                                           "file shows whether the day or the month comes first.")
    assert [action.label for action in asked.actions] == ["Import: 3 Apr 2026", "Import: 4 Mar 2026", "Cancel"]
    sam.say(asked.actions[1].command)
    assert tasks_of(sessions) == [("ACME", date(2026, 3, 4), 60, "Review")]


def test_a_reading_that_puts_work_ahead_leaves_the_other_and_says_so(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    preview = send(sam, one_row("04/12/2026"))  # 4 Dec 2026 is ahead of 24 Nov 2026
    assert preview.text.splitlines()[-1].startswith("Line 2 writes 04/12/2026, which I read as 12 Apr 2026: read as "
                                                     "4 Dec 2026, the file would hold something impossible")
    assert [action.label for action in preview.actions] == ["Import 1 entry", "Cancel"]
    sam.say(preview.actions[0].command)
    assert tasks_of(sessions) == [("ACME", date(2026, 4, 12), 60, "Review")]


def test_a_chosen_locale_orders_the_dates_without_a_question(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    sam.text("/profile set locale en_GB")
    preview = send(sam, one_row("03/04/2026"))
    assert [action.label for action in preview.actions] == ["Import 1 entry", "Cancel"]
    sam.say(preview.actions[0].command)
    assert tasks_of(sessions) == [("ACME", date(2026, 4, 3), 60, "Review")]


ROW = "Sam,s@example.com,ACME,Web,,Review,Yes,2026-11-20,10:00:00,2026-11-20,11:00:00,01:00:00,,\n"


@pytest.mark.parametrize(("content", "said"), [
    ((TOGGL_HEADER + ROW + ROW.replace("2026-11-20,10", "2026-13-40,10")).encode(),
     "Line 3: “2026-13-40” is not a date I can read"),
    ((TOGGL_HEADER + ROW + ROW.replace("01:00:00", "-01:00:00")).encode(),
     "Line 3: the entry ends before it starts (a negative duration)."),
    ((TOGGL_HEADER + ROW + ROW.replace(",Yes,", ",Yes,extra,")).encode(),
     "Line 3 has 15 fields where the header has 14."),
    ((TOGGL_HEADER + ROW + 'Sam,s@example.com,ACME,Web,,"Review,Yes\n').encode(),
     "Line 3 is not valid CSV"),
    ((TOGGL_HEADER + ROW + ROW.replace("10:00:00", "25:00:00")).encode(),
     "Line 3: “25:00:00” is not a time of day I can read"),
    ((TOGGL_HEADER + ROW + ROW.replace("2026-11-20", "2026-11-30")).encode(),
     "Line 3: 2026-11-30 lies ahead"),
    (b"Date,Hours,What\n2026-11-20,1,Review\n", "Line 1 is not the header of a Toggl Track or Clockify detailed"),
    (b"%PDF-1.4\x00\x01binary", "That file is not a CSV text file."),
    ((TOGGL_HEADER + ROW).encode() + b"\xff\xfe broken\n", "Line 3 is not UTF-8 text."),
    (TOGGL_HEADER.encode(), "The file has a header but no entries"),
])
def test_a_malformed_file_is_refused_naming_the_line_and_nothing_is_stored(sam: Conversation, sessions,  # type: ignore[no-untyped-def]
                                                                          content: bytes, said: str) -> None:
    reply = send(sam, content)
    assert reply.text.startswith(said), reply.text
    assert reply.actions == ()
    assert tasks_of(sessions) == []
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PendingChoice)) == 0


def test_without_a_file_too_large_or_in_a_group(sam: Conversation) -> None:
    assert sam.text("/import").startswith("Send your Toggl Track or Clockify detailed export (CSV), or a file from "
                                         "/export tasks, as a file")
    big = sam.core.handle(Incoming(platform="local", user_id="sam", chat_id="sam", text="/import",
                                   attachment=Attachment("big.csv", None, MAX_IMPORT_BYTES + 1)))
    assert big.text.startswith("The file big.csv is larger than 2 MB")
    group = Conversation(sam.core, user="sam", private=False)
    assert "private chat" in send(group, sample("toggl_detailed.csv")).text


def test_the_terminal_takes_a_path(core, sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bot.local import LocalChannel

    out = io.StringIO()
    channel = LocalChannel(core, "sam", tmp_path / "outbox", out=out)
    channel.send("/client add ACME rate 80")
    path = tmp_path / "my exports" / "clockify.csv"
    path.parent.mkdir()
    path.write_bytes(sample("clockify_detailed_eu.csv"))
    channel.send(f"/import {path}")
    shown = out.getvalue()
    assert "Clockify export clockify.csv:\nACME: 2 entries, 2h 15m" in shown
    command = shown.split("[Import 2 entries: ")[1].split("]")[0]
    channel.send(command)
    assert "Imported 2 entries as tasks #1 to #2." in out.getvalue()
    channel.send(f"/import {tmp_path / 'missing.csv'}")
    assert out.getvalue().endswith(f"There is no file at {tmp_path / 'missing.csv'}, so nothing was done: check the "
                                   "path and type the command again.\n")
    channel.send(f"/import {path.parent}")
    assert out.getvalue().endswith(f"{path.parent} is a folder, so nothing was done: type the path of a file in "
                                   "it.\n")
    assert len(tasks_of(sessions)) == 2


def test_a_split_counts_the_hours_that_really_passed_when_the_clocks_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # 25 Oct 2026 03:00 summer time is 02:00 winter time: that night has 25 h
    assert split_by_day(datetime(2026, 10, 24, 22, 0), 4 * 3600, berlin) == [(date(2026, 10, 24), 120),
                                                                              (date(2026, 10, 25), 120)]
    assert split_by_day(datetime(2026, 11, 2, 23, 59, 50), 3600, berlin) == [(date(2026, 11, 3), 60)]


def test_books_that_both_imported_an_export_can_be_linked_and_remember_it_once(sam: Conversation, core,  # type: ignore[no-untyped-def]
                                                                                 sessions) -> None:
    phone = Conversation(core, user="sam-phone", platform="telegram")
    phone.text("/client add ACME rate 80")
    for chat in (sam, phone):
        preview = send(chat, sample("clockify_detailed_eu.csv"))
        chat.text(preview.actions[0].command)
    code = sam.text("/link").split("/link ")[1].split()[0]
    asked = phone.say(f"/link {code}")
    assert phone.text(asked.actions[0].command).startswith("Linked, and your books moved in")
    again = send(sam, sample("clockify_detailed_eu.csv"))
    assert again.actions == () and "2 entries were already imported" in again.text
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportedEntry)) == 2


def test_an_import_is_journaled_like_tasks_logged_one_by_one(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    """Each imported task has its own task.log change (the event stream announces each), numbered on from the
    account's journal without gaps, all in the import's group."""
    sam.text("2h logo for ACME yesterday")
    preview = send(sam, sample("toggl_detailed.csv"))
    sam.say(preview.actions[0].command)
    from core.models import Account, Change

    with sessions() as session:
        changes = list(session.scalars(select(Change).order_by(Change.seq)))
        account = session.scalars(select(Account)).one()
        imported = {task.id for task in session.scalars(select(Task).where(Task.number > 1))}
    assert [change.seq for change in changes] == list(range(1, len(changes) + 1))
    assert account.last_change_seq == len(changes)
    group = [change for change in changes if change.group_id is not None]
    assert group[0].kind == "import.add" and {change.group_id for change in group} == {group[0].id}
    assert [change.kind for change in group[1:]] == ["task.log"] * 7
    assert {change.subject_id for change in group[1:]} == imported


CLOCKIFY_HEADER = ("Project,Client,Description,Task,User,Group,Email,Tags,Billable,Start Date,Start Time,End Date,"
                   "End Time,Duration (h),Duration (decimal)\n")


@pytest.mark.parametrize(("start", "end", "minutes"), [
    ("11/20/2026,12:15 AM", "11/20/2026,01:00 AM", 45),  # 12 AM is midnight
    ("11/20/2026,11:30 AM", "11/20/2026,12:10 PM", 40),  # 12 PM is noon
    ("11/20/2026,9.05", "11/20/2026,10.35", 90),  # a dot between hours and minutes
    ("11/20/2026,23:00:00", "11/21/2026,00:20:00", 80),  # no duration: the end tells
])
def test_without_a_duration_the_end_gives_the_length(start: str, end: str, minutes: int) -> None:
    content = (CLOCKIFY_HEADER + f"Web,ACME,Review,,Sam,,s@example.com,,Yes,{start},{end},,\n").encode()
    sheet = read_timesheet(content, ZoneInfo("Europe/Berlin"), date(2026, 11, 24), None)
    assert sum(part for _day, part in sheet.entries[0].days) == minutes


CELLS = st.text(alphabet=st.sampled_from(list('0123456789:/.-,;" \nAPMYesNo\ufeff\u202eé')), max_size=12)


@given(st.one_of(st.binary(max_size=400), st.lists(st.lists(CELLS, min_size=0, max_size=16), max_size=4).map(
    lambda rows: (CLOCKIFY_HEADER + "\n".join(",".join(row) for row in rows)).encode())))
@settings(max_examples=300)
def test_any_file_is_read_or_refused_with_a_sentence(content: bytes) -> None:
    try:
        read_timesheet(content, ZoneInfo("Europe/Berlin"), date(2026, 11, 24), None)
    except OpenDateOrder as open_order:  # the command asks
        assert open_order.line >= 2
    except UserError as refusal:
        assert refusal.message.endswith("."), refusal.message


def test_a_newer_toggl_export_with_member_and_stop_columns(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    content = ('\ufeff"Description",Duration,Member,Email,Project,Client,Task,Tags,Billable,Start date,Start time,'
               'Stop date,Stop time\n"Sprint review",1:30:00,Sam,s@example.com,Web,ACME,,,Yes,2026-11-19,16:00:00,'
               '2026-11-19,17:30:00\n').encode()
    preview = send(sam, content)
    assert preview.text.splitlines()[1] == "ACME: 1 entry, 1h 30m"
    assert sam.text(preview.actions[0].command).startswith("Imported one entry as task #1.")
    assert tasks_of(sessions) == [("ACME", date(2026, 11, 19), 90, "Sprint review")]


def test_an_imported_task_deleted_by_hand_stays_out_of_later_imports(sam: Conversation, sessions) -> None:  # type: ignore[no-untyped-def]
    preview = send(sam, sample("clockify_detailed_eu.csv"))
    sam.text(preview.actions[0].command)
    sam.text("/delete 2")
    again = send(sam, sample("clockify_detailed_eu.csv"))
    assert again.actions == () and "2 entries were already imported" in again.text
    assert tasks_of(sessions) == [("ACME", date(2026, 11, 23), 90, "Design; review")]
