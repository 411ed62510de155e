"""Loads and backups under faults: killed store, killed loader, two loads, full disk, read-only.

Each scenario runs the real CLI in a subprocess against its own embedded store (its own
data directory), injects one fault, and compares the final graph with an uninterrupted
load of the same generated case: counts per label and type, the set of ids, and a hash
over every property value (see :mod:`tests.reliability_support`).

The case is one WhatsApp export of :data:`MESSAGES` messages, written in batches of 500
rows (``GRAPH.BULK`` commands: a first load into an empty store takes the bulk path): a load
takes seconds and twenty message batches, and is killed well inside it (the tests assert
that the kill came between the first written batch and the last). Loading again after a
fault goes through MERGE batches, so these tests also compare the two paths.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conductgraph.graph import backup, falkordb_server
from conductgraph.graph.errors import InputError
from conductgraph.graph.stats import graph_stats
from conductgraph.graph.store import open_store

from .reliability_support import (
    Fingerprint,
    assert_clean_error,
    assert_same_graph,
    cli,
    fingerprint,
    kill_server,
    message_count,
    new_data_dir,
    remount,
    server_pids,
    settings_for,
    start_cli,
    stop_all_servers,
    tmpfs,
    wait_until,
    write_big_case,
)

MESSAGES = 10_000
#: Messages written before the fault is injected: past the first batches, far from the end.
KILL_AFTER = 1_500

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def big_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_big_case(tmp_path_factory.mktemp("big") / "case", MESSAGES)


@pytest.fixture(scope="module")
def reference(big_case: Path) -> Iterator[Fingerprint]:
    """The graph of one uninterrupted load of the big case."""
    data_dir = new_data_dir("ref")
    try:
        proc = cli(data_dir, "load", "-q", str(big_case))
        assert proc.returncode == 0, proc.stderr
        fp = fingerprint(data_dir)
        assert fp.counts["labels"]["Message"] == MESSAGES
        yield fp
    finally:
        stop_all_servers(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def data_dir() -> Iterator[Path]:
    path = new_data_dir("fault")
    yield path
    stop_all_servers(path)
    shutil.rmtree(path, ignore_errors=True)


def _start_load_and_wait_for_progress(data_dir: Path, case: Path) -> subprocess.Popen[str]:
    falkordb_server.start(data_dir)
    proc = start_cli(data_dir, "load", "-q", str(case))
    wait_until(lambda: message_count(data_dir) >= KILL_AFTER or proc.poll() is not None,
               "the load to write its first batches")
    assert proc.poll() is None, "the load ended before the fault could be injected"
    return proc


def test_store_killed_mid_load_then_loaded_again_gives_the_identical_graph(
        big_case: Path, reference: Fingerprint, data_dir: Path) -> None:
    load = _start_load_and_wait_for_progress(data_dir, big_case)
    seen = message_count(data_dir)
    kill_server(data_dir)
    _, stderr = load.communicate(timeout=120)
    assert_clean_error(subprocess.CompletedProcess(load.args, load.returncode, "", stderr), 1)
    assert "not reachable" in stderr, stderr

    # Every write acknowledged before the kill was in the append-only file.
    falkordb_server.start(data_dir, timeout_s=300)
    survived = message_count(data_dir)
    assert seen <= survived < MESSAGES, (seen, survived)

    again = cli(data_dir, "load", "-q", str(big_case))
    assert again.returncode == 0, again.stderr
    assert_same_graph(fingerprint(data_dir), reference)


def test_loader_killed_mid_load_then_loaded_again_gives_the_identical_graph(
        big_case: Path, reference: Fingerprint, data_dir: Path) -> None:
    load = _start_load_and_wait_for_progress(data_dir, big_case)
    load.send_signal(signal.SIGKILL)
    load.communicate(timeout=60)
    assert load.returncode == -signal.SIGKILL
    assert KILL_AFTER <= message_count(data_dir) < MESSAGES

    # The kill released the load lock: the next load runs, and completes the graph.
    again = cli(data_dir, "load", "-q", str(big_case))
    assert again.returncode == 0, again.stderr
    assert_same_graph(fingerprint(data_dir), reference)


def test_two_loads_at_once_one_refuses_clearly_and_the_graph_is_whole(
        big_case: Path, reference: Fingerprint, data_dir: Path) -> None:
    # Neither store nor lock exists yet: both processes race to start the store as well.
    first, second = (start_cli(data_dir, "load", "-q", str(big_case)) for _ in range(2))
    outputs = [p.communicate(timeout=300) for p in (first, second)]
    results = [subprocess.CompletedProcess(p.args, p.returncode, *out)
               for p, out in zip((first, second), outputs, strict=True)]
    codes = sorted(r.returncode for r in results)
    assert codes[0] == 0, [r.stderr for r in results]
    for r in results:
        if r.returncode != 0:
            assert_clean_error(r, 1, 2)
            assert "another load is running" in r.stderr
    assert len(server_pids(data_dir)) == 1, "two servers share one data directory"
    assert_same_graph(fingerprint(data_dir), reference)


def test_full_disk_gives_a_clear_error_keeps_the_store_readable_and_loses_nothing(
        big_case: Path, reference: Fingerprint, data_dir: Path) -> None:
    # A real full disk: the data directory is a 1 MB tmpfs; the load needs several times that.
    with tmpfs(data_dir, "1m"):
        full = cli(data_dir, "load", "-q", str(big_case))
        assert_clean_error(full, 1, 2)
        assert "No space left on device" in full.stderr or "MISCONF" in full.stderr, full.stderr
        stats = cli(data_dir, "stats", "--format", "json")
        assert stats.returncode == 0, stats.stderr  # reads still answer

        remount(data_dir, "size=256m")  # space freed: the same load now completes
        again = cli(data_dir, "load", "-q", str(big_case))
        assert again.returncode == 0, again.stderr
        assert_same_graph(fingerprint(data_dir), reference)
        falkordb_server.stop(data_dir)  # and all of it was persisted, nothing lost on disk
        falkordb_server.start(data_dir, timeout_s=300)  # replaying the AOF takes a while
        assert_same_graph(fingerprint(data_dir), reference)


def test_read_only_data_directory_gives_clear_errors_and_leaves_the_data_intact(
        data_dir: Path) -> None:
    with tmpfs(data_dir, "64m"):
        assert cli(data_dir, "load", "--sample", "-q").returncode == 0
        before = fingerprint(data_dir)
        assert cli(data_dir, "db", "stop").returncode == 0
        remount(data_dir, "ro")
        try:
            for args in (["load", "--sample", "-q"], ["stats"], ["db", "start"],
                         ["db", "backup", str(data_dir.parent / f"{data_dir.name}.cgbak")]):
                refused = cli(data_dir, *args)
                assert_clean_error(refused, 1)
                assert "Read-only file system" in refused.stderr, (args, refused.stderr)
        finally:
            remount(data_dir, "rw")
        assert_same_graph(fingerprint(data_dir), before)


def _read_continuously(data_dir: Path, stop: threading.Event, errors: list[BaseException]) -> None:
    store = open_store(settings_for(data_dir), start=False)
    try:
        while not stop.is_set():
            graph_stats(store)
    except BaseException as exc:  # reported by the test
        errors.append(exc)
    finally:
        store.close()


def test_backup_during_load_and_reads_restores_identical_graphs(
        big_case: Path, reference: Fingerprint, data_dir: Path, tmp_path: Path) -> None:
    settings = settings_for(data_dir)
    load = _start_load_and_wait_for_progress(data_dir, big_case)
    mid = backup.backup(settings, tmp_path / "mid-load.cgbak")
    _, stderr = load.communicate(timeout=300)
    assert load.returncode == 0, stderr
    assert 0 < mid.counts["labels"]["Message"] < MESSAGES  # taken inside the load

    stop = threading.Event()
    errors: list[BaseException] = []
    readers = [threading.Thread(target=_read_continuously, args=(data_dir, stop, errors))
               for _ in range(2)]
    for t in readers:
        t.start()
    try:
        full = backup.backup(settings, tmp_path / "full.cgbak")
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert not errors, errors
    loaded = fingerprint(data_dir)
    assert_same_graph(loaded, reference)
    assert full.counts == loaded.counts

    # The mid-load backup gives back exactly the state it counted; loading again completes it.
    backup.restore(settings, tmp_path / "mid-load.cgbak")
    assert fingerprint(data_dir).counts == mid.counts
    again = cli(data_dir, "load", "-q", str(big_case))
    assert again.returncode == 0, again.stderr
    assert_same_graph(fingerprint(data_dir), reference)

    backup.restore(settings, tmp_path / "full.cgbak")
    assert_same_graph(fingerprint(data_dir), loaded)


def test_cli_backup_and_restore_and_a_damaged_backup_is_refused(
        data_dir: Path, tmp_path: Path) -> None:
    assert cli(data_dir, "load", "--sample", "-q").returncode == 0
    sample = fingerprint(data_dir)
    file = tmp_path / "hotton.cgbak"
    made = cli(data_dir, "db", "backup", str(file))
    assert made.returncode == 0, made.stderr
    assert file.stat().st_mode & 0o077 == 0  # the case's data: owner only

    assert cli(data_dir, "db", "reset", "--yes").returncode == 0
    restored = cli(data_dir, "db", "restore", str(file), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert_same_graph(fingerprint(data_dir), sample)

    damaged = tmp_path / "damaged.cgbak"
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    refused = cli(data_dir, "db", "restore", str(damaged), "--yes")
    assert_clean_error(refused, 2)
    assert str(damaged) in refused.stderr.replace("\n", "") and "sha256" in refused.stderr
    truncated = tmp_path / "truncated.cgbak"
    truncated.write_bytes(file.read_bytes()[:-100])
    with pytest.raises(InputError, match="truncated"):
        backup.restore(settings_for(data_dir), truncated)
    assert_same_graph(fingerprint(data_dir), sample)  # a refused restore touched nothing
    assert not any(p.name.startswith("appendonlydir.before-restore") for p in data_dir.iterdir())
    assert os.access(data_dir / "falkordb.sock", os.R_OK)
