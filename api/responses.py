"""Responses that keep their data, and the route class every router uses.

Endpoints return a :class:`DataResponse` (the data plus how to encode it). The route
class then does, in one place for every endpoint: the consumer's pseudonyms in path
ids (turned back into real ids before the endpoint runs), the redaction of the data
for redacted roles (before it is encoded, so GraphML and GEXF are redacted too), and
the count of rows returned for the audit log. A redacted role gets nothing that is not
a :class:`DataResponse`: the route fails closed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from conductgraph.graph.errors import ForbiddenError, NotFoundError

from .auth import ROLE_SCOPES, Authorize, Principal, roles_with

Encoder = Callable[[Any], bytes]


#: Keys that are not strings become strings, and dates and times go through ``str``, as
#: json.dumps(default=str) writes them.
_ORJSON = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def encode_json(data: Any) -> bytes:
    """UTF-8 JSON; values JSON has no type for are written as their ``str``."""
    try:
        return orjson.dumps(data, default=str, option=_ORJSON)
    except orjson.JSONEncodeError:
        # orjson refuses integers beyond 64 bits and nesting deeper than 255; json does not.
        return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


class DataResponse(Response):
    """A response that keeps the data it was rendered from."""

    def __init__(self, data: Any, *, media_type: str = "application/json",
                 encoder: Encoder = encode_json, status_code: int = 200,
                 headers: dict[str, str] | None = None) -> None:
        self.data = data
        self.encoder = encoder
        super().__init__(encoder(data), status_code=status_code, media_type=media_type, headers=headers)

    def replaced(self, data: Any) -> DataResponse:
        skip = ("content-length", "content-type")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
        return DataResponse(data, media_type=self.media_type or "application/json", encoder=self.encoder,
                            status_code=self.status_code, headers=headers)


def row_count(data: Any) -> int:
    """Rows a response carries: the items of a page, the nodes and edges of a subgraph,
    the rows of a query, or 1 for one object."""
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict):
        for key in ("items", "rows"):
            if isinstance(data.get(key), list):
                return len(data[key])
        if isinstance(data.get("nodes"), list):
            return len(data["nodes"]) + len(data.get("edges") or [])
    return 1


class DataRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        # Publish the scope and the roles allowed in the OpenAPI schema (and the tests' route table).
        scopes = [d.dependency.scope for d in self.dependencies if isinstance(d.dependency, Authorize)]
        self.scope = scopes[0] if scopes else None
        if scopes:
            self.openapi_extra = {**(self.openapi_extra or {}), "x-scope": scopes[0],
                                  "x-roles": roles_with(scopes[0])}

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            # Auth runs inside the handler's dependencies; pseudonyms must be resolved before,
            # so look the token up here too (cheap: the token file is cached).
            principal = _principal(request)
            if principal is not None and principal.redacted and self.scope in ROLE_SCOPES[principal.role]:
                await run_in_threadpool(_resolve_pseudonyms, request)
            response = await handler(request)
            principal = getattr(request.state, "principal", None)
            if isinstance(principal, Principal) and principal.redacted:
                if not isinstance(response, DataResponse):
                    raise ForbiddenError("this response cannot be redacted for the consumer role")
                app, original = request.app, response
                data = await run_in_threadpool(
                    app.state.store.run, lambda store: app.state.redactor.redact(store, original.data))
                response = original.replaced(data)
            if isinstance(response, DataResponse):
                request.state.rows = row_count(response.data)
            return response

        return route_handler


def _principal(request: Request) -> Principal | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    record = request.app.state.tokens.check(token.strip())
    return Principal(record.id, record.role, record.name) if record else None


def _resolve_pseudonyms(request: Request) -> None:
    """Path ids a consumer sends are pseudonyms: map them to real ids; refuse real names."""
    app = request.app
    params = dict(request.scope.get("path_params") or {})
    for key, value in params.items():
        if not isinstance(value, str):
            continue
        real = app.state.store.run(lambda store, v=value: app.state.redactor.real_id(store, v))
        if real is not None:
            params[key] = real
        elif app.state.store.run(lambda store, v=value: app.state.redactor.is_identity(store, v)):
            raise NotFoundError(f"no such id {value!r}; this role addresses people by pseudonym",
                                detail={"id": value})
    request.scope["path_params"] = params
