"""``conductgraph serve``: the socket its workers share, and a real two-worker server."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from bench.support import scratch_data_dir, server_workers
from conductgraph.api.http_server import APP, NoDelayConfig
from conductgraph.api.worker_cpus import worker_cpus
from conductgraph.graph.errors import InputError

from .serve_process import start_serve


def test_worker_socket_states_tcp_so_connections_send_without_delay() -> None:
    # asyncio sets TCP_NODELAY only on connections of a socket that says IPPROTO_TCP; uvicorn's
    # own socket says 0, and each response then waits for the client's delayed ACK.
    sock = NoDelayConfig(APP, host="127.0.0.1", port=0, workers=2).bind_socket()
    assert sock.proto == socket.IPPROTO_TCP

    async def accepted_nodelay() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            option = writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            seen.set_result(option)
            writer.close()

        server = await asyncio.start_server(connected, sock=sock)
        port = sock.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await asyncio.wait_for(seen, 5)
        finally:
            writer.close()
            server.close()
            await server.wait_closed()

    assert asyncio.run(accepted_nodelay()) != 0


def test_serve_with_two_workers_answers_on_one_connection() -> None:
    with scratch_data_dir("serve") as data_dir:
        pinned = _serve_two_workers(data_dir)
    # Not pinned unless asked: the kernel places the workers.
    assert pinned == {} or os.cpu_count() == 1


def test_serve_with_two_workers_leaving_connections_to_the_kernel_answers() -> None:
    with scratch_data_dir("serve") as data_dir:
        _serve_two_workers(data_dir, "--no-balance-connections")


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="CPU affinity is Linux's")
def test_pinned_workers_each_keep_every_thread_on_their_own_cpu() -> None:
    cpus = sorted(os.sched_getaffinity(0))
    with scratch_data_dir("serve") as data_dir:
        workers = _serve_two_workers(data_dir, "--pin-workers")
    assert len(workers) == 2
    # Worker i on the i-th CPU this process may use (round robin on a 1-CPU machine).
    assert sorted(workers.values()) == sorted(worker_cpus(2, cpus))
    for cpu in workers.values():
        assert cpu in cpus


def test_pinning_spreads_workers_round_robin_over_the_cpus_in_order() -> None:
    assert worker_cpus(5, {3, 1}) == [1, 3, 1, 3, 1]
    with pytest.raises(InputError, match="no CPU"):
        worker_cpus(2, [])


def _serve_two_workers(data_dir: Path, *options: str) -> dict[int, int]:
    """Serve with two workers, check six answers on one connection; the workers' CPU (when
    every thread of a worker is held to one CPU), by pid, read while they served."""
    proc, port = start_serve(data_dir, *options)
    try:
        deadline = time.monotonic() + 60
        with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            while True:
                try:
                    first = client.get("/health")
                    break
                except httpx2.TransportError:
                    assert proc.poll() is None, "conductgraph serve exited"
                    assert time.monotonic() < deadline, "conductgraph serve did not answer"
                    time.sleep(0.2)
            answers = [first] + [client.get("/health") for _ in range(5)]
        assert [r.status_code for r in answers] == [200] * 6
        assert answers[-1].json()["status"] == "ok"
        return _pinned_workers(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _pinned_workers(supervisor: int) -> dict[int, int]:
    pinned: dict[int, int] = {}
    if not hasattr(os, "sched_getaffinity"):
        return pinned
    for worker in server_workers(supervisor):
        threads = [int(tid) for tid in os.listdir(f"/proc/{worker}/task")]
        allowed = [os.sched_getaffinity(tid) for tid in threads]
        if all(len(cpus) == 1 for cpus in allowed) and len(set().union(*allowed)) == 1:
            pinned[worker] = next(iter(allowed[0]))
    return pinned


def test_serve_refuses_an_unknown_log_level() -> None:
    proc = subprocess.run([sys.executable, "-m", "conductgraph.api.cli", "serve", "--log-level", "loud"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: ") and "--log-level" in proc.stderr
