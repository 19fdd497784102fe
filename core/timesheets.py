"""Reading a Toggl Track or Clockify *detailed* CSV export, or invoicebot's own ``/export tasks`` file
(``/import``), into entries of work.

Pure: the file's bytes, the user's timezone and (when the user chose one) the locale's date order in, a
:class:`Timesheet` out — or one :class:`UserError` sentence naming the line that is wrong, so nothing is imported
from a file that was not understood whole. What the tools really write is handled: a byte-order mark, ``;`` as the
separator (Excel in Europe), quoted fields with commas, quotes and new lines, ISO and locale dates (``04/12/2026``
is read day or month first as the file itself shows, else as the chosen locale says, else refused), a 12-hour clock
(``01:30 PM``), durations as ``h:mm:ss`` or decimal hours with a point or a comma. The same goes for our own tasks
file saved back by a spreadsheet (``;``, decimal commas, a byte-order mark, CRLF, dates as the locale writes them).
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from core.errors import UserError
from core.exports import FORMULA_STARTS, TASK_COLUMNS
from core.i18n import _
from core.limits import DEFAULT_FIELD_LIMIT, MAX_RECORD_NUMBER, strip_invisible
from core.limits import MAX_IMPORT_BYTES as MAX_IMPORT_BYTES  # still read from here by bot/local.py

MAX_IMPORT_ROWS = 5000
MAX_ENTRY_HOURS = 7 * 24
"""Longer than a week is a timer left running, not work to bill: the line is named so it is fixed at the source."""

TOGGL, CLOCKIFY, INVOICEBOT = "toggl", "clockify", "invoicebot"
SOURCE_NAMES = {TOGGL: "Toggl Track", CLOCKIFY: "Clockify", INVOICEBOT: "invoicebot"}
_COLUMNS = {
    "user": ("user", "member"), "email": ("email",), "client": ("client",), "project": ("project",),
    "task": ("task",), "description": ("description",), "billable": ("billable",), "start_date": ("start date",),
    "start_time": ("start time",), "end_date": ("end date", "stop date"), "end_time": ("end time", "stop time"),
    "clock": ("duration", "duration (h:mm:ss)", "duration (h)", "time (h)"),
    "decimal": ("duration (decimal)", "time (decimal)"),
}
"""Our name of a column → the headers the tools write for it (compared case-folded; newer Toggl Track exports say
Member, Stop date and Stop time)."""
_CLOCKIFY_ONLY = ("duration (h)", "duration (decimal)", "time (h)", "time (decimal)")
_YES = {"yes", "true", "1", "y", "ja", "oui", "sí", "si"}
_NO = {"no", "false", "0", "n", "nein", "non"}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(?:([AaPp])\.?\s*[Mm]\.?)?")
_CLOCK_DURATION = re.compile(r"(\d+):(\d{2})(?::(\d{2}))?")
_OWN_COLUMNS = frozenset(TASK_COLUMNS) - {"date"} | {"start_date"}
"""A header holding every column of ``/export tasks`` is our own file (a spreadsheet may have added columns)."""
_OWN_NUMBER = re.compile(r"\d{1,15}(?:\.\d{1,10})?")
"""A number of our own file, its marks normalised: never negative, and small enough for any column it goes to."""


@dataclass(frozen=True)
class OwnTask:
    """What invoicebot's own tasks file says of a task beyond a Toggl or Clockify entry: its number in the books it
    came from, and how it was priced (kept, so that moving books never re-prices them)."""

    number: int
    minutes: int | None
    rate: Decimal | None
    """The rate the task billed at (its own, or its client's then); None for a fixed price or an unpriced task."""
    amount: Decimal | None
    currency: str
    expense: bool

    @property
    def fixed(self) -> bool:
        return self.expense or (self.rate is None and self.amount is not None)


@dataclass(frozen=True)
class Entry:
    """One row of the export, understood: who it was for, what, when (local wall-clock start) and how long."""

    line: int
    key: str
    """Stable across re-exports of the same entry (whatever date format the export used): the row's source, user,
    start, length, client, project, task and description, hashed; an account never imports a key twice. (Two
    entries that differ only in their description — two tasks entered by hand for the same minutes — stay two.)"""
    client: str
    by_project: bool
    """The file names no client for it: its project's name stands for the client."""
    description: str
    days: tuple[tuple[date, int], ...]
    """(day of work, minutes) — one item, or one per day in the user's timezone when it runs past midnight."""
    own: OwnTask | None = None
    """Set for a row of invoicebot's own tasks file (one day; its minutes 0 for a fixed price without time)."""


@dataclass(frozen=True)
class Timesheet:
    source: str
    entries: tuple[Entry, ...]
    non_billable: int = 0
    without_client: int = 0
    too_short: int = 0
    repeated: int = 0
    """Rows that are the same entry as an earlier row of the file (imported once)."""
    cleaned: int = 0
    """Descriptions that had invisible characters (bidi controls, zero-width spaces) taken out."""
    billed: int = 0
    """Rows of our own tasks file that an invoice holds: left out, so that no work is billed twice."""


class OpenDateOrder(Exception):
    """The file's numeric dates read both ways (``03/04/2026``, no day past the 12th anywhere) and no chosen
    locale orders them: the caller reads the file each way and asks (``line`` and ``value`` show the first)."""

    def __init__(self, line: int, value: str) -> None:
        super().__init__(line, value)
        self.line = line
        self.value = value

    def readings(self) -> tuple[date, date]:
        """The date read day first, then month first."""
        match = _NUMERIC_DATE.fullmatch(self.value)
        assert match is not None
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        return date(year, second, first), date(year, first, second)


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, str]


def read_timesheet(content: bytes, tz: ZoneInfo, today: date, chosen_order: str | None) -> Timesheet:
    """The export's entries; ``chosen_order`` (``dmy``/``mdy``: from a locale the user chose, or the answer to the
    question :class:`OpenDateOrder` asks for, else None) reads numeric dates the file itself leaves open."""
    text = _text(content)
    own = _own_delimiter(text)
    if own is not None:
        return _read_own(text, own, today, chosen_order)
    rows, source = _table(text)
    order = _date_order(rows, chosen_order)
    entries: list[Entry] = []
    seen: set[str] = set()
    counts = {"non_billable": 0, "without_client": 0, "too_short": 0, "repeated": 0, "cleaned": 0}
    for row in rows:
        if not _billable(row):
            counts["non_billable"] += 1
            continue
        client = strip_invisible(" ".join((row.cells.get("client") or row.cells.get("project", "")).split()))[0]
        if not client:
            counts["without_client"] += 1
            continue
        start, seconds = _start_and_length(row, order)
        days = split_by_day(start, seconds, tz)
        if not days:
            counts["too_short"] += 1
            continue
        if days[-1][0] > today:
            raise UserError(_("Line {line}: {day} lies ahead, and work is imported once it is done. Nothing was "
                              "imported.").format(line=row.line, day=days[-1][0].isoformat()))
        key = _key(source, row, start, seconds)
        if key in seen:
            counts["repeated"] += 1
            continue
        seen.add(key)
        description, invisible = _description(row)
        counts["cleaned"] += bool(invisible)
        entries.append(Entry(row.line, key, client, not row.cells.get("client"), description, tuple(days)))
    return Timesheet(source, tuple(entries), **counts)


def split_by_day(start: datetime, seconds: int, tz: ZoneInfo) -> list[tuple[date, int]]:
    """(day, minutes) of an entry starting at the local wall-clock ``start``: one per day of work in ``tz``, the
    real time elapsed (a night the clocks change counts the hours that passed), rounded to whole minutes so the
    parts add up to the whole; parts under half a minute are left out."""
    cursor = start.replace(tzinfo=tz).astimezone(UTC)
    end = cursor + timedelta(seconds=seconds)
    parts: list[tuple[date, int]] = []
    elapsed = 0
    while cursor < end:
        day = cursor.astimezone(tz).date()
        midnight = datetime.combine(day + timedelta(days=1), time(), tz).astimezone(UTC)
        step = min(end, midnight) - cursor
        seconds_here = int(step.total_seconds())
        minutes = (elapsed + seconds_here + 30) // 60 - (elapsed + 30) // 60  # half a minute rounds up
        elapsed += seconds_here
        if minutes > 0:
            parts.append((day, minutes))
        cursor += step
    return parts


def _text(content: bytes) -> str:
    if b"\x00" in content:
        raise UserError(_("That file is not a CSV text file. Export the detailed report from Toggl Track or "
                          "Clockify as CSV and send that. Nothing was imported."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise UserError(_("Line {line} is not UTF-8 text. Export the report again as CSV (UTF-8) and send that. "
                          "Nothing was imported.").format(line=line)) from None


def _table(text: str) -> tuple[list[_Row], str]:
    """The rows and the source; the separator is the one that makes the first line a header we know."""
    best: tuple[int, str] = (0, ",")
    for delimiter, cells in _first_line_cells(text):
        known = sum(1 for cell in cells if _column(cell) is not None)
        best = max(best, (known, delimiter), key=lambda item: item[0])
    records = _records(text, best[1])
    _line, raw = next(records, (1, []))
    header = [_column(cell) or "" for cell in raw]
    missing = [name for name in ("start_date", "start_time", "description") if name not in header]
    if missing or not {"client", "project"} & set(header) or not {"clock", "decimal", "end_time"} & set(header):
        raise UserError(_("Line 1 is not the header of a Toggl Track or Clockify detailed export (it needs Start "
                          "date, Start time, Duration, Client or Project and Description). Export the detailed "
                          "report as CSV and send that. Nothing was imported."))
    source = CLOCKIFY if any(" ".join(cell.split()).casefold() in _CLOCKIFY_ONLY for cell in raw) else TOGGL
    return _body(records, header), source


def _body(records: Iterator[tuple[int, list[str]]], header: Sequence[str]) -> list[_Row]:
    """The rows under the header (blank lines skipped), each cell under its column's name (unnamed ones dropped)."""
    rows: list[_Row] = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise UserError(_("Line {line} has {found} fields where the header has {expected}. Nothing was "
                              "imported.").format(line=line, found=len(cells), expected=len(header)))
        if len(rows) == MAX_IMPORT_ROWS:
            raise UserError(_("The file has more than {limit} entries; export a shorter period (a quarter, a "
                              "month) and send each. Nothing was imported.").format(limit=MAX_IMPORT_ROWS))
        rows.append(_Row(line, {name: cell.strip() for name, cell in zip(header, cells, strict=True) if name}))
    if not rows:
        raise UserError(_("The file has a header but no entries; nothing was imported."))
    return rows


def _own_delimiter(text: str) -> str | None:
    """The separator with which the first line is the header of our own tasks file, if it is one."""
    for delimiter, cells in _first_line_cells(text):
        if {_own_column(cell) for cell in cells} >= _OWN_COLUMNS:
            return delimiter
    return None


def _first_line_cells(text: str) -> Iterator[tuple[str, list[str]]]:
    """The first line's cells with each separator the files use; one the line can't be read with is skipped (not a
    header with it: _records names the line if it is none at all)."""
    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    for delimiter in (",", ";", "\t"):
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        yield delimiter, cells


def _own_column(cell: str) -> str:
    name = " ".join(cell.replace("\ufeff", "").split()).casefold()
    return "start_date" if name == "date" else name  # the date is read as the trackers' start date is


def _read_own(text: str, delimiter: str, today: date, chosen_order: str | None) -> Timesheet:
    """Our own ``/export tasks`` file: one entry per unbilled task, with its number, minutes and pricing; rows an
    invoice holds are counted and left out."""
    records = _records(text, delimiter)
    _line, raw = next(records)
    header = [name if name in _OWN_COLUMNS else "" for name in map(_own_column, raw)]
    rows = [_Row(row.line, {name: _unguarded(cell) for name, cell in row.cells.items()})
            for row in _body(records, header)]
    order = _date_order(rows, chosen_order)
    entries: list[Entry] = []
    seen: set[str] = set()
    counts = {"without_client": 0, "too_short": 0, "repeated": 0, "cleaned": 0, "billed": 0}
    for row in rows:
        if row.cells.get("invoice"):
            counts["billed"] += 1
            continue
        client = strip_invisible(" ".join(row.cells.get("client", "").split()))[0]
        if not client:
            counts["without_client"] += 1
            continue
        day = _date(row, "start_date", order)
        if day > today:
            raise UserError(_("Line {line}: {day} lies ahead, and work is imported once it is done. Nothing was "
                              "imported.").format(line=row.line, day=day.isoformat()))
        own = _own_task(row)
        if not own.fixed and not own.minutes:
            counts["too_short"] += 1
            continue
        description, invisible = strip_invisible(row.cells.get("description", ""))
        if len(description) > DEFAULT_FIELD_LIMIT:
            raise UserError(_("Line {line}: the description has {length} characters, at most {limit}. Nothing was "
                              "imported.").format(line=row.line, length=len(description), limit=DEFAULT_FIELD_LIMIT))
        key = hashlib.sha256("\x1f".join((INVOICEBOT, str(own.number), day.isoformat(), client, str(own.minutes),
                                           description, str(own.rate), str(own.amount), own.currency,
                                           str(own.expense))).encode()).hexdigest()
        if key in seen:
            counts["repeated"] += 1
            continue
        seen.add(key)
        counts["cleaned"] += bool(invisible)
        entries.append(Entry(row.line, key, client, False, description, ((day, own.minutes or 0),), own))
    return Timesheet(INVOICEBOT, tuple(entries), **counts)


def _unguarded(cell: str) -> str:
    """A cell without the apostrophe our export puts before text a spreadsheet would run as a formula."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _own_task(row: _Row) -> OwnTask:
    minutes, number = _own_whole(row, "minutes"), _own_whole(row, "number")
    expense = row.cells.get("expense", "").casefold() in _YES
    own = OwnTask(number or 0, minutes, _own_number(row, "rate"), _own_number(row, "amount"),
                  row.cells.get("currency", "").upper(), expense)
    if own.fixed and not own.amount:
        raise _not_a_number(row, "amount")
    return own


def _own_whole(row: _Row, name: str) -> int | None:
    """A task number or minutes: a whole number the database can hold."""
    number = _own_number(row, name)
    if number is None:
        return None
    if number != number.to_integral_value() or number > MAX_RECORD_NUMBER:
        raise _not_a_number(row, name)
    return int(number)


def _own_number(row: _Row, name: str) -> Decimal | None:
    """A number of our own file as written, or as a spreadsheet saved it back (``1234,50``, ``1.234,50``,
    ``1,234.50``); None when the cell is empty."""
    value = "".join(row.cells.get(name, "").replace("\u00a0", " ").split())
    if not value:
        return None
    decimal_mark = max(value.rfind(","), value.rfind("."))
    if decimal_mark >= 0:  # the last mark is the decimal one; any other groups thousands
        value = value[:decimal_mark].replace(",", "").replace(".", "") + "." + value[decimal_mark + 1:]
    if _OWN_NUMBER.fullmatch(value) is None:
        raise _not_a_number(row, name)
    return Decimal(value)


def _not_a_number(row: _Row, name: str) -> UserError:
    return UserError(_("Line {line}: “{value}” in the column {column} is not a number I can read (like 90 or 80.50). "
                       "Nothing was imported.").format(line=row.line, value=row.cells.get(name, ""), column=name))


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the number of the line it starts on (a quoted field may hold new lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise UserError(_("Line {line} is not valid CSV (a quote that is not closed, or text after a closing "
                              "quote). Nothing was imported.").format(line=last + 1)) from None
        yield last + 1, cells
        last = reader.line_num


def _column(cell: str) -> str | None:
    name = " ".join(cell.replace("\ufeff", "").split()).casefold()
    if name.startswith(("billable rate", "billable amount", "amount")):
        return None
    return next((ours for ours, theirs in _COLUMNS.items() if name in theirs), None)


def _billable(row: _Row) -> bool:
    value = row.cells.get("billable", "").casefold()
    if value in _YES or value == "":
        return True
    if value in _NO:
        return False
    raise UserError(_("Line {line}: Billable is “{value}”; I read Yes or No. Nothing was imported.").format(
        line=row.line, value=row.cells.get("billable", "")))


def _date_order(rows: Sequence[_Row], chosen: str | None) -> str:
    """``dmy`` or ``mdy`` for the file's numeric dates: what a date past the 12th shows (one file, one order),
    else the chosen locale's; :class:`OpenDateOrder` names the first line that reads both ways when neither
    decides."""
    day_first: int | None = None
    month_first: int | None = None
    open_line: int | None = None
    open_value = ""
    for row in rows:
        for name in ("start_date", "end_date"):
            match = _NUMERIC_DATE.fullmatch(row.cells.get(name, ""))
            if match is None or match.group(2) == ".":  # 23.11.2026 is day first everywhere
                continue
            first, second = int(match.group(1)), int(match.group(3))
            if first > 12 and day_first is None:
                day_first = row.line
            elif second > 12 and month_first is None:
                month_first = row.line
            elif first <= 12 and second <= 12 and first != second and open_line is None:
                open_line, open_value = row.line, row.cells[name]
    if day_first is not None and month_first is not None:
        raise UserError(_("Line {line} writes the month first, but line {other} writes the day first: one export "
                          "has one date format. Nothing was imported.").format(line=month_first, other=day_first))
    if day_first is not None or month_first is not None:
        return "dmy" if day_first is not None else "mdy"
    if open_line is not None and chosen not in ("dmy", "mdy"):
        raise OpenDateOrder(open_line, open_value)
    return chosen if chosen in ("dmy", "mdy") else "dmy"


def _start_and_length(row: _Row, order: str) -> tuple[datetime, int]:
    """The local wall-clock start and the length in seconds (the duration column, else end minus start)."""
    start = datetime.combine(_date(row, "start_date", order), _time(row, "start_time"))
    seconds = _duration(row)
    if seconds is None:
        if not row.cells.get("end_date") and not row.cells.get("end_time"):
            raise UserError(_("Line {line} has no duration and no end. Nothing was imported.").format(line=row.line))
        end_day = _date(row, "end_date", order) if row.cells.get("end_date") else start.date()
        seconds = int((datetime.combine(end_day, _time(row, "end_time")) - start).total_seconds())
    if seconds < 0:
        raise UserError(_("Line {line}: the entry ends before it starts (a negative duration). Nothing was "
                          "imported.").format(line=row.line))
    if seconds > MAX_ENTRY_HOURS * 3600:
        raise UserError(_("Line {line}: an entry of {hours} hours looks like a timer left running; correct it in "
                          "the tracker and export again. Nothing was imported.").format(line=row.line,
                                                                                      hours=seconds // 3600))
    return start, seconds


def _date(row: _Row, name: str, order: str) -> date:
    value = row.cells.get(name, "")
    try:
        iso = _ISO_DATE.fullmatch(value)
        if iso is not None:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        numeric = _NUMERIC_DATE.fullmatch(value)
        if numeric is not None:
            first, second, year = int(numeric.group(1)), int(numeric.group(3)), int(numeric.group(4))
            day_first = order == "dmy" or numeric.group(2) == "."
            return date(year, second, first) if day_first else date(year, first, second)
    except ValueError:
        pass
    raise UserError(_("Line {line}: “{value}” is not a date I can read (like 2026-11-23 or 23/11/2026). Nothing "
                      "was imported.").format(line=row.line, value=value))


def _time(row: _Row, name: str) -> time:
    value = row.cells.get(name, "")
    match = _TIME.fullmatch(value)
    if match is not None:
        hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        half = (match.group(4) or "").lower()
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "p" else 0)
        if (not half or 1 <= int(match.group(1)) <= 12) and hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second)
    raise UserError(_("Line {line}: “{value}” is not a time of day I can read (like 09:30, 09:30:00 or 01:30 PM). "
                      "Nothing was imported.").format(line=row.line, value=value))


def _duration(row: _Row) -> int | None:
    """Seconds from the ``h:mm:ss`` column, else the decimal hours (``1.5`` or ``1,5``); None when both are empty."""
    clock, decimal = row.cells.get("clock", ""), row.cells.get("decimal", "")
    if clock:
        if clock.startswith("-"):
            raise UserError(_("Line {line}: the entry ends before it starts (a negative duration). Nothing was "
                              "imported.").format(line=row.line))
        match = _CLOCK_DURATION.fullmatch(clock)
        if match is not None and int(match.group(2)) < 60 and int(match.group(3) or 0) < 60:
            return int(match.group(1)) * 3600 + int(match.group(2)) * 60 + int(match.group(3) or 0)
        return _decimal_hours(row, clock)
    return _decimal_hours(row, decimal) if decimal else None


def _decimal_hours(row: _Row, value: str) -> int:
    try:
        hours = Decimal(value.replace(",", "."))
    except InvalidOperation:
        hours = Decimal("NaN")
    if hours.is_nan() or not hours.is_finite():
        raise UserError(_("Line {line}: “{value}” is not a duration I can read (like 1:30:00 or 1.5). Nothing was "
                          "imported.").format(line=row.line, value=value))
    if hours < 0:
        raise UserError(_("Line {line}: the entry ends before it starts (a negative duration). Nothing was "
                          "imported.").format(line=row.line))
    return int((hours * 3600).to_integral_value())


def _description(row: _Row) -> tuple[str, list[str]]:
    """The row's description, else its task, else its project; too long a one names the line."""
    text = next((row.cells[name] for name in ("description", "task", "project") if row.cells.get(name)), "")
    text, invisible = strip_invisible(" ".join(text.split()))
    if len(text) > DEFAULT_FIELD_LIMIT:
        raise UserError(_("Line {line}: the description has {length} characters, at most {limit}. Nothing was "
                          "imported.").format(line=row.line, length=len(text), limit=DEFAULT_FIELD_LIMIT))
    return text, invisible


def _key(source: str, row: _Row, start: datetime, seconds: int) -> str:
    fields = (source, row.cells.get("user", ""), row.cells.get("email", "").casefold(), start.isoformat(),
              str(seconds), row.cells.get("client", ""), row.cells.get("project", ""), row.cells.get("task", ""),
              row.cells.get("description", ""))
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()
