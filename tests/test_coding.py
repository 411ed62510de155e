"""Content coding: the lexicon, analyst codings from a CSV, idempotence, provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from conductgraph.graph.coding import code_messages
from conductgraph.graph.errors import CaseFileError, InputError
from conductgraph.graph.lexicon import compile_lexicon
from conductgraph.graph.store import GraphStore
from conductgraph.graph.taxonomy import load_taxonomy

from .analysis_graphs import Case, Msg, count_rels, write_case

DEFAULT = compile_lexicon(load_taxonomy())


@pytest.mark.parametrize(("text", "expected"), [
    ("I would happily rape you", {"sexual_violence": ["rape"]}),
    ("if I was single I would happily chloroform you", {"sexual_violence": ["chloroform"]}),
    ("It makes them love you more", {}),  # coded by the case file, not by words
    ("he RAPED her", {"sexual_violence": ["rape"]}),
    ("raping", {"sexual_violence": ["rape"]}),
    ("grape juice and a therapist", {}),  # word boundaries
    ("she said he was hitting my  wife", {"domestic_abuse": [
        r"\b(?:hit|hits|hitting|slap\w*|punch\w*|smack\w*|beat\w*)\s+(?:my|his|your)\s+"
        r"(?:girlfriend|wife|missus|partner|gf|bird)\b"]}),
])
def test_default_lexicon(text: str, expected: dict[str, list[str]]) -> None:
    assert DEFAULT.code(text) == expected


def test_every_default_category_has_a_lexicon() -> None:
    taxonomy = load_taxonomy()
    assert len(taxonomy) == 8
    assert all(c.get("terms") and c.get("patterns") is not None for c in taxonomy)
    assert {c.category for c in DEFAULT.categories} == {c["id"] for c in taxonomy}


def test_inflections_and_phrases() -> None:
    lex = compile_lexicon([{"id": "x", "terms": ["hit", "slap her", "bully"]}])
    assert lex.code("hitting") == {"x": ["hit"]}
    assert lex.code("hits") == {"x": ["hit"]}
    assert lex.code("white") == {}
    assert lex.code("slap   her") == {"x": ["slap her"]}
    assert lex.code("slapped her") == {}  # only the last word of a phrase inflects
    assert lex.code("bullying") == {"x": ["bully"]}


def test_bad_pattern_names_its_category() -> None:
    with pytest.raises(CaseFileError, match="racism.patterns"):
        compile_lexicon([{"id": "racism", "patterns": ["(unclosed"]}])


CASE = Case(
    people=["a", "b"], groups=["g", "h"],
    memberships=[("a", "g", "2020-01-01T00:00:00Z", None), ("b", "g", "2020-01-01T00:00:00Z", None)],
    messages=[
        Msg("m1", "g", "a", "2020-01-10T12:00:30Z", text="you racist pig"),
        Msg("m2", "g", "b", "2020-01-10T12:00:50Z", text="the same words twice"),
        Msg("m3", "g", "b", "2020-01-10T12:00:55Z", text="the same words twice"),
        Msg("m4", "h", "a", "2020-01-11T08:00:00Z", text="a bland message"),
    ],
)
TAXONOMY = [{"id": "racism", "name": "Racism", "terms": ["racist"]},
            {"id": "misogyny", "name": "Misogyny", "terms": ["pig"]},
            {"id": "sexual_violence", "name": "Sexual violence"}]


def _flags(store: GraphStore) -> list[dict]:
    return store.read_user(
        "MATCH (m:Message)-[f:FLAGGED_AS]->(c:Category) RETURN m.id AS m, c.id AS c, "
        "f.method AS method, f.terms AS terms, f.reviewed AS reviewed, f.coder AS coder "
        "ORDER BY m, c, method").rows


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "codings.csv"
    path.write_text("group,sent_at,sender,text_excerpt,category,coder\n" + "\n".join(rows) + "\n")
    return path


def test_lexicon_flags_with_terms_unreviewed_and_idempotent(empty_store: GraphStore) -> None:
    write_case(empty_store, CASE)
    report = code_messages(empty_store, TAXONOMY)
    assert report.messages == 4 and report.lexicon_flags == 2
    expected = [
        {"m": "msg:m1", "c": "misogyny", "method": "lexicon", "terms": ["pig"], "reviewed": False,
         "coder": None},
        {"m": "msg:m1", "c": "racism", "method": "lexicon", "terms": ["racist"], "reviewed": False,
         "coder": None},
    ]
    assert _flags(empty_store) == expected
    code_messages(empty_store, TAXONOMY)
    assert _flags(empty_store) == expected
    # A lexicon without "pig": that flag goes, the other stays.
    report = code_messages(empty_store, [TAXONOMY[0]])
    assert report.lexicon_removed == 1
    assert [f["c"] for f in _flags(empty_store)] == ["racism"]


def test_analyst_codings_matched_confirm_and_report_problems(empty_store: GraphStore,
                                                             tmp_path: Path) -> None:
    write_case(empty_store, CASE)
    path = _csv(tmp_path,
                "g,2020-01-10T12:00:00Z,A,racist pig,racism,Analyst 1",       # line 2: confirms
                "group:g,2020-01-10 12:00+00:00,person:a,YOU RACIST,misogyny,Analyst 2",  # 3: ok
                "g,2020-01-10T12:00:00Z,b,same words,racism,Analyst 1",      # 4: two messages
                "g,2020-01-10T12:01:00Z,a,racist pig,racism,Analyst 1",      # 5: wrong minute
                "nope,2020-01-10T12:00:00Z,a,racist,racism,Analyst 1",       # 6: no group
                "g,2020-01-10T12:00:00Z,a,racist,hatred,Analyst 1",          # 7: no category
                "g,2020-01-10T12:00:00,a,racist,racism,Analyst 1",           # 8: no zone
                "Group h,2020-01-11T08:00:00Z,b,bland,racism,Analyst 1")     # 9: wrong sender
    report = code_messages(empty_store, TAXONOMY, path)
    assert report.analyst_applied == 2
    expected = [(4, "matches 2 messages: msg:m2, msg:m3"),
                (5, "matches no message"), (6, "no group 'nope'"), (7, "unknown category 'hatred'"),
                (8, "sent_at '2020-01-10T12:00:00': a time needs its zone"),
                (9, "matches no message")]
    assert [p.line for p in report.problems] == [line for line, _ in expected]
    for problem, (_, reason) in zip(report.problems, expected, strict=True):
        assert problem.reason.startswith(reason), problem
    flags = _flags(empty_store)
    assert [(f["m"], f["c"], f["method"], f["reviewed"], f["coder"]) for f in flags] == [
        ("msg:m1", "misogyny", "analyst", True, "Analyst 2"),
        ("msg:m1", "misogyny", "lexicon", True, None),  # confirmed by line 3
        ("msg:m1", "racism", "analyst", True, "Analyst 1"),
        ("msg:m1", "racism", "lexicon", True, None),  # confirmed by line 2
    ]
    # Rows that could not be applied are kept, with their line, as :Rejected of the CSV source.
    rejected = empty_store.read_user(
        "MATCH (r:Rejected)-[:REJECTED_FROM]->(s:Source {format: 'codings'}) "
        "RETURN r.line AS line ORDER BY line").rows
    assert [r["line"] for r in rejected] == [4, 5, 6, 7, 8, 9]
    before = count_rels(empty_store, "FLAGGED_AS")
    code_messages(empty_store, TAXONOMY, path)
    assert count_rels(empty_store, "FLAGGED_AS") == before == 4


def test_codings_csv_needs_its_columns(empty_store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("group,sent_at,text\n")
    with pytest.raises(InputError, match="lacks column"):
        code_messages(empty_store, TAXONOMY, path)


def test_hotton_sample_codings_all_applied(store: GraphStore) -> None:
    rows = store.read_user("MATCH (s:Source {format: 'codings'}) RETURN s.records AS n, "
                           "s.rejected AS rejected").rows
    assert rows == [{"n": 3, "rejected": 0}]
    lex = store.read_user("MATCH (m:Message)-[f:FLAGGED_AS {method: 'lexicon'}]->(c:Category) "
                          "RETURN m.text AS text, c.id AS c, f.terms AS terms, f.reviewed AS reviewed "
                          "ORDER BY text").rows
    assert lex == [
        {"text": "I would happily rape you", "c": "sexual_violence", "terms": ["rape"],
         "reviewed": True},
        {"text": "if I was single I would happily chloroform you", "c": "sexual_violence",
         "terms": ["chloroform"], "reviewed": True},
    ]
