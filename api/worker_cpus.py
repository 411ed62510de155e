"""Keeping each worker process of ``conductgraph serve`` on one CPU (``--pin-workers``).

Why: with two workers on a 2-core machine that also runs the store, the kernel moves the
workers between the cores as the store's threads wake up, and every move costs the worker
its warm caches. Pinned, worker *i* stays on the *i*-th CPU it may use: on the benchmark
machine (two workers, FalkorDB on the same two cores, eight clients asking for depth-2,
500-node subgraphs) the throughput rose by 2 to 24 % in twelve of twelve runs alternated
with unpinned ones, and the p95 fell in nine (docs/api.md, Performance). The store is not
pinned: it uses whichever core is free. Linux only (``sched_setaffinity``).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable

from uvicorn import Config
from uvicorn.supervisors import Multiprocess

from conductgraph.graph.errors import InputError


def available_cpus() -> list[int]:
    """The CPUs this process may run on (a container's or ``taskset``'s share), in order."""
    if not hasattr(os, "sched_getaffinity") or not os.path.isdir("/proc/self/task"):
        raise InputError("--pin-workers needs Linux (sched_setaffinity)",
                         detail={"field": "pin_workers"})
    return sorted(os.sched_getaffinity(0))


def worker_cpus(workers: int, cpus: Iterable[int]) -> list[int]:
    """The CPU of each of ``workers`` workers: round robin over ``cpus`` in order.

    >>> worker_cpus(3, {1, 0})
    [0, 1, 0]
    >>> worker_cpus(2, [0, 1, 2, 3])
    [0, 1]
    """
    order = sorted(cpus)
    if not order:
        raise InputError("no CPU to pin the workers to", detail={"field": "pin_workers"})
    return [order[i % len(order)] for i in range(workers)]


def pin_process(pid: int, cpu: int) -> bool:
    """Keep every thread of process ``pid`` on ``cpu`` (threads it starts later inherit it);
    False when the process has gone."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return False
    for tid in threads:
        try:
            os.sched_setaffinity(int(tid), {cpu})
        except ProcessLookupError:
            continue  # a thread that just ended
    return True


class PinnedMultiprocess(Multiprocess):
    """uvicorn's supervisor, keeping worker *i* on CPU ``cpus[i]`` (round robin), also after
    it restarts a worker (its loop checks the workers twice a second, then this pins)."""

    def __init__(self, config: Config, sockets: list[socket.socket], cpus: list[int]) -> None:
        super().__init__(config, sockets)
        self.cpus = cpus
        self.pinned: dict[int, int] = {}  # worker index -> pid pinned

    def init_processes(self) -> None:
        super().init_processes()
        self.pin_new()

    def keep_subprocess_alive(self) -> None:
        super().keep_subprocess_alive()
        self.pin_new()

    def pin_new(self) -> None:
        """Pin the workers started since the last call (new, restarted or added ones)."""
        cpus = worker_cpus(len(self.processes), self.cpus)
        for index, process in enumerate(self.processes):
            pid = process.pid
            if pid is not None and self.pinned.get(index) != pid and pin_process(pid, cpus[index]):
                self.pinned[index] = pid
