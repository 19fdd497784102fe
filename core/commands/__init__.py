"""The ordered command table: dispatch, /help, Telegram's menu and the Slack manifest all read it.

``PLAIN_TEXT`` answers a message that is not a command: it is logged as work, like ``/log``.
"""
from __future__ import annotations

from importlib import import_module

from core.context import Command, Context, Handler
from core.i18n import N_
from core.limits import MAX_IMPORT_BYTES, MAX_RECEIPT_BYTES
from core.messages import Reply


class Deferred:
    """A command's handler, imported at its first call: reading the table (/help, Telegram's menu, the Slack
    manifest) then doesn't load every command module and the services behind them, a tenth of a second of CPU
    at every start (tests/test_startup.py)."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module = f"core.commands.{module}"
        self.name = name

    def __call__(self, ctx: Context, args: str) -> Reply:
        return self.load()(ctx, args)

    def load(self) -> Handler:
        """The handler itself (looked up at each call, so a test's monkeypatch of it is seen)."""
        handler: Handler = getattr(import_module(self.module), self.name)
        return handler

    def __repr__(self) -> str:
        return f"{self.module}.{self.name}"


COMMANDS: tuple[Command, ...] = (
    Command("start", Deferred("help", "help_"), "/start", N_("what I do and how to talk to me")),
    Command("help", Deferred("help", "help_"), "/help", N_("the commands and examples")),
    Command("log", Deferred("work", "log"), N_("/log PHRASE"), N_("log work (plain text works too)"),
            ("/log 2h logo design for ACME yesterday", "/log €500 website for ACME")),
    Command("tasks", Deferred("work", "tasks"), N_("/tasks [CLIENT]"), N_("unbilled work, per client"),
            ("/tasks", "/tasks ACME")),
    Command("undo", Deferred("work", "undo"), "/undo", N_("take back your last change"), ("/undo",)),
    Command("edit", Deferred("work", "edit"), N_("/edit ID PHRASE"),
            N_("change a logged task"), ("/edit 12 3h logo design for ACME",)),
    Command("delete", Deferred("work", "delete"), N_("/delete ID"), N_("delete a logged task"), ("/delete 12",)),
    Command("timer", Deferred("timers", "timer"), N_("/timer PHRASE [since HH:MM]"),
            N_("start a timer for what you work on (/timer shows it, /timer cancel drops it)"),
            ("/timer logo design for ACME", "/timer call with ACME since 09:15", "/timer", "/timer cancel")),
    Command("stop", Deferred("timers", "stop"), N_("/stop [at HH:MM]"), N_("stop the timer and log its time"),
            ("/stop", "/stop at 17:30")),
    Command("expense", Deferred("expenses", "expense"), N_("/expense AMOUNT WHAT for CLIENT [DATE] [tax N%]"),
            N_("a cost to re-charge to a client, on its invoice in a section of its own (tax N%: its own VAT rate)"),
            ("/expense 45.90 train ticket for ACME yesterday tax 7%", "/expense 120 software licence for ACME"),
            file_limit=MAX_RECEIPT_BYTES),
    Command("clients", Deferred("clients", "list_clients"), "/clients", N_("your clients"), ("/clients",)),
    Command("client", Deferred("clients", "client"), N_("/client add NAME [rate 80] [currency EUR] [email …]"),
            N_("add, show or change a client (/client NAME, /client set NAME FIELD VALUE)"),
            ("/client add ACME rate 80 currency EUR", "/client ACME", "/client set ACME rate 90")),
    Command("invoice", Deferred("invoices", "invoice"), N_("/invoice CLIENT [until DATE] [discount N%|AMOUNT] [preview]"),
            N_("bill a client's unbilled work and send the PDF (/invoice show NUMBER sends it again)"),
            ("/invoice ACME", "/invoice ACME preview", "/invoice ACME until 2026-11-20", "/invoice ACME discount 10%", "/invoice show INV-2026-0001",
             "/invoice show INV-2026-0001 xml", "/invoice ACME send"),
            head_start=Deferred("invoices", "invoice_head_start")),
    Command("send", Deferred("mail", "send"), N_("/send NUMBER [to EMAIL]"),
            N_("e-mail an invoice to its client, again, or to EMAIL (/send NUMBER reminder: a payment reminder)"),
            ("/send INV-2026-0001", "/send INV-2026-0001 to billing@acme.example", "/send INV-2026-0001 reminder")),
    Command("invoices", Deferred("invoices", "list_invoices"), N_("/invoices [CLIENT] [open|overdue|paid|void]"),
            N_("your invoices: open, overdue, paid, void"),
            ("/invoices", "/invoices ACME", "/invoices overdue")),
    Command("paid", Deferred("invoices", "paid"), N_("/paid NUMBER [AMOUNT] [DATE]"),
            N_("record a payment, in full or in part (an invoice is paid when its payments reach its total)"),
            ("/paid INV-2026-0001", "/paid INV-2026-0001 200", "/paid INV-2026-0001 2026-11-20")),
    Command("unpaid", Deferred("invoices", "unpaid"), N_("/unpaid NUMBER"),
            N_("take back the last payment recorded on an invoice"),
            ("/unpaid INV-2026-0001",)),
    Command("void", Deferred("invoices", "void"), N_("/void NUMBER"),
            N_("cancel an invoice with a credit note (its own number; the work is unbilled again)"),
            ("/void INV-2026-0001",), head_start=Deferred("invoices", "void_head_start")),
    Command("recurring", Deferred("recurring", "recurring"), N_("/recurring CLIENT monthly DAY AMOUNT WHAT"),
            N_("a retainer: a fixed-price invoice issued every month (or weekly WEEKDAY); /recurring lists, "
               "/recurring off ID stops"),
            ("/recurring ACME monthly 1 500 website care", "/recurring ACME weekly fri 120 support", "/recurring",
             "/recurring off 1")),
    Command("report", Deferred("reports", "report"), N_("/report [week|month|last month|quarter|year|DATE..DATE]"),
            N_("hours and amounts per client: unbilled, billed, paid, outstanding; totals and a chart"),
            ("/report", "/report last month", "/report quarter", "/report 2026-11-01..2026-11-15")),
    Command("export", Deferred("exports", "export"), N_("/export tasks|invoices [week|month|last month|year]"),
            N_("your tasks or invoices as a CSV file (private chat only)"),
            ("/export tasks month", "/export invoices year"), private=True),
    Command("import", Deferred("imports", "import_"), "/import",
            N_("a Toggl Track or Clockify CSV export sent as a file with /import: previewed, then added"),
            ("/import",), private=True, file_limit=MAX_IMPORT_BYTES),
    Command("remind", Deferred("reminders", "remind"), N_("/remind daily HH:MM [weekdays]"),
            N_("reminders: daily nudge, weekly digest (/remind weekly DAY HH:MM), /remind overdue, off, on"),
            ("/remind daily 18:00 weekdays", "/remind weekly fri 16:00", "/remind overdue", "/remind off")),
    Command("reminders", Deferred("reminders", "list_reminders"), "/reminders", N_("your reminders"), ("/reminders",)),
    Command("again", Deferred("reminders", "again"), "/again", N_("log yesterday's work again for today"), ("/again",)),
    Command("profile", Deferred("profile", "profile"), N_("/profile [set FIELD VALUE]"),
            N_("your business details for invoices (private chat only)"),
            ("/profile", "/profile set name Jane Doe Design"), private=True),
    Command("tz", Deferred("profile", "tz"), N_("/tz ZONE"), N_("your timezone"), ("/tz Europe/Berlin",)),
    Command("language", Deferred("profile", "language"), N_("/language [CODE]"),
            N_("the language I answer you in: en, de, fr or es (/language auto: your chat app's)"),
            ("/language de", "/language auto")),
    Command("link", Deferred("link", "link"), N_("/link [CODE]"),
            N_("use these books from another chat: /link gives a code, /link CODE typed there joins it (private "
               "chat only)"), ("/link", "/link K7QM-2XR9PW"), private=True),
    Command("unlink", Deferred("link", "unlink"), "/unlink",
            N_("this chat leaves the books it shares with your other chats (private chat only)"),
            ("/unlink",), private=True),
    Command("token", Deferred("tokens", "token"), N_("/token new [NAME]"),
            N_("personal tokens for the REST API: /token lists them, /token revoke ID ends one (private chat only)"),
            ("/token new dashboard", "/token", "/token revoke 1"), private=True),
    Command("tokens", Deferred("tokens", "list_tokens"), "/tokens", N_("your REST API tokens (private chat only)"),
            ("/tokens",), private=True),
    Command("forget", Deferred("forget", "forget"), "/forget me",
            N_("delete everything I keep for you, after a confirmation (private chat only)"), ("/forget me",),
            private=True),
    Command("pick", Deferred("work", "pick"), N_("/pick QUESTION OPTION"),
            N_("answer one of my questions (the buttons send it)")),
)

PLAIN_TEXT: Handler = Deferred("work", "log")


def load_handlers(commands: tuple[Command, ...] = COMMANDS) -> None:
    """Import every deferred command module now: a server does it in the background at start (bot/run.py), so no
    user's first command waits for its module."""
    for command in commands:
        if isinstance(command.handler, Deferred):
            command.handler.load()
