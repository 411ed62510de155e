"""``GET /people`` and ``GET /people/{id}``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request

from conductgraph.graph.browse import get_person, search_people

from ..auth import BROWSE
from ..responses import DataResponse
from .common import Page, make_router, with_store

router = make_router(BROWSE, tags=["people"])


@router.get("/people")
def people(
    request: Request,
    page: Page,
    q: Annotated[str | None, Query(max_length=200, description="Text in the id, name or an alias.")] = None,
    label: Annotated[Literal["Person", "Officer"], Query(description="Officer: officers only.")] = "Person",
) -> DataResponse:
    """People whose id, name or an alias contains `q` (case-insensitive), by id."""
    return DataResponse(with_store(request, lambda s: search_people(
        s, q=q, label=label, offset=page.offset, limit=page.limit)))


@router.get("/people/{person_id}")
def person(request: Request, person_id: str) -> DataResponse:
    """A person with accounts, postings, memberships, findings and the first messages they sent."""
    return DataResponse(with_store(request, lambda s: get_person(s, person_id)))
