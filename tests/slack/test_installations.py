"""Several workspaces: the OAuth install flow stores each workspace's bot token in the project's database, and
every answer and reminder for that workspace then uses its own token."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text

from adapters.slack.channel import SlackChannel
from adapters.slack.notifier import build_notifier
from core.inbox import Inbox
from core.messages import Reply
from core.notify import RecipientBlocked
from core.storage import session_factory
from tests.slack.conftest import SIGNING_SECRET, ScriptedCore, serve_channel
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SlackSender
from tests.telegram.inbox_db import until

pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # inside slack-sdk


@pytest.fixture
async def distributed(fake_slack: FakeSlack, engine: Any, cipher: Any):  # type: ignore[no-untyped-def]
    core = ScriptedCore()
    channel = SlackChannel(core, signing_secret=SIGNING_SECRET, client_id="111.222", client_secret="client-secret",
                           engine=engine, cipher=cipher, api_url=fake_slack.base_url,
                           inbox=Inbox(session_factory(engine), lambda: datetime.now(UTC), cipher))
    await channel.start()
    server = await serve_channel(channel)
    session = aiohttp.ClientSession()
    root = f"http://127.0.0.1:{server.port}"
    yield channel, core, root, session, SlackSender(session, f"{root}/slack/events", SIGNING_SECRET, fake_slack)
    await channel.stop()
    await session.close()
    await server.close()
    with engine.begin() as connection:  # PostgreSQL keeps one database per session; tidy up after ourselves
        for table in ("slack_bots", "slack_installations", "slack_oauth_states"):
            connection.execute(text(f"DELETE FROM {table}"))


async def install(session: aiohttp.ClientSession, root: str, code: str) -> int:
    """What a workspace admin's browser does: the install page, Slack's consent (faked), the redirect back."""
    async with session.get(f"{root}/slack/install") as page:
        assert page.status == 200
        html = await page.text()
        cookie = page.headers["Set-Cookie"].split(";")[0]
    state = re.search(r"state=([\w-]+)", html)
    assert state, html
    assert "client_id=111.222" in html and "files:write" in html  # asks for the manifest's scopes
    async with session.get(f"{root}/slack/oauth_redirect", params={"code": code, "state": state.group(1)},
                           headers={"Cookie": cookie}) as redirect:
        return redirect.status


async def test_an_installed_workspace_is_answered_with_its_own_token(distributed, fake_slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    channel, core, root, session, slack = distributed
    fake_slack.installations["code-T2"] = "T2"
    assert await install(session, root, "code-T2") == 200

    await slack.dm("2h bugfix Globex", user="U9", team="T2")
    [post] = await fake_slack.wait_for(lambda: fake_slack.calls_to("chat.postMessage"))
    assert post.headers["Authorization"] == "Bearer xoxb-T2"
    assert core.incomings[0].user_id == "T2:U9"

    await slack.command("/tasks", user="U9", team="T2")
    await fake_slack.wait_for(lambda: fake_slack.responses)
    assert {c.headers["Authorization"] for c in fake_slack.calls_to("users.info")} == {"Bearer xoxb-T2"}


async def test_the_notifier_finds_the_workspace_token_in_the_database(  # type: ignore[no-untyped-def]
        distributed, fake_slack: FakeSlack, engine: Any, cipher: Any) -> None:
    import asyncio

    channel, core, root, session, slack = distributed
    fake_slack.installations["code-T3"] = "T3"
    assert await install(session, root, "code-T3") == 200
    await asyncio.to_thread(channel.notifier.send, "T3:U1", Reply("Time to log today's work?"))
    [post] = fake_slack.calls_to("chat.postMessage")
    assert post.headers["Authorization"] == "Bearer xoxb-T3"
    with pytest.raises(RecipientBlocked):
        await asyncio.to_thread(channel.notifier.send, "T4:U1", Reply("not installed there"))

    # `invoicebot reminders run-once`: no channel, the same database
    standalone = build_notifier(token=None, api_url=fake_slack.base_url, client_id="111.222", engine=engine,
                               cipher=cipher)
    await asyncio.to_thread(standalone.send, "T3:U2", Reply("Weekly digest"))
    assert fake_slack.calls_to("chat.postMessage")[-1].headers["Authorization"] == "Bearer xoxb-T3"


async def test_a_forged_install_redirect_stores_nothing(distributed, fake_slack: FakeSlack, caplog) -> None:  # type: ignore[no-untyped-def]
    channel, core, root, session, slack = distributed
    fake_slack.installations["code-T5"] = "T5"
    async with session.get(f"{root}/slack/oauth_redirect", params={"code": "code-T5", "state": "made-up"}) as page:
        assert page.status >= 400
    assert fake_slack.calls_to("oauth.v2.access") == []
    await slack.dm("2h bugfix Globex", user="U1", team="T5")
    # the signal: Bolt's authorisation turned the stored event away when it was dispatched from the inbox, before
    # any listener was started that could reach the core
    await until(lambda: "AuthorizeResult (returned value from authorize) for it was not found" in caplog.text,
                "the stored event was never dispatched", timeout=10)
    await until(lambda: channel.consumer.inbox.waiting() == 0, "the inbox never drained", timeout=10)
    assert core.incomings == []  # a workspace without an installation is not served


async def test_workspace_tokens_are_encrypted_at_rest_and_survive_a_key_rotation(  # type: ignore[no-untyped-def]
        distributed, fake_slack: FakeSlack, engine: Any, cipher: Any) -> None:
    import asyncio

    from sqlalchemy.orm import sessionmaker

    from bot.keys import rotate_keys
    from core.encryption import Cipher
    from tests.conftest import TEST_KEY

    channel, core, root, session, slack = distributed
    fake_slack.installations["code-T6"] = "T6"
    assert await install(session, root, "code-T6") == 200
    with engine.connect() as connection:
        stored = [row[0] for row in connection.execute(text(
            "SELECT bot_token FROM slack_bots UNION ALL SELECT bot_token FROM slack_installations"))]
    assert len(stored) == 2 and all("xoxb" not in token for token in stored)
    assert {cipher.decrypt(token) for token in stored} == {"xoxb-T6"}

    new_key = Cipher.new_key()
    assert rotate_keys(sessionmaker(engine), Cipher([new_key, TEST_KEY])).changed == 2
    only_new = Cipher([new_key])
    notifier = build_notifier(token=None, api_url=fake_slack.base_url, client_id="111.222", engine=engine,
                              cipher=only_new)
    await asyncio.to_thread(notifier.send, "T6:U1", Reply("hello"))  # the old key is no longer needed
    assert fake_slack.calls_to("chat.postMessage")[-1].headers["Authorization"] == "Bearer xoxb-T6"


def test_the_tables_are_slack_sdks_with_wider_encrypted_tokens() -> None:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
    from sqlalchemy import MetaData

    from adapters.slack.installation_tables import TOKEN_COLUMNS, EncryptedToken, installation_metadata

    theirs = MetaData()
    SQLAlchemyInstallationStore.build_bots_table(theirs, "slack_bots")
    SQLAlchemyInstallationStore.build_installations_table(theirs, "slack_installations")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(theirs, "slack_oauth_states")
    ours = installation_metadata()
    assert set(ours.tables) == set(theirs.tables)
    for name, their_table in theirs.tables.items():
        our_table = ours.tables[name]
        assert [c.name for c in our_table.columns] == [c.name for c in their_table.columns], name
        for their_column in their_table.columns:
            column = our_table.columns[their_column.name]
            assert (column.nullable, column.primary_key) == (their_column.nullable, their_column.primary_key)
            if column.name in TOKEN_COLUMNS:
                assert isinstance(column.type, EncryptedToken)
            else:
                assert repr(column.type) == repr(their_column.type), (name, column.name)
        assert ({(i.name, tuple(c.name for c in i.columns)) for i in our_table.indexes}
                == {(i.name, tuple(c.name for c in i.columns)) for i in their_table.indexes})
