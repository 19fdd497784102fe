"""A receipt shared in the bot's DM with /expense (or "expense …") as its message: fetched from the Web API double
with the bot token, kept with the expense, marked in /tasks and embedded in the invoice PDF."""
from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from adapters.slack.receipts import file_command
from core.commands import COMMANDS
from core.context import file_limits
from core.messages import Attachment
from core.receipts import MAX_RECEIPT_BYTES
from tests.slack.conftest import ScriptedCore, SlackHarness
from tests.slack.test_with_core import answer_to


@pytest.fixture
async def slack(harness_for: Any, core: Any) -> SlackHarness:
    return await harness_for(core)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


async def dm_answer(slack: SlackHarness, text: str, file: dict[str, Any]) -> str:
    before = len(slack.fake.calls_to("chat.postMessage"))
    response = await slack.slack.dm_file(text, file)
    assert response.status == 200
    posts = await slack.fake.wait_for(lambda: slack.fake.calls_to("chat.postMessage")[before:], timeout=30)
    return posts[0].params["text"]


async def test_a_shared_receipt_is_kept_and_embedded_in_the_invoice(slack: SlackHarness) -> None:
    for line in ("set name Jane Doe Design", "set country DE", "set vat_id DE123456788", "set tax_rate 19",
                 "set address Hauptstr. 1 | 10115 Berlin", "set payment IBAN DE89 3704 0044 0532 0130 00"):
        await answer_to(slack, "/profile", line, channel="DU1")
    await answer_to(slack, "/client", "add ACME rate 80 currency EUR", channel="DU1")
    await answer_to(slack, "/client", "set ACME country DE", channel="DU1")
    await answer_to(slack, "/client", "set ACME address Torstraße 12 | 10119 Berlin", channel="DU1")
    image = png()
    answer = await dm_answer(slack, "expense 19.90 printer paper for ACME tax 7%", slack.fake.share_file(image,
                                                                                                      "paper.png"))
    assert "Expense #1" in answer and "Receipt kept" in answer
    [(_file, authorization)] = slack.fake.downloads
    assert authorization.startswith("Bearer xoxb-")  # private files are read with the bot token
    refused = await dm_answer(slack, "/expense 5 snacks for ACME", slack.fake.share_file(
        b"x" * 10, "big.jpg", size=MAX_RECEIPT_BYTES + 1))
    assert "is larger than 5 MB" in refused and len(slack.fake.downloads) == 1
    listed = await answer_to(slack, "/tasks", channel="DU1")
    assert "printer paper · €19.90, VAT 7% · receipt" in listed["text"] and "snacks" not in listed["text"]
    await answer_to(slack, "/invoice", "ACME", channel="DU1")
    await slack.fake.wait_for(lambda: slack.fake.calls_to("files.completeUploadExternal"), timeout=30)
    [pdf] = slack.fake.uploads.values()
    assert PdfReader(io.BytesIO(pdf)).attachments["receipt-1.png"] == [image]


@pytest.mark.parametrize(("message", "command"), [
    ("/expense 5 snacks for ACME", "/expense 5 snacks for ACME"),
    ("expense 5 snacks for ACME", "/expense 5 snacks for ACME"),
    ("Expense 5 snacks for ACME", "/Expense 5 snacks for ACME"),
    ("import", "/import"), ("/import", "/import"),
    ("look at this", None), ("expenses for ACME", None), ("", None), ("/tasks", None), ("imports", None),
])
def test_only_a_share_whose_message_is_an_expense_or_import_is_taken_as_one(message: str, command: str | None) -> None:
    found = file_command(message, file_limits(COMMANDS))
    assert (found[0] if found else None) == command


async def test_the_commands_that_keep_a_file_and_their_limits_come_from_the_cores_table(harness_for: Any) -> None:
    """Here the core's table lets /expense keep 10 bytes at most: a larger file is not fetched (the core is told its
    size), and a share with /log, without a limit in the table, is not a message to the bot."""
    core = ScriptedCore()
    core.commands = tuple(replace(c, file_limit=10) if c.name == "expense" else c for c in COMMANDS)
    slack = await harness_for(core)
    for content, text in ((b"0123456789", "expense 1 fits"), (b"0123456789+", "/expense 2 too large"),
                          (b"012", "/log 3 not kept")):
        await slack.slack.dm_file(text, slack.fake.share_file(content, "receipt.pdf"))
    await slack.slack.dm("/help")  # after the shares: once it is handled, so is every share that will be
    await slack.fake.wait_for(lambda: [i for i in core.incomings if i.text == "/help"])
    assert [(i.text, i.attachment) for i in core.incomings] == [
        ("/expense 1 fits", Attachment("receipt.pdf", b"0123456789", 10)),
        ("/expense 2 too large", Attachment("receipt.pdf", None, 11)), ("/help", None)]
    assert len(slack.fake.downloads) == 1
