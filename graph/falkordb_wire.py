"""Read-only queries to the embedded FalkorDB on sockets of their own, their replies read
straight from the bytes by :mod:`compact_reply` (``graph/compact_reply.c``).

Why: through the redis client, hiredis first turns a reply into nested lists (an object per
cell, per kind, per property key: ~11,000 for a 65 KB hop of a subgraph), and only then do
they become rows: the lists alone were 2 ms of a 500-node subgraph's ~4.5 ms of Python
(docs/api.md, Performance). Here the reply's bytes are read until the RESP value is
complete and become the rows at once.

Only reads come this way (``GRAPH.RO_QUERY``): a read whose connection broke (a store
restarted since) is sent again once on a new connection, which a write could not be. Each
thread has its own connection (the API's worker threads are long-lived); :meth:`close`
closes them all. Writes and everything else keep the redis client.
"""

from __future__ import annotations

import os
import socket
import threading
import weakref
from pathlib import Path
from typing import Any

from redis.exceptions import InvalidResponse

from . import falkordb_reply

RECV_BYTES = 1 << 18
"""Bytes asked of the socket per read (a hop reply is ~65 KB)."""


def pack(args: tuple[Any, ...]) -> bytes:
    """A command in RESP: an array of bulk strings (str as UTF-8, numbers as their digits).

    >>> pack(("GRAPH.RO_QUERY", "g", "RETURN 1", "timeout", 100)).split(b"\\r\\n")
    [b'*5', b'$14', b'GRAPH.RO_QUERY', b'$1', b'g', b'$8', b'RETURN 1', b'$7', b'timeout', b'$3', b'100', b'']
    """
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode("utf-8")
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


class FalkorDBWire:
    """Connections to the FalkorDB listening on ``socket_path``, one per thread."""

    def __init__(self, socket_path: Path) -> None:
        if falkordb_reply.compact_reply is None:
            raise RuntimeError("the C reader (conductgraph.graph.compact_reply) is not built")
        self.path = str(socket_path.resolve())
        self._local = threading.local()
        self._all: weakref.WeakSet[socket.socket] = weakref.WeakSet()

    def request(self, *args: Any) -> bytearray:
        """The bytes of the reply to a read-only command (all of it, one RESP value)."""
        command = pack(args)
        for attempt in (1, 2):
            sock = self._socket()
            try:
                sock.sendall(command)
                return self._reply(sock)
            except ConnectionError:
                self._drop(sock)
                if attempt == 2:
                    raise
                # A connection from before a restart of the store: a read may be sent again.
            except BaseException:
                self._drop(sock)  # what the connection holds now is unknown
                raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close every thread's connection; a later request opens a new one."""
        for sock in list(self._all):
            sock.close()
        self._all.clear()
        self._local = threading.local()

    def _socket(self) -> socket.socket:
        sock: socket.socket | None = getattr(self._local, "sock", None)
        # A forked child must not read from its parent's connection.
        if sock is None or sock.fileno() < 0 or self._local.pid != os.getpid():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(self.path)
            except OSError:
                sock.close()
                raise
            self._local.sock, self._local.pid = sock, os.getpid()
            self._all.add(sock)
        return sock

    def _drop(self, sock: socket.socket) -> None:
        sock.close()
        self._all.discard(sock)
        if getattr(self._local, "sock", None) is sock:
            self._local.sock = None

    @staticmethod
    def _reply(sock: socket.socket) -> bytearray:
        frame_end = falkordb_reply.compact_reply.frame_end
        reply = bytearray()
        chunk = bytearray(RECV_BYTES)
        scanned, pending = 0, 1  # the reply is scanned once, however many reads it takes
        while True:
            size = sock.recv_into(chunk)
            if size == 0:
                raise ConnectionError("FalkorDB closed the connection")
            reply += memoryview(chunk)[:size]
            try:
                scanned, pending = frame_end(reply, scanned, pending)
            except ValueError as exc:
                # As the redis client says it (a RedisError the store translates).
                raise InvalidResponse(f"FalkorDB's reply is not RESP: {exc}") from exc
            if pending == 0:
                if scanned != len(reply):
                    raise InvalidResponse("FalkorDB sent more than one reply")
                return reply
