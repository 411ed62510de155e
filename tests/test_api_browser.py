"""The web page end to end in headless Chromium (Playwright driving Debian's chromium) against a
real uvicorn server: log in with a token, search, open a subgraph, click a node, screenshot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests import api_support
from tests.api_support import running_server

api_app, tokens = api_support.api_app, api_support.tokens
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="needs /usr/bin/chromium"),
]


def test_log_in_search_open_a_network_and_click_a_node(api_app: FastAPI, tokens: dict[str, str],
                                                       tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with running_server(api_app) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(base + "/")
        page.fill("#token", tokens["investigator"])
        page.click("#login")
        expect(page.locator("#role")).to_have_text("role: investigator")
        expect(page.locator("#cypher-tab")).to_be_visible()

        page.fill("#q", "officer a")
        page.click("#search")
        result = page.locator("#people-results li", has_text="Officer A")
        expect(result).to_have_count(1)
        result.click()
        expect(page.locator("#selection-title")).to_have_text("person: Officer A")
        page.wait_for_function("() => document.querySelector('#cy canvas')")
        page.wait_for_function("() => document.getElementById('status').textContent.includes('nodes')")
        assert "cut" not in (page.locator("#status").text_content() or "")

        # Click the person's own node: the graph is Cytoscape's canvas, so find its position.
        box = page.evaluate("""() => {
            const cy = window.cgCy(); const n = cy.getElementById('person:officer-a');
            const p = n.renderedPosition(); const r = document.getElementById('cy').getBoundingClientRect();
            return {x: r.left + p.x, y: r.top + p.y};
        }""")
        page.mouse.click(box["x"], box["y"])
        expect(page.locator("#detail-title")).to_contain_text("Officer A")
        expect(page.locator("#detail-props")).to_contain_text("person:officer-a")
        expect(page.locator("#detail-messages")).to_contain_text("I would happily rape you")
        expect(page.locator("#exposure-table")).to_contain_text("msg:")

        page.click("#cypher-tab")
        page.fill("#cypher-query", "MATCH (r:Recommendation) RETURN count(r) AS n")
        page.click("#cypher-run")
        expect(page.locator("#cypher-table")).to_contain_text("15")

        screenshot = tmp_path / "conductgraph-page.png"
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    assert screenshot.stat().st_size > 10_000
    assert all(u.startswith(base) for u in requests), "no request leaves the server (no CDN)"
