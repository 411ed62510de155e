"""Helpers of the fault and bad-input tests: a large generated case, CLI runs, graph fingerprints."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis

from conductgraph.graph import falkordb_server
from conductgraph.graph.settings import Settings
from conductgraph.graph.store import GraphStore, open_store
from conductgraph.loaders.chat import ChatMessage
from conductgraph.loaders.whatsapp_render import render

GRAPH = "conductgraph"
#: Properties that record *when* something was loaded, not what: they differ between two
#: loads of the same files by design (``Source.loaded_at``), so fingerprints leave them out.
TIME_OF_LOAD = frozenset({"loaded_at"})
OFFICERS = [f"Officer {c}" for c in "ABCDEFGH"]
_WORDS = ["shift", "sarge", "briefing", "custody", "van", "overtime", "rota", "cover", "lol",
          "mate", "cheers", "court", "keys"]


def new_data_dir(tag: str) -> Path:
    # Short: a Unix socket path is limited to 107 bytes.
    return Path(f"/tmp/cg-{tag}-{uuid.uuid4().hex[:8]}")


def write_big_case(folder: Path, messages: int, seed: int = 5) -> Path:
    """A case folder: 8 officers, one WhatsApp group, an export of ``messages`` messages."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    t = datetime(2016, 1, 4, 7, 0, tzinfo=UTC)

    def records() -> Iterator[ChatMessage]:
        nonlocal t
        for i in range(messages):
            t += timedelta(seconds=rng.randint(1, 90))
            text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 12)))
            yield ChatMessage(i, t, rng.choice(OFFICERS), f"{text} #{i}")

    with open(folder / "chat.txt", "w", encoding="utf-8", newline="\n") as f:
        f.writelines(render(records(), style="android24_dmy"))
    people = "".join(
        f"  - {{id: officer-{n[-1].lower()}, name: {n}, officer: true, handles: {{whatsapp: [{n}]}}}}\n"
        for n in OFFICERS)
    (folder / "case.yaml").write_text(
        "case: {id: big, name: Big synthetic case}\n"
        "groups: [{id: night, name: Night shift, platform: whatsapp}]\n"
        f"people:\n{people}"
        "sources:\n  - {path: chat.txt, format: whatsapp, group: night, timezone: Europe/London}\n",
        encoding="utf-8")
    return folder


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONDUCTGRAPH_", "NEO4J_"))}
    # Small batches, bulk commands too: a load is many writes a fault can fall between.
    env.update(CONDUCTGRAPH_DATA_DIR=str(data_dir), CONDUCTGRAPH_BATCH_SIZE="500",
               CONDUCTGRAPH_BULK_BATCH_SIZE="500", COLUMNS="200", NO_COLOR="1", **extra)
    return env


def cli(data_dir: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "conductgraph.api.cli", *args],
                          env=cli_env(data_dir), capture_output=True, text=True, timeout=timeout)


def start_cli(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "conductgraph.api.cli", *args],
                            env=cli_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def assert_clean_error(proc: subprocess.CompletedProcess[str], *codes: int) -> None:
    """The CLI failed the way it promises: ``Error: …`` on stderr, a known exit code, no traceback."""
    assert proc.returncode in codes, (proc.returncode, proc.stderr)
    assert "Error:" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr


def message_count(data_dir: Path) -> int:
    """Messages in the graph now, straight from the server (0 while it is unreachable)."""
    try:
        client = redis.Redis(unix_socket_path=str(data_dir / "falkordb.sock"), socket_timeout=5)
        try:
            reply = client.execute_command("GRAPH.RO_QUERY", GRAPH,
                                           "MATCH (m:Message) RETURN count(m)")
        finally:
            client.close()
    except (redis.RedisError, OSError):
        return 0
    return int(reply[1][0][0])


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def server_pids(data_dir: Path) -> list[int]:
    """Every redis-server process serving ``data_dir``'s socket (there must be at most one)."""
    socket = str(data_dir / "falkordb.sock")
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "redis-server" in cmd and socket in cmd:
            pids.append(int(entry.name))
    return pids


def kill_server(data_dir: Path) -> int:
    pid = int((data_dir / falkordb_server.PID_NAME).read_text().strip())
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not Path(f"/proc/{pid}").exists()
               or "zombie" in Path(f"/proc/{pid}/status").read_text().lower(), "the server to die")
    return pid


def stop_all_servers(data_dir: Path) -> None:
    """Kill every server of this test's own data directory: its data is thrown away next."""
    pids = server_pids(data_dir)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not any(p in server_pids(data_dir) for p in pids), "the servers to die")


def settings_for(data_dir: Path) -> Settings:
    return Settings(backend="falkordb", data_dir=data_dir, graph_name=GRAPH, batch_size=500,
                    bulk_batch_size=500)


@dataclass(frozen=True)
class Fingerprint:
    """What must be equal for two graphs to count as identical."""

    counts: dict[str, dict[str, int]]
    ids: frozenset[str]
    #: sha256 over every node's labels and properties and every relationship's type, ends and
    #: properties (without :data:`TIME_OF_LOAD`), in a canonical order.
    properties_sha256: str


def _canonical(value: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in value.items() if k not in TIME_OF_LOAD}, sort_keys=True,
                      ensure_ascii=False, default=str)


def fingerprint_store(store: GraphStore) -> Fingerprint:
    from conductgraph.graph.stats import graph_stats

    big = {"row_limit": 10**8, "timeout_ms": 600_000}
    nodes = store.read_user("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", **big)
    rels = store.read_user("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, "
                           "properties(r) AS props", **big)
    lines = sorted(f"N {sorted(r['labels'])} {_canonical(r['props'])}" for r in nodes.rows)
    lines += sorted(f"R {r['type']} {r['a']} {r['b']} {_canonical(r['props'])}" for r in rels.rows)
    digest = hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass")).hexdigest()
    ids = frozenset(str(r["props"].get("id")) for r in nodes.rows)
    assert len(ids) == len(nodes.rows), "two nodes share an id"
    return Fingerprint(graph_stats(store), ids, digest)


def fingerprint(data_dir: Path, graph: str = GRAPH) -> Fingerprint:
    settings = settings_for(data_dir).model_copy(update={"graph_name": graph})
    store = open_store(settings)
    try:
        return fingerprint_store(store)
    finally:
        store.close()


def assert_same_graph(got: Fingerprint, want: Fingerprint) -> None:
    assert got.counts == want.counts
    missing, extra = want.ids - got.ids, got.ids - want.ids
    assert not missing and not extra, f"ids missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}"
    assert got.properties_sha256 == want.properties_sha256, "same ids, different property values"


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``path`` (needs root); skips the test when impossible."""
    path.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                              str(path)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); needs root")
    try:
        yield path
    finally:
        stop_all_servers(path)
        subprocess.run(["umount", "-l", str(path)], check=False)


def remount(path: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(path)], check=True)
