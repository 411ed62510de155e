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

from bench.support import scratch_data_dir
from conductgraph.api.http_server import APP, NoDelayConfig


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
        _serve_two_workers(data_dir)


def _serve_two_workers(data_dir: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("CONDUCTGRAPH_", "NEO4J_"))},
           "CONDUCTGRAPH_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "conductgraph.api.cli", "serve", "--port", str(port),
                             "--workers", "2", "--no-access-log", "--log-level", "warning"], env=env)
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
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_refuses_an_unknown_log_level() -> None:
    proc = subprocess.run([sys.executable, "-m", "conductgraph.api.cli", "serve", "--log-level", "loud"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: ") and "--log-level" in proc.stderr
