"""Tokens and roles, for every endpoint of the route table; the token file; the token CLI."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conductgraph.api import tokens as tokens_module
from conductgraph.api.app import create_app
from conductgraph.api.auth import SCOPES
from conductgraph.api.cli import main
from conductgraph.api.tokens import ROLES, TokenStore
from conductgraph.graph.settings import Settings
from tests import api_support
from tests.api_support import RouteCase, allowed, assert_error, auth, route_table

api_app, tokens, client = api_support.api_app, api_support.tokens, api_support.client

# Concrete values for the path parameters of the route table.
PATH_VALUES = {"person_id": "person:officer-a", "group_id": "group:wa-team", "investigation_id": "inv:hotton"}
ROUTES = route_table(create_app(Settings(data_dir=Path("/nonexistent/route-table"))))


def _call(client: TestClient, case: RouteCase, headers: dict[str, str],  # noqa: ANN202
          values: dict[str, str] = PATH_VALUES):
    path = case.path.format(**values)
    if case.method == "POST":
        return client.post(path, headers=headers, json={"query": "MATCH (n:Group) RETURN count(n) AS n"})
    return client.request(case.method, path, headers=headers)


def test_route_table_covers_every_endpoint_of_the_issue() -> None:
    paths = {str(c) for c in ROUTES}
    assert paths == {
        "GET /health", "GET /stats", "GET /people", "GET /people/{person_id}", "GET /groups",
        "GET /groups/{group_id}", "GET /groups/{group_id}/messages", "GET /people/{person_id}/subgraph",
        "GET /groups/{group_id}/subgraph", "GET /people/{person_id}/exposure", "GET /exposure",
        "GET /analytics/participation", "GET /analytics/network", "GET /investigations/{investigation_id}",
        "GET /recommendations", "POST /cypher",
    }
    assert {c.scope for c in ROUTES if c.path != "/health"} == set(SCOPES)
    assert [c for c in ROUTES if c.scope is None] == [RouteCase("GET", "/health", None)]


@pytest.mark.parametrize("case", ROUTES, ids=str)
def test_no_token_is_401(client: TestClient, case: RouteCase) -> None:
    response = _call(client, case, {})
    if case.scope is None:
        assert response.status_code == 200
    else:
        assert_error(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("case", [c for c in ROUTES if c.scope], ids=str)
@pytest.mark.parametrize("header", ["Bearer cg_00000000_wrong", "Bearer nonsense", "Basic dXNlcjpwYXNz",
                                    "Bearer ", "bearer cg_"])
def test_a_bad_token_is_401(client: TestClient, case: RouteCase, header: str) -> None:
    assert_error(_call(client, case, {"Authorization": header}), 401, "unauthorized")


@pytest.mark.parametrize("case", [c for c in ROUTES if c.scope], ids=str)
def test_a_revoked_token_is_401(client: TestClient, tokens: dict[str, str], case: RouteCase) -> None:
    assert_error(_call(client, case, auth(tokens["revoked"])), 401, "unauthorized")


@pytest.mark.parametrize("case", ROUTES, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_endpoints(api_app: FastAPI, client: TestClient,
                                              tokens: dict[str, str], role: str, case: RouteCase) -> None:
    values = dict(PATH_VALUES)
    if role == "consumer":  # the consumer addresses people by pseudonym
        values["person_id"] = api_app.state.redactor.identities.pseudonym(values["person_id"])
    response = _call(client, case, auth(tokens[role]), values)
    if allowed(role, case.scope):
        assert response.status_code == 200, response.text
    else:
        error = assert_error(response, 403, "forbidden")
        assert error["detail"] == {"role": role, "scope": case.scope}


def test_role_matrix() -> None:
    from conductgraph.api.auth import ROLE_SCOPES

    assert ROLE_SCOPES["investigator"] == set(SCOPES)
    assert ROLE_SCOPES["analyst"] == set(SCOPES) - {"cypher"}
    assert ROLE_SCOPES["consumer"] == {"subgraph", "analytics"}


# -- the token store ------------------------------------------------------------------------
def test_tokens_are_stored_hashed_and_owner_only(tmp_path: Path) -> None:
    store = TokenStore(tmp_path)
    token, record = store.create("analyst", "alice")
    text = (tmp_path / "tokens.json").read_text()
    # The secret is everything after the id: token_urlsafe may put "_" in it too.
    assert token not in text and token.split("_", 2)[2] not in text
    assert record.sha256 in text and len(record.sha256) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "tokens.json").st_mode) == 0o600
    assert store.check(token) == record
    assert store.check(token + "x") is None
    store.revoke(record.id)
    assert store.check(token) is None


def test_tokens_are_compared_in_constant_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = tokens_module.hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(tokens_module.hmac, "compare_digest", spy)
    store = TokenStore(tmp_path)
    token, _ = store.create("consumer")
    assert store.check(token) is not None
    assert store.check("cg_ffffffff_unknown-id") is None  # compared too, against a dummy hash
    assert len(calls) == 2


def test_unknown_role_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="role must be one of"):
        TokenStore(tmp_path).create("admin")


def test_revocation_takes_effect_without_restart(api_app: FastAPI, client: TestClient) -> None:
    store = api_app.state.tokens
    token, record = store.create("analyst", "short-lived")
    assert client.get("/stats", headers=auth(token)).status_code == 200
    TokenStore(store.path.parent).revoke(record.id)  # as `conductgraph token revoke` would
    assert_error(client.get("/stats", headers=auth(token)), 401)


def test_token_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                   capsys: pytest.CaptureFixture[str]) -> None:
    from conductgraph.graph.settings import get_settings

    monkeypatch.setenv("CONDUCTGRAPH_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        main(["token", "create", "--role", "analyst", "--name", "bob"])
        token = capsys.readouterr().out.strip().splitlines()[-1]
        assert token.startswith("cg_") and TokenStore(tmp_path).check(token) is not None
        main(["token", "list", "--format", "json"])
        listed = json.loads(capsys.readouterr().out)
        assert [(t["role"], t["name"]) for t in listed] == [("analyst", "bob")]
        assert "sha256" not in listed[0]
        main(["token", "revoke", listed[0]["id"]])
        assert TokenStore(tmp_path).check(token) is None
        with pytest.raises(SystemExit) as bad:
            main(["token", "create", "--role", "root"])
        assert bad.value.code == 2
        assert "Error:" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
