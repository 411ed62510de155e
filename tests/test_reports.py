"""Report exports (JSON, CSV, HTML), the CLI, and the HTML page in a real browser."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conductgraph.api.cli import main
from conductgraph.api.cli_report import KINDS, build_reports
from conductgraph.graph.queries import CYPHER_DIR
from conductgraph.graph.reports import export, to_csv, to_json
from conductgraph.graph.settings import get_settings
from conductgraph.graph.store import GraphStore

DOC = CYPHER_DIR.parent / "docs" / "reports.md"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def reports(store: GraphStore) -> dict[str, dict[str, Any]]:
    return build_reports(store, list(KINDS))


def _keys(obj: Any, prefix: str = "") -> set[str]:
    """Every field name in a report, dict keys that are data (ids, categories) left out."""
    out: set[str] = set()
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("flagged_seen", "flagged_sent", "roles", "months", "values") and isinstance(v, dict):
                out.add(k)
                continue
            out.add(k)
            out |= _keys(v)
    elif isinstance(obj, list):
        for v in obj:
            out |= _keys(v)
    return out


def test_json_is_the_report_and_every_field_is_documented(reports: dict) -> None:
    doc = DOC.read_text(encoding="utf-8")
    for kind, report in reports.items():
        assert json.loads(to_json(report)) == report
        missing = sorted(k for k in _keys(report) if f"`{k}`" not in doc)
        assert not missing, f"{kind}: fields missing from docs/reports.md: {missing}"


def test_csv_has_one_row_per_person(reports: dict) -> None:
    exposure = reports["exposure"]
    rows = list(csv.DictReader(io.StringIO(to_csv(exposure))))
    assert [r["id"] for r in rows] == [p["id"] for p in exposure["people"]]
    by_id = {p["id"]: p for p in exposure["people"]}
    for r in rows:
        p = by_id[r["id"]]
        assert int(r["messages_seen"]) == p["messages_seen"]
        assert r["senders_seen"] == ";".join(p["senders_seen"])
        for cat in p["roles"]:
            assert r[f"role_{cat}"] == p["roles"][cat]
            assert int(r[f"seen_{cat}"]) == p["flagged_seen"][cat]
    # case.yaml: Officer C sent "It makes them love you more", coded domestic abuse.
    c = next(r for r in rows if r["id"] == "person:officer-c")
    assert (c["role_domestic_abuse"], c["sent_domestic_abuse"]) == ("sender", "1")
    network_rows = list(csv.DictReader(io.StringIO(to_csv(reports["network"]))))
    assert {r["id"] for r in network_rows} == {p["id"] for p in reports["network"]["people"]}
    assert "position" not in network_rows[0]


def test_html_is_self_contained_with_its_charts(reports: dict) -> None:
    html = export(reports, "html")
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls
    assert "<script" not in html and "<link" not in html
    for chart in ("heatmap", "activity", "network"):
        assert f'class="chart {chart}"' in html
    assert "cases/hotton/case.yaml" in html and "codings.csv" in html  # the sources
    assert "projection = co_membership" in html  # the settings
    assert "Officer C" in html


def test_cli_report_and_code(store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    settings = store.settings  # type: ignore[attr-defined]
    monkeypatch.setenv("CONDUCTGRAPH_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CONDUCTGRAPH_GRAPH_NAME", settings.graph_name)
    get_settings.cache_clear()
    try:
        out = tmp_path / "exposure.json"
        main(["report", "exposure", "--format", "json", "-o", str(out), "--quiet"])
        report = json.loads(out.read_text())
        assert report == build_reports(store, ["exposure"])["exposure"]
        main(["report", "network", "--projection", "interaction", "--format", "csv"])
        assert capsys.readouterr().out.startswith("id,name,degree")
        with pytest.raises(SystemExit) as exit_info:
            main(["report", "participation", "--group", "nope"])
        assert exit_info.value.code == 2
        assert "no group 'group:nope'" in capsys.readouterr().err
        # Coding again with the sample's own files changes nothing.
        main(["code", str(CYPHER_DIR.parent / "cases" / "hotton"), "--strict"])
        n = report["summary"]["exposures"]
        assert f"EXPOSED_TO: {n} in all, 0 written, 0 stale removed." in capsys.readouterr().out
    finally:
        get_settings.cache_clear()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                    "(apt-get install -y chromium); CI installs it")
def test_html_report_renders_in_chromium(reports: dict, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "report.html"
    page_file.write_text(export(reports, "html"), encoding="utf-8")
    shot = tmp_path / "report.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            failed: list[str] = []
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.goto(page_file.as_uri())
            boxes = {c: page.locator(f"svg.chart.{c}").bounding_box()
                     for c in ("heatmap", "activity", "network")}
            cells = page.locator("svg.heatmap rect").count()
            nodes = page.locator("svg.network circle").count()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert not failed
    for chart, box in boxes.items():
        assert box is not None and box["width"] > 300 and box["height"] > 100, chart
    people, categories = len(reports["exposure"]["people"]), len(reports["exposure"]["categories"])
    assert cells == people * categories
    assert nodes == len(reports["network"]["people"])
    assert shot.stat().st_size > 50_000
