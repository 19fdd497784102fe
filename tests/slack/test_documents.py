"""Invoice PDFs: into the channel with files_upload_v2, else into the user's DM, saying so."""
from __future__ import annotations

import json

from core.messages import Document, Reply
from tests.slack.conftest import SlackHarness

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def invoice_reply(incoming, *, sensitive: bool = False):  # type: ignore[no-untyped-def]
    return Reply("Invoice INV-2026-0001 for ACME: 240.00 EUR.", sensitive=sensitive,
                 document=Document("INV-2026-0001.pdf", PDF, caption="INV-2026-0001 · ACME · 240.00 EUR"))


def completed_upload(harness: SlackHarness) -> dict:  # type: ignore[type-arg]
    calls = harness.fake.calls_to("files.completeUploadExternal")
    return calls[0].params if calls else {}


def files_of(params: dict) -> list:  # type: ignore[type-arg]
    files = params["files"]
    return files if isinstance(files, list) else json.loads(files)


async def test_invoice_pdf_is_uploaded_into_the_channel_with_the_v2_flow(harness: SlackHarness) -> None:
    harness.core.script = invoice_reply
    response = await harness.slack.command("/invoice", "ACME", channel="C7")
    assert response.status == 200
    done = await harness.fake.wait_for(lambda: completed_upload(harness))

    [get_url] = harness.fake.calls_to("files.getUploadURLExternal")
    assert get_url.params["filename"] == "INV-2026-0001.pdf"
    assert int(get_url.params["length"]) == len(PDF)
    [file_id] = harness.fake.uploads
    assert harness.fake.uploads[file_id] == PDF  # the bytes arrived whole
    assert done["channel_id"] == "C7"
    assert [f["id"] for f in files_of(done)] == [file_id]
    assert done["initial_comment"] == "INV-2026-0001 · ACME · 240.00 EUR"
    assert not harness.fake.calls_to("files.upload")  # the retired method is never used
    # the text part stays ephemeral
    answer = await harness.fake.wait_for(lambda: harness.fake.responses and harness.fake.responses[0])
    assert answer["response_type"] == "ephemeral" and "INV-2026-0001" in answer["text"]


async def test_where_the_bot_cant_post_the_pdf_goes_to_the_users_dm_and_says_so(harness: SlackHarness) -> None:
    harness.core.script = invoice_reply
    harness.fake.unreachable_channels.add("C8")
    await harness.slack.command("/invoice", "ACME", channel="C8", user="U5")
    await harness.fake.wait_for(lambda: len(harness.fake.responses) == 2)

    completions = [c.params for c in harness.fake.calls_to("files.completeUploadExternal")]
    assert [c["channel_id"] for c in completions] == ["C8", "DU5"]
    assert [c.params["users"] for c in harness.fake.calls_to("conversations.open")] == ["U5"]
    note = harness.fake.responses[1]
    assert note["response_type"] == "ephemeral"
    assert "direct message" in note["text"] and "not_in_channel" in note["text"]
    assert note.get("replace_original") is False


async def test_a_sensitive_document_never_goes_into_a_channel(harness: SlackHarness) -> None:
    harness.core.script = lambda incoming: invoice_reply(incoming, sensitive=True)
    await harness.slack.command("/invoice", "ACME", channel="C9", user="U6")
    await harness.fake.wait_for(lambda: len(harness.fake.responses) == 2)
    completions = [c.params for c in harness.fake.calls_to("files.completeUploadExternal")]
    assert [c["channel_id"] for c in completions] == ["DU6"]


async def test_in_the_bots_dm_the_pdf_is_posted_right_there(harness: SlackHarness) -> None:
    harness.core.script = invoice_reply
    await harness.slack.dm("/invoice ACME", user="U2")
    done = await harness.fake.wait_for(lambda: completed_upload(harness))
    assert done["channel_id"] == "DU2"
    assert not harness.fake.calls_to("conversations.open")


async def test_a_rate_limited_upload_step_is_retried(harness: SlackHarness) -> None:
    harness.core.script = invoice_reply
    harness.fake.rate_limit_next("files.completeUploadExternal")
    await harness.slack.command("/invoice", "ACME", channel="C7")
    await harness.fake.wait_for(lambda: len(harness.fake.calls_to("files.completeUploadExternal")) == 2, timeout=8)
    await harness.fake.wait_for(lambda: harness.fake.responses)
    assert not harness.fake.calls_to("conversations.open")  # delivered to the channel, no fallback needed
