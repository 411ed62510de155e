"""Peak resident memory of ``conductgraph load`` on one big WhatsApp export.

Writes one export with :func:`bench.whatsapp_parse.generate` (Android, UK locale) of about
``SIZES[size]`` bytes, then runs ``conductgraph load FILE --quiet`` in a child process
against a fresh embedded store, and reads the child's peak resident set size from the
kernel (``wait4`` rusage). The store's server is a separate process holding the graph
itself; its resident memory is sampled while the load runs and reported apart.

Baseline: the file's own size, what merely reading the export whole into memory would
take (Python's str needs at least that). The target is a peak below 1 GB for a 1 GB file.

Run: ``python -m bench.memory_load --size large`` (1 GiB) or ``small`` (4 MiB). Prints
one JSON object; ``run(size)`` returns it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from conductgraph.graph import falkordb_server

from .support import rss_mb, scratch_data_dir, size_cli
from .whatsapp_parse import generate

SIZES = {"small": 4 * 2**20, "large": 2**30}
SAMPLE_MESSAGES = 20_000


def _export(path: Path, target_bytes: int) -> tuple[int, int]:
    """Write an export of about ``target_bytes``; returns (messages, bytes)."""
    per_message = generate(path, SAMPLE_MESSAGES) / SAMPLE_MESSAGES
    messages = max(SAMPLE_MESSAGES, int(target_bytes / per_message))
    return messages, generate(path, messages)


def _sample_server(data_dir: Path, stop: threading.Event, peak: list[float]) -> None:
    while not stop.wait(0.5):
        if not (data_dir / "falkordb.sock").exists():
            continue
        pid = falkordb_server.status(data_dir).pid
        mb = rss_mb(pid) if pid is not None else None
        peak[0] = max(peak[0], mb or 0.0)


def _load_in_child(path: Path, data_dir: Path) -> tuple[float, float, int]:
    """Run the load; (seconds, peak RSS of the loading process in MB, exit code)."""
    env = {**os.environ, "CONDUCTGRAPH_DATA_DIR": str(data_dir),
           "CONDUCTGRAPH_GRAPH_NAME": "memory"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "conductgraph.api.cli", "load", str(path),
                             "--quiet"], env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, proc.returncode


def run(size: str = "small") -> dict[str, Any]:
    """Measure; returns the figures as a dict (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="cg-bench-mem-") as tmp, scratch_data_dir("mem") as data_dir:
        path = Path(tmp) / "WhatsApp Chat with Memory.txt"
        t = time.perf_counter()
        messages, size_bytes = _export(path, SIZES[size])
        generate_s = time.perf_counter() - t
        stop, server_peak = threading.Event(), [0.0]
        sampler = threading.Thread(target=_sample_server, args=(data_dir, stop, server_peak),
                                   daemon=True)
        sampler.start()
        try:
            seconds, peak_mb, code = _load_in_child(path, data_dir)
        finally:
            stop.set()
            sampler.join()
    if code != 0:
        raise RuntimeError(f"conductgraph load exited with {code}")
    file_mb = size_bytes / 2**20
    return {
        "benchmark": "memory_load",
        "size": size,
        "file_mb": round(file_mb, 1),
        "messages": messages,
        "generate_s": round(generate_s, 1),
        "load_s": round(seconds, 1),
        "loader_peak_rss_mb": round(peak_mb, 1),
        "peak_over_file_size": round(peak_mb / file_mb, 2),
        "server_peak_rss_mb": round(server_peak[0], 1),
        "under_1gb": peak_mb < 1024,
    }


def main(argv: list[str] | None = None) -> None:
    size_cli(__doc__, SIZES, run, argv)


if __name__ == "__main__":
    main()
