"""Load a neo4j-admin import folder into any store through :class:`RecordWriter`.

The check that :mod:`conductgraph.graph.neo4j_import` wrote what the store held: read
the CSVs back (headers tell the id spaces, labels and property types), write them as
ordinary records, and the new graph must equal the old one. Also a way to move a case
from one embedded store to another without the original exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import neo4j_csv as csvfmt
from .errors import InputError
from .records import Node, Rel
from .store import GraphStore
from .writer import RecordWriter


@dataclass
class ImportCounts:
    nodes: int = 0
    relationships: int = 0


def _node(label_space: str, row: dict[str, object]) -> Node:
    labels = row.pop(":LABEL") or [label_space]
    node_id = row.pop(":ID")
    assert isinstance(labels, list) and isinstance(node_id, str)
    # The most specific label decides the write query (Officer sets both labels).
    label = next((lb for lb in labels if lb != label_space), label_space)
    return Node(label, node_id, {k: v for k, v in row.items() if v is not None})


def load_import_folder(store: GraphStore, folder: Path, *, batch_size: int = 5000) -> ImportCounts:
    """Write every ``nodes_*.csv`` then every ``rels_*.csv`` of ``folder`` into ``store``."""
    counts = ImportCounts()
    node_files = sorted(folder.glob("nodes_*.csv"))
    if not node_files:
        raise InputError(f"{folder}: no nodes_*.csv files", detail={"file": str(folder)})
    store.ensure_schema()
    with RecordWriter(store, batch_size=batch_size) as writer:
        for path in node_files:
            space = next(c.id_space for c in csvfmt.read_header(path) if c.type == "ID")
            if space is None:
                raise InputError(f"{path}: the id column needs an id space, e.g. id:ID(Person)")
            for row in csvfmt.read_rows(path):
                writer.add(_node(space, row))
                counts.nodes += 1
        writer.flush()  # every node exists before the first relationship is matched
        for path in sorted(folder.glob("rels_*.csv")):
            cols = csvfmt.read_header(path)
            start = next(c.id_space for c in cols if c.type == "START_ID")
            end = next(c.id_space for c in cols if c.type == "END_ID")
            if start is None or end is None:
                raise InputError(f"{path}: START_ID and END_ID need id spaces")
            for row in csvfmt.read_rows(path):
                rel_type = row.pop(":TYPE")
                s, e = row.pop(":START_ID"), row.pop(":END_ID")
                assert isinstance(rel_type, str) and isinstance(s, str) and isinstance(e, str)
                writer.add(Rel(rel_type, start, s, end, e,
                               {k: v for k, v in row.items() if v is not None}))
                counts.relationships += 1
    return counts
