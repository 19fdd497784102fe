"""Observability (SPEC §11): the message and invoice counters, /readyz through its states, /metrics, JSON log lines
with the error reference and no secret, and Sentry events cleaned by the same filter."""
from __future__ import annotations

import gzip
import io
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiohttp import ClientSession
from prometheus_client import REGISTRY
from sqlalchemy import text

from bot.health import MetricsEndpoint, Readiness, routes
from bot.logs import JsonFormatter
from bot.redaction import RedactSecrets
from bot.server import HttpServer
from core import metrics
from tests.conftest import SELLER_PROFILE, Conversation

SECRET = "xoxb-1111-2222-SlackBotTokenValue"


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture(autouse=True)
def counting() -> None:
    metrics.enable()


def test_messages_are_counted_by_platform_and_outcome_with_their_latency(chat: Conversation) -> None:
    before = {outcome: sample("invoicebot_messages_total", platform="local", outcome=outcome)
              for outcome in metrics.OUTCOMES}
    logged = sample("invoicebot_command_seconds_count", command="log")
    clients = sample("invoicebot_command_seconds_count", command="client")

    chat.say("/client add ACME rate 80")
    chat.say("2h logo design for ACME", message_id="m1")
    assert chat.say("2h logo design for ACME", message_id="m1") is None  # the same delivery again
    chat.say("/nonsense")

    def delta(outcome: str) -> float:
        return sample("invoicebot_messages_total", platform="local", outcome=outcome) - before[outcome]

    assert (delta("answered"), delta("duplicate"), delta("refused"), delta("error")) == (2, 1, 1, 0)
    assert sample("invoicebot_command_seconds_count", command="log") - logged == 1  # duplicates aren't timed
    assert sample("invoicebot_command_seconds_count", command="client") - clients == 1
    assert sample("invoicebot_command_seconds_count", command="unknown") >= 1  # never the raw text as a label


def test_an_unexpected_error_is_counted_by_kind(core, monkeypatch) -> None:
    def broken(ctx, text):  # type: ignore[no-untyped-def]
        raise KeyError("boom")

    monkeypatch.setattr(core, "plain_text", broken)
    before = sample("invoicebot_errors_total", kind="KeyError", where="message")
    errors = sample("invoicebot_messages_total", platform="local", outcome="error")
    assert "ref" in Conversation(core).text("2h design for ACME")
    assert sample("invoicebot_errors_total", kind="KeyError", where="message") - before == 1
    assert sample("invoicebot_messages_total", platform="local", outcome="error") - errors == 1


def test_an_invoice_is_counted_once_committed_and_not_when_refused(chat: Conversation) -> None:
    for line in (*SELLER_PROFILE, "/client add ACME rate 80", "2h logo design for ACME"):
        chat.say(line)
    before = sample("invoicebot_invoices_issued_total")
    assert chat.invoice("/invoice ACME").document is not None
    assert sample("invoicebot_invoices_issued_total") - before == 1
    assert "nothing" in chat.text("/invoice ACME").lower()  # rolled back: not counted
    assert sample("invoicebot_invoices_issued_total") - before == 1


class FakeRuntime:
    def __init__(self, engine, sessions, core) -> None:  # type: ignore[no-untyped-def]
        self.engine, self.sessions, self.core = engine, sessions, core


async def test_readyz_follows_the_process_and_the_database_and_metrics_answer(engine, sessions, core,
                                                                               clock) -> None:
    runtime = FakeRuntime(engine, sessions, core)
    readiness = Readiness(runtime)  # type: ignore[arg-type]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = HttpServer(sock=sock)
    server.add_routes(routes(readiness, MetricsEndpoint(runtime)))  # type: ignore[arg-type]
    await server.start()
    base = f"http://127.0.0.1:{server.bound_port}"
    chat = Conversation(core)
    chat.say("/remind daily 08:00")
    clock.advance(days=2)  # the reminder is due, and nobody sent it
    try:
        async with ClientSession() as http:
            async def ready() -> tuple[int, dict]:  # type: ignore[type-arg]
                async with http.get(f"{base}/readyz") as response:
                    return response.status, await response.json()

            assert await ready() == (503, {"ready": False, "reason": "starting"})
            readiness.ready()
            assert await ready() == (200, {"ready": True})

            async with http.get(f"{base}/metrics") as response:
                assert response.status == 200 and response.content_type == "text/plain"
                body = await response.text()
            assert "invoicebot_reminders_due_unsent 1.0" in body
            assert 'invoicebot_messages_total{outcome="answered",platform="local"}' in body
            assert "invoicebot_command_seconds_bucket" in body

            head = readiness.head()
            with engine.begin() as connection:  # the schema is behind (a newer release's migrate hasn't run)
                connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
            status, answer = await ready()
            assert status == 503 and "invoicebot migrate" in answer["reason"]
            with engine.begin() as connection:
                connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
            assert (await ready())[0] == 200

            readiness.draining()
            assert await ready() == (503, {"ready": False, "reason": "draining"})
    finally:
        await server.stop()


def test_json_log_lines_carry_the_reference_platform_and_command_and_no_secret(core, monkeypatch) -> None:
    def broken(ctx, text):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"the API refused token {SECRET}")

    monkeypatch.setattr(core, "plain_text", broken)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactSecrets([SECRET]))
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("core.app")
    logger.addHandler(handler)
    try:
        reply = Conversation(core, platform="slack").text(f"2h design, my token is {SECRET}")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 1
    [line] = lines
    assert line["level"] == "ERROR" and line["ref"] in reply
    assert (line["platform"], line["command"]) == ("slack", "log")
    assert "RuntimeError" in line["exception"] and "[redacted]" in line["exception"]
    assert SECRET not in out.getvalue()


class Collector(BaseHTTPRequestHandler):
    bodies: list[bytes] = []
    received = threading.Event()

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Collector.bodies.append(body)
        Collector.received.set()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def test_sentry_gets_the_error_without_the_secret() -> None:
    import sentry_sdk

    from bot.logs import start_sentry

    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dsn = f"http://publickey0123@127.0.0.1:{server.server_port}/1"
    try:
        start_sentry(dsn, RedactSecrets([SECRET]))
        try:
            raise RuntimeError(f"the API refused token {SECRET}")
        except RuntimeError as exc:
            sentry_sdk.capture_exception(exc)
        sentry_sdk.flush(timeout=10)
        assert Collector.received.wait(10)
    finally:
        sentry_sdk.get_client().close()
        server.shutdown()
    sent = b"".join(Collector.bodies)
    assert b"RuntimeError" in sent and b"[redacted]" in sent
    assert SECRET.encode() not in sent
