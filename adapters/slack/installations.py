"""Installing into several workspaces: slack-sdk's SQLAlchemy installation and OAuth-state stores, in the
project's own database (tables made by migration 0002, never by create_all at run time).

The tables are slack-sdk's, with one change: the tokens are encrypted at rest with the project's keys (they open
a workspace to anyone who reads the database), in columns wide enough for Fernet tokens.
slack-sdk's SQLAlchemy stores are synchronous and the project's engine is too; Bolt's AsyncApp wants async
stores, so the calls run in worker threads.
"""
from __future__ import annotations

import asyncio
from typing import Any, Optional

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Column, Engine, Index, MetaData, String, Table, TypeDecorator, update
from sqlalchemy.engine import Dialect

from core.encryption import Cipher

TOKEN_COLUMNS = frozenset({"bot_token", "bot_refresh_token", "user_token", "user_refresh_token"})
STATE_EXPIRATION_SECONDS = 600
TOKEN_COLUMN_LENGTH = 1000  # a Fernet token of a Slack token (rotating ones are long) is about 2.5 times as long


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


def _with_encrypted_tokens(source: Table, metadata: MetaData, cipher: Cipher | None) -> Table:
    """slack-sdk's table, column for column, with the token columns encrypted."""
    columns = [
        Column(column.name, EncryptedToken(cipher) if column.name in TOKEN_COLUMNS else column.type,
               primary_key=column.primary_key, nullable=column.nullable, autoincrement=column.autoincrement,
               default=column.default.arg if column.default is not None else None)  # type: ignore[attr-defined]
        for column in source.columns
    ]
    indexes = [Index(index.name, *(column.name for column in index.columns)) for index in source.indexes]
    return Table(source.name, metadata, *columns, *indexes)


def _bots_table(metadata: MetaData, cipher: Cipher | None, name: str = "slack_bots") -> Table:
    return _with_encrypted_tokens(SQLAlchemyInstallationStore.build_bots_table(MetaData(), name), metadata, cipher)


def _installations_table(metadata: MetaData, cipher: Cipher | None, name: str = "slack_installations") -> Table:
    source = SQLAlchemyInstallationStore.build_installations_table(MetaData(), name)
    return _with_encrypted_tokens(source, metadata, cipher)


def installation_metadata() -> MetaData:
    """The tables of the stores, for Alembic (migration 0002 and ``alembic check``)."""
    metadata = MetaData()
    _bots_table(metadata, None)
    _installations_table(metadata, None)
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, SQLAlchemyOAuthStateStore.default_table_name)
    return metadata


class DatabaseInstallations(SQLAlchemyInstallationStore):
    """slack-sdk's store on the project's engine, tokens encrypted; :meth:`asynchronous` is for Bolt's AsyncApp."""

    def __init__(self, client_id: str, engine: Engine, cipher: Cipher) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.metadata = MetaData()
        self.bots = _bots_table(self.metadata, cipher, self.bots.name)
        self.installations = _installations_table(self.metadata, cipher, self.installations.name)

    def asynchronous(self) -> AsyncInstallationStore:
        return ThreadedInstallationStore(self)


def rotate_tokens(engine: Engine, cipher: Cipher) -> int:
    """Re-encrypt every stored Slack token under the newest key (with the core's key rotation); returns rows."""
    metadata = MetaData()
    changed = 0
    with engine.begin() as connection:
        for table in (_bots_table(metadata, None), _installations_table(metadata, None)):
            tokens = [c for c in table.columns if c.name in TOKEN_COLUMNS]
            plain = Table(table.name, MetaData(), Column("id", primary_key=True),
                          *(Column(c.name, String(TOKEN_COLUMN_LENGTH)) for c in tokens))
            for row in connection.execute(plain.select()).mappings():
                values = {c.name: cipher.rotate(row[c.name]) for c in tokens}
                connection.execute(update(plain).where(plain.c.id == row["id"]).values(**values))
                changed += 1
    return changed


class ThreadedInstallationStore(AsyncInstallationStore):
    def __init__(self, store: InstallationStore) -> None:
        self._store = store

    @property
    def logger(self) -> Any:
        return self._store.logger

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self._store.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self._store.save_bot, bot)

    async def async_find_bot(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                             is_enterprise_install: Optional[bool] = False) -> Optional[Bot]:
        return await asyncio.to_thread(self._store.find_bot, enterprise_id=enterprise_id, team_id=team_id,
                                       is_enterprise_install=is_enterprise_install)

    async def async_find_installation(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                                      user_id: Optional[str] = None,
                                      is_enterprise_install: Optional[bool] = False) -> Optional[Installation]:
        return await asyncio.to_thread(self._store.find_installation, enterprise_id=enterprise_id,
                                       team_id=team_id, user_id=user_id, is_enterprise_install=is_enterprise_install)

    async def async_delete_bot(self, *, enterprise_id: Optional[str], team_id: Optional[str]) -> None:
        await asyncio.to_thread(self._store.delete_bot, enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                                        user_id: Optional[str] = None) -> None:
        await asyncio.to_thread(self._store.delete_installation, enterprise_id=enterprise_id, team_id=team_id,
                                user_id=user_id)

    async def async_delete_all(self, *, enterprise_id: Optional[str], team_id: Optional[str]) -> None:
        await asyncio.to_thread(self._store.delete_all, enterprise_id=enterprise_id, team_id=team_id)


class ThreadedStateStore(AsyncOAuthStateStore):
    """The OAuth ``state`` parameter, kept in the database so any worker can finish an install it didn't start."""

    def __init__(self, store: SQLAlchemyOAuthStateStore) -> None:
        self._store = store

    @property
    def logger(self) -> Any:
        return self._store.logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self._store.issue, *args, **kwargs)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self._store.consume, state)


def oauth_stores(engine: Engine, client_id: str, cipher: Cipher) -> tuple[DatabaseInstallations, ThreadedStateStore]:
    installations = DatabaseInstallations(client_id=client_id, engine=engine, cipher=cipher)
    states = ThreadedStateStore(SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS,
                                                          engine=engine))
    return installations, states
