"""HTTP mode over a scripted core: signatures, acks, identity, events, retries, buttons, errors."""
from __future__ import annotations

import asyncio
import json
import threading
import time

from core.messages import Action, Reply
from tests.slack.conftest import SlackHarness

# ---- signatures


async def test_a_forged_signature_is_refused_and_reaches_nothing(harness: SlackHarness) -> None:
    response = await harness.slack.command("/tasks", secret="not-the-signing-secret")
    assert response.status == 401
    await harness.settle()
    assert [i.text for i in harness.core.incomings] == ["/help"]  # only the settling DM
    assert harness.fake.responses == []


async def test_a_request_older_than_five_minutes_is_refused(harness: SlackHarness) -> None:
    stale = await harness.slack.command("/tasks", timestamp=int(time.time()) - 5 * 60 - 30)
    assert stale.status == 401
    recent = await harness.slack.command("/tasks", timestamp=int(time.time()) - 4 * 60)
    assert recent.status == 200
    await harness.fake.wait_for(lambda: harness.fake.responses)
    assert [i.text for i in harness.core.incomings] == ["/tasks"]


async def test_a_tampered_body_with_a_reused_signature_is_refused(harness: SlackHarness) -> None:
    body = harness.slack.command_body("/tasks", "ACME")
    from tests.slack.signing import sign

    headers = sign(body, harness.slack.secret)
    tampered = body.replace("ACME", "Globex")
    async with harness.slack.session.post(harness.slack.url, data=tampered, headers={
            **headers, "Content-Type": "application/x-www-form-urlencoded"}) as response:
        assert response.status == 401


async def test_url_verification_is_answered(harness: SlackHarness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "legacy"})
    response = await harness.slack.post(body, "application/json")
    assert response.status == 200


# ---- slash commands


async def test_a_slash_command_reaches_the_core_as_the_slack_user_and_answers_ephemerally(
        harness: SlackHarness) -> None:
    harness.fake.timezones["U7"] = "America/New_York"
    response = await harness.slack.command("/tasks", "ACME &amp; Co", user="U7", team="T9", channel="C5")
    assert response.status == 200
    answer = await harness.fake.wait_for(lambda: harness.fake.responses and harness.fake.responses[0])

    [incoming] = harness.core.incomings
    assert incoming.platform == "slack"
    assert incoming.user_id == incoming.chat_id == "T9:U7"
    assert incoming.text == "/tasks ACME & Co"
    assert incoming.is_private is True
    assert incoming.timezone == "America/New_York"
    assert incoming.user_name == "Real U7"
    assert incoming.message_id and incoming.message_id.startswith("slack:")
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == "echo: /tasks ACME &amp; Co"  # escaped for Slack's markup
    assert answer["blocks"][0]["text"] == {"type": "plain_text", "text": "echo: /tasks ACME & Co", "emoji": True}
    # nothing was posted where the channel could see it
    assert harness.fake.calls_to("chat.postMessage") == []


async def test_the_ack_does_not_wait_for_the_core(harness: SlackHarness) -> None:
    release = threading.Event()

    def slow(incoming):  # type: ignore[no-untyped-def]
        release.wait(10)
        return Reply("done")

    harness.core.script = slow
    response = await harness.slack.command("/invoice", "ACME")
    assert response.status == 200  # answered while the core is still busy
    assert harness.fake.responses == []
    release.set()
    answer = await harness.fake.wait_for(lambda: harness.fake.responses and harness.fake.responses[0])
    assert answer["text"] == "done"


async def test_users_info_is_read_once_per_user(harness: SlackHarness) -> None:
    for text in ("a", "b", "c"):
        await harness.slack.command("/log", text, user="U1")
    await harness.slack.command("/log", "d", user="U2")
    await harness.fake.wait_for(lambda: len(harness.fake.responses) == 4)
    asked = sorted(call.params["user"] for call in harness.fake.calls_to("users.info"))
    assert asked == ["U1", "U2"]


async def test_any_slash_command_is_answered_even_one_the_manifest_lacks(harness: SlackHarness) -> None:
    response = await harness.slack.command("/frobnicate", "now")
    assert response.status == 200
    await harness.fake.wait_for(lambda: harness.fake.responses)
    assert harness.core.incomings[0].text == "/frobnicate now"


async def test_an_unexpected_failure_still_answers_with_a_reference(harness: SlackHarness) -> None:
    def broken(incoming):  # type: ignore[no-untyped-def]
        raise RuntimeError("database exploded: secret detail")

    harness.core.script = broken
    await harness.slack.command("/tasks")
    answer = await harness.fake.wait_for(lambda: harness.fake.responses and harness.fake.responses[0])
    assert answer["text"].startswith("Sorry, something went wrong (ref ")
    assert "secret detail" not in answer["text"]


async def test_a_duplicate_the_core_refuses_gets_no_answer(harness: SlackHarness) -> None:
    harness.core.script = lambda incoming: None if incoming.text == "/tasks" else Reply("settled")
    await harness.slack.command("/tasks")
    await harness.fake.wait_for(lambda: harness.core.incomings)
    await harness.settle()  # the same user's next turn is answered: the /tasks turn has ended
    assert harness.fake.responses == []


# ---- events


async def test_an_answer_whose_response_url_expired_goes_to_the_dm_and_is_logged_with_its_key(
        harness: SlackHarness, caplog) -> None:  # type: ignore[no-untyped-def]
    harness.fake.expired_response_urls = True  # answered after a stop longer than Slack's 30 minutes
    response = await harness.slack.command("/tasks", "ACME", user="U8", team="T1", channel="C5")
    assert response.status == 200
    post = await harness.fake.wait_for(lambda: harness.fake.calls_to("chat.postMessage"))
    assert post[0].params["channel"] == "DU8"
    assert post[0].params["text"] == "echo: /tasks ACME"
    [incoming] = harness.core.incomings
    [warning] = [r for r in caplog.records if r.levelname == "WARNING" and "response_url" in r.getMessage()]
    assert incoming.message_id and incoming.message_id in warning.getMessage()
    assert harness.fake.calls_to("chat.postEphemeral") == []


async def test_a_direct_message_is_logged_and_answered_in_the_dm(harness: SlackHarness) -> None:
    response = await harness.slack.dm("2h logo design for ACME &lt;urgent&gt; yesterday", user="U3", event_id="Ev1")
    assert response.status == 200
    post = await harness.fake.wait_for(lambda: harness.fake.calls_to("chat.postMessage"))
    [incoming] = harness.core.incomings
    assert incoming.text == "2h logo design for ACME <urgent> yesterday"
    assert incoming.message_id == "slack:Ev1"
    assert incoming.user_id == "T1:U3" and incoming.is_private
    assert post[0].params["channel"] == "DU3"
    assert "&lt;urgent&gt;" in post[0].params["text"]


async def test_a_retried_event_is_handled_once(harness: SlackHarness) -> None:
    await harness.slack.dm("2h bugfix Globex", event_id="EvRetry")
    retry = await harness.slack.dm("2h bugfix Globex", event_id="EvRetry", retry_num=1)
    assert retry.status == 200
    await harness.fake.wait_for(lambda: harness.fake.calls_to("chat.postMessage"))
    await harness.settle()
    assert [i.text for i in harness.core.incomings] == ["2h bugfix Globex", "/help"]
    assert len(harness.fake.calls_to("chat.postMessage")) == 2  # the answer and the settling DM's


async def test_a_retry_after_a_restart_is_refused_by_the_core_record(harness_for, fake_slack) -> None:  # type: ignore[no-untyped-def]
    from tests.slack.conftest import ScriptedCore

    core = ScriptedCore()
    first = await harness_for(core)
    await first.slack.dm("2h bugfix Globex", event_id="EvAcross")
    await fake_slack.wait_for(lambda: fake_slack.calls_to("chat.postMessage"))
    await first.channel.stop()
    second = await harness_for(core)  # a new process: its memory of event ids is empty
    await second.slack.dm("2h bugfix Globex", event_id="EvAcross", retry_num=2)
    await second.settle()
    assert [i.text for i in core.incomings] == ["2h bugfix Globex", "/help"]  # the retry reached it, was refused
    assert len(fake_slack.calls_to("chat.postMessage")) == 2  # the first answer and the settling DM's


async def test_bot_messages_edits_and_channel_chatter_are_ignored(harness: SlackHarness) -> None:
    await harness.slack.event({"type": "message", "channel_type": "im", "channel": "DU1", "user": "U1",
                               "subtype": "message_changed", "text": "2h x"})
    await harness.slack.event({"type": "message", "channel_type": "im", "channel": "DU1", "bot_id": "B2",
                               "user": "U2", "text": "2h x"})
    await harness.slack.event({"type": "message", "channel_type": "channel", "channel": "C1", "user": "U1",
                               "text": "2h x"})
    await harness.settle(user="U2")
    await harness.settle(user="U1")
    assert [i.text for i in harness.core.incomings] == ["/help", "/help"]


async def test_a_mention_in_a_channel_is_answered_only_to_its_author(harness: SlackHarness) -> None:
    await harness.slack.mention("45 minutes email triage ACME", user="U4", channel="C2")
    post = await harness.fake.wait_for(lambda: harness.fake.calls_to("chat.postEphemeral"))
    [incoming] = harness.core.incomings
    assert incoming.text == "45 minutes email triage ACME"
    assert incoming.is_private is False  # the core refuses private commands here
    assert post[0].params["channel"] == "C2" and post[0].params["user"] == "U4"
    assert harness.fake.calls_to("chat.postMessage") == []


async def test_a_rate_limited_call_is_retried(harness: SlackHarness) -> None:
    harness.fake.rate_limit_next("chat.postMessage")
    await harness.slack.dm("2h bugfix Globex")
    await harness.fake.wait_for(lambda: len(harness.fake.calls_to("chat.postMessage")) == 2, timeout=8)
    assert len(harness.core.incomings) == 1
    await harness.settle()  # the turn, with any apology it would have sent, is over
    assert harness.fake.responses == []  # no apology: the retry delivered it
    assert [c.params["text"] for c in harness.posts_to("DU1")][1:] == ["echo: 2h bugfix Globex", "echo: /help"]


# ---- buttons


async def test_the_undo_button_hands_its_command_back_and_replaces_the_message(harness: SlackHarness) -> None:
    def script(incoming):  # type: ignore[no-untyped-def]
        if incoming.text.startswith("/undo"):
            return Reply("Removed: 2h logo design (ACME).")
        return Reply("Logged 2h logo design for ACME.", actions=(Action("Undo", "/undo 42"),))

    harness.core.script = script
    await harness.slack.command("/log", "2h logo design for ACME", channel="C1")
    logged = await harness.fake.wait_for(lambda: harness.fake.responses and harness.fake.responses[0])
    [actions] = [block for block in logged["blocks"] if block["type"] == "actions"]
    [button] = actions["elements"]
    assert button["text"]["text"] == "Undo" and button["value"] == "/undo 42"

    response = await harness.slack.press(button, user="U1", channel="C1")
    assert response.status == 200
    undone = await harness.fake.wait_for(lambda: len(harness.fake.responses) == 2 and harness.fake.responses[1])
    assert harness.core.incomings[-1].text == "/undo 42"
    assert harness.core.incomings[-1].user_id == "T1:U1"
    assert undone["text"].startswith("Removed")
    assert undone["replace_original"] is True
    assert not [b for b in undone["blocks"] if b["type"] == "actions"]  # no second Undo


async def test_one_users_messages_are_handled_in_order_while_others_run_alongside(harness: SlackHarness) -> None:
    def script(incoming):  # type: ignore[no-untyped-def]
        if incoming.text == "first":
            time.sleep(0.3)  # e.g. "/client add X", slower than the "2h for X" that follows it
        return Reply(f"answer to {incoming.text}")

    harness.core.script = script
    await harness.slack.dm("first", user="U1")
    await harness.slack.dm("second", user="U1")
    await harness.slack.dm("other user", user="U2")
    await harness.fake.wait_for(lambda: len(harness.fake.calls_to("chat.postMessage")) == 3)
    texts = [call.params["text"] for call in harness.fake.calls_to("chat.postMessage")]
    assert texts.index("answer to first") < texts.index("answer to second")
    assert texts[0] == "answer to other user"  # U2 did not wait for U1's slow message
    assert [i.text for i in harness.core.incomings if i.user_id == "T1:U1"] == ["first", "second"]


async def test_a_command_slack_keeps_for_itself_works_as_a_message_mentioning_the_bot(harness: SlackHarness) -> None:
    await harness.slack.dm("<@UBOT> /remind daily 18:00", user="U1")
    await harness.fake.wait_for(lambda: harness.fake.calls_to("chat.postMessage"))
    [incoming] = harness.core.incomings
    assert incoming.text == "/remind daily 18:00" and incoming.is_private


async def test_a_refused_bot_token_stops_the_start_with_a_clear_sentence(fake_slack, scripted_core) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from adapters.slack.channel import SlackChannel
    from tests.telegram.inbox_db import scratch_inbox

    fake_slack.fail_next("auth.test", "invalid_auth")
    with scratch_inbox() as inbox:
        channel = SlackChannel(scripted_core, signing_secret="s", bot_token="xoxb-typo", api_url=fake_slack.base_url,
                               inbox=inbox)
        with pytest.raises(ValueError, match="SLACK_BOT_TOKEN"):
            await channel.start()
        await channel.stop()


async def test_stop_lets_an_answer_in_flight_finish_and_keeps_later_ones_for_the_next_start(
        harness: SlackHarness) -> None:
    release = threading.Event()

    def slow(incoming):  # type: ignore[no-untyped-def]
        release.wait(10)
        return Reply("Invoice INV-2026-0001 for ACME.")

    harness.core.script = slow
    await harness.slack.command("/invoice", "ACME", user="U1")
    await harness.fake.wait_for(lambda: harness.core.incomings)
    stopping = asyncio.create_task(harness.channel.stop())
    consumer = harness.channel.consumer
    assert consumer is not None
    await harness.fake.wait_for(lambda: consumer.stopping)  # the signal: stop() has begun
    assert not stopping.done()  # waiting for the invoice
    await harness.slack.command("/tasks", user="U2")  # arrives while stopping: acknowledged once stored
    release.set()
    await stopping
    [response] = await harness.fake.wait_for(lambda: harness.fake.responses)
    assert response["text"].startswith("Invoice INV-2026-0001")
    assert [i.text for i in harness.core.incomings] == ["/invoice ACME"]
    assert consumer.inbox.waiting() == 1  # kept for the next start


async def test_a_mention_in_a_thread_is_answered_in_that_thread(harness: SlackHarness) -> None:
    await harness.slack.event({"type": "app_mention", "channel": "C2", "user": "U4", "ts": "5.2",
                               "thread_ts": "5.1", "text": "<@UBOT> /tasks"})
    [post] = await harness.fake.wait_for(lambda: harness.fake.calls_to("chat.postEphemeral"))
    assert post.params["thread_ts"] == "5.1" and post.params["user"] == "U4"


async def test_a_full_inbox_answers_503_within_slacks_3_seconds_and_stores_nothing_more(  # type: ignore[no-untyped-def]
        fake_slack, scripted_core, monkeypatch) -> None:
    """Back-pressure: at the bound, a request waits STORE_WAIT_S (under Slack's 3 s) for room, then gets 503 with
    Retry-After; the inbox holds the bound, not more."""
    import aiohttp

    import adapters.inbox
    import adapters.slack.channel
    from adapters.slack.channel import SlackChannel
    from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, serve_channel
    from tests.slack.signing import SlackSender
    from tests.telegram.inbox_db import scratch_inbox

    assert adapters.slack.channel.STORE_WAIT_S < 3
    monkeypatch.setattr(adapters.slack.channel, "STORE_WAIT_S", 0.3)
    gate = threading.Event()

    def gated(incoming):  # type: ignore[no-untyped-def]
        gate.wait(10)
        return Reply(f"echo: {incoming.text}")

    scripted_core.script = gated
    with scratch_inbox(limit=2) as inbox:
        channel = SlackChannel(scripted_core, signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN,
                               api_url=fake_slack.base_url, inbox=inbox)
        await channel.start()
        server = await serve_channel(channel)
        try:
            async with aiohttp.ClientSession() as session:
                slack = SlackSender(session, f"http://127.0.0.1:{server.port}/slack/events", SIGNING_SECRET,
                                    fake_slack)
                assert [(await slack.command("/tasks", user=f"U{n}")).status for n in range(2)] == [200, 200]
                refused = await slack.command("/tasks", user="U7")
                assert refused.status == 503 and refused.headers["Retry-After"] == str(adapters.inbox.RETRY_AFTER_S)
                assert inbox.waiting() == 2
                gate.set()
                await fake_slack.wait_for(lambda: len(fake_slack.responses) == 2)
        finally:
            gate.set()
            await channel.stop()
            await server.close()
    assert sorted(i.user_id for i in scripted_core.incomings) == ["T1:U0", "T1:U1"]
