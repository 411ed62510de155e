"""``GET /investigations/{id}`` and ``GET /recommendations``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from conductgraph.graph.browse import get_investigation, list_recommendations

from ..auth import BROWSE
from ..responses import DataResponse
from .common import Page, make_router, with_store

router = make_router(BROWSE, tags=["investigations"])


@router.get("/investigations/{investigation_id}")
def investigation(request: Request, investigation_id: str) -> DataResponse:
    """An investigation with its findings and the messages they cite, its recommendations with
    the responses to them, and the documents reporting on it."""
    return DataResponse(with_store(request, lambda s: get_investigation(s, investigation_id)))


@router.get("/recommendations")
def recommendations(
    request: Request,
    page: Page,
    status: Annotated[str | None, Query(max_length=50, description="accepted, rejected, …")] = None,
) -> DataResponse:
    """Recommendations by investigation and number, optionally of one status."""
    return DataResponse(with_store(request, lambda s: list_recommendations(
        s, status=status, offset=page.offset, limit=page.limit)))
