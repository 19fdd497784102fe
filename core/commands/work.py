"""Chat commands for logging and fixing work: free text, /log, /pick, /undo, /edit, /delete, /tasks."""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from core import clients as clients_service
from core.accounts import format_date
from core.context import Context
from core.errors import UserError
from core.expenses import is_expense, receipt_task_ids
from core.i18n import N_, _, current_language, format_minutes, format_percent, ngettext
from core.imports import IMPORT_KIND
from core.journal import change_group
from core.limits import record_number
from core.messages import Action, Reply
from core.models import Account, Client, PendingChoice, Task
from core.money import Money, format_amounts, format_money
from core.phrases import AmbiguousPhrase, ParsedWork, PhraseError, parse_message, parse_phrase
from core.phrases.grammar import NO_DURATION
from core.tasks import (
    PAGE_SIZE,
    Work,
    billed_minutes,
    delete_task,
    edit_task,
    get_task,
    is_fixed_price,
    log_task,
    task_amount,
    task_rate,
    unbilled_page,
    unbilled_totals,
)
from core.undo import undo_last, undo_task

MAX_CHOICES = 8


def log(ctx: Context, args: str) -> Reply:
    phrase = args.strip()
    if not phrase:
        raise UserError(_("Tell me what you worked on after /log, e.g. /log 2h logo design for ACME yesterday."))
    known = ctx.active_clients()  # read once for the parse and the task
    try:
        readings = parse_message(phrase, now=ctx.now, tz=ctx.tz, clients=[c.name for c in known],
                                 locale=ctx.chosen_locale, language=current_language())
    except AmbiguousPhrase as question:
        options = [(choice.label, _log_option(choice.readings)) for choice in question.choices]
        return ask_choice(ctx, phrase, question.message, options)
    if len(readings) > 1:
        return _log_readings(ctx, phrase, list(readings), known)
    return _log_reading(ctx, phrase, readings[0], known)


def _log_option(readings: Sequence[ParsedWork]) -> dict:
    """A /pick option that logs one reading, or all the entries of one message."""
    if len(readings) == 1:
        return {"op": "log", "reading": _dump(readings[0])}
    return {"op": "log_all", "readings": [_dump(reading) for reading in readings]}


def _log_readings(ctx: Context, phrase: str, readings: list[ParsedWork], known: list[Client] | None = None) -> Reply:
    """Several entries from one message, logged together: one reply lists them all, one Undo takes them back."""
    if known is None:
        known = clients_service.active_clients(ctx.session, ctx.account)
    if any(reading.client is None for reading in readings):
        return _ask_for_clients(ctx, phrase, readings, known)
    with change_group():
        tasks = [log_task(ctx.session, ctx.account, _work(ctx, reading, known), ctx.now) for reading in readings]
    lines = [_("Logged #{number}: {what}").format(number=task.number, what=describe_task(task, ctx.locale))
             for task in tasks]
    numbers = " ".join(str(task.number) for task in tasks)
    return Reply("\n".join(lines), actions=(Action(_("Undo"), f"/undo {numbers}"),))


def _ask_for_clients(ctx: Context, phrase: str, readings: list[ParsedWork], known: list[Client]) -> Reply:
    """Entries of one message without a known client: one question for them all, the others kept as read."""
    missing = [reading for reading in readings if reading.client is None]
    unknown = next((reading.unknown_client for reading in missing if reading.unknown_client), None)
    options: list[tuple[str, dict]] = []
    if unknown:
        question = _("I don't know a client called “{name}”. Shall I add it and log these entries, or is it one of "
                     "yours?").format(name=unknown)
        options.append((_("Add {name}").format(name=unknown), {"op": "add_client_and_log_all", "client": unknown,
                                                               "readings": [_dump(r) for r in readings]}))
    elif known:
        question = _("Which client were these entries for?")
    else:
        raise UserError(_("Which client was this for? You have no clients yet: add one with /client add ACME rate 80, "
                          "then send “{phrase}” again (or name the client in it).").format(phrase=phrase))
    shown, typed = _offered(ctx, known, MAX_CHOICES - len(options), {"op": "log_typed",
                                                                    "readings": [_dump(r) for r in readings]})
    for client in shown:
        filled = [reading if reading.client else replace(reading, client=client.name, unknown_client=None)
                  for reading in readings]
        options.append((client.name, _log_option(filled)))
    return ask_choice(ctx, phrase, question, options, typed)


def _parse(ctx: Context, phrase: str, known: list[Client] | None = None) -> ParsedWork:
    if known is None:
        known = clients_service.active_clients(ctx.session, ctx.account)
    return parse_phrase(phrase, now=ctx.now, tz=ctx.tz, clients=[c.name for c in known], locale=ctx.chosen_locale,
                        language=current_language())


def _log_reading(ctx: Context, phrase: str, reading: ParsedWork, known: list[Client] | None = None) -> Reply:
    if known is None:
        known = clients_service.active_clients(ctx.session, ctx.account)
    if reading.client is None:
        return _ask_for_client(ctx, phrase, reading, known)
    task = log_task(ctx.session, ctx.account, _work(ctx, reading, known), ctx.now)
    return Reply(_("Logged #{number}: {what}").format(number=task.number, what=describe_task(task, ctx.locale)),
                 actions=(Action(_("Undo"), f"/undo {task.number}"),))


def _ask_for_client(ctx: Context, phrase: str, reading: ParsedWork, known: list[Client]) -> Reply:
    """An entry without a known client is kept as a question, never dropped."""
    options: list[tuple[str, dict]] = []
    if reading.unknown_client:
        name = reading.unknown_client
        question = _("I don't know a client called “{name}”. Shall I add it and log this, or is it one of "
                     "yours?").format(name=name)
        options.append((_("Add {name}").format(name=name),
                        {"op": "add_client_and_log", "client": name, "reading": _dump(reading)}))
    elif known:
        question = _("Which client was this for?")
    else:
        raise UserError(_("Which client was this for? You have no clients yet: add one with /client add ACME rate 80, "
                          "then send “{phrase}” again (or name the client in it).").format(phrase=phrase))
    shown, typed = _offered(ctx, known, MAX_CHOICES - len(options), {"op": "log_typed",
                                                                    "readings": [_dump(reading)]})
    for client in shown:
        options.append((client.name, {"op": "log", "reading": _dump(replace(reading, client=client.name,
                                                                            unknown_client=None))}))
    if len(options) == 1 and not known:
        question = _("I don't know a client called “{name}”. Shall I add it and log this?").format(
            name=reading.unknown_client)
    return ask_choice(ctx, phrase, question, options, typed)


def _offered(ctx: Context, known: list[Client], room: int, typed: dict) -> tuple[list[Client], dict | None]:
    """The clients a question has buttons for — all, or when there are more than fit, the likely ones (worked
    for most recently) — and the option that takes a typed name when some are left out."""
    if len(known) <= room:
        return known, None
    return clients_service.likely_clients(ctx.session, ctx.account, known)[:room], typed


def ask_choice(ctx: Context, phrase: str, question: str, options: list[tuple[str, dict]],
               typed: dict | None = None, *, waiting: str | None = None) -> Reply:
    """The question with a button per option; ``typed`` (kept after the buttons' options) lets the answer be a
    client's name typed after /pick, for the clients without a button; ``phrase`` is what /pick answers (the
    command's text); ``waiting`` says what waits for the answer (default: nothing is logged)."""
    stored = [o for _, o in options] + ([typed] if typed else [])
    pending = PendingChoice(account_id=ctx.account.id, text=phrase, options=json.dumps(stored), created_at=ctx.now)
    ctx.session.add(pending)
    ctx.session.flush()
    actions = tuple(Action(label[:60], f"/pick {pending.id} {n}") for n, (label, _) in enumerate(options, 1))
    text = question + " " + (waiting or _("Nothing is logged until you choose."))
    if typed:
        text += " " + _("Not among these? Send /pick {question} and the client's name, e.g. /pick {question} "
                        "{example}.").format(question=pending.id, example=options[-1][0])
    return Reply(text, actions=actions)


def pick(ctx: Context, args: str) -> Reply:
    """The answer to a question the bot asked: ``/pick QUESTION OPTION``."""
    parts = args.split()
    if len(parts) >= 2 and record_number(parts[0]) is not None and not (len(parts) == 2 and parts[1].isdigit()):
        return _pick_typed(ctx, record_number(parts[0]), args.split(None, 1)[1])
    numbers = [record_number(p) for p in parts]
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise UserError(_("Choose one of the buttons under my question (or send /pick QUESTION OPTION)."))
    question, choice = numbers
    pending = _open_question(ctx, question)
    options = [o for o in json.loads(pending.options) if o["op"] not in TYPED]  # those take a typed name
    index = (choice if choice is not None else 0) - 1
    if not 0 <= index < len(options):
        raise UserError(_("That question has options 1 to {last}.").format(last=len(options)))
    pending.answered_at = ctx.now
    option = options[index]
    if option["op"] == "issue_invoice":  # the question /invoice asks before issuing an incomplete invoice
        from core.commands.invoices import answer_issue_question

        return answer_issue_question(ctx, option)
    if option["op"] == "keep_rate":  # the button under /client set NAME rate N
        from core.commands.clients import answer_rate_question

        return answer_rate_question(ctx, option)
    if option["op"].startswith("link_"):  # the question /link CODE asks of a chat with books of its own
        from core.commands.link import answer_link_question

        return answer_link_question(ctx, option)
    if option["op"].startswith("forget"):  # the confirmation /forget me asks
        from core.commands.forget import answer_forget_question

        return answer_forget_question(ctx, option)
    if option["op"].startswith("timer_"):  # the questions /timer asks (which client, stop the running one?)
        from core.commands.timers import answer_timer_question

        return answer_timer_question(ctx, option)
    if option["op"].startswith("import_"):  # the Import / Cancel buttons under an import's preview
        from core.commands.imports import answer_import_question

        return answer_import_question(ctx, option)
    if option["op"] == "log_all":
        return _log_readings(ctx, pending.text, [_load(data) for data in option["readings"]])
    if option["op"] == "add_client_and_log_all":
        client = clients_service.add_client(ctx.session, ctx.account, option["client"], ctx.now)
        readings = [_load(data) for data in option["readings"]]
        readings = [replace(r, client=client.name, unknown_client=None) if r.unknown_client == option["client"]
                    or r.client is None else r for r in readings]
        reply = _log_readings(ctx, pending.text, readings)
        return replace(reply, text=_("Added client {name}.").format(name=client.name) + "\n" + reply.text)
    reading = _load(option["reading"])
    if option["op"] == "add_client_and_log":
        client = clients_service.add_client(ctx.session, ctx.account, option["client"], ctx.now)
        reply = _log_reading(ctx, pending.text, replace(reading, client=client.name, unknown_client=None))
        added = (_("Added client {name}.") if client.rate is not None else
                 _("Added client {name}. Set its rate with /client set {name} rate 80.")).format(name=client.name)
        return replace(reply, text=f"{added}\n{reply.text}")
    if option["op"] == "edit":
        task = get_task(ctx.session, ctx.account, option["task"])
        return _edit_reading(ctx, task, reading)
    return _log_reading(ctx, pending.text, reading)


def _open_question(ctx: Context, question: int | None) -> PendingChoice:
    """The account's question numbered ``question``, still waiting for its answer (/pick by button or by name)."""
    pending = ctx.session.get(PendingChoice, question) if question is not None else None
    if pending is None or pending.account_id != ctx.account.id:
        raise UserError(_("I can't find that question any more; please send your entry again."))
    if pending.answered_at is not None:
        raise UserError(_("You already answered that question."))
    return pending


TYPED = ("log_typed", "timer_typed")
"""The options of a "which client?" question that take a client's name typed after /pick, not a button's number."""


def _pick_typed(ctx: Context, question: int | None, name: str) -> Reply:
    """``/pick QUESTION NAME``: the answer to "which client?" typed as a name, for a client without a button."""
    pending = _open_question(ctx, question)
    typed = next((o for o in json.loads(pending.options) if o.get("op") in TYPED), None)
    if typed is None:
        raise UserError(_("Choose one of the buttons under my question (or send /pick QUESTION OPTION)."))
    client = clients_service.find_client(ctx.session, ctx.account, name,
                                         retry=lambda full: f"/pick {pending.id} {full}")
    pending.answered_at = ctx.now
    if typed["op"] == "timer_typed":  # /timer's question
        from core.commands.timers import answer_timer_question

        return answer_timer_question(ctx, {**typed, "op": "timer_start", "client": client.name})
    readings = [_load(data) for data in typed["readings"]]
    readings = [r if r.client else replace(r, client=client.name, unknown_client=None) for r in readings]
    if len(readings) == 1:
        return _log_reading(ctx, pending.text, readings[0])
    return _log_readings(ctx, pending.text, readings)


UNDONE = {"task.log": N_("Removed #{number}: {what}"), "task.delete": N_("Restored #{number}: {what}"),
          "task.edit": N_("Put back #{number}: {what}")}
"""What /undo says it took back, per kind of change (core.undo.KINDS lists the kinds)."""


def undo(ctx: Context, args: str) -> Reply:
    """``/undo``: the account's last change (a group of them, if made as one); ``/undo N [M …]``: the last change
    of each of those tasks (the Undo button under several entries logged from one message)."""
    if args.strip():  # "/undo 3 4": the Undo button under several entries logged from one message
        undone = [undo_task(ctx.session, ctx.account, ctx.now, _task_number(number)) for number in args.split()]
    else:
        undone = undo_last(ctx.session, ctx.account, ctx.now)
    lines = []
    whole_import = any(item.kind == IMPORT_KIND for item in undone)  # its sentence counts its tasks: no list of each
    for item in undone:
        if item.text is not None:  # a change that is not about one task (a timer, an import)
            lines.append(item.text)
            continue
        if whole_import:
            continue
        assert item.task is not None
        lines.append(_(UNDONE[item.kind]).format(number=item.task.number, what=describe_task(item.task, ctx.locale)))
    return Reply("\n".join(lines))


def edit(ctx: Context, args: str) -> Reply:
    head, _space, phrase = args.strip().partition(" ")
    if not phrase.strip():
        raise UserError(_("Use /edit ID PHRASE, e.g. /edit 12 3h logo design for ACME yesterday."))
    task = get_task(ctx.session, ctx.account, _task_number(head))
    if is_expense(task):
        raise UserError(_("#{number} is an expense, which /edit can't change: delete it with /delete {number} and "
                          "add it again with /expense AMOUNT WHAT for CLIENT.").format(number=task.number))
    try:
        reading = _parse_edit(ctx, task, phrase.strip())
    except AmbiguousPhrase as question:
        options = [(c.label, {"op": "edit", "task": task.number, "reading": _dump(c.reading)}) for c in question.choices]
        return ask_choice(ctx, phrase, question.message, options)
    return _edit_reading(ctx, task, reading)


def _parse_edit(ctx: Context, task: Task, phrase: str) -> ParsedWork:
    """An edit that names no duration or price keeps the task's own (``/edit 12 yesterday``, ``/edit 12 for
    Globex``), as it keeps the date, client and description the phrase leaves out."""
    try:
        return _parse(ctx, phrase)
    except PhraseError as refusal:
        if str(refusal) != _(NO_DURATION):  # both in the reply's language
            raise
    return _parse(ctx, f"{_quantity_words(task)} {phrase}")


def _quantity_words(task: Task) -> str:
    """The task's duration and price written as a phrase in any language gives it: ``90 min``, ``500.00 EUR``,
    ``120 min 500.00 EUR`` (a fixed price with the time spent on it)."""
    words = []
    if task.minutes is not None:
        words.append(f"{task.minutes} min")  # not user text: read back by the parser
    if is_fixed_price(task):
        amount = task_amount(task)
        assert amount is not None
        words.append(f"{amount.amount} {amount.currency}")  # not user text: read back by the parser
    return " ".join(words)


def _edit_reading(ctx: Context, task: Task, reading: ParsedWork) -> Reply:
    if reading.unknown_client:
        raise UserError(_("I don't know a client called “{name}”; add it first with /client add {name}.").format(
            name=reading.unknown_client))
    if reading.client is None:
        reading = replace(reading, client=task.client.name)
    if not reading.dated:
        reading = replace(reading, work_date=task.work_date)
    if not reading.description:
        reading = replace(reading, description=task.description)
    if _keeps_own_rate(task, reading):
        reading = replace(reading, rate=task.rate)
    if _keeps_fixed_price(task, reading):
        amount = task_amount(task)
        assert amount is not None
        reading = replace(reading, amount=amount.amount, currency=amount.currency)
    edit_task(ctx.session, ctx.account, task, _work(ctx, reading), ctx.now)
    return Reply(_("Changed #{number}: {what}").format(number=task.number, what=describe_task(task, ctx.locale)),
                 actions=(Action(_("Undo"), f"/undo {task.number}"),))


def _keeps_own_rate(task: Task, reading: ParsedWork) -> bool:
    """A rate typed with the task (``@ 120/h``) was agreed for that work: correcting its hours must not drop it.

    It stays while the edit names no rate or price of its own and the task stays with the same client."""
    return (task.rate is not None and reading.rate is None and reading.amount is None
            and reading.minutes is not None and reading.client == task.client.name)


def _keeps_fixed_price(task: Task, reading: ParsedWork) -> bool:
    """Correcting the time spent on a fixed price (``€500 2h website``, then ``/edit 1 3h``) keeps the price: the
    price was agreed, the time is a note. A rate in the edit (``/edit 1 3h @ 90/h``) bills it by the hour instead."""
    return (is_fixed_price(task) and task.minutes is not None and reading.minutes is not None
            and reading.rate is None and reading.amount is None and reading.client == task.client.name)


def delete(ctx: Context, args: str) -> Reply:
    if not args.strip():
        raise UserError(_("Use /delete NUMBER, e.g. /delete 12; /tasks shows your tasks with their numbers."))
    task = get_task(ctx.session, ctx.account, _task_number(args))
    delete_task(ctx.session, ctx.account, task, ctx.now)
    return Reply(_("Deleted #{number}: {what}").format(number=task.number, what=describe_task(task, ctx.locale)),
                 actions=(Action(_("Undo"), f"/undo {task.number}"),))


def tasks(ctx: Context, args: str) -> Reply:
    """Unbilled work per client, a page of task lines at a time; each client's totals cover all its unbilled work."""
    client_text, page = _page_of(args)
    client = None
    if client_text:
        client = clients_service.find_client(ctx.session, ctx.account, client_text, retry=lambda n: f"/tasks {n}",
                                             include_archived=True)
    groups = unbilled_totals(ctx.session, ctx.account, client)
    if not groups:
        if client:
            return Reply(_("No unbilled work for {client}. Log some, e.g. “2h design for ACME”.").format(
                client=client.name))
        return Reply(_("No unbilled work. Log some, e.g. “2h design for ACME”."))
    pages = -(-sum(group.count for group in groups) // PAGE_SIZE)
    if page > pages:
        raise UserError(ngettext("There is only {pages} page of unbilled work: send /tasks{client} page {pages}.",
                                 "There are only {pages} pages of unbilled work: send /tasks{client} page {pages}.",
                                 pages).format(pages=pages, client=f" {client.name}" if client else ""))
    found = unbilled_page(ctx.session, ctx.account, groups, page)
    shown: dict[int, list[Task]] = {}
    for task in found:
        shown.setdefault(task.client_id, []).append(task)
    blocks = []
    with_receipt = receipt_task_ids(ctx.session, [task.id for task in found if is_expense(task)])
    for group in groups:
        if group.client.id not in shown:
            continue
        totals = group.totals
        hours = _time_text(totals.minutes, totals.billed_minutes) if totals.minutes else _("no hours")
        head = f"{group.client.name} — {hours}"
        if totals.amounts:
            head += ", " + format_amounts(totals.amounts, ctx.locale)
        lines = [head] + [f"  #{t.number} {format_date(t.work_date, ctx.locale)} · {_quantity(t)} · "
                          f"{t.description or '—'} · {_amount_text(t, ctx.locale)}"
                          + (" · " + _("receipt") if t.id in with_receipt else "") for t in shown[group.client.id]]
        blocks.append("\n".join(lines))
    text = _("Unbilled work:") + "\n" + "\n\n".join(blocks)
    if pages == 1:
        return Reply(text)
    more = f"/tasks {client.name + ' ' if client else ''}page {page + 1}"
    if page < pages:
        text += "\n\n" + _("Page {page} of {pages}; the next one: {command}").format(page=page, pages=pages,
                                                                                   command=more)
        return Reply(text, actions=(Action(_("Next page"), more),))
    text += "\n\n" + _("Page {page} of {pages}").format(page=page, pages=pages)
    return Reply(text)


_PAGE = re.compile(r"^(?P<rest>.*?)\s*\bpage\s+(?P<page>\d{1,6})$", re.IGNORECASE)


def _page_of(args: str) -> tuple[str, int]:
    """``ACME page 3`` → ``("ACME", 3)``; without ``page N``, page 1."""
    match = _PAGE.match(args.strip())
    if match is None:
        return args.strip(), 1
    page = int(match.group("page"))
    if page < 1:
        raise UserError(_("Pages start at 1: send /tasks page 1, or just /tasks."))
    return match.group("rest").strip(), page


def describe_task(task: Task, locale: str) -> str:
    """Exactly what was understood: duration or price, client, date, description, amount at the rate."""
    if is_expense(task):
        return _describe_expense(task, locale)
    text = _("{quantity} for {client} on {date}").format(quantity=_quantity(task), client=task.client.name,
                                                         date=format_date(task.work_date, locale))
    if task.description:
        text += f" — {task.description}"
    return f"{text} — {_amount_text(task, locale)}"


def _describe_expense(task: Task, locale: str) -> str:
    amount = task_amount(task)
    assert amount is not None  # an expense has its amount
    text = _("expense of {amount} for {client} on {date}").format(
        amount=format_money(amount, locale), client=task.client.name, date=format_date(task.work_date, locale))
    if task.description:
        text += f" — {task.description}"
    if task.tax_rate is not None:
        text += " — " + _("VAT {rate}").format(rate=format_percent(task.tax_rate))
    return text


def _quantity(task: Task) -> str:
    if is_expense(task):
        return _("expense")
    if is_fixed_price(task) and task.minutes is not None:  # "€500 2h website": the price bills, the time is noted
        return _("fixed price ({duration} of work)").format(duration=format_minutes(task.minutes))
    if task.minutes is not None:
        return _time_text(task.minutes, billed_minutes(task) or task.minutes)
    return _("fixed price")


def _time_text(logged: int, billed: int) -> str:
    """``7m``, or ``7m (bills 15m)`` where a billing increment rounds the time up."""
    if billed == logged:
        return format_minutes(logged)
    return _("{logged} (bills {billed})").format(logged=format_minutes(logged), billed=format_minutes(billed))


def _amount_text(task: Task, locale: str) -> str:
    amount = task_amount(task)
    if amount is None:
        return _("no rate yet (/client set {client} rate 80)").format(client=task.client.name)
    if is_expense(task) and task.tax_rate is not None:
        return _("{amount}, VAT {rate}").format(amount=format_money(amount, locale), rate=format_percent(task.tax_rate))
    if is_fixed_price(task) or task.minutes is None:  # a fixed price bills as it is
        return format_money(amount, locale)
    rate = task_rate(task)
    assert rate is not None
    return _("{amount} at {rate}/h").format(amount=format_money(amount, locale),
                                            rate=format_money(Money(rate, amount.currency), locale))


def _work(ctx: Context, reading: ParsedWork, known: Sequence[Client] = ()) -> Work:
    return work_for(ctx.session, ctx.account, reading, known)


def work_for(session: Session, account: Account, reading: ParsedWork, known: Sequence[Client] = ()) -> Work:
    """The task's fields from a reading with a client (the chat and the REST API log alike); the client is taken
    from ``known`` when the caller has the list already."""
    assert reading.client is not None
    found = next((c for c in known if c.name == reading.client), None)
    client = clients_service.attached(session, found) if found is not None \
        else clients_service.find_client(session, account, reading.client)
    fixed = None
    if reading.amount is not None:
        fixed = Money(reading.amount, reading.currency or client.currency).rounded()
        if fixed.currency != client.currency:
            # One invoice has one currency: a price in another would block /invoice for the whole client.
            raise UserError(_("{client} is billed in {currency}, so a price in {other} can't go on its invoices. Give "
                              "the price in {currency}, or first change the client's currency with /client set "
                              "{client} currency {other}.").format(client=client.name, currency=client.currency,
                                                                   other=fixed.currency))
    if reading.rate is not None and reading.rate_currency not in (None, client.currency):
        raise UserError(rate_currency_refusal(client, reading.rate_currency))
    return Work(client=client, work_date=reading.work_date, minutes=reading.minutes, fixed_amount=fixed,
                rate=reading.rate, description=reading.description)


def rate_currency_refusal(client: Client, other: str | None) -> str:
    """Why a rate in another currency than the client's is refused, the way a price in one is."""
    return _("{client} is billed in {currency}, so a rate in {other} can't go on its invoices. Give the rate in "
             "{currency}, or first change the client's currency with /client set {client} currency {other}.").format(
        client=client.name, currency=client.currency, other=other)


def _task_number(text: str) -> int:
    cleaned = text.strip().lstrip("#")
    number = record_number(cleaned)
    if number is not None:
        return number
    if cleaned.isascii() and cleaned.isdigit():  # past any task's number (and the column's range)
        raise UserError(_("There is no task #{number}. /tasks lists your unbilled work with its numbers.").format(
            number=cleaned))
    raise UserError(_("“{text}” is not a task number; /tasks shows them (e.g. #12).").format(text=text.strip()))


def _dump(reading: ParsedWork) -> dict:
    data = asdict(reading)
    data["work_date"] = reading.work_date.isoformat()
    for key in ("amount", "rate"):
        if data[key] is not None:
            data[key] = str(data[key])
    return data


def _load(data: dict) -> ParsedWork:
    values = dict(data)
    values["work_date"] = date.fromisoformat(values["work_date"])
    for key in ("amount", "rate"):
        if values.get(key) is not None:
            values[key] = Decimal(values[key])
    return ParsedWork(**values)
