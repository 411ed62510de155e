"""The network report on a generated case: ours against exact betweenness done the plain way.

Generates a synthetic case (groups of 3 to 200 members with joins, leaves and re-joins;
skewed activity) and loads it into a fresh embedded store (timed apart, as setup; without
the coding and exposure step, which the network report does not read). Then:

- ``report``: :func:`conductgraph.graph.network.network_report` as ``conductgraph report
  network`` runs it (co-membership projection, betweenness, quarterly time slices, all
  measures, communities, layout), timed end to end including its reads;
- ``interaction``: the same report on the interaction projection (replies and mentions
  and the reply-window proxy);
- ``exact baseline``: exact betweenness (``networkx.betweenness_centrality`` with every
  node as a source, what an analyst would run by hand) on the same co-membership graph.
  Brandes' algorithm costs the same per source, so it is timed on ``BASELINE_SOURCES``
  sources and scaled to all of them (an estimate, stated as such);
- ``ours_exact_betweenness_s``: the same exact betweenness as the report computes it
  (sparse products, every node a source), timed in full.

After the load the store keeps working for a while (append-only-file rewrites, in the server
and a forked child); ``setup_settle_s`` waits until it is idle, so the reports are not timed
against it. Each report is also given in CPU seconds, of this process (``*_cpu_s``) and of the store's
server (``*_server_cpu_s``), since wall time on a shared machine depends on the neighbours.

Run: ``python -m bench.network_report --size large`` (2,000 people, 1,000,000 messages) or
``small`` (60 people, 5,000). Prints one JSON object; ``run(size)`` returns it.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from conductgraph.graph import falkordb_server
from conductgraph.graph.analysis_reads import Window
from conductgraph.graph.loading import load_paths
from conductgraph.graph.network import network_report
from conductgraph.graph.network_paths import fast_betweenness
from conductgraph.graph.projections import project
from conductgraph.loaders.synthetic_case import generate_case

from .load_e2e import without_analysis
from .support import Stopwatch, cpu_seconds, fresh_store, peak_rss_mb, size_cli

SIZES = {"small": {"people": 60, "groups": 6, "messages": 5_000},
         "large": {"people": 2_000, "groups": 100, "messages": 1_000_000}}
BASELINE_SOURCES = 32
SEED = 9


def _exact_betweenness_estimate(G: nx.Graph) -> tuple[float, int]:
    """Seconds exact betweenness would take on ``G`` (scaled from a sample of sources)."""
    n = G.number_of_nodes()
    k = min(BASELINE_SOURCES, n)
    start = time.perf_counter()
    nx.betweenness_centrality(G, k=k, seed=SEED)
    return (time.perf_counter() - start) * n / k, k


def _process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) process ``pid`` has used (0 if unknown or gone)."""
    return (cpu_seconds(pid) if pid else None) or 0.0


def _busy(pid: int | None) -> bool:
    """Whether the server has a child (an append-only-file rewrite) running."""
    try:
        return bool(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    except (OSError, TypeError):
        return False


def _settle(pid: int | None, quiet_for_s: float = 30.0, every_s: float = 2.0,
            limit_s: float = 900.0) -> None:
    """Wait until the server has been idle for ``quiet_for_s``: under 0.1 CPU seconds per
    ``every_s`` and no child. (A rewrite can start some 20 s after the last write.)"""
    deadline = time.monotonic() + limit_s
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        before = _process_cpu(pid)
        time.sleep(every_s)
        if _process_cpu(pid) - before >= 0.1 or _busy(pid):
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_for_s:
            return


@contextmanager
def _cpu(times: dict[str, float], name: str, server_cpu: Callable[[], float]) -> Iterator[None]:
    """Record this process's and the server's CPU seconds under ``name``."""
    start, server = time.process_time(), server_cpu()
    try:
        yield
    finally:
        times[f"{name}_cpu_s"] = round(time.process_time() - start, 1)
        times[f"{name}_server_cpu_s"] = round(server_cpu() - server, 1)


def run(size: str = "small") -> dict[str, Any]:
    """Measure; returns the figures as a dict (see the module docstring)."""
    spec = SIZES[size]
    watch = Stopwatch()
    with tempfile.TemporaryDirectory(prefix="cg-bench-net-") as tmp, \
            fresh_store("network") as (store, settings):
        case_dir = Path(tmp) / "case"
        with watch("setup_generate_s"):
            generate_case(case_dir, seed=SEED, **spec)
        with watch("setup_load_s"), without_analysis():
            load_paths(store, [case_dir], settings)
        pid = falkordb_server.status(settings.data_dir).pid
        with watch("setup_settle_s"):
            _settle(pid)
        cpu: dict[str, float] = {}
        with watch("report_s"), _cpu(cpu, "report", lambda: _process_cpu(pid)):
            report = network_report(store)
        with watch("report_interaction_s"), _cpu(cpu, "report_interaction",
                                                  lambda: _process_cpu(pid)):
            network_report(store, projection="interaction")
        G = project(store, "co_membership", Window())
        exact_s, sources = _exact_betweenness_estimate(G)
        start = time.perf_counter()
        fast_betweenness(G)
        ours_exact_s = time.perf_counter() - start
    how = report["betweenness"]
    return {
        "benchmark": "network_report",
        "size": size,
        **spec,
        "people_in_graph": G.number_of_nodes(),
        "person_edges": G.number_of_edges(),
        "slices": len(report.get("slices", [])),
        "betweenness": f"{how['method']}" + (f" (k={how['k']})" if "k" in how else ""),
        **watch.times,
        **cpu,
        "exact_betweenness_estimate_s": round(exact_s, 1),
        "ours_exact_betweenness_s": round(ours_exact_s, 1),
        "exact_baseline_sources_timed": sources,
        "speedup_vs_exact_betweenness": round(exact_s / watch.times["report_s"], 1),
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> None:
    size_cli(__doc__, SIZES, run, argv)


if __name__ == "__main__":
    main()
