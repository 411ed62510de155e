"""The cycle collector's settings for loads and for the API server, and that they end with them."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from conductgraph.api.app import create_app
from conductgraph.graph.cycle_collector import THRESHOLD, fewer_collections, serving_collections
from conductgraph.graph.settings import Settings


def test_fewer_collections_restores_the_threshold() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == THRESHOLD
    assert gc.get_threshold() == before


def test_serving_freezes_what_exists_and_lets_it_go_after() -> None:
    before = gc.get_threshold()
    with serving_collections():
        assert gc.get_freeze_count() > 1000  # the modules, at least
        assert gc.get_threshold() == THRESHOLD
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


def test_the_api_serves_with_these_settings(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").status_code == 200
        assert gc.get_freeze_count() > 0 and gc.get_threshold() == THRESHOLD
    assert gc.get_freeze_count() == 0
