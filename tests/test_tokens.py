"""/token new, /token, /token revoke: personal REST API tokens, shown once, stored as a hash, private chat only."""
from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from core.models import ApiToken
from core.tokens import authenticate
from tests.conftest import Conversation, FixedClock

TOKEN = re.compile(r"\bib_[A-Za-z0-9_-]{32,}")


def made_token(chat: Conversation, command: str = "/token new") -> str:
    reply = chat.say(command)
    assert reply is not None and reply.sensitive  # Slack: ephemeral
    found = TOKEN.findall(reply.text)
    assert len(found) == 1, reply.text
    return found[0]


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(chat: Conversation, sessions, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    secret = made_token(chat, "/token new dashboard")
    assert len(secret) >= 3 + 32
    with sessions() as session:
        row = session.scalars(select(ApiToken)).one()
        stored = [str(v) for v in (row.name, row.secret_hash, row.hint)]
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert all(secret not in value for value in stored)
    listed = chat.text("/token")
    assert "#1 dashboard (ib_" in listed and "never used" in listed
    assert secret not in listed and TOKEN.search(listed) is None
    assert chat.text("/tokens") == listed


def test_a_token_authenticates_its_account_records_its_last_use_and_stops_when_revoked(
        chat: Conversation, sessions, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    secret = made_token(chat)
    clock.advance(minutes=5)
    with sessions.begin() as session:
        token = authenticate(session, secret, clock())
        assert token is not None and token.last_used_at == clock()
        assert authenticate(session, secret[:-1] + ("A" if secret[-1] != "A" else "B"), clock()) is None
        assert authenticate(session, "ib_", clock()) is None
        assert authenticate(session, "Bearer " + secret, clock()) is None
    assert "last used 24/11/2026, 10:05" in chat.text("/token")
    assert chat.text("/token revoke 1").startswith("Revoked token #1 “token 1”")
    with sessions.begin() as session:
        assert authenticate(session, secret, clock()) is None
    assert chat.text("/token").startswith("You have no API tokens.")


def test_tokens_are_revoked_by_name_numbered_per_account_and_each_account_sees_only_its_own(core, sessions) -> None:  # type: ignore[no-untyped-def]
    alice, bob = Conversation(core, user="alice"), Conversation(core, user="bob")
    made_token(alice, "/token new ci")
    bob_secret = made_token(bob, "/token new laptop")
    assert "#1 laptop" in bob.text("/token") and "ci" not in bob.text("/token")
    assert bob.text("/token revoke ci") == "You have no token “ci”; /token lists yours with their numbers."
    assert alice.text("/token new ci") == "You already have a token called “ci”; choose another name."
    assert alice.text("/token revoke CI").startswith("Revoked token #1 “ci”")
    assert "“ci” (#2)" in alice.text("/token new ci")  # a number is never reused
    with sessions() as session:
        assert authenticate(session, bob_secret, core.clock()) is not None


def test_tokens_are_refused_in_a_group_chat_and_unknown_words_get_the_usage(core) -> None:  # type: ignore[no-untyped-def]
    group = Conversation(core, user="carol", private=False)
    for command in ("/token new", "/token", "/tokens", "/token revoke 1"):
        name = command.split()[0]
        assert group.text(command) == (f"{name} is about your own books, so I only answer it in a private chat: "
                                       "message me directly.")
    private = Conversation(core, user="carol")
    assert private.text("/token make").startswith("Use /token new [NAME] to make an API token")
    assert private.text("/token revoke") == "Say which token: /token revoke ID (/token lists them)."
    assert private.text("/token new " + "x" * 61) == "A token's name has at most 60 characters."
