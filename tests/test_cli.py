"""The command line, end to end in a subprocess, as a user runs it."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def invoicebot(*args: str, stdin: str = "", env: dict[str, str] | None = None, tmp: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("TELEGRAM_", "SLACK_", "DATABASE_URL", "LC_", "LANG"))}
    environment.update({"INVOICEBOT_DATA_DIR": str(tmp), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}, **(env or {}))
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          env=environment, cwd=tmp, timeout=120)


def test_piped_chat_adds_a_client_logs_work_and_lists_it(tmp_path: Path) -> None:
    result = invoicebot("chat", "--as", "alice", tmp=tmp_path,
                        stdin="/client add ACME rate 80\n2h logo design for ACME yesterday\n/tasks\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Added client ACME")
    assert any(line.startswith("Logged #1: 2h for ACME") and "€160.00" in line for line in lines)
    assert "ACME — 2h, €160.00" in result.stdout
    assert "secret.key" in result.stderr  # the first run made a key file and said so


def test_chat_remembers_across_runs_and_users_are_separate(tmp_path: Path) -> None:
    invoicebot("chat", "--as", "alice", tmp=tmp_path, stdin="/client add ACME rate 80\n1h call for ACME\n")
    again = invoicebot("chat", "--as", "alice", tmp=tmp_path, stdin="/tasks\n")
    assert "ACME — 1h" in again.stdout
    other = invoicebot("chat", "--as", "bob", tmp=tmp_path, stdin="/tasks\n")
    assert "No unbilled work" in other.stdout


def test_parse_prints_one_json_object_a_line_in_order(tmp_path: Path) -> None:
    result = invoicebot("parse", "--now", "2026-11-24T10:00:00+01:00", "--tz", "Europe/Berlin", "--client", "ACME",
                        tmp=tmp_path, stdin="2h logo design for ACME yesterday\ngood morning\n\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    assert rows[0]["ok"] and rows[0]["client"] == "ACME" and rows[0]["minutes"] == 120
    assert rows[0]["date"] == "2026-11-23"
    assert rows[1]["ok"] is False and rows[1]["error"]
    assert rows[2]["ok"] is False


def test_parse_reads_the_chosen_locales_language_and_prints_several_entries_of_one_line(tmp_path: Path) -> None:
    result = invoicebot("parse", "--now", "2026-11-24T10:00:00+01:00", "--tz", "America/New_York", "--client", "ACME",
                        "--locale", "de_DE", tmp=tmp_path,
                        stdin="2 Std. Logo für ACME gestern\n2h design, 1h call for ACME\n2h review ACME 03/04\n")
    assert result.returncode == 0, result.stderr
    german, several, numeric = [json.loads(line) for line in result.stdout.splitlines()]
    assert (german["minutes"], german["date"], german["description"]) == (120, "2026-11-23", "logo")
    assert several["ok"] and [(e["minutes"], e["client"], e["description"]) for e in several["entries"]] == [
        (120, "ACME", "design"), (60, "ACME", "call")]
    assert numeric["date"] == "2026-04-03"  # de_DE reads day first, though New York's country would not


def test_parse_without_a_locale_orders_a_numeric_date_by_the_timezones_country(tmp_path: Path) -> None:
    rows = {}
    for zone in ("America/New_York", "Europe/London", "UTC"):
        result = invoicebot("parse", "--now", "2026-11-24T10:00:00+01:00", "--tz", zone, "--client", "ACME",
                            tmp=tmp_path, stdin="2h review ACME 03/04\n")
        rows[zone] = json.loads(result.stdout)
    assert rows["America/New_York"]["date"] == "2026-03-04" and rows["Europe/London"]["date"] == "2026-04-03"
    assert rows["UTC"]["ok"] is False and len(rows["UTC"]["choices"]) == 2


def test_parse_refuses_an_unknown_locale(tmp_path: Path) -> None:
    result = invoicebot("parse", "--now", "2026-11-24T10:00:00+01:00", "--tz", "UTC", "--locale", "xx_QQ",
                        tmp=tmp_path)
    assert result.returncode == 2 and "not a locale" in result.stderr


def test_parse_refuses_a_bad_timezone(tmp_path: Path) -> None:
    result = invoicebot("parse", "--now", "2026-11-24T10:00:00+01:00", "--tz", "Nowhere/Land", tmp=tmp_path)
    assert result.returncode == 2 and "not a timezone" in result.stderr


def test_run_without_a_channel_names_the_variables_and_points_at_chat(tmp_path: Path) -> None:
    result = invoicebot("run", tmp=tmp_path)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "SLACK_BOT_TOKEN" in result.stderr
    assert "invoicebot chat" in result.stderr


def test_migrate_is_safe_to_run_twice(tmp_path: Path) -> None:
    assert invoicebot("migrate", tmp=tmp_path).returncode == 0
    second = invoicebot("migrate", tmp=tmp_path)
    assert second.returncode == 0 and "up to date" in second.stdout


def test_an_unreachable_database_is_one_clear_line_not_a_traceback(tmp_path: Path) -> None:
    url = "postgresql+psycopg://invoicebot:s3cret@127.0.0.1:1/invoicebot"
    result = invoicebot("chat", "--as", "zoe", stdin="/tasks\n", env={"DATABASE_URL": url}, tmp=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("invoicebot: can't reach the database at postgresql+psycopg://invoicebot:***@")
    assert "Check DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr and "s3cret" not in result.stderr


def test_chat_answers_in_the_terminal_s_language(tmp_path: Path) -> None:
    result = invoicebot("chat", "--as", "zoe", stdin="/clients\n/language en\n/clients\n",
                        env={"LANG": "de_DE.UTF-8"}, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Du hast noch keine Kunden. Leg einen an: /client add ACME rate 80 currency EUR"
    assert lines[-1] == "You have no clients yet. Add one: /client add ACME rate 80 currency EUR"


@pytest.mark.parametrize(("environ", "locale"), [
    ({"LANG": "de_DE.UTF-8"}, "de_DE"), ({"LC_ALL": "fr_FR@euro", "LANG": "de_DE.UTF-8"}, "fr_FR"),
    ({"LC_MESSAGES": "es_ES.UTF-8", "LANG": "C"}, "es_ES"), ({"LANG": "C.UTF-8"}, None), ({}, None),
])
def test_the_terminal_s_locale_is_read_as_the_c_library_does(environ: dict[str, str], locale: str | None) -> None:
    from bot.local import terminal_locale

    assert terminal_locale(environ) == locale


def test_chat_reads_invalid_utf8_with_replacement_and_says_so(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("TELEGRAM_", "SLACK_", "DATABASE_URL", "LC_", "LANG"))}
    environment.update({"INVOICEBOT_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), "LANG": "C"})
    latin1 = "/client add ACME rate 80\n2h caf\u00e9 menu design for ACME\n/tasks\n".encode("latin-1")
    result = subprocess.run([sys.executable, "-m", "bot", "chat", "--as", "alice"], input=latin1,
                            capture_output=True, env=environment, cwd=tmp_path, timeout=120)
    out = result.stdout.decode("utf-8", errors="strict")
    assert result.returncode == 0, result.stderr.decode()
    assert "Traceback" not in result.stderr.decode() and "Error" not in result.stderr.decode()
    assert "Part of that line wasn't UTF-8 (bytes 0xE9), so I read it as “2h caf\ufffd menu design for ACME”." in out
    assert "Logged #1: 2h for ACME" in out and "caf\ufffd menu design" in out
