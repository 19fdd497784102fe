"""Chat commands for the REST API's personal tokens: /token new [NAME], /token (or /tokens), /token revoke ID."""
from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime

from core import tokens as tokens_service
from core.context import Context
from core.errors import UserError
from core.i18n import _
from core.messages import Reply
from core.models import ApiToken


def token(ctx: Context, args: str) -> Reply:
    """Marked private, like /tokens (core/commands/__init__.py): a group never gets here, nor sees it in its
    command menu."""
    words = args.split(maxsplit=1)
    verb = words[0].lower() if words else ""
    rest = words[1] if len(words) > 1 else ""
    if verb in ("", "list"):
        return list_tokens(ctx, "")
    if verb == "new":
        made, secret = tokens_service.create_token(ctx.session, ctx.account, rest, ctx.now)
        return Reply(_("Your API token “{name}” (#{number}):\n{secret}\n\nCopy it now: I keep only a fingerprint "
                       "of it and can't show it again. Send it as “Authorization: Bearer …” to /api/v1; "
                       "/token revoke {number} ends it.").format(name=made.name, number=made.number, secret=secret),
                     sensitive=True)
    if verb == "revoke":
        if not rest.strip():
            raise UserError(_("Say which token: /token revoke ID (/token lists them)."))
        revoked = tokens_service.revoke_token(ctx.session, ctx.account, rest, ctx.now)
        return Reply(_("Revoked token #{number} “{name}”: requests with it are refused from now on.").format(
            number=revoked.number, name=revoked.name), sensitive=True)
    raise UserError(_("Use /token new [NAME] to make an API token, /token to list yours, /token revoke ID to end "
                      "one."))


def list_tokens(ctx: Context, args: str) -> Reply:
    live = tokens_service.list_tokens(ctx.session, ctx.account)
    if not live:
        return Reply(_("You have no API tokens. /token new makes one for scripts and dashboards (the REST API)."),
                     sensitive=True)
    return Reply(_("Your API tokens:") + "\n" + "\n".join(_describe(ctx, t) for t in live), sensitive=True)


def _describe(ctx: Context, token: ApiToken) -> str:
    if token.last_used_at is None:
        return _("#{number} {name} ({hint}…): made {made}, never used").format(
            number=token.number, name=token.name, hint=token.hint, made=_when(ctx, token.created_at))
    return _("#{number} {name} ({hint}…): made {made}, last used {used}").format(
        number=token.number, name=token.name, hint=token.hint, made=_when(ctx, token.created_at),
        used=_when(ctx, token.last_used_at))


def _when(ctx: Context, instant: datetime) -> str:
    return format_datetime(instant.astimezone(ctx.tz), format="short", locale=ctx.locale)
