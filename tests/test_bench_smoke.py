"""CI smoke test: ``python -m bench --size small`` runs every benchmark and reports figures.

It checks that each benchmark produced numbers and that the Markdown carries the
machine, the command and the targets table, not how fast anything was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.__main__ import BENCHMARKS
from bench.report import TARGETS
from conductgraph.graph.queries import CYPHER_DIR

ROOT = CYPHER_DIR.parent


@pytest.mark.slow
def test_small_benchmarks_all_produce_figures(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    proc = subprocess.run([sys.executable, "-m", "bench", "--size", "small", "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.with_suffix(".json").read_text())
    by_name = {r["name"]: r for r in data["results"]}
    assert list(by_name) == list(BENCHMARKS)
    for name, result in by_name.items():
        assert result["status"] == "ok", f"{name}: {result['status']} {result['error'][-500:]}"
        numbers = [v for v in result["figures"].values()
                   if isinstance(v, int | float) and not isinstance(v, bool)]
        assert numbers, f"{name} reported no figures"
        assert result["peak_rss_mb"] > 0
    text = out.read_text()
    assert "python -m bench --size small" in text and "CPUs" in text
    for target in TARGETS:
        assert target.what in text
    # Every target's figure is measured at the small size too, except the exposure derive in
    # the store, which only the large run asks for.
    unmeasured = [t.what for t in TARGETS
                  if f"| {t.what} | {t.op} {t.bound:g} {t.unit} | — | not measured |" in text]
    assert unmeasured == ["Exposure for 1M messages (derive in the store)"]
    # The subgraph runs say where the CPU went.
    headline = by_name["api_subgraph"]["figures"]["subgraph_api"]
    cpu = headline["cpu_ms_per_request"]
    assert cpu["api_server"] > 0 and cpu["falkordb"] > 0 and cpu["total"] > 0
    # The headline is the median of its runs, every run's p95 beside it.
    assert len(headline["p95_ms_of_runs"]) == 3 and headline["p95_ms"] in headline["p95_ms_of_runs"]
    # How the clients' connections split between the two workers, read from /proc.
    split = headline["connections_per_worker"]
    assert len(split) == 2 and 0 < sum(split) <= 8 and split == sorted(split, reverse=True)
    assert by_name["api_subgraph"]["figures"]["mean_nodes_returned"] > 0


def test_the_headline_is_the_run_with_the_median_p95() -> None:
    from bench.api_subgraph import median_run

    runs = [{"p95_ms": 70.0, "throughput_rps": 180.0, "connections_per_worker": [5, 3]},
            {"p95_ms": 55.0, "throughput_rps": 210.0, "connections_per_worker": [4, 4]},
            {"p95_ms": 90.0, "throughput_rps": 150.0, "connections_per_worker": [6, 2]}]
    assert median_run(runs) == {"p95_ms": 70.0, "throughput_rps": 180.0, "connections_per_worker": [5, 3],
                                "p95_ms_of_runs": [70.0, 55.0, 90.0],
                                "throughput_rps_of_runs": [180.0, 210.0, 150.0],
                                "connections_per_worker_of_runs": [[5, 3], [4, 4], [6, 2]]}
    assert median_run(runs[:1])["p95_ms"] == 70.0


def test_keep_carries_other_benchmarks_over_with_their_date(tmp_path: Path) -> None:
    from bench.__main__ import Outcome, kept_outcomes

    old = {"size": "large", "date": "2026-11-28T10:00:00+00:00", "results": [
        {"name": "whatsapp_parse", "status": "ok", "seconds": 1.0, "peak_rss_mb": 2.0,
         "figures": {"ratio": 5.7}, "error": ""},
        {"name": "api_subgraph", "status": "ok", "seconds": 3.0, "peak_rss_mb": 4.0,
         "figures": {"p": 1}, "error": "", "date": "2026-11-27T09:00:00+00:00"}]}
    path = tmp_path / "benchmarks.json"
    path.write_text(json.dumps(old))
    fresh = Outcome("api_subgraph", "ok", 5.0, 6.0, {"p": 2}, date="2026-11-29T12:00:00+00:00")
    kept = kept_outcomes(path, [fresh], "large")
    assert [o.name for o in kept] == ["whatsapp_parse", "api_subgraph"]
    assert kept[0].figures == {"ratio": 5.7} and kept[0].date == "2026-11-28T10:00:00+00:00"
    assert kept[1] is fresh
    # Figures of another size are never mixed in.
    assert kept_outcomes(path, [fresh], "small") == [fresh]


def test_cpu_seconds_and_process_tree_read_a_real_child() -> None:
    from bench.support import cpu_seconds, process_tree

    # A child that burns CPU for a moment, then waits to be read.
    child = subprocess.Popen([sys.executable, "-c",
                              "import sys, time\n"
                              "t = time.process_time()\n"
                              "while time.process_time() - t < 0.3: pass\n"
                              "print('busy', flush=True); sys.stdin.read()"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "busy\n"
        tree = process_tree(os.getpid())
        assert tree[0] == os.getpid() and child.pid in tree
        assert (cpu_seconds(child.pid) or 0) >= 0.25
    finally:
        child.communicate("")
    assert cpu_seconds(child.pid) is None  # reaped: gone from /proc


def test_cpu_meter_splits_cpu_per_request_by_part() -> None:
    from bench.api_subgraph import CpuMeter

    before = {"api_server": {10: 1.0, 11: 2.0}, "falkordb": {20: 5.0}, "clients": {30: 0.5}}
    # Worker 11 went away meanwhile: only processes read both times count.
    after = {"api_server": {10: 1.6}, "falkordb": {20: 5.2}, "clients": {30: 0.7}}
    figures = CpuMeter.per_request(before, after, 100)
    assert figures["api_server"] == 6.0 and figures["falkordb"] == 2.0 and figures["clients"] == 2.0
    assert figures["total"] == 10.0
    assert figures["cpu_limit_rps"] == round((os.cpu_count() or 1) / 0.01, 1)


def test_the_server_log_counts_the_workers_that_started() -> None:
    from bench.api_subgraph import ServerLog

    def child(script: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True,
                                stdin=subprocess.PIPE)

    both = child("import sys\n"
                 "for _ in range(2): print('INFO:     Application startup complete.', file=sys.stderr)\n"
                 "sys.stderr.flush(); sys.stdin.read()")
    try:
        log = ServerLog(both)
        assert log.wait_started(2, timeout=30)
        assert "Application startup complete." in log.tail()
    finally:
        both.kill()
        both.wait()
    # One worker started and the server exited: known as soon as its log ends, not at the timeout.
    one = child("import sys\nprint('INFO:     Application startup complete.', file=sys.stderr)\n"
                "print('ERROR:    the other worker failed', file=sys.stderr)")
    log = ServerLog(one)
    t = time.monotonic()
    assert not log.wait_started(2, timeout=30)
    assert time.monotonic() - t < 20
    assert "the other worker failed" in log.tail()
    one.wait()


def test_connections_per_process_counts_the_accepted_side_only() -> None:
    import os
    import socket

    from bench.support import connections_per_process

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        accepted = [listener.accept()[0] for _ in clients]
        try:
            # This process holds both ends: only the three accepted ones are on the local port.
            assert connections_per_process([os.getpid()], port) == [3]
            accepted.pop().close()
            assert connections_per_process([os.getpid()], port) == [2]
        finally:
            for s in clients + accepted:
                s.close()
