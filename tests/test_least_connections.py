"""Least connections between ``conductgraph serve``'s workers: the shared ledger on small
cases with known answers, a server in a real event loop, and a real two-worker server."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest

from bench.support import connections_per_process, scratch_data_dir, server_workers
from conductgraph.api.least_connections import (
    ConnectionLedger,
    LeastConnectionsLoop,
    LeastConnectionsServer,
    process_alive,
)

from .serve_process import start_serve


def _exited_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_worker_accepts_only_while_no_live_worker_holds_fewer() -> None:
    ledger = ConnectionLedger(3)
    mine = ledger.claim(os.getpid())
    other = ledger.claim(os.getppid())
    assert (mine, other) == (0, 1)
    ledger.publish(other, 2)
    assert ledger.may_accept(mine, 0) and ledger.may_accept(mine, 2)
    assert not ledger.may_accept(mine, 3)
    ledger.publish(other, 4)
    assert ledger.may_accept(mine, 3)
    assert ledger.counts() == {os.getpid(): 0, os.getppid(): 4}


def test_a_dead_workers_slot_never_holds_the_others_back_and_is_freed() -> None:
    ledger = ConnectionLedger(2)
    mine = ledger.claim(os.getpid())
    dead = _exited_pid()
    assert ledger.claim(dead) == 1  # its count is 0, fewer than anyone else's
    assert mine is not None and ledger.may_accept(mine, 5)
    assert ledger.counts() == {os.getpid(): 0}
    # A full ledger hands out the slot of a dead holder, and refuses when all are alive.
    ledger.claim(dead)
    assert ledger.claim(os.getppid()) == 1
    assert ledger.claim(12345678) is None or not process_alive(12345678)


def test_an_exited_child_not_yet_reaped_counts_as_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 20
        while process_alive(child.pid):  # a zombie once it exits, until wait() below
            assert time.monotonic() < deadline, "the child did not exit"
            time.sleep(0.02)
        os.kill(child.pid, 0)  # the zombie still has its pid: only /proc tells it is gone
    finally:
        child.wait()
    assert not process_alive(child.pid)
    assert process_alive(os.getpid())


def test_release_frees_only_the_holders_own_slot() -> None:
    ledger = ConnectionLedger(1)
    slot = ledger.claim(os.getpid())
    assert slot == 0
    ledger.release(slot, os.getppid())
    assert ledger.counts() == {os.getpid(): 0}
    ledger.release(slot, os.getpid())
    assert ledger.counts() == {}


def test_a_ledger_needs_a_slot() -> None:
    with pytest.raises(ValueError, match="at least one slot"):
        ConnectionLedger(0)


class _Echo(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.transport.write(data)  # type: ignore[attr-defined]


async def _end(writer: asyncio.StreamWriter, server: LeastConnectionsServer, left: int) -> None:
    """Close the client's side of a connection and wait until the server counts it out."""
    writer.close()
    await writer.wait_closed()
    deadline = time.monotonic() + 5
    while server.connections != left:
        assert time.monotonic() < deadline, "the ended connection was not counted out"
        await asyncio.sleep(0.01)


def test_the_loop_serves_a_handed_socket_counting_its_connections_and_holding_back() -> None:
    ledger = ConnectionLedger(2)
    other = ledger.claim(os.getppid())  # a live "worker" that holds no connection
    assert other is not None
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(_Echo, sock=listener, backlog=16)
        assert isinstance(server, LeastConnectionsServer) and server.is_serving()
        # The first connection is taken: nobody holds fewer than this worker's 0.
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"one")
        assert await asyncio.wait_for(reader.readexactly(3), 5) == b"one"
        assert server.connections == 1 and ledger.counts()[os.getpid()] == 1
        # Now the other worker holds fewer: a second connection waits in the backlog...
        second_reader, second_writer = await asyncio.open_connection("127.0.0.1", port)
        second_writer.write(b"two")
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(second_reader.readexactly(3), 0.3)
        assert server.connections == 1
        # ...until the other holds as many, then this worker takes it.
        ledger.publish(other, 1)
        assert await asyncio.wait_for(second_reader.readexactly(3), 5) == b"two"
        assert server.connections == 2
        # A connection that ends is counted out.
        await _end(writer, server, left=1)
        assert ledger.counts()[os.getpid()] == 1
        server.close()
        await server.wait_closed()
        assert not server.is_serving() and os.getpid() not in ledger.counts()
        # A connection that ends after the server closed must not write into the slot it
        # gave up (another worker may hold it by then).
        taken = ledger.claim(12345678)  # a worker started since takes the slot
        assert taken is not None
        ledger.publish(taken, 5)
        await _end(second_writer, server, left=0)
        assert ledger.counts()[12345678] == 5

    runner = asyncio.Runner(loop_factory=lambda: LeastConnectionsLoop(ledger))
    with runner:
        runner.run(scenario())


def test_the_loop_serves_an_address_as_asyncio_does() -> None:
    async def scenario() -> None:
        server = await asyncio.get_running_loop().create_server(_Echo, "127.0.0.1", 0)
        assert not isinstance(server, LeastConnectionsServer)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"x")
        assert await asyncio.wait_for(reader.readexactly(1), 5) == b"x"
        writer.close()
        server.close()
        await server.wait_closed()

    with asyncio.Runner(loop_factory=lambda: LeastConnectionsLoop(ConnectionLedger(1))) as runner:
        runner.run(scenario())


@contextmanager
def _two_workers(data_dir: Path, *options: str) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``conductgraph serve --workers 2`` answering on a free port, both workers serving."""
    proc, port = start_serve(data_dir, *options)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # Each worker says it is up by answering; with least connections, two
                # connections held at once are one per worker as soon as both listen.
                with _clients(port, 2):
                    if sorted(connections_per_process(server_workers(proc.pid), port)) == [1, 1]:
                        break
            except httpx2.TransportError:
                pass
            assert proc.poll() is None, "conductgraph serve exited"
            assert time.monotonic() < deadline, "both workers did not come up"
            time.sleep(0.2)
        yield proc, port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@contextmanager
def _clients(port: int, n: int) -> Iterator[list[httpx2.Client]]:
    """``n`` clients, each holding one connection on which it got an answer (opened at once)."""
    clients = [httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) for _ in range(n)]
    failures: list[BaseException] = []

    def ask(client: httpx2.Client) -> None:
        try:
            assert client.get("/health").status_code == 200
        except BaseException as exc:  # noqa: BLE001 - reported in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=ask, args=(c,)) for c in clients]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]
        yield clients
    finally:
        for client in clients:
            client.close()


def test_eight_connections_opened_at_once_split_evenly_between_two_workers() -> None:
    with scratch_data_dir("least-connections") as data_dir, _two_workers(data_dir) as (proc, port):
        workers = server_workers(proc.pid)
        for _ in range(5):
            with _clients(port, 8):
                assert connections_per_process(workers, port) == [4, 4]
            deadline = time.monotonic() + 10
            while connections_per_process(workers, port) != [0, 0]:
                assert time.monotonic() < deadline, "closed connections were still held"
                time.sleep(0.02)


def test_a_killed_worker_does_not_hold_the_other_back() -> None:
    with (scratch_data_dir("least-connections") as data_dir,
          _two_workers(data_dir) as (proc, port), _clients(port, 1)):
        busy, idle = sorted(server_workers(proc.pid),
                            key=lambda pid: -connections_per_process([pid], port)[0])
        # The idle worker's ledger slot says 0, fewer than the busy one's 1. Killed while
        # the supervisor is stopped (so it is neither reaped nor restarted), it must not
        # keep the busy one from taking every new connection.
        os.kill(proc.pid, signal.SIGSTOP)
        try:
            os.kill(idle, signal.SIGKILL)
            with _clients(port, 3):
                assert connections_per_process([busy], port) == [4]
        finally:
            os.kill(proc.pid, signal.SIGCONT)
