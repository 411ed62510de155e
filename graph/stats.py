"""Counts per label and relationship type."""

from __future__ import annotations

from .queries import load_query
from .store import GraphStore


def graph_stats(store: GraphStore) -> dict[str, dict[str, int]]:
    """``{"labels": {label: n}, "relationships": {type: n}}``, sorted by name."""
    labels = store.read(load_query("read/stats_labels"))
    rels = store.read(load_query("read/stats_relationships"))
    return {
        "labels": {r["label"]: int(r["n"]) for r in labels},
        "relationships": {r["type"]: int(r["n"]) for r in rels},
    }
