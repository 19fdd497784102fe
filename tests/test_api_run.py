"""`invoicebot run` with only INVOICEBOT_API=on (a valid configuration alone): a token made in the terminal channel
works over HTTP, and Schemathesis fuzzes every route from the served OpenAPI document — no server error, no answer
that breaks the document. The processes are the real command line (python -m bot)."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
KEY = "q9Q3bJ0H9s7vGQ1f3a0uC1mX1o2Q3c4Yb5Zr6Vt7Wu8="
SETUP = ("/profile set name Jane Doe Design", "/profile set address Hauptstr. 1 | 10115 Berlin",
         "/profile set country DE", "/client add ACME rate 80", "/client add Globex rate 60",
         "2h logo design for ACME yesterday", "1h call for Globex", "/token new fuzz")
FUZZ_EXAMPLES = 15
"""Cases per operation: 16 operations make about 240 requests per database, within the suite's time budget."""


@dataclass
class Running:
    base: str
    token: str
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "SLACK_"))}
    env.update({"PYTHONPATH": str(ROOT), "INVOICEBOT_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": database_url,
                "INVOICEBOT_SECRET_KEYS": KEY, "INVOICEBOT_DEFAULT_TZ": "Europe/Berlin", **extra})
    return env


def make_token(tmp_path: Path, database_url: str, user: str, lines: tuple[str, ...]) -> str:
    done = subprocess.run([sys.executable, "-m", "bot", "chat", "--as", user], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, env=environment(tmp_path, database_url), cwd=tmp_path,
                          timeout=120, check=True)
    found = re.findall(r"\bib_[A-Za-z0-9_-]{32,}", done.stdout)
    assert len(found) == 1, done.stdout + done.stderr
    return found[0]


@pytest.fixture
def running(tmp_path: Path, database_url: str) -> Iterator[Running]:
    token = make_token(tmp_path, database_url, "ada", SETUP)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True,
                               env=environment(tmp_path, database_url, INVOICEBOT_API="on", PORT=str(port),
                                               INVOICEBOT_API_RATE_LIMIT="100000"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("invoicebot run did not start:\n" + (process.stderr.read() if process.stderr else ""))
        time.sleep(0.1)
    yield Running(base, token, process)
    if process.poll() is None:
        process.kill()
        process.wait()


def stop(process: subprocess.Popen) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=30)
    return code, process.stderr.read() if process.stderr else ""


def test_run_with_only_the_api_serves_it_and_schemathesis_finds_no_error_in_it(running: Running) -> None:
    auth = {"Authorization": f"Bearer {running.token}"}
    me = requests.get(running.base + "/api/v1/me", headers=auth, timeout=10)
    assert me.status_code == 200 and me.json()["name"] == "Jane Doe Design"
    logged = requests.post(running.base + "/api/v1/tasks", json={"text": "45m review for ACME"}, headers=auth,
                           timeout=10)
    assert logged.status_code == 201 and logged.json()["id"] == 3
    issued = requests.post(running.base + "/api/v1/invoices", json={"client": "ACME"}, headers=auth, timeout=30)
    assert issued.status_code == 201 and issued.json()["total"] == "220.00"
    pdf = requests.get(running.base + "/api/v1/invoices/INV-2026-0001.pdf", headers=auth, timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert requests.get(running.base + "/api/v1/me", timeout=10).status_code == 401

    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    schema = schemathesis.openapi.from_url(running.base + "/api/v1/openapi.json")
    auth = {"Authorization": f"Bearer {running.token}"}
    checks = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
    calls: dict[str, int] = {}
    fuzzed = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/events"):  # a stream that stays open: tests/test_api_events.py covers it
            continue
        fuzzed += 1
        fuzz_operation(operation, running.base, auth, checks, calls)
    assert fuzzed >= 16, fuzzed  # every route of the document but the stream (18 with the CSV exports)
    assert len(calls) == fuzzed and sum(calls.values()) >= fuzzed * 8, calls
    code, log = stop(running.process)
    assert code == 0 and "Traceback" not in log, log[-3000:]
    assert running.token not in log


def fuzz_operation(operation, base: str, auth: dict[str, str], checks: list, calls: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    """A bounded, repeatable Hypothesis run of one operation; the first failing check fails the test with the
    smallest case Hypothesis finds (and a curl line to reproduce it)."""
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def fuzz(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call(base_url=base, headers=auth, timeout=30)
        calls[operation.label] = calls.get(operation.label, 0) + 1
        case.validate_response(response, checks=checks)

    fuzz()
