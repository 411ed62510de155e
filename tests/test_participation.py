"""Participation on a small case computed by hand."""

from __future__ import annotations

import pytest

from conductgraph.graph.participation import month_starts, participation_report
from conductgraph.graph.store import GraphStore

from .analysis_graphs import Case, Msg, write_case

CASE = Case(
    people=["a", "b", "c"], groups=["g", "h"],
    memberships=[("a", "g", "2020-01-01T00:00:00Z", None),
                 ("b", "g", "2020-01-01T00:00:00Z", "2020-02-10T00:00:00Z"),
                 ("c", "g", "2020-02-01T00:00:00Z", None),
                 ("a", "h", "2020-01-01T00:00:00Z", None)],
    messages=[Msg("m1", "g", "a", "2020-01-05T08:15:00Z", flags=("racism",)),
              Msg("m2", "g", "a", "2020-01-05T21:00:00Z"),
              Msg("m3", "g", "b", "2020-01-20T08:30:00Z"),
              Msg("m4", "g", "a", "2020-03-02T10:00:00Z", flags=("racism", "misogyny")),
              Msg("m5", "h", "a", "2020-03-03T10:00:00Z"),
              Msg("s1", "g", None, "2020-02-01T00:00:00Z", kind="system")],
)


@pytest.fixture
def report(empty_store: GraphStore) -> dict:
    write_case(empty_store, CASE)
    return participation_report(empty_store)


def test_per_person(report: dict) -> None:
    a = next(p for p in report["people"] if p["id"] == "person:a")
    assert a["messages_sent"] == 4
    assert a["active_days"] == 3
    assert (a["first_message"], a["last_message"]) == ("2020-01-05T08:15:00Z", "2020-03-03T10:00:00Z")
    assert a["hours"][8] == 1 and a["hours"][21] == 1 and a["hours"][10] == 2 and sum(a["hours"]) == 4
    assert a["months"] == {"2020-01": 2, "2020-03": 2}
    assert a["flagged_sent"] == {"misogyny": 1, "racism": 2, "sexual_violence": 0}
    in_g = next(g for g in a["groups"] if g["group"] == "group:g")
    assert in_g["messages_sent"] == 3 and in_g["share"] == 0.75  # 3 of g's 4 (system not counted)
    c = next(p for p in report["people"] if p["id"] == "person:c")
    assert c["messages_sent"] == 0
    assert [g["group"] for g in c["groups"]] == ["group:g"] and c["groups"][0]["member"]


def test_active_and_silent_members_per_month(report: dict) -> None:
    g = next(x for x in report["groups"] if x["id"] == "group:g")
    assert (g["messages"], g["senders"], g["members"]) == (4, 2, 3)
    months = {m["month"]: m for m in g["months"]}
    assert list(months) == ["2020-01", "2020-02", "2020-03"]
    assert (months["2020-01"]["members"], months["2020-01"]["active"]) == (2, 2)
    # February: a, b (until the 10th) and c are members; nobody posts.
    assert months["2020-02"]["silent_members"] == ["person:a", "person:b", "person:c"]
    assert months["2020-03"]["silent_members"] == ["person:c"]


def test_window(empty_store: GraphStore) -> None:
    write_case(empty_store, CASE)
    r = participation_report(empty_store, group="g", date_from="2020-02-01")
    assert [g["id"] for g in r["groups"]] == ["group:g"]
    a = next(p for p in r["people"] if p["id"] == "person:a")
    assert a["messages_sent"] == 1
    assert r["provenance"]["settings"] == {"group": "group:g", "date_from": "2020-02-01T00:00:00Z",
                                           "date_to": None}


def test_month_starts() -> None:
    assert month_starts("2019-12", "2020-02") == ["2019-12", "2020-01", "2020-02"]
