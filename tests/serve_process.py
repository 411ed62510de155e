"""``conductgraph serve`` in a child process on a free port, for the tests of real servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path


def start_serve(data_dir: Path, *options: str, workers: int = 2) -> tuple[subprocess.Popen[bytes], int]:
    """The server process (not yet answering) and its port; the caller terminates it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("CONDUCTGRAPH_", "NEO4J_"))},
           "CONDUCTGRAPH_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "conductgraph.api.cli", "serve", "--port", str(port),
                             "--workers", str(workers), "--no-access-log", "--log-level", "warning",
                             *options], env=env)
    return proc, port
