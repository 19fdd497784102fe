"""Chat commands for the business profile and the timezone: /profile, /profile set, /tz."""
from __future__ import annotations

from core import accounts, reminders
from core.context import Context
from core.errors import UserError
from core.messages import Reply


def profile(ctx: Context, args: str) -> Reply:
    words = args.split(maxsplit=2)
    if words and words[0].lower() == "set":
        if len(words) < 3:
            raise UserError("Use /profile set FIELD VALUE, with FIELD one of " + ", ".join(accounts.PROFILE_FIELDS) + ".")
        field = accounts.set_profile_field(ctx.session, ctx.account, ctx.cipher, words[1], words[2], ctx.now)
        return Reply(f"Saved your {field.replace('_', ' ')}: {_saved_value(ctx, field)}.{_after_saving(field)}",
                     sensitive=True)
    if words:
        raise UserError("Use /profile to see your business profile, or /profile set FIELD VALUE to change it.")
    p = ctx.profile
    rows = [
        ("Name", p.name), ("Address", p.address.replace("\n", ", ") if p.address else None), ("Email", p.email),
        ("Tax id", ctx.cipher.decrypt(p.tax_id_enc)), ("Payment", _one_line(ctx.cipher.decrypt(p.payment_enc))),
        ("Currency", p.currency), ("Tax rate", f"{p.tax_rate}%"), ("Terms", f"{p.terms_days} days"),
        ("Number format", p.number_format), ("Locale", p.locale), ("Timezone", ctx.account.timezone),
    ]
    body = "\n".join(f"{label}: {value if value else '—'}" for label, value in rows)
    missing = [f for f, v in (("name", p.name), ("address", p.address), ("payment", p.payment_enc)) if not v]
    hint = f"\n\nInvoices need these too: {', '.join(missing)} — e.g. /profile set {missing[0]} …" if missing else ""
    return Reply(f"Your business profile:\n{body}{hint}", sensitive=True)


def _one_line(text: str | None) -> str | None:
    return text.replace("\n", ", ") if text else text


def _saved_value(ctx: Context, field: str) -> str:
    """What was stored, as /profile shows it (``23%``, ``14 days``, ``USD``), rather than the words typed."""
    p = ctx.profile
    shown = {
        "tax_id": "(hidden)", "payment": "(hidden)", "tax_rate": f"{p.tax_rate}%", "terms": f"{p.terms_days} days",
        "currency": p.currency, "locale": p.locale, "number_format": p.number_format, "email": p.email,
        "name": p.name, "address": (p.address or "").replace("\n", ", "),
    }
    return shown.get(field) or "—"


def _after_saving(field: str) -> str:
    if field == "currency":
        return " New clients are billed in it; existing ones keep theirs (/client set NAME currency …)."
    return ""


def tz(ctx: Context, args: str) -> Reply:
    if not args.strip():
        return Reply(f"Your timezone is {ctx.account.timezone}. Change it with /tz Europe/Berlin.")
    zone = accounts.set_timezone(ctx.session, ctx.account, args, ctx.now)
    reminders.reschedule(ctx.session, ctx.account, ctx.now)
    return Reply(f"Your timezone is now {zone}; “today” and “yesterday” follow it.")
