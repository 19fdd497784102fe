"""Web API clients pointed at SLACK_API_URL, retrying rate-limited calls (HTTP 429 + Retry-After)."""
from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

DEFAULT_API_URL = "https://slack.com/api/"
RATE_LIMIT_RETRIES = 3


def build_async_client(token: str | None, api_url: str | None = None) -> AsyncWebClient:
    return AsyncWebClient(
        token=token,
        base_url=_with_slash(api_url or DEFAULT_API_URL),
        retry_handlers=[AsyncConnectionErrorRetryHandler(),
                        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)],
    )


def build_sync_client(token: str | None, api_url: str | None = None) -> WebClient:
    """For the notifier, which is called from other threads while (or without) the channel running."""
    return WebClient(
        token=token,
        base_url=_with_slash(api_url or DEFAULT_API_URL),
        retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)],
    )


def _with_slash(url: str) -> str:
    """slack-sdk joins base_url and the method name as strings: ``.../api`` + ``chat.postMessage`` breaks."""
    return url if url.endswith("/") else url + "/"


def error_code(exc: Exception) -> str:
    """Slack's error code (``not_in_channel``) of a failed call, or the HTTP status when the body wasn't JSON."""
    response = getattr(exc, "response", None)
    data = getattr(response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"http_{getattr(response, 'status_code', 'error')}"
