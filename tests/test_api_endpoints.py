"""Every endpoint against the sample case, as an investigator."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from conductgraph.graph.network import MEASURES
from conductgraph.graph.projections import PROJECTIONS
from conductgraph.graph.schema import REL_BY_TYPE
from conductgraph.graph.store import GraphStore
from tests import api_support
from tests.api_support import assert_error, auth

api_app, tokens, client = api_support.api_app, api_support.tokens, api_support.client
OFFICER_A = "person:officer-a"


@pytest.fixture
def get(client: TestClient, tokens: dict[str, str]):  # noqa: ANN201
    def _get(path: str, role: str = "investigator", status: int = 200):  # noqa: ANN202
        response = client.get(path, headers=auth(tokens[role]))
        assert response.status_code == status, response.text
        return response

    return _get


def test_health_needs_no_token(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body == {"status": "ok", "store": {"backend": "falkordb", "reachable": True}}


def test_stats_counts_the_sample(get) -> None:  # noqa: ANN001
    body = get("/stats").json()
    assert body["labels"]["Recommendation"] == 15
    assert body["labels"]["Group"] == 3
    assert body["relationships"]["SENT"] >= 3


def test_people_search_pages_and_filters(get) -> None:  # noqa: ANN001
    everyone = get("/people?limit=500").json()
    assert [p["id"] for p in everyone["items"]] == sorted(p["id"] for p in everyone["items"])
    assert "person:sal-naseem" in {p["id"] for p in everyone["items"]}
    officers = get("/people?label=Officer&limit=500").json()["items"]
    assert len(officers) == 7 and all("Officer" in p["labels"] for p in officers)
    assert [p["id"] for p in get("/people?q=SARGE").json()["items"]] == ["person:officer-f"]
    first = get("/people?limit=3").json()
    second = get(f"/people?limit=3&offset={first['next_offset']}").json()
    assert first["next_offset"] == 3 and len(first["items"]) == 3
    assert {p["id"] for p in first["items"]}.isdisjoint(p["id"] for p in second["items"])
    assert get("/people?q=nobody-is-called-this").json() == {
        "items": [], "offset": 0, "limit": 50, "next_offset": None}


def test_page_size_is_capped_by_the_setting(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get("/people?limit=501", headers=auth(tokens["analyst"]))
    assert assert_error(response, 422, "invalid_input")["detail"]["max"] == 500


def count(store: GraphStore, query: str) -> int:
    return int(store.read_user(query).rows[0]["n"])


def test_person_detail(get, store: GraphStore) -> None:  # noqa: ANN001
    body = get(f"/people/{OFFICER_A}").json()
    assert body["properties"]["name"] == "Officer A"
    assert {a["handle"] for a in body["accounts"]} >= {"Officer A", "+44 7700 900101"}
    assert body["units"][0]["unit"] == "unit:westminster-team"
    assert "I would happily rape you" in [m["text"] for m in body["messages"]["items"]]
    assert body["findings"][0]["id"] == "finding:sexual-violence"
    assert body["counts"]["sent"] == count(store, "MATCH (:Person {id: 'person:officer-a'})-[:SENT]->(m) "
                                                  "RETURN count(m) AS n")


def test_groups_and_group(get) -> None:  # noqa: ANN001
    groups = get("/groups").json()["items"]
    assert [g["id"] for g in groups] == ["group:fb-team", "group:wa-social", "group:wa-team"]
    fb = get("/groups/group:fb-team").json()
    assert fb["properties"]["platform"] == "facebook"
    assert {m["person"] for m in fb["members"]} >= {OFFICER_A, "person:officer-e"}
    assert {c["category"] for c in fb["categories"]} == {"domestic_abuse", "misogyny"}


def wa_team_messages(store: GraphStore) -> list[dict]:
    """The oracle: every message of the WhatsApp group with sender and categories, straight from Cypher."""
    return store.read_user(
        "MATCH (:Group {id: 'group:wa-team'})<-[:POSTED_IN]-(m:Message) "
        "OPTIONAL MATCH (s:Person)-[:SENT]->(m) OPTIONAL MATCH (m)-[:FLAGGED_AS]->(c:Category) "
        "RETURN m.id AS id, m.sent_at AS sent_at, m.kind AS kind, m.text AS text, s.id AS sender, "
        "collect(DISTINCT c.id) AS categories ORDER BY sent_at, id", row_limit=10**6).rows


@pytest.mark.parametrize(("query", "keep", "must_include"), [
    ("", lambda m: True, "I would happily rape you"),
    ("?sender=person:officer-b", lambda m: m["sender"] == "person:officer-b",
     "if I was single I would happily chloroform you"),
    ("?from=2017-03-14T21:13:00Z", lambda m: m["sent_at"] >= "2017-03-14T21:13:00Z",
     "if I was single I would happily chloroform you"),
    ("?to=2017-03-14T21:13:00Z", lambda m: m["sent_at"] < "2017-03-14T21:13:00Z", "I would happily rape you"),
    ("?from=2017-03-14&to=2017-03-15", lambda m: "2017-03-14" <= m["sent_at"] < "2017-03-15",
     "I would happily rape you"),
    ("?category=sexual_violence&kind=text",
     lambda m: "sexual_violence" in m["categories"] and m["kind"] == "text", "I would happily rape you"),
    ("?category=racism", lambda m: "racism" in m["categories"], None),
])
def test_group_messages_filters(get, store: GraphStore, query: str, keep, must_include: str | None) -> None:  # noqa: ANN001
    items = get(f"/groups/group:wa-team/messages{query}{'&' if query else '?'}limit=500").json()["items"]
    expected = [m for m in wa_team_messages(store) if keep(m)]
    assert [m["id"] for m in items] == [m["id"] for m in expected]
    if must_include:
        assert must_include in [m["text"] for m in items]
    for got, want in zip(items, expected, strict=True):
        assert sorted(got["categories"]) == sorted(want["categories"]) and got["sender"] == want["sender"]


def test_investigation_with_findings_and_recommendations(get) -> None:  # noqa: ANN001
    body = get("/investigations/inv:hotton").json()
    assert body["properties"]["name"] == "Operation Hotton"
    assert body["conducted_by"] == [{"id": "org:iopc", "name": "Independent Office for Police Conduct"}]
    findings = {f["id"]: f for f in body["findings"]}
    cited = {m["text"] for m in findings["finding:sexual-violence"]["cited"]}
    assert cited == {"I would happily rape you", "if I was single I would happily chloroform you"}
    recs = body["recommendations"]
    assert [r["number"] for r in recs] == list(range(1, 16))
    assert all(r["responses"] == [{"by": "org:mps", "accepted": True, "at": None, "commitment": None}]
               for r in recs)
    assert {d["id"] for d in body["documents"]} == {"doc:iopc-learning-report", "doc:independent-article"}


def test_recommendations_by_status(get) -> None:  # noqa: ANN001
    accepted = get("/recommendations?status=accepted&limit=500").json()["items"]
    assert len(accepted) == 15 and accepted[0]["text"].startswith("Embed a zero-tolerance")
    assert get("/recommendations?status=rejected").json()["items"] == []


@pytest.mark.parametrize("path", ["/people/person:nobody", "/groups/group:nope",
                                  "/groups/group:nope/messages", "/investigations/inv:nope",
                                  "/people/person:nobody/subgraph",
                                  "/groups/group:nope/subgraph", "/people/person:nobody/exposure"])
def test_unknown_ids_are_404(client: TestClient, tokens: dict[str, str], path: str) -> None:
    assert_error(client.get(path, headers=auth(tokens["investigator"])), 404, "not_found")


# -- subgraphs --------------------------------------------------------------------------------
def test_person_subgraph_shape(get, store: GraphStore) -> None:  # noqa: ANN001
    body = get(f"/people/{OFFICER_A}/subgraph?depth=1").json()
    ids = {n["id"] for n in body["nodes"]}
    assert OFFICER_A in ids and "group:fb-team" in ids and "whatsapp:+44 7700 900101" in ids
    assert body["truncated"] is False
    for node in body["nodes"]:
        assert set(node) == {"id", "labels", "properties"} and node["properties"]["id"] == node["id"]
    for edge in body["edges"]:
        assert set(edge) == {"id", "type", "source", "target", "properties"}
        assert edge["source"] in ids and edge["target"] in ids and edge["type"] in REL_BY_TYPE
    assert len({e["id"] for e in body["edges"]}) == len(body["edges"])
    sent = [e for e in body["edges"] if e["type"] == "SENT"]
    assert len(sent) == count(store, "MATCH (:Person {id: 'person:officer-a'})-[:SENT]->(m) "
                                     "RETURN count(m) AS n")
    assert all(e["source"] == OFFICER_A for e in sent)


def test_subgraph_depth_and_rel_filter(get, store: GraphStore) -> None:  # noqa: ANN001
    groups = {r["g"] for r in store.read_user(
        "MATCH (:Person {id: 'person:officer-a'})-[:MEMBER_OF]->(g:Group) RETURN DISTINCT g.id AS g").rows}
    co_members = {r["p"] for r in store.read_user(
        "MATCH (:Person {id: 'person:officer-a'})-[:MEMBER_OF]->(:Group)<-[:MEMBER_OF]-(p:Person) "
        "RETURN DISTINCT p.id AS p").rows}
    one = get(f"/people/{OFFICER_A}/subgraph?depth=1&rel=MEMBER_OF").json()
    assert {n["id"] for n in one["nodes"]} == {OFFICER_A} | groups
    two = get(f"/people/{OFFICER_A}/subgraph?depth=2&rel=member_of, MEMBER_OF").json()
    assert {n["id"] for n in two["nodes"]} == {OFFICER_A} | groups | co_members
    assert "group:fb-team" in groups and "person:officer-e" in co_members
    assert {e["type"] for e in two["edges"]} == {"MEMBER_OF"}
    three = get(f"/people/{OFFICER_A}/subgraph?depth=3&limit=2000").json()
    assert len(three["nodes"]) > len(get(f"/people/{OFFICER_A}/subgraph?depth=2&limit=2000").json()["nodes"])


def test_subgraph_cut_is_deterministic_and_says_so(get) -> None:  # noqa: ANN001
    full = get("/groups/group:fb-team/subgraph?depth=3&limit=2000").json()
    assert full["truncated"] is False
    cut = get("/groups/group:fb-team/subgraph?depth=3&limit=7").json()
    again = get("/groups/group:fb-team/subgraph?depth=3&limit=7").json()
    assert cut["truncated"] is True and len(cut["nodes"]) == 7
    assert cut == again
    exact = get(f"/groups/group:fb-team/subgraph?depth=3&limit={len(full['nodes'])}").json()
    assert exact["truncated"] is False and len(exact["nodes"]) == len(full["nodes"])


@pytest.mark.parametrize("query", ["depth=0", "depth=4", "limit=0", "limit=2001", "rel=KNOWS",
                                   "format=svg", "depth=two"])
def test_subgraph_bad_parameters_are_422(client: TestClient, tokens: dict[str, str], query: str) -> None:
    response = client.get(f"/people/{OFFICER_A}/subgraph?{query}", headers=auth(tokens["analyst"]))
    assert_error(response, 422, "invalid_input")


def test_subgraph_exports_read_back(get) -> None:  # noqa: ANN001
    body = get("/groups/group:wa-team/subgraph?depth=2").json()
    ids = {n["id"] for n in body["nodes"]}
    graphml = get("/groups/group:wa-team/subgraph?depth=2&format=graphml")
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    g = nx.read_graphml(io.BytesIO(graphml.content))
    assert set(g.nodes) == ids and g.number_of_edges() == len(body["edges"])
    gexf = nx.read_gexf(io.BytesIO(get("/groups/group:wa-team/subgraph?depth=2&format=gexf").content))
    assert set(gexf.nodes) == ids
    cyto = json.loads(get("/groups/group:wa-team/subgraph?depth=2&format=cytoscape").content)
    assert {n["data"]["id"] for n in cyto["elements"]["nodes"]} == ids
    assert nx.cytoscape_graph(cyto).number_of_edges() == len(body["edges"])


# -- analytics --------------------------------------------------------------------------------
def test_exposure_reports(get) -> None:  # noqa: ANN001
    report = get("/exposure").json()
    assert report["report"] == "exposure" and report["summary"]["flagged_messages"] == 3
    misogyny = get("/exposure?category=misogyny&group=group:fb-team").json()
    assert [c["id"] for c in misogyny["categories"]] == ["misogyny"]
    assert {m["group"] for m in misogyny["messages"]} == {"group:fb-team"}
    mine = get("/people/person:officer-e/exposure").json()
    assert mine["person"]["id"] == "person:officer-e"
    assert all(m["sender"] == "person:officer-e" or "person:officer-e" in m["audience"]
               for m in mine["messages"])
    assert mine["messages"], "officer E was in the Facebook group when Officer C posted"


def test_participation_and_network(get) -> None:  # noqa: ANN001
    participation = get("/analytics/participation?from=2016-01-01&to=2019-01-01").json()
    assert participation["report"] == "participation"
    network = get("/analytics/network?projection=co_membership&measure=degree&slice_by=none").json()
    assert network["report"] == "network" and network["measure"] == "degree"
    assert {p["id"] for p in network["people"]} >= {OFFICER_A}


def test_network_choices_match_the_analysis(client: TestClient) -> None:
    params = {p["name"]: p for p in
              client.get("/openapi.json").json()["paths"]["/analytics/network"]["get"]["parameters"]}
    assert tuple(params["measure"]["schema"]["enum"]) == MEASURES
    assert tuple(params["projection"]["schema"]["enum"]) == PROJECTIONS


@pytest.mark.parametrize("query", ["from=yesterday", "to=2017-02-30", "from=9999-12-31T23:59:59-23:00",
                                   "category=not-a-category", "group=group:nope"])
def test_analytics_bad_parameters(client: TestClient, tokens: dict[str, str], query: str) -> None:
    response = client.get(f"/exposure?{query}", headers=auth(tokens["analyst"]))
    assert response.status_code in (404, 422), response.text
    assert_error(response, response.status_code)


def test_web_page_and_assets_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/static/vendor/cytoscape.min.js" in page.text
    assert "cdn" not in page.text.lower()
    script = client.get("/static/vendor/cytoscape.min.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/static/app.js").status_code == 200
