"""The Slack channel over the real core (fresh database, fixed clock): what a Slack user actually experiences."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from core.models import Account, Identity
from tests.slack.conftest import SlackHarness


@pytest.fixture
async def slack(harness_for: Any, core: Any) -> SlackHarness:
    return await harness_for(core)


def buttons_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [element for block in message.get("blocks", []) if block["type"] == "actions"
            for element in block["elements"]]


async def answer_to(slack: SlackHarness, command: str, text: str = "", **kwargs: Any) -> dict[str, Any]:
    before = len(slack.fake.responses)
    response = await slack.slack.command(command, text, **kwargs)
    assert response.status == 200
    return await slack.fake.wait_for(lambda: len(slack.fake.responses) > before and slack.fake.responses[before])


async def test_log_by_slash_command_then_undo_with_the_button(slack: SlackHarness, sessions: Any) -> None:
    slack.fake.timezones["U1"] = "America/New_York"
    added = await answer_to(slack, "/client", "add ACME rate 80 currency EUR")
    assert "ACME" in added["text"]

    logged = await answer_to(slack, "/log", "2h logo design for ACME yesterday")
    assert logged["response_type"] == "ephemeral"
    assert "logo design" in logged["text"]
    [undo] = buttons_of(logged)
    assert undo["text"]["text"] == "Undo" and undo["value"].startswith("/undo ")

    listed = await answer_to(slack, "/tasks")
    assert "logo design" in listed["text"]

    before = len(slack.fake.responses)
    await slack.slack.press(undo)
    undone = await slack.fake.wait_for(lambda: len(slack.fake.responses) > before and slack.fake.responses[before])
    assert undone["replace_original"] is True
    assert not buttons_of(undone) or all(b["value"] != undo["value"] for b in buttons_of(undone))

    listed_again = await answer_to(slack, "/tasks")
    assert "logo design" not in listed_again["text"]

    # one account for T1:U1, created in the timezone Slack reported
    with sessions() as session:
        identity = session.scalar(select(Identity).where(Identity.platform == "slack"))
        assert identity.platform_user_id == "T1:U1"
        assert session.get(Account, identity.account_id).timezone == "America/New_York"


async def test_free_text_in_a_dm_is_logged_once_even_when_slack_retries(slack: SlackHarness) -> None:
    await answer_to(slack, "/client", "add Globex rate 100 currency USD")
    first = await slack.slack.dm("1,5h bugfix Globex", event_id="EvA")
    retry = await slack.slack.dm("1,5h bugfix Globex", event_id="EvA", retry_num=1)
    assert first.status == retry.status == 200
    [post] = await slack.fake.wait_for(lambda: slack.fake.calls_to("chat.postMessage"))
    assert "bugfix" in post.params["text"]
    await slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 2  # the answer and the settling DM's
    listed = await answer_to(slack, "/tasks", "Globex")
    assert listed["text"].count("bugfix") == 1


async def test_a_retried_event_reaching_a_fresh_process_is_refused_by_the_database(
        harness_for: Any, core: Any) -> None:
    first = await harness_for(core)
    await first.slack.dm("/client add Initech rate 90 currency EUR", event_id="EvSetup")
    await first.fake.wait_for(lambda: len(first.fake.calls_to("chat.postMessage")) == 1)
    await first.slack.dm("1h call with Initech", event_id="EvB")
    await first.fake.wait_for(lambda: len(first.fake.calls_to("chat.postMessage")) == 2)
    await first.channel.stop()
    second = await harness_for(core)  # its in-memory record of events is empty
    await second.slack.dm("1h call with Initech", event_id="EvB", retry_num=2)
    await second.settle()
    assert len(first.fake.calls_to("chat.postMessage")) == 3  # two answers before, the settling DM's now


async def test_the_profile_is_refused_in_a_channel_mention_and_ephemeral_as_a_slash_command(
        slack: SlackHarness) -> None:
    await slack.slack.mention("/profile", user="U2", channel="C3")
    [refusal] = await slack.fake.wait_for(lambda: slack.fake.calls_to("chat.postEphemeral"))
    assert refusal.params["user"] == "U2" and "private" in refusal.params["text"]

    saved = await answer_to(slack, "/profile", "set payment IBAN DE89 3704 0044 0532 0130 00", user="U2")
    assert saved["response_type"] == "ephemeral"
    shown = await answer_to(slack, "/profile", user="U2")
    assert shown["response_type"] == "ephemeral" and "DE89" in shown["text"]
    assert [b["action_id"] for b in buttons_of(shown)] == ["invoicebot_profile_form"]
    assert slack.fake.calls_to("chat.postMessage") == []  # nothing went where others could read it


async def test_link_and_token_are_refused_in_a_channel_mention_like_the_profile(slack: SlackHarness) -> None:
    for command in ("/link", "/token new ci", "/tokens"):
        before = len(slack.fake.calls_to("chat.postEphemeral"))
        await slack.slack.mention(command, user="U2", channel="C3")
        refusal = await slack.fake.wait_for(lambda before=before: slack.fake.calls_to("chat.postEphemeral")[before:])
        name = command.split()[0]
        assert [r.params["text"] for r in refusal] == [
            f"{name} is about your own books, so I only answer it in a private chat: message me directly."]
    made = await answer_to(slack, "/token", "new ci", user="U2")
    assert made["response_type"] == "ephemeral" and "ib_" in made["text"]
    assert slack.fake.calls_to("chat.postMessage") == []  # nothing went where others could read it


async def test_every_command_of_the_core_gets_an_answer(slack: SlackHarness, core: Any) -> None:
    for command in core.commands:
        answer = await answer_to(slack, f"/{command.name}")
        assert answer["text"].strip(), command.name
        assert answer["response_type"] == "ephemeral"
        assert "something went wrong" not in answer["text"], command.name


async def test_invoice_posts_the_real_pdf_into_the_channel(slack: SlackHarness, core: Any) -> None:
    await answer_to(slack, "/profile", "set name Zoë Łukasz Design", channel="DU1")
    await answer_to(slack, "/client", "add ACME rate 80 currency EUR", channel="C4")
    await answer_to(slack, "/log", "2h logo design for ACME yesterday", channel="C4")
    question = await answer_to(slack, "/invoice", "ACME", channel="C4")  # no payment details: asked first
    assert "Issue it anyway?" in question["text"]
    await answer_to(slack, "/pick", "1 1", channel="C4")
    [done] = await slack.fake.wait_for(lambda: slack.fake.calls_to("files.completeUploadExternal"), timeout=30)
    assert done.params["channel_id"] == "C4"
    [pdf] = slack.fake.uploads.values()
    assert pdf.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "ACME" in text and "logo design" in text


async def test_the_report_chart_asked_in_a_channel_is_uploaded_as_a_png_to_the_users_dm(slack: SlackHarness) -> None:
    await answer_to(slack, "/client", "add ACME rate 80 currency EUR", channel="C4")
    await answer_to(slack, "/log", "2h logo design for ACME yesterday", channel="C4")
    report = await answer_to(slack, "/report", "", channel="C4")
    assert "ACME: unbilled 2h (€160.00)" in report["text"]
    [done] = await slack.fake.wait_for(lambda: slack.fake.calls_to("files.completeUploadExternal"), timeout=30)
    assert done.params["channel_id"] == "DU1"  # the figures of every client are not for the channel
    [get_url] = slack.fake.calls_to("files.getUploadURLExternal")
    assert get_url.params["filename"].startswith("report-") and get_url.params["filename"].endswith(".png")
    [png] = slack.fake.uploads.values()
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png))
    assert image.format == "PNG" and image.size[0] == 800


async def test_a_user_whose_slack_speaks_german_is_answered_in_german(slack: SlackHarness) -> None:
    slack.fake.locales["U1"] = "de-DE"
    added = await answer_to(slack, "/client", "add ACME rate 80 currency EUR")
    assert added["text"] == "Kunde angelegt: ACME — 80,00\xa0€/h."
    profile = await answer_to(slack, "/profile")
    assert "Sprache: Deutsch (Sprache deiner Chat-App)" in profile["text"]
    assert [b["text"]["text"] for b in buttons_of(profile)] == ["Im Formular bearbeiten"]
    chosen = await answer_to(slack, "/language", "fr")
    assert chosen["text"].startswith("Désormais, je vous réponds en français.")
    assert (await answer_to(slack, "/clients"))["text"].startswith("Vos clients\xa0:")
