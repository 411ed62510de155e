"""Network report timing: each projection with all its measures and quarterly slices.

Builds the synthetic case of :mod:`bench.exposure` at a given size in a fresh embedded
FalkorDB, then times :func:`conductgraph.graph.network.network_report` for every
projection (the projection, every measure, Louvain, k-core, brokers, the layout and one
network per quarter), and the exposure and participation reports for comparison.

Run: ``python -m bench.network --size small`` (50,000 messages, 200 people) or
``--size medium`` (200,000 messages, 500 people). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from bench.exposure import load_store, synthetic
from conductgraph.graph import falkordb_server
from conductgraph.graph.exposure import exposure_report
from conductgraph.graph.network import network_report
from conductgraph.graph.participation import participation_report
from conductgraph.graph.projections import PROJECTIONS

SIZES = {"small": {"messages": 50_000, "people": 200, "groups": 10},
         "medium": {"messages": 200_000, "people": 500, "groups": 25}}


def run(size: str = "small") -> dict[str, Any]:
    spec = SIZES[size]
    data = synthetic(spec["messages"], spec["people"], spec["groups"])
    t = time.perf_counter()
    store, data_dir = load_store(data)
    out: dict[str, Any] = {"size": size, **spec, "setup_load_s": round(time.perf_counter() - t, 1)}
    try:
        for projection in PROJECTIONS:
            t = time.perf_counter()
            report = network_report(store, projection=projection, measure="betweenness")
            out[f"network_{projection}_s"] = round(time.perf_counter() - t, 2)
            out[f"network_{projection}_edges"] = report["summary"]["edges"]
            out[f"network_{projection}_slices"] = len(report["slices"])
            out["betweenness"] = report["betweenness"]["method"]
        for name, fn in (("exposure", exposure_report), ("participation", participation_report)):
            t = time.perf_counter()
            fn(store)
            out[f"{name}_report_s"] = round(time.perf_counter() - t, 2)
    finally:
        store.close()
        falkordb_server.stop(data_dir)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    json.dump(run(parser.parse_args(argv).size), sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
