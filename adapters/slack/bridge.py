"""Between Bolt's event loop and the synchronous core: run it in worker threads, answer, never stay silent."""
from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import replace
from functools import partial
from typing import Any, Protocol

from adapters.ordering import RecentIds, Turns
from adapters.slack.delivery import Conversation, ResponseUrlFailed, deliver, open_direct_message, send_text
from adapters.slack.identity import SlackUser, UserDirectory
from core.i18n import N_, _, language_of, use_language
from core.messages import Attachment, Incoming, Reply

log = logging.getLogger(__name__)

RESTARTING = N_("invoicebot is restarting: nothing was done. Please send that again in a minute.")


class CoreLike(Protocol):
    commands: Any

    def handle(self, incoming: Incoming, *, keep_reply: bool = False) -> Reply | None: ...


class CoreBridge:
    """Hands messages to the core off the event loop (it does database work and renders PDFs).

    Few workers on purpose: the core is mostly Python, so threads beyond a handful add no throughput but hold the
    GIL against the loop that must ack Slack in time (bench_slack.py: ack p99 roughly doubles from 4 to 8).
    """

    def __init__(self, core: CoreLike, *, workers: int = 4) -> None:
        self.core = core
        self.directory = UserDirectory()
        self.events: RecentIds[str] = RecentIds(size=5000)
        """The last few thousand event ids: a retried event (X-Slack-Retry-Num) that arrives while the first
        delivery is still being worked on is dropped here; later repeats are also refused by the core's own
        record."""
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slack-core")
        self._in_flight: set[asyncio.Task[Any]] = set()
        self._closing = False
        self._turns: Turns[tuple[str, str]] = Turns()

    async def ask(self, incoming: Incoming) -> Reply | None:
        """Messages come from the inbox: the core keeps each answer until its row is done."""
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, partial(self.core.handle, incoming, keep_reply=True))

    async def converse(self, conversation: Conversation, text: str, *, message_id: str | None, is_private: bool,
                       extra_buttons: tuple[Callable[[], dict[str, Any]], ...] = (),
                       attachment: Attachment | None = None) -> None:
        """One message in, its answer out. Whatever fails, the user gets a sentence with a reference.

        ``extra_buttons`` are made once the answer's language is known, so their labels speak it too."""
        with self.tracked():
            async with self.turn_of(conversation):
                locale = None
                try:
                    user = await self.user(conversation)
                    locale = user.locale
                    if self._closing:  # the workers are gone; Slack has already been acked, so say so
                        with use_language(locale):
                            notice = Reply(_(RESTARTING), language=language_of(locale))
                        await send_text(conversation, notice, replace_original=False)
                        return
                    reply = await self.ask(user.incoming(text, message_id=message_id, is_private=is_private,
                                                         attachment=attachment))
                    if reply is not None:  # None: a repeat delivery the core already answered
                        with use_language(reply.language):
                            extras = tuple(make() for make in extra_buttons)
                        await self._deliver(conversation, reply, extras, message_id)
                except Exception:
                    await self.apologise(conversation, locale)

    @staticmethod
    async def _deliver(conversation: Conversation, reply: Reply, extras: tuple[dict[str, Any], ...],
                       message_id: str | None) -> None:
        """Answer; where Slack refuses the response_url (it expires after 30 minutes: a request stored in the inbox
        across a long stop), the answer goes to the user's direct message instead, which only they read."""
        try:
            await deliver(conversation, reply, extras)
        except ResponseUrlFailed as refused:
            log.warning("Slack: the response_url of %s was refused (%s); sending the answer by direct message",
                        message_id, refused)
            direct = await open_direct_message(conversation.client, conversation.user_id)
            await deliver(replace(conversation, respond=None, is_direct=True, channel_id=direct, thread_ts=None,
                                  replace_original=False), reply, extras)

    @asynccontextmanager
    async def turn_of(self, conversation: Conversation) -> AsyncIterator[None]:
        """One user's messages are handled one after another, in the order they arrived; different users run in
        parallel (:class:`adapters.ordering.Turns`)."""
        async with self._turns.turn((conversation.team_id, conversation.user_id)):
            yield

    async def user(self, conversation: Conversation) -> SlackUser:
        return await self.directory.look_up(conversation.client, conversation.team_id, conversation.user_id)

    async def apologise(self, conversation: Conversation, locale: str | None = None) -> None:
        """Say that something failed, with a reference to the log, in the user's language (``locale``: their
        Slack locale, when known)."""
        ref = secrets.token_hex(4)
        log.exception("Slack: answering %s:%s failed (ref %s)", conversation.team_id, conversation.user_id, ref)
        try:
            with use_language(locale):
                sorry = Reply(_("Sorry, something went wrong (ref {ref}).").format(ref=ref), language=language_of(locale))
            await send_text(conversation, sorry, replace_original=False)
        except Exception:
            log.exception("Slack: could not even tell the user about ref %s", ref)

    def tracked(self) -> _InFlight:
        return _InFlight(self._in_flight)

    async def drain(self, timeout: float = 30.0) -> None:
        """Let in-flight answers finish (an invoice being rendered and uploaded), then stop the workers."""
        self._closing = True
        pending = {task for task in self._in_flight if task is not asyncio.current_task()}
        if pending:
            _done, still = await asyncio.wait(pending, timeout=timeout)
            if still:
                log.warning("Slack: %d answers still running after %.0f s; leaving them", len(still), timeout)
        self._executor.shutdown(wait=False, cancel_futures=True)


class _InFlight:
    def __init__(self, tasks: set[asyncio.Task[Any]]) -> None:
        self._tasks = tasks
        self._task: asyncio.Task[Any] | None = None

    def __enter__(self) -> None:
        self._task = asyncio.current_task()
        if self._task is not None:
            self._tasks.add(self._task)

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._tasks.discard(self._task)
