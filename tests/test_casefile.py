"""Case files: validated with errors that name the file and field; nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conductgraph.graph.errors import CaseFileError
from conductgraph.graph.loading import SAMPLE_CASE, load_paths
from conductgraph.graph.settings import Settings
from conductgraph.graph.stats import graph_stats
from conductgraph.graph.store import GraphStore
from conductgraph.loaders.casefile import read_case


def _case(tmp_path: Path, data: object) -> Path:
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return tmp_path


def _sample() -> dict:
    return yaml.safe_load((SAMPLE_CASE / "case.yaml").read_text(encoding="utf-8"))


def test_the_sample_validates() -> None:
    case = read_case(SAMPLE_CASE)
    assert len(case.model.recommendations) == 15
    assert {g.platform for g in case.model.groups} == {"whatsapp", "facebook"}
    assert case.handle_map("whatsapp")["Officer A"] == "person:officer-a"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["people"][3].update(handles={"whatsapp": "Officer C"}), "people[3].handles.whatsapp"),
        (lambda d: d["people"][2].update(colour="red"), "people[2].colour"),
        (lambda d: d["memberships"][0].update(person="nobody"), "memberships[0].person"),
        (lambda d: d["recommendations"][4].update(number=0), "recommendations[4].number"),
        (lambda d: d["findings"][0]["cites"].append("q-missing"), "findings[0].cites[2]"),
        (lambda d: d["messages"][0].update(sent_at="2017-03-14T21:12:00"), "messages[0].sent_at"),
        (lambda d: d["messages"][1]["categories"].append("rudeness"),
         "messages[1].categories[2]"),
        (lambda d: d["people"].append(dict(d["people"][1])), "people[8].id"),
        (lambda d: d.pop("case"), "case"),
    ],
)
def test_errors_name_the_field(tmp_path: Path, change, field: str) -> None:  # type: ignore[no-untyped-def]
    data = _sample()
    change(data)
    with pytest.raises(CaseFileError) as info:
        read_case(_case(tmp_path, data))
    fields = [d["field"] for d in info.value.detail]
    assert field in fields
    assert str(tmp_path / "case.yaml") in info.value.message
    assert info.value.exit_code == 2


def test_a_missing_export_is_named(tmp_path: Path) -> None:
    data = _sample()
    data["sources"] = [{"path": "exports/none.txt", "format": "whatsapp", "group": "wa-team"}]
    with pytest.raises(CaseFileError, match=r"sources\[0\]\.path: no such file"):
        read_case(_case(tmp_path, data))


def test_yaml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text("case:\n  id: x\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(CaseFileError, match="line 4"):
        read_case(tmp_path)


def test_a_bad_case_writes_nothing(empty_store: GraphStore, tmp_path: Path) -> None:
    data = _sample()
    data["recommendations"][14]["response"]["by"] = "nobody"
    settings: Settings = empty_store.settings  # type: ignore[attr-defined]
    with pytest.raises(CaseFileError, match=r"recommendations\[14\]\.response\.by"):
        load_paths(empty_store, [_case(tmp_path, data)], settings)
    assert graph_stats(empty_store) == {"labels": {}, "relationships": {}}
