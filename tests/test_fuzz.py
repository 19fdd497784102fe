"""Fuzzing the whole core and the command line: no message may end in "Sorry, something went wrong".

Messages are built from every command word of the table and from tokens that broke it before — numbers past a
column's range, 30-digit durations, NUL bytes and undecodable input, other scripts' digits, huge fields — mixed
with ordinary phrases, and handed to Core.handle on SQLite and PostgreSQL. Every answer must be a sentence: an
unexpected error (logged with a reference) fails the test. ``invoicebot parse`` gets lines of arbitrary bytes and
must answer each with one JSON line of UTF-8.

Bounded for CI by a fixed seed and example count; ``INVOICEBOT_FUZZ_EXAMPLES=6000`` runs a long, random one.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Conversation
from tests.test_cli import ROOT

EXAMPLES = int(os.environ.get("INVOICEBOT_FUZZ_EXAMPLES", "0")) or None
FUZZ = settings(max_examples=EXAMPLES or 250, derandomize=EXAMPLES is None, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

COMMANDS = ["start", "help", "log", "tasks", "undo", "edit", "delete", "clients", "client", "invoice", "invoices",
            "paid", "void", "report", "remind", "reminders", "again", "profile", "tz", "pick", "nosuchcommand"]
WORDS = ["add", "set", "show", "preview", "until", "archive", "on", "off", "daily", "weekly", "overdue", "undo",
         "name", "rate", "currency", "email", "address", "tax_rate", "notes", "payment", "tax_id", "terms",
         "number_format", "locale", "week", "month", "last", "ACME", "Acorn", "Norate", "for", "@", "#1", "1", "2",
         "yesterday", "monday", "2026-11-20", "21.11.2026", "03/04", "9:00-11:30", "2h", "1h30", "45m", "€500",
         "EUR", "USD", "INV-2026-0001", "INV-2026-0002", "Europe/Berlin", "18:00", "fri", "weekdays", "|", "-"]
HOSTILE = ["9" * 20, "2147483648", "-1", "0", "99999999999999999999999999999h", "1e400", "NaN", "Infinity",
           "\x00", "x\x00y", "\udcff", "\udcfe\udcfd", "²", "١٢", "\u202e", "\u200b", "🙂", "\x1b[D", "%s", "{seq}",
           "{seq:1000}", "{year:99}", "../..", "/", "\\", "'; DROP TABLE tasks; --", "x" * 300, "€" * 50,
           "0001-01-01", "9999-12-31", "31.02.2026", "25:99", "1.1.1", ",", ";", "\n", "\t"]
token = st.one_of(st.sampled_from(WORDS), st.sampled_from(HOSTILE), st.integers(-10**30, 10**30).map(str),
                  st.text(max_size=12))
message = st.builds(
    lambda slash, command, tokens: (f"/{command} " if slash else "") + " ".join(tokens),
    st.booleans(), st.sampled_from(COMMANDS), st.lists(token, max_size=8),
)


class Unexpected(logging.Handler):
    """Collects the core's "unexpected error" log records: the trace of every "Sorry, something went wrong"."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_fuzzed_messages_never_reach_an_unexpected_error(core, clock) -> None:
    alice = Conversation(core)
    for line in ("/client add ACME rate 80", "/client add Acorn rate 90 currency USD", "/client add Norate",
                 "/profile set name Jane Doe", "2h design for ACME yesterday", "€300 hosting for Acorn",
                 "1h call for Norate", "/invoice ACME", "/remind daily 18:00"):
        alice.say(line)
    unexpected = Unexpected()
    logging.getLogger("core").addHandler(unexpected)
    fuzzed: list[str] = []

    @FUZZ
    @given(text=message)
    def answer(text: str) -> None:
        fuzzed.append(text)
        reply = alice.say(text)
        assert reply is None or "something went wrong" not in reply.text, (text, reply.text)
        assert not unexpected.records, (text, unexpected.records[0].getMessage())

    try:
        answer()
    finally:
        logging.getLogger("core").removeHandler(unexpected)
    assert len(fuzzed) >= (EXAMPLES or 250) // 2  # it really ran (hypothesis may stop early on duplicates)


line_bytes = st.one_of(
    st.binary(max_size=80).map(lambda b: b.replace(b"\n", b" ")),
    message.map(lambda text: text.replace("\n", " ").encode("utf-8", "surrogateescape")),
    st.sampled_from([b"2h logo design for ACME yesterday", b"\xff\xfe2h", b"caf\xe9 1h for ACME", b"\x00", b"",
                     b"9" * 40 + b"h for ACME"]),
)


@settings(max_examples=min(EXAMPLES or 3, 20), derandomize=EXAMPLES is None, deadline=None, database=None)
@given(lines=st.lists(line_bytes, min_size=1, max_size=150))
def test_parse_answers_every_line_of_bytes_with_one_json_line_of_utf8(lines: list[bytes]) -> None:
    stdin = b"\n".join(lines) + b"\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "parse", "--now", "2026-11-24T10:00:00+01:00", "--tz", "Europe/Berlin",
         "--client", "ACME", "--client", "Café Müller"],
        input=stdin, capture_output=True, timeout=120, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C"})
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    answers = result.stdout.decode("utf-8").split("\n")[:-1]  # raises if any byte isn't UTF-8
    assert len(answers) == len(lines)
    for answer in answers:
        parsed = json.loads(answer)
        assert "internal error" not in parsed.get("error", ""), parsed
