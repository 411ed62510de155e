"""The one error shape ``{"error": {"code", "message", "detail"}}``, pinned for every kind of failure."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conductgraph.api.app import create_app
from conductgraph.api.tokens import TokenStore
from conductgraph.graph import falkordb_server
from conductgraph.graph.settings import Settings
from conductgraph.graph.store import GraphStore, open_store
from tests import api_support
from tests.api_support import assert_error, auth, kill_store

api_app, tokens, client = api_support.api_app, api_support.tokens, api_support.client


def test_the_shape_exactly(client: TestClient) -> None:
    response = client.get("/stats")
    assert response.json() == {"error": {
        "code": "unauthorized",
        "message": "a bearer token is required (Authorization: Bearer <token>)",
        "detail": None,
    }}
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize(("method", "path", "role", "status", "code"), [
    ("GET", "/stats", None, 401, "unauthorized"),
    ("GET", "/stats", "consumer", 403, "forbidden"),
    ("POST", "/cypher", "analyst", 403, "forbidden"),
    ("GET", "/no/such/route", "investigator", 404, "not_found"),
    ("GET", "/no/such/route", None, 404, "not_found"),
    ("GET", "/people/person:nobody", "investigator", 404, "not_found"),
    ("DELETE", "/people/person:officer-a", "investigator", 405, "method_not_allowed"),
    ("PUT", "/cypher", "investigator", 405, "method_not_allowed"),
    ("GET", "/people/person:officer-a/subgraph?depth=x", "investigator", 422, "invalid_input"),
    ("GET", "/people?offset=-1", "investigator", 422, "invalid_input"),
    ("GET", "/groups/group:wa-team/messages?kind=video", "investigator", 422, "invalid_input"),
    ("GET", "/groups/group:wa-team/messages?from=not-a-date", "investigator", 422, "invalid_input"),
    ("GET", "/static/no-such-file.js", None, 404, "not_found"),
])
def test_every_failure_has_the_shape(client: TestClient, tokens: dict[str, str], method: str, path: str,
                                     role: str | None, status: int, code: str) -> None:
    headers = auth(tokens[role]) if role else {}
    assert_error(client.request(method, path, headers=headers), status, code)


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"query": ""}', b'{"query": 5}', b"[]",
                                  b'{"query": "RETURN 1", "params": []}',
                                  b'{"query": "RETURN $x", "params": {"not an identifier": 1}}'])
def test_bad_cypher_bodies_are_422(client: TestClient, tokens: dict[str, str], body: bytes) -> None:
    headers = {**auth(tokens["investigator"]), "Content-Type": "application/json"}
    assert_error(client.post("/cypher", content=body, headers=headers), 422, "invalid_input")


def test_validation_detail_names_the_field(client: TestClient, tokens: dict[str, str]) -> None:
    error = assert_error(client.get("/people/person:officer-a/subgraph?depth=9",
                                    headers=auth(tokens["analyst"])), 422)
    assert error["message"].startswith("query.depth:")
    assert error["detail"][0]["field"] == "query.depth"


def test_cypher_syntax_error_is_400_with_position(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post("/cypher", headers=auth(tokens["investigator"]),
                           json={"query": "MATCH (n:Person RETURN n"})
    error = assert_error(response, 400, "query_error")
    assert error["detail"]["position"]["line"] == 1 and error["detail"]["position"]["column"] > 1


def test_store_down_is_503_and_the_api_recovers_by_itself() -> None:
    data_dir = Path(f"/tmp/cg-503-{uuid.uuid4().hex[:8]}")
    settings = Settings(data_dir=data_dir, graph_name="g503")
    store = open_store(settings)
    token, _ = TokenStore(data_dir).create("analyst")
    try:
        with TestClient(create_app(settings, store)) as c:
            assert c.get("/stats", headers=auth(token)).status_code == 200
            kill_store(data_dir)
            assert_error(c.get("/health"), 503, "store_unavailable")
            response = c.get("/stats", headers=auth(token))
            assert_error(response, 503, "store_unavailable")
            assert response.headers["retry-after"] == "1"
            falkordb_server.start(data_dir)  # restarted by someone else; the API only reconnects
            assert c.get("/health").status_code == 200
            assert c.get("/stats", headers=auth(token)).status_code == 200
    finally:
        kill_store(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


def test_an_unexpected_failure_is_500_with_the_shape_and_no_traceback(store: GraphStore,
                                                                       tokens: dict[str, str]) -> None:
    app: FastAPI = create_app(store=store)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/boom")
    error = assert_error(response, 500, "internal_error")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert error["message"] == "the server failed; see its log"
