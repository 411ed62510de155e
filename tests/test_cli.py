"""The command line as a user runs it: real processes, a real embedded store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bench.support import scratch_data_dir
from conductgraph.graph.loading import SAMPLE_CASE

COMMANDS = [[], ["load"], ["demo"], ["cypher"], ["stats"], ["db"], ["db", "start"], ["db", "stop"],
            ["db", "status"], ["people", "unresolved"], ["settings"]]


@pytest.fixture(scope="module")
def env() -> Iterator[dict[str, str]]:
    values = {k: v for k, v in os.environ.items() if not k.startswith(("CONDUCTGRAPH_", "NEO4J_"))}
    with scratch_data_dir("cli") as data_dir:
        values.update(CONDUCTGRAPH_DATA_DIR=str(data_dir), COLUMNS="200", NO_COLOR="1")
        yield values


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "conductgraph.api.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def count(env: dict[str, str], query: str) -> object:
    proc = run(env, "cypher", query, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_load_sample_gives_15_recommendations(env: dict[str, str]) -> None:
    proc = run(env, "load", "--sample", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert count(env, "MATCH (r:Recommendation) RETURN count(r) AS n") == [{"n": 15}]


def test_loading_twice_keeps_counts(env: dict[str, str]) -> None:
    before = run(env, "stats", "--format", "json")
    assert run(env, "load", "--sample", "-q").returncode == 0
    after = run(env, "stats", "--format", "json")
    assert json.loads(before.stdout) == json.loads(after.stdout)
    assert json.loads(after.stdout)["labels"]["Recommendation"] == 15


def test_stop_and_start_keeps_the_data(env: dict[str, str]) -> None:
    stats = json.loads(run(env, "stats", "--format", "json").stdout)
    assert run(env, "db", "stop").returncode == 0
    status = run(env, "db", "status")
    assert status.returncode == 3 and "stopped" in status.stdout
    assert run(env, "db", "start").returncode == 0
    assert "running" in run(env, "db", "status").stdout
    assert json.loads(run(env, "stats", "--format", "json").stdout) == stats


def test_a_malformed_case_exits_2_naming_the_field(env: dict[str, str], tmp_path: Path) -> None:
    data = yaml.safe_load((SAMPLE_CASE / "case.yaml").read_text())
    data["people"][3]["handles"] = {"whatsapp": "not a list"}
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(data))
    before = run(env, "stats", "--format", "json").stdout
    proc = run(env, "load", str(tmp_path), "-q")
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: ")
    assert "people[3].handles" in proc.stderr
    assert run(env, "stats", "--format", "json").stdout == before


def test_writes_through_cypher_are_refused(env: dict[str, str]) -> None:
    proc = run(env, "cypher", "MATCH (r:Recommendation) DETACH DELETE r")
    assert proc.returncode == 2 and proc.stderr.startswith("Error: ")
    assert count(env, "MATCH (r:Recommendation) RETURN count(r) AS n") == [{"n": 15}]


def test_cypher_parameters_and_files(env: dict[str, str]) -> None:
    proc = run(env, "cypher", "--file", "recommendations_and_responses", "-p",
               "organisation=org:mps", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("number,text,status")
    assert len(lines) == 16
    proc = run(env, "cypher", "MATCH (r:Recommendation {number: $n}) RETURN r.text AS t",
               "-p", "n=2", "--format", "json")
    assert "anti-racist" in json.loads(proc.stdout)[0]["t"]


def test_syntax_error_exits_2(env: dict[str, str]) -> None:
    proc = run(env, "cypher", "MATCH (n RETURN n")
    assert proc.returncode == 2 and proc.stderr.startswith("Error: ")


def test_unknown_file_format_is_named(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\nnothing like a chat\n")
    proc = run(env, "load", str(bad), "-q")
    assert proc.returncode == 2
    assert str(bad) in proc.stderr and proc.stderr.startswith("Error: ")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "root")
def test_help_has_an_example(env: dict[str, str], command: list[str]) -> None:
    proc = run(env, *command, "--help")
    assert proc.returncode == 0
    assert "Example" in proc.stdout


def test_usage_errors_exit_2(env: dict[str, str]) -> None:
    for args in (["nosuch"], ["load", "--date-order"], ["cypher", "RETURN 1", "--format", "xml"]):
        proc = run(env, *args)
        assert proc.returncode == 2, args
        assert proc.stderr.startswith("Error: "), proc.stderr
        assert "Traceback" not in proc.stderr


def test_cli_reference_is_up_to_date() -> None:
    from conductgraph.api import cli_docs

    assert cli_docs.main(["--check"]) == 0, "run: python -m conductgraph.api.cli_docs"
