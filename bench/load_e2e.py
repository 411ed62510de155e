"""End-to-end load of a generated WhatsApp case into the embedded store, against one MERGE per message.

Generates a WhatsApp-only synthetic case (:func:`conductgraph.loaders.synthetic_case.generate_case`,
one export per group, so every message line is a distinct message), then in one run:

- ``ours``: :func:`conductgraph.graph.loading.load_paths` on the case folder into a fresh
  FalkorDB: parse, identities, membership, and the writes — into an empty graph these go
  through ``GRAPH.BULK`` (:mod:`conductgraph.graph.bulk_writer`), as any first load does —
  the parse + write that issue 3 calls end to end. The step ``conductgraph load`` runs after that (lexicon and
  analyst coding, exposure: issue 4's derivations, which read the loaded graph back) is
  switched off here and timed on its own as ``case_load_with_analysis_s`` where
  ``SIZES`` says so;
- ``parse_only``: the same exports parsed and converted to graph records with nothing
  written, to show how the time splits between Python and the store;
- ``naive``: one ``MERGE`` query per message (``cypher/bench/merge_one_message.cypher``:
  node, group, sender and both relationships, indexes in place), message after message
  of the case, into another fresh store: every message, or as many as ``naive_max_s`` of
  writing allows. Only the writes are timed (the rows are read from the case in chunks
  between them). Its cost per message is far from constant (two large runs: about 1.0 ms
  a message for the first 20,000, 1.6 ms on average over the 740,000 each wrote in 20
  minutes, 1.0 and 1.4 ms for the last 20,000; an earlier version of this benchmark timed
  the first 20,000 only and extrapolated), so it is timed over as much of the case as the
  time allows. The run reports the rates of its first and last 20,000.

The ratio compares per-message times: the naive loader's average over the messages it
wrote against ours over the whole case, which also parses the exports and records
identities and membership (the naive loader is handed parsed rows).

Run: ``python -m bench.load_e2e --size large`` (1,000,000 messages, 2,000 people) or
``small`` (5,000). Prints one JSON object; ``run(size)`` returns it.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest.mock import patch

from conductgraph.graph import loading
from conductgraph.graph.loading import load_paths
from conductgraph.graph.queries import load_query
from conductgraph.graph.records import PostedMessage
from conductgraph.loaders.casefile import read_case
from conductgraph.loaders.chat_graph import ExportContext, ExportConverter
from conductgraph.loaders.membership import MembershipLedger
from conductgraph.loaders.synthetic_case import generate_case, read_manifest
from conductgraph.loaders.whatsapp import parse

from .support import Stopwatch, fresh_store, peak_rss_mb, server_rss_mb, size_cli

SIZES: dict[str, dict[str, Any]] = {
    "small": {"messages": 5_000, "people": 100, "groups": 8, "naive": 1_000,
              "naive_max_s": 60.0, "with_analysis": True},
    # The full load with coding and exposure takes far longer at 1M (their reads page
    # through every message); it is measured by hand, see docs/benchmarks.md. The naive
    # loader writes for 20 minutes at most.
    "large": {"messages": 1_000_000, "people": 2_000, "groups": 100, "naive": None,
              "naive_max_s": 1_200.0, "with_analysis": False},
}
SEED = 5
#: Naive writes per timed chunk; the first and the last TAIL give the rates reported.
CHUNK = 1_000
TAIL = 20_000


@contextmanager
def without_analysis() -> Iterator[None]:
    """Load without the coding and exposure step that follows the writes of a case."""
    with patch.object(loading._Loader, "_analyse", lambda self, case: None):
        yield


def _parse_only(case_dir: Path) -> int:
    """Parse and convert every export of the case to records; write nothing. Records made."""
    case = read_case(case_dir)
    made = 0
    for src in case.model.sources:
        ctx = ExportContext(source_id="src:x", platform="whatsapp", path_stem="x",
                            group_id=f"group:{src.group}", handles=case.handle_map("whatsapp"))
        conv = ExportConverter(ctx, MembershipLedger())
        for _ in conv.convert(parse(case.source_path(src), timezone=src.timezone or "UTC",
                                    date_order=src.date_order)):
            made += 1
    return made


def _naive_chunks(case_dir: Path, limit: int | None) -> Iterator[list[dict[str, Any]]]:
    """The case's messages (at most ``limit``) with group, sender and properties, in
    chunks of :data:`CHUNK`, in the order a load reads them."""
    case = read_case(case_dir)
    chunk: list[dict[str, Any]] = []
    made = 0
    for src in case.model.sources:
        ctx = ExportContext(source_id="src:x", platform="whatsapp", path_stem="x",
                            group_id=f"group:{src.group}", handles=case.handle_map("whatsapp"))
        conv = ExportConverter(ctx, MembershipLedger())
        records = parse(case.source_path(src), timezone=src.timezone or "UTC",
                        date_order=src.date_order)
        for rec in conv.convert(records):
            if not isinstance(rec, PostedMessage) or rec.node.once.get("kind") == "system":
                continue
            chunk.append({"id": rec.node.id, "group": rec.group, "sender": rec.sender,
                          "props": {k: v for k, v in rec.node.once.items() if v is not None}})
            made += 1
            if len(chunk) == CHUNK or made == limit:
                yield chunk
                chunk = []
                if made == limit:
                    return
    if chunk:
        yield chunk


def _naive(case_dir: Path, limit: int | None, max_s: float) -> dict[str, Any]:
    """Write the case message by message, one MERGE each, for at most ``max_s`` seconds of
    writing. Returns the messages written, the seconds they took, and the rates of the
    first and of the last :data:`TAIL` (microseconds a message)."""
    query = load_query("bench/merge_one_message")
    chunks: list[tuple[int, float]] = []
    with fresh_store("naive") as (store, _):
        store.ensure_schema()
        for rows in _naive_chunks(case_dir, limit):
            start = time.perf_counter()
            for row in rows:
                store.write(query, row)
            chunks.append((len(rows), time.perf_counter() - start))
            if sum(t for _, t in chunks) >= max_s:
                break
    written = sum(n for n, _ in chunks)
    seconds = sum(t for _, t in chunks)
    return {"messages": written, "s": seconds,
            "first_us": _rate(chunks[: max(1, TAIL // CHUNK)]),
            "last_us": _rate(chunks[-max(1, TAIL // CHUNK):])}


def _rate(chunks: list[tuple[int, float]]) -> float:
    return sum(t for _, t in chunks) / max(1, sum(n for n, _ in chunks)) * 1e6


def run(size: str = "small") -> dict[str, Any]:
    """Measure; returns the figures as a dict (see the module docstring)."""
    spec = SIZES[size]
    watch = Stopwatch()
    with tempfile.TemporaryDirectory(prefix="cg-bench-load-") as tmp:
        case_dir = Path(tmp) / "case"
        with watch("generate_s"):
            generate_case(case_dir, people=spec["people"], groups=spec["groups"],
                          messages=spec["messages"], seed=SEED, other_platforms=False,
                          max_exports=1)
        manifest = read_manifest(case_dir)
        size_mb = sum(p.stat().st_size for p in case_dir.rglob("*.txt")) / 2**20
        with fresh_store("load") as (store, settings):
            with watch("ours_s"), without_analysis():
                report = load_paths(store, [case_dir], settings)
            server_mb = server_rss_mb(settings)
        if spec["with_analysis"]:
            with fresh_store("full") as (store, settings), watch("case_load_with_analysis_s"):
                load_paths(store, [case_dir], settings)
        with watch("parse_only_s"):
            records = _parse_only(case_dir)
        naive = _naive(case_dir, spec["naive"], spec["naive_max_s"])
    messages = manifest["messages"]
    ours_us = watch.times["ours_s"] / messages * 1e6
    naive_us = naive["s"] / naive["messages"] * 1e6
    return {
        "benchmark": "load_e2e",
        "size": size,
        "messages": messages,
        "people": spec["people"],
        "groups": spec["groups"],
        "export_mb": round(size_mb, 1),
        "rejected": report.rejected,
        **watch.times,
        "records_converted": records,
        "ours_msgs_per_s": round(messages / watch.times["ours_s"]),
        "naive_messages_written": naive["messages"],
        "naive_written_s": round(naive["s"], 1),
        "naive_first_us_per_msg": round(naive["first_us"], 1),
        "naive_last_us_per_msg": round(naive["last_us"], 1),
        "ours_us_per_msg": round(ours_us, 1),
        "naive_us_per_msg": round(naive_us, 1),
        "speedup_vs_merge_per_message": round(naive_us / ours_us, 1),
        "peak_rss_mb": peak_rss_mb(),
        "server_rss_mb": server_mb,
    }


def main(argv: list[str] | None = None) -> None:
    size_cli(__doc__, SIZES, run, argv)


if __name__ == "__main__":
    main()
