"""The tables of the Slack installation stores: slack-sdk's schema, with the tokens encrypted at rest.

Written out here (not built by slack-sdk's classes) so that Alembic can read them without importing slack-sdk's
SQLAlchemy module, which needs greenlet; tests/slack/test_installations.py checks that they match slack-sdk's
column for column. The one change: token columns hold Fernet tokens under the project's keys (a token opens a
workspace to anyone who reads the database), so they are wider.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, MetaData, String, Table, TypeDecorator, func
from sqlalchemy.engine import Dialect

from core.encryption import Cipher

BOTS = "slack_bots"
INSTALLATIONS = "slack_installations"
OAUTH_STATES = "slack_oauth_states"
TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
TOKEN_COLUMN_LENGTH = 1000  # a Fernet token is about 2.5 times as long as the Slack token it holds


class EncryptedToken(TypeDecorator[str]):
    """A token column: Fernet-encrypted on the way in, decrypted on the way out."""

    impl = String(TOKEN_COLUMN_LENGTH)
    cache_ok = True

    def __init__(self, cipher: Cipher | None = None) -> None:
        super().__init__()
        self.cipher = cipher

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return self._require().encrypt(value) if value is not None else None

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return self._require().decrypt(value) if value is not None else None

    def _require(self) -> Cipher:
        if self.cipher is None:
            raise RuntimeError("this table was built for schema comparison only, without the encryption keys")
        return self.cipher


def _bot_columns(cipher: Cipher | None) -> list[Column]:  # type: ignore[type-arg]
    return [
        Column("bot_token", EncryptedToken(cipher)),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", EncryptedToken(cipher)),
        Column("bot_token_expires_at", DateTime),
    ]


def bots_table(metadata: MetaData, cipher: Cipher | None = None) -> Table:
    return Table(
        BOTS, metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        *_bot_columns(cipher),
        Column("is_enterprise_install", Boolean, default=False, nullable=False),
        Column("installed_at", DateTime, nullable=False, default=func.now()),
        Index(f"{BOTS}_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
    )


def installations_table(metadata: MetaData, cipher: Cipher | None = None) -> Table:
    return Table(
        INSTALLATIONS, metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
        Column("enterprise_url", String(200)),
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        *_bot_columns(cipher),
        Column("user_id", String(32), nullable=False),
        Column("user_token", EncryptedToken(cipher)),
        Column("user_scopes", String(1000)),
        Column("user_refresh_token", EncryptedToken(cipher)),
        Column("user_token_expires_at", DateTime),
        Column("incoming_webhook_url", String(200)),
        Column("incoming_webhook_channel", String(200)),
        Column("incoming_webhook_channel_id", String(200)),
        Column("incoming_webhook_configuration_url", String(200)),
        Column("is_enterprise_install", Boolean, default=False, nullable=False),
        Column("token_type", String(32)),
        Column("installed_at", DateTime, nullable=False, default=func.now()),
        Index(f"{INSTALLATIONS}_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
    )


def oauth_states_table(metadata: MetaData) -> Table:
    return Table(
        OAUTH_STATES, metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("state", String(200), nullable=False),
        Column("expire_at", DateTime, nullable=False),
    )


def installation_metadata() -> MetaData:
    """The three tables, for Alembic (migration 0002 and ``alembic check``)."""
    metadata = MetaData()
    bots_table(metadata)
    installations_table(metadata)
    oauth_states_table(metadata)
    return metadata


def token_columns() -> list[tuple[str, str]]:
    """(table, column) of every encrypted token, for the key check at start and key rotation."""
    return [(BOTS, column) for column in TOKEN_COLUMNS if column.startswith("bot_")] + \
        [(INSTALLATIONS, column) for column in TOKEN_COLUMNS]
