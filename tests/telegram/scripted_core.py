"""A stand-in for core.app.Core for adapter mechanics (threads, ordering, rendering, errors).

The end-to-end tests use the real Core; this one answers a few fixed commands so a test can assert what the
adapter did with each kind of Reply.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from core.messages import Action, Document, Incoming, Reply


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    summary: str
    examples: tuple[str, ...] = ()
    private: bool = False
    file_limit: int | None = None


COMMANDS = (
    Command("start", "/start", "what I do"),
    Command("log", "/log PHRASE", "log work"),
    Command("profile", "/profile", "your business details", private=True),
    Command("invoice", "/invoice CLIENT", "bill a client"),
)


class ScriptedCore:
    commands = COMMANDS

    def __init__(self, delay: float = 0.0, *, dedup: bool = True) -> None:
        self.dedup = dedup
        self.received: list[Incoming] = []
        self.delay = delay
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self.threads: set[str] = set()

    def handle(self, incoming: Incoming, *, keep_reply: bool = False) -> Reply | None:
        with self._lock:
            if self.dedup and incoming.message_id in self._seen:
                return None
            self._seen.add(incoming.message_id or "")
            self.received.append(incoming)
            self.threads.add(threading.current_thread().name)
        if self.delay:
            time.sleep(self.delay)
        text = incoming.text
        if text == "/start":
            return Reply("I log your work & bill <clients>.")
        if text == "/profile":
            return Reply("IBAN DE89 3704 0044 0532 0130 00", sensitive=True)
        if text == "/long":
            return Reply("\n".join(f"line {i} " + "x" * 90 for i in range(120)))
        if text == "/invoice ACME":
            return Reply("Invoice INV-2026-0001 for ACME: €240.00",
                         document=Document("INV-2026-0001.pdf", b"%PDF-1.7 fake", caption="INV-2026-0001 · ACME · €240.00"))
        if text.startswith("/undo"):
            return Reply(f"Removed task {text.split()[-1]}.")
        if text == "/boom":
            raise RuntimeError("a bug in the core")
        return Reply(f"Logged: {text}", actions=(Action("Undo", "/undo 7"),))
