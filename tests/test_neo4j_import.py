"""neo4j-admin import CSVs: headers, cells, and a round trip through an empty store."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conductgraph.graph import neo4j_csv as csvfmt
from conductgraph.graph.errors import InputError
from conductgraph.graph.loading import SAMPLE_CASE, load_paths
from conductgraph.graph.neo4j_import import ExportReport, export_neo4j_import
from conductgraph.graph.neo4j_import_load import load_import_folder
from conductgraph.graph.neo4j_import_queries import NODE_QUERIES, REL_QUERIES
from conductgraph.graph.schema import NODES, RELS
from conductgraph.graph.stats import graph_stats
from conductgraph.graph.store import GraphStore


def _csvs(folder: Path) -> dict[str, tuple[str, list[str]]]:
    """Each file's header and its records, sorted: rows come in internal-id order, which a
    store that was loaded in another order numbers differently."""
    out = {}
    for path in sorted(folder.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            header, *rows = csvfmt.records(f)
        out[path.name] = (header, sorted(rows))
    return out


@pytest.fixture
def with_rejected(empty_store: GraphStore, tmp_path: Path) -> GraphStore:
    """The sample plus a bare export whose first lines cannot be parsed (Rejected nodes)."""
    export = tmp_path / "WhatsApp Chat with Night shift.txt"
    export.write_text('not a header, "quoted", and a comma\nneither is this\n'
                      "12/08/2016, 16:20 - Dan: on my way\n", encoding="utf-8")
    load_paths(empty_store, [SAMPLE_CASE, export],
               empty_store.settings)  # type: ignore[attr-defined]
    return empty_store


def test_every_label_and_type_has_an_export_query() -> None:
    assert set(NODE_QUERIES) == {n.label for n in NODES}
    assert set(REL_QUERIES) == {r.type for r in RELS}


def test_round_trip_through_an_empty_store(store: GraphStore, empty_store: GraphStore,
                                           tmp_path: Path) -> None:
    first = export_neo4j_import(store, tmp_path / "first", page=4)  # many small windows
    counts = load_import_folder(empty_store, tmp_path / "first")
    second = export_neo4j_import(empty_store, tmp_path / "second")
    assert counts.nodes == first.node_count and counts.relationships == first.relationship_count
    # Same counts per label and type, and exactly the same ids and property values.
    assert graph_stats(empty_store) == graph_stats(store)
    assert _csvs(tmp_path / "second") == _csvs(tmp_path / "first")
    assert second.nodes == first.nodes and second.relationships == first.relationships


def test_rejected_lines_survive_the_round_trip(with_rejected: GraphStore, tmp_path: Path,
                                              data_dir: Path) -> None:
    from conductgraph.graph.store import open_store
    from tests.conftest import make_settings

    report = export_neo4j_import(with_rejected, tmp_path / "x")
    assert report.nodes["nodes_Rejected.csv"] == 2
    assert report.relationships["rels_REJECTED_FROM__Rejected__Source.csv"] > 0
    other = open_store(make_settings(data_dir))
    try:
        load_import_folder(other, tmp_path / "x")
        assert graph_stats(other) == graph_stats(with_rejected)
    finally:
        other.clear()
        other.close()


def test_counts_match_the_store(store: GraphStore, tmp_path: Path) -> None:
    report = export_neo4j_import(store, tmp_path)
    stats = graph_stats(store)
    labels = {name.removeprefix("nodes_").removesuffix(".csv"): n
              for name, n in report.nodes.items()}
    assert labels == {k: v for k, v in stats["labels"].items() if k != "Officer"}
    by_type: dict[str, int] = {}
    for name, n in report.relationships.items():
        rel_type = name.removeprefix("rels_").split("__")[0]
        by_type[rel_type] = by_type.get(rel_type, 0) + n
    assert by_type == stats["relationships"]


def test_headers_have_id_spaces_and_types(store: GraphStore, tmp_path: Path) -> None:
    export_neo4j_import(store, tmp_path)
    person = (tmp_path / "nodes_Person.csv").read_text().splitlines()[0].split(",")
    assert person[:2] == ["id:ID(Person)", ":LABEL"]
    assert {"resolved:boolean", "aliases:string[]", "name:string"} <= set(person)
    message = (tmp_path / "nodes_Message.csv").read_text().splitlines()[0]
    assert "line:long" in message and "sent_at:string" in message
    sent = (tmp_path / "rels_SENT__Person__Message.csv").read_text().splitlines()[0]
    assert sent == ":START_ID(Person),:END_ID(Message),:TYPE"
    # Officers keep both labels.
    assert f'"Person{csvfmt.ARRAY_DELIMITER}Officer"' in (tmp_path / "nodes_Person.csv").read_text()


def test_import_script_names_every_file(store: GraphStore, tmp_path: Path) -> None:
    report = export_neo4j_import(store, tmp_path)
    script = (tmp_path / "import.sh").read_text()
    assert "neo4j-admin database import full" in script
    assert "--multiline-fields=true" in script and "--array-delimiter=" in script
    for name in [*report.nodes, *report.relationships]:
        assert f"={name}" in script
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == sorted([*report.nodes,
                                                                     *report.relationships])
    assert (tmp_path / "import.sh").stat().st_mode & 0o111
    ddl = (tmp_path / "schema.cypher").read_text()
    assert "CREATE CONSTRAINT person_id" in ddl and ddl.count(";") == ddl.count("\n")


def test_refuses_a_folder_with_an_export(store: GraphStore, tmp_path: Path) -> None:
    export_neo4j_import(store, tmp_path)
    with pytest.raises(InputError, match="already holds CSV"):
        export_neo4j_import(store, tmp_path)


@pytest.mark.parametrize("value", ["", "plain", 'say "hi", ok', "two\nlines", "cr\r\nlf", "é😂"])
def test_string_cells_round_trip(value: str) -> None:
    line = csvfmt.row([value, None, 3, True, ["a", "b"]])
    (record,) = list(csvfmt.records(io.StringIO(line, newline="")))
    cells = csvfmt.split_record(record)
    assert cells[0] == value  # an empty string stays an empty string
    assert cells[1] is None  # a missing value stays missing
    assert cells[2:4] == ["3", "true"]
    assert cells[4] == "a\x1fb"


def test_an_array_value_holding_the_delimiter_is_refused() -> None:
    with pytest.raises(InputError, match="array delimiter"):
        csvfmt.row([["ok", "bad\x1fvalue"]])


def test_report_counts() -> None:
    report = ExportReport(Path("."), {"nodes_A.csv": 2}, {"rels_X.csv": 3, "rels_Y.csv": 1})
    assert (report.node_count, report.relationship_count) == (2, 4)
