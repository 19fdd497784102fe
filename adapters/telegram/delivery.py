"""Sending a rendered Reply with the Bot: the one place that calls sendMessage, sendDocument and sendPhoto.

Used for answers (the channel) and for reminders (the notifier), so both look the same to the user.
"""
from __future__ import annotations

from telegram import Bot, InputFile, Message, ReplyParameters
from telegram.constants import ParseMode

from adapters.telegram.render import Outgoing, render_reply
from core.messages import Reply


async def deliver_reply(bot: Bot, chat_id: int | str, reply: Reply, *, private: bool,
                        reply_to: int | None = None) -> list[Message]:
    """Send every piece of ``reply`` in order; in a group the first piece answers the user's message."""
    sent: list[Message] = []
    for number, piece in enumerate(render_reply(reply, private=private)):
        parameters = (ReplyParameters(reply_to, allow_sending_without_reply=True)
                      if reply_to is not None and number == 0 else None)
        sent.append(await _send(bot, chat_id, piece, parameters))
    return sent


async def _send(bot: Bot, chat_id: int | str, piece: Outgoing, parameters: ReplyParameters | None) -> Message:
    if piece.document is not None and piece.photo:
        return await bot.send_photo(
            chat_id, InputFile(piece.document, filename=piece.filename), caption=piece.html or None,
            parse_mode=ParseMode.HTML, reply_markup=piece.keyboard, reply_parameters=parameters)
    if piece.document is not None:
        return await bot.send_document(
            chat_id, InputFile(piece.document, filename=piece.filename), caption=piece.html or None,
            parse_mode=ParseMode.HTML, reply_markup=piece.keyboard, reply_parameters=parameters)
    return await bot.send_message(chat_id, piece.html, parse_mode=ParseMode.HTML, reply_markup=piece.keyboard,
                                  reply_parameters=parameters)
