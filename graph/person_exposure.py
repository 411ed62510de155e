"""One person's part of the exposure report (``GET /people/{id}/exposure``).

The same objects as :func:`conductgraph.graph.exposure.exposure_report`, cut to one
person: their row of ``people`` and the flagged or cited messages they sent or saw.
"""

from __future__ import annotations

from typing import Any

from .errors import NotFoundError
from .exposure import exposure_report
from .queries import load_query
from .store import GraphStore


def person_exposure(store: GraphStore, person_id: str, *, group: str | None = None,
                    date_from: str | None = None, date_to: str | None = None,
                    category: str | None = None) -> dict[str, Any]:
    """``{report, version, provenance, categories, groups, person, messages}``."""
    if not store.read(load_query("api/person"), {"id": person_id}):
        raise NotFoundError(f"no person with id {person_id!r}", detail={"id": person_id})
    report = exposure_report(store, group=group, date_from=date_from, date_to=date_to,
                             category=category)
    person = next(p for p in report["people"] if p["id"] == person_id)
    messages = [m for m in report["messages"]
                if m["sender"] == person_id or person_id in m["audience"]]
    return {
        "report": "person_exposure",
        "version": report["version"],
        "provenance": report["provenance"],
        "categories": report["categories"],
        "groups": report["groups"],
        "person": person,
        "messages": messages,
    }
