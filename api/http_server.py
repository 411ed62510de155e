"""Running the API under uvicorn, in one process or in several sharing one listening socket.

Why not ``uvicorn.run``: with ``workers > 1`` uvicorn binds the listening socket itself as
``socket(AF_INET)``, protocol 0, and asyncio sets ``TCP_NODELAY`` only on connections whose
socket says ``IPPROTO_TCP``. Without it every response on a keep-alive connection waits
for the client's delayed ACK (Nagle's algorithm): 44 ms per ``GET /health`` with two
workers against 2 ms with one, measured on this project's benchmark machine.
:class:`NoDelayConfig` hands the workers the same socket with its protocol stated.
"""

from __future__ import annotations

import asyncio
import functools
import os
import socket
from collections.abc import Callable
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

from .least_connections import ConnectionLedger, LeastConnectionsLoop
from .worker_cpus import PinnedMultiprocess, available_cpus, pin_process, worker_cpus

APP = "conductgraph.api.server:app"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


class NoDelayConfig(uvicorn.Config):
    """uvicorn's configuration, binding a TCP socket whose connections send without delay."""

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return sock
        stated = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        stated.set_inheritable(True)
        return stated


class BalancedConfig(NoDelayConfig):
    """:class:`NoDelayConfig` whose workers take new connections by least connections
    (:mod:`.least_connections`), keeping count in ``ledger``."""

    def __init__(self, app: str, *, ledger: ConnectionLedger, **options: Any) -> None:
        super().__init__(app, **options)
        self.ledger = ledger

    def get_loop_factory(self) -> Callable[[], asyncio.AbstractEventLoop]:
        return functools.partial(LeastConnectionsLoop, self.ledger)


def serve_api(host: str, port: int, *, workers: int = 1, log_level: str = "info",
              access_log: bool = True, pin_workers: bool = False,
              balance_connections: bool = True) -> None:
    """Serve :data:`APP` on ``host:port`` until interrupted; ``workers`` processes share the
    socket, each kept on one CPU when ``pin_workers`` (:mod:`.worker_cpus`), each new
    connection going to the worker with the fewest when ``balance_connections``
    (:mod:`.least_connections`)."""
    cpus = available_cpus() if pin_workers else None
    # No WebSocket endpoints: uvicorn must never swap a connection's protocol.
    options: dict[str, Any] = dict(host=host, port=port, workers=workers, log_level=log_level,
                                   access_log=access_log, ws="none")
    config: NoDelayConfig
    if workers > 1 and balance_connections:
        # Slots to spare for workers started later (uvicorn adds one per SIGTTIN).
        config = BalancedConfig(APP, ledger=ConnectionLedger(workers + 16), **options)
    else:
        config = NoDelayConfig(APP, **options)
    if config.workers > 1:
        sockets = [config.bind_socket()]
        if cpus is None:
            Multiprocess(config, sockets=sockets).run()
        else:
            PinnedMultiprocess(config, sockets, cpus).run()
    else:
        if cpus is not None:
            pin_process(os.getpid(), worker_cpus(1, cpus)[0])
        uvicorn.Server(config).run()
