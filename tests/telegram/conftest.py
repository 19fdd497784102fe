from __future__ import annotations

import pytest

from tests.telegram.fake_bot_api import FakeBotApi


@pytest.fixture
async def fake_api():
    """A fake Telegram Bot API on 127.0.0.1, served by the test's own event loop."""
    api = FakeBotApi()
    await api.start()
    yield api
    await api.stop()
