"""Plain text <-> Slack markup, and Replies as Block Kit."""
from __future__ import annotations

import pytest

from adapters.slack.blocks import escape_text, message_payload, plain_text_of
from core.messages import Action, Reply


@pytest.mark.parametrize("markup, plain", [
    ("2h R&amp;D for ACME", "2h R&D for ACME"),
    ("&lt;b&gt; &amp;lt;", "<b> &lt;"),
    ("<@UBOT> 2h logo design", "2h logo design"),
    ("<@UBOT|invoicebot>   1h call", "1h call"),
    ("/client add ACME email <mailto:a@acme.test|a@acme.test>", "/client add ACME email a@acme.test"),
    ("review <https://acme.test/pr/1>", "review https://acme.test/pr/1"),
    ("triage <#C1|billing>", "triage #billing"),
    ("line one\nline two", "line one\nline two"),
])
def test_plain_text_of_slack_markup(markup: str, plain: str) -> None:
    assert plain_text_of(markup) == plain


def test_escape_then_read_back_is_the_original() -> None:
    text = "Fees <net> & VAT 19% for Müller & Söhne <@U1>"
    assert escape_text(text) == "Fees &lt;net&gt; &amp; VAT 19% for Müller &amp; Söhne &lt;@U1&gt;"
    assert plain_text_of(escape_text(text)) == text


def test_a_long_reply_is_split_into_sections_within_slacks_limit() -> None:
    text = "\n".join(f"{i:04} 2h logo design for ACME" for i in range(400))
    blocks = message_payload(Reply(text))["blocks"]
    sections = [b["text"]["text"] for b in blocks]
    assert len(sections) > 1
    assert all(len(s) <= 3000 for s in sections)
    assert "".join(sections) == text


def test_actions_become_buttons_carrying_their_command() -> None:
    payload = message_payload(Reply("Logged.", actions=(Action("Undo", "/undo 42"), Action("Edit", "/edit 42"))))
    [buttons] = [b["elements"] for b in payload["blocks"] if b["type"] == "actions"]
    assert [(b["text"]["text"], b["value"]) for b in buttons] == [("Undo", "/undo 42"), ("Edit", "/edit 42")]
    assert len({b["action_id"] for b in buttons}) == 2  # Slack requires unique action ids within a block


def test_a_huge_reply_stays_within_slacks_fifty_blocks_and_says_it_was_cut() -> None:
    text = "\n".join("x" * 2900 for _ in range(80))
    blocks = message_payload(Reply(text, actions=(Action("Undo", "/undo 1"),)))["blocks"]
    assert len(blocks) <= 50
    assert "cut here" in blocks[-2]["text"]["text"]
    assert blocks[-1]["type"] == "actions"
