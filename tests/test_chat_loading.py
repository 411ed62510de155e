"""Chat exports in all three formats through the whole pipeline into a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from conductgraph.graph.errors import UnknownFormatError
from conductgraph.graph.loading import LoadReport, load_paths
from conductgraph.graph.stats import graph_stats
from conductgraph.graph.store import GraphStore

from .conftest import FIXTURES

MIXED = FIXTURES / "cases" / "mixed"


@pytest.fixture
def mixed(empty_store: GraphStore) -> tuple[GraphStore, LoadReport]:
    report = load_paths(empty_store, [MIXED], empty_store.settings)  # type: ignore[attr-defined]
    return empty_store, report


def q(store: GraphStore, text: str, **params: object) -> list[dict[str, object]]:
    return store.read_user(text, params).rows


def test_two_phones_merge_into_one_group(mixed: tuple[GraphStore, LoadReport]) -> None:
    store, _ = mixed
    rows = q(store, "MATCH (m:Message)-[:POSTED_IN]->(:Group {id: 'group:lates'}) "
                    "OPTIONAL MATCH (p:Person)-[:SENT]->(m) "
                    "RETURN m.sent_at AS t, p.id AS who, m.kind AS kind, size(m.sources) AS n "
                    "ORDER BY t, kind, who")
    sent = [(r["t"], r["who"], r["kind"]) for r in rows if r["kind"] != "system"]
    assert sent == [
        # Seconds come from phone B, the more precise export.
        ("2016-08-12T15:20:12Z", "person:kev", "text"),
        ("2016-08-12T15:21:40Z", "person:mo", "text"),
        ("2016-08-12T15:25:05Z", "person:dan", "media"),
        ("2016-08-12T15:26:30Z", "person:kev", "deleted"),
        ("2016-08-12T15:27:59Z", "person:mo", "text"),
    ]
    assert all(r["n"] == 2 for r in rows), "every message names both phones as sources"
    assert [r["kind"] for r in rows].count("system") == 4  # created, added ×2, left
    assert q(store, "MATCH (g:Group) WHERE g.platform = 'whatsapp' RETURN count(g) AS n") == [
        {"n": 1}]


def test_multi_line_text_is_exact(mixed: tuple[GraphStore, LoadReport]) -> None:
    store, _ = mixed
    rows = q(store, "MATCH (:Person {id: 'person:mo'})-[:SENT]->(m:Message) "
                    "WHERE m.text STARTS WITH 'see you' RETURN m.text AS text")
    assert rows == [{"text": "see you at 7\nbring the keys"}]


def test_membership_intervals_from_events(mixed: tuple[GraphStore, LoadReport]) -> None:
    store, _ = mixed
    rows = q(store, "MATCH (p:Person)-[r:MEMBER_OF]->(:Group {id: 'group:lates'}) "
                    "RETURN p.id AS p, r.`from` AS f, r.`to` AS t, r.evidence AS e ORDER BY p")
    assert rows == [
        # Phone A has no seconds: the union keeps the earliest evidence of membership.
        {"p": "person:dan", "f": "2016-08-11T21:58:00Z", "t": None, "e": "event"},
        {"p": "person:kev", "f": "2016-08-11T21:59:00Z", "t": None, "e": "event"},
        {"p": "person:mo", "f": "2016-08-11T21:59:00Z", "t": "2016-08-13T08:02:10Z", "e": "event"},
    ]


def test_rejected_lines_are_kept_and_counted(mixed: tuple[GraphStore, LoadReport]) -> None:
    store, report = mixed
    by_name = {Path(s.path).name + s.format: s for s in report.sources}
    assert by_name["message_1.jsonmessenger"].rejected == 1
    assert by_name["result.jsontelegram"].rejected == 1
    rows = q(store, "MATCH (r:Rejected)-[:REJECTED_FROM]->(s:Source) "
                    "RETURN s.format AS f, s.rejected AS counted, r.line AS line, r.reason AS why "
                    "ORDER BY f")
    assert [(r["f"], r["counted"], r["line"]) for r in rows] == [("messenger", 1, 8),
                                                                  ("telegram", 1, 15)]
    assert all(r["why"] for r in rows)


def test_sources_carry_provenance(mixed: tuple[GraphStore, LoadReport]) -> None:
    store, _ = mixed
    rows = q(store, "MATCH (s:Source) WHERE s.format = 'whatsapp' "
                    "RETURN s.device_owner AS owner, s.date_order AS order, s.timezone AS tz, "
                    "s.records AS records ORDER BY owner")
    assert rows == [
        {"owner": "person:kev", "order": "dmy", "tz": "Europe/London", "records": 9},
        {"owner": None, "order": "dmy", "tz": "Europe/London", "records": 9},
    ]


def test_unmapped_handles_become_unresolved_people(mixed: tuple[GraphStore, LoadReport]) -> None:
    store, _ = mixed
    rows = q(store, "MATCH (p:Person {resolved: false})-[:HAS_ACCOUNT]->(a:Account) "
                    "RETURN a.platform AS platform, a.handle AS handle ORDER BY platform, handle")
    handles = {(r["platform"], r["handle"]) for r in rows}
    assert ("facebook", "Zoë Clarke") in handles  # mojibake fixed
    assert ("facebook", "Facebook User") in handles
    assert not any(h == "Alice Hart" for _, h in handles)  # mapped by the case file


def test_loading_twice_changes_nothing(mixed: tuple[GraphStore, LoadReport]) -> None:
    store, _ = mixed
    first = graph_stats(store)
    load_paths(store, [MIXED], store.settings)  # type: ignore[attr-defined]
    assert graph_stats(store) == first


def test_messenger_thread_split_over_two_files_is_one_group(empty_store: GraphStore) -> None:
    load_paths(empty_store, [FIXTURES / "messenger" / "thread_a"],
               empty_store.settings)  # type: ignore[attr-defined]
    rows = q(empty_store, "MATCH (g:Group) OPTIONAL MATCH (m:Message)-[:POSTED_IN]->(g) "
                          "WHERE m.kind <> 'system' RETURN g.name AS name, count(m) AS n")
    assert rows == [{"name": "Westminster Team 🚔", "n": 9}]


def test_a_file_in_no_known_format_writes_nothing(empty_store: GraphStore, tmp_path: Path) -> None:
    bad = tmp_path / "minutes.json"
    bad.write_text('{"meeting": "minutes", "items": []}')
    with pytest.raises(UnknownFormatError, match="minutes.json"):
        load_paths(empty_store, [FIXTURES / "whatsapp" / "ymd.txt", bad],
                   empty_store.settings)  # type: ignore[attr-defined]
    assert graph_stats(empty_store) == {"labels": {}, "relationships": {}}
