"""Fixtures and helpers the API tests share (imported by the ``test_api_*`` modules).

The app runs over the session's sample-case store from ``conftest.py``; tokens of
each role are created in that store's data directory.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conductgraph.api.app import create_app
from conductgraph.api.auth import ROLE_SCOPES
from conductgraph.api.tokens import ROLES, TokenStore
from conductgraph.graph import falkordb_server
from conductgraph.graph.store import GraphStore

ERROR_KEYS = {"code", "message", "detail"}


@pytest.fixture(scope="session")
def api_app(store: GraphStore) -> FastAPI:
    return create_app(store=store)


@pytest.fixture(scope="session")
def tokens(store: GraphStore) -> dict[str, str]:
    """One token per role, plus ``revoked`` (a revoked investigator token)."""
    token_store = TokenStore(store.settings.data_dir)  # type: ignore[attr-defined]
    made = {role: token_store.create(role, f"test {role}")[0] for role in ROLES}
    revoked, record = token_store.create("investigator", "revoked")
    token_store.revoke(record.id)
    made["revoked"] = revoked
    return made


@pytest.fixture(scope="session")
def client(api_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(api_app) as c:
        yield c


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape, with this status (and code)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == ERROR_KEYS, body
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class RouteCase:
    method: str
    path: str
    scope: str | None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def route_table(app: FastAPI) -> list[RouteCase]:
    """Every API endpoint with the scope its OpenAPI operation declares (None: no token needed)."""
    return [RouteCase(method.upper(), path, op.get("x-scope"))
            for path, ops in app.openapi()["paths"].items() for method, op in ops.items()]


def allowed(role: str, scope: str | None) -> bool:
    return scope is None or scope in ROLE_SCOPES[role]


@contextlib.contextmanager
def running_server(app: FastAPI) -> Iterator[str]:
    """A real uvicorn server on 127.0.0.1 on a free port, in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def kill_store(data_dir: Path) -> None:
    """SIGKILL the embedded store of ``data_dir`` (a crash) and wait until it is gone.

    The dead server's socket file is removed too: the redis client retries a stale socket
    for seconds, which would only slow the restart down.
    """
    try:
        pid = int((data_dir / falkordb_server.PID_NAME).read_text().strip())
        os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.01)
    (data_dir / "falkordb.sock").unlink(missing_ok=True)
