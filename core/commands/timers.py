"""Chat commands for timers: /timer PHRASE [since HH:MM], /timer, /timer cancel, /stop [at HH:MM].

The phrase says client and description as a logged phrase does (SPEC §5), without a duration: the timer measures
it. A phrase naming an unknown client, no client, or two, is a question whose answers start the timer at the
moment it was asked. Starting while a timer runs asks whether to stop the running one first.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from core import clients as clients_service
from core import timers as service
from core.commands.questions import keep_question
from core.commands.work import ask_choice, describe_task, rate_currency_refusal
from core.context import Context
from core.errors import UserError
from core.i18n import _, current_language, format_minutes
from core.journal import change_group
from core.messages import Action, Reply
from core.models import Client, Timer
from core.phrases import AmbiguousPhrase, ParsedWork, PhraseError, parse_phrase
from core.phrases.grammar import NO_DURATION

MAX_CHOICES = 8
SINCE = re.compile(r"\s+(?:since|seit|depuis|desde)\s+(\S+)\s*$", re.IGNORECASE)
"""``since 09:12`` closing the phrase (the command words of the languages phrases are read in)."""
AT = re.compile(r"^\s*(?:at|um|à|a)\s+(\S+)\s*$", re.IGNORECASE)
PLACEHOLDER = "1h "
"""Put before the phrase so the phrase parser, which wants a duration, reads the rest; the duration is dropped."""


def timer(ctx: Context, args: str) -> Reply:
    text = args.strip()
    if not text:
        return _show(ctx)
    first, _space, rest = text.partition(" ")
    if first.lower() == "cancel" and not rest.strip():
        return _cancel(ctx)
    if first.lower() == "stop":
        return stop(ctx, rest)
    phrase, since = text, None
    match = SINCE.search(text)
    if match:
        phrase, since = text[:match.start()].strip(), match.group(1)
    if not phrase:
        raise UserError(_("What are you working on, and for whom? E.g. /timer logo design for ACME."))
    started_at = ctx.now if since is None else service.instant_today(service.parse_clock_time(since), ctx.now, ctx.tz)
    return _start_phrase(ctx, phrase, started_at)


def stop(ctx: Context, args: str) -> Reply:
    """``/stop``: log the running timer's time until now; ``/stop at 17:30``: until then (today)."""
    text = args.strip()
    stopped_at = ctx.now
    if text:
        match = AT.match(text)
        if match is None:
            raise UserError(_("Use /stop, or /stop at HH:MM for a time earlier today, e.g. /stop at 17:30."))
        running = service.running_timer(ctx.session, ctx.account)
        stopped_at = service.instant_today(service.parse_clock_time(match.group(1)), ctx.now, ctx.tz,
                                           not_before=running.started_at if running is not None else None)
    task, minutes = service.stop_timer(ctx.session, ctx.account, stopped_at, ctx.now, ctx.tz)
    text = _("Stopped the timer after {duration}.").format(duration=format_minutes(minutes)) + "\n" + \
        _("Logged #{number}: {what}").format(number=task.number, what=describe_task(task, ctx.locale))
    return Reply(text, actions=(Action(_("Undo"), f"/undo {task.number}"),))


def _show(ctx: Context) -> Reply:
    running = service.running_timer(ctx.session, ctx.account)
    if running is None:
        return Reply(_("No timer is running. Start one with /timer logo design for ACME."))
    elapsed = format_minutes(service.elapsed_minutes(running.started_at, ctx.now))
    return Reply(_("Timer running since {start} ({elapsed}): {what}.").format(
        start=service.format_instant(running.started_at, ctx.tz, ctx.now), elapsed=elapsed, what=_what(running)),
        actions=_running_actions())


def _cancel(ctx: Context) -> Reply:
    cancelled = service.cancel_timer(ctx.session, ctx.account, ctx.now)
    return Reply(_("Cancelled the timer for {what}, running since {start}; nothing was logged. /undo brings it "
                   "back.").format(what=_what(cancelled), start=service.format_instant(cancelled.started_at, ctx.tz,
                                                                                       ctx.now)))


def _running_actions() -> tuple[Action, ...]:
    return Action(_("Stop"), "/stop"), Action(_("Cancel timer"), "/timer cancel")


def _what(timer: Timer) -> str:
    if timer.description:
        return _("{client} — {description}").format(client=timer.client.name, description=timer.description)
    return timer.client.name


# Reading the phrase.


def _start_phrase(ctx: Context, phrase: str, started_at: datetime) -> Reply:
    known = clients_service.active_clients(ctx.session, ctx.account)
    names = [client.name for client in known]
    _refuse_a_duration(ctx, phrase, names)
    try:
        reading = _parse(ctx, PLACEHOLDER + phrase, names)
    except AmbiguousPhrase as question:
        if any(choice.reading.minutes != 60 or choice.reading.amount is not None for choice in question.choices):
            raise _duration_refusal() from None  # the question is about time words in the phrase
        options = [(choice.label, _start_option(choice.reading, started_at)) for choice in question.choices]
        return _ask(ctx, phrase, question.message, options)
    if reading.minutes != 60 or reading.amount is not None:
        raise _duration_refusal()
    if reading.dated:
        raise UserError(_("A timer runs today: leave out the day (/timer logo design for ACME), or give the time it "
                          "started with since 09:15. To log another day's work, send it as a phrase: “2h logo "
                          "design for ACME yesterday”."))
    if reading.client is None:
        return _ask_for_client(ctx, phrase, reading, known, started_at)
    return begin(ctx, _start_option(reading, started_at))


def _parse(ctx: Context, phrase: str, names: list[str]) -> ParsedWork:
    return parse_phrase(phrase, now=ctx.now, tz=ctx.tz, clients=names, locale=ctx.chosen_locale,
                        language=current_language())


def _refuse_a_duration(ctx: Context, phrase: str, names: list[str]) -> None:
    """A phrase that already holds a duration or a price is not a timer's: say how to log it instead."""
    try:
        _parse(ctx, phrase, names)
    except PhraseError as refusal:
        if str(refusal) == _(NO_DURATION):
            return
        raise
    except AmbiguousPhrase:
        pass  # only a phrase with a duration or price gets far enough to ask
    raise _duration_refusal()


def _duration_refusal() -> UserError:
    return UserError(_("A timer measures the time itself: give what you work on and for whom, without a duration "
                       "(/timer logo design for ACME). To log time you already know, just send it: “2h logo design "
                       "for ACME”."))


def _start_option(reading: ParsedWork, started_at: datetime) -> dict:
    return {"op": "timer_start", "client": reading.client, "description": reading.description,
            "rate": str(reading.rate) if reading.rate is not None else None, "rate_currency": reading.rate_currency,
            "started_at": started_at.isoformat()}


def _ask_for_client(ctx: Context, phrase: str, reading: ParsedWork, known: list[Client],
                    started_at: datetime) -> Reply:
    """A timer without a known client is a question, never a guess; the answer starts it when it was asked."""
    options: list[tuple[str, dict]] = []
    if reading.unknown_client:
        name = reading.unknown_client
        question = _("I don't know a client called “{name}”. Shall I add it and start the timer, or is it one of "
                     "yours?").format(name=name)
        options.append((_("Add {name}").format(name=name),
                        {**_start_option(reading, started_at), "op": "timer_add_client", "client": name}))
    elif known:
        question = _("Which client is this timer for?")
    else:
        raise UserError(_("Which client is this timer for? You have no clients yet: add one with /client add ACME "
                          "rate 80, then send /timer {phrase} for ACME.").format(phrase=phrase))
    room = MAX_CHOICES - len(options)
    shown = known if len(known) <= room else clients_service.likely_clients(ctx.session, ctx.account, known)[:room]
    typed = {**_start_option(reading, started_at), "op": "timer_typed"} if len(shown) < len(known) else None
    for client in shown:
        options.append((client.name, _start_option(replace(reading, client=client.name), started_at)))
    return _ask(ctx, phrase, question, options, typed)


def _ask(ctx: Context, phrase: str, question: str, options: list[tuple[str, dict]],
         typed: dict | None = None) -> Reply:
    """The question with a button per option, answered by /pick; no timer starts until then."""
    return ask_choice(ctx, f"/timer {phrase}", question, options, typed,
                      waiting=_("No timer starts until you choose."))


# Starting, and the questions on the way.


def begin(ctx: Context, option: dict) -> Reply:
    """Start the timer ``option`` describes — or, while another runs, ask whether to stop that one first."""
    client = clients_service.find_client(ctx.session, ctx.account, option["client"], include_archived=True)
    if option.get("rate") is not None and option.get("rate_currency") not in (None, client.currency):
        raise UserError(rate_currency_refusal(client, option["rate_currency"]))
    started_at = datetime.fromisoformat(option["started_at"])
    running = service.running_timer(ctx.session, ctx.account)
    if running is not None and started_at < running.started_at:
        raise UserError(_("Your running timer started at {start}, after {time}: stop it first (/stop), or start the "
                          "new one later.").format(start=service.format_instant(running.started_at, ctx.tz, ctx.now),
                                                   time=service.format_instant(started_at, ctx.tz, ctx.now)))
    if running is not None:
        switch = {**option, "op": "timer_switch", "client": client.name, "running": running.id}
        pending_id = keep_question(ctx, "/timer", [switch, {"op": "timer_keep"}])
        question = _("Your timer for {what} is running since {start}. Stop it (logging its time) and start the new "
                     "one for {client}?").format(what=_what(running), client=client.name,
                                                 start=service.format_instant(running.started_at, ctx.tz, ctx.now))
        return Reply(question, actions=(Action(_("Stop it, start the new one"), f"/pick {pending_id} 1"),
                                        Action(_("Keep it running"), f"/pick {pending_id} 2")))
    return _started(ctx, _start(ctx, client, option, started_at))


def _start(ctx: Context, client: Client, option: dict, started_at: datetime) -> Timer:
    work = service.TimerWork(client, option.get("description"),
                             Decimal(option["rate"]) if option.get("rate") is not None else None)
    return service.start_timer(ctx.session, ctx.account, work, started_at, ctx.now)


def _started(ctx: Context, started: Timer, before: str = "") -> Reply:
    text = _("Timer started at {start}: {what}. /stop logs the time when you are done; /timer shows it.").format(
        start=service.format_instant(started.started_at, ctx.tz, ctx.now), what=_what(started))
    return Reply(f"{before}\n{text}" if before else text, actions=_running_actions())


def answer_timer_question(ctx: Context, option: dict) -> Reply:
    """The answer to one of this module's questions (through /pick)."""
    if option["op"] == "timer_keep":
        running = service.running_timer(ctx.session, ctx.account)
        if running is None:
            return Reply(_("Nothing was started."))
        return Reply(_("Kept your timer for {what} running; nothing new was started.").format(what=_what(running)),
                     actions=_running_actions())
    if option["op"] == "timer_add_client":
        client = clients_service.add_client(ctx.session, ctx.account, option["client"], ctx.now)
        reply = begin(ctx, {**option, "client": client.name})
        return replace(reply, text=_("Added client {name}.").format(name=client.name) + "\n" + reply.text)
    if option["op"] == "timer_switch":
        return _switch(ctx, option)
    return begin(ctx, option)


def _switch(ctx: Context, option: dict) -> Reply:
    """Stop the running timer where the new one starts and start the new one: one change, one /undo."""
    running = service.running_timer(ctx.session, ctx.account)
    if running is None or running.id != option["running"]:
        return begin(ctx, option)  # the first one was stopped meanwhile: nothing to switch from
    switch_at = datetime.fromisoformat(option["started_at"])
    client = clients_service.find_client(ctx.session, ctx.account, option["client"], include_archived=True)
    with change_group():
        task, minutes = service.stop_timer(ctx.session, ctx.account, switch_at, ctx.now, ctx.tz)
        started = _start(ctx, client, option, switch_at)
    stopped = _("Stopped the timer after {duration}.").format(duration=format_minutes(minutes)) + "\n" + \
        _("Logged #{number}: {what}").format(number=task.number, what=describe_task(task, ctx.locale))
    return _started(ctx, started, stopped)
