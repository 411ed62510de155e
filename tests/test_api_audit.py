"""The audit log: one chained entry per request; ``audit verify`` detects an edited line."""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conductgraph.api.audit import AuditLog, verify
from conductgraph.api.cli import main
from conductgraph.graph.settings import get_settings
from tests import api_support
from tests.api_support import auth

api_app, tokens, client = api_support.api_app, api_support.tokens, api_support.client


def last_entries(app: FastAPI, n: int) -> list[dict]:
    return list(app.state.audit.entries())[-n:]


def test_each_request_is_audited(api_app: FastAPI, client: TestClient, tokens: dict[str, str]) -> None:
    client.get("/people?q=officer&limit=2", headers=auth(tokens["analyst"]))
    client.get("/stats")
    client.get("/no/such/route", headers=auth(tokens["consumer"]))
    client.post("/cypher", headers=auth(tokens["investigator"]),
                json={"query": "MATCH (g:Group) RETURN g.id AS id", "params": {"unused": 1}})
    people, anonymous, unknown, cypher = last_entries(api_app, 4)
    record = api_app.state.tokens.check(tokens["analyst"])
    assert people["token"] == record.id and people["role"] == "analyst"
    assert people["endpoint"] == "/people" and people["method"] == "GET"
    assert people["params"] == {"q": "officer", "limit": "2"}
    assert people["status"] == 200 and people["rows"] == 2
    assert anonymous["token"] is None and anonymous["status"] == 401 and anonymous["rows"] is None
    assert unknown["status"] == 404 and unknown["path"] == "/no/such/route"
    assert cypher["query"] == "MATCH (g:Group) RETURN g.id AS id"
    assert cypher["query_params"] == {"unused": 1}
    assert cypher["rows"] == 3 and cypher["role"] == "investigator"
    assert all(set(e) >= {"seq", "time", "token", "role", "endpoint", "params", "status", "rows", "prev",
                          "hash"} for e in (people, anonymous, unknown, cypher))


def test_path_parameters_are_audited(api_app: FastAPI, client: TestClient, tokens: dict[str, str]) -> None:
    client.get("/groups/group:wa-team/subgraph?depth=2", headers=auth(tokens["analyst"]))
    (entry,) = last_entries(api_app, 1)
    assert entry["endpoint"] == "/groups/{group_id}/subgraph"
    assert entry["params"] == {"depth": "2", "group_id": "group:wa-team"}


def test_chain_verifies_and_detects_an_edited_line(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    for i in range(5):
        log.append({"endpoint": "/stats", "status": 200, "rows": i})
    assert verify(log.path).ok and verify(log.path).entries == 5
    assert stat.S_IMODE(os.stat(log.path).st_mode) == 0o600
    lines = log.path.read_text().splitlines()
    edited = json.loads(lines[2])
    edited["rows"] = 999
    lines[2] = json.dumps(edited)
    log.path.write_text("\n".join(lines) + "\n")
    result = verify(log.path)
    assert not result.ok and {p["line"] for p in result.problems} == {3}


def test_chain_detects_a_removed_or_reordered_line(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    for i in range(4):
        log.append({"rows": i})
    lines = log.path.read_text().splitlines()
    log.path.write_text("\n".join([lines[0], lines[2], lines[1], lines[3]]) + "\n")
    assert not verify(log.path).ok
    log.path.write_text("\n".join([lines[0], lines[1], lines[3]]) + "\n")
    assert {p["line"] for p in verify(log.path).problems} == {3}


def test_concurrent_appends_keep_one_chain(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    threads = [threading.Thread(target=lambda: [log.append({"n": i}) for i in range(25)]) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = verify(log.path)
    assert result.ok and result.entries == 200


@pytest.fixture
def cli_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``tmp_path`` as the CLI's data directory (settings read afresh)."""
    monkeypatch.setenv("CONDUCTGRAPH_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_audit_cli(cli_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = AuditLog(cli_data_dir)
    log.append({"endpoint": "/cypher", "status": 200, "query": "MATCH (n) RETURN n"})
    log.append({"endpoint": "/stats", "status": 401})
    main(["audit", "verify"])
    assert "2 entries, chain intact" in " ".join(capsys.readouterr().out.split())
    main(["audit", "show", "--format", "json"])
    shown = json.loads(capsys.readouterr().out)
    assert [e["endpoint"] for e in shown] == ["/cypher", "/stats"]
    log.path.write_text(log.path.read_text().replace('"status": 401', '"status": 200'))
    with pytest.raises(SystemExit) as broken:
        main(["audit", "verify"])
    assert broken.value.code == 1
    assert "broken at line(s) 2" in " ".join(capsys.readouterr().err.split())


def test_the_session_log_verifies(api_app: FastAPI, client: TestClient) -> None:
    client.get("/health")
    assert verify(api_app.state.audit.path).ok


def test_an_anchor_finds_lines_cut_from_the_end(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    for i in range(5):
        log.append({"rows": i})
    head = verify(log.path).head
    assert head is not None and head[0] == 5
    assert verify(log.path, [head]).ok
    log.append({"rows": 5})
    assert verify(log.path, [head]).ok  # the log grew: the anchor is still in it
    lines = log.path.read_text().splitlines()
    log.path.write_text("\n".join(lines[:3]) + "\n")
    assert verify(log.path).ok  # the chain alone cannot tell
    cut = verify(log.path, [head])
    assert not cut.ok and "seq 5 is gone" in cut.problems[0]["problem"]
    # A log rewritten from the anchor on does not hold the anchored entry either.
    log.append({"rows": "forged 4"})
    log.append({"rows": "forged 5"})
    forged = verify(log.path, [head])
    assert not forged.ok and "not the anchored entry" in forged.problems[0]["problem"]


def test_audit_cli_anchor(cli_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = AuditLog(cli_data_dir)
    for i in range(3):
        log.append({"rows": i})
    main(["audit", "verify"])
    printed = " ".join(capsys.readouterr().out.split())
    anchor = printed.split("--anchor ")[1].split()[0]
    main(["audit", "verify", "--anchor", anchor])
    assert "chain intact" in capsys.readouterr().out
    log.path.write_text("\n".join(log.path.read_text().splitlines()[:2]) + "\n")
    with pytest.raises(SystemExit) as cut:
        main(["audit", "verify", "--anchor", anchor])
    assert cut.value.code == 1
    assert "anchored entry seq 3 is gone" in " ".join(capsys.readouterr().err.split())
    with pytest.raises(SystemExit) as bad:
        main(["audit", "verify", "--anchor", "three:abc"])
    assert bad.value.code == 2
    assert "SEQ:HASH" in capsys.readouterr().err
