"""What every router shares: its scope and route class, the store call, pagination."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request

from conductgraph.graph.errors import InputError
from conductgraph.graph.store import GraphStore

from ..auth import Authorize
from ..errors import error_body
from ..responses import DataRoute

T = TypeVar("T")

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message", "detail"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "detail": {}},
    }},
}
_ERROR = {"content": {"application/json": {"schema": ERROR_SCHEMA,
                                           "example": error_body("not_found", "no person with id 'x'")}}}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, **_ERROR} for status, text in (
        (401, "No valid bearer token"), (403, "The token's role may not do this"),
        (404, "Unknown id"), (422, "Invalid parameters"), (503, "The store is unavailable"))
}


def make_router(scope: str, *, tags: list[str | Enum]) -> APIRouter:
    """A router whose every endpoint needs ``scope`` and passes through :class:`DataRoute`."""
    return APIRouter(route_class=DataRoute, dependencies=[Depends(Authorize(scope))], tags=tags,
                     responses=ERROR_RESPONSES)


def with_store(request: Request, work: Callable[[GraphStore], T]) -> T:
    """Run ``work`` with the process's store (reconnecting after a store restart)."""
    return request.app.state.store.run(work)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class PageParams:
    offset: int
    limit: int


def page_params(
    request: Request,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Rows to skip.")] = 0,
    limit: Annotated[int | None, Query(ge=1, description="Rows per page (at most the "
                                       "`api_max_page_size` setting).")] = None,
) -> PageParams:
    settings = request.app.state.settings
    if limit is not None and limit > settings.api_max_page_size:
        raise InputError(f"limit: at most {settings.api_max_page_size}",
                         detail={"field": "limit", "max": settings.api_max_page_size})
    return PageParams(offset, limit or settings.api_default_page_size)


Page = Annotated[PageParams, Depends(page_params)]
