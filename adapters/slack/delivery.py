"""Putting a Reply in front of the user: ephemeral text in channels, the PDF where /invoice was typed.

Text about the user's own data never lands in a channel for everyone: slash commands and buttons answer through
their response_url as ephemeral messages, mentions with chat.postEphemeral, and only the bot's own direct message
with the user gets ordinary messages. A document goes into the conversation (files_upload_v2); where the bot
can't post there, or the document is marked sensitive, it goes to the user's DM, and the user is told so.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import message_payload
from adapters.slack.web_client import error_code
from core.i18n import _, use_language
from core.messages import Document, Reply

log = logging.getLogger(__name__)

Respond = Callable[..., Awaitable[Any]]


class ResponseUrlFailed(Exception):
    """Slack refused a response_url post (expired after 30 minutes or 5 uses, or malformed)."""


@dataclass(frozen=True)
class Conversation:
    """Where a message came from, and so where its answer goes."""

    client: AsyncWebClient
    team_id: str
    user_id: str
    channel_id: str | None
    respond: Respond | None = None
    """The response_url of a slash command or button: ephemeral answers even where the bot is no member."""
    is_direct: bool = False
    """The bot's own DM with the user: ordinary messages are private there."""
    replace_original: bool = False
    """A button's answer replaces the message holding the button (no second Undo)."""
    thread_ts: str | None = None
    """A message written in a thread is answered in that thread."""


async def deliver(conversation: Conversation, reply: Reply, extra_buttons: tuple[dict[str, Any], ...] = ()) -> None:
    await send_text(conversation, reply, extra_buttons)
    if reply.document is not None:
        await send_document(conversation, reply.document, sensitive=reply.sensitive, language=reply.language)


async def send_text(conversation: Conversation, reply: Reply, extra_buttons: tuple[dict[str, Any], ...] = (),
                    *, replace_original: bool | None = None) -> None:
    payload = message_payload(reply, extra_buttons)
    replace = conversation.replace_original if replace_original is None else replace_original
    if conversation.respond is not None:
        response = await conversation.respond(**payload, response_type="ephemeral", replace_original=replace)
        if getattr(response, "status_code", 200) != 200:
            raise ResponseUrlFailed(f"response_url answered {response.status_code}: {response.body}")
    elif conversation.is_direct:
        await conversation.client.chat_postMessage(channel=conversation.channel_id, thread_ts=conversation.thread_ts,
                                                   **payload)
    else:
        await conversation.client.chat_postEphemeral(channel=conversation.channel_id, user=conversation.user_id,
                                                     thread_ts=conversation.thread_ts, **payload)


async def send_document(conversation: Conversation, document: Document, *, sensitive: bool,
                        language: str | None = None) -> None:
    """Post ``document`` where the conversation is, or to the user's DM with a note (in ``language``) saying so."""
    channel = conversation.channel_id
    if channel and (conversation.is_direct or not sensitive):
        try:
            await upload(conversation.client, channel, document)
            return
        except SlackApiError as exc:
            error = error_code(exc)
            log.info("could not post %s into %s (%s); sending it by DM", document.filename, channel, error)
            with use_language(language):
                note = _("I can't post files in this conversation ({error}), so I sent {file} to you in a direct "
                         "message.").format(error=error, file=document.filename)
    else:
        with use_language(language):
            note = _("{file} holds private details, so I sent it to you in a direct message.").format(
                file=document.filename)
    direct = await open_direct_message(conversation.client, conversation.user_id)
    await upload(conversation.client, direct, document)
    await send_text(conversation, Reply(note, language=language), replace_original=False)


async def upload(client: AsyncWebClient, channel: str, document: Document) -> None:
    """files_upload_v2: getUploadURLExternal, the upload, completeUploadExternal (files.upload is retired)."""
    await client.files_upload_v2(
        channel=channel,
        file=document.content,
        filename=document.filename,
        title=document.filename,
        initial_comment=document.caption or None,
    )


async def open_direct_message(client: AsyncWebClient, user_id: str) -> str:
    response = await client.conversations_open(users=user_id)
    return response["channel"]["id"]
