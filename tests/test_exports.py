"""``/export tasks|invoices [PERIOD]`` and ``GET /api/v1/tasks.csv``, ``/invoices.csv``: CSV that parses back to
what was logged and billed (commas, quotes, newlines, accents, formula-looking text), the period filter, the refusal in
a group chat, and the API routes (200, text/csv, 401 without a token)."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from core.exports import INVOICE_COLUMNS, TASK_COLUMNS
from core.models import Task
from tests.conftest import Conversation
from tests.test_api import Api, alice_with_clients, api  # noqa: F401  (the API fixture, served for alice)

TRICKY = 'Logo, "final" v2\nsecond line — café Müller'
FORMULA = "=HYPERLINK(\"x\")"


@pytest.fixture
def alice(core, sessions) -> Conversation:  # type: ignore[no-untyped-def]
    chat = alice_with_clients(core)
    chat.text("2h logo design for ACME yesterday")
    chat.text("30m call with ACME today")
    chat.text("1h support for Globex today")
    chat.text("/expense 12.50 train ticket for ACME")
    with sessions() as session:  # text no chat phrase would keep whole: set it as an import or the API could
        tasks = {t.number: t for t in session.scalars(select(Task))}
        tasks[1].description = TRICKY
        tasks[3].description = FORMULA
        tasks[3].work_date = date(2026, 10, 15)  # last month
        session.commit()
    chat.invoice("/invoice ACME")
    chat.text("/paid INV-2026-0001 50")
    return chat


def rows(content: bytes) -> list[dict[str, str]]:
    assert not content.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


def test_tasks_export_parses_back_with_tricky_text_and_formula_guard(alice: Conversation) -> None:
    reply = alice.say("/export tasks")
    assert reply is not None and reply.document is not None, reply
    assert reply.document.filename == "tasks-all.csv" and reply.document.mime_type == "text/csv"
    assert reply.document.content.splitlines()[0].decode() == ",".join(TASK_COLUMNS)
    found = {row["number"]: row for row in rows(reply.document.content)}
    assert set(found) == {"1", "2", "3", "4"}
    assert found["1"]["description"] == TRICKY
    assert (found["1"]["date"], found["1"]["client"], found["1"]["minutes"], found["1"]["billed_minutes"],
            found["1"]["rate"], found["1"]["amount"], found["1"]["currency"], found["1"]["invoice"],
            found["1"]["expense"]) == ("2026-11-23", "ACME", "120", "120", "80", "160.00", "EUR", "INV-2026-0001", "no")
    assert found["3"]["description"] == "'" + FORMULA
    assert (found["3"]["currency"], found["3"]["amount"], found["3"]["invoice"]) == ("USD", "60.00", "")
    assert (found["4"]["expense"], found["4"]["amount"], found["4"]["minutes"]) == ("yes", "12.50", "")


def test_the_period_filters_tasks_and_invoices(alice: Conversation) -> None:
    last_month = alice.say("/export tasks last month")
    assert last_month is not None and last_month.document is not None
    assert last_month.document.filename == "tasks-2026-10.csv"
    assert [row["number"] for row in rows(last_month.document.content)] == ["3"]
    month = alice.say("/export tasks month")
    assert month is not None and month.document is not None
    assert sorted(row["number"] for row in rows(month.document.content)) == ["1", "2", "4"]
    none = alice.say("/export invoices last month")
    assert none is not None and none.document is not None and rows(none.document.content) == []
    year = alice.say("/export invoices year")
    assert year is not None and year.document is not None and year.document.filename == "invoices-2026.csv"
    assert year.document.content.splitlines()[0].decode() == ",".join(INVOICE_COLUMNS)
    [invoice] = rows(year.document.content)
    assert invoice == {"number": "INV-2026-0001", "kind": "invoice", "client": "ACME", "issue_date": "2026-11-24",
                       "due_date": invoice["due_date"], "subtotal": "212.50", "tax": "0.00", "total": "212.50",
                       "currency": "EUR", "status": "open", "outstanding": "162.50"}
    assert date.fromisoformat(invoice["due_date"]) > date(2026, 11, 24)


def test_bad_input_gets_a_usage_message_and_a_group_chat_is_refused(core, alice: Conversation) -> None:  # type: ignore[no-untyped-def]
    assert "/export tasks" in alice.text("/export")
    assert "fortnight" in alice.text("/export tasks fortnight")
    group = Conversation(core, user="alice", private=False)
    reply = group.say("/export tasks")
    assert reply is not None and reply.document is None and "private chat" in reply.text


async def test_the_api_serves_the_same_csv(api: Api, alice: Conversation) -> None:  # noqa: F811
    assert (await api.http.get("/api/v1/tasks.csv")).status == 401
    assert (await api.http.get("/api/v1/invoices.csv")).status == 401
    tasks = await api.call("GET", "/tasks.csv", params={"period": "last month"})
    assert tasks.status == 200 and tasks.content_type == "text/csv"
    assert [row["number"] for row in rows(await tasks.read())] == ["3"]
    chat = alice.say("/export invoices")
    assert chat is not None and chat.document is not None
    invoices = await api.call("GET", "/invoices.csv")
    assert invoices.status == 200 and invoices.content_type == "text/csv"
    assert await invoices.read() == chat.document.content
    assert (await api.call("GET", "/invoices.csv", params={"period": "fortnight"})).status == 422
    document = await (await api.http.get("/api/v1/openapi.json")).json()
    for path in ("/api/v1/tasks.csv", "/api/v1/invoices.csv"):
        assert "text/csv" in document["paths"][path]["get"]["responses"]["200"]["content"]
