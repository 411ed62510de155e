"""The consumer sees no real name and no message text, in every response and every format."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conductgraph.api.app import create_app
from conductgraph.api.redaction import Identities
from conductgraph.graph.store import GraphStore
from tests import api_support
from tests.api_support import assert_error, auth

api_app, tokens, client = api_support.api_app, api_support.tokens, api_support.client
PSEUDONYM = re.compile(r"^[PA]-[0-9a-f]{12}$")


def secrets_of(store: GraphStore) -> tuple[set[str], set[str]]:
    """(identifying names, message and finding texts) as the store holds them."""
    names: set[str] = set()
    for row in store.read_user("MATCH (p:Person) RETURN p.id AS id, p.name AS name, p.aliases AS aliases",
                               row_limit=10**6).rows:
        names |= {row["id"], row["name"], *(row["aliases"] or [])}
    for row in store.read_user("MATCH (a:Account) RETURN a.id AS id, a.handle AS handle",
                               row_limit=10**6).rows:
        names |= {row["id"], row["handle"]}
    texts = {r["t"] for r in store.read_user(
        "MATCH (m:Message) RETURN m.text AS t UNION MATCH (f:Finding) RETURN f.summary AS t",
        row_limit=10**6).rows if r["t"]}
    return {n for n in names if n}, texts


def consumer_responses(client: TestClient, token: str, pseudonym: str) -> Iterator[tuple[str, str]]:
    paths = [
        f"/people/{pseudonym}/subgraph?depth=3",
        "/groups/group:wa-team/subgraph?depth=3",
        "/groups/group:fb-team/subgraph?depth=2&rel=MEMBER_OF,SENT,POSTED_IN,HAS_ACCOUNT",
        "/exposure", "/exposure?category=misogyny", f"/people/{pseudonym}/exposure",
        "/analytics/participation",
        *(f"/analytics/network?projection={p}" for p in ("co_membership", "interaction", "exposure")),
        *(f"/people/{pseudonym}/subgraph?depth=3&format={f}" for f in ("graphml", "gexf", "cytoscape")),
    ]
    for path in paths:
        response = client.get(path, headers=auth(token))
        assert response.status_code == 200, (path, response.text)
        yield path, response.text


def test_consumer_sees_no_real_name_and_no_message_text(client: TestClient, tokens: dict[str, str],
                                                        api_app: FastAPI, store: GraphStore) -> None:
    names, texts = secrets_of(store)
    assert "Sal Naseem" in names and "mcrapey raperson" in names and "I would happily rape you" in texts
    pseudonym = api_app.state.redactor.identities.pseudonym("person:officer-a")
    checked = 0
    for path, text in consumer_responses(client, tokens["consumer"], pseudonym):
        for secret in texts | {n for n in names if len(n) >= 3}:
            assert secret not in text, (path, secret)
        for short in (n for n in names if len(n) < 3):  # e.g. the alias "B": only as a whole value
            assert f'"{short}"' not in text and f">{short}<" not in text, (path, short)
        for word in ("chloroform", "happily", "girlfriend", "Sarge", "+44"):
            assert word not in text, (path, word)
        checked += 1
    assert checked == 13


def test_message_text_becomes_its_categories(client: TestClient, tokens: dict[str, str],
                                             api_app: FastAPI) -> None:
    pseudonym = api_app.state.redactor.identities.pseudonym("person:officer-a")
    body = client.get(f"/people/{pseudonym}/subgraph?depth=1&rel=SENT,HAS_ACCOUNT",
                      headers=auth(tokens["consumer"])).json()
    texts = [n["properties"]["text"] for n in body["nodes"] if "Message" in n["labels"]]
    assert "[categories: misogyny, sexual_violence]" in texts
    assert all(t == "[no category]" or t.startswith("[categories: ") for t in texts)
    people = [n for n in body["nodes"] if "Person" in n["labels"]]
    assert [p["id"] for p in people] == [pseudonym]
    assert people[0]["properties"] == {"id": pseudonym, "name": pseudonym, "resolved": True, "rank": "PC",
                                       "illustrative": True}
    accounts = [n for n in body["nodes"] if "Account" in n["labels"]]
    assert accounts and all(set(a["properties"]) <= {"id", "platform"} for a in accounts)
    assert all(PSEUDONYM.match(a["id"]) for a in accounts)
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])


def test_pseudonyms_are_stable_and_keyed(store: GraphStore, tokens: dict[str, str], tmp_path: Path) -> None:
    settings = store.settings  # type: ignore[attr-defined]
    first = create_app(settings, store).state.redactor.identities.pseudonym("person:officer-a")
    second = create_app(settings, store).state.redactor.identities.pseudonym("person:officer-a")
    other_key = Identities(tmp_path).pseudonym("person:officer-a")
    assert first == second and PSEUDONYM.match(first) and other_key != first
    assert (settings.data_dir / "redaction.key").stat().st_mode & 0o777 == 0o600


def test_consumer_addresses_people_by_pseudonym_only(client: TestClient, tokens: dict[str, str]) -> None:
    real_id = client.get("/people/person:officer-a/subgraph", headers=auth(tokens["consumer"]))
    error = assert_error(real_id, 404)
    assert "pseudonym" in error["message"]
    assert_error(client.get("/people/P-000000000000/subgraph", headers=auth(tokens["consumer"])), 404)


@pytest.mark.parametrize("role", ["investigator", "analyst"])
def test_other_roles_see_the_real_data(client: TestClient, tokens: dict[str, str], role: str) -> None:
    body: dict[str, Any] = client.get("/people/person:officer-a/subgraph?rel=SENT",
                                      headers=auth(tokens[role])).json()
    texts = [n["properties"].get("text") for n in body["nodes"] if "Message" in n["labels"]]
    assert "I would happily rape you" in texts
