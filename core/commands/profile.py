"""Chat commands for the business profile and the account's settings: /profile, /profile set, /tz, /language."""
from __future__ import annotations

from core import accounts, languages, reminders
from core.context import Context
from core.errors import UserError
from core.i18n import _, format_percent, language_of, ngettext, pgettext, use_language
from core.messages import Reply


def profile(ctx: Context, args: str) -> Reply:
    words = args.split(maxsplit=2)
    if words and words[0].lower() == "set":
        if len(words) < 3:
            raise UserError(_("Use /profile set FIELD VALUE, with FIELD one of {fields}.").format(
                fields=", ".join(accounts.PROFILE_FIELDS)))
        field = accounts.set_profile_field(ctx.profile, ctx.cipher, words[1], words[2])
        text = _("Saved your {field}: {value}.").format(field=_field_name(field), value=_saved_value(ctx, field))
        if field == "currency":
            text += " " + _("New clients are billed in it; existing ones keep theirs (/client set NAME currency …).")
        return Reply(text, sensitive=True)
    if words:
        raise UserError(_("Use /profile to see your business profile, or /profile set FIELD VALUE to change it."))
    p = ctx.profile
    rows = [
        (pgettext("profile field", "Name"), p.name),
        (pgettext("profile field", "Address"), p.address.replace("\n", ", ") if p.address else None),
        (pgettext("profile field", "Email"), p.email),
        (pgettext("profile field", "Tax id"), ctx.cipher.decrypt(p.tax_id_enc)),
        (pgettext("profile field", "Payment"), _one_line(ctx.cipher.decrypt(p.payment_enc))),
        (pgettext("profile field", "Currency"), p.currency),
        (pgettext("profile field", "Tax rate"), format_percent(p.tax_rate)),
        (pgettext("profile field", "Terms"), _days(p.terms_days)),
        (pgettext("profile field", "Number format"), p.number_format),
        (pgettext("profile field", "Locale"), p.locale),
        (pgettext("profile field", "Timezone"), ctx.account.timezone),
        (pgettext("profile field", "Language"), _language_setting(ctx)),
    ]
    # Translators: one line of /profile, e.g. "Currency: EUR"
    body = "\n".join(_("{label}: {value}").format(label=label, value=value or "—") for label, value in rows)
    text = _("Your business profile:") + "\n" + body
    missing = [f for f, v in (("name", p.name), ("address", p.address), ("payment", p.payment_enc)) if not v]
    if missing:
        text += "\n\n" + _("Invoices need these too: {fields} — e.g. /profile set {first} …").format(
            fields=", ".join(missing), first=missing[0])
    return Reply(text, sensitive=True)


def _one_line(text: str | None) -> str | None:
    return text.replace("\n", ", ") if text else text


def _days(days: int) -> str:
    return ngettext("{n} day", "{n} days", days).format(n=days)


def _field_name(field: str) -> str:
    """A profile field as a reply names it ("Saved your tax rate: 19%")."""
    names = {
        "name": pgettext("saved profile field", "name"), "address": pgettext("saved profile field", "address"),
        "email": pgettext("saved profile field", "email"), "tax_id": pgettext("saved profile field", "tax id"),
        "payment": pgettext("saved profile field", "payment"),
        "currency": pgettext("saved profile field", "currency"),
        "tax_rate": pgettext("saved profile field", "tax rate"),
        "terms": pgettext("saved profile field", "terms"),
        "number_format": pgettext("saved profile field", "number format"),
        "locale": pgettext("saved profile field", "locale"),
    }
    return names.get(field, field)


def _saved_value(ctx: Context, field: str) -> str:
    """What was stored, as /profile shows it (``23%``, ``14 days``, ``USD``), rather than the words typed."""
    p = ctx.profile
    shown = {
        "tax_id": _("(hidden)"), "payment": _("(hidden)"), "tax_rate": format_percent(p.tax_rate),
        "terms": _days(p.terms_days), "currency": p.currency, "locale": p.locale, "number_format": p.number_format,
        "email": p.email, "name": p.name, "address": (p.address or "").replace("\n", ", "),
    }
    return shown.get(field) or "—"


def _language_setting(ctx: Context) -> str:
    """``German (chosen with /language)`` or ``English (your chat app's)``."""
    name = languages.language_name(ctx.language)
    if ctx.account.language:
        return _("{language} (chosen with /language)").format(language=name)
    if language_of(ctx.account.platform_locale):
        return _("{language} (your chat app's)").format(language=name)
    return name


def tz(ctx: Context, args: str) -> Reply:
    if not args.strip():
        return Reply(_("Your timezone is {zone}. Change it with /tz Europe/Berlin.").format(zone=ctx.account.timezone))
    zone = accounts.set_timezone(ctx.account, args)
    reminders.reschedule(ctx.session, ctx.account, ctx.now)
    return Reply(_("Your timezone is now {zone}; “today” and “yesterday” follow it.").format(zone=zone))


def language(ctx: Context, args: str) -> Reply:
    """``/language de`` answers in German from now on (this very reply included); ``/language auto`` follows the
    chat app again; ``/language`` says which language is in use and why."""
    if not args.strip():
        return Reply(_("I answer you in {setting}. Change it with /language en, de, fr or es; /language auto follows "
                       "your chat app's language.").format(setting=_language_setting(ctx)))
    chosen = languages.parse_language(args)
    ctx.account.language = chosen
    language = languages.reply_language(ctx.account)
    with use_language(language, languages.reply_locale(ctx.account, language)):
        if chosen is None:
            return Reply(_("I follow your chat app's language again: {language}.").format(
                language=languages.language_name(language)))
        return Reply(_("From now on I answer you in {language}. Invoices are written in it too, unless a client has "
                       "its own (/client set NAME language de).").format(language=languages.language_name(language)))
