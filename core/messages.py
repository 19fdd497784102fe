"""The boundary between channels and the core: one incoming-message type, one reply type.

Adapters own every platform detail (escaping, buttons, uploads); the core only ever sees and returns these.
"""
from __future__ import annotations

import base64
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (a receipt photo or PDF with ``/expense …`` as its caption)."""

    filename: str
    content: bytes | None
    """None when the channel did not fetch it: larger than it may be (``size``), or unreadable."""
    size: int | None = None
    """What the platform says its size is, in bytes, when known."""


@dataclass(frozen=True)
class Incoming:
    """One message from a user, whatever the channel."""

    platform: str
    """``local``, ``telegram`` or ``slack``."""
    user_id: str
    """The platform's id of the sender (Slack: ``TEAM:USER``); with ``platform`` it names the account."""
    chat_id: str
    """Where replies and reminders for this conversation go (a Telegram chat id, a Slack channel or DM)."""
    text: str
    message_id: str | None = None
    """A platform-unique id of this delivery (Telegram update_id, Slack event_id); a repeat is handled once."""
    user_name: str | None = None
    is_private: bool = True
    """False in a group chat or public channel: private data (profile, payment details) is not shown there."""
    timezone: str | None = None
    """The platform's idea of the user's timezone (Slack's users.info), used when the account is created."""
    locale: str | None = None
    attachment: Attachment | None = None
    """A file sent with the message: channels fetch it only for the commands that keep one (/expense)."""


@dataclass(frozen=True)
class Action:
    """Something the user can do next with one tap; channels with buttons show it as one.

    ``command`` is the text to hand back to the core as a new :class:`Incoming` when it is chosen;
    it is kept short (``/undo 42``, ``/pick 7 2``) so it fits any platform's callback payload.
    """

    label: str
    command: str


def safe_file_name(name: str, fallback: str = "document") -> str:
    """``name`` as a file name every channel and file system takes: letters of any script (accents kept,
    ``Café Müller`` stays ``Café_Müller``), digits, ``.``, ``-`` and ``_``; anything else (spaces, slashes, control
    characters) becomes ``_``; ``fallback`` when nothing is left."""
    cleaned = re.sub(r"[^\w.-]+", "_", unicodedata.normalize("NFC", name)).strip("._")
    return cleaned or fallback


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    mime_type: str = "application/pdf"
    caption: str = ""


@dataclass(frozen=True)
class Reply:
    """What the core answers: plain text (the adapter escapes it), an optional document, optional actions."""

    text: str
    document: Document | None = None
    actions: tuple[Action, ...] = field(default_factory=tuple)
    sensitive: bool = False
    """Holds the user's private data: Slack shows it ephemeral, Telegram only in a private chat."""
    finish: Callable[[], Reply] | None = field(default=None, compare=False, repr=False)
    """Work left for after the transaction commits (drawing an invoice's PDF from its stored snapshot, which
    needs no database): the dispatcher calls it once the lock is released and sends what it returns."""
    erased: tuple[str, ...] | None = None
    """Set when the account was just erased (/forget me): glob patterns of the names its documents were saved
    under, so a channel that keeps files on this machine (the terminal's outbox, its line history) deletes them."""
    language: str | None = field(default=None, compare=False)
    """The language the text is written in (set by the dispatcher): an adapter writes its own notes about this
    reply ("I sent it to your private chat") in it too."""

    def to_json(self) -> str:
        """What is kept of the reply for sending it again (``processed_messages.reply_enc``): everything but
        ``finish``, which is work left for after a commit that has already happened."""
        document = None if self.document is None else {
            "filename": self.document.filename, "content": base64.b64encode(self.document.content).decode(),
            "mime_type": self.document.mime_type, "caption": self.document.caption}
        return json.dumps({"text": self.text, "document": document, "sensitive": self.sensitive,
                           "actions": [[a.label, a.command] for a in self.actions], "language": self.language})

    @classmethod
    def from_json(cls, data: str) -> Reply:
        value = json.loads(data)
        document = value["document"]
        return cls(value["text"], actions=tuple(Action(label, command) for label, command in value["actions"]),
                   sensitive=value["sensitive"], language=value["language"],
                   document=None if document is None else Document(
                       document["filename"], base64.b64decode(document["content"]), document["mime_type"],
                       document["caption"]))
