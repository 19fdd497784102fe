"""``/import`` (a file sent with it; terminal: ``/import PATH``): a Toggl Track or Clockify detailed export, or our
own ``/export tasks`` file (moving books between accounts, or back from a spreadsheet), shown
first — per client the entries and hours, the clients the books don't have, what is left out — then imported
with the Import button (core/imports.py). Nothing is stored before the button."""
from __future__ import annotations

from core.accounts import format_date
from core.commands.questions import keep_question
from core.context import Context
from core.errors import UserError
from core.i18n import N_, _, format_minutes, ngettext
from core.imports import ImportPlan, plan_import, planned_json, run_import
from core.limits import MAX_IMPORT_BYTES
from core.messages import Action, Attachment, Reply
from core.phrases.dates import date_order
from core.timesheets import INVOICEBOT, SOURCE_NAMES, OpenDateOrder, read_timesheet

USAGE = N_("Send your Toggl Track or Clockify detailed export (CSV), or a file from /export tasks, as a file with "
           "/import as its caption (Slack: as its message; terminal: /import PATH). I show what it adds, and "
           "nothing is imported until you press Import.")


def import_(ctx: Context, args: str) -> Reply:
    attachment = ctx.incoming.attachment
    if attachment is None:
        raise UserError(_(USAGE))
    content = check_import_file(attachment)
    order = date_order(ctx.chosen_locale) if ctx.chosen_locale else None
    try:
        sheet = read_timesheet(content, ctx.tz, ctx.today, order)
    except OpenDateOrder as open_order:
        return _ask_date_order(ctx, content, attachment.filename, open_order)
    plan = plan_import(ctx.session, ctx.account, sheet)
    return _offer_one(ctx, describe_plan(plan, attachment.filename), plan)


def _ask_date_order(ctx: Context, content: bytes, filename: str, open_order: OpenDateOrder) -> Reply:
    """Dates like 03/04/2026 that nothing in the file orders: read the file both ways and let the buttons say which
    (a reading the file can't be read with — work ahead of today, an entry of weeks — leaves the other, and the
    preview says so)."""
    readings: dict[str, ImportPlan] = {}
    refusals: list[UserError] = []
    for order in ("dmy", "mdy"):
        try:
            readings[order] = plan_import(ctx.session, ctx.account, read_timesheet(content, ctx.tz, ctx.today, order))
        except UserError as refusal:
            refusals.append(refusal)
    if not readings:
        raise refusals[0]
    day_first, month_first = (format_date(day, ctx.locale) for day in open_order.readings())
    if len(readings) == 1:
        order, plan = next(iter(readings.items()))
        text = describe_plan(plan, filename) + "\n" + _(
            "Line {line} writes {value}, which I read as {date}: read as {other}, the file would hold something "
            "impossible (work ahead of today, or an entry too long).").format(
            line=open_order.line, value=open_order.value, date=day_first if order == "dmy" else month_first,
            other=month_first if order == "dmy" else day_first)
        return _offer_one(ctx, text, plan)
    text = describe_plan(readings["dmy"], filename) + "\n" + _(
        "Line {line} writes {value}: is that {day_first} or {month_first}? No date in the file shows whether the day "
        "or the month comes first.").format(line=open_order.line, value=open_order.value, day_first=day_first,
                                           month_first=month_first)
    if not any(plan.planned for plan in readings.values()):
        return Reply(text)
    return _offer(ctx, text, [(_("Import: {date}").format(date=day_first), readings["dmy"]),
                              (_("Import: {date}").format(date=month_first), readings["mdy"])])


def _offer_one(ctx: Context, text: str, plan: ImportPlan) -> Reply:
    """The preview of one reading of the file: its Import button, or the text alone when it adds nothing."""
    if not plan.planned:
        return Reply(text)
    count = len(plan.planned)
    return _offer(ctx, text, [(ngettext("Import {n} entry", "Import {n} entries", count).format(n=count), plan)])


def _offer(ctx: Context, text: str, choices: list[tuple[str, ImportPlan]]) -> Reply:
    """The preview with a button per way to import it, then Cancel; the planned entries wait in a pending choice."""
    options = [{"op": "import_run", "entries": planned_json(plan)} for _label, plan in choices]
    pending_id = keep_question(ctx, "/import", [*options, {"op": "import_cancel"}])
    actions = [Action(label, f"/pick {pending_id} {number}") for number, (label, _plan) in enumerate(choices, 1)]
    return Reply(text, actions=(*actions, Action(_("Cancel"), f"/pick {pending_id} {len(choices) + 1}")))


def check_import_file(attachment: Attachment) -> bytes:
    too_large = _("The file {name} is larger than {limit} MB; export a shorter period and send each part. Nothing "
                  "was imported.").format(name=attachment.filename, limit=MAX_IMPORT_BYTES // (1024 * 1024))
    if attachment.size is not None and attachment.size > MAX_IMPORT_BYTES:
        raise UserError(too_large)
    if attachment.content is None:
        raise UserError(_("I couldn't read the file {name}; nothing was imported. Send it again.").format(
            name=attachment.filename))
    if len(attachment.content) > MAX_IMPORT_BYTES:
        raise UserError(too_large)
    return attachment.content


def describe_plan(plan: ImportPlan, filename: str) -> str:
    sheet = plan.sheet
    lines = [_("{source} export {name}:").format(source=SOURCE_NAMES[sheet.source], name=filename)]
    for share in sorted(plan.known.values(), key=lambda share: share.name.casefold()):
        lines.append(ngettext("{client}: {n} entry, {hours}", "{client}: {n} entries, {hours}", share.entries).format(
            client=share.name, n=share.entries, hours=format_minutes(share.minutes)))
    if not plan.planned:
        lines.append(_("Nothing new to import."))
    for name, count in sorted(plan.unknown.items(), key=lambda item: item[0].casefold()):
        lines.append(ngettext("{name} is not one of your clients — /client add {name} first and send the file again, "
                              "or the import leaves out its {n} entry.",
                              "{name} is not one of your clients — /client add {name} first and send the file again, "
                              "or the import leaves out its {n} entries.", count).format(name=name, n=count))
    for name, count in sorted(plan.archived.items(), key=lambda item: item[0].casefold()):
        lines.append(ngettext("{name} is archived — /client set {name} archived no brings it back; send the file "
                              "again then, or the import leaves out its {n} entry.",
                              "{name} is archived — /client set {name} archived no brings it back; send the file "
                              "again then, or the import leaves out its {n} entries.", count).format(name=name, n=count))
    notes = (
        (plan.already, ngettext("{n} entry was already imported: it is not added again.",
                                "{n} entries were already imported: they are not added again.", plan.already)),
        (plan.in_books, ngettext("{n} task is already in your books: it is not added again.",
                                 "{n} tasks are already in your books: they are not added again.", plan.in_books)),
        (sheet.billed, ngettext("{n} billed task is left out: it is on an invoice already, and work is never billed "
                                "twice.", "{n} billed tasks are left out: they are on invoices already, and work is "
                                "never billed twice.", sheet.billed)),
        (plan.own_rate, ngettext("{n} task keeps its rate from the file as its own: it differs from the client's.",
                                 "{n} tasks keep their rate from the file as their own: it differs from the "
                                 "client's.", plan.own_rate)),
        (sheet.repeated, ngettext("{n} row repeats an earlier row of the file: imported once.",
                                  "{n} rows repeat earlier rows of the file: imported once.", sheet.repeated)),
        (sheet.non_billable, ngettext("{n} non-billable entry is left out.", "{n} non-billable entries are left out.",
                                      sheet.non_billable)),
        (sheet.without_client, ngettext("{n} entry names no client and no project: left out.",
                                        "{n} entries name no client and no project: left out.",
                                        sheet.without_client)),
        (sheet.too_short, ngettext("{n} entry is shorter than a minute: left out.",
                                   "{n} entries are shorter than a minute: left out.", sheet.too_short)),
        (plan.split, ngettext("{n} entry runs past midnight: it becomes one task per day.",
                              "{n} entries run past midnight: each becomes one task per day.", plan.split)),
        (plan.by_project, ngettext("{n} entry names no client: its project's name is taken as the client.",
                                   "{n} entries name no client: their project's name is taken as the client.",
                                   plan.by_project)),
        (sheet.cleaned, ngettext("{n} description had invisible characters, which I removed.",
                                 "{n} descriptions had invisible characters, which I removed.", sheet.cleaned)),
    )
    lines.extend(message.format(n=count) for count, message in notes if count)
    if plan.repriced:
        lines.append(ngettext("{n} task bills another amount here than in the file, because the client rounds time "
                              "differently here (line {line}).",
                              "{n} tasks bill another amount here than in the file, because the client rounds time "
                              "differently here (first: line {line}).", len(plan.repriced)).format(
            n=len(plan.repriced), line=plan.repriced[0]))
    if plan.planned and sheet.source == INVOICEBOT:
        lines.append(_("Fixed prices, expenses and rates keep what the file says. Nothing is stored until you press "
                       "Import."))
    elif plan.planned:
        lines.append(_("The work bills at each client's rate. Nothing is stored until you press Import."))
    return "\n".join(lines)


def answer_import_question(ctx: Context, option: dict) -> Reply:
    """The Import or Cancel button under an import's preview (through /pick)."""
    if option["op"] == "import_cancel":
        return Reply(_("Nothing was imported."))
    result = run_import(ctx.session, ctx.account, option["entries"], ctx.now)
    if not result.task_numbers:
        return Reply(_("Nothing new to import: those entries were imported meanwhile."))
    first, last = result.task_numbers[0], result.task_numbers[-1]
    if first == last:
        text = _("Imported one entry as task #{first}.").format(first=first)
    else:  # an entry past midnight is two tasks
        text = ngettext("Imported {n} entry as tasks #{first} to #{last}.",
                        "Imported {n} entries as tasks #{first} to #{last}.", result.entries).format(
            n=result.entries, first=first, last=last)
    if result.skipped:
        text += "\n" + ngettext("{n} entry was left out: imported meanwhile, or its client is gone.",
                                "{n} entries were left out: imported meanwhile, or their client is gone.",
                                result.skipped).format(n=result.skipped)
    return Reply(text + "\n" + _("/tasks shows them; /undo takes the whole import back."))
