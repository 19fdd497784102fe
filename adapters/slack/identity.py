"""Who wrote: a Slack user (team id + user id) is one account; their timezone comes from users.info.

users.info is read once per user per process: the core only uses the timezone when it creates the account, and
Slack rate-limits users.info (tier 4), so a busy user must not cost one call per message.
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.web_client import error_code
from core.messages import Attachment, Incoming

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlackUser:
    team_id: str
    user_id: str
    name: str | None = None
    timezone: str | None = None
    locale: str | None = None

    @property
    def account_id(self) -> str:
        return f"{self.team_id}:{self.user_id}"

    def incoming(self, text: str, *, message_id: str | None, is_private: bool,
                 attachment: Attachment | None = None) -> Incoming:
        return Incoming(platform="slack", user_id=self.account_id, chat_id=self.account_id, text=text,
                        message_id=message_id, user_name=self.name, is_private=is_private,
                        timezone=self.timezone, locale=self.locale, attachment=attachment)


class UserDirectory:
    """Caches what users.info says about each user (bounded, so a huge workspace can't grow it forever)."""

    def __init__(self, max_users: int = 10_000) -> None:
        self._users: OrderedDict[tuple[str, str], SlackUser] = OrderedDict()
        self._pending: dict[tuple[str, str], asyncio.Future[SlackUser]] = {}
        self._max_users = max_users

    async def look_up(self, client: AsyncWebClient, team_id: str, user_id: str) -> SlackUser:
        key = (team_id, user_id)
        if key in self._users:
            self._users.move_to_end(key)
            return self._users[key]
        if key in self._pending:  # a burst from one new user makes one users.info call
            return await asyncio.shield(self._pending[key])
        future: asyncio.Future[SlackUser] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            user, complete = await _fetch_user(client, team_id, user_id)
            future.set_result(user)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody else needs to
            raise
        finally:
            del self._pending[key]
        if not complete:
            return user  # ask again next time rather than remember a gap
        self._users[key] = user
        if len(self._users) > self._max_users:
            self._users.popitem(last=False)
        return user


async def _fetch_user(client: AsyncWebClient, team_id: str, user_id: str) -> tuple[SlackUser, bool]:
    try:
        response = await client.users_info(user=user_id, include_locale=True)
    except (TimeoutError, SlackClientError, aiohttp.ClientError) as exc:
        # Without a timezone the core uses the default one; the user can still set /tz. Not worth failing over.
        log.warning("users.info failed for %s:%s: %s", team_id, user_id, error_code(exc))
        return SlackUser(team_id, user_id), False
    profile = response.get("user") or {}
    return SlackUser(
        team_id=team_id,
        user_id=user_id,
        name=profile.get("real_name") or profile.get("name"),
        timezone=profile.get("tz"),
        locale=profile.get("locale"),
    ), True
