"""/start and /help: what the bot does, the commands (read from the command table), three examples."""
from __future__ import annotations

from core.context import Context
from core.i18n import N_, _
from core.messages import Reply

INTRO = N_("I keep track of your billable work and bill your clients. Tell me what you did in plain words and I log "
           "it; /invoice bills a client and sends the PDF.")
# Translators: examples of work phrases, written as a user of your language would type them (the phrase parser
# reads German, French and Spanish); keep the client name ACME.
EXAMPLES = (N_("2h logo design for ACME yesterday"), N_("ACME: 45 minutes email triage"), "/invoice ACME")


def help_(ctx: Context, args: str) -> Reply:
    lines = [_(INTRO), "", _("Commands:")]
    lines += [f"{_(command.usage)} — {_(command.summary)}" for command in ctx.commands if command.name not in ("pick",)]
    lines += ["", _("Try:")] + [f"• {_(example)}" for example in EXAMPLES]
    return Reply("\n".join(lines))
