"""The REST API channel (SPEC §10): routes on the one HTTP server, each request one transaction.

Every request is authenticated by its bearer token, rate-limited per token, answered in English JSON (errors as
problem+json), and a POST with an ``Idempotency-Key`` is answered from the stored first answer on a retry. The
database work runs in a worker thread (the sessions are synchronous), so a slow request never stalls the others.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from pydantic import BaseModel, ValidationError
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, sessionmaker

from adapters.api import operations as ops
from adapters.api import schemas
from adapters.api.events import BATCH, ChangeHub, changes_after, event_data, format_event, stream_start, stream_zone
from adapters.api.problems import ApiError, problem_response
from adapters.ordering import wait_for
from adapters.web import RateLimit, read_body
from core import metrics
from core.context import Clock
from core.encryption import Cipher
from core.errors import UserError
from core.i18n import use_language
from core.limits import record_number
from core.models import Account, IdempotentRequest
from core.storage import transaction
from core.tokens import authenticate

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
MAX_BODY = 64 * 1024
IDEMPOTENCY_WINDOW = timedelta(hours=24)
MAX_LIMITERS = 10_000
"""Rate-limit buckets kept in memory (one per token seen lately); the oldest goes when a new one comes."""


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    """As the OpenAPI document writes it (``/clients/{id}``), under :data:`PREFIX`."""
    operation: Callable[[ops.Call], ops.Result]
    summary: str
    status: int
    response: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    raw: str | None = None
    """The content type of a response that is a file (a PDF, the e-invoice XML)."""
    also: tuple[tuple[int, str], ...] = ()
    """Other success answers, with what they mean (a preview is 200, not 201)."""
    stream: bool = False
    """Answered by the live event stream rather than one transaction."""


ROUTES: tuple[Route, ...] = (
    Route("GET", "/me", ops.get_me, "The account the token belongs to", 200, schemas.Me),
    Route("GET", "/clients", ops.list_clients, "List clients", 200, schemas.ClientList, query=schemas.Page),
    Route("POST", "/clients", ops.create_client, "Add a client", 201, schemas.Client, body=schemas.ClientCreate),
    Route("GET", "/clients/{id}", ops.get_client, "One client", 200, schemas.Client),
    Route("PATCH", "/clients/{id}", ops.patch_client, "Change a client's fields", 200, schemas.Client,
          body=schemas.ClientPatch),
    Route("GET", "/tasks.csv", ops.get_tasks_csv, "Tasks as CSV (one row per task)", 200, query=schemas.ExportQuery,
          raw="text/csv"),
    Route("GET", "/tasks", ops.list_tasks, "List tasks", 200, schemas.TaskList, query=schemas.TaskQuery),
    Route("POST", "/tasks", ops.create_task, "Log a task, from a phrase or from fields", 201, schemas.Task,
          body=schemas.TaskCreate),
    Route("PATCH", "/tasks/{id}", ops.patch_task, "Change an unbilled task", 200, schemas.Task,
          body=schemas.TaskPatch),
    Route("DELETE", "/tasks/{id}", ops.delete_task_route, "Delete an unbilled task", 204),
    Route("GET", "/invoices", ops.list_invoices, "List invoices and credit notes", 200, schemas.InvoiceList,
          query=schemas.InvoiceQuery),
    Route("POST", "/invoices", ops.create_invoice, "Issue an invoice for a client's unbilled work (or preview it)",
          201, schemas.Invoice, body=schemas.InvoiceCreate, also=((200, "The draft, when preview is true"),)),
    Route("GET", "/invoices.csv", ops.get_invoices_csv, "Invoices and credit notes as CSV (one row each)", 200,
          query=schemas.ExportQuery, raw="text/csv"),
    Route("GET", "/invoices/{number}.pdf", ops.get_invoice_pdf, "The invoice's PDF", 200, raw="application/pdf"),
    Route("GET", "/invoices/{number}.xml", ops.get_invoice_xml, "The invoice's e-invoice (CII XML, EN 16931)", 200,
          raw="application/xml"),
    Route("GET", "/invoices/{number}", ops.get_invoice, "One invoice", 200, schemas.Invoice),
    Route("POST", "/invoices/{number}/payments", ops.create_payment, "Record a payment", 201, schemas.Invoice,
          body=schemas.PaymentCreate),
    Route("POST", "/invoices/{number}/void", ops.void_invoice, "Cancel an invoice with a credit note", 200,
          schemas.VoidResult),
    Route("GET", "/events", ops.events, "Your books' changes, live, as Server-Sent Events (id, event name such as "
          "task.logged or invoice.issued, and the changed object as JSON data); Last-Event-ID resumes", 200,
          raw="text/event-stream", stream=True),
)
EVENTS = PREFIX + "/events"
KNOWN_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
POLL_SECONDS = 0.5
"""How often a stream reads the journal where no notification wakes it (SQLite)."""
UNKNOWN_TOKEN = "That token is unknown or revoked; make one with /token new in a private chat."


class RestApi:
    def __init__(self, sessions: sessionmaker[Session], cipher: Cipher, clock: Clock, *,
                 rate_per_minute: int = 120, heartbeat: float = 15.0) -> None:
        """``heartbeat``: seconds of silence after which an event stream sends a comment line, so proxies and
        clients know the connection is alive."""
        self.sessions = sessions
        self.heartbeat = heartbeat
        self.hub = ChangeHub(sessions.kw["bind"])
        self._closing = asyncio.Event()
        self.cipher = cipher
        self.clock = clock
        self.rate_per_minute = rate_per_minute
        self._limits: OrderedDict[str, RateLimit] = OrderedDict()
        self._document: bytes | None = None

    def routes(self) -> list[tuple[str, str, Callable[[web.Request], Any]]]:
        table: list[tuple[str, str, Callable[[web.Request], Any]]] = [
            ("GET", f"{PREFIX}/openapi.json", self._openapi),
            ("GET", f"{PREFIX}/docs", self._docs),
        ]
        for route in ROUTES:
            table.append((route.method, PREFIX + route.path, self._events if route.stream else self._handler(route)))
        table.append(("*", PREFIX + "/{tail:.*}", self._unknown))
        return table

    def _handler(self, route: Route) -> Callable[[web.Request], Any]:
        async def handle(request: web.Request) -> web.StreamResponse:
            started = time.perf_counter()
            try:
                response = await self._serve(route, request)
            except ApiError as error:
                response = problem_response(error)
            except web.HTTPException as error:  # a body over MAX_BODY …
                metrics.api_request(route.method, PREFIX + route.path, error.status, time.perf_counter() - started)
                raise
            metrics.api_request(route.method, PREFIX + route.path, response.status, time.perf_counter() - started)
            return response
        return handle

    async def _serve(self, route: Route, request: web.Request) -> web.StreamResponse:
        presented = bearer_token(request)
        self._check_rate(presented)
        query = body = None
        removed: list[str] = []  # invisible characters taken out of the texts (schemas.Request)
        context = {"removed": removed}
        if route.query is not None:
            query = validated(lambda: route.query.model_validate(  # type: ignore[union-attr]
                dict(request.query), context=context))
        raw_body = await read_body(request, MAX_BODY) if request.method in ("POST", "PATCH") else b""
        if route.body is not None:
            body = validated(lambda: route.body.model_validate_json(  # type: ignore[union-attr]
                raw_body or b"{}", context=context))
        key = idempotency_key(request) if request.method == "POST" else None
        fingerprint = hashlib.sha256(b"\n".join([request.method.encode(), request.path.encode(), raw_body]))
        match = dict(request.match_info)

        def work() -> tuple[int, str, bytes, bool]:
            with use_language("en"):
                status, content_type, payload, replayed = self._in_transaction(
                    route, presented, match, query, body, key, fingerprint.hexdigest())
                return status, content_type, payload if isinstance(payload, bytes) else payload(), replayed

        try:
            try:
                status, content_type, payload, replayed = await asyncio.to_thread(work)
            except IntegrityError:
                if key is None:
                    raise
                # The same key raced in twice: the other request's answer is stored now; give that one.
                status, content_type, payload, replayed = await asyncio.to_thread(work)
        except (ApiError, web.HTTPException):
            raise
        except Exception as exc:
            ref = uuid.uuid4().hex[:8]
            metrics.error(exc, "api")
            log.exception("unexpected error in %s %s (ref %s)", route.method, route.path, ref)
            raise ApiError(500, "Internal error", f"Sorry, something went wrong (ref {ref}). Nothing was saved; "
                           "please try again.") from None
        headers = {"Idempotent-Replayed": "true"} if replayed else {}
        if removed:
            headers["Invisible-Characters-Removed"] = ", ".join(removed)
        if status == 204:
            return web.Response(status=204, headers=headers)
        return web.Response(status=status, body=payload, content_type=content_type, headers=headers)

    def _in_transaction(self, route: Route, presented: str, match: dict[str, str], query: Any, body: Any,
                        key: str | None, fingerprint: str) -> tuple[int, str, bytes | Callable[[], bytes], bool]:
        """The route's answer; a payload still to draw (a PDF) is returned undrawn, drawn after the commit."""
        with transaction(self.sessions) as session:
            now = self.clock()
            token = authenticate(session, presented, now)
            if token is None:
                raise unauthorized(UNKNOWN_TOKEN)
            account = token_account(session, token.account_id)
            if key is not None:
                stored = session.get(IdempotentRequest, (token.id, key))
                if stored is not None and stored.created_at > now - IDEMPOTENCY_WINDOW:
                    if stored.fingerprint != fingerprint:
                        raise ApiError(422, "Idempotency-Key reused", "That Idempotency-Key was used with another "
                                       "request in the last 24 hours; use a new key for a new request.")
                    return stored.status, stored.content_type, stored.body.encode(), True
                if stored is not None:
                    session.delete(stored)
                session.execute(delete(IdempotentRequest).where(IdempotentRequest.token_id == token.id,
                                                                IdempotentRequest.created_at <= now - IDEMPOTENCY_WINDOW))
            call = ops.Call(session, account, token, now, self.cipher, match, query, body)
            try:
                result = route.operation(call)
            except UserError as error:
                raise ApiError(422, "Not done", error.message) from None
            if result.draw is not None:
                return result.status, result.content_type, result.draw, False
            if result.raw is not None:
                payload, content_type = result.raw, result.content_type
            elif result.model is not None:
                payload, content_type = result.model.model_dump_json().encode(), "application/json"
            else:
                payload, content_type = b"", "application/json"
            if key is not None and result.raw is None:
                session.add(IdempotentRequest(token_id=token.id, key=key, fingerprint=fingerprint,
                                              status=result.status, content_type=content_type,
                                              body=payload.decode(), created_at=now))
                session.flush()
            return result.status, content_type, payload, False

    def _check_rate(self, presented: str) -> None:
        """Per token (by its hash, before any database work, so a flood of bad tokens is limited too)."""
        bucket_key = hashlib.sha256(presented.encode()).hexdigest()
        limit = self._limits.get(bucket_key)
        if limit is None:
            limit = RateLimit(per_minute=self.rate_per_minute, burst=max(1, self.rate_per_minute // 2))
            self._limits[bucket_key] = limit
            while len(self._limits) > MAX_LIMITERS:
                self._limits.popitem(last=False)
        else:
            self._limits.move_to_end(bucket_key)
        if not limit.allow():
            retry = limit.retry_after()
            raise ApiError(429, "Too many requests", f"This token may make {self.rate_per_minute} requests a "
                           f"minute; try again in {retry} seconds.", headers={"Retry-After": str(retry)})

    async def close(self) -> None:
        """End the open event streams (at shutdown: the server then stops without waiting on them)."""
        self._closing.set()
        await self.hub.close()

    async def _events(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        try:
            presented = bearer_token(request)
            self._check_rate(presented)
            resume = last_event_id(request)
            account_id, after, zone = await asyncio.to_thread(self._open_stream, presented, resume)
        except ApiError as error:
            refused = problem_response(error)
            metrics.api_request("GET", EVENTS, refused.status, time.perf_counter() - started)
            return refused
        metrics.api_request("GET", EVENTS, 200, None)  # a stream's time is how long it is watched
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream; charset=utf-8",
                                               "Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        await response.prepare(request)
        wake = self.hub.subscribe(account_id)
        loop = asyncio.get_running_loop()
        try:
            await response.write(b"retry: 1000\n\n")  # reconnect after a second, with Last-Event-ID
            quiet_since = loop.time()
            while not self._closing.is_set():
                read = await asyncio.to_thread(self._read_events, presented, account_id, after, zone)
                if read is None:  # the token was revoked meanwhile
                    break
                chunks, after, zone = read
                if chunks:
                    await response.write(b"".join(chunks))
                    quiet_since = loop.time()
                    if len(chunks) >= BATCH:
                        continue
                elif loop.time() - quiet_since >= self.heartbeat:
                    await response.write(b": heartbeat\n\n")
                    quiet_since = loop.time()
                await wait_for(wake, self.heartbeat if self.hub.notified else min(POLL_SECONDS, self.heartbeat))
        except ConnectionResetError:  # the client went away
            pass
        finally:
            self.hub.unsubscribe(account_id, wake)
        return response

    def _open_stream(self, presented: str, resume: int | None) -> tuple[int, int, ZoneInfo]:
        """The token's account, where its stream starts (after ``resume``, else after the newest change) and the
        account's timezone."""
        with transaction(self.sessions) as session:
            token = authenticate(session, presented, self.clock())
            if token is None:
                raise unauthorized(UNKNOWN_TOKEN)
            return token.account_id, *stream_start(session, token.account_id, resume)

    def _read_events(self, presented: str, account_id: int, after: int,
                     zone: ZoneInfo) -> tuple[list[bytes], int, ZoneInfo] | None:
        """The events after ``after``, and the account's timezone (``zone``, unless these changes may change it)."""
        with transaction(self.sessions) as session, use_language("en"):
            now = self.clock()
            token = authenticate(session, presented, now)
            if token is None or token.account_id != account_id:
                return None
            changes = changes_after(session, account_id, after)
            if not changes:
                return [], after, zone
            zone = stream_zone(session, account_id, zone, changes)
            today = now.astimezone(zone).date()
            return [format_event(c, event_data(session, c, today)) for c in changes], changes[-1].seq, zone

    async def _openapi(self, _request: web.Request) -> web.Response:
        if self._document is None:
            from adapters.api.openapi import openapi_document

            self._document = json.dumps(openapi_document(ROUTES, PREFIX), indent=1).encode()
        return web.Response(body=self._document, content_type="application/json")

    async def _docs(self, _request: web.Request) -> web.Response:
        return web.Response(body=docs_page(), content_type="text/html", charset="utf-8")

    async def _unknown(self, request: web.Request) -> web.Response:
        method = request.method if request.method in KNOWN_METHODS else "other"  # labels stay bounded
        metrics.api_request(method, "unknown", 404, None)
        return problem_response(ApiError(404, "Not found", f"There is no {request.method} {request.path} here; "
                                         f"{PREFIX}/docs lists the routes."))


@cache
def docs_page() -> bytes:
    """The docs page, read from the package once rather than from disk on the event loop at every visit."""
    return resources.files("adapters.api").joinpath("docs.html").read_bytes()


def bearer_token(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise unauthorized("Send your token as “Authorization: Bearer ib_…”; /token new in a private chat makes one.")
    return value.strip()


def unauthorized(detail: str) -> ApiError:
    return ApiError(401, "Unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="invoicebot"'})


def idempotency_key(request: web.Request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
        raise ApiError(422, "Bad Idempotency-Key", "An Idempotency-Key is 1 to 255 printable ASCII characters, "
                       "e.g. a UUID.")
    return key


def last_event_id(request: web.Request) -> int | None:
    """Where a reconnecting client left off: the Last-Event-ID header (or ``last_event_id``, for clients that can't
    set headers); None: start with the next change."""
    value = request.headers.get("Last-Event-ID") or request.query.get("last_event_id")
    if value is None or value.strip() == "":
        return None
    number = record_number(value)
    if number is None and value.strip() != "0":
        raise ApiError(422, "Bad Last-Event-ID", "Last-Event-ID is the id of an event this stream sent (a number).")
    return number or 0


def validated(parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except ValidationError as error:
        errors = json.loads(error.json(include_url=False, include_input=False, include_context=False))
        raise ApiError(422, "Invalid request", "The request doesn't match the API's schema; see errors.",
                       errors=errors) from None


def token_account(session: Session, account_id: int) -> Any:
    return session.get(Account, account_id, options=[joinedload(Account.profile)])
