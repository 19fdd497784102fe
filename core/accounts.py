"""Accounts (a business), the identities that reach them, the business profile and the timezone."""
from __future__ import annotations

import re
import string
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import Locale, UnknownLocaleError
from sqlalchemy import String, bindparam, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core.countries import parse_country
from core.encryption import Cipher
from core.errors import UserError
from core.i18n import _, current_locale, pgettext
from core.journal import record_change
from core.limits import FIELD_LIMITS, check_field, storable_text
from core.messages import Incoming
from core.models import Account, Base, Identity, Profile, table
from core.money import parse_currency, parse_decimal
from core.payment_details import check_payment_details
from core.prepared import Prepared, detached, loaded
from core.reminders import elsewhere_than
from core.rounding import parse_rounding
from core.tax_ids import check_vat_id, is_vat_id
from core.timezones import Zone, read_zone

DEFAULT_LOCALE = "en_GB"


_PLATFORM = bindparam("platform", type_=String)
_ACCOUNT_OF_USER = Prepared(
    select(*table(Account).c, *table(Profile).c, elsewhere_than(_PLATFORM))
    .select_from(table(Account).join(table(Identity)).outerjoin(table(Profile)))
    .where(table(Identity).c.platform == _PLATFORM, table(Identity).c.platform_user_id == bindparam("user"))
    .with_for_update(of=table(Account))
)
"""Every message runs it: the account with its profile (every command reads its locale) and whether its reminders
must follow the user (core.reminders), in one round trip, read as plain columns (:mod:`core.prepared`). The profile
is outer joined: an account whose profile row is missing must still be found (an inner join would make a second
account for the identity, which its unique index refuses); :func:`resolve_account` gives it a new one."""


def _attribute_keys(model: type[Base]) -> tuple[str, ...]:
    """The model's attribute names in the order of its table's columns (the order the select reads them in)."""
    return tuple(inspect(model).get_property_by_column(column).key for column in table(model).c)


_ACCOUNT_KEYS, _PROFILE_KEYS = _attribute_keys(Account), _attribute_keys(Profile)


def resolve_account(session: Session, incoming: Incoming, now: datetime, default_tz: str) -> Account:
    """The account behind this platform user, created on first contact (timezone from the platform if known).

    Its row is locked until the transaction ends (PostgreSQL: ``FOR UPDATE``; SQLite's transactions are
    serialised already), so one account's messages are handled one at a time by any number of workers."""
    row = _ACCOUNT_OF_USER.first(session, {"platform": incoming.platform, "user": incoming.user_id})
    if row is not None:
        account, profile = _loaded_account(session, row)
        if profile is None:
            account.profile = Profile(locale=_initial_locale(incoming.locale))
            session.flush()
        return account
    tz = incoming.timezone if incoming.timezone and _valid_zone(incoming.timezone) else default_tz
    account = Account(timezone=tz, created_at=now)
    account.profile = Profile(locale=_initial_locale(incoming.locale))
    session.add(account)
    session.flush()
    session.add(Identity(platform=incoming.platform, platform_user_id=incoming.user_id, account_id=account.id,
                         display_name=storable_text(incoming.user_name, 200), created_at=now))
    session.flush()
    return account


def _loaded_account(session: Session, row: tuple[Any, ...]) -> tuple[Account, Profile | None]:
    """The account and its profile (None when its row is missing) of a row of :data:`_ACCOUNT_OF_USER`."""
    accounts = len(_ACCOUNT_KEYS)
    values = dict(zip(_PROFILE_KEYS, row[accounts:-1], strict=True))
    profile = detached(Profile, values) if values["account_id"] is not None else None  # None: no profile row
    account = loaded(session, Account, {**dict(zip(_ACCOUNT_KEYS, row[:accounts], strict=True)),
                                        "reminders_elsewhere": row[-1], "profile": profile})
    if profile is not None and account.profile is profile:  # (not when the account was in the session already)
        set_committed_value(profile, "account", account)
    return account, account.profile


def _valid_zone(name: str) -> bool:
    if len(name) > FIELD_LIMITS["timezone"]:  # ZoneInfo takes a long name as a file name (OSError)
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _initial_locale(code: str | None) -> str:
    """A platform locale with a region (en_US, de-DE) is kept; a bare language says nothing of date order."""
    if code and re.fullmatch(r"[a-zA-Z]{2,3}[-_][a-zA-Z]{2}", code):
        try:
            return str(Locale.parse(code.replace("-", "_")))
        except (UnknownLocaleError, ValueError):
            pass
    return DEFAULT_LOCALE


def set_timezone(session: Session, account: Account, text: str, now: datetime) -> Zone:
    """Set the account's timezone from what the user typed (see :func:`core.timezones.read_zone`)."""
    zone = read_zone(check_field("timezone", text.strip()))
    record_change(session, account, "account.timezone", now, account.id, {"timezone": account.timezone})
    account.timezone = zone.name
    return zone


PROFILE_FIELDS = ("name", "address", "country", "email", "vat_id", "tax_number", "payment", "currency", "tax_rate",
                  "vat_exempt", "terms", "number_format", "credit_note_format", "locale", "rounding")
CLEARABLE_PROFILE_FIELDS = ("vat_id", "tax_number", "vat_exempt", "rounding")
"""Fields that may be emptied again (``/profile set vat_exempt off`` once the business charges VAT)."""
NO_VALUE = ("none", "off", "no", "-")


_PROFILE_COLUMNS = {"vat_id": (), "tax_number": (), "payment": (), "terms": ("terms_days",),
                    "locale": ("locale", "locale_chosen")}
"""The columns each profile field sets, when not the field's own name. The secret fields keep nothing in the
journal's JSON (a copy of their old value there would escape key rotation): their encrypted column is in
:data:`SECRET_PROFILE_COLUMNS`, and its old token goes to the journal's encrypted column."""
SECRET_PROFILE_COLUMNS = {"vat_id": "vat_id_enc", "tax_number": "tax_number_enc", "payment": "payment_enc"}
PROFILE_COLUMN_TYPES = {"tax_rate": Decimal}
"""Profile columns the journal keeps as text that are not text (and not plain JSON) in the model."""


def set_profile_field(session: Session, account: Account, cipher: Cipher, field: str, value: str,
                      now: datetime) -> str:
    """Set one profile field from user text and journal the change; returns the field's canonical name.

    ``tax_id``, the one field of earlier versions, is still understood: a valid VAT id is saved as ``vat_id``,
    anything else as ``tax_number``, and the name returned says which.
    """
    profile = account.profile
    key = field.strip().lower().replace("-", "_")
    value = value.strip()
    if key == "tax_id" and value:
        key = "vat_id" if is_vat_id(value) else "tax_number"
    if key not in PROFILE_FIELDS:
        raise UserError(_("I don't know the profile field “{field}”. Fields: {fields}.").format(
            field=field, fields=", ".join(PROFILE_FIELDS)))
    if not value:
        raise UserError(_("Give a value: /profile set {field} VALUE.").format(field=key))
    check_field(key, value)
    before: dict[str, object] = {"field": key,
                                 **{column: getattr(profile, column) for column in _PROFILE_COLUMNS.get(key, (key,))}}
    secret = None
    if key in SECRET_PROFILE_COLUMNS:
        secret = getattr(profile, SECRET_PROFILE_COLUMNS[key])
        before["secret_kept"] = True
    _set_profile_value(profile, cipher, key, value)
    record_change(session, account, "profile.set", now, None, before, secret=secret)
    return key


def _set_profile_value(profile: Profile, cipher: Cipher, key: str, value: str) -> None:
    if key in CLEARABLE_PROFILE_FIELDS and value.lower() in NO_VALUE:
        setattr(profile, {"vat_id": "vat_id_enc", "tax_number": "tax_number_enc"}.get(key, key), None)
        return
    if key in ("name", "email") and len(value) > 200:
        raise UserError(_("That name is too long (at most 200 characters).") if key == "name" else
                         _("That email address is too long (at most 200 characters)."))
    if key == "name":
        profile.name = value
    elif key == "address":
        profile.address = _lines(value)
    elif key == "email":
        profile.email = check_email(value)
    elif key == "country":
        profile.country = parse_country(value)
    elif key == "vat_id":
        profile.vat_id_enc = cipher.encrypt(check_vat_id(value))
    elif key == "tax_number":
        if len(value) > 40:
            raise UserError(_("A tax number has at most 40 characters."))
        profile.tax_number_enc = cipher.encrypt(value)
    elif key == "vat_exempt":
        if len(value) > 300:
            raise UserError(_("Keep the exemption sentence under 300 characters; it is printed on every invoice."))
        profile.vat_exempt = value
    elif key == "payment":
        profile.payment_enc = cipher.encrypt(check_payment_details(_lines(value)))
    elif key == "currency":
        profile.currency = parse_currency(value)
    elif key == "tax_rate":
        profile.tax_rate = parse_percent(value)
    elif key == "terms":
        profile.terms_days = _parse_terms(value)
    elif key == "number_format":
        profile.number_format = check_number_format(value)
        _require_distinct_series(profile.number_format, profile.credit_note_format)
    elif key == "credit_note_format":
        profile.credit_note_format = check_number_format(value)
        _require_distinct_series(profile.number_format, profile.credit_note_format)
    elif key == "locale":
        profile.locale = _parse_locale(value)
        profile.locale_chosen = True
    elif key == "rounding":
        profile.rounding = parse_rounding(value) or None


def _lines(text: str) -> str:
    """Chat input is one line: `` | `` (or a typed ``\\n``) starts a new line on the invoice, in the address and
    in the payment instructions alike ("IBAN … | BIC …")."""
    return text.replace("\\n", "\n").replace(" | ", "\n")


def parse_percent(text: str) -> Decimal:
    rate = parse_decimal(text.removesuffix("%"), pgettext("a number the user gives", "tax rate"))
    if rate > 100:
        raise UserError(_("A tax rate is a percentage between 0 and 100, not {text}.").format(text=text))
    if rate.normalize().as_tuple().exponent < -4:  # type: ignore[operator]  # (finite: parse_decimal checked)
        raise UserError(_("A tax rate can have at most 4 decimal places, like 19 or 8.1 — not {text}.").format(
            text=text))
    # Canonical, so replies print "19%" and not "19.000%"; 100 stays 100, not normalize()'s 1E+2.
    return rate.quantize(Decimal(1)) if rate == rate.to_integral_value() else rate.normalize()


def check_email(text: str) -> str:
    """The same check for the profile and for clients: a typo here ends up printed on an invoice."""
    if len(text) > 254:  # the longest address mail allows, and the column's size
        raise UserError(_("That email address is too long (at most 254 characters)."))
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise UserError(_("“{text}” doesn't look like an email address.").format(text=text))
    return text


def _parse_terms(text: str) -> int:
    digits = text.lower().removesuffix("days").removesuffix("day").strip()
    if not digits.isdigit() or int(digits) > 365:
        raise UserError(_("Payment terms are a number of days from 0 to 365, e.g. /profile set terms 30 — not "
                          "“{text}”.").format(text=text))
    return int(digits)


NUMBER_LITERALS = re.compile(r"[A-Za-z0-9_.\-]*")
"""What a number format may say besides its fields: characters that survive a chat command (no space ends the
number early in /paid NUMBER) and a file name (no slash, no dot-dot, no control character, no %)."""
NUMBER_FIELDS = {"seq": re.compile(r"0?[1-9]?"), "year": re.compile(r"(?:04)?"), "month": re.compile(r"(?:02)?")}
"""The fields and the widths each may take ({seq:04}, {month:02}): checked before anything is formatted, so a
width like {seq:1000000000} is refused instead of building a gigabyte string."""
MAX_NUMBER_LENGTH = 40


def check_number_format(fmt: str) -> str:
    """An invoice number format: letters, digits, ``-``, ``_`` and ``.`` around ``{seq}`` (exactly once, optionally
    padded: ``{seq:04}``), ``{year}`` and ``{month}`` (``{month:02}``)."""
    example = "INV-{year}-{seq:04}"
    if len(fmt) > 2 * MAX_NUMBER_LENGTH:
        raise UserError(_("That number format is too long; keep the numbers it makes under {limit} characters, like "
                          "{example}.").format(limit=MAX_NUMBER_LENGTH, example=example))
    try:
        parts = list(string.Formatter().parse(fmt))
    except ValueError:
        raise UserError(_("The number format has an unmatched {{ or }}; write the fields as {example}.").format(
            example=example)) from None
    seen: list[str] = []
    for literal, name, spec, conversion in parts:
        if not NUMBER_LITERALS.fullmatch(literal) or ".." in literal:
            bad = sorted({ch for ch in literal if not NUMBER_LITERALS.fullmatch(ch)}) or [".."]
            shown = ", ".join("space" if ch == " " else repr(ch) if not ch.isprintable() else f"“{ch}”"
                              for ch in bad)
            raise UserError(_("An invoice number can only hold letters, digits, - _ and . (not {chars}): it must "
                              "survive /paid NUMBER and a file name. E.g. {example}.").format(chars=shown,
                                                                                            example=example))
        if name is None:
            continue
        rule = NUMBER_FIELDS.get(name)
        if rule is None or conversion is not None or not rule.fullmatch(spec or ""):
            raise UserError(_("The number format may only use {{seq}} (e.g. {{seq:04}}), {{year}} and {{month}} "
                              "(e.g. {{month:02}}), like {example}.").format(example=example))
        seen.append(name)
    if seen.count("seq") != 1:
        raise UserError(_("The number format must contain {{seq}} once, e.g. {example}.").format(example=example))
    sample = fmt.format(seq=999999, year=2026, month=12)
    if len(sample) > MAX_NUMBER_LENGTH:
        raise UserError(_("That number format makes numbers that are too long (at most {limit} characters).").format(
            limit=MAX_NUMBER_LENGTH))
    if not sample[0].isalnum():
        raise UserError(_("An invoice number must begin with a letter or a digit, like {example}.").format(
            example=example))
    return fmt


def _require_distinct_series(invoice_format: str, credit_note_format: str | None) -> None:
    """Invoices and credit notes are two gapless series: one format for both would make the same number twice."""
    sample = {"seq": 1, "year": 2026, "month": 1}
    if credit_note_format and invoice_format.format(**sample) == credit_note_format.format(**sample):
        raise UserError(_("Invoices and credit notes need different number formats (e.g. INV-{{year}}-{{seq:04}} and "
                          "CN-{{year}}-{{seq:04}}), or both series would make the same numbers.").format())


def _parse_locale(text: str) -> str:
    try:
        return str(Locale.parse(text.strip().replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        raise UserError(_("“{text}” is not a locale I know; use a code such as en_GB, en_US, de_DE or fr_FR.").format(
            text=text)) from None


def format_date(day: date, locale: str | None = None) -> str:
    """``24 Nov 2026`` (en_GB), ``24.11.2026`` (de_DE): by default in the locale of the reply being written."""
    return _format_date(day, locale or current_locale())


@lru_cache(maxsize=1024)
def _format_date(day: date, locale: str) -> str:
    """Replies write the same few days over and over (today, yesterday), and Babel takes 0.06 ms for each."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, format="medium", locale=locale)
