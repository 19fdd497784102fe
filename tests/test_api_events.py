"""GET /api/v1/events: the account's changes from every channel and process as Server-Sent Events, within 2 s;
heartbeats while quiet; Last-Event-ID resumes without loss; nothing of another account's."""
from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import ClientResponse, ClientSession, ClientTimeout
from sqlalchemy import event, select

from adapters.api import RestApi
from bot.server import HttpServer
from core.models import Invoice
from core.storage import create_db_engine, session_factory
from tests.conftest import SELLER_PROFILE, Conversation
from tests.test_api import token_for
from tests.test_api_run import environment, make_token, running  # noqa: F401  (a fixture)

DELIVERY = 2.0
"""SPEC §10: a change reaches an open stream within 2 seconds."""


@dataclass
class Event:
    id: str | None = None
    name: str | None = None
    data: dict = field(default_factory=dict)
    comment: str | None = None


async def next_event(response: ClientResponse, timeout: float = DELIVERY) -> Event:
    """The next event or comment block of the stream (a retry-only block is skipped)."""
    event = Event()
    lines: list[str] = []
    async with asyncio.timeout(timeout):
        while True:
            raw = await response.content.readline()
            assert raw, "the stream ended"
            line = raw.decode().rstrip("\n")
            if line == "":
                if event.id or event.name or event.comment:
                    if lines:
                        event.data = json.loads("\n".join(lines))
                    return event
                continue
            if line.startswith(":"):
                event.comment = line[1:].strip()
            elif line.startswith("id: "):
                event.id = line[4:]
            elif line.startswith("event: "):
                event.name = line[7:]
            elif line.startswith("data: "):
                lines.append(line[6:])


async def next_change(response: ClientResponse, timeout: float = DELIVERY) -> Event:
    """The next event, past heartbeats."""
    deadline = time.monotonic() + timeout
    while True:
        event = await next_event(response, max(0.01, deadline - time.monotonic()))
        if event.name:
            return event


@pytest.fixture
def ada(core) -> Conversation:  # type: ignore[no-untyped-def]
    chat = Conversation(core, user="ada")
    for line in SELLER_PROFILE:
        chat.text(line)
    chat.text("/client add ACME rate 80")
    return chat


@pytest.fixture
async def base(core, sessions, cipher, clock) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    api = RestApi(sessions, cipher, clock, heartbeat=0.3)
    server = HttpServer(port=0)
    server.add_routes(api.routes())
    await server.start()
    yield f"http://127.0.0.1:{server.bound_port}"
    await api.close()
    await server.stop()


async def test_changes_from_the_chat_stream_as_events_with_heartbeats_between(base: str, core, ada: Conversation) -> None:  # type: ignore[no-untyped-def]
    token = token_for(ada)
    bob = Conversation(core, user="bob")
    bob.text("/client add Hooli rate 50")
    async with ClientSession(timeout=ClientTimeout(total=None)) as http, http.get(
            base + "/api/v1/events", headers={"Authorization": f"Bearer {token}"}) as stream:
        assert stream.status == 200 and stream.content_type == "text/event-stream"
        assert (await next_event(stream)).comment == "heartbeat"  # nothing happened yet: only the heartbeat
        bob.text("2h audit for Hooli")  # another account: never in this stream
        ada.text("2h logo design for ACME yesterday")
        logged = await next_change(stream)
        assert logged.name == "task.logged"
        assert logged.data == {"id": 1, "client": "ACME", "date": "2026-11-23", "minutes": 120, "amount": "160.00",
                               "currency": "EUR", "rate": "80", "description": "logo design", "billed": False,
                               "invoice": None}
        ada.text("/edit 1 3h")
        edited = await next_change(stream)
        assert (edited.name, edited.data["minutes"]) == ("task.edited", 180)
        assert int(edited.id or 0) == int(logged.id or 0) + 1
        ada.text("/undo")
        undone = await next_change(stream)
        assert undone.name == "change.undone"
        assert undone.data["undone"] == "task.edited" and undone.data["object"]["minutes"] == 120
        ada.invoice("/invoice ACME")
        issued = await next_change(stream)
        assert issued.name == "invoice.issued" and issued.data["number"] == "INV-2026-0001"
        assert issued.data["total"] == "160.00"


async def test_a_tz_change_and_its_undo_show_in_the_next_events_and_only_then_is_the_account_read_again(
        ada: Conversation, database_url: str, sessions, cipher, clock) -> None:  # type: ignore[no-untyped-def]
    """Whether an invoice is overdue depends on the user's today: at 09:00 UTC on the day after its due date it is
    overdue in Berlin and still open in Pago Pago (UTC−11). The stream reads the account's timezone when it opens
    and again only after a /tz or an /undo."""
    token = token_for(ada)
    ada.text("2h logo design for ACME yesterday")
    ada.invoice("/invoice ACME")
    with sessions() as session:
        due = session.scalars(select(Invoice.due_date)).one()
    clock.set(f"{due + timedelta(days=1)}T09:00:00+00:00")
    engine = create_db_engine(database_url)  # the API's own, to see its statements
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    api = RestApi(session_factory(engine), cipher, clock, heartbeat=0.3)
    server = HttpServer(port=0)
    server.add_routes(api.routes())
    await server.start()
    try:
        async with ClientSession(timeout=ClientTimeout(total=None)) as http, http.get(
                f"http://127.0.0.1:{server.bound_port}/api/v1/events",
                headers={"Authorization": f"Bearer {token}"}) as stream:
            statuses = []
            for line in ("/paid INV-2026-0001 10", "/client set ACME rate 90", "/tz Pacific/Pago_Pago",
                         "/paid INV-2026-0001 10", "/undo", "/undo", "/paid INV-2026-0001 10"):
                ada.text(line)
                change = await next_change(stream)
                statuses.append(change.data.get("status") or change.data.get("object", {}).get("status"))
    finally:
        await api.close()
        await server.stop()
        engine.dispose()
    assert statuses == ["overdue", None, None, "open", "open", None, "overdue"]
    reads = [s for s in statements if re.search(r"\bFROM accounts\b", s)]
    assert len(reads) == 4, reads  # at the start, after /tz and after each /undo (the second took /tz back)


async def test_last_event_id_resumes_after_the_last_event_seen_without_loss(base: str, ada: Conversation) -> None:
    token = token_for(ada)
    headers = {"Authorization": f"Bearer {token}"}
    async with ClientSession(timeout=ClientTimeout(total=None)) as http:
        async with http.get(base + "/api/v1/events", headers=headers) as stream:
            ada.text("1h call for ACME")
            first = await next_change(stream)
        ada.text("2h design for ACME")  # while no stream is open
        ada.text("/delete 1")
        async with http.get(base + "/api/v1/events", headers={**headers, "Last-Event-ID": first.id or ""}) as again:
            missed = [await next_change(again), await next_change(again)]
        assert [(e.name, e.data.get("id")) for e in missed] == [("task.logged", 2), ("task.deleted", 1)]
        assert missed[1].data["deleted"] is True
        async with http.get(base + "/api/v1/events", headers={**headers, "Last-Event-ID": "0"}) as everything:
            names = [(await next_change(everything)).name for _ in range(3)]
        assert names[0] == "profile.changed"  # from the very start: the fixture's /profile set comes first
        async with http.get(base + "/api/v1/events", headers={**headers, "Last-Event-ID": "x"}) as bad:
            assert bad.status == 422
        async with http.get(base + "/api/v1/events") as anonymous:
            assert anonymous.status == 401


async def test_a_revoked_token_ends_its_stream(base: str, ada: Conversation) -> None:
    token = token_for(ada)
    async with ClientSession(timeout=ClientTimeout(total=None)) as http, http.get(
            base + "/api/v1/events", headers={"Authorization": f"Bearer {token}"}) as stream:
        await next_event(stream)
        ada.text("/token revoke 1")
        async with asyncio.timeout(DELIVERY):
            while await stream.content.readline():
                pass  # heartbeats, then the end of the stream


async def test_a_task_logged_in_another_process_reaches_the_stream_of_invoicebot_run_within_2_s(
        running, tmp_path: Path, database_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    headers = {"Authorization": f"Bearer {running.token}"}
    async with ClientSession(timeout=ClientTimeout(total=None)) as http, http.get(
            running.base + "/api/v1/events", headers=headers) as stream:
        assert stream.status == 200
        await asyncio.sleep(0)  # the stream is open: its start is the newest change
        chat = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "chat", "--as", "ada", stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=environment(tmp_path, database_url), cwd=tmp_path)
        out, err = await chat.communicate(b"45m review for ACME\n")
        done = time.monotonic()
        assert chat.returncode == 0, err.decode()
        assert b"Logged #3" in out
        event = await next_change(stream, timeout=DELIVERY + 0.5)
        waited = time.monotonic() - done
        assert event.name == "task.logged" and event.data["id"] == 3 and event.data["minutes"] == 45
        assert waited < DELIVERY, f"the event came {waited:.2f} s after the other process committed"


def test_the_migration_numbers_each_accounts_journal_in_id_order(blank_database_url: str) -> None:
    from sqlalchemy import text

    from core.storage import create_db_engine
    from tests.conftest import migrate_to

    engine = create_db_engine(blank_database_url)
    try:
        migrate_to(engine, "0015")
        with engine.begin() as connection:
            for account in (1, 2, 3):
                connection.execute(text("INSERT INTO accounts (id, timezone, created_at) "
                                        "VALUES (:id, 'UTC', '2026-11-01 09:00:00')"), {"id": account})
            for change_id, account in ((1, 2), (2, 1), (3, 1), (4, 2), (5, 1)):  # interleaved; account 3 has none
                connection.execute(text("INSERT INTO changes (id, account_id, kind, created_at) "
                                        "VALUES (:id, :account, 'task.log', '2026-11-02 09:00:00')"),
                                   {"id": change_id, "account": account})
        migrate_to(engine, "0016")
        with engine.connect() as connection:
            numbers = connection.execute(text("SELECT id, account_id, seq FROM changes ORDER BY id")).all()
            last = dict(connection.execute(text("SELECT id, last_change_seq FROM accounts")).all())
        assert [tuple(row) for row in numbers] == [(1, 2, 1), (2, 1, 1), (3, 1, 2), (4, 2, 2), (5, 1, 3)]
        assert last == {1: 3, 2: 2, 3: 0}
    finally:
        engine.dispose()
