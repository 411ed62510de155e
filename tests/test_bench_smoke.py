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
