"""The API behind a real uvicorn server on 127.0.0.1: concurrent requests, and the embedded
store crashing and restarting under load (503 with the error body, then recovery without
restarting the API)."""

from __future__ import annotations

import shutil
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx2
import pytest
from fastapi import FastAPI

from conductgraph.api.app import create_app
from conductgraph.api.audit import verify
from conductgraph.api.tokens import TokenStore
from conductgraph.graph import falkordb_server
from conductgraph.graph.loading import SAMPLE_CASE, load_paths
from conductgraph.graph.settings import Settings
from conductgraph.graph.store import open_store
from tests import api_support
from tests.api_support import auth, kill_store, running_server

api_app, tokens = api_support.api_app, api_support.tokens


def test_real_server_answers_concurrent_requests(api_app: FastAPI, tokens: dict[str, str]) -> None:
    with running_server(api_app) as base:
        assert httpx2.get(f"{base}/health").json()["status"] == "ok"
        statuses: Counter[int] = Counter()
        lock = threading.Lock()

        def worker() -> None:
            with httpx2.Client(base_url=base, headers=auth(tokens["analyst"])) as c:
                for _ in range(10):
                    r = c.get("/people/person:officer-a/subgraph?depth=2")
                    assert r.json()["nodes"]
                    with lock:
                        statuses[r.status_code] += 1

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == {200: 80}
        graphml = httpx2.get(f"{base}/groups/group:wa-team/subgraph?format=graphml",
                             headers=auth(tokens["consumer"]))
        assert graphml.status_code == 200 and graphml.text.startswith("<?xml")


@pytest.mark.slow
def test_store_crash_and_restart_under_load() -> None:
    data_dir = Path(f"/tmp/cg-restart-{uuid.uuid4().hex[:8]}")
    settings = Settings(data_dir=data_dir, graph_name="restart")
    store = open_store(settings)
    load_paths(store, [SAMPLE_CASE], settings)
    token, _ = TokenStore(data_dir).create("analyst")
    statuses: Counter[int] = Counter()
    bad_bodies: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()
    try:
        with running_server(create_app(settings)) as base:

            def worker() -> None:
                with httpx2.Client(base_url=base, headers=auth(token), timeout=30) as c:
                    while not stop.is_set():
                        r = c.get("/groups/group:wa-team/subgraph?depth=2")
                        with lock:
                            statuses[r.status_code] += 1
                            if r.status_code == 503 and r.json()["error"]["code"] != "store_unavailable":
                                bad_bodies.append(r.text)

            threads = [threading.Thread(target=worker) for _ in range(6)]
            for t in threads:
                t.start()
            time.sleep(0.5)
            kill_store(data_dir)
            time.sleep(1.0)  # requests during the gap
            falkordb_server.start(data_dir)
            time.sleep(1.0)
            stop.set()
            for t in threads:
                t.join()
            after = [httpx2.get(f"{base}/stats", headers=auth(token)).status_code for _ in range(5)]
        assert set(statuses) <= {200, 503}, statuses
        assert statuses[503] > 0 and statuses[200] > 0, statuses
        assert not bad_bodies
        assert after == [200] * 5, "the API recovered without a restart"
        assert verify(data_dir / "audit.jsonl").ok
    finally:
        stop.set()
        kill_store(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
