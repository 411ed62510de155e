"""New connections to the worker serving the fewest (``conductgraph serve --workers N``).

Why: the workers share one listening socket, and the kernel wakes all of them for each new
connection; whichever runs first accepts it, and asyncio then accepts every connection
waiting (up to the backlog) in one go. Eight clients connecting at once reached two workers
split 4/4 in only about a quarter of the benchmark's phases, 5/3 or 6/2 in the rest, and the
worker with six clients set the p95 (docs/api.md, Performance). Here each worker accepts one
connection at a time, and only while it holds no more connections than any other worker
(least connections, as nginx's ``least_conn`` or HAProxy's ``leastconn`` choose a backend).
A worker with more stops listening and looks again every :data:`RECHECK_SECONDS`; the
others take the new connections meanwhile.

The workers publish their counts in a :class:`ConnectionLedger`, a small block of shared
memory the supervisor makes before it starts them. Each worker writes only its own slot; a
slot whose process has died is ignored and freed, so a killed worker never stops the
others from accepting. uvicorn builds each worker's event loop with the configuration's
loop factory; :class:`LeastConnectionsLoop` is that loop, serving the shared socket with a
:class:`LeastConnectionsServer` instead of asyncio's own.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import multiprocessing
import os
import socket
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("uvicorn.error")

RECHECK_SECONDS = 0.01
"""How often a worker that holds more connections than another looks again."""

RETRY_SECONDS = 1.0
"""Pause after accepting failed, e.g. out of file descriptors (asyncio's own pause)."""

_GONE = (errno.EWOULDBLOCK, errno.EAGAIN, errno.EINTR, errno.ECONNABORTED, errno.EPROTO)


class ConnectionLedger:
    """How many connections each worker holds, in memory shared by the supervisor and its
    workers (made before they start; it reaches them with uvicorn's configuration).

    Slot *i* holds a worker's pid and its count; pid 0 is a free slot.

    Examples
    --------
    >>> ledger = ConnectionLedger(2)
    >>> mine, parent = os.getpid(), os.getppid()
    >>> ledger.claim(mine), ledger.claim(parent)
    (0, 1)
    >>> ledger.publish(0, 3)
    >>> ledger.counts() == {mine: 3, parent: 0}
    True
    """

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("a ledger needs at least one slot")
        # Spawn's context: uvicorn starts its workers with spawn, which may pass this on.
        self._shared = multiprocessing.get_context("spawn").Array("q", 2 * slots)
        self.slots = slots

    def _cells(self) -> Any:
        """The shared cells, without the lock (``q``: 64-bit, so reads and writes are whole)."""
        return self._shared.get_obj()

    def claim(self, pid: int) -> int | None:
        """The slot ``pid`` now holds (count 0), or None when every slot is held by a live
        process."""
        with self._shared.get_lock():
            cells = self._cells()
            for slot in range(self.slots):
                holder = cells[2 * slot]
                if holder in (0, pid) or not process_alive(holder):
                    cells[2 * slot], cells[2 * slot + 1] = pid, 0
                    return slot
        return None

    def publish(self, slot: int, count: int) -> None:
        """Record that the worker in ``slot`` holds ``count`` connections (only it writes
        there, so no lock)."""
        self._cells()[2 * slot + 1] = count

    def release(self, slot: int, pid: int) -> None:
        """Free ``slot`` if ``pid`` still holds it (a worker that stops serving)."""
        with self._shared.get_lock():
            cells = self._cells()
            if cells[2 * slot] == pid:
                cells[2 * slot], cells[2 * slot + 1] = 0, 0

    def counts(self) -> dict[int, int]:
        """Connections by pid, for every held slot (dead holders included)."""
        cells = self._cells()
        return {cells[2 * s]: cells[2 * s + 1] for s in range(self.slots) if cells[2 * s]}

    def may_accept(self, slot: int, count: int) -> bool:
        """Whether the worker in ``slot``, holding ``count`` connections, should accept the
        next one: when no live worker holds fewer. Frees the slots of dead workers it meets.

        >>> ledger = ConnectionLedger(2)
        >>> mine, other = ledger.claim(os.getpid()), ledger.claim(os.getppid())
        >>> ledger.publish(other, 1)
        >>> ledger.may_accept(mine, 1), ledger.may_accept(mine, 2)
        (True, False)
        """
        cells = self._cells()
        for other in range(self.slots):
            if other == slot or cells[2 * other + 1] >= count:
                continue
            holder = cells[2 * other]
            if holder == 0:
                continue
            if process_alive(holder):
                return False
            self.release(other, holder)
        return True


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists and has not exited (an exited child its parent has not
    yet reaped, a zombie, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive, though not one of ours
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
        return True  # no /proc (not Linux): os.kill said it exists


class _Counted(asyncio.Protocol):
    """A connection's protocol, telling the server when the connection ends."""

    def __init__(self, inner: asyncio.Protocol, ended: Callable[[], None]) -> None:
        self._inner = inner
        self._ended = ended

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        try:
            self._inner.connection_lost(exc)
        finally:
            self._ended()


class LeastConnectionsServer(asyncio.AbstractServer):
    """Serves ``protocol_factory`` on a listening socket shared with other workers, taking
    a new connection only while :meth:`ConnectionLedger.may_accept` says so."""

    def __init__(self, loop: asyncio.AbstractEventLoop, protocol_factory: Callable[[], Any],
                 sock: socket.socket, ledger: ConnectionLedger, backlog: int = 100) -> None:
        self._loop = loop
        self._factory = protocol_factory
        self._sock = sock
        self._ledger = ledger
        self._backlog = backlog
        self._pid = os.getpid()
        self._slot: int | None = None
        self._open = 0  # connections accepted and not yet ended
        self._listening = False
        self._serving = False
        self._closed = False
        self._recheck: asyncio.TimerHandle | None = None
        self._closed_event = asyncio.Event()
        # The loop holds tasks weakly: these keep each connection's set-up alive until done.
        self._connecting: set[asyncio.Task[None]] = set()
        sock.setblocking(False)

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        return () if self._closed else (self._sock,)

    @property
    def connections(self) -> int:
        """Connections this worker holds now."""
        return self._open

    def get_loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def is_serving(self) -> bool:
        return self._serving

    async def start_serving(self) -> None:
        if self._serving or self._closed:
            return
        self._serving = True
        self._sock.listen(self._backlog)  # as asyncio does: the supervisor only binds it
        self._slot = self._ledger.claim(self._pid)
        if self._slot is None:
            logger.warning("every connection-ledger slot is taken: worker [%d] accepts "
                           "without balancing", self._pid)
        self._listen()

    async def serve_forever(self) -> None:
        await self.start_serving()
        await self._closed_event.wait()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._serving = False
        self._stop_listening()
        if self._slot is not None:
            self._ledger.release(self._slot, self._pid)
        self._sock.close()
        self._closed_event.set()

    async def wait_closed(self) -> None:
        await self._closed_event.wait()

    def _listen(self) -> None:
        self._recheck = None
        if self._serving and not self._listening:
            self._loop.add_reader(self._sock.fileno(), self._on_readable)
            self._listening = True

    def _stop_listening(self) -> None:
        if self._listening:
            self._loop.remove_reader(self._sock.fileno())
            self._listening = False
        if self._recheck is not None:
            self._recheck.cancel()
            self._recheck = None

    def _pause(self, seconds: float) -> None:
        self._stop_listening()
        self._recheck = self._loop.call_later(seconds, self._listen)

    def _on_readable(self) -> None:
        if self._slot is not None and not self._ledger.may_accept(self._slot, self._open):
            self._pause(RECHECK_SECONDS)
            return
        try:
            conn, _ = self._sock.accept()
        except OSError as exc:
            if exc.errno in _GONE:
                return  # another worker took it, or the client gave up
            # Out of file descriptors, or worse: pause rather than be woken again at once.
            logger.error("worker [%d] cannot accept a connection: %s; pausing %.0f s",
                         self._pid, exc, RETRY_SECONDS)
            self._pause(RETRY_SECONDS)
            return
        self._count(+1)
        task = self._loop.create_task(self._connect(conn))
        self._connecting.add(task)
        task.add_done_callback(self._connecting.discard)

    async def _connect(self, conn: socket.socket) -> None:
        try:
            await self._loop.connect_accepted_socket(
                lambda: _Counted(self._factory(), lambda: self._count(-1)), conn)
        except Exception as exc:  # noqa: BLE001 - one connection failing must not stop the server
            conn.close()
            self._count(-1)
            logger.error("worker [%d] could not set up a connection: %r", self._pid, exc)

    def _count(self, change: int) -> None:
        self._open += change
        # Once closed, the slot is given up: another worker may hold it by now.
        if self._slot is not None and not self._closed:
            self._ledger.publish(self._slot, self._open)


class LeastConnectionsLoop(asyncio.SelectorEventLoop):
    """asyncio's event loop, serving a listening socket it is handed with a
    :class:`LeastConnectionsServer` (anything else as asyncio does)."""

    def __init__(self, ledger: ConnectionLedger) -> None:
        super().__init__()
        self.ledger = ledger

    async def create_server(  # type: ignore[override]
        self, protocol_factory: Callable[[], Any], *where: Any, sock: Any = None, ssl: Any = None,
        start_serving: bool = True, **options: Any,
    ) -> asyncio.AbstractServer:
        if sock is None or ssl is not None or where or "host" in options or "port" in options:
            return await super().create_server(protocol_factory, *where, sock=sock, ssl=ssl,
                                               start_serving=start_serving, **options)
        server = LeastConnectionsServer(self, protocol_factory, sock, self.ledger,
                                        options.get("backlog", 100))
        if start_serving:
            await server.start_serving()
        return server
