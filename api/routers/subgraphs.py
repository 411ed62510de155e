"""``GET /people/{id}/subgraph`` and ``GET /groups/{id}/subgraph`` (JSON, GraphML, GEXF, Cytoscape)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Request

from conductgraph.graph.errors import InputError
from conductgraph.graph.graph_export import FORMATS, export_subgraph
from conductgraph.graph.subgraph import MAX_DEPTH, subgraph

from ..auth import SUBGRAPH
from ..responses import DataResponse, encode_json
from ..subgraph_turns import in_turn
from .common import make_router, with_store

router = make_router(SUBGRAPH, tags=["subgraphs"])
DEFAULT_LIMIT = 200

Depth = Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from the start node.")]
Rel = Annotated[str | None, Query(max_length=1000, description=(
    "Relationship types to follow, comma-separated (SENT,MEMBER_OF,…); all when absent."))]
Limit = Annotated[int | None, Query(ge=1, description=(
    "Most nodes (at most the `api_max_subgraph_nodes` setting); beyond it the subgraph is cut "
    "deterministically and `truncated` is true."))]
Format = Annotated[Literal["json", "graphml", "gexf", "cytoscape"], Query(
    alias="format", description="json (nodes and edges), graphml, gexf or cytoscape (Cytoscape.js JSON).")]


def _respond(request: Request, kind: str, seed: str, depth: int, rel: str | None,
             limit: int | None, fmt: str) -> DataResponse:
    most = request.app.state.settings.api_max_subgraph_nodes
    if limit is not None and limit > most:
        raise InputError(f"limit: at most {most}", detail={"field": "limit", "max": most})
    data = with_store(request, lambda s: subgraph(
        s, kind, seed, depth=depth, rel_types=rel, limit=limit or min(DEFAULT_LIMIT, most)))
    if fmt == "json":
        return DataResponse(data)
    filename = f"{kind}-subgraph.{'json' if fmt == 'cytoscape' else fmt}"

    def encode(graph: Any) -> bytes:
        return export_subgraph(graph, fmt) if fmt != "json" else encode_json(graph)

    return DataResponse(data, media_type=FORMATS[fmt], encoder=encode,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# Async endpoints that hand the work (and the encoding) to a thread in the worker's subgraph
# turns (api/subgraph_turns.py), not to the pool every other endpoint shares.
@router.get("/people/{person_id}/subgraph")
async def person_subgraph(request: Request, person_id: str, depth: Depth = 1, rel: Rel = None,
                          limit: Limit = None, fmt: Format = "json") -> DataResponse:
    """The network around a person: `{nodes: [{id, labels, properties}], edges: [{id, type, source,
    target, properties}], truncated}`."""
    return await in_turn(request, lambda: _respond(request, "person", person_id, depth, rel, limit, fmt))


@router.get("/groups/{group_id}/subgraph")
async def group_subgraph(request: Request, group_id: str, depth: Depth = 1, rel: Rel = None,
                         limit: Limit = None, fmt: Format = "json") -> DataResponse:
    """The network around a group; same shape and parameters as the person subgraph."""
    return await in_turn(request, lambda: _respond(request, "group", group_id, depth, rel, limit, fmt))
