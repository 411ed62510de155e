"""The synthetic case generator: reproducible bytes, and a folder that loads as generated."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conductgraph.graph.errors import InputError
from conductgraph.graph.loading import LoadReport, load_paths
from conductgraph.graph.store import GraphStore, open_store
from conductgraph.loaders.casefile import read_case
from conductgraph.loaders.synthetic_case import generate_case, read_manifest
from tests.conftest import make_settings

# Big enough for a 200-member group and every platform; small enough to load in seconds.
CASE = {"people": 220, "groups": 8, "messages": 6000, "seed": 11}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    generate_case(folder, **CASE)
    return folder


@pytest.fixture(scope="module")
def loaded(data_dir: Path, case_dir: Path) -> Iterator[tuple[GraphStore, LoadReport]]:
    """The case loaded once into its own graph (loading is what takes the time)."""
    settings = make_settings(data_dir)
    store = open_store(settings)
    store.clear()
    report = load_paths(store, [case_dir], settings)
    yield store, report
    store.clear()
    store.close()


def _one(store: GraphStore, text: str) -> int:
    return int(store.read_user(text).rows[0]["n"])


def test_same_seed_same_bytes(tmp_path: Path, case_dir: Path) -> None:
    again = tmp_path / "again"
    generate_case(again, **CASE)
    assert _files(again) == _files(case_dir)


def test_another_seed_another_case(tmp_path: Path, case_dir: Path) -> None:
    other = tmp_path / "other"
    generate_case(other, **{**CASE, "seed": 12})
    assert (other / "case.yaml").read_bytes() != (case_dir / "case.yaml").read_bytes()


def test_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("keep me")
    with pytest.raises(InputError, match="not empty"):
        generate_case(tmp_path, people=5, groups=1, messages=10, seed=1)
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_case_file_is_valid_and_has_every_platform(case_dir: Path) -> None:
    case = read_case(case_dir)
    formats = {s.format for s in case.model.sources}
    assert formats == {"whatsapp", "messenger", "telegram"}
    # Postings change over time: some officers have held more than one.
    assert any(len(p.postings) > 1 for p in case.model.people)
    assert {u.kind for u in case.model.units} == {"bcu", "station", "team"}
    # Some WhatsApp group is exported from several phones in different styles.
    by_group: dict[str, list[str]] = {}
    for s in case.model.sources:
        if s.format == "whatsapp":
            by_group.setdefault(s.group or "", []).append(s.path)
    assert max(len(v) for v in by_group.values()) >= 2


def test_group_sizes_span_3_to_200(case_dir: Path) -> None:
    sizes = read_manifest(case_dir)["group_sizes"].values()
    assert min(sizes) == 3 and max(sizes) == 200


def test_loads_with_the_counts_generated(loaded: tuple[GraphStore, LoadReport],
                                         case_dir: Path) -> None:
    store, report = loaded
    m = read_manifest(case_dir)
    assert report.rejected == 0
    kinds = {r["k"]: int(r["n"]) for r in store.read_user(
        "MATCH (m:Message) RETURN m.kind AS k, count(*) AS n").rows}
    # Merged exports give no duplicate message: each generated message is one node.
    assert {k: kinds.get(k, 0) for k in m["messages_by_kind"]} == m["messages_by_kind"]
    assert _one(store, "MATCH (:Person)-[r:SENT]->(:Message) RETURN count(r) AS n") == \
        m["messages"]
    # Membership and topic lines (subject, icon) merge on the event, however each phone words them.
    assert kinds["system"] == m["membership_events"] + m["topic_events"]
    assert _one(store, "MATCH (g:Group) RETURN count(g) AS n") == m["groups"]
    assert _one(store, "MATCH (p:Officer) RETURN count(p) AS n") == m["people_in_case_file"]
    assert _one(store, "MATCH (p:Person {resolved: false}) RETURN count(p) AS n") == \
        m["unresolved_people"]


def test_merged_messages_come_from_two_sources(loaded: tuple[GraphStore, LoadReport]) -> None:
    store, _ = loaded
    assert _one(store, "MATCH (m:Message) WHERE m.kind <> 'system' AND size(m.sources) >= 2 "
                "RETURN count(m) AS n") > 0


def test_membership_spans_group_sizes(loaded: tuple[GraphStore, LoadReport],
                                      case_dir: Path) -> None:
    store, _ = loaded
    rows = store.read_user("MATCH (p:Person)-[:MEMBER_OF]->(g:Group) "
                           "RETURN g.id AS g, count(DISTINCT p) AS n").rows
    members = {r["g"].removeprefix("group:"): int(r["n"]) for r in rows}
    assert members == read_manifest(case_dir)["group_sizes"]
    # Leaves and re-joins: someone has two intervals in one group.
    assert _one(store, "MATCH (p:Person)-[r:MEMBER_OF]->(g:Group) WITH p, g, count(r) AS k "
                "WHERE k > 1 RETURN count(*) AS n") > 0


def test_codings_all_apply(loaded: tuple[GraphStore, LoadReport], case_dir: Path) -> None:
    store, report = loaded
    m = read_manifest(case_dir)
    codings = [s for s in report.sources if s.format == "codings"]
    assert codings and codings[0].rejected == 0
    assert m["codings"] > 0
    assert _one(store, "MATCH (:Message)-[r:FLAGGED_AS {method: 'analyst'}]->(:Category) "
                "RETURN count(r) AS n") == m["codings"]
    assert _one(store, "MATCH (:Message)-[r:FLAGGED_AS {method: 'lexicon'}]->(:Category) "
                "RETURN count(r) AS n") >= m["flagged_by_term"]


def test_replies_mentions_and_reactions_arrive(loaded: tuple[GraphStore, LoadReport]) -> None:
    store, _ = loaded
    for rel in ("REPLY_TO", "MENTIONS", "REACTED"):
        assert _one(store, f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n") > 0, rel
