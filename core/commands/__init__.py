"""The ordered command table: dispatch, /help, Telegram's menu and the Slack manifest all read it.

``PLAIN_TEXT`` answers a message that is not a command: it is logged as work, like ``/log``.
"""
from __future__ import annotations

from core.commands import clients, expenses, help, invoices, profile, reminders, reports, timers, tokens, work
from core.context import Command, Handler
from core.i18n import N_

COMMANDS: tuple[Command, ...] = (
    Command("start", help.help_, "/start", N_("what I do and how to talk to me")),
    Command("help", help.help_, "/help", N_("the commands and examples")),
    Command("log", work.log, N_("/log PHRASE"), N_("log work (plain text works too)"),
            ("/log 2h logo design for ACME yesterday", "/log €500 website for ACME")),
    Command("tasks", work.tasks, N_("/tasks [CLIENT]"), N_("unbilled work, per client"), ("/tasks", "/tasks ACME")),
    Command("undo", work.undo, "/undo", N_("take back your last change"), ("/undo",)),
    Command("edit", work.edit, N_("/edit ID PHRASE"),
            N_("change a logged task"), ("/edit 12 3h logo design for ACME",)),
    Command("delete", work.delete, N_("/delete ID"), N_("delete a logged task"), ("/delete 12",)),
    Command("timer", timers.timer, N_("/timer PHRASE [since HH:MM]"),
            N_("start a timer for what you work on (/timer shows it, /timer cancel drops it)"),
            ("/timer logo design for ACME", "/timer call with ACME since 09:15", "/timer", "/timer cancel")),
    Command("stop", timers.stop, N_("/stop [at HH:MM]"), N_("stop the timer and log its time"),
            ("/stop", "/stop at 17:30")),
    Command("expense", expenses.expense, N_("/expense AMOUNT WHAT for CLIENT [DATE] [tax N%]"),
            N_("a cost to re-charge to a client, on its invoice in a section of its own (tax N%: its own VAT rate)"),
            ("/expense 45.90 train ticket for ACME yesterday tax 7%", "/expense 120 software licence for ACME")),
    Command("clients", clients.list_clients, "/clients", N_("your clients"), ("/clients",)),
    Command("client", clients.client, N_("/client add NAME [rate 80] [currency EUR] [email …]"),
            N_("add, show or change a client (/client NAME, /client set NAME FIELD VALUE)"),
            ("/client add ACME rate 80 currency EUR", "/client ACME", "/client set ACME rate 90")),
    Command("invoice", invoices.invoice, N_("/invoice CLIENT [until DATE] [preview]"),
            N_("bill a client's unbilled work and send the PDF (/invoice show NUMBER sends it again)"),
            ("/invoice ACME", "/invoice ACME preview", "/invoice ACME until 2026-11-20", "/invoice show INV-2026-0001",
             "/invoice show INV-2026-0001 xml")),
    Command("invoices", invoices.list_invoices, N_("/invoices [CLIENT] [open|overdue|paid|void]"),
            N_("your invoices: open, overdue, paid, void"),
            ("/invoices", "/invoices ACME", "/invoices overdue")),
    Command("paid", invoices.paid, N_("/paid NUMBER [AMOUNT] [DATE]"),
            N_("record a payment, in full or in part (an invoice is paid when its payments reach its total)"),
            ("/paid INV-2026-0001", "/paid INV-2026-0001 200", "/paid INV-2026-0001 2026-11-20")),
    Command("unpaid", invoices.unpaid, N_("/unpaid NUMBER"), N_("take back the last payment recorded on an invoice"),
            ("/unpaid INV-2026-0001",)),
    Command("void", invoices.void, N_("/void NUMBER"),
            N_("cancel an invoice with a credit note (its own number; the work is unbilled again)"),
            ("/void INV-2026-0001",)),
    Command("report", reports.report, "/report [week|month|last month]", N_("hours and amounts per client"),
            ("/report", "/report last month")),
    Command("remind", reminders.remind, N_("/remind daily HH:MM [weekdays]"),
            N_("reminders: daily nudge, weekly digest (/remind weekly DAY HH:MM), /remind overdue, off, on"),
            ("/remind daily 18:00 weekdays", "/remind weekly fri 16:00", "/remind overdue", "/remind off")),
    Command("reminders", reminders.list_reminders, "/reminders", N_("your reminders"), ("/reminders",)),
    Command("again", reminders.again, "/again", N_("log yesterday's work again for today"), ("/again",)),
    Command("profile", profile.profile, N_("/profile [set FIELD VALUE]"),
            N_("your business details for invoices (private chat only)"),
            ("/profile", "/profile set name Jane Doe Design"), private=True),
    Command("tz", profile.tz, N_("/tz ZONE"), N_("your timezone"), ("/tz Europe/Berlin",)),
    Command("language", profile.language, N_("/language [CODE]"),
            N_("the language I answer you in: en, de, fr or es (/language auto: your chat app's)"),
            ("/language de", "/language auto")),
    Command("token", tokens.token, N_("/token new [NAME]"),
            N_("personal tokens for the REST API: /token lists them, /token revoke ID ends one (private chat only)"),
            ("/token new dashboard", "/token", "/token revoke 1")),
    Command("tokens", tokens.list_tokens, "/tokens", N_("your REST API tokens (private chat only)"), ("/tokens",)),
    Command("pick", work.pick, N_("/pick QUESTION OPTION"), N_("answer one of my questions (the buttons send it)")),
)

PLAIN_TEXT: Handler = work.log
