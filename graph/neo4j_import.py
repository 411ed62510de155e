"""Export the whole graph as CSVs for ``neo4j-admin database import full``, with ``import.sh``.

For a case too big for transactional loading, the bulk importer is the fastest path into
Neo4j (a standalone server, a cluster, or Aura via a dump). :func:`export_neo4j_import`
streams every node and relationship out of a store in windows of internal node ids (the
queries in ``cypher/export/``) into

- ``nodes_<Label>.csv``, one per label, ids in the label's id space (``id:ID(Person)``),
  extra labels in ``:LABEL`` (``Person`` + ``Officer``);
- ``rels_<TYPE>__<Start>__<End>.csv``, one per relationship pattern (a type whose end may
  carry several labels, such as ``CONCERNS``, gets one file per end label, since each end
  label is its own id space);
- ``import.sh``, the exact ``neo4j-admin`` command for these files, and ``schema.cypher``,
  the indexes to create once the database is online.

Only one window (``page`` internal ids) is held in memory, whatever the size of the graph.
Why id windows and not keyset paging on ``id`` (``WHERE n.id > $after ORDER BY n.id
LIMIT $page``): FalkorDB sorts the whole remaining index range for every such page, so a
page of 5,000 messages took 6-12 s on a 1M-message graph and the export would be
quadratic; an id window is a direct scan ("Node By Label and ID Scan"), 0.15 s for the
same page. Within a window rows are sorted by their ids, so an export is reproducible.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import neo4j_csv as csvfmt
from .errors import InputError
from .neo4j_import_queries import MAX_ID_QUERY, NODE_QUERIES, REL_QUERIES
from .queries import load_query, schema_statements
from .schema import NODE_BY_LABEL, REL_BY_TYPE, NodeSpec, RelSpec, base_label
from .store import GraphStore

DEFAULT_PAGE = 10_000


@dataclass
class ExportReport:
    """What was written: rows per file, in the order ``import.sh`` names them."""

    out_dir: Path
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return sum(self.nodes.values())

    @property
    def relationship_count(self) -> int:
        return sum(self.relationships.values())


def node_file(label: str) -> str:
    return f"nodes_{label}.csv"


def rel_file(rel_type: str, start: str, end: str) -> str:
    return f"rels_{rel_type}__{start}__{end}.csv"


def node_header(spec: NodeSpec) -> list[str]:
    props = [csvfmt.prop_header(p) for p in spec.props if p.name != "id"]
    return [f"id:ID({spec.label})", ":LABEL", *props]


def rel_header(spec: RelSpec, start: str, end: str) -> list[str]:
    return [f":START_ID({start})", f":END_ID({end})", ":TYPE",
            *(csvfmt.prop_header(p) for p in spec.props)]


def _header_line(names: list[str]) -> str:
    # Header cells are bare: neo4j-admin reads `id:ID(Person)`, not a quoted string.
    return ",".join(names) + "\n"


def _max_id(store: GraphStore) -> int:
    rows = store.read(load_query(MAX_ID_QUERY))
    value = rows[0]["max_id"] if rows else None
    return -1 if value is None else int(value)


def _windows(store: GraphStore, query_name: str, max_id: int, page: int) -> Any:
    """Rows of an export query, one window of ``page`` internal ids at a time."""
    query = load_query(query_name)
    for lo in range(0, max_id + 1, page):
        rows = store.read(query, {"lo": lo, "hi": lo + page})
        if rows:
            yield rows


def _unknown(what: str, props: dict[str, Any], known: set[str]) -> None:
    extra = sorted(set(props) - known)
    if extra:
        # Never drop data silently: a property the schema does not know has no typed column.
        raise InputError(f"{what}: properties not in the schema, cannot be typed for "
                         f"neo4j-admin: {', '.join(extra)}", detail={"properties": extra})


def _export_nodes(store: GraphStore, out: Path, spec: NodeSpec, max_id: int, page: int,
                  report: ExportReport, progress: Callable[[int], None] | None) -> None:
    names = [p.name for p in spec.props if p.name != "id"]
    known = {p.name for p in spec.props}
    count = 0
    with ExitStack() as stack:
        f: IO[str] | None = None
        for rows in _windows(store, NODE_QUERIES[spec.label], max_id, page):
            if f is None:  # a label with no nodes gets no file
                f = stack.enter_context(open(out / node_file(spec.label), "w",
                                             encoding="utf-8", newline=""))
                f.write(_header_line(node_header(spec)))
            lines = []
            for r in sorted(rows, key=lambda r: r["id"]):
                props = r["props"] or {}
                _unknown(f"{spec.label} {r['id']!r}", props, known)
                labels = sorted(r["labels"], key=lambda lb: (lb != spec.label, lb))
                lines.append(csvfmt.row([r["id"], labels, *(props.get(n) for n in names)]))
            f.writelines(lines)
            count += len(rows)
            if progress:
                progress(len(rows))
    if count:
        report.nodes[node_file(spec.label)] = count


def _export_rels(store: GraphStore, out: Path, spec: RelSpec, max_id: int, page: int,
                 report: ExportReport, progress: Callable[[int], None] | None) -> None:
    names = [p.name for p in spec.props]
    known = set(names)
    files: dict[tuple[str, str], IO[str]] = {}
    counts: dict[str, int] = {}
    with ExitStack() as stack:
        for rows in _windows(store, REL_QUERIES[spec.type], max_id, page):
            rows.sort(key=lambda r: (r["start"], r["end"], repr(sorted((r["props"] or {}).items()))))
            for r in rows:
                start = _base(r["start_labels"], spec.start)
                end = _base(r["end_labels"], spec.end)
                props = r["props"] or {}
                _unknown(f"{spec.type} {r['start']!r}->{r['end']!r}", props, known)
                name = rel_file(spec.type, start, end)
                f = files.get((start, end))
                if f is None:
                    f = stack.enter_context(open(out / name, "w", encoding="utf-8", newline=""))
                    files[(start, end)] = f
                    f.write(_header_line(rel_header(spec, start, end)))
                    counts[name] = 0
                f.write(csvfmt.row([r["start"], r["end"], spec.type,
                                    *(props.get(n) for n in names)]))
                counts[name] += 1
            if progress:
                progress(len(rows))
    report.relationships.update(sorted(counts.items()))


def _base(labels: list[str], allowed: tuple[str, ...]) -> str:
    for label in labels:
        base = base_label(label)
        if base in allowed:
            return base
    raise InputError(f"a relationship end with labels {labels} is none of {allowed}")


def export_neo4j_import(store: GraphStore, out_dir: Path, *, page: int = DEFAULT_PAGE,
                        progress: Callable[[int], None] | None = None) -> ExportReport:
    """Write the CSVs, ``import.sh`` and ``schema.cypher`` into ``out_dir`` (see module docs).

    Parameters
    ----------
    store
        The store to read (any backend).
    out_dir
        Created if missing; must not already hold an export (files would be mixed).
    page
        Internal ids per read (a window holds at most this many nodes of one label).
    progress
        Called with the number of rows read after each page.
    """
    out = Path(out_dir)
    if out.exists() and any(out.glob("*.csv")):
        raise InputError(f"{out}: already holds CSV files; export into an empty folder",
                         detail={"file": str(out)})
    out.mkdir(parents=True, exist_ok=True)
    report = ExportReport(out)
    max_id = _max_id(store)
    for label in NODE_QUERIES:
        _export_nodes(store, out, NODE_BY_LABEL[label], max_id, page, report, progress)
    for rel_type in REL_QUERIES:
        _export_rels(store, out, REL_BY_TYPE[rel_type], max_id, page, report, progress)
    # cypher-shell runs a file statement by statement, each ended by a semicolon.
    ddl = "".join(f"{s};\n" for s in schema_statements("neo4j"))
    (out / "schema.cypher").write_text(ddl, encoding="utf-8")
    script = out / "import.sh"
    script.write_text(import_script(report), encoding="utf-8")
    script.chmod(0o755)
    return report


def import_command(report: ExportReport, database: str = "neo4j") -> list[str]:
    """The ``neo4j-admin`` command, as arguments, for the files of ``report``."""
    cmd = ["neo4j-admin", "database", "import", "full",
           f"--array-delimiter={csvfmt.ARRAY_DELIMITER_ARG}", "--multiline-fields=true",
           "--id-type=string", "--skip-bad-relationships=false", "--overwrite-destination=false"]
    cmd += [f"--nodes={name}" for name in report.nodes]
    cmd += [f"--relationships={name}" for name in report.relationships]
    return [*cmd, database]


def import_script(report: ExportReport) -> str:
    """``import.sh``: runs the import from the folder it sits in; the database is ``$1``."""
    args = [shlex.quote(a) for a in import_command(report, "DATABASE")]
    args[-1] = '"$DATABASE"'
    lines = " ".join(args[:4]) + " \\\n  " + " \\\n  ".join(args[4:])
    return f"""#!/bin/sh
# Bulk-import this conductgraph export into a new Neo4j 5 database with neo4j-admin.
# {report.node_count} nodes in {len(report.nodes)} files, {report.relationship_count} relationships in
# {len(report.relationships)} files. Written by `conductgraph export --format neo4j-import`.
#
# Run on the Neo4j server (as the user that owns its data directory), with the database
# absent or stopped: ./import.sh [database]   (default: neo4j)
# Then create it if needed (CREATE DATABASE <name>) and its indexes:
#   cypher-shell -d <name> -f schema.cypher
# On a cluster, import on one server and seed the others from it; for Aura, import into a
# local Neo4j, `neo4j-admin database dump`, and upload the dump.
set -eu
cd "$(dirname "$0")"
DATABASE="${{1:-neo4j}}"
{lines}
"""
