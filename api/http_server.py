"""Running the API under uvicorn, in one process or in several sharing one listening socket.

Why not ``uvicorn.run``: with ``workers > 1`` uvicorn binds the listening socket itself as
``socket(AF_INET)``, protocol 0, and asyncio sets ``TCP_NODELAY`` only on connections whose
socket says ``IPPROTO_TCP``. Without it every response on a keep-alive connection waits
for the client's delayed ACK (Nagle's algorithm): 44 ms per ``GET /health`` with two
workers against 2 ms with one, measured on this project's benchmark machine.
:class:`NoDelayConfig` hands the workers the same socket with its protocol stated.
"""

from __future__ import annotations

import os
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

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


def serve_api(host: str, port: int, *, workers: int = 1, log_level: str = "info",
              access_log: bool = True, pin_workers: bool = False) -> None:
    """Serve :data:`APP` on ``host:port`` until interrupted; ``workers`` processes share the
    socket, each kept on one CPU when ``pin_workers`` (:mod:`.worker_cpus`)."""
    cpus = available_cpus() if pin_workers else None
    config = NoDelayConfig(APP, host=host, port=port, workers=workers, log_level=log_level,
                           access_log=access_log)
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
