"""A short summary of what a store holds (``conductgraph demo``)."""

from __future__ import annotations

from typing import Any

from .queries import load_query
from .stats import graph_stats
from .store import GraphStore


def case_summary(store: GraphStore) -> dict[str, Any]:
    """Counts, investigations with their recommendations, groups, and flags per category."""
    return {
        "stats": graph_stats(store),
        "investigations": store.read(load_query("read/summary_investigations")),
        "groups": store.read(load_query("read/summary_groups")),
        "categories": store.read(load_query("read/summary_categories")),
    }


def unresolved_people(store: GraphStore) -> list[dict[str, Any]]:
    """People known only by a handle, most messages first."""
    return store.read(load_query("read/unresolved_people"))
