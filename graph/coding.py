"""Content coding: flag messages as categories, by lexicon and by analyst codings.

:func:`code_messages` streams every message from the store in keyset pages, runs
the taxonomy's lexicon over its text and writes ``FLAGGED_AS {method: "lexicon",
terms, reviewed}``; rows of an analyst codings CSV (:mod:`.codings_csv`) become
``FLAGGED_AS {method: "analyst", coder, reviewed: true}``. A lexicon flag is
``reviewed: true`` exactly when an analyst flag (from the CSV or the case file)
names the same message and category.

Idempotent: flags are MERGEd on (message, category, method), and a lexicon flag
the current lexicon no longer produces is deleted, so running again with the same
inputs changes nothing and running with an edited lexicon leaves exactly its flags.
Analyst flags are only ever added: deleting a CSV row does not delete its flag.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conductgraph.loaders.identity import file_sha256

from . import analysis_reads as reads
from .codings_csv import AnalystCoding, RowProblem, match_codings
from .lexicon import Lexicon, compile_lexicon
from .queries import load_query
from .records import Node, Rel
from .store import GraphStore
from .writer import RecordWriter


@dataclass
class CodingReport:
    messages: int = 0
    lexicon_flags: int = 0
    lexicon_removed: int = 0
    reviewed: int = 0
    analyst_rows: int = 0
    analyst_applied: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    by_category: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    codings_source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"messages": self.messages, "lexicon_flags": self.lexicon_flags,
                "lexicon_removed": self.lexicon_removed, "reviewed": self.reviewed,
                "analyst_rows": self.analyst_rows, "analyst_applied": self.analyst_applied,
                "problems": [{"line": p.line, "reason": p.reason} for p in self.problems],
                "by_category": dict(sorted(self.by_category.items())),
                "codings_source": self.codings_source}


def _ensure_categories(store: GraphStore, taxonomy: list[dict[str, Any]],
                       writer: RecordWriter) -> set[str]:
    # Only add what is missing: a case file may have renamed a default category.
    known = {c["id"] for c in reads.categories(store)}
    for cat in taxonomy:
        if cat["id"] not in known:
            writer.add(Node("Category", str(cat["id"]), {"name": cat.get("name", cat["id"]),
                                                         "description": cat.get("description")}))
    writer.flush()
    return known | {str(c["id"]) for c in taxonomy}


def _codings_source(path: Path, writer: RecordWriter, rows: int,
                    problems: list[RowProblem]) -> str:
    """The CSV as a Source; each row that could not be applied kept as a :Rejected node."""
    sha, size, _ = file_sha256(path)
    sid = f"src:{sha}"
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    writer.add(Node("Source", sid, {"path": str(path), "format": "codings", "bytes": size,
                                    "records": rows, "rejected": len(problems)},
                    once={"loaded_at": now}))
    for p in problems:
        rid = f"rej:{sha}:{p.line}"
        writer.add(Node("Rejected", rid, {"source": sid, "line": p.line, "raw": p.raw,
                                          "reason": p.reason}))
        writer.add(Rel("REJECTED_FROM", "Rejected", rid, "Source", sid))
    return sid


def _code_page(rows: list[dict[str, Any]], lexicon: Lexicon,
               analyst: dict[str, list[AnalystCoding]], writer: RecordWriter,
               report: CodingReport) -> list[dict[str, str]]:
    """Write the lexicon flags of one page; return the stale ones to delete."""
    stale: list[dict[str, str]] = []
    for row in rows:
        report.messages += 1
        flags = {(c, m) for c, m in row["flags"] if c is not None}
        confirmed = {c for c, m in flags if m == "analyst"} | {a.category
                                                               for a in analyst.get(row["id"], [])}
        found = lexicon.code(row["text"]) if row["kind"] != "system" else {}
        for category, terms in found.items():
            reviewed = category in confirmed
            writer.add(Rel("FLAGGED_AS", "Message", row["id"], "Category", category,
                           {"method": "lexicon", "terms": terms, "reviewed": reviewed}))
            report.lexicon_flags += 1
            report.reviewed += reviewed
            report.by_category[category] += 1
        stale += [{"message": row["id"], "category": c}
                  for c, m in flags if m == "lexicon" and c not in found]
    return stale


def code_messages(store: GraphStore, taxonomy: list[dict[str, Any]],
                  codings_path: Path | None = None, *, page: int = 5000,
                  batch_size: int = 5000) -> CodingReport:
    """Flag every message by lexicon and apply the analyst codings CSV; idempotent.

    Returns what was done, including every CSV row that could not be applied
    (``report.problems``, each with its line number).
    """
    report = CodingReport()
    lexicon = compile_lexicon(taxonomy)
    with RecordWriter(store, batch_size=batch_size) as writer:
        known = _ensure_categories(store, taxonomy, writer)
        analyst: dict[str, list[AnalystCoding]] = defaultdict(list)
        source = None
        if codings_path is not None:
            codings, report.problems = match_codings(store, codings_path,
                                                     reads.groups(store), known)
            report.analyst_rows = len(codings) + len(report.problems)
            source = _codings_source(codings_path, writer, report.analyst_rows,
                                     report.problems)
            report.codings_source = source
            for c in codings:
                analyst[c.message].append(c)
        delete = load_query("derive/delete_lexicon_flags")
        for rows in _pages(store, page):
            stale = _code_page(rows, lexicon, analyst, writer, report)
            if stale:
                writer.flush()
                result = store.write(delete, {"rows": stale})
                report.lexicon_removed += int(result[0]["deleted"]) if result else 0
        for message, codings in analyst.items():
            for c in codings:
                writer.add(Rel("FLAGGED_AS", "Message", message, "Category", c.category,
                               {"method": "analyst", "coder": c.coder, "reviewed": True,
                                "source": source}))
                report.analyst_applied += 1
    return report


def _pages(store: GraphStore, page: int) -> Any:
    # Pages rather than single rows: stale flags are deleted once per page.
    buf: list[dict[str, Any]] = []
    for row in reads.paged(store, "analysis/coding_messages_page", "id", page):
        buf.append(row)
        if len(buf) >= page:
            yield buf
            buf = []
    if buf:
        yield buf
