"""CI smoke test: ``python -m bench --size small`` runs every benchmark and reports figures.

It checks that each benchmark produced numbers and that the Markdown carries the
machine, the command and the targets table, not how fast anything was.
"""

from __future__ import annotations

import json
import subprocess
import sys
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
