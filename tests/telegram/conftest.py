from __future__ import annotations

import pytest

from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.inbox_db import scratch_inbox


@pytest.fixture
async def fake_api():
    """A fake Telegram Bot API on 127.0.0.1, served by the test's own event loop."""
    api = FakeBotApi()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
def inbox():
    """An inbox on a scratch SQLite database, for channels around a ScriptedCore."""
    with scratch_inbox() as scratch:
        yield scratch
