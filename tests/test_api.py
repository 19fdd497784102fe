"""The REST API (SPEC §10) through real HTTP against the server: every route, auth failures, another account's
objects, idempotent retries, rate limiting, the generated OpenAPI document and the docs page."""
from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import ClientResponse, ClientSession
from sqlalchemy import func, select

from adapters.api import RestApi
from bot.server import HttpServer
from core.models import IdempotentRequest, Reminder, Task
from tests.conftest import SELLER_PROFILE, Conversation, FixedClock

TOKEN = re.compile(r"\bib_[A-Za-z0-9_-]{32,}")


def token_for(chat: Conversation) -> str:
    reply = chat.say("/token new tests")
    assert reply is not None
    found = TOKEN.search(reply.text)
    assert found is not None
    return found.group(0)


@dataclass
class Api:
    http: ClientSession
    token: str

    async def call(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> ClientResponse:
        headers = {"Authorization": f"Bearer {token or self.token}", **kwargs.pop("headers", {})}
        response = await self.http.request(method, "/api/v1" + path, headers=headers, **kwargs)
        await response.read()
        return response


async def serve(core, sessions, cipher, clock, rate: int = 10_000) -> HttpServer:  # type: ignore[no-untyped-def]
    server = HttpServer(port=0)
    server.add_routes(RestApi(sessions, cipher, clock, rate_per_minute=rate).routes())
    await server.start()
    return server


def alice_with_clients(core) -> Conversation:  # type: ignore[no-untyped-def]
    """Alice with a complete profile and two clients: ACME (EUR 80/h, in Germany) and Globex (USD 60/h)."""
    chat = Conversation(core, user="alice")
    for line in SELLER_PROFILE:
        chat.text(line)
    chat.text("/client add ACME rate 80")
    chat.text("/client set ACME address Hauptstr. 5 | 10117 Berlin")
    chat.text("/client set ACME country DE")
    chat.text("/client add Globex rate 60 currency USD")
    return chat


@pytest.fixture
def alice(core) -> Conversation:  # type: ignore[no-untyped-def]
    return alice_with_clients(core)


@pytest.fixture
async def api(core, sessions, cipher, clock, alice) -> AsyncIterator[Api]:  # type: ignore[no-untyped-def]
    server = await serve(core, sessions, cipher, clock)
    async with ClientSession(base_url=f"http://127.0.0.1:{server.bound_port}") as http:
        yield Api(http, token_for(alice))
    await server.stop()


async def problem(response: ClientResponse, status: int) -> dict:
    assert response.status == status, await response.text()
    assert response.content_type == "application/problem+json"
    body = await response.json(content_type=None)
    assert body["status"] == status and body["title"] and body["detail"]
    return body


async def test_no_token_a_wrong_one_and_a_revoked_one_are_401(api: Api, alice: Conversation) -> None:
    response = await api.http.get("/api/v1/me")
    await problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    await problem(await api.call("GET", "/me", token="ib_" + "x" * 43), 401)
    await problem(await api.http.get("/api/v1/clients", headers={"Authorization": "Basic abc"}), 401)
    me = await api.call("GET", "/me")
    assert me.status == 200
    assert await me.json() == {"name": "Jane Doe Design", "timezone": "Europe/Berlin", "currency": "EUR",
                               "locale": "en_GB", "token": {"number": 1, "name": "tests"}}
    alice.text("/token revoke 1")
    await problem(await api.call("GET", "/me"), 401)


async def test_clients_are_listed_added_shown_and_changed_with_the_chats_checks(api: Api, alice: Conversation) -> None:
    listed = await (await api.call("GET", "/clients")).json()
    assert [c["name"] for c in listed["items"]] == ["ACME", "Globex"] and listed["next"] is None
    assert listed["items"][0]["rate"] == "80" and listed["items"][1]["currency"] == "USD"
    made = await api.call("POST", "/clients", json={"name": "Initech", "rate": "95.50", "currency": "gbp",
                                                    "country": "gb", "email": "ap@initech.example"})
    assert made.status == 201, await made.text()
    client = await made.json()
    assert (client["name"], client["rate"], client["currency"], client["country"]) == ("Initech", "95.5", "GBP", "GB")
    assert "Initech" in alice.text("/clients")
    shown = await (await api.call("GET", f"/clients/{client['id']}")).json()
    assert shown == client
    changed = await api.call("PATCH", f"/clients/{client['id']}", json={"rate": "100", "notes": "PO needed"})
    assert (await changed.json())["rate"] == "100" and (await changed.json())["notes"] == "PO needed"
    page = await (await api.call("GET", "/clients", params={"limit": "2"})).json()
    assert len(page["items"]) == 2 and page["next"] is not None
    rest = await (await api.call("GET", "/clients", params={"limit": "2", "cursor": page["next"]})).json()
    assert [c["name"] for c in rest["items"]] == ["Initech"] and rest["next"] is None
    twin = await problem(await api.call("POST", "/clients", json={"name": "acme"}), 422)
    assert twin["detail"] == "You already have a client called ACME."
    bad = await problem(await api.call("POST", "/clients", json={"name": "X", "rate": "-5", "colour": "red"}), 422)
    assert {tuple(e["loc"]) for e in bad["errors"]} == {("rate",), ("colour",)}
    vat = await problem(await api.call("PATCH", f"/clients/{client['id']}", json={"vat_id": "DE000"}), 422)
    assert "VAT" in vat["detail"]
    await problem(await api.call("GET", "/clients/999999"), 404)
    await problem(await api.call("GET", "/clients/abc"), 404)


async def test_another_accounts_objects_are_404(api: Api, core, alice: Conversation) -> None:  # type: ignore[no-untyped-def]
    bob = Conversation(core, user="bob")
    for line in SELLER_PROFILE:
        bob.text(line)
    bob.text("/client add Hooli rate 50")
    bob.text("2h review for Hooli")
    bob.text("1h call for Hooli")
    bob.invoice("/invoice Hooli")
    bobs = await (await api.call("GET", "/clients", token=token_for(bob))).json()
    hooli = bobs["items"][0]["id"]
    alice.text("1h design for ACME")
    await problem(await api.call("GET", f"/clients/{hooli}"), 404)
    await problem(await api.call("PATCH", f"/clients/{hooli}", json={"rate": "1"}), 404)
    await problem(await api.call("PATCH", "/tasks/2", json={"minutes": 5}), 404)  # bob's #2, alice has only #1
    await problem(await api.call("DELETE", "/tasks/2"), 404)
    for path in ("/invoices/INV-2026-0001", "/invoices/INV-2026-0001.pdf", "/invoices/INV-2026-0001.xml"):
        await problem(await api.call("GET", path), 404)
    await problem(await api.call("POST", "/invoices/INV-2026-0001/payments", json={}), 404)
    await problem(await api.call("POST", "/invoices/INV-2026-0001/void"), 404)
    assert (await (await api.call("GET", "/tasks")).json())["items"][0]["client"] == "ACME"
    await problem(await api.call("GET", "/nowhere"), 404)


async def test_tasks_are_logged_from_a_phrase_or_fields_listed_changed_and_deleted(
        api: Api, alice: Conversation, sessions, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    logged = await api.call("POST", "/tasks", json={"text": "2h logo design for ACME yesterday"})
    assert logged.status == 201, await logged.text()
    assert await logged.json() == {"id": 1, "client": "ACME", "date": "2026-11-23", "minutes": 120,
                                   "amount": "160.00", "currency": "EUR", "rate": "80",
                                   "description": "logo design", "billed": False, "invoice": None}
    fields = await api.call("POST", "/tasks", json={"client": "glob", "minutes": 90, "description": "call",
                                                    "date": "2026-11-20", "rate": "70"})
    assert (await fields.json())["amount"] == "105.00" and (await fields.json())["client"] == "Globex"
    fixed = await api.call("POST", "/tasks", json={"client": "ACME", "amount": "500", "description": "website"})
    assert (await fixed.json())["amount"] == "500.00" and (await fixed.json())["minutes"] is None
    assert "#1" in alice.text("/tasks") and "website" in alice.text("/tasks")  # the chat sees the same books
    unknown = await problem(await api.call("POST", "/tasks", json={"text": "1h audit for Umbrella"}), 422)
    assert "Umbrella" in unknown["detail"]
    no_time = await problem(await api.call("POST", "/tasks", json={"text": "logo for ACME"}), 422)
    assert "how long" in no_time["detail"].lower() or "duration" in no_time["detail"].lower()
    alice.text("/client add North Star Ltd")
    alice.text("/client add Northwind Traders")
    asked = await problem(await api.call("POST", "/tasks", json={"text": "1h call north"}), 422)
    assert asked["choices"] and any("North Star" in c for c in asked["choices"])
    await problem(await api.call("POST", "/tasks", json={"text": "1h", "client": "ACME"}), 422)
    await problem(await api.call("POST", "/tasks", json={"client": "ACME", "date": "2026-12-01", "minutes": 5}), 422)
    only_acme = await (await api.call("GET", "/tasks", params={"client": "ACME", "from": "2026-11-22"})).json()
    assert [t["id"] for t in only_acme["items"]] == [1, 3]
    changed = await api.call("PATCH", "/tasks/1", json={"minutes": 150})
    assert (await changed.json())["amount"] == "200.00" and (await changed.json())["description"] == "logo design"
    assert alice.text("/undo").startswith("Put back #1")  # the chat's /undo takes back an API edit
    assert (await api.call("DELETE", "/tasks/2")).status == 204
    await problem(await api.call("DELETE", "/tasks/2"), 404)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Task).where(Task.deleted_at.is_(None))) == 2


async def test_invoices_are_issued_listed_fetched_as_pdf_and_xml_paid_and_voided(api: Api, alice: Conversation) -> None:
    await api.call("POST", "/tasks", json={"text": "2h logo design for ACME yesterday"})
    await api.call("POST", "/tasks", json={"text": "30m call with ACME today"})
    preview = await api.call("POST", "/invoices", json={"client": "ACME", "preview": True})
    assert preview.status == 200
    draft = await preview.json()
    assert draft["number"] is None and draft["status"] == "draft" and draft["total"] == "200.00"
    issued = await api.call("POST", "/invoices", json={"client": "ACME"})
    assert issued.status == 201, await issued.text()
    invoice = await issued.json()
    assert (invoice["number"], invoice["status"], invoice["subtotal"], invoice["tax"], invoice["total"],
            invoice["outstanding"]) == ("INV-2026-0001", "open", "200.00", "0.00", "200.00", "200.00")
    assert [(line["minutes"], line["amount"]) for line in invoice["lines"]] == [(120, "160.00"), (30, "40.00")]
    tasks = await (await api.call("GET", "/tasks", params={"unbilled": "false"})).json()
    assert {t["invoice"] for t in tasks["items"]} == {"INV-2026-0001"}
    nothing = await problem(await api.call("POST", "/invoices", json={"client": "ACME"}), 422)
    assert "nothing" in nothing["detail"].lower()
    assert [i["number"] for i in (await (await api.call("GET", "/invoices")).json())["items"]] == ["INV-2026-0001"]
    assert await (await api.call("GET", "/invoices/inv-2026-0001")).json() == invoice
    pdf = await api.call("GET", "/invoices/INV-2026-0001.pdf")
    assert pdf.status == 200 and pdf.content_type == "application/pdf" and (await pdf.read()).startswith(b"%PDF")
    xml = await api.call("GET", "/invoices/INV-2026-0001.xml")
    assert xml.status == 200 and b"CrossIndustryInvoice" in await xml.read()
    part = await api.call("POST", "/invoices/INV-2026-0001/payments", json={"amount": "100", "date": "2026-11-24"})
    assert part.status == 201 and (await part.json())["outstanding"] == "100.00"
    assert "100.00 of it outstanding" in alice.text("/invoices")
    too_much = await problem(await api.call("POST", "/invoices/INV-2026-0001/payments", json={"amount": "500"}), 422)
    assert "outstanding" in too_much["detail"]
    voided = await problem(await api.call("POST", "/invoices/INV-2026-0001/void"), 422)  # paid in part: /unpaid first
    assert voided["detail"]
    alice.text("/unpaid INV-2026-0001")
    result = await api.call("POST", "/invoices/INV-2026-0001/void")
    assert result.status == 200, await result.text()
    both = await result.json()
    assert both["invoice"]["status"] == "void" and both["credit_note"]["number"] == "CN-2026-0001"
    assert both["credit_note"]["corrects"] == "INV-2026-0001" and both["credit_note"]["kind"] == "credit_note"
    again = await (await api.call("GET", "/tasks", params={"unbilled": "true"})).json()
    assert len(again["items"]) == 2


async def test_an_invoice_takes_a_discount_as_the_chat_does(api: Api, alice: Conversation) -> None:
    await api.call("POST", "/tasks", json={"text": "2h logo design for ACME yesterday"})
    await api.call("POST", "/tasks", json={"text": "30m call with ACME today"})
    draft = await (await api.call("POST", "/invoices", json={"client": "ACME", "preview": True,
                                                             "discount": "10%"})).json()
    assert draft["total"] == "180.00"
    too_much = await problem(await api.call("POST", "/invoices", json={"client": "ACME", "discount": "500"}), 422)
    assert "discount" in too_much["detail"].lower()
    assert (await (await api.call("GET", "/invoices")).json())["items"] == []  # refused: nothing issued
    issued = await api.call("POST", "/invoices", json={"client": "ACME", "discount": "50"})
    assert issued.status == 201, await issued.text()
    invoice = await issued.json()
    assert (invoice["subtotal"], invoice["total"]) == ("150.00", "150.00")
    xml = await (await api.call("GET", f"/invoices/{invoice['number']}.xml")).read()
    assert b"SpecifiedTradeAllowanceCharge" in xml


async def test_a_retry_with_the_same_idempotency_key_gets_the_first_answer(api: Api, sessions,
                                                                           clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    headers = {"Idempotency-Key": "7d3f-log-1"}
    first = await api.call("POST", "/tasks", json={"text": "2h design for ACME"}, headers=headers)
    again = await api.call("POST", "/tasks", json={"text": "2h design for ACME"}, headers=headers)
    assert first.status == again.status == 201
    assert await first.json() == await again.json()
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    other = await problem(await api.call("POST", "/tasks", json={"text": "3h design for ACME"}, headers=headers), 422)
    assert "Idempotency-Key" in other["detail"]
    fresh = await api.call("POST", "/tasks", json={"text": "2h design for ACME"}, headers={"Idempotency-Key": "k2"})
    assert (await fresh.json())["id"] == 2
    clock.advance(hours=24, seconds=1)  # kept 24 hours: after that the key is new again
    later = await api.call("POST", "/tasks", json={"text": "2h design for ACME"}, headers=headers)
    assert later.status == 201 and (await later.json())["id"] == 3
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Task)) == 3
        assert session.scalar(select(func.count()).select_from(IdempotentRequest)) == 1  # a day-old answer is purged
    await problem(await api.call("POST", "/tasks", json={"text": "1h x for ACME"}, headers={"Idempotency-Key": "é"}),
                  422)


async def test_a_token_past_its_rate_gets_429_with_retry_after(core, sessions, cipher, clock,  # type: ignore[no-untyped-def]
                                                               alice: Conversation) -> None:
    server = await serve(core, sessions, cipher, clock, rate=4)  # a burst of 2, then 4 a minute
    try:
        async with ClientSession(base_url=f"http://127.0.0.1:{server.bound_port}") as http:
            api = Api(http, token_for(alice))
            other = Api(http, token_for(Conversation(core, user="zed")))
            statuses = [(await api.call("GET", "/me")).status for _ in range(3)]
            assert statuses == [200, 200, 429]
            limited = await api.call("GET", "/me")
            body = await problem(limited, 429)
            assert 1 <= int(limited.headers["Retry-After"]) <= 15 and "requests a minute" in body["detail"]
            assert (await other.call("GET", "/me")).status == 200  # per token
    finally:
        await server.stop()


async def test_the_openapi_document_is_generated_valid_and_the_docs_page_is_served(api: Api) -> None:
    from openapi_spec_validator import validate

    response = await api.http.get("/api/v1/openapi.json")  # no token needed to read the contract
    document = await response.json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    wanted = {("get", "/me"), ("get", "/clients"), ("post", "/clients"), ("get", "/clients/{id}"),
              ("patch", "/clients/{id}"), ("get", "/tasks"), ("post", "/tasks"), ("patch", "/tasks/{id}"),
              ("delete", "/tasks/{id}"), ("post", "/invoices"), ("get", "/invoices"), ("get", "/invoices/{number}"),
              ("get", "/invoices/{number}.pdf"), ("get", "/invoices/{number}.xml"),
              ("post", "/invoices/{number}/payments"), ("post", "/invoices/{number}/void")}
    found = {(method, path.removeprefix("/api/v1")) for path, ops in document["paths"].items() for method in ops}
    assert wanted <= found
    task = document["components"]["schemas"]["Task"]
    assert {"id", "client", "date", "minutes", "amount", "rate", "description", "billed"} <= set(task["properties"])
    docs = await api.http.get("/api/v1/docs")
    page = await docs.text()
    assert docs.status == 200 and docs.content_type == "text/html"
    assert "openapi.json" in page and "http://" not in page and "https://" not in page  # nothing from a CDN


def sample(name: str, **labels: str) -> float:
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_api_requests_are_counted_by_route_and_status_with_their_latency(api: Api) -> None:
    from core import metrics

    metrics.enable()
    tasks, task = "/api/v1/tasks", "/api/v1/tasks/{id}"
    before = {key: sample("invoicebot_api_requests_total", method=method, route=route, status=status)
              for key, (method, route, status) in {
                  "logged": ("POST", tasks, "201"), "refused": ("POST", tasks, "422"), "missing": ("DELETE", task, "404"),
                  "stranger": ("GET", "/api/v1/me", "401"), "unknown": ("GET", "unknown", "404")}.items()}
    timed = sample("invoicebot_api_seconds_count", method="POST", route=tasks)
    await api.call("POST", "/tasks", json={"text": "2h design for ACME"})
    await api.call("POST", "/tasks", json={"text": "2h design for Nobody"})
    await api.call("DELETE", "/tasks/999")
    await api.call("GET", "/me", token="ib_" + "x" * 40)
    await api.call("GET", "/nowhere/12345")
    after = {key: sample("invoicebot_api_requests_total", method=method, route=route, status=status)
             for key, (method, route, status) in {
                 "logged": ("POST", tasks, "201"), "refused": ("POST", tasks, "422"), "missing": ("DELETE", task, "404"),
                 "stranger": ("GET", "/api/v1/me", "401"), "unknown": ("GET", "unknown", "404")}.items()}
    assert {key: after[key] - before[key] for key in before} == dict.fromkeys(before, 1)
    assert sample("invoicebot_api_seconds_count", method="POST", route=tasks) - timed == 2
    assert sample("invoicebot_api_requests_total", method="GET", route="/api/v1/nowhere/12345", status="404") == 0


async def test_an_invoice_issued_through_the_api_starts_the_overdue_check_as_the_chat_does(  # type: ignore[no-untyped-def]
        api: Api, alice: Conversation, sessions) -> None:
    await api.call("POST", "/tasks", json={"text": "2h logo design for ACME yesterday"})
    assert "Overdue-invoice check" not in alice.text("/reminders")
    issued = await api.call("POST", "/invoices", json={"client": "ACME"})
    assert issued.status == 201, await issued.text()
    assert "Overdue-invoice check: 09:00, every day" in alice.text("/reminders")
    with sessions() as session:
        watch = session.scalars(select(Reminder).where(Reminder.kind == "overdue")).one()
        assert (watch.platform, watch.chat_id, watch.paused) == ("local", "alice", False)  # her chat hears of it


async def test_invisible_characters_are_taken_out_of_api_texts_as_in_the_chat_and_named(api: Api) -> None:
    created = await api.call("POST", "/clients", json={"name": "Ini\u200btech", "address": "Main St\u202e 1"})
    assert created.status == 201, await created.text()
    assert (await created.json())["name"] == "Initech" and (await created.json())["address"] == "Main St 1"
    assert created.headers["Invisible-Characters-Removed"] == ("U+200B ZERO WIDTH SPACE, "
                                                               "U+202E RIGHT-TO-LEFT OVERRIDE")
    logged = await api.call("POST", "/tasks", json={"text": "2h logo\u2066 design for Initech"})
    assert (await logged.json())["description"] == "logo design" and (await logged.json())["client"] == "Initech"
    fields = await api.call("POST", "/tasks", json={"client": "ACME", "minutes": 30,
                                                    "description": "Cafe\u0301 \u200fcall"})
    assert (await fields.json())["description"] == "Caf\u00e9 call"  # NFC, as the chat stores it
    listed = await api.call("GET", "/tasks", params={"client": "Init\u200bech"})
    assert [task["client"] for task in (await listed.json())["items"]] == ["Initech"]
    await problem(await api.call("POST", "/clients", json={"name": "\u200b\u200b"}), 422)  # nothing left: refused
    plain = await api.call("POST", "/tasks", json={"text": "1h call for ACME"})
    assert "Invisible-Characters-Removed" not in plain.headers


def holds_a_transaction_open(database_url: str) -> bool:
    """Whether another connection is inside a transaction now: on SQLite, the write lock is taken (every transaction
    takes it, BEGIN IMMEDIATE); on PostgreSQL, a session sits idle in a transaction."""
    import sqlite3

    from sqlalchemy import create_engine, make_url, text

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        probe = sqlite3.connect(str(url.database), timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:  # database is locked
            return True
        finally:
            probe.close()
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return bool(connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'")))
    finally:
        engine.dispose()


async def test_an_invoice_pdf_is_drawn_after_its_transaction_closed_so_streams_and_requests_never_wait_on_it(
        api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawing a PDF takes a second or more; inside the transaction it held SQLite's write lock all that while, and
    an event stream's next read (and every other request) waited: an event came later than its 2 s."""
    from adapters.api import operations

    await api.call("POST", "/tasks", json={"text": "2h logo design for ACME yesterday"})
    assert (await api.call("POST", "/invoices", json={"client": "ACME"})).status == 201
    real_render = operations.render_invoice_pdf
    seen: list[bool] = []

    def render_and_look(document, einvoice=None):  # type: ignore[no-untyped-def]
        seen.append(holds_a_transaction_open(database_url))
        return real_render(document, einvoice)

    monkeypatch.setattr(operations, "render_invoice_pdf", render_and_look)
    pdf = await api.call("GET", "/invoices/INV-2026-0001.pdf")
    assert pdf.status == 200 and (await pdf.read()).startswith(b"%PDF")
    assert seen == [False]
