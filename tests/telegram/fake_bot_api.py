"""A small fake of the Telegram Bot API on 127.0.0.1, for tests and the bench.

The real python-telegram-bot client talks to it over HTTP exactly as it would talk to api.telegram.org, so
the adapter is tested with the real library. Keep the surface small:

    api = FakeBotApi()                       # async tests:  await api.start() ... await api.stop()
    api = FakeBotApi().start_in_thread()     # sync tests:   ... api.stop_in_thread()
    api.base_url / api.base_file_url / api.token    # for TELEGRAM_API_BASE_URL and the token
    api.send_text(chat_id, "2h logo design for ACME")   # enqueue a message update, returns its update_id
    api.press_button(chat_id, message_id, "/undo 42")   # enqueue a callback query update
    api.enqueue(update_dict)                 # any raw update (e.g. the same update_id twice)
    api.calls("sendMessage")                 # what the bot sent: [ApiCall(method, params, files)]
    await api.wait_for("sendDocument")       # until such a call arrives (or AssertionError after a timeout)
    api.fail_next("sendMessage", 429, retry_after=1)    # the next call of a method fails like Telegram does
    api.messages[(chat_id, message_id)]      # the bot's messages as they stand now (after edits)

Implemented methods: getMe, deleteWebhook, setWebhook, getWebhookInfo, getUpdates (long poll with offset),
sendMessage, sendDocument and sendPhoto (multipart), editMessageText, editMessageReplyMarkup, answerCallbackQuery,
setMyCommands, deleteMyCommands, sendChatAction. Anything else answers 404 like Telegram does.
"""
from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web

BOT_ID = 7000001
BOT_USERNAME = "invoice_test_bot"

_JSON_PARAMS = frozenset(
    {"reply_markup", "allowed_updates", "commands", "scope", "entities", "caption_entities",
     "link_preview_options", "reply_parameters"}
)
_INT_PARAMS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout", "cache_time",
                         "max_connections", "reply_to_message_id", "message_thread_id"})
_BOOL_PARAMS = frozenset({"drop_pending_updates", "show_alert", "disable_notification",
                          "allow_sending_without_reply", "protect_content"})


@dataclass(frozen=True)
class ApiCall:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """Uploaded files by field name: (filename, content)."""
    at: float = field(default_factory=time.monotonic)
    """When the call arrived (time.monotonic)."""


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None
    times: int
    disconnect: bool


class FakeBotApi:
    def __init__(self, token: str = "123456:TEST-token", *, bot_username: str = BOT_USERNAME) -> None:
        self.token = token
        self.bot_user = {"id": BOT_ID, "is_bot": True, "first_name": "Invoice Bot", "username": bot_username,
                         "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": False}
        self.log: list[ApiCall] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.webhook: dict[str, Any] = {"url": "", "secret_token": None}
        self.commands: list[dict[str, Any]] = []
        self.menus: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
        """(scope type, language_code) -> the command menu last set for it."""
        self.files: dict[str, bytes] = {}
        """file_id -> the bytes getFile and the file download serve (photos and documents users sent)."""
        self.languages: dict[int, str] = {}
        """User id -> the language_code their messages carry (default en)."""
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._chats: dict[int, dict[str, Any]] = {}
        self._user_messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_updates: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.port = 0

    # ------------------------------------------------------------------ lifecycle
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self, port: int = 0) -> FakeBotApi:
        self._loop = asyncio.get_running_loop()
        self._new_updates = asyncio.Event()
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._stopping = True
        if self._new_updates is not None:
            self._new_updates.set()  # end pending long polls now, not at their timeout
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def start_in_thread(self, port: int = 0) -> FakeBotApi:
        """Serve from a background thread with its own event loop: for synchronous tests and the bench."""
        started = threading.Event()
        loop = asyncio.new_event_loop()

        def serve() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self.start(port))
            started.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        self._thread = threading.Thread(target=serve, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the fake Bot API did not start")
        return self

    def stop_in_thread(self) -> None:
        if self._thread is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._thread = None

    # ------------------------------------------------------------------ what tests do
    def chat(self, chat_id: int, chat_type: str | None = None, title: str | None = None) -> dict[str, Any]:
        """The chat object for an id: private for positive ids, a group for negative ones, unless told."""
        with self._lock:
            known = self._chats.get(chat_id)
            if known is None or chat_type is not None:
                kind = chat_type or ("private" if chat_id > 0 else "group")
                known = {"id": chat_id, "type": kind}
                if kind == "private":
                    known["first_name"] = f"User{chat_id}"
                else:
                    known["title"] = title or f"Group {chat_id}"
                self._chats[chat_id] = known
            return known

    def user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}",
                "language_code": self.languages.get(user_id, "en")}

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def enqueue(self, update: dict[str, Any]) -> int:
        """Queue a raw update for getUpdates; returns its update_id."""
        with self._lock:
            self._updates.append(update)
        if self._loop is not None and self._new_updates is not None:
            self._loop.call_soon_threadsafe(self._new_updates.set)
        return update["update_id"]

    def message_update(self, chat_id: int, text: str, *, user_id: int | None = None,
                       chat_type: str | None = None, reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """A message update as Telegram builds it, with bot_command and mention entities."""
        sender = self.user(user_id if user_id is not None else chat_id)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": self.chat(chat_id, chat_type), "from": sender, "text": text,
        }
        entities = _entities(text)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self._user_messages[(chat_id, message["message_id"])] = message
        return {"update_id": self.next_update_id(), "message": message}

    def send_photo(self, chat_id: int, content: bytes, caption: str, *, as_document: str | None = None,
                   declared_size: int | None = None) -> int:
        """A user sends a photo (or, with ``as_document``, a file of that name) with ``caption``; returns the
        update_id. The bytes are served by getFile and the file download, as Telegram does."""
        update = self.message_update(chat_id, caption)
        message = update["message"]
        del message["text"]
        message.pop("entities", None)
        message["caption"] = caption
        if caption.startswith("/"):
            message["caption_entities"] = [{"type": "bot_command", "offset": 0, "length": len(caption.split()[0])}]
        file_id = f"file-{message['message_id']}"
        self.files[file_id] = content
        size = declared_size if declared_size is not None else len(content)
        if as_document:
            message["document"] = {"file_id": file_id, "file_unique_id": file_id, "file_name": as_document,
                                   "mime_type": "application/octet-stream", "file_size": size}
        else:
            message["photo"] = [{"file_id": f"{file_id}-small", "file_unique_id": f"{file_id}-s", "width": 90,
                                 "height": 60, "file_size": 1200},
                                {"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 960,
                                 "file_size": size}]
        return self.enqueue(update)

    def send_text(self, chat_id: int, text: str, **kwargs: Any) -> int:
        """A user writes ``text`` in ``chat_id``; returns the update_id."""
        return self.enqueue(self.message_update(chat_id, text, **kwargs))

    def press_button(self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None) -> int:
        """A user presses an inline button with ``data`` under the bot's message; returns the update_id."""
        message = self.messages.get((chat_id, message_id)) or {
            "message_id": message_id, "date": int(time.time()), "chat": self.chat(chat_id), "text": "…",
            "from": self.bot_user}
        query = {"id": f"cq{self.next_update_id()}", "from": self.user(user_id if user_id is not None else chat_id),
                 "chat_instance": f"ci{chat_id}", "data": data, "message": message}
        return self.enqueue({"update_id": self.next_update_id(), "callback_query": query})

    def fail_next(self, method: str, status: int = 429, *, description: str | None = None,
                  retry_after: int | None = None, times: int = 1, disconnect: bool = False) -> None:
        """The next ``times`` calls of ``method`` fail: an error answer, or a dropped connection."""
        if description is None:
            description = {429: f"Too Many Requests: retry after {retry_after}",
                           403: "Forbidden: bot was blocked by the user",
                           400: "Bad Request: chat not found"}.get(status, "Internal Server Error")
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._lock:
            self._failures.setdefault(method, []).append(
                _Failure(status, description, retry_after, times, disconnect))

    def calls(self, method: str | None = None) -> list[ApiCall]:
        with self._lock:
            return [c for c in self.log if method is None or c.method == method]

    def sent_texts(self, chat_id: int) -> list[str]:
        """Texts of sendMessage calls to a chat, in order."""
        return [c.params["text"] for c in self.calls("sendMessage") if c.params.get("chat_id") == chat_id]

    async def wait_for(self, method: str, count: int = 1, *, timeout: float = 10.0,
                       chat_id: int | None = None) -> list[ApiCall]:
        """Wait until at least ``count`` calls of ``method`` (to ``chat_id``, if given) have arrived."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls(method) if chat_id is None or c.params.get("chat_id") == chat_id]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} {method} call(s), got {len(found)}: {self.calls()}")
            await asyncio.sleep(0.01)

    async def wait_taken(self, update_id: int, *, timeout: float = 10.0) -> None:
        """Wait until the bot has taken update ``update_id``: it polls again with an offset past it, which it does
        only once the update is in its queue. A channel's stop() then waits for it to be handled, so what is
        asserted after stop() holds for that update too (the explicit signal, rather than a sleep)."""
        deadline = time.monotonic() + timeout
        while not any((c.params.get("offset") or 0) > update_id for c in self.calls("getUpdates")):
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot never took update {update_id}")
            await asyncio.sleep(0.01)

    def wait_for_sync(self, method: str, count: int = 1, *, timeout: float = 10.0) -> list[ApiCall]:
        deadline = time.monotonic() + timeout
        while len(found := self.calls(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} {method} call(s), got {len(found)}")
            time.sleep(0.01)
        return found

    async def deliver_to_webhook(self, update: dict[str, Any], *, secret: str | None = "registered") -> int:
        """POST an update to the registered webhook as Telegram would; returns the HTTP status.

        ``secret="registered"`` sends the secret given to setWebhook; None sends no header; anything else
        is sent as it is.
        """
        headers = {}
        token = self.webhook.get("secret_token") if secret == "registered" else secret
        if token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = token
        async with ClientSession() as session, session.post(self.webhook["url"], json=update,
                                                            headers=headers) as response:
            return response.status

    # ------------------------------------------------------------------ the HTTP side
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        params, files = await _read_params(request)
        call = ApiCall(method, params, files)
        with self._lock:
            self.log.append(call)
            queued = self._failures.get(method)
            failure = queued[0] if queued else None
            if failure is not None:
                failure.times -= 1
                if failure.times <= 0:
                    queued.pop(0)
        if failure is not None:
            if failure.disconnect:
                assert request.transport is not None
                request.transport.close()
                return web.Response(status=500)
            return _error(failure.status, failure.description, failure.retry_after)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        try:
            result = await handler(params, files)
        except _ApiError as exc:
            return _error(exc.status, exc.description)
        return web.json_response({"ok": True, "result": result})

    async def _api_getFile(self, params: dict, files: dict) -> Any:
        file_id = params.get("file_id")
        if file_id not in self.files:
            raise _ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id]),
                "file_path": f"documents/{file_id}"}

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        file_id = request.match_info["path"].rpartition("/")[2]
        with self._lock:
            self.log.append(ApiCall("download", {"file_id": file_id}, {}))
        if file_id not in self.files:
            return _error(404, "Not Found")
        return web.Response(body=self.files[file_id], content_type="application/octet-stream")

    async def _api_getMe(self, params: dict, files: dict) -> Any:
        return self.bot_user

    async def _api_deleteWebhook(self, params: dict, files: dict) -> Any:
        self.webhook = {"url": "", "secret_token": None}
        if params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    async def _api_setWebhook(self, params: dict, files: dict) -> Any:
        self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token"),
                        "allowed_updates": params.get("allowed_updates")}
        return True

    async def _api_getWebhookInfo(self, params: dict, files: dict) -> Any:
        return {"url": self.webhook["url"], "has_custom_certificate": False, "pending_update_count": 0}

    async def _api_getUpdates(self, params: dict, files: dict) -> Any:
        if self.webhook["url"]:
            raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = params.get("offset")
        limit = params.get("limit") or 100
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        assert self._new_updates is not None
        while True:
            with self._lock:
                if offset is not None:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = self._updates[:limit]
                self._new_updates.clear()
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._stopping:
                return ready
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_updates.wait(), remaining)

    def _store(self, chat_id: int, extra: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": self.chat(chat_id),
                   "from": self.bot_user, **extra}
        replied = (params.get("reply_parameters") or {}).get("message_id")
        if replied is not None and (chat_id, replied) in self._user_messages:
            message["reply_to_message"] = self._user_messages[(chat_id, replied)]
        self.messages[(chat_id, message["message_id"])] = message
        return message

    async def _api_sendMessage(self, params: dict, files: dict) -> Any:
        text = params.get("text") or ""
        if not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        if params.get("parse_mode") == "HTML":
            _check_html(text)
        extra: dict[str, Any] = {"text": text}
        if "reply_markup" in params:
            extra["reply_markup"] = params["reply_markup"]
        return self._store(params["chat_id"], extra, params)

    async def _api_sendDocument(self, params: dict, files: dict) -> Any:
        if "document" not in files:
            raise _ApiError(400, "Bad Request: there is no document in the request")
        filename, content = files["document"]
        caption = params.get("caption") or ""
        if len(caption) > 1024:
            raise _ApiError(400, "Bad Request: message caption is too long")
        document = {"file_id": f"doc{len(self.log)}", "file_unique_id": f"u{len(self.log)}",
                    "file_name": filename, "mime_type": "application/pdf", "file_size": len(content)}
        extra: dict[str, Any] = {"document": document, "caption": caption}
        if "reply_markup" in params:
            extra["reply_markup"] = params["reply_markup"]
        return self._store(params["chat_id"], extra, params)

    async def _api_sendPhoto(self, params: dict, files: dict) -> Any:
        if "photo" not in files:
            raise _ApiError(400, "Bad Request: there is no photo in the request")
        _filename, content = files["photo"]
        if not content.startswith(b"\x89PNG") and not content.startswith(b"\xff\xd8"):
            raise _ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        caption = params.get("caption") or ""
        if len(caption) > 1024:
            raise _ApiError(400, "Bad Request: message caption is too long")
        photo = [{"file_id": f"photo{len(self.log)}", "file_unique_id": f"u{len(self.log)}", "width": 800,
                  "height": 600, "file_size": len(content)}]
        extra: dict[str, Any] = {"photo": photo, "caption": caption}
        if "reply_markup" in params:
            extra["reply_markup"] = params["reply_markup"]
        return self._store(params["chat_id"], extra, params)

    async def _api_editMessageText(self, params: dict, files: dict) -> Any:
        key = (params.get("chat_id"), params.get("message_id"))
        message = self.messages.get(key)  # type: ignore[arg-type]
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        if message.get("text") == params.get("text") and message.get("reply_markup") == params.get("reply_markup"):
            raise _ApiError(400, "Bad Request: message is not modified")
        if params.get("parse_mode") == "HTML":
            _check_html(params.get("text") or "")
        message["text"] = params.get("text")
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        return message

    async def _api_editMessageReplyMarkup(self, params: dict, files: dict) -> Any:
        message = self.messages.get((params.get("chat_id"), params.get("message_id")))  # type: ignore[arg-type]
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        message["reply_markup"] = params.get("reply_markup")
        return message

    async def _api_answerCallbackQuery(self, params: dict, files: dict) -> Any:
        return True

    async def _api_setMyCommands(self, params: dict, files: dict) -> Any:
        self.commands = params.get("commands") or []
        scope = (params.get("scope") or {}).get("type", "default")
        self.menus[(scope, params.get("language_code"))] = self.commands
        return True

    async def _api_deleteMyCommands(self, params: dict, files: dict) -> Any:
        self.commands = []
        return True

    async def _api_sendChatAction(self, params: dict, files: dict) -> Any:
        return True


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)


def _entities(text: str) -> list[dict[str, Any]]:
    """bot_command and mention entities, found the way Telegram finds them (offsets in UTF-16 units)."""
    entities = []
    position = 0
    for word in text.split(" "):
        start = len(text[:position].encode("utf-16-le")) // 2
        length = len(word.encode("utf-16-le")) // 2
        if word.startswith("/") and position == 0 and len(word) > 1:
            entities.append({"type": "bot_command", "offset": 0, "length": length})
        elif word.startswith("@") and len(word) > 1:
            entities.append({"type": "mention", "offset": start, "length": length})
        position += len(word) + 1
    return entities


def _check_html(text: str) -> None:
    """Refuse text that Telegram's HTML parser would refuse: a bare < or & that is not an entity."""
    stripped = re.sub(r"</?(b|i|u|s|code|pre|a)( href=\"[^\"]*\")?>", "", text)
    if "<" in stripped or ">" in stripped:
        raise _ApiError(400, "Bad Request: can't parse entities: unsupported start tag")
    if re.search(r"&(?!(amp|lt|gt|quot|#\d+);)", stripped):
        raise _ApiError(400, "Bad Request: can't parse entities: unexpected end of name")


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    params: dict[str, Any] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if request.content_type == "application/json":
        raw = await request.json()
        return dict(raw), files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = (value.filename, value.file.read())
            continue
        params[key] = _decode(key, value)
    return params, files


def _decode(key: str, value: str) -> Any:
    if key in _JSON_PARAMS:
        return json.loads(value)
    if key in _INT_PARAMS:
        try:
            return int(value)
        except ValueError:
            return value
    if key in _BOOL_PARAMS:
        return value.lower() == "true"
    return value
