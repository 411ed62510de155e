"""Subgraph requests take turns per worker (``api_subgraph_concurrency``); other endpoints do not wait."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conductgraph.api.app import create_app
from conductgraph.graph.store import GraphStore
from tests import api_support
from tests.api_support import auth

api_app, tokens, client = api_support.api_app, api_support.tokens, api_support.client
OFFICER_A = "person:officer-a"


@pytest.fixture
def one_turn(store: GraphStore) -> Iterator[TestClient]:
    settings = store.settings.model_copy(update={"api_subgraph_concurrency": 1})  # type: ignore[attr-defined]
    with TestClient(create_app(settings, store)) as client:
        yield client


def _in_background(client: TestClient, path: str, token: str) -> tuple[threading.Thread, list[Any]]:
    answers: list[Any] = []
    thread = threading.Thread(target=lambda: answers.append(client.get(path, headers=auth(token))))
    thread.start()
    return thread, answers


def test_a_subgraph_waits_for_a_free_turn_and_then_answers(one_turn: TestClient,
                                                            tokens: dict[str, str]) -> None:
    headers = auth(tokens["investigator"])
    assert one_turn.get(f"/people/{OFFICER_A}/subgraph", headers=headers).status_code == 200
    turns = one_turn.app.state.subgraph_turns  # type: ignore[attr-defined]
    assert turns.total_tokens == 1
    holder = object()
    one_turn.portal.call(turns.acquire_on_behalf_of, holder)  # type: ignore[union-attr]
    try:
        thread, answers = _in_background(one_turn, f"/people/{OFFICER_A}/subgraph", tokens["investigator"])
        thread.join(1.0)
        assert thread.is_alive() and not answers, "the subgraph did not wait for its turn"
        # Other endpoints use the shared pool: they answer while every subgraph turn is taken.
        person = one_turn.get(f"/people/{OFFICER_A}", headers=auth(tokens["investigator"]))
        assert person.status_code == 200
    finally:
        one_turn.portal.call(turns.release_on_behalf_of, holder)  # type: ignore[union-attr]
    thread.join(30)
    assert [a.status_code for a in answers] == [200]
    assert any(node["id"] == OFFICER_A for node in answers[0].json()["nodes"])


def test_errors_in_a_turn_keep_their_shape_and_free_the_turn(one_turn: TestClient,
                                                              tokens: dict[str, str]) -> None:
    headers = auth(tokens["investigator"])
    missing = one_turn.get("/people/person:nobody/subgraph", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    # The failed request gave its turn back: the next one is served.
    assert one_turn.get(f"/people/{OFFICER_A}/subgraph", headers=headers).status_code == 200
    assert one_turn.app.state.subgraph_turns.borrowed_tokens == 0  # type: ignore[attr-defined]


def test_the_default_is_two_turns_per_worker(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get(f"/people/{OFFICER_A}/subgraph", headers=auth(tokens["investigator"]))
    assert response.status_code == 200
    assert client.app.state.subgraph_turns.total_tokens == 2  # type: ignore[attr-defined]


def test_turns_work_without_the_lifespan_too(store: GraphStore, tokens: dict[str, str]) -> None:
    # A TestClient outside ``with`` runs no lifespan: the turns are made on first use.
    client = TestClient(create_app(store=store))
    response = client.get(f"/people/{OFFICER_A}/subgraph", headers=auth(tokens["investigator"]))
    assert response.status_code == 200
