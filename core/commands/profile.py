"""Chat commands for the business profile and the account's settings: /profile, /profile set, /tz, /language."""
from __future__ import annotations

from core import accounts, languages, reminders
from core.addresses import has_postcode_and_city
from core.context import Context
from core.errors import UserError
from core.i18n import _, format_percent, language_of, ngettext, pgettext, use_language
from core.messages import Reply
from core.models import Profile
from core.tasks import describe_rounding
from core.timezones import describe_zone, fixed_offset_warning


def profile(ctx: Context, args: str) -> Reply:
    words = args.split(maxsplit=2)
    if words and words[0].lower() == "set":
        if len(words) < 3:
            raise UserError(_("Use /profile set FIELD VALUE, with FIELD one of {fields}.").format(
                fields=", ".join(accounts.PROFILE_FIELDS)))
        field = accounts.set_profile_field(ctx.session, ctx.account, ctx.cipher, words[1], words[2], ctx.now)
        saved = _saved_value(ctx, field).removesuffix(".")  # a sentence (vat_exempt) ends with its own full stop
        text = _("Saved your {field}: {value}.").format(field=_field_name(field), value=saved)
        after = _after_saving(field, ctx.profile)
        return Reply(f"{text} {after}" if after else text, sensitive=True)
    if words:
        raise UserError(_("Use /profile to see your business profile, or /profile set FIELD VALUE to change it."))
    p = ctx.profile
    rows = [
        (pgettext("profile field", "Name"), p.name),
        (pgettext("profile field", "Address"), p.address.replace("\n", ", ") if p.address else None),
        (pgettext("profile field", "Country"), p.country),
        (pgettext("profile field", "Email"), p.email),
        (pgettext("profile field", "VAT id"), ctx.cipher.decrypt(p.vat_id_enc)),
        (pgettext("profile field", "Tax number"), ctx.cipher.decrypt(p.tax_number_enc)),
        (pgettext("profile field", "Payment"), _one_line(ctx.cipher.decrypt(p.payment_enc))),
        (pgettext("profile field", "Currency"), p.currency),
        (pgettext("profile field", "Tax rate"), format_percent(p.tax_rate)),
        (pgettext("profile field", "VAT exemption"), p.vat_exempt),
        (pgettext("profile field", "Terms"), _days(p.terms_days)),
        (pgettext("profile field", "Number format"), p.number_format),
        (pgettext("profile field", "Credit note format"), p.credit_note_format),
        (pgettext("profile field", "Locale"), p.locale),
        (pgettext("profile field", "Timezone"), describe_zone(ctx.account.timezone)),
        (pgettext("profile field", "Rounding"), describe_rounding(p.rounding)),
        (pgettext("profile field", "Timezone"), ctx.account.timezone),
        (pgettext("profile field", "Language"), _language_setting(ctx)),
    ]
    # Translators: one line of /profile, e.g. "Currency: EUR"
    body = "\n".join(_("{label}: {value}").format(label=label, value=value or "—") for label, value in rows)
    text = _("Your business profile:") + "\n" + body
    missing = [f for f, v in (("name", p.name), ("address", p.address), ("country", p.country),
                              ("payment", p.payment_enc)) if not v]
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
        "country": pgettext("saved profile field", "country"), "email": pgettext("saved profile field", "email"),
        "vat_id": pgettext("saved profile field", "VAT id"),
        "tax_number": pgettext("saved profile field", "tax number"),
        "payment": pgettext("saved profile field", "payment"),
        "currency": pgettext("saved profile field", "currency"),
        "tax_rate": pgettext("saved profile field", "tax rate"),
        "vat_exempt": pgettext("saved profile field", "VAT exemption"),
        "terms": pgettext("saved profile field", "terms"),
        "number_format": pgettext("saved profile field", "number format"),
        "credit_note_format": pgettext("saved profile field", "credit note format"),
        "locale": pgettext("saved profile field", "locale"),
        "rounding": pgettext("saved profile field", "rounding"),
    }
    return names.get(field, field.replace("_", " "))


_STORED = {"vat_id": "vat_id_enc", "tax_number": "tax_number_enc"}


def _saved_value(ctx: Context, field: str) -> str:
    """What was stored, as /profile shows it (``23%``, ``14 days``, ``USD``), rather than the words typed."""
    p = ctx.profile
    if field == "rounding":
        return describe_rounding(p.rounding)
    if field in accounts.CLEARABLE_PROFILE_FIELDS and getattr(p, _STORED.get(field, field)) is None:
        return _("none")
    shown = {
        "vat_id": ctx.cipher.decrypt(p.vat_id_enc), "tax_number": ctx.cipher.decrypt(p.tax_number_enc),
        "country": p.country, "vat_exempt": p.vat_exempt, "credit_note_format": p.credit_note_format,
        "payment": _("(hidden)"), "tax_rate": format_percent(p.tax_rate), "terms": _days(p.terms_days),
        "currency": p.currency, "locale": p.locale, "number_format": p.number_format, "email": p.email,
        "name": p.name, "address": (p.address or "").replace("\n", ", "),
    }
    return shown.get(field) or "—"


def _after_saving(field: str, profile: Profile) -> str:
    if field == "currency":
        return _("New clients are billed in it; existing ones keep theirs (/client set NAME currency …).")
    if field == "address" and not has_postcode_and_city(profile.address):
        return _("I can't find a postcode and city in it, which e-invoices carry on their own: put them on a line of "
                 "their own, like “Hauptstr. 1 | 10115 Berlin”.")
    if field == "vat_exempt" and profile.vat_exempt:
        return _("Your invoices now charge no VAT and print this sentence instead.")
    if field == "rounding" and profile.rounding:
        return ngettext("Each time entry is billed rounded up to a multiple of {n} minute; the time you logged is "
                        "kept, and /tasks shows both. A client's own setting wins (/client set NAME rounding …).",
                        "Each time entry is billed rounded up to a multiple of {n} minutes; the time you logged is "
                        "kept, and /tasks shows both. A client's own setting wins (/client set NAME rounding …).",
                        profile.rounding).format(n=profile.rounding)
    return ""


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
        return Reply(_("Your timezone is {zone}. Change it with /tz Europe/Berlin.").format(
            zone=describe_zone(ctx.account.timezone)))
    zone = accounts.set_timezone(ctx.session, ctx.account, args, ctx.now)
    reminders.reschedule(ctx.session, ctx.account, ctx.now)
    text = _("Your timezone is now {zone}; “today” and “yesterday” follow it.").format(zone=describe_zone(zone.name))
    if zone.fixed:
        text += "\n" + fixed_offset_warning(zone)
    return Reply(text)


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
