"""Personal tokens for the REST API: made with /token new, shown once, kept only as a hash, revocable.

A token is ``ib_`` and 43 URL-safe characters (32 random bytes). Only its SHA-256 is stored: the token has 256 bits
of chance in it, so the hash needs no salt or slow function to be safe against guessing. A request's token is hashed
and the row found by that hash; the hashes are then compared with :func:`hmac.compare_digest`, so the check takes
the same time however much of a wrong token matches.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import UserError
from core.i18n import _
from core.limits import record_number, storable_text
from core.models import Account, ApiToken

PREFIX = "ib_"
MAX_ACTIVE_TOKENS = 20
"""More live tokens than anyone keeps track of is a leak waiting to happen: revoke one first."""
LAST_USE_GRANULARITY = timedelta(minutes=1)
"""``last_used_at`` is written at most once a minute per token, so a busy script doesn't make every request a write."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, account: Account, name: str, now: datetime) -> tuple[ApiToken, str]:
    """A new token for the account; returns the row and the token itself, which is never stored."""
    name = name.strip()
    if len(name) > 60:
        raise UserError(_("A token's name has at most 60 characters."))
    live = list_tokens(session, account)
    if len(live) >= MAX_ACTIVE_TOKENS:
        raise UserError(_("You have {count} tokens; revoke one you no longer use first (/token revoke ID).").format(
            count=len(live)))
    if name and any(token.name.casefold() == name.casefold() for token in live):
        raise UserError(_("You already have a token called “{name}”; choose another name.").format(name=name))
    number = (session.scalar(select(func.max(ApiToken.number)).where(ApiToken.account_id == account.id)) or 0) + 1
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(account_id=account.id, number=number, name=storable_text(name, 60) or f"token {number}",
                     secret_hash=hash_token(secret), hint=secret[:7], created_at=now)
    session.add(token)
    session.flush()
    return token, secret


def list_tokens(session: Session, account: Account) -> list[ApiToken]:
    """The account's tokens that still work, oldest first."""
    return list(session.scalars(select(ApiToken).where(ApiToken.account_id == account.id,
                                                       ApiToken.revoked_at.is_(None)).order_by(ApiToken.number)))


def revoke_token(session: Session, account: Account, ref: str, now: datetime) -> ApiToken:
    """Revoke a live token named by its number or its name; from then on it answers 401."""
    ref = ref.strip()
    number = record_number(ref.removeprefix("#"))
    for token in list_tokens(session, account):
        if token.number == number or token.name.casefold() == ref.casefold():
            token.revoked_at = now
            session.flush()
            return token
    raise UserError(_("You have no token “{ref}”; /token lists yours with their numbers.").format(ref=ref))


def authenticate(session: Session, presented: str, now: datetime) -> ApiToken | None:
    """The live token matching what a request presented, its last use recorded; None for anything else."""
    if not presented.startswith(PREFIX) or len(presented) > 200:
        return None
    digest = hash_token(presented)
    token = session.scalar(select(ApiToken).where(ApiToken.secret_hash == digest))
    if token is None or not hmac.compare_digest(token.secret_hash, digest) or token.revoked_at is not None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_GRANULARITY:
        token.last_used_at = now
    return token
