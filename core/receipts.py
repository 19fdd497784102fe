"""Receipts: the photo or PDF of an expense, sent with ``/expense …`` as its caption (terminal: ``receipt PATH``),
kept with the expense and embedded in the invoice PDF that bills it.

The file's type is read from its first bytes, never from its name or the platform's word: JPEG, PNG and PDF are
kept (what a phone camera, a scanner and an online shop give), anything else is refused, as is a file over
:data:`MAX_RECEIPT_BYTES`. PDF/A-3 allows any embedded file, so the invoice stays PDF/A-3B.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import UserError
from core.i18n import _
from core.limits import MAX_RECEIPT_BYTES
from core.messages import Attachment
from core.models import Receipt, Task
from core.pdf.document import EmbeddedFile

_TYPES = ((b"\xff\xd8\xff", "image/jpeg", "jpg"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
          (b"%PDF-", "application/pdf", "pdf"))


def check_receipt(attachment: Attachment) -> tuple[bytes, str, str]:
    """The receipt's bytes, media type and file extension; a UserError when it is too large, unreadable or not an
    image or PDF (nothing is logged then)."""
    too_large = _("The receipt {name} is larger than {limit} MB; send a smaller photo or PDF (nothing was "
                  "logged).").format(name=attachment.filename, limit=MAX_RECEIPT_BYTES // (1024 * 1024))
    if attachment.size is not None and attachment.size > MAX_RECEIPT_BYTES:
        raise UserError(too_large)
    if attachment.content is None:
        raise UserError(_("I couldn't read the receipt {name}; nothing was logged. Send it again, or the expense "
                          "without it.").format(name=attachment.filename))
    if len(attachment.content) > MAX_RECEIPT_BYTES:
        raise UserError(too_large)
    for magic, media_type, extension in _TYPES:
        if attachment.content.startswith(magic):
            return attachment.content, media_type, extension
    raise UserError(_("The receipt {name} is not a photo (JPEG, PNG) or a PDF, so I can't keep it; nothing was "
                      "logged.").format(name=attachment.filename))


def keep_receipt(session: Session, task: Task, attachment: Attachment, now: datetime) -> Receipt:
    content, media_type, extension = check_receipt(attachment)
    receipt = Receipt(account_id=task.account_id, task_id=task.id, filename=f"receipt-{task.number}.{extension}",
                      media_type=media_type, content=content, created_at=now)
    session.add(receipt)
    session.flush()
    return receipt


def receipt_files(session: Session, lines: Iterable[tuple[int | None, str]]) -> tuple[EmbeddedFile, ...]:
    """The receipts of the expenses billed by ``lines`` (task id, description), in the order of the lines."""
    wanted = [(task_id, description) for task_id, description in lines if task_id is not None]
    if not wanted:
        return ()
    found = {receipt.task_id: receipt for receipt in session.scalars(
        select(Receipt).where(Receipt.task_id.in_([task_id for task_id, _description in wanted])))}
    return tuple(EmbeddedFile(found[task_id].filename, found[task_id].media_type, found[task_id].content,
                              description)
                 for task_id, description in wanted if task_id in found)
