"""A second process for the timer tests: its own engine and core on the given database, at a given instant.

    python -m tests.timer_process DATABASE_URL NOW_ISO USER MESSAGE...   → one JSON reply a line
"""
from __future__ import annotations

import json
import sys
from datetime import datetime

from bot.wiring import build_core
from core.encryption import Cipher
from core.messages import Incoming
from core.storage import create_db_engine, session_factory
from tests.conftest import TEST_KEY


def main(url: str, now: str, user: str, *messages: str) -> None:
    instant = datetime.fromisoformat(now)
    engine = create_db_engine(url)
    core = build_core(session_factory(engine), Cipher([TEST_KEY]), lambda: instant, default_tz="Europe/Berlin")
    for message in messages:
        reply = core.handle(Incoming("local", user, user, message))
        assert reply is not None
        print(json.dumps({"text": reply.text, "actions": [a.command for a in reply.actions]}), flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
