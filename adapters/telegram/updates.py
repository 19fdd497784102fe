"""Telegram updates → the core's Incoming, and which group messages are meant for the bot at all.

In a group the bot only answers what is addressed to it: a command (``/tasks`` or ``/tasks@thisbot``), a message
that mentions it, or a reply to one of its messages. Everything else is the group's own conversation.
"""
from __future__ import annotations

from telegram import CallbackQuery, Chat, Message, MessageEntity, Update, User

from core.messages import Incoming

PLATFORM = "telegram"


def delivery_key(update_id: int) -> str:
    """The core's message id of an update, which is also its key in the inbox."""
    return f"tg:{update_id}"


def addressed_text(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The text to hand to the core, with any ``@botname`` taken out; None when the message is not for us."""
    text = (message.text or "").strip()
    if not text and (message.photo or message.document) and (message.caption or "").strip().startswith("/"):
        text = (message.caption or "").strip()  # a photo or file with a command as its caption (/expense …)
    if not text:
        return None
    private = message.chat.type == Chat.PRIVATE
    if text.startswith("/"):
        command, _, rest = text.partition(" ")
        name, at, target = command.partition("@")
        if at and target.lower() != bot_username.lower():
            return None  # a command for another bot in the same group
        return f"{name} {rest}".strip() if rest else name
    if private:
        return text
    mentioned, remainder = _strip_mentions(message, text, bot_username, bot_id)
    if mentioned:
        return remainder or "/help"
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    return None


def _strip_mentions(message: Message, text: str, bot_username: str, bot_id: int) -> tuple[bool, str]:
    """Whether the bot is mentioned, and the text without those mentions."""
    spans = []
    for entity, value in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        is_us = (entity.type == MessageEntity.MENTION and value[1:].lower() == bot_username.lower()) or (
            entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot_id)
        if is_us:
            spans.append(value)
    if not spans:
        return False, text
    for value in spans:
        text = text.replace(value, " ", 1)
    return True, " ".join(text.replace(" :", ":").split()).lstrip(":, ").strip()


def _sender_name(user: User | None) -> str | None:
    if user is None:
        return None
    return user.full_name or user.username


def incoming_from_message(update: Update, text: str) -> Incoming:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    user = update.effective_user
    return Incoming(
        platform=PLATFORM,
        user_id=str(user.id),
        chat_id=str(message.chat.id),
        text=text,
        message_id=delivery_key(update.update_id),
        user_name=_sender_name(user),
        is_private=message.chat.type == Chat.PRIVATE,
        locale=user.language_code,
    )


def incoming_from_callback(update: Update, query: CallbackQuery) -> Incoming:
    """A pressed button: its callback_data is the command the core offered, sent back as the user's words."""
    chat = query.message.chat if query.message is not None else None
    return Incoming(
        platform=PLATFORM,
        user_id=str(query.from_user.id),
        chat_id=str(chat.id if chat is not None else query.from_user.id),
        text=query.data or "",
        message_id=delivery_key(update.update_id),
        user_name=_sender_name(query.from_user),
        is_private=chat is None or chat.type == Chat.PRIVATE,
        locale=query.from_user.language_code,
    )

