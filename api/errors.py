"""Every failure the API answers has one shape: ``{"error": {"code", "message", "detail"}}``.

Project errors keep their ``code`` and ``http_status``; Starlette's HTTP errors (404
unknown route, 405) and FastAPI's validation errors (422) are translated; anything
else is a 500 with a generic message (and the traceback in the server log, never in
the response).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from conductgraph.graph.errors import ConductGraphError

log = logging.getLogger("conductgraph.api")

HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid_input", 429: "too_many_requests", 503: "store_unavailable",
}


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "detail": detail}}


def error_response(status: int, code: str, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, detail), status_code=status, headers=headers)


async def _project_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ConductGraphError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
    if exc.http_status == 503:
        headers = {"Retry-After": "1"}
    return error_response(exc.http_status, exc.code, exc.message, exc.detail, headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404 and message == "Not Found":
        message = f"no endpoint {request.method} {request.url.path}"
    return error_response(exc.status_code, code, message, None, getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body") or None,
         "message": e.get("msg"), "type": e.get("type")}
        for e in exc.errors()
    ]
    first = problems[0] if problems else {"field": None, "message": "invalid request"}
    message = f"{first['field']}: {first['message']}" if first["field"] else str(first["message"])
    return error_response(422, "invalid_input", message, problems)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "the server failed; see its log")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ConductGraphError, _project_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
