"""The OpenAPI 3.1 document, generated from the route table and the pydantic models (never written by hand)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from adapters.api import schemas

if TYPE_CHECKING:
    from adapters.api.app import Route

REF = "#/components/schemas/{model}"
PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "id": {"type": "integer", "minimum": 1},
    "number": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_-]*$", "maxLength": 40},
}
ERRORS = {
    "401": "No token, or one that is unknown or revoked",
    "404": "No such object in this account",
    "422": "The request can't be acted on (the detail says why)",
    "429": "Too many requests with this token: wait Retry-After seconds",
}


def openapi_document(routes: Sequence[Route], prefix: str) -> dict[str, Any]:
    models: list[type[BaseModel]] = [schemas.Problem]
    for route in routes:
        models += [m for m in (route.response, route.body) if m is not None]
    unique = list(dict.fromkeys(models))
    refs, defs = models_json_schema([(m, "serialization" if _is_response(m, routes) else "validation")
                                     for m in unique], ref_template=REF)
    ref = {model: refs[(model, mode)] for (model, mode) in refs}
    problem = {"application/problem+json": {"schema": ref[schemas.Problem]}}
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        responses: dict[str, Any] = {}
        ok = {"description": route.summary}
        if route.raw:
            ok["content"] = {route.raw: {"schema": {"type": "string", "format": "binary"}}}
        elif route.response is not None:
            ok["content"] = {"application/json": {"schema": ref[route.response]}}
        responses[str(route.status)] = ok
        for status, meaning in route.also:
            responses[str(status)] = {"description": meaning, "content": ok.get("content", {})}
        for status, meaning in ERRORS.items():
            responses[status] = {"description": meaning, "content": problem}
        responses["429"]["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                                       "description": "Seconds until the token may ask again"}}
        parameters = [{"name": name, "in": "path", "required": True, "schema": PATH_PARAMETERS[name]}
                      for name in re.findall(r"{(\w+)}", route.path)]
        if route.query is not None:
            parameters += _query_parameters(route.query)
        if route.stream:
            parameters.append({"name": "Last-Event-ID", "in": "header", "required": False,
                               "description": "Resume after this event id (sent by EventSource on reconnecting)",
                               "schema": {"type": "string", "pattern": "^[0-9]{1,9}$"}})
        if route.method == "POST":
            parameters.append({"name": "Idempotency-Key", "in": "header", "required": False,
                               "description": "A retry with the same key gets the first answer (kept 24 hours)",
                               "schema": {"type": "string", "minLength": 1, "maxLength": 255,
                                          "pattern": "^[!-~]+$"}})
        operation: dict[str, Any] = {"operationId": route.operation.__name__.removesuffix("_route"),
                                     "summary": route.summary, "responses": responses}
        if parameters:
            operation["parameters"] = parameters
        if route.body is not None:
            operation["requestBody"] = {"required": True,
                                        "content": {"application/json": {"schema": ref[route.body]}}}
        paths.setdefault(prefix + route.path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "invoicebot", "version": "1",
                 "description": "Your books over HTTP: clients, tasks, invoices, payments. Authenticate with a "
                                "personal token from /token new: Authorization: Bearer ib_…"},
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {}),
                       "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
        "security": [{"token": []}],
    }


def _is_response(model: type[BaseModel], routes: Sequence[Route]) -> bool:
    return model is schemas.Problem or any(route.response is model for route in routes)


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """Each field of a query model as a query parameter (optional ones without their ``null`` alternative)."""
    schema = model.model_json_schema(by_alias=True)
    parameters = []
    for name, field in schema["properties"].items():
        field = {k: v for k, v in field.items() if k not in ("title", "default")}
        options = [o for o in field.pop("anyOf", []) if o.get("type") != "null"]
        if options:
            field.update(options[0])
        parameters.append({"name": name, "in": "query", "required": name in schema.get("required", []),
                           "schema": field})
    return parameters
