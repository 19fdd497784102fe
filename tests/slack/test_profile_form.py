"""The profile modal: a button under /profile opens it; the filled fields become /profile set commands."""
from __future__ import annotations

import json

from core.messages import Reply
from tests.slack.conftest import SlackHarness


def profile_script(incoming):  # type: ignore[no-untyped-def]
    if incoming.text.startswith("/profile set"):
        field = incoming.text.split()[2]
        return Reply(f"Saved {field}.", sensitive=True)
    return Reply("Name: —\nPayment: —", sensitive=True)


async def test_the_profile_form_sets_each_filled_field(harness: SlackHarness) -> None:
    harness.core.script = profile_script
    await harness.slack.command("/profile", user="U1", channel="C1")
    shown = await harness.fake.wait_for(lambda: harness.fake.responses and harness.fake.responses[0])
    assert shown["response_type"] == "ephemeral"
    [actions] = [b for b in shown["blocks"] if b["type"] == "actions"]
    [button] = actions["elements"]

    await harness.slack.press(button, user="U1", channel="C1")
    [opened] = await harness.fake.wait_for(lambda: harness.fake.calls_to("views.open"))
    view = opened.params["view"] if isinstance(opened.params["view"], dict) else json.loads(opened.params["view"])
    assert opened.params["trigger_id"].startswith("trigger.")
    fields = [block["block_id"] for block in view["blocks"] if block["type"] == "input"]
    assert {"name", "payment", "vat_id", "tax_number", "country", "currency"} <= set(fields)

    state = {"values": {field: {"value": {"type": "plain_text_input", "value": None}} for field in fields}}
    state["values"]["name"]["value"]["value"] = "Zoë Łukasz Design"
    state["values"]["payment"]["value"]["value"] = "IBAN DE89 3704 0044 0532 0130 00"
    response = await harness.slack.interaction({
        "type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1", "team_id": "T1"},
        "api_app_id": "A1", "token": "legacy", "trigger_id": "trigger.x",
        "view": {**view, "id": "V1", "state": state},
    })
    assert response.status == 200
    saved = await harness.fake.wait_for(lambda: len(harness.fake.responses) == 2 and harness.fake.responses[1])
    assert [i.text for i in harness.core.incomings[1:]] == [
        "/profile set name Zoë Łukasz Design", "/profile set payment IBAN DE89 3704 0044 0532 0130 00"]
    assert all(i.is_private for i in harness.core.incomings)
    assert saved["response_type"] == "ephemeral"
    assert "Saved name." in saved["text"] and "Saved payment." in saved["text"]
    assert harness.fake.calls_to("chat.postMessage") == []


async def test_profile_with_arguments_gets_no_form_button(harness: SlackHarness) -> None:
    harness.core.script = profile_script
    await harness.slack.command("/profile", "set email zoe@example.com")
    shown = await harness.fake.wait_for(lambda: harness.fake.responses and harness.fake.responses[0])
    assert not [b for b in shown["blocks"] if b["type"] == "actions"]
