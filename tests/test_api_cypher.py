"""``POST /cypher``: reads work within the limits; every write attempt is refused and changes nothing."""

from __future__ import annotations

import hashlib
import json

import pytest
from fastapi.testclient import TestClient

from conductgraph.api.app import create_app
from conductgraph.graph.cypher_guard import check_read_only
from conductgraph.graph.errors import QueryError, ReadOnlyError
from conductgraph.graph.store import GraphStore
from tests import api_support
from tests.api_support import assert_error, auth

api_app, tokens, client = api_support.api_app, api_support.tokens, api_support.client

WRITES = [
    "CREATE (n:Person {id: 'x'})",
    "cReAtE (n:Person {id: 'x'})",
    "MERGE (n:Group {id: 'group:new'})",
    "MATCH (p:Person {id: 'person:officer-a'}) SET p.name = 'changed'",
    "MATCH (p:Person {id: 'person:officer-a'}) SET p += {name: 'changed'}",
    "MATCH (m:Message) DELETE m",
    "MATCH (m:Message) DETACH DELETE m",
    "MATCH (m) dEtAcH dElEtE m",
    "MATCH (p:Person) REMOVE p.name",
    "MATCH (p:Person) REMOVE p:Officer",
    "MATCH (p:Person) /* harmless */ DETACH/**/DELETE p",
    "MATCH (p:Person) // a comment\nDELETE p",
    "MATCH (n) RETURN n; CREATE (x:Person {id: 'y'})",
    "MATCH (n) RETURN count(n);\nMATCH (m:Message) DETACH DELETE m",
    "MATCH (p:Person) FOREACH (x IN [1] | CREATE (:Person {id: 'z'}))",
    "UNWIND [1, 2] AS i CREATE (:Person {id: toString(i)})",
    "MATCH (a:Person), (b:Person) CREATE (a)-[:KNOWS]->(b)",
    "MATCH (a:Person)-[r]->() DELETE r",
    "CALL db.idx.fulltext.createNodeIndex('Person', 'name')",
    "CALL db.idx.fulltext.drop('Person')",
    "call DB.IDX.FULLTEXT.CREATENODEINDEX('Message', 'text')",
    "CREATE INDEX FOR (n:Person) ON (n.rank)",
    "DROP INDEX ON :Person(name)",
    "CALL dbms.security.createUser('x', 'y', false)",
    "CALL apoc.create.node(['Person'], {id: 'apoc'})",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load csv with headers from 'http://127.0.0.1/x.csv' AS row MERGE (:Person {id: row.id})",
    "WITH 1 AS x CALL { CREATE (:Person {id: 'sub'}) } RETURN x",
    "MATCH (p:Person) WITH p LIMIT 1 SET p.status = 'dismissed' RETURN p",
]


def snapshot(store: GraphStore) -> str:
    """A digest of every node and relationship with all properties: any change shows."""
    nodes = store.read_user("MATCH (n) RETURN labels(n) AS l, properties(n) AS p", row_limit=10**6).rows
    rels = store.read_user("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, properties(r) AS p, "
                           "b.id AS b", row_limit=10**6).rows
    text = json.dumps(sorted(json.dumps(r, sort_keys=True) for r in nodes + rels))
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("query", WRITES)
def test_every_write_is_refused_and_nothing_changes(client: TestClient, tokens: dict[str, str],
                                                    store: GraphStore, query: str) -> None:
    before = snapshot(store)
    response = client.post("/cypher", headers=auth(tokens["investigator"]), json={"query": query})
    assert response.status_code in (400, 403), response.text
    error = assert_error(response, response.status_code)
    assert error["code"] in ("read_only", "query_error")
    assert snapshot(store) == before


@pytest.mark.parametrize("query", [q for q in WRITES if "LOAD CSV" not in q.upper()])
def test_the_engine_refuses_writes_even_without_the_guard(store: GraphStore, query: str) -> None:
    # Defence in depth: the text check aside, the engine's read-only mode refuses too.
    before = snapshot(store)
    with pytest.raises(QueryError):
        store.read_user(query)
    assert snapshot(store) == before


@pytest.mark.parametrize("query", [
    "MATCH (n) WHERE n.name = 'CREATE' RETURN count(n) AS n",
    "MATCH (n) RETURN n.created AS created LIMIT 1",
    "MATCH (n:Person) WHERE n.name STARTS WITH 'Off' RETURN count(n) AS n",
    "MATCH ()-[r]->() WITH startNode(r) AS start RETURN count(start) AS n",
    "RETURN {set: 1, delete: 2} AS m",
    "MATCH (n) RETURN n.`CREATE` AS x LIMIT 1",
    "// CREATE is only mentioned in a comment\nMATCH (n) RETURN count(n) AS n",
])
def test_reads_that_merely_mention_write_words_pass(query: str) -> None:
    check_read_only(query)


def test_guard_names_clause_and_position() -> None:
    with pytest.raises(ReadOnlyError) as refused:
        check_read_only("MATCH (n)\n  DETACH DELETE n")
    assert refused.value.detail == {"clause": "DETACH", "position": {"line": 2, "column": 3, "offset": 12}}


def test_a_read_with_parameters(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post("/cypher", headers=auth(tokens["investigator"]), json={
        "query": "MATCH (p:Person {id: $id})-[:SENT]->(m:Message) WHERE m.text CONTAINS $word "
                 "RETURN p.name AS name, m.text AS text",
        "params": {"id": "person:officer-b", "word": "chloroform"}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["name", "text"]
    assert body["rows"] == [{"name": "Officer B", "text": "if I was single I would happily chloroform you"}]
    assert body["truncated"] is False


def test_nodes_come_back_as_plain_json(client: TestClient, tokens: dict[str, str]) -> None:
    body = client.post("/cypher", headers=auth(tokens["investigator"]), json={
        "query": "MATCH (g:Group {id: 'group:wa-team'}) RETURN g"}).json()
    assert body["rows"][0]["g"]["labels"] == ["Group"]
    assert body["rows"][0]["g"]["properties"]["platform"] == "whatsapp"


def test_row_limit_and_time_limit_are_settings(store: GraphStore, tokens: dict[str, str]) -> None:
    settings = store.settings.model_copy(update={"query_row_limit": 2, "query_timeout_ms": 1})  # type: ignore[attr-defined]
    with TestClient(create_app(settings, store)) as c:
        cut = c.post("/cypher", headers=auth(tokens["investigator"]),
                     json={"query": "MATCH (r:Recommendation) RETURN r.number AS n ORDER BY n"}).json()
        assert cut["rows"] == [{"n": 1}, {"n": 2}] and cut["truncated"] is True
        slow = c.post("/cypher", headers=auth(tokens["investigator"]), json={
            "query": "UNWIND range(1, 3000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x) AS n"})
        assert_error(slow, 408, "query_timeout")


def test_cypher_is_for_investigators_only(client: TestClient, tokens: dict[str, str]) -> None:
    for role in ("analyst", "consumer"):
        assert_error(client.post("/cypher", headers=auth(tokens[role]), json={"query": "RETURN 1 AS x"}),
                     403, "forbidden")
