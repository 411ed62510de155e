"""Back up and restore the embedded FalkorDB store while it runs.

Backup: ``BGSAVE`` forks the server and writes a consistent RDB snapshot (a load
running meanwhile is caught between two batches, never inside one). The snapshot
is loaded into a scratch server to count its nodes per label and relationships
per type, then copied with those counts into the backup file
(:mod:`conductgraph.graph.backup_file`).

Restore (measured behaviour this follows): FalkorDB crashes on ``RESTORE`` of a
``DUMP`` of a graph key, and Redis started with the append-only file on ignores a
``dump.rdb``. So: stop the server; move the append-only directory aside (kept until
the restore is proven); put the snapshot in as ``dump.rdb``; start with the
append-only file off so the RDB loads; switch it on (``CONFIG SET appendonly yes``)
and wait for the rewrite that writes the new append-only file; restart normally
and check the counts against the header. Any failure puts the old directory back.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

from . import backup_file, falkordb_server
from .backup_file import BackupInfo
from .errors import InputError, StoreBusyError, StoreUnavailableError
from .load_lock import load_lock
from .queries import load_query
from .settings import Settings

AOF_DIR = "appendonlydir"
RDB_NAME = "dump.rdb"
LOCK_NAME = "backup.lock"
#: Longest wait for one BGSAVE, AOF rewrite or server stop (a large graph takes a while).
WAIT_S = 600.0

Counts = dict[str, dict[str, int]]


def _require_embedded(settings: Settings) -> None:
    if settings.backend != "falkordb":
        raise InputError("db backup and db restore are for the embedded FalkorDB store; "
                         "back up Neo4j with neo4j-admin database dump")


@contextlib.contextmanager
def _backup_lock(data_dir: Path) -> Iterator[None]:
    """One backup or restore at a time per data directory (they share ``dump.rdb``)."""
    fd = os.open(data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreBusyError(f"another backup or restore is running in {data_dir}") from None
        yield
    finally:
        os.close(fd)


def _client(data_dir: Path) -> redis.Redis:
    return redis.Redis(unix_socket_path=str(data_dir / "falkordb.sock"), socket_timeout=WAIT_S)


def _wait(client: redis.Redis, done: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        info = client.info("persistence")
        if done(info):
            return info
        time.sleep(0.05)
    raise StoreUnavailableError(f"FalkorDB did not finish {what} within {WAIT_S:.0f} s")


def _rows_to_counts(reply: Any) -> dict[str, int]:
    # A raw GRAPH.RO_QUERY reply: [header, rows, statistics]; each row is [name, n].
    rows = reply[1] if isinstance(reply, list) and len(reply) == 3 else []
    return {(k.decode() if isinstance(k, bytes) else str(k)): int(n) for k, n in rows}


def _count_commands(graph: str) -> list[tuple[str, str, str]]:
    return [("GRAPH.RO_QUERY", graph, load_query("read/stats_labels").text),
            ("GRAPH.RO_QUERY", graph, load_query("read/stats_relationships").text)]


def _counts_of(replies: list[Any]) -> Counts:
    out: Counts = {}
    for key, reply in zip(("labels", "relationships"), replies, strict=True):
        if isinstance(reply, redis.ResponseError):
            if "empty key" not in str(reply):
                raise StoreUnavailableError(f"could not count the graph: {reply}")
            reply = None  # the graph does not exist (yet): nothing to count
        out[key] = dict(sorted(_rows_to_counts(reply).items()))
    return out


def graph_counts(client: redis.Redis, graph: str) -> Counts:
    """Nodes per label and relationships per type of ``graph``, straight from the server."""
    replies = []
    for command in _count_commands(graph):
        try:
            replies.append(client.execute_command(*command))
        except redis.ResponseError as exc:
            replies.append(exc)
    return _counts_of(replies)


def _snapshot(client: redis.Redis) -> None:
    """Fork a BGSAVE and wait until the RDB is written."""
    deadline = time.monotonic() + WAIT_S
    while True:
        before = int(client.info("persistence")["rdb_saves"])
        try:
            client.bgsave()
            break
        except redis.ResponseError as exc:
            # A save or AOF rewrite of the server's own is running: the fork must wait for it.
            if time.monotonic() > deadline:
                raise StoreUnavailableError(f"FalkorDB refused BGSAVE: {exc}") from exc
            time.sleep(0.1)
    info = _wait(client, lambda i: int(i["rdb_bgsave_in_progress"]) == 0
                 and int(i["rdb_saves"]) > before, "the snapshot")
    if info.get("rdb_last_bgsave_status") != "ok":
        raise StoreUnavailableError("FalkorDB could not write its snapshot (rdb_last_bgsave_status "
                                    f"{info.get('rdb_last_bgsave_status')}); see falkordb.log")


def _counts_in_snapshot(rdb: Path, graph: str) -> Counts:
    """Load the snapshot into a scratch server and count it there.

    Counting on the live server cannot be made atomic with the fork (FalkorDB commits
    writes on its own threads, outside MULTI), so the counts come from the snapshot
    itself; this also proves the snapshot loads before it is called a backup.
    """
    scratch = Path(tempfile.mkdtemp(prefix="cg-backup-"))
    try:
        shutil.copyfile(rdb, scratch / RDB_NAME)
        falkordb_server.start(scratch, timeout_s=WAIT_S, appendonly=False)
        client = _client(scratch)
        try:
            return graph_counts(client, graph)
        finally:
            client.close()
            _discard_server(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _discard_server(scratch: Path) -> None:
    """Kill the scratch server: it holds only a copy, and a clean stop takes seconds."""
    pid = falkordb_server.status(scratch).pid
    if pid is None:
        return
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.02)


def backup(settings: Settings, file: Path) -> BackupInfo:
    """Write a consistent backup of the running (or started) embedded store to ``file``."""
    _require_embedded(settings)
    data_dir = settings.data_dir.resolve()
    falkordb_server.start(data_dir)
    rdb = data_dir / RDB_NAME
    with _backup_lock(data_dir):
        client = _client(data_dir)
        try:
            _snapshot(client)
        except (redis.ConnectionError, OSError) as exc:
            raise StoreUnavailableError(f"the FalkorDB store went away during the backup: {exc}") \
                from exc
        finally:
            client.close()
        try:
            counts = _counts_in_snapshot(rdb, settings.graph_name)
        except BaseException:
            rdb.unlink(missing_ok=True)
            raise
        info = BackupInfo(sha256="", bytes=0, graph=settings.graph_name, counts=counts,
                          created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        try:
            return backup_file.write(file.resolve(), rdb, info)
        finally:
            rdb.unlink(missing_ok=True)  # a stale dump.rdb would only confuse a later restore


def _stop_and_wait(data_dir: Path) -> None:
    pid = falkordb_server.status(data_dir).pid
    falkordb_server.stop(data_dir, timeout_s=WAIT_S)
    deadline = time.monotonic() + WAIT_S
    while pid is not None and time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    if pid is not None:
        raise StoreUnavailableError(f"FalkorDB (pid {pid}) did not stop within {WAIT_S:.0f} s")


def _load_snapshot_into_aof(data_dir: Path) -> None:
    """Start from ``dump.rdb`` with the AOF off, then let Redis write a fresh AOF from it."""
    falkordb_server.start(data_dir, timeout_s=WAIT_S, appendonly=False)
    client = _client(data_dir)
    try:
        client.config_set("appendonly", "yes")
        info = _wait(client, lambda i: int(i["aof_enabled"]) == 1
                     and int(i["aof_rewrite_in_progress"]) == 0
                     and int(i["aof_rewrite_scheduled"]) == 0, "writing the append-only file")
        if info.get("aof_last_bgrewrite_status") != "ok":
            raise StoreUnavailableError("FalkorDB could not write the append-only file; see "
                                        "falkordb.log")
    finally:
        client.close()
    _stop_and_wait(data_dir)


def _check_counts(data_dir: Path, info: BackupInfo) -> None:
    client = _client(data_dir)
    try:
        found = graph_counts(client, info.graph)
    finally:
        client.close()
    if found != info.counts:
        raise StoreUnavailableError(
            f"the restored graph {info.graph!r} does not match the backup's counts",
            detail={"expected": info.counts, "found": found})


def restore(settings: Settings, file: Path) -> BackupInfo:
    """Replace the embedded store's data with the backup in ``file``; leaves the store running.

    The file is verified (sha256) before anything is touched. Every graph in the store is
    replaced by the backup's. On failure the previous data is put back.
    """
    _require_embedded(settings)
    info, offset = backup_file.verify(file)
    data_dir = settings.data_dir.resolve()
    falkordb_server.prepare_data_dir(data_dir)
    # No load may write while the data is swapped underneath it.
    with load_lock(data_dir), _backup_lock(data_dir):
        _stop_and_wait(data_dir)
        aof = data_dir / AOF_DIR
        kept = data_dir / f"{AOF_DIR}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
        rdb = data_dir / RDB_NAME
        if aof.exists():
            aof.rename(kept)
        try:
            backup_file.extract(file, offset, rdb)
            _load_snapshot_into_aof(data_dir)
            rdb.unlink()
            falkordb_server.start(data_dir, timeout_s=WAIT_S)
            _check_counts(data_dir, info)
        except BaseException:
            _roll_back(data_dir, aof, kept, rdb)
            raise
        shutil.rmtree(kept, ignore_errors=True)
    return info


def _roll_back(data_dir: Path, aof: Path, kept: Path, rdb: Path) -> None:
    """Put the data from before the restore back and start the store on it."""
    with contextlib.suppress(Exception):
        _stop_and_wait(data_dir)
    rdb.unlink(missing_ok=True)
    if kept.exists():
        shutil.rmtree(aof, ignore_errors=True)
        kept.rename(aof)
    with contextlib.suppress(Exception):
        falkordb_server.start(data_dir, timeout_s=WAIT_S)
