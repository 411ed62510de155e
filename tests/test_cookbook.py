"""Every canned query runs unchanged against the sample case and finds something."""

from __future__ import annotations

import pytest

from conductgraph.graph.cookbook import Recipe, cookbook, run_recipe
from conductgraph.graph.store import GraphStore

RECIPES = cookbook()


def test_at_least_twelve_recipes() -> None:
    assert len(RECIPES) >= 12


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda r: r.name)
def test_recipe_runs_on_the_sample(store: GraphStore, recipe: Recipe) -> None:
    assert recipe.question and recipe.parameters and recipe.columns
    rows = run_recipe(store, recipe)
    assert rows, f"{recipe.name} found nothing in the sample case"
    declared = [c.strip().rstrip(".") for c in recipe.columns.split(",")]
    assert list(rows[0]) == declared


def test_recommendations_of_the_mps(store: GraphStore) -> None:
    recipe = next(r for r in RECIPES if r.name == "recommendations_and_responses")
    rows = run_recipe(store, recipe, {"organisation": "org:mps"})
    assert [r["number"] for r in rows] == list(range(1, 16))
    assert all(r["accepted"] is True for r in rows)
    assert "anti-racist" in rows[1]["text"]
    assert rows[5]["text"] is None  # not public: present, with no invented text
