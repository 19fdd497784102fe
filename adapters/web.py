"""What every route of the one HTTP server needs against strangers: a small body limit, a rate limit for pages
anyone may open, and a log that says "refused" once rather than once per request of a flood."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiohttp import web


async def read_body(request: web.Request, limit: int) -> bytes:
    """The request body, refused with 413 past ``limit`` bytes: announced (Content-Length) before anything is read,
    or found while reading a chunked body, so a stranger's 10 MB is never held in memory."""
    if request.content_length is not None and request.content_length > limit:
        raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=request.content_length)
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.read(64 * 1024):  # as much as has arrived, up to 64 KB; b"" at the end
        size += len(chunk)
        if size > limit:
            raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=size)
        chunks.append(chunk)
    return b"".join(chunks)


class RateLimit:
    """A token bucket: ``burst`` requests at once, then ``per_minute`` a minute, across all callers."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = per_minute / 60
        self._burst = float(burst)
        self._tokens = float(burst)
        self._clock = clock
        self._last = clock()

    def allow(self) -> bool:
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
        self._last = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    def retry_after(self) -> int:
        """Whole seconds until the next request would be allowed."""
        return max(1, int((1 - self._tokens) / self._rate + 0.999))


class RefusalLog:
    """One short line for a refused request, then at most one a minute with how many more were refused: a flood
    of forged requests must not become a flood of log lines."""

    def __init__(self, logger: logging.Logger, what: str, every: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._logger = logger
        self._what = what
        self._every = every
        self._clock = clock
        self._last: float | None = None
        self._quiet = 0

    def refused(self, reason: str) -> None:
        now = self._clock()
        if self._last is not None and now - self._last < self._every:
            self._quiet += 1
            return
        more = f" ({self._quiet} more refused since the last note)" if self._quiet else ""
        self._logger.warning("%s refused: %s%s", self._what, reason, more)
        self._last, self._quiet = now, 0
