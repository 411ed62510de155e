"""``GET /groups``, ``GET /groups/{id}`` and ``GET /groups/{id}/messages``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request

from conductgraph.graph.browse import get_group, group_messages, list_groups

from ..auth import BROWSE
from ..responses import DataResponse
from .common import Page, make_router, with_store

router = make_router(BROWSE, tags=["groups"])
TimeText = Annotated[str | None, Query(max_length=40, description=(
    "A date (YYYY-MM-DD) or UTC time (YYYY-MM-DDTHH:MM:SSZ)."))]


@router.get("/groups")
def groups(request: Request, page: Page) -> DataResponse:
    """Groups by id with member, message and flagged-message counts."""
    return DataResponse(with_store(request, lambda s: list_groups(s, offset=page.offset, limit=page.limit)))


@router.get("/groups/{group_id}")
def group(request: Request, group_id: str) -> DataResponse:
    """A group with its members (one row per membership interval) and flagged messages per category."""
    return DataResponse(with_store(request, lambda s: get_group(s, group_id)))


@router.get("/groups/{group_id}/messages")
def messages(
    request: Request,
    group_id: str,
    page: Page,
    date_from: Annotated[TimeText, Query(alias="from")] = None,
    date_to: Annotated[TimeText, Query(alias="to", description="Exclusive.")] = None,
    sender: Annotated[str | None, Query(max_length=300, description="Person id.")] = None,
    category: Annotated[str | None, Query(max_length=100, description="Category id.")] = None,
    kind: Literal["text", "media", "deleted", "system"] | None = None,
) -> DataResponse:
    """Messages posted in a group, oldest first, with sender and categories."""
    return DataResponse(with_store(request, lambda s: group_messages(
        s, group_id, date_from=date_from, date_to=date_to, sender=sender, category=category,
        kind=kind, offset=page.offset, limit=page.limit)))
