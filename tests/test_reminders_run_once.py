"""`invoicebot reminders run-once [--now ISO]` end to end, in a subprocess, as cron runs it."""
from datetime import UTC
from pathlib import Path

from tests.test_cli import invoicebot

BERLIN = {"INVOICEBOT_DEFAULT_TZ": "Europe/Berlin"}


def test_run_once_delivers_what_is_due_once_and_catches_up_once(tmp_path: Path, database_url: str) -> None:
    env = {**BERLIN, "DATABASE_URL": database_url}
    setup = invoicebot("chat", "--as", "alice", tmp=tmp_path, env=env,
                       stdin="/client add ACME rate 80\n/remind daily 18:00\n/remind weekly fri 16:00\n")
    assert setup.returncode == 0, setup.stderr
    assert "I'll remind you to log your work at 18:00" in setup.stdout

    first = invoicebot("reminders", "run-once", "--now", "2030-01-04T18:00:00+01:00", "--force", tmp=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert "[to alice] Nothing logged today (4 Jan 2030). What did you work on? Tell me in plain words, e.g. " \
           "“2h logo design for ACME”." in lines
    assert any(line.startswith("[to alice] Weekly digest") for line in lines)  # after years down: once, not weekly
    assert "2 sent, 0 failed" in first.stderr

    again = invoicebot("reminders", "run-once", "--now", "2030-01-04T18:00:00+01:00", "--force", tmp=tmp_path, env=env)
    assert again.returncode == 0 and again.stdout == "" and "0 sent" in again.stderr

    chat = invoicebot("chat", "--as", "alice", tmp=tmp_path, env=env, stdin="/reminders\n")
    assert "next 5 Jan 2030 18:00" in chat.stdout and "next 11 Jan 2030 16:00" in chat.stdout


def test_run_once_refuses_a_now_without_offset(tmp_path: Path) -> None:
    result = invoicebot("reminders", "run-once", "--now", "2030-01-04T18:00:00", tmp=tmp_path)
    assert result.returncode == 2 and "UTC offset" in result.stderr


def test_a_now_far_from_the_clock_is_refused_without_force_and_silences_nothing(tmp_path: Path,
                                                                               database_url: str) -> None:
    from datetime import datetime, timedelta

    env = {**BERLIN, "DATABASE_URL": database_url}
    invoicebot("chat", "--as", "alice", tmp=tmp_path, env=env, stdin="/remind daily 18:00\n")
    before = invoicebot("chat", "--as", "alice", tmp=tmp_path, env=env, stdin="/reminders\n").stdout
    ahead = (datetime.now(UTC) + timedelta(days=3)).isoformat(timespec="seconds")

    refused = invoicebot("reminders", "run-once", "--now", ahead, tmp=tmp_path, env=env)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "3 days ahead of this machine's clock" in refused.stderr and "--force" in refused.stderr
    assert invoicebot("chat", "--as", "alice", tmp=tmp_path, env=env, stdin="/reminders\n").stdout == before

    near = (datetime.now(UTC) + timedelta(minutes=2)).isoformat(timespec="seconds")
    assert invoicebot("reminders", "run-once", "--now", near, tmp=tmp_path, env=env).returncode == 0
