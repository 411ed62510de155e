"""The bulk path of a first load (graph/bulk_writer.py) writes the graph MERGE batches write.

Every loader fixture is loaded twice into empty graphs, once through ``GRAPH.BULK`` and once
with bulk loading off, and the two graphs are compared node by node and relationship by
relationship (all properties, labels, ``sources`` in order). Small bulk commands and a
small id budget make the same inputs cross command boundaries and end the bulk phase half
way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conductgraph.graph import bulk_writer
from conductgraph.graph.bulk_writer import BulkWriter, open_writer
from conductgraph.graph.falkordb_bulk import encodable, node_blob, props_encodable, value_bytes
from conductgraph.graph.falkordb_params import NUL_STAND_IN
from conductgraph.graph.loading import SAMPLE_CASE, load_paths
from conductgraph.graph.records import Node, PostedMessage, Rel
from conductgraph.graph.settings import Settings
from conductgraph.graph.store import GraphStore, open_store
from conductgraph.graph.writer import RecordWriter
from tests.conftest import FIXTURES, make_settings

INPUTS = {
    "hotton": [SAMPLE_CASE],
    "mixed_case": [FIXTURES / "cases" / "mixed"],
    "whatsapp": sorted((FIXTURES / "whatsapp").glob("*.txt")),
    "messenger": [FIXTURES / "messenger" / "thread_a", FIXTURES / "messenger" / "e2ee",
                  FIXTURES / "messenger" / "bad"],
    "telegram": [FIXTURES / "telegram" / "full", FIXTURES / "telegram" / "single",
                 FIXTURES / "telegram" / "bad"],
}
# Set when a load runs, not part of what was loaded.
VOLATILE = {"loaded_at"}


def dump(store: GraphStore) -> tuple[Counter[Any], Counter[Any]]:
    """Every node (labels, properties) and relationship (type, ends' ids, properties)."""
    def frozen(props: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                            for k, v in props.items() if k not in VOLATILE))

    nodes = store.read_user("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props",
                            row_limit=10**7).rows
    rels = store.read_user("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, "
                           "properties(r) AS props", row_limit=10**7).rows
    return (Counter((tuple(sorted(r["labels"])), frozen(r["props"])) for r in nodes),
            Counter((r["type"], r["a"], r["b"], frozen(r["props"])) for r in rels))


@pytest.fixture
def two_stores(data_dir: Path) -> Iterator[tuple[GraphStore, Settings, GraphStore, Settings]]:
    bulk_settings = make_settings(data_dir)
    merge_settings = make_settings(data_dir, bulk_load=False)
    bulk, merge = open_store(bulk_settings), open_store(merge_settings)
    yield bulk, bulk_settings, merge, merge_settings
    for store in (bulk, merge):
        store.clear()
        store.close()


@pytest.fixture
def fresh(data_dir: Path) -> Iterator[GraphStore]:
    """An embedded store with no graph yet (the bulk path needs one), removed afterwards."""
    store = open_store(make_settings(data_dir))
    store.clear()
    yield store
    store.clear()
    store.close()


@pytest.mark.parametrize("name", sorted(INPUTS))
@pytest.mark.parametrize("batch,max_ids", [(10**6, 2_000_000), (7, 2_000_000), (5, 60)],
                         ids=["one_command", "small_commands", "bulk_ends_half_way"])
def test_bulk_writes_the_graph_merge_batches_write(
    two_stores: tuple[GraphStore, Settings, GraphStore, Settings], name: str, batch: int,
    max_ids: int,
) -> None:
    bulk, bulk_settings, merge, merge_settings = two_stores
    bulk_settings = bulk_settings.model_copy(update={"bulk_max_ids": max_ids, "bulk_batch_size": batch})
    load_paths(bulk, INPUTS[name], bulk_settings)
    load_paths(merge, INPUTS[name], merge_settings)
    bulk_nodes, bulk_rels = dump(bulk)
    merge_nodes, merge_rels = dump(merge)
    assert sum(bulk_nodes.values()) > 5
    assert bulk_nodes == merge_nodes
    assert bulk_rels == merge_rels


def test_a_first_load_goes_through_bulk_and_a_second_changes_nothing(fresh: GraphStore) -> None:
    writer = open_writer(fresh, fresh.settings)
    assert isinstance(writer, BulkWriter)
    writer.close()
    paths = [SAMPLE_CASE, FIXTURES / "whatsapp" / "same_group_phone_a.txt"]
    load_paths(fresh, paths, fresh.settings)
    first = dump(fresh)
    assert not isinstance(open_writer(fresh, fresh.settings), BulkWriter)  # the graph is not empty now
    load_paths(fresh, paths, fresh.settings)
    assert dump(fresh) == first
    indexed = {row["label"] for row in fresh.read_user("CALL db.indexes() YIELD label, status "
                                                       "WHERE status = 'OPERATIONAL' RETURN label").rows}
    assert {"Message", "Person", "Group"} <= indexed


def test_a_nul_is_stored_as_the_cypher_path_stores_it(fresh: GraphStore) -> None:
    text = "before\x00after"
    with BulkWriter(fresh) as w:
        w.add(Node("Group", "group:g", {"name": "g", "platform": "whatsapp"}))
        w.add(Node("Person", "person:p", {"name": "P", "resolved": True}))
        w.add(PostedMessage(Node("Message", "msg:nul", once={
            "sent_at": "2017-01-01T00:00:00Z", "kind": "text", "text": text}), "group:g", "person:p"))
        w.add(Rel("MEMBER_OF", "Person", "person:p", "Group", "group:g",
                  {"from": "2017-01-01T00:00:00Z", "evidence": "declared", "source": "a\x00b"}))
        assert not w._deferred
    rows = fresh.read_user("MATCH (p:Person)-[:SENT]->(m:Message)-[:POSTED_IN]->(g:Group) "
                           "RETURN m.text AS text, p.id AS p, g.id AS g").rows
    assert rows == [{"text": text.replace("\x00", NUL_STAND_IN), "p": "person:p", "g": "group:g"}]
    member = fresh.read_user("MATCH ()-[r:MEMBER_OF]->() RETURN r.source AS source").rows
    assert member == [{"source": "a" + NUL_STAND_IN + "b"}]


def test_a_relationship_to_a_missing_node_is_named_not_dropped(fresh: GraphStore) -> None:
    with pytest.raises(bulk_writer.MissingEndError, match="does not exist"), BulkWriter(fresh) as w:
        w.add(Node("Group", "group:g", {"name": "g", "platform": "whatsapp"}))
        w.add(Rel("MEMBER_OF", "Person", "person:nobody", "Group", "group:g",
                  {"from": "2017-01-01T00:00:00Z", "evidence": "declared"}))


def test_encoding() -> None:
    assert value_bytes("é") == b"\x03\xc3\xa9\x00"
    assert value_bytes(True) == b"\x01\x01" and value_bytes(False) == b"\x01\x00"
    assert value_bytes(-2) == b"\x04" + (-2).to_bytes(8, "little", signed=True)
    assert value_bytes(None) == b"\x00"
    assert value_bytes(["a", 1]) == (b"\x05" + (2).to_bytes(8, "little") + b"\x03a\x00\x04"
                                     + (1).to_bytes(8, "little"))
    assert value_bytes(0.5)[:1] == b"\x02" and len(value_bytes(0.5)) == 9
    assert value_bytes("a\x00b") == b"\x03a\xe2\x90\x80b\x00"
    assert not encodable(2**63) and not encodable([[1]]) and not encodable({})
    assert encodable(["a", 1, None]) and encodable(-(2**63))
    assert props_encodable({"a": "x", "b": 1, "c": True, "d": None, "e": 0.5, "f": ["y"]})
    assert not props_encodable({"a": "x", "b": 2**64}) and not props_encodable({"a": [["y"]]})
    blob = node_blob("Person:Officer", ["id"], [{"id": "p"}, {}])
    assert blob == b"Person:Officer\x00" + (1).to_bytes(4, "little") + b"id\x00" + b"\x03p\x00" + b"\x00"


def test_record_writer_is_kept_for_a_graph_with_data(fresh: GraphStore) -> None:
    fresh.ensure_schema()
    with RecordWriter(fresh) as w:
        w.add(Node("Group", "group:g", {"name": "g", "platform": "whatsapp"}))
    writer = open_writer(fresh, fresh.settings)
    assert isinstance(writer, RecordWriter)
    writer.close()


def test_a_later_sighting_never_overtakes_one_that_waits_for_cypher(fresh: GraphStore) -> None:
    # The first MEMBER_OF names a person the bulk has not created yet, so it waits for Cypher;
    # the second, the same relationship with a new source, must be applied after it.
    member = ("MEMBER_OF", "Person", "person:p", "Group", "group:g")
    with BulkWriter(fresh, bulk_batch_size=2) as w:
        w.add(Node("Group", "group:g", {"name": "g", "platform": "whatsapp"}))
        w.add(Rel(*member, {"from": "2017-01-01T00:00:00Z", "evidence": "declared", "source": "first"}))
        w.add(Node("Person", "person:p", {"name": "P", "resolved": True}))
        w.add(Rel(*member, {"from": "2017-01-01T00:00:00Z", "evidence": "declared", "source": "second"}))
    rows = fresh.read_user("MATCH ()-[r:MEMBER_OF]->() RETURN r.source AS source").rows
    assert rows == [{"source": "second"}]
