"""``/export tasks|invoices [PERIOD]``: the account's tasks or invoices as a CSV document."""
from __future__ import annotations

from core.context import Context
from core.errors import UserError
from core.exports import export_period, invoices_csv, tasks_csv
from core.i18n import _
from core.messages import Document, Reply

TABLES = ("tasks", "invoices")


def export(ctx: Context, args: str) -> Reply:
    words = args.split(maxsplit=1)
    if not words or words[0].lower() not in TABLES:
        raise UserError(_("Use /export tasks [PERIOD] or /export invoices [PERIOD], with PERIOD week, month, last "
                          "month or year (none: everything)."))
    table = words[0].lower()
    tag, start, end = export_period(words[1] if len(words) > 1 else "", ctx.today)
    if table == "tasks":
        content = tasks_csv(ctx.session, ctx.account, start, end)
        caption = _("Your tasks as CSV, one row per task.")
    else:
        content = invoices_csv(ctx.session, ctx.account, ctx.today, start, end)
        caption = _("Your invoices as CSV, one row per invoice or credit note.")
    document = Document(f"{table}-{tag}.csv", content, "text/csv", caption)
    return Reply(caption, document=document, sensitive=True)
