"""The schema is declared once; DDL, write queries and docs derive from it."""

from __future__ import annotations

import pytest

from conductgraph.graph import schema_files
from conductgraph.graph.errors import InputError
from conductgraph.graph.queries import schema_statements
from conductgraph.graph.schema import NODES, RELS, validate_node, validate_rel


def test_derived_files_are_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    # Fails when graph/schema.py changed without `python -m conductgraph.graph.schema_files`.
    assert schema_files.main(["--check"]) == 0, capsys.readouterr().out


def test_ddl_covers_every_label() -> None:
    falkor = "\n".join(schema_statements("falkordb"))
    neo = "\n".join(schema_statements("neo4j"))
    for spec in NODES:
        assert f"(n:{spec.label}) ON (n.id)" in falkor
        assert f"FOR (n:{spec.label}) REQUIRE n.id IS UNIQUE" in neo


def test_docs_name_every_label_and_relationship() -> None:
    text = schema_files.DOCS_SCHEMA.read_text()
    for spec in NODES:
        assert f"### `{spec.label}`" in text
    for rel in RELS:
        assert f"[:{rel.type}]" in text


def test_validation_accepts_a_good_message() -> None:
    validate_node("Message", "msg:1", {"sent_at": "2017-01-01T10:00:00Z", "kind": "text",
                                       "text": "hi", "line": 3})


@pytest.mark.parametrize(
    ("label", "props", "field"),
    [
        ("Message", {"sent_at": "2017-01-01 10:00", "kind": "text"}, "sent_at"),
        ("Message", {"sent_at": "2017-01-01T10:00:00Z"}, "kind"),
        ("Message", {"sent_at": "2017-01-01T10:00:00Z", "kind": "text", "line": "3"}, "line"),
        ("Person", {"colour": "red"}, "colour"),
        ("Person", {"aliases": "x"}, "aliases"),
        ("Recommendation", {"number": True}, "number"),
    ],
)
def test_validation_names_the_field(label: str, props: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as info:
        validate_node(label, "x:1", props)
    assert info.value.detail == {"field": field}
    assert field in info.value.message


def test_relationship_ends_are_checked() -> None:
    validate_rel("SENT", "Officer", "Message", {})
    with pytest.raises(InputError, match="does not go from"):
        validate_rel("SENT", "Message", "Person", {})
    with pytest.raises(InputError, match="unknown relationship"):
        validate_rel("LIKES", "Person", "Message", {})
    with pytest.raises(InputError, match="evidence"):
        validate_rel("MEMBER_OF", "Person", "Group", {"from": "2017-01-01T00:00:00Z"})
