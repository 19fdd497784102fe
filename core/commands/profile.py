"""Chat commands for the business profile and the timezone: /profile, /profile set, /tz."""
from __future__ import annotations

from core import accounts, reminders
from core.addresses import has_postcode_and_city
from core.context import Context
from core.errors import UserError
from core.i18n import _
from core.messages import Reply
from core.models import Profile


def profile(ctx: Context, args: str) -> Reply:
    words = args.split(maxsplit=2)
    if words and words[0].lower() == "set":
        if len(words) < 3:
            raise UserError("Use /profile set FIELD VALUE, with FIELD one of " + ", ".join(accounts.PROFILE_FIELDS) + ".")
        field = accounts.set_profile_field(ctx.session, ctx.account, ctx.cipher, words[1], words[2], ctx.now)
        saved = _saved_value(ctx, field).removesuffix(".")  # a sentence (vat_exempt) ends with its own full stop
        return Reply(f"Saved your {field.replace('_', ' ')}: {saved}.{_after_saving(field, ctx.profile)}", sensitive=True)
    if words:
        raise UserError("Use /profile to see your business profile, or /profile set FIELD VALUE to change it.")
    p = ctx.profile
    rows = [
        ("Name", p.name), ("Address", p.address.replace("\n", ", ") if p.address else None),
        (_("Country"), p.country), ("Email", p.email),
        (_("VAT id"), ctx.cipher.decrypt(p.vat_id_enc)), (_("Tax number"), ctx.cipher.decrypt(p.tax_number_enc)),
        ("Payment", _one_line(ctx.cipher.decrypt(p.payment_enc))),
        ("Currency", p.currency), ("Tax rate", f"{p.tax_rate}%"), (_("VAT exemption"), p.vat_exempt),
        ("Terms", f"{p.terms_days} days"), ("Number format", p.number_format),
        (_("Credit note format"), p.credit_note_format), ("Locale", p.locale), ("Timezone", ctx.account.timezone),
    ]
    body = "\n".join(f"{label}: {value if value else '—'}" for label, value in rows)
    missing = [f for f, v in (("name", p.name), ("address", p.address), ("country", p.country),
                              ("payment", p.payment_enc)) if not v]
    hint = f"\n\nInvoices need these too: {', '.join(missing)} — e.g. /profile set {missing[0]} …" if missing else ""
    return Reply(f"Your business profile:\n{body}{hint}", sensitive=True)


def _one_line(text: str | None) -> str | None:
    return text.replace("\n", ", ") if text else text


_STORED = {"vat_id": "vat_id_enc", "tax_number": "tax_number_enc"}


def _saved_value(ctx: Context, field: str) -> str:
    """What was stored, as /profile shows it (``23%``, ``14 days``, ``USD``), rather than the words typed."""
    p = ctx.profile
    if field in accounts.CLEARABLE_PROFILE_FIELDS and getattr(p, _STORED.get(field, field)) is None:
        return _("none")
    shown = {
        "vat_id": ctx.cipher.decrypt(p.vat_id_enc), "tax_number": ctx.cipher.decrypt(p.tax_number_enc),
        "country": p.country, "vat_exempt": p.vat_exempt, "credit_note_format": p.credit_note_format,
        "payment": "(hidden)", "tax_rate": f"{p.tax_rate}%", "terms": f"{p.terms_days} days",
        "currency": p.currency, "locale": p.locale, "number_format": p.number_format, "email": p.email,
        "name": p.name, "address": (p.address or "").replace("\n", ", "),
    }
    return shown.get(field) or "—"


def _after_saving(field: str, profile: Profile) -> str:
    if field == "currency":
        return " New clients are billed in it; existing ones keep theirs (/client set NAME currency …)."
    if field == "address" and not has_postcode_and_city(profile.address):
        return " " + _("I can't find a postcode and city in it, which e-invoices carry on their own: put them on a "
                       "line of their own, like “Hauptstr. 1 | 10115 Berlin”.")
    if field == "vat_exempt" and profile.vat_exempt:
        return " " + _("Your invoices now charge no VAT and print this sentence instead.")
    return ""


def tz(ctx: Context, args: str) -> Reply:
    if not args.strip():
        return Reply(f"Your timezone is {ctx.account.timezone}. Change it with /tz Europe/Berlin.")
    zone = accounts.set_timezone(ctx.session, ctx.account, args, ctx.now)
    reminders.reschedule(ctx.session, ctx.account, ctx.now)
    return Reply(f"Your timezone is now {zone}; “today” and “yesterday” follow it.")
