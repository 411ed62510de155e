"""A subgraph as GraphML, GEXF or Cytoscape.js JSON, written by NetworkX's own writers."""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

from .errors import InputError

# format -> media type of the written document
FORMATS: dict[str, str] = {
    "json": "application/json",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "cytoscape": "application/json",
}


def _scalar(value: Any) -> Any:
    # GraphML and GEXF attributes are scalars: lists and maps travel as JSON text.
    if isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def to_networkx(subgraph: dict[str, Any]) -> nx.MultiDiGraph:
    """The subgraph as a MultiDiGraph keyed by node ``id``; attributes flattened to scalars."""
    graph = nx.MultiDiGraph()
    for node in subgraph["nodes"]:
        attrs = {k: _scalar(v) for k, v in node["properties"].items() if v is not None}
        attrs["labels"] = ";".join(node["labels"])
        graph.add_node(node["id"], **attrs)
    for edge in subgraph["edges"]:
        attrs = {k: _scalar(v) for k, v in edge["properties"].items() if v is not None}
        graph.add_edge(edge["source"], edge["target"], key=edge["id"], type=edge["type"], **attrs)
    return graph


def export_subgraph(subgraph: dict[str, Any], fmt: str) -> bytes:
    """The subgraph written in ``fmt`` (graphml, gexf or cytoscape) as UTF-8 bytes."""
    if fmt not in FORMATS or fmt == "json":
        raise InputError(f"unknown export format {fmt!r}", detail={"field": "format",
                                                                  "allowed": sorted(FORMATS)})
    graph = to_networkx(subgraph)
    graph.graph["truncated"] = bool(subgraph.get("truncated"))
    if fmt == "cytoscape":
        return json.dumps(nx.cytoscape_data(graph), ensure_ascii=False).encode()
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buf, encoding="utf-8")
    else:
        nx.write_gexf(graph, buf, encoding="utf-8")
    return buf.getvalue()
