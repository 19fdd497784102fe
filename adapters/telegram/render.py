"""Turn the core's plain Reply into what Telegram accepts: escaped HTML, message-sized pieces, inline keyboards.

Telegram refuses a message over 4,096 characters (counted in UTF-16 code units after entity parsing), a caption
over 1,024, and callback_data over 64 bytes; a reply that breaks a rule must still reach the user.
"""
from __future__ import annotations

import html
import logging
from dataclasses import dataclass, replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.i18n import N_, _, use_language
from core.messages import Action, Reply

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64

PRIVATE_ONLY = N_("That answer holds private details (your profile, payment instructions or tax id), so I only show it "
                  "in a private chat with me.")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message to send: HTML text, or a document with an HTML caption; the keyboard goes last."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None
    document: bytes | None = None
    filename: str = ""
    photo: bool = False
    """The document is an image (a /report chart): sent as a photo, which the chat shows inline."""


def escape(text: str) -> str:
    """Plain text as Telegram HTML: only <, > and & are special there."""
    return html.escape(text, quote=False)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Escape ``text`` and cut it into pieces of at most ``limit``, preferring paragraph, then line, then word
    boundaries, never inside an HTML entity such as ``&amp;``."""
    pieces: list[str] = []
    current = ""
    for line in _units(text, limit):
        candidate = f"{current}\n{line}" if current else line
        if telegram_length(escape(candidate)) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(escape(current.strip("\n")))
        current = line
    if current.strip():
        pieces.append(escape(current.strip("\n")))
    return [p for p in pieces if p.strip()]


def _units(text: str, limit: int) -> list[str]:
    """Lines of ``text``, with any line too long to fit alone cut at spaces (or, failing that, anywhere)."""
    units: list[str] = []
    for line in text.split("\n"):
        while telegram_length(escape(line)) > limit:
            cut = _fit(line, limit)
            space = line.rfind(" ", 0, cut)
            if space > cut // 2:
                cut = space
            units.append(line[:cut])
            line = line[cut:].lstrip(" ")
        units.append(line)
    return units


def _fit(line: str, limit: int) -> int:
    """The longest prefix of ``line`` whose escaped form fits in ``limit``."""
    low, high = 1, len(line)
    while low < high:
        middle = (low + high + 1) // 2
        if telegram_length(escape(line[:middle])) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def keyboard(actions: tuple[Action, ...]) -> InlineKeyboardMarkup | None:
    """One button per action; short labels share a row. An action whose command does not fit Telegram's
    64-byte callback_data is left out (and logged): pressing it could not work."""
    buttons = []
    for action in actions:
        if len(action.command.encode()) > CALLBACK_DATA_LIMIT:
            log.warning("button %r left out: its command is over 64 bytes", action.label)
            continue
        buttons.append(InlineKeyboardButton(action.label, callback_data=action.command))
    if not buttons:
        return None
    per_row = 3 if all(len(b.text) <= 12 for b in buttons) else 1
    return InlineKeyboardMarkup([buttons[i:i + per_row] for i in range(0, len(buttons), per_row)])


def render_reply(reply: Reply, *, private: bool) -> list[Outgoing]:
    """The messages that show ``reply`` in a chat. A sensitive reply in a group becomes a pointer to the
    private chat: payment details and tax ids are never posted where others read."""
    if reply.sensitive and not private:
        with use_language(reply.language):
            return [Outgoing(escape(_(PRIVATE_ONLY)))]
    markup = keyboard(reply.actions)
    text = reply.text.strip()
    caption = reply.document.caption.strip() if reply.document is not None else ""
    if reply.document is not None and text and telegram_length(escape(text)) <= CAPTION_LIMIT:
        # One message: the document with the whole answer (number, client, total…) as its caption.
        caption, text = text, ""
    texts = split_html(text) if text else []
    out: list[Outgoing] = [Outgoing(piece) for piece in texts]
    if reply.document is not None:
        caption_html = split_html(caption, CAPTION_LIMIT)[0] if caption else ""
        out.append(Outgoing(caption_html, document=reply.document.content, filename=reply.document.filename,
                            photo=reply.document.mime_type.startswith("image/")))
    if out and markup is not None:
        # Buttons under the text they refer to; under the document when it carries the text.
        index = len(texts) - 1 if texts else len(out) - 1
        last = out[index]
        out[index] = replace(last, keyboard=markup)
    return out
