"""Errors as RFC 9457 problem documents (application/problem+json)."""
from __future__ import annotations

from typing import Any

from aiohttp import web

from adapters.api.schemas import Problem

PROBLEM_TYPE = "application/problem+json"


class ApiError(Exception):
    def __init__(self, status: int, title: str, detail: str, *, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.problem = Problem(title=title, status=status, detail=detail, **extra)
        self.headers = headers or {}


def not_found(kind: str, ref: str) -> ApiError:
    return ApiError(404, "Not found", f"You have no {kind} {ref!r}.")


def problem_response(error: ApiError) -> web.Response:
    return web.Response(status=error.problem.status, headers=error.headers, content_type=PROBLEM_TYPE,
                        text=error.problem.model_dump_json(exclude_none=True))
