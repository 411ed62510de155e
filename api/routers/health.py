"""``GET /health`` (no token) and ``GET /stats``."""

from __future__ import annotations

from fastapi import APIRouter, Request

from conductgraph.graph.errors import StoreUnavailableError
from conductgraph.graph.stats import graph_stats

from ..auth import BROWSE
from ..responses import DataResponse, DataRoute
from ..store_access import describe
from .common import ERROR_RESPONSES, make_router, with_store

health_router = APIRouter(route_class=DataRoute, tags=["health"])
stats_router = make_router(BROWSE, tags=["health"])


@health_router.get("/health", responses={503: ERROR_RESPONSES[503]})
def health(request: Request) -> DataResponse:
    """Whether the store answers; 503 with the error body when it does not. Needs no token."""
    store = describe(request.app.state.store)
    if not store["reachable"]:
        raise StoreUnavailableError(f"the {store['backend']} store is not reachable", detail=store)
    return DataResponse({"status": "ok", "store": store})


@stats_router.get("/stats")
def stats(request: Request) -> DataResponse:
    """Counts of nodes per label and of relationships per type."""
    return DataResponse(with_store(request, graph_stats))
