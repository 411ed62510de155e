"""``GET /people/{id}/exposure``, ``GET /exposure``, ``GET /analytics/participation`` and
``GET /analytics/network``: the same objects as the JSON reports."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Request

from conductgraph.graph.browse import time_bound
from conductgraph.graph.exposure import exposure_report
from conductgraph.graph.network import network_report
from conductgraph.graph.participation import participation_report
from conductgraph.graph.person_exposure import person_exposure

from ..auth import ANALYTICS
from ..responses import DataResponse
from .common import make_router, with_store

router = make_router(ANALYTICS, tags=["analytics"])

Group = Annotated[str | None, Query(max_length=300, description="Only this group (id).")]
From = Annotated[str | None, Query(alias="from", max_length=40, description=(
    "Messages from this date (YYYY-MM-DD, midnight UTC) or UTC time, inclusive."))]
To = Annotated[str | None, Query(alias="to", max_length=40, description="Messages before this, exclusive.")]
Category = Annotated[str | None, Query(max_length=100, description="Only this category (id).")]


def _window(group: str | None, date_from: str | None, date_to: str | None) -> dict[str, Any]:
    # Checked here too so that any malformed bound is a 422, whatever the report accepts.
    return {"group": group or None, "date_from": time_bound(date_from, field="from"),
            "date_to": time_bound(date_to, field="to")}


@router.get("/people/{person_id}/exposure")
def exposure_of_person(request: Request, person_id: str, group: Group = None, date_from: From = None,
                       date_to: To = None, category: Category = None) -> DataResponse:
    """What one person sent and saw: their row of the exposure report and those messages."""
    window = _window(group, date_from, date_to)
    return DataResponse(with_store(request, lambda s: person_exposure(
        s, person_id, category=category or None, **window)))


@router.get("/exposure")
def exposure(request: Request, group: Group = None, date_from: From = None, date_to: To = None,
             category: Category = None) -> DataResponse:
    """The exposure report: who saw which flagged messages, per person and per message."""
    window = _window(group, date_from, date_to)
    return DataResponse(with_store(request, lambda s: exposure_report(
        s, category=category or None, **window)))


@router.get("/analytics/participation")
def participation(request: Request, group: Group = None, date_from: From = None,
                  date_to: To = None) -> DataResponse:
    """The participation report: who posted how much, where and when, and who stayed silent."""
    window = _window(group, date_from, date_to)
    return DataResponse(with_store(request, lambda s: participation_report(s, **window)))


@router.get("/analytics/network")
def network(
    request: Request,
    projection: Literal["co_membership", "interaction", "exposure"] = "co_membership",
    measure: Literal["degree", "weighted_degree", "betweenness", "closeness", "eigenvector",
                     "pagerank", "core"] = "betweenness",
    group: Group = None, date_from: From = None, date_to: To = None,
    slice_by: Annotated[Literal["month", "quarter", "none"], Query(
        description="Time slices the measure is tracked over.")] = "quarter",
) -> DataResponse:
    """The network report: people ranked by a centrality measure over a projection, communities,
    brokers, and the measure per time slice."""
    window = _window(group, date_from, date_to)
    return DataResponse(with_store(request, lambda s: network_report(
        s, projection=projection, measure=measure, slice_by=None if slice_by == "none" else slice_by,
        **window)))
