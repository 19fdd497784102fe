"""Reminders' outbound side: a DM to TEAM:USER, from another thread, with Slack's failures sorted for the scheduler."""
from __future__ import annotations

import asyncio

import pytest

from adapters.slack.notifier import build_notifier
from core.messages import Action, Document, Reply
from core.notify import DeliveryError, RecipientBlocked
from tests.slack.conftest import BOT_TOKEN, SlackHarness
from tests.slack.fake_slack import FakeSlack


async def test_a_reminder_is_a_dm_to_the_user(fake_slack: FakeSlack) -> None:
    notifier = build_notifier(token=BOT_TOKEN, api_url=fake_slack.base_url)
    reply = Reply("Time to log today's work?", actions=(Action("Log 1h", "/log 1h"),))
    await asyncio.to_thread(notifier.send, "T1:U3", reply)

    [opened] = fake_slack.calls_to("conversations.open")
    assert opened.params["users"] == "U3"
    [posted] = fake_slack.calls_to("chat.postMessage")
    assert posted.params["channel"] == "DU3"
    assert posted.params["text"] == "Time to log today's work?"
    assert posted.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert notifier.platform == "slack"


async def test_a_reminder_with_a_document_uploads_it_to_the_dm(fake_slack: FakeSlack) -> None:
    notifier = build_notifier(token=BOT_TOKEN, api_url=fake_slack.base_url)
    reply = Reply("INV-2026-0003 is overdue.", document=Document("INV-2026-0003.pdf", b"%PDF-1.7 x"))
    await asyncio.to_thread(notifier.send, "T1:U3", reply)
    [done] = fake_slack.calls_to("files.completeUploadExternal")
    assert done.params["channel_id"] == "DU3"
    assert list(fake_slack.uploads.values()) == [b"%PDF-1.7 x"]


async def test_a_deactivated_user_is_reported_as_blocked(fake_slack: FakeSlack) -> None:
    fake_slack.blocked_users.add("U4")
    notifier = build_notifier(token=BOT_TOKEN, api_url=fake_slack.base_url)
    with pytest.raises(RecipientBlocked):
        await asyncio.to_thread(notifier.send, "T1:U4", Reply("hello"))


async def test_a_passing_failure_is_a_delivery_error_to_retry_later(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.postMessage", "fatal_error")
    notifier = build_notifier(token=BOT_TOKEN, api_url=fake_slack.base_url)
    with pytest.raises(DeliveryError) as raised:
        await asyncio.to_thread(notifier.send, "T1:U3", Reply("hello"))
    assert not isinstance(raised.value, RecipientBlocked)


async def test_an_unreachable_slack_is_a_delivery_error() -> None:
    notifier = build_notifier(token=BOT_TOKEN, api_url="http://127.0.0.1:9/api/")
    with pytest.raises(DeliveryError):
        await asyncio.to_thread(notifier.send, "T1:U3", Reply("hello"))


async def test_a_rate_limited_reminder_is_retried(fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit_next("chat.postMessage")
    notifier = build_notifier(token=BOT_TOKEN, api_url=fake_slack.base_url)
    await asyncio.to_thread(notifier.send, "T1:U3", Reply("hello"))
    assert len(fake_slack.calls_to("chat.postMessage")) == 2


async def test_the_channels_notifier_sends_from_another_thread_while_it_runs(harness: SlackHarness) -> None:
    await harness.slack.dm("2h bugfix Globex", user="U1")
    await asyncio.gather(
        asyncio.to_thread(harness.channel.notifier.send, "T1:U8", Reply("weekly digest")),
        harness.slack.dm("1h call Initech", user="U1"),
    )
    await harness.fake.wait_for(lambda: len(harness.fake.calls_to("chat.postMessage")) == 3)
    assert {c.params["channel"] for c in harness.fake.calls_to("chat.postMessage")} == {"DU1", "DU8"}
