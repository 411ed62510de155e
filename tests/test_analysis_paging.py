"""Paged analysis reads lose and repeat nothing, however small the windows."""

from __future__ import annotations

import json

import pytest

from conductgraph.graph.analysis_reads import paged
from conductgraph.graph.store import GraphStore

QUERIES = ["analysis/messages_page", "analysis/coding_messages_page", "analysis/flagged_page",
           "analysis/exposures_page", "analysis/mentions_page", "analysis/replies_page"]


def _rows(store: GraphStore, query: str, page: int) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in paged(store, query, page=page))


@pytest.mark.parametrize("query", QUERIES)
def test_small_windows_give_the_same_rows(store: GraphStore, query: str) -> None:
    whole = _rows(store, query, 10**9)
    assert _rows(store, query, 3) == whole
    if query in ("analysis/messages_page", "analysis/coding_messages_page",
                 "analysis/flagged_page", "analysis/exposures_page"):
        assert whole, f"{query} found nothing in the sample"
