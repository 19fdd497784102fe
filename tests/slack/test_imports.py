"""/import in Slack: a Toggl Track export shared in the bot's DM with "import" as its message is fetched with the
bot token, previewed with Import / Cancel buttons, and imported with the button."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.timesheets import MAX_IMPORT_BYTES
from tests.slack.conftest import SlackHarness
from tests.slack.test_with_core import answer_to, buttons_of

EXPORT = (Path(__file__).parent.parent / "imports" / "toggl_detailed.csv").read_bytes()


@pytest.fixture
async def slack(harness_for: Any, core: Any) -> SlackHarness:
    return await harness_for(core)


async def test_an_export_shared_with_import_is_previewed_and_imported_on_the_button(slack: SlackHarness) -> None:
    await answer_to(slack, "/client", "add ACME rate 80", channel="DU1")
    await answer_to(slack, "/client", "add Initech rate 60 currency USD", channel="DU1")
    before = len(slack.fake.calls_to("chat.postMessage"))
    response = await slack.slack.dm_file("import", slack.fake.share_file(EXPORT, "toggl.csv"))
    assert response.status == 200
    [post] = await slack.fake.wait_for(lambda: slack.fake.calls_to("chat.postMessage")[before:], timeout=30)
    assert post.params["text"].startswith("Toggl Track export toggl.csv:\nACME: 3 entries, 6h 46m")
    assert len(slack.fake.downloads) == 1
    import_button, cancel = buttons_of(post.params)
    assert (import_button["text"]["text"], cancel["text"]["text"]) == ("Import 5 entries", "Cancel")
    answered = len(slack.fake.responses)
    await slack.slack.press(import_button, channel="DU1", ephemeral=False)
    done = await slack.fake.wait_for(lambda: len(slack.fake.responses) > answered and slack.fake.responses[answered])
    assert "Imported 5 entries as tasks #1 to #7." in done["text"]
    listed = await answer_to(slack, "/tasks", channel="DU1")
    assert "Server migration" in listed["text"]
    before = len(slack.fake.calls_to("chat.postMessage"))
    await slack.slack.dm_file("/import", slack.fake.share_file(b"x", "year.csv", size=MAX_IMPORT_BYTES + 1))
    [refused] = await slack.fake.wait_for(lambda: slack.fake.calls_to("chat.postMessage")[before:], timeout=30)
    assert refused.params["text"].startswith("The file year.csv is larger than 2 MB")
    assert len(slack.fake.downloads) == 1  # not even downloaded
