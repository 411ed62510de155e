"""`conductgraph verify`: changed, missing and not-yet-loaded inputs are reported; originals untouched."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conductgraph.graph.loading import SAMPLE_CASE, load_paths
from conductgraph.graph.store import GraphStore
from conductgraph.graph.verify import verify_case
from conductgraph.loaders.identity import file_sha256

from .reliability_support import assert_clean_error, cli, remount, stop_all_servers, tmpfs


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "hotton"
    shutil.copytree(SAMPLE_CASE, folder)
    return folder


def _statuses(store: GraphStore, case: Path) -> dict[str, str]:
    return {Path(f.path).name: f.status for f in verify_case(store, case).files}


def test_a_loaded_case_verifies_and_loading_leaves_every_input_byte_for_byte(
        empty_store: GraphStore, case: Path) -> None:
    files = [p for p in case.rglob("*") if p.is_file()]
    before = {p: (file_sha256(p)[0], p.stat().st_mtime_ns) for p in files}
    load_paths(empty_store, [case], empty_store.settings)  # type: ignore[attr-defined]
    report = verify_case(empty_store, case)
    assert report.ok
    roles = sorted(f.role for f in report.files)
    assert roles == ["case", "codings", "source", "source", "source"]
    assert all(f.status == "ok" for f in report.files)
    assert {p: (file_sha256(p)[0], p.stat().st_mtime_ns) for p in files} == before


def test_changed_missing_and_not_loaded_files_are_each_named(
        empty_store: GraphStore, case: Path) -> None:
    load_paths(empty_store, [case], empty_store.settings)  # type: ignore[attr-defined]
    export = case / "exports" / "wa-team_officer-a.txt"
    with export.open("a", encoding="utf-8") as f:
        f.write("01/01/2019, 10:00 - Officer A: a line added after the load\n")
    (case / "codings.csv").unlink()
    statuses = _statuses(empty_store, case)
    assert statuses["wa-team_officer-a.txt"] == "changed"
    assert statuses["codings.csv"] == "missing"
    assert statuses["case.yaml"] == "ok"
    report = verify_case(empty_store, case)
    assert not report.ok
    changed = next(f for f in report.files if f.status == "changed")
    assert changed.sha256 == file_sha256(export)[0] and len(changed.loaded_sha256) == 1

    # A new export named in case.yaml: the case file changed, the export is not loaded yet.
    extra = case / "exports" / "extra.txt"
    shutil.copy(export, extra)
    text = (case / "case.yaml").read_text(encoding="utf-8")
    (case / "case.yaml").write_text(
        text.replace("sources:\n", "sources:\n  - {path: exports/extra.txt, format: whatsapp}\n", 1),
        encoding="utf-8")
    statuses = _statuses(empty_store, case)
    assert statuses["case.yaml"] == "changed" and statuses["extra.txt"] == "not loaded"


def test_a_never_loaded_case_is_not_loaded_and_passes(empty_store: GraphStore, case: Path) -> None:
    report = verify_case(empty_store, case)
    assert {f.status for f in report.files} == {"not loaded"} and report.ok


def test_an_unreadable_case_file_still_checks_itself(empty_store: GraphStore, case: Path) -> None:
    load_paths(empty_store, [case], empty_store.settings)  # type: ignore[attr-defined]
    (case / "case.yaml").write_bytes(b"\xff\xfe not yaml: [")
    report = verify_case(empty_store, case)
    assert [f.status for f in report.files] == ["changed"]
    assert "cannot be read" in report.files[0].note


def test_cli_exit_codes(case: Path, tmp_path: Path) -> None:
    data_dir = Path(f"/tmp/cg-verify-{os.getpid()}")
    try:
        assert cli(data_dir, "load", "-q", str(case)).returncode == 0
        good = cli(data_dir, "verify", str(case), "--format", "json")
        assert good.returncode == 0, good.stderr
        assert {r["status"] for r in json.loads(good.stdout)} == {"ok"}
        (case / "exports" / "wa-social_officer-b.txt").unlink()
        bad = cli(data_dir, "verify", str(case), "--format", "json")
        assert bad.returncode == 1
        assert [r["role"] for r in json.loads(bad.stdout) if r["status"] == "missing"] == ["source"]
        assert_clean_error(cli(data_dir, "verify", str(tmp_path / "nowhere")), 2)
    finally:
        cli(data_dir, "db", "stop")
        shutil.rmtree(data_dir, ignore_errors=True)


def test_a_case_on_a_read_only_mount_loads_and_verifies(tmp_path: Path) -> None:
    """Loaders open inputs read-only: a case on a read-only file system loads (needs root)."""
    data_dir = Path(f"/tmp/cg-rocase-{os.getpid()}")
    with tmpfs(tmp_path / "evidence", "16m") as mount:
        shutil.copytree(SAMPLE_CASE, mount / "hotton")
        remount(mount, "ro")
        try:
            loaded = cli(data_dir, "load", "-q", str(mount / "hotton"))
            assert loaded.returncode == 0, loaded.stderr
            verified = cli(data_dir, "verify", str(mount / "hotton"), "--format", "json")
            assert verified.returncode == 0, verified.stderr
            assert {r["status"] for r in json.loads(verified.stdout)} == {"ok"}
        finally:
            stop_all_servers(data_dir)
            shutil.rmtree(data_dir, ignore_errors=True)
