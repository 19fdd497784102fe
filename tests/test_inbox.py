"""The inbox (core/inbox.py) on SQLite and PostgreSQL: stored once, bounded, claimed one chat at a time in order,
a dead worker's lease taken over, and a row handled again after a crash answered from the kept reply."""
from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

import adapters.inbox
from adapters.inbox import Consumer
from core.inbox import DONE_KEPT, Claimed, Delivery, Inbox, Stored
from core.messages import Incoming
from core.models import InboxItem, ProcessedMessage
from core.retention import prune
from core.storage import alembic_config, create_db_engine, session_factory


def delivery(key: int, chat: str = "c1") -> Delivery:
    return Delivery("telegram", f"tg:{key}", chat, b'{"update_id": %d}' % key)


def test_a_delivery_is_stored_once_and_a_full_inbox_takes_nothing_new(sessions, clock, cipher) -> None:
    inbox = Inbox(sessions, clock, cipher, limit=3)
    assert inbox.store([delivery(1)]) is Stored.STORED
    assert inbox.store([delivery(1)]) is Stored.KNOWN  # a re-delivery: acknowledged, nothing added
    assert inbox.store([delivery(2), delivery(3)]) is Stored.STORED
    assert inbox.store([delivery(4)]) is Stored.FULL
    assert inbox.store([delivery(3)]) is Stored.KNOWN  # a re-delivery of a stored one is still just "received"
    assert inbox.waiting() == 3
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboxItem)) == 3



def test_requests_stored_together_come_out_as_if_stored_one_after_another(sessions, clock, cipher) -> None:
    inbox = Inbox(sessions, clock, cipher, limit=4)
    inbox.store([delivery(1)])
    outcomes = inbox.store_all([[delivery(1)], [delivery(2)], [delivery(2)], [delivery(3), delivery(4)],
                                [delivery(5)], [delivery(4)], [delivery(6), delivery(1)]])
    # known before, new, known from the request before, new (fills the bound), full, known, full (6 is new)
    assert outcomes == [Stored.KNOWN, Stored.STORED, Stored.KNOWN, Stored.STORED, Stored.FULL, Stored.KNOWN,
                        Stored.FULL]
    with sessions() as session:
        assert sorted(session.scalars(select(InboxItem.key))) == ["tg:1", "tg:2", "tg:3", "tg:4"]


async def test_requests_arriving_together_are_stored_in_one_transaction(sessions, clock, cipher) -> None:
    """A flood's stores must not each take a thread and a turn of the write lock ahead of the handling."""
    inbox = Inbox(sessions, clock, cipher)
    stores: list[int] = []
    store_all = inbox.store_all

    def counted(requests: Sequence[Sequence[Delivery]]) -> list[Stored]:
        stores.append(len(requests))
        return store_all(requests)

    inbox.store_all = counted  # type: ignore[method-assign]
    consumer = Consumer(inbox, "telegram", handle=lambda item: asyncio.sleep(0))
    await asyncio.gather(*(consumer.accept([delivery(n, f"c{n}")]) for n in range(20)))
    assert stores == [20]
    assert inbox.waiting() == 20
    await asyncio.gather(*(consumer.accept([delivery(n)]) for n in (3, 30)))  # a re-delivery among them: just 200
    assert stores == [20, 2] and inbox.waiting() == 21


async def test_a_failed_store_fails_each_request_it_held(sessions, clock, cipher) -> None:
    inbox = Inbox(sessions, clock, cipher)

    def broken(requests: Sequence[Sequence[Delivery]]) -> list[Stored]:
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    inbox.store_all = broken  # type: ignore[method-assign]
    consumer = Consumer(inbox, "telegram", handle=lambda item: asyncio.sleep(0))
    results = await asyncio.gather(*(consumer.accept([delivery(n)]) for n in range(3)), return_exceptions=True)
    assert [type(r) for r in results] == [OperationalError] * 3  # each request answered 500: sent again later



async def test_rows_answered_together_are_marked_done_in_one_transaction(sessions, clock, cipher) -> None:
    inbox = Inbox(sessions, clock, cipher)
    inbox.store_all([[delivery(n, f"c{n}")] for n in range(10)])
    dones: list[int] = []
    done_all = inbox.done_all

    def counted(items: Sequence[Claimed]) -> list[None]:
        dones.append(len(items))
        return done_all(items)

    inbox.done_all = counted  # type: ignore[method-assign]
    handled: list[str] = []
    all_handled = asyncio.Event()

    async def handle(item: Claimed) -> None:
        await asyncio.sleep(0)
        handled.append(item.key)
        if len(handled) == 10:
            all_handled.set()

    consumer = Consumer(inbox, "telegram", handle)
    consumer.start()
    await all_handled.wait()
    await consumer.stop()  # waits for the rows in flight, their "done" included
    assert sum(dones) == 10 and len(dones) < 10
    assert inbox.waiting() == 0


class Watched:
    """A started consumer, and when it is idle: it claimed nothing since its last row was done, so it waits for a
    wake-up or its poll."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self.handled: asyncio.Queue[str] = asyncio.Queue()
        self.found_nothing = 0
        self.found_nothing_at_done = 0
        claim, done_all = inbox.claim, inbox.done_all

        def counted_claim(platform: str, most: int) -> list[Claimed]:
            claimed = claim(platform, most)
            self.found_nothing += not claimed
            return claimed

        def counted_done(items: Sequence[Claimed]) -> list[None]:
            result = done_all(items)
            self.found_nothing_at_done = self.found_nothing
            return result

        inbox.claim, inbox.done_all = counted_claim, counted_done  # type: ignore[method-assign]
        self.consumer = Consumer(inbox, "telegram", self._handle)
        self.consumer.start()

    async def _handle(self, item: Claimed) -> None:
        await self.handled.put(item.key)

    async def idle(self) -> None:
        while self.found_nothing <= self.found_nothing_at_done:
            await asyncio.sleep(0.01)


async def test_a_row_this_process_stores_wakes_its_idle_consumer(sessions, clock, cipher, monkeypatch) -> None:
    monkeypatch.setattr(adapters.inbox, "IDLE_POLL_S", 60.0)
    monkeypatch.setattr(adapters.inbox, "NOTIFIED_POLL_S", 60.0)
    watched = Watched(Inbox(sessions, clock, cipher))
    try:
        for key in (1, 2):
            await watched.idle()
            await watched.consumer.accept([delivery(key)])
            assert await asyncio.wait_for(watched.handled.get(), 20) == f"tg:{key}"  # long before the minute's poll
    finally:
        await watched.consumer.stop()


async def test_a_row_another_worker_stores_is_taken_without_waiting_for_a_long_poll(db_kind, database_url, sessions,
                                                                                    clock, cipher,
                                                                                    monkeypatch) -> None:
    """PostgreSQL announces each store (LISTEN/NOTIFY), so there every worker's poll can be long (a minute here).
    SQLite announces nothing: there a consumer keeps its short poll to find another worker's rows."""
    monkeypatch.setattr(adapters.inbox, "NOTIFIED_POLL_S", 60.0)
    if db_kind == "postgresql":
        monkeypatch.setattr(adapters.inbox, "IDLE_POLL_S", 60.0)
    watched = Watched(Inbox(sessions, clock, cipher))
    elsewhere = create_db_engine(database_url)  # another worker: its own connections
    try:
        for key in (1, 2, 3):
            await watched.idle()
            assert Inbox(session_factory(elsewhere), clock, cipher).store([delivery(key, f"c{key}")]) is Stored.STORED
            assert await asyncio.wait_for(watched.handled.get(), 20) == f"tg:{key}"
    finally:
        await watched.consumer.stop()
        elsewhere.dispose()


def test_one_chat_is_claimed_one_row_at_a_time_in_order_and_others_in_parallel(sessions, clock, cipher) -> None:
    inbox = Inbox(sessions, clock, cipher)
    inbox.store([delivery(1, "a"), delivery(2, "a"), delivery(3, "b"), delivery(4, "a")])
    other = Inbox(sessions, clock, cipher)  # another worker
    first = inbox.claim("telegram", 10)
    assert [c.key for c in first] == ["tg:1", "tg:3"]  # the oldest row of each chat
    assert other.claim("telegram", 10) == []  # chat a waits for row 1, chat b for row 3
    inbox.done(first[0])
    assert [c.key for c in other.claim("telegram", 10)] == ["tg:2"]  # now the next of chat a, elsewhere
    assert inbox.claim("slack", 10) == []


def test_a_dead_workers_lease_is_taken_over_and_a_live_one_is_not(sessions, clock, cipher) -> None:
    dead = Inbox(sessions, clock, cipher, lease=timedelta(seconds=30))
    alive = Inbox(sessions, clock, cipher, lease=timedelta(seconds=30))
    dead.store([delivery(1)])
    [claimed] = dead.claim("telegram", 5)
    clock.advance(seconds=20)
    assert alive.claim("telegram", 5) == []
    clock.advance(seconds=11)
    [taken] = alive.claim("telegram", 5)
    assert taken.key == claimed.key and taken.payload == claimed.payload


def test_renewing_keeps_a_slow_row_from_being_taken_over(sessions, clock, cipher) -> None:
    slow = Inbox(sessions, clock, cipher, lease=timedelta(seconds=30))
    other = Inbox(sessions, clock, cipher, lease=timedelta(seconds=30))
    slow.store([delivery(1)])
    [claimed] = slow.claim("telegram", 5)
    clock.advance(seconds=25)
    slow.renew([claimed.id])
    clock.advance(seconds=25)
    assert other.claim("telegram", 5) == []


def test_a_row_handled_again_before_it_is_done_gets_its_answer_again_and_not_after(core, sessions, clock,
                                                                                   cipher) -> None:
    """The crash window: the core committed (the client is added) but the worker died before "done". The next
    claim answers from the kept reply rather than dropping the row as a duplicate; once done, a re-delivery is
    a duplicate again (None: nothing sent)."""
    inbox = Inbox(sessions, clock, cipher)
    incoming = Incoming("telegram", "42", "42", "/client add ACME rate 80", message_id="tg:7")
    inbox.store([Delivery("telegram", "tg:7", "42", b"{}")])
    [row] = inbox.claim("telegram", 1)
    first = core.handle(incoming, keep_reply=True)
    assert first is not None and first.text.startswith("Added client ACME")
    again = core.handle(incoming, keep_reply=True)  # the same row, claimed again after the lease ran out
    assert again is not None and again.text == first.text and again.actions == first.actions
    with sessions() as session:  # the kept answer is encrypted like the body
        assert "ACME" not in str(session.execute(text("SELECT * FROM processed_messages")).all())
    inbox.done(row)
    assert core.handle(incoming, keep_reply=True) is None
    assert core.handle(Incoming("telegram", "42", "42", "/clients", message_id="tg:8")).text.count("ACME") == 1


def test_a_refusal_is_kept_for_a_replay_too(core, sessions, clock) -> None:
    incoming = Incoming("telegram", "42", "42", "/nonsense", message_id="tg:9")
    first = core.handle(incoming, keep_reply=True)
    assert first is not None and "/nonsense" in first.text
    assert core.handle(incoming, keep_reply=True) == first
    assert core.handle(incoming) is None  # not from the inbox: a plain duplicate


def test_done_rows_are_pruned_after_a_while_and_waiting_ones_never(sessions, clock, cipher) -> None:
    inbox = Inbox(sessions, clock, cipher)
    inbox.store([delivery(1, "a"), delivery(2, "b")])
    [one, _two] = inbox.claim("telegram", 5)
    inbox.done(one)
    clock.advance(seconds=DONE_KEPT.total_seconds() + 1)
    with sessions.begin() as session:
        assert prune(session, clock()).inbox_rows == 1
    with sessions() as session:
        assert list(session.scalars(select(InboxItem.key))) == ["tg:2"]


def test_a_stored_body_holds_no_typed_text_and_is_claimed_back_as_received(sessions, clock, cipher) -> None:
    """What users type (payment details, /link codes) and Slack's response_url wait in the inbox encrypted."""
    typed = b'{"update_id": 5, "message": {"text": "/profile set payment DE89370400440532013000"}}'
    inbox = Inbox(sessions, clock, cipher)
    inbox.store([Delivery("telegram", "tg:5", "c1", typed)])
    with sessions() as session:
        [raw] = session.execute(text("SELECT * FROM inbox")).all()
    assert not any(b"DE89370400440532013000" in (v if isinstance(v, bytes) else str(v).encode()) for v in raw)
    assert not any(b"DE89370400440532013000" in bytes(v) for v in raw if isinstance(v, memoryview))
    [claimed] = inbox.claim("telegram", 1)
    assert claimed.payload == typed


def test_rows_stored_before_bodies_were_encrypted_are_still_answered_after_the_upgrade(engine, sessions, clock,
                                                                                       cipher) -> None:
    """Migration 0025 with data: an acknowledged row of the older schema (a clear body) is claimed with its body,
    and an answer kept under the old column name is still there."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0024")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO inbox (platform, key, chat, payload, received_at) "
                                "VALUES ('telegram', 'tg:1', 'c1', :body, :at)"), {"body": b'{"update_id": 1}', "at": clock()})
        connection.execute(text("INSERT INTO processed_messages (platform, message_id, received_at, reply) "
                                "VALUES ('telegram', 'tg:1', :at, :reply)"), {"at": clock(), "reply": cipher.encrypt("kept")})
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    inbox = Inbox(sessions, clock, cipher)
    inbox.store([delivery(2, "c2")])
    assert [(c.key, c.payload) for c in inbox.claim("telegram", 5)] == [
        ("tg:1", b'{"update_id": 1}'), ("tg:2", b'{"update_id": 2}')]
    with sessions() as session:
        assert cipher.decrypt(session.scalar(select(ProcessedMessage.reply_enc))) == "kept"
