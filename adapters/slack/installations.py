"""Installing into several workspaces: slack-sdk's SQLAlchemy installation and OAuth-state stores, in the
project's own database (tables of installation_tables.py, made by migration 0002, never by create_all at run
time; tokens encrypted).

slack-sdk's SQLAlchemy stores are synchronous and the project's engine is too; Bolt's AsyncApp wants async
stores, so the calls run in worker threads. Importing slack-sdk's SQLAlchemy module needs greenlet.
"""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData

from adapters.slack.installation_tables import bots_table, installations_table
from core.encryption import Cipher

STATE_EXPIRATION_SECONDS = 600


class DatabaseInstallations(SQLAlchemyInstallationStore):
    """slack-sdk's store on the project's engine, tokens encrypted; :meth:`asynchronous` is for Bolt's AsyncApp."""

    def __init__(self, client_id: str, engine: Engine, cipher: Cipher) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.metadata = MetaData()
        self.bots = bots_table(self.metadata, cipher)
        self.installations = installations_table(self.metadata, cipher)

    def asynchronous(self) -> AsyncInstallationStore:
        return ThreadedInstallationStore(self)


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

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        return await asyncio.to_thread(self._store.find_bot, enterprise_id=enterprise_id, team_id=team_id,
                                       is_enterprise_install=is_enterprise_install)

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False) -> Installation | None:
        return await asyncio.to_thread(self._store.find_installation, enterprise_id=enterprise_id,
                                       team_id=team_id, user_id=user_id, is_enterprise_install=is_enterprise_install)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(self._store.delete_bot, enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                        user_id: str | None = None) -> None:
        await asyncio.to_thread(self._store.delete_installation, enterprise_id=enterprise_id, team_id=team_id,
                                user_id=user_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
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


class PrunedStateStore(SQLAlchemyOAuthStateStore):
    """slack-sdk's state store deletes a state when it is used, never when it expires: every visit to the install
    page that isn't finished would leave a row for ever. Issuing a state first deletes the expired ones."""

    def issue(self, *args: Any, **kwargs: Any) -> str:
        now = normalize_datetime_for_db(datetime.now(tz=UTC))
        with self.engine.begin() as connection:
            connection.execute(self.oauth_states.delete().where(self.oauth_states.c.expire_at <= now))
        return super().issue(*args, **kwargs)


def oauth_stores(engine: Engine, client_id: str, cipher: Cipher) -> tuple[DatabaseInstallations, ThreadedStateStore]:
    installations = DatabaseInstallations(client_id=client_id, engine=engine, cipher=cipher)
    states = ThreadedStateStore(PrunedStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine))
    return installations, states
