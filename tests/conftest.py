"""Shared fixtures: a real embedded FalkorDB started by the tests (and Neo4j when configured).

One FalkorDB server runs per test session in a temporary data directory; each
fixture gets its own graph name on it, so tests do not see each other's data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from bench.support import scratch_data_dir
from conductgraph.graph.loading import SAMPLE_CASE, load_paths
from conductgraph.graph.settings import Settings
from conductgraph.graph.store import GraphStore, open_store

FIXTURES = Path(__file__).parent / "fixtures"

# CI (.ci/run sets CI=1) runs the property tests on the same examples every time, so a red
# CI means the change broke something; other runs draw new examples and keep exploring.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")
BACKENDS = [
    "falkordb",
    pytest.param("neo4j", marks=pytest.mark.skipif(
        not os.environ.get("NEO4J_URI"), reason="Neo4j tests run when NEO4J_URI is set")),
]


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with scratch_data_dir("test") as path:
        yield path


def make_settings(data_dir: Path, backend: str = "falkordb", **overrides: object) -> Settings:
    """Settings for a test: its own graph, nothing read from the developer's environment."""
    values: dict[str, object] = {
        "backend": backend,
        "data_dir": data_dir,
        "graph_name": f"t_{uuid.uuid4().hex[:10]}",
        "batch_size": 500,
        "bulk_batch_size": 500,
    }
    if backend == "neo4j":
        values.update(neo4j_uri=os.environ["NEO4J_URI"],
                      neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
                      neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
                      neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"))
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return make_settings(data_dir)


@pytest.fixture(params=BACKENDS)
def empty_store(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[GraphStore]:
    """A store with nothing in it (its own graph), cleared afterwards."""
    settings = make_settings(data_dir, request.param)
    store = open_store(settings)
    store.clear()
    yield store
    store.clear()
    store.close()


@pytest.fixture(scope="session", params=BACKENDS)
def store(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[GraphStore]:
    """A store with the Operation Hotton sample loaded. Read it; do not write to it."""
    settings = make_settings(data_dir, request.param)
    st = open_store(settings)
    st.clear()
    load_paths(st, [SAMPLE_CASE], settings)
    yield st
    st.clear()
    st.close()
