"""Helpers the benchmarks share: a throw-away embedded store, timing, memory figures."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conductgraph.graph import falkordb_server
from conductgraph.graph.settings import Settings
from conductgraph.graph.store import GraphStore, open_store


@contextmanager
def scratch_data_dir(name: str = "bench") -> Iterator[Path]:
    """A short-lived data directory for an embedded FalkorDB: afterwards the server started in
    it (by this process or a child) is stopped and the directory removed."""
    # Short path: Unix socket paths are limited to 107 bytes.
    data_dir = Path(f"/tmp/cg-{name}-{uuid.uuid4().hex[:8]}")
    try:
        yield data_dir
    finally:
        falkordb_server.stop(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


@contextmanager
def fresh_store(name: str = "bench") -> Iterator[tuple[GraphStore, Settings]]:
    """An embedded FalkorDB in its own :func:`scratch_data_dir`, and a store open on it."""
    with scratch_data_dir(name) as data_dir:
        settings = Settings(data_dir=data_dir, graph_name=name)  # type: ignore[call-arg]
        store = open_store(settings)
        try:
            yield store, settings
        finally:
            store.close()


def rss_mb(pid: int) -> float | None:
    """Resident memory of process ``pid`` in MB, from /proc (None once it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kib = next((int(line.split()[1]) for line in status.splitlines()
                if line.startswith("VmRSS:")), None)
    return None if kib is None else round(kib / 1024, 1)


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds process ``pid`` has used so far, from /proc (None once it
    has gone)."""
    try:
        # Fields after the command name, which may itself hold spaces and parentheses.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process descending from it (e.g. a server and its workers)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += parents.get(current, [])
    return tree


def server_workers(server_pid: int) -> list[int]:
    """The worker processes of a ``conductgraph serve`` with several workers (uvicorn spawns
    them; not the supervisor, nor multiprocessing's resource tracker), or the server itself."""
    workers = []
    for pid in process_tree(server_pid)[1:]:
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                workers.append(pid)
        except OSError:
            continue  # gone meanwhile
    return workers or [server_pid]


def connections_per_process(pids: list[int], port: int) -> list[int]:
    """How many established TCP connections to the local ``port`` each of ``pids`` holds
    (e.g. how a server's workers split their clients), from /proc; ``pids``' order."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            # local address "HEX_IP:HEX_PORT", state 01 = ESTABLISHED, then the socket's inode.
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    counts = []
    for pid in pids:
        held = 0
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            fds = []
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            held += target.startswith("socket:[") and target[8:-1] in inodes
        counts.append(held)
    return counts


def server_rss_mb(settings: Settings) -> float | None:
    """Resident memory of the store's server process (the graph lives there), in MB."""
    pid = falkordb_server.status(settings.data_dir).pid
    return None if pid is None else rss_mb(pid)


def memory_gb() -> float:
    """Physical memory of the machine, from /proc/meminfo."""
    line = next(x for x in Path("/proc/meminfo").read_text().splitlines()
                if x.startswith("MemTotal:"))
    return round(int(line.split()[1]) / 2**20, 1)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Stopwatch:
    """``with watch("name"):`` records seconds under that name."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.times[name] = round(time.perf_counter() - start, 3)


def size_cli(doc: str | None, sizes: Iterable[str], run: Callable[[str], dict[str, Any]],
             argv: list[str] | None = None) -> None:
    """``python -m bench.<name> --size small|large``: run one benchmark and print its JSON."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0] if doc else None)
    ap.add_argument("--size", choices=sorted(sizes), default="small")
    args = ap.parse_args(argv)
    print(json.dumps(run(args.size), indent=2))
