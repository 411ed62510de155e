"""Latency and throughput of ``GET /people/{id}/subgraph`` under concurrent load.

Builds a synthetic case in a fresh embedded FalkorDB (people, groups, memberships, messages
sent and posted, a few flagged; written as ``conductgraph load`` writes a case into an empty
store, through ``GRAPH.BULK``: written through MERGE batches instead, the case left index
entries behind that FalkorDB's index garbage collector cleared 10 to 30 s later, keeping a
core busy for seconds while the first phases ran), starts the API
with ``conductgraph serve`` (:data:`WORKERS` worker processes) on 127.0.0.1, and sends a
bounded number of requests (and at most a bounded time) from :data:`CLIENTS` concurrent clients (the headline
figures: :data:`HEADLINE_RUNS` such phases spread over the run, the one with the median p95),
then again from each number in :data:`SWEEP` (``subgraph_api_cN``: how latency
grows with load on this machine), and ``subgraph_api_defaults``: the endpoint's default
request (depth 1, at most 200 nodes) from :data:`CLIENTS` clients. Beside it, on Linux, a
second server started with ``--pin-workers`` (each worker kept on one CPU) serves the
headline request as many times, each run right after a headline run (``subgraph_api_pinned``
and ``pinned_over_unpinned``: the ratios of the runs' median throughput and p95). In the
same run, two baselines:

- ``health``: ``GET /health`` through the same server and clients — HTTP, auth-free
  routing and the audit log, but no graph work;
- ``direct``: the same subgraphs computed in-process by
  :func:`conductgraph.graph.subgraph.person_subgraph` from the same number of threads —
  the graph work without HTTP, auth, redaction checks or the audit log.

Each phase of subgraph requests opens new connections (new client threads) and reports
how they split between the server's workers (``connections_per_worker``, read from /proc
after every client has its connection): the server gives each new connection to the worker
holding the fewest (``api/least_connections.py``), so eight split 4/4; left to the kernel
(``--no-balance-connections``) a 5/3 or 6/2 split showed in the p95.

Each phase also reports ``cpu_ms_per_request``: the CPU time the API server's processes,
FalkorDB and this process spent per request, read from /proc (:class:`CpuMeter`). On a
machine whose cores the clients share with the server, that sum, not the code's latency
alone, bounds what many clients see: ``clients / cpu_limit_rps`` is the least mean latency
they can get.

The clients are threads of this process, each with one keep-alive ``http.client``
connection: they share the machine's cores with the server, and with ``httpx`` they took
about 3 ms of CPU per subgraph request, against 1 ms. A request is timed until the last
byte of its body has arrived, as load generators time a server; the subgraph bodies are
parsed and checked (JSON with ``nodes``, counted into ``mean_nodes_returned``) after each
phase, since parsing 500 nodes during it took the clients another 0.6 ms of CPU per
request, on the cores the server needs.

Run: ``python -m bench.api_subgraph --size large`` (500,000 messages) or ``--size small``
(5,000). Prints one JSON object; ``run(size)`` returns it.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import orjson

from conductgraph.api.tokens import TokenStore
from conductgraph.graph import falkordb_server
from conductgraph.graph.bulk_writer import open_writer
from conductgraph.graph.cycle_collector import serving_collections
from conductgraph.graph.records import Node, Rel
from conductgraph.graph.settings import Settings
from conductgraph.graph.store import GraphStore
from conductgraph.graph.subgraph import person_subgraph

from .support import connections_per_process, cpu_seconds, fresh_store, process_tree, server_workers, size_cli

SIZES = {
    # Small is CI's smoke run (that it works, not how fast): nine rounds of 60 requests.
    "small": {"messages": 5_000, "people": 100, "groups": 10, "requests": 60},
    "large": {"messages": 500_000, "people": 2_000, "groups": 100, "requests": 1_200},
}
CLIENTS = 8
#: uvicorn worker processes, as ``conductgraph serve --workers 2`` on a 2-core machine.
WORKERS = 2
SWEEP = (1, 2, 4)
#: The headline phase runs this many times, first, in the middle and last, and reports the
#: run with the median p95 (:func:`median_run`): consecutive runs of the same code on the
#: benchmark machine differed by up to a third in throughput as the machine's speed changed.
HEADLINE_RUNS = 3
#: Compare with workers pinned to CPUs (``serve --pin-workers``), where the OS allows it.
PIN_WORKERS = hasattr(os, "sched_setaffinity")
DEPTH = 2
NODE_LIMIT = 500
MAX_SECONDS = 60.0
GROUPS_PER_PERSON = 3
FLAGGED_SHARE = 0.02
START = int(datetime(2016, 1, 1, tzinfo=UTC).timestamp())
SPAN = 2 * 365 * 86_400


def _time(at: int) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_case(store: GraphStore, settings: Settings, messages: int, people: int, groups: int,
               seed: int = 7) -> None:
    """People in three groups each, messages by members, ~2 % flagged as racism; written by
    the writer ``conductgraph load`` uses (:func:`open_writer`)."""
    rng = random.Random(seed)
    roster: dict[int, list[int]] = {g: [] for g in range(groups)}
    with open_writer(store, settings) as w:
        w.add(Node("Category", "racism", {"name": "Racism"}))
        for g in range(groups):
            w.add(Node("Group", f"group:{g}", {"name": f"Group {g}", "platform": "whatsapp"}))
        for p in range(people):
            w.add(Node("Person", f"person:{p}", {"name": f"Person {p}", "resolved": True}))
            w.add(Node("Account", f"whatsapp:Person {p}", {"platform": "whatsapp", "handle": f"Person {p}"}))
            w.add(Rel("HAS_ACCOUNT", "Person", f"person:{p}", "Account", f"whatsapp:Person {p}"))
            for g in rng.sample(range(groups), GROUPS_PER_PERSON):
                roster[g].append(p)
                w.add(Rel("MEMBER_OF", "Person", f"person:{p}", "Group", f"group:{g}",
                          {"from": _time(START), "evidence": "declared"}))
        for i in range(messages):
            g = rng.randrange(groups)
            if not roster[g]:
                continue
            mid = f"msg:{i:08d}"
            w.add(Node("Message", mid, once={"sent_at": _time(START + rng.randrange(SPAN)), "kind": "text",
                                              "text": f"message {i}"}))
            w.add(Rel("POSTED_IN", "Message", mid, "Group", f"group:{g}"))
            w.add(Rel("SENT", "Person", f"person:{rng.choice(roster[g])}", "Message", mid))
            if rng.random() < FLAGGED_SHARE:
                w.add(Rel("FLAGGED_AS", "Message", mid, "Category", "racism", {"method": "analyst"}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(settings: Settings, port: int, *options: str) -> subprocess.Popen[str]:
    env = {**os.environ, "CONDUCTGRAPH_DATA_DIR": str(settings.data_dir),
           "CONDUCTGRAPH_GRAPH_NAME": settings.graph_name}
    # What a user runs: ``conductgraph serve`` (its socket setup matters with several workers).
    # Its info log says when each worker has started the application.
    proc = subprocess.Popen([sys.executable, "-m", "conductgraph.api.cli", "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(WORKERS), "--log-level", "info",
                             "--no-access-log", *options],
                            env=env, stderr=subprocess.PIPE, text=True)
    log = ServerLog(proc)
    deadline = time.monotonic() + 30
    # Every worker, not only the first: connections opened while one still starts all go to
    # the others, for as long as the client keeps them.
    if not log.wait_started(WORKERS, deadline - time.monotonic()):
        proc.kill()
        raise RuntimeError(f"the API server's {WORKERS} workers did not start: {log.tail()}")
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
        finally:
            conn.close()
    proc.kill()
    raise RuntimeError(f"the API server did not answer: {log.tail()}")


class ServerLog:
    """Reads the server's log (its stderr) on a thread: counts the workers that have started
    the application, keeps the last lines for errors, and never lets the pipe fill up."""

    STARTED = "Application startup complete"

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self._started = 0
        self._ended = False
        self._lines: list[str] = []
        self._changed = threading.Condition()
        assert proc.stderr is not None
        threading.Thread(target=self._read, args=(proc.stderr,), daemon=True).start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            with self._changed:
                self._lines = [*self._lines[-19:], line.rstrip()]
                self._started += self.STARTED in line
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def wait_started(self, workers: int, timeout: float) -> bool:
        """Whether ``workers`` workers started the application within ``timeout`` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._started >= workers or self._ended, timeout)
            return self._started >= workers

    def tail(self) -> str:
        with self._changed:
            return " | ".join(self._lines[-5:])


class CpuMeter:
    """CPU time per request, by who spent it: the API server (``conductgraph serve`` and its
    worker processes), the embedded FalkorDB, and this process (the clients, and for
    ``direct`` the graph work too). All share the machine's cores, so their sum bounds the
    request rate: ``cpu_limit_rps`` is the rate at which every core would be busy."""

    def __init__(self, server_pid: int, store_pid: int | None) -> None:
        self.parts = {"api_server": process_tree(server_pid),
                      "falkordb": [store_pid] if store_pid else [], "clients": [os.getpid()]}

    def read(self) -> dict[str, dict[int, float]]:
        return {part: {pid: cpu for pid in pids if (cpu := cpu_seconds(pid)) is not None}
                for part, pids in self.parts.items()}

    @staticmethod
    def per_request(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]],
                    requests: int) -> dict[str, float | None]:
        spent = {part: sum(after[part][pid] - start for pid, start in before[part].items()
                           if pid in after[part])
                 for part in before}
        ms: dict[str, float | None] = {part: round(seconds / requests * 1000, 2)
                                       for part, seconds in spent.items()}
        total = sum(spent.values()) / requests
        return {**ms, "total": round(total * 1000, 2),
                "cpu_limit_rps": round((os.cpu_count() or 1) / total, 1) if total else None}


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of ``runs`` (phase results) whose p95 is the median, with every run's p95 and
    throughput beside its own figures (with an even number of runs, the upper middle one)."""
    middle = sorted(runs, key=lambda run: run["p95_ms"])[len(runs) // 2]
    return {**middle, "p95_ms_of_runs": [run["p95_ms"] for run in runs],
            "throughput_rps_of_runs": [run["throughput_rps"] for run in runs],
            "connections_per_worker_of_runs": [run.get("connections_per_worker") for run in runs]}


def pinned_ratios(pinned: list[dict[str, Any]], unpinned: list[dict[str, Any]]) -> dict[str, float]:
    """Pinned workers against unpinned: the ratios of the runs' median throughput and p95."""

    def median(runs: list[dict[str, Any]], key: str) -> float:
        return float(statistics.median(run[key] for run in runs))

    return {key: round(median(pinned, key) / median(unpinned, key), 2)
            for key in ("throughput_rps", "p95_ms") if median(unpinned, key)}


def _load(call: Callable[[int], None], requests: int, clients: int = CLIENTS,
          meter: CpuMeter | None = None) -> dict[str, Any]:
    """``requests`` calls from ``clients`` threads (stopping after :data:`MAX_SECONDS`)."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + MAX_SECONDS

    def one(i: int) -> None:
        if time.monotonic() > deadline:
            return
        t = time.perf_counter()
        call(i)
        with lock:
            latencies.append(time.perf_counter() - t)

    cpu_before = meter.read() if meter else None
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(requests)))
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    result: dict[str, Any] = {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
        "throughput_rps": round(len(ordered) / wall, 1),
    }
    if meter and cpu_before and ordered:
        result["cpu_ms_per_request"] = meter.per_request(cpu_before, meter.read(), len(ordered))
    return result


def run(size: str = "small") -> dict[str, Any]:
    spec = SIZES[size]
    # A store of its own, stopped and removed afterwards (the API server first).
    with fresh_store("bench") as (store, settings):
        data_dir = settings.data_dir
        proc = pinned_proc = None
        pinned_port = 0
        try:
            t = time.perf_counter()
            write_case(store, settings, spec["messages"], spec["people"], spec["groups"])
            setup_s = time.perf_counter() - t
            token, _ = TokenStore(data_dir).create("investigator", "bench")
            seeds = [f"person:{random.Random(i).randrange(spec['people'])}" for i in range(spec["requests"])]
            port = _free_port()
            proc = _serve(settings, port)
            if PIN_WORKERS:
                pinned_port = _free_port()
                pinned_proc = _serve(settings, pinned_port, "--pin-workers")
            headers = {"Authorization": f"Bearer {token}"}
            local = threading.local()
            nodes: list[int] = []
            bodies: list[bytes] = []

            def get(path: str, server_port: int = port) -> bytes:
                # One keep-alive connection per client thread and server.
                conns = local.__dict__.setdefault("conns", {})
                if server_port not in conns:
                    conns[server_port] = http.client.HTTPConnection("127.0.0.1", server_port, timeout=60)
                conn = conns[server_port]
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
                return body

            def subgraph_phase(count: int, clients: int = CLIENTS, pinned: bool = False) -> dict[str, Any]:
                server_port = pinned_port if pinned else port
                server = pinned_proc if pinned else proc
                split: list[list[int]] = []
                samplers: list[threading.Thread] = []

                def sample_split() -> None:
                    if server is not None:
                        counts = connections_per_process(server_workers(server.pid), server_port)
                        split.append(sorted(counts, reverse=True))

                def api_subgraph(i: int) -> None:
                    path = f"/people/{quote(seeds[i])}/subgraph?depth={DEPTH}&limit={NODE_LIMIT}"
                    bodies.append(get(path, server_port))
                    if i == clients * 2:
                        # Every client has its connection by now (each phase's clients open new
                        # ones); read the split on a thread of its own, not in a timed request.
                        samplers.append(threading.Thread(target=sample_split))
                        samplers[-1].start()

                result = _load(api_subgraph, count, clients, meter=pinned_meter if pinned else meter)
                for sampler in samplers:
                    sampler.join()
                nodes.extend(len(orjson.loads(body)["nodes"]) for body in bodies)
                bodies.clear()
                return {**result, "connections_per_worker": split[0] if split else None}

            def headline_phase(count: int) -> None:
                headline.append(subgraph_phase(count))
                if pinned_proc is not None:
                    pinned_runs.append(subgraph_phase(count, pinned=True))

            def api_subgraph_defaults(i: int) -> None:
                get(f"/people/{quote(seeds[i])}/subgraph")

            def health(i: int) -> None:
                get("/health")

            def direct(i: int) -> None:
                person_subgraph(store, seeds[i], depth=DEPTH, limit=NODE_LIMIT)

            # The clients collect garbage as the server does (graph/cycle_collector.py): a pause
            # of the load generator would count as the server's latency.
            store_pid = falkordb_server.status(data_dir).pid
            meter = CpuMeter(proc.pid, store_pid)
            pinned_meter = CpuMeter(pinned_proc.pid, store_pid) if pinned_proc is not None else None
            requests = spec["requests"]
            headline: list[dict[str, Any]] = []
            pinned_runs: list[dict[str, Any]] = []
            with serving_collections():
                # Warm-up: the workers' first queries and caches (each phase's clients open
                # connections of their own).
                subgraph_phase(CLIENTS * 2)
                if pinned_proc is not None:
                    subgraph_phase(CLIENTS * 2, pinned=True)
                headline_phase(requests)
                others = {
                    "subgraph_api_defaults": _load(api_subgraph_defaults, requests, meter=meter),
                    "health_api": _load(health, requests, meter=meter),
                    "subgraph_direct": _load(direct, requests, meter=meter),
                }
                for _ in range(HEADLINE_RUNS // 2):
                    headline_phase(requests)
                others |= {f"subgraph_api_c{n}": subgraph_phase(requests, n) for n in SWEEP}
                while len(headline) < HEADLINE_RUNS:
                    headline_phase(requests)
            results = {"subgraph_api": median_run(headline), **others}
            if pinned_runs:
                results |= {"subgraph_api_pinned": median_run(pinned_runs),
                            "pinned_over_unpinned": pinned_ratios(pinned_runs, headline)}
            api, direct_r = results["subgraph_api"], results["subgraph_direct"]
            return {
                "size": size, "messages": spec["messages"], "people": spec["people"],
                "groups": spec["groups"],
                "clients": CLIENTS, "workers": WORKERS, "depth": DEPTH, "node_limit": NODE_LIMIT,
                "mean_nodes_returned": round(statistics.mean(nodes), 1) if nodes else 0,
                "setup_load_s": round(setup_s, 1),
                **results,
                "api_over_direct_p50": (round(api["p50_ms"] / direct_r["p50_ms"], 2)
                                        if direct_r["p50_ms"] else None),
            }
        finally:
            for server in (proc, pinned_proc):
                if server is not None:
                    server.terminate()
                    server.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    size_cli(__doc__, SIZES, run, argv)


if __name__ == "__main__":
    main()
