"""Exposure: hand-computed answers, idempotent derivation, the Hotton sample, the join vs a naive loop."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conductgraph.graph.errors import InputError
from conductgraph.graph.exposure import derive_exposure, exposure_report
from conductgraph.graph.exposure_join import Flagged, GroupMessages, audiences, merge_intervals
from conductgraph.graph.loading import SAMPLE_CASE
from conductgraph.graph.queries import Query
from conductgraph.graph.records import Rel
from conductgraph.graph.store import GraphStore
from conductgraph.graph.writer import RecordWriter
from conductgraph.loaders.casefile import read_case

from .analysis_graphs import Case, Msg, count_rels, write_case

# a: member throughout; b: leaves 02-01 and rejoins 03-01; c: joins 02-15 (after m1, m2);
# d: leaves exactly when m1 is posted (to is exclusive); e: joins exactly when m2 is posted.
CASE = Case(
    people=["a", "b", "c", "d", "e"],
    groups=["g"],
    memberships=[
        ("a", "g", "2020-01-01T00:00:00Z", None),
        ("b", "g", "2020-01-01T00:00:00Z", "2020-02-01T00:00:00Z"),
        ("b", "g", "2020-03-01T00:00:00Z", None),
        ("c", "g", "2020-02-15T00:00:00Z", None),
        ("d", "g", "2020-01-01T00:00:00Z", "2020-01-10T12:00:00Z"),
        ("e", "g", "2020-02-10T09:00:00Z", None),
    ],
    messages=[
        Msg("m1", "g", "a", "2020-01-10T12:00:00Z", flags=("racism",)),
        Msg("m2", "g", "a", "2020-02-10T09:00:00Z", flags=("misogyny",)),
        Msg("m3", "g", "b", "2020-03-05T10:00:00Z", flags=("racism",)),
        Msg("m4", "g", "c", "2020-03-06T10:00:00Z"),
        Msg("j1", "g", None, "2020-03-06T11:00:00Z", kind="system"),
    ],
)


@pytest.fixture
def case_store(empty_store: GraphStore) -> GraphStore:
    write_case(empty_store, CASE)
    return empty_store


def _people(report: dict) -> dict[str, dict]:
    return {p["id"].removeprefix("person:"): p for p in report["people"]}


def test_audiences_by_hand(case_store: GraphStore) -> None:
    report = exposure_report(case_store)
    audience = {m["id"]: [p.removeprefix("person:") for p in m["audience"]]
                for m in report["messages"]}
    # m1: d left at that very second; c not yet joined; a sent it.
    assert audience["msg:m1"] == ["b"]
    # m2: b is away between stints; e joined at that very second.
    assert audience["msg:m2"] == ["e"]
    # m3: b sent it; everyone else present is in.
    assert audience["msg:m3"] == ["a", "c", "e"]
    assert "msg:m4" not in audience  # not flagged, not cited


def test_per_person_by_hand(case_store: GraphStore) -> None:
    people = _people(exposure_report(case_store))
    assert {p: v["messages_seen"] for p, v in people.items()} == {
        "a": 2, "b": 2, "c": 1, "d": 0, "e": 3}
    assert people["e"]["flagged_seen"] == {"misogyny": 1, "racism": 1, "sexual_violence": 0}
    assert people["e"]["first_exposure"] == "2020-02-10T09:00:00Z"
    assert people["e"]["last_exposure"] == "2020-03-05T10:00:00Z"
    assert people["e"]["senders_seen"] == ["person:a", "person:b"]
    assert people["e"]["groups"] == ["group:g"]
    assert {p: v["roles"]["racism"] for p, v in people.items()} == {
        "a": "sender", "b": "sender", "c": "bystander", "d": "unexposed", "e": "bystander"}
    assert {p: v["roles"]["misogyny"] for p, v in people.items()} == {
        "a": "sender", "b": "unexposed", "c": "unexposed", "d": "unexposed", "e": "bystander"}
    assert people["a"]["flagged_sent"] == {"misogyny": 1, "racism": 1, "sexual_violence": 0}


def test_filters(case_store: GraphStore) -> None:
    march = exposure_report(case_store, date_from="2020-03-01")
    assert [m["id"] for m in march["messages"]] == ["msg:m3"]
    assert _people(march)["b"]["messages_seen"] == 1  # only m4 after 03-01
    racism = exposure_report(case_store, category="racism")
    assert [c["id"] for c in racism["categories"]] == ["racism"]
    assert _people(racism)["e"]["flagged_seen"] == {"racism": 1}
    with pytest.raises(InputError, match="no group"):
        exposure_report(case_store, group="nope")
    with pytest.raises(InputError, match="no category"):
        exposure_report(case_store, category="nope")


def test_derive_is_idempotent_and_removes_stale(case_store: GraphStore) -> None:
    first = derive_exposure(case_store)
    assert (first.exposures, first.written, first.deleted) == (5, 5, 0)
    again = derive_exposure(case_store)
    assert (again.written, again.deleted, again.unchanged) == (0, 0, 5)
    assert count_rels(case_store, "EXPOSED_TO") == 5
    with RecordWriter(case_store) as w:  # d comes back for March: exposed to m3 now
        w.add(Rel("MEMBER_OF", "Person", "person:d", "Group", "group:g",
                  {"from": "2020-03-01T00:00:00Z", "evidence": "event"}))
    changed = derive_exposure(case_store)
    assert (changed.written, changed.deleted) == (1, 0)
    rows = case_store.read_user(
        "MATCH (p:Person)-[r:EXPOSED_TO]->(m:Message {id: 'msg:m3'}) RETURN p.id AS p, r.group AS g,"
        " r.at AS at ORDER BY p").rows
    assert rows == [{"p": f"person:{x}", "g": "group:g", "at": "2020-03-05T10:00:00Z"}
                    for x in ("a", "c", "d", "e")]


def test_stale_exposure_removed_when_flag_goes(case_store: GraphStore) -> None:
    derive_exposure(case_store)
    # The analyst withdraws the flag on m3: its three exposures are stale.
    unflag = Query("test/unflag", "MATCH (:Message {id: 'msg:m3'})-[f:FLAGGED_AS]->() DELETE f", "")
    case_store.write(unflag, {})
    result = derive_exposure(case_store)
    assert result.deleted == 3
    assert count_rels(case_store, "EXPOSED_TO") == 2


def _naive(flagged: list[Flagged], members: dict[str, list[tuple[int, int]]]) -> dict[str, list[str]]:
    return {f.id: sorted(p for p, ivs in members.items() if p != f.sender
                         and any(a <= f.at < b for a, b in ivs)) for f in flagged}


intervals = st.lists(st.tuples(st.integers(0, 100), st.integers(1, 40)).map(
    lambda t: (t[0], t[0] + t[1])), max_size=4)


@settings(max_examples=150, deadline=None)
@given(members=st.dictionaries(st.sampled_from("abcdef"), intervals, max_size=6),
       times=st.lists(st.tuples(st.integers(0, 150), st.sampled_from("abcdefz")), max_size=25))
def test_join_equals_naive_loop(members: dict[str, list[tuple[int, int]]],
                                times: list[tuple[int, str]]) -> None:
    merged = {p: merge_intervals(iv) for p, iv in members.items()}
    flagged = [Flagged(f"m{i}", "g", t, "", s, ("x",)) for i, (t, s) in enumerate(times)]
    assert audiences(flagged, merged) == _naive(flagged, members)
    group = GroupMessages()
    for t, s in times:
        group.add(t, s)
    for p, ivs in merged.items():
        expected = sum(1 for t, s in times if s != p and any(a <= t < b for a, b in members[p]))
        assert group.seen_by(p, ivs) == expected


def test_hotton_sample_every_officer_with_roles_matching_memberships(store: GraphStore) -> None:
    report = exposure_report(store)
    case = read_case(SAMPLE_CASE)
    officers = {f"person:{p.id}" for p in case.model.people if p.officer}
    people = {p["id"]: p for p in report["people"]}
    assert officers <= set(people)
    assert all(people[o]["officer"] for o in officers)
    # Independent answer: every membership interval against every flagged message.
    ms = store.read_user("MATCH (p:Person)-[r:MEMBER_OF]->(g:Group) "
                         "RETURN p.id AS p, g.id AS g, r.from AS f, r.to AS t").rows
    flags = store.read_user("MATCH (s:Person)-[:SENT]->(m:Message)-[:FLAGGED_AS]->(c:Category), "
                            "(m)-[:POSTED_IN]->(g:Group) "
                            "RETURN DISTINCT m.id AS m, m.sent_at AS at, s.id AS s, g.id AS g, "
                            "c.id AS c").rows
    assert flags, "the sample has flagged messages"
    for pid in officers:
        seen: dict[str, set[str]] = {}
        for f in flags:
            if f["s"] != pid and any(x["p"] == pid and x["g"] == f["g"] and x["f"] <= f["at"]
                                     and (x["t"] is None or f["at"] < x["t"]) for x in ms):
                seen.setdefault(f["c"], set()).add(f["m"])
        sent = {f["c"] for f in flags if f["s"] == pid}
        for cat, n in people[pid]["flagged_seen"].items():
            assert n == len(seen.get(cat, ())), (pid, cat)
            expected = "sender" if cat in sent else "bystander" if seen.get(cat) else "unexposed"
            assert people[pid]["roles"][cat] == expected, (pid, cat)
    # Officer C sent "It makes them love you more" in the Facebook group: A, B, D and E were
    # members then (case.yaml memberships), so each is a bystander to domestic abuse.
    assert {p for p in officers if people[p]["roles"]["domestic_abuse"] == "bystander"} == {
        "person:officer-a", "person:officer-b", "person:officer-d", "person:officer-e"}
    assert people["person:officer-c"]["roles"]["domestic_abuse"] == "sender"
    # What loading derived is what the report computes.
    held = store.read_user("MATCH (p:Person)-[:EXPOSED_TO]->(m:Message) RETURN p.id AS p, m.id AS m"
                           ).rows
    assert sorted((r["p"], r["m"]) for r in held) == sorted(
        (p, m["id"]) for m in report["messages"] for p in m["audience"])
