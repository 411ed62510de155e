"""Listing and looking up what the graph holds: people, groups, messages, investigations.

Each function runs query files from ``cypher/api/`` and returns plain dicts; list
functions return one page ``{items, offset, limit, next_offset}`` (``next_offset`` is
null on the last page).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from .errors import InputError, NotFoundError
from .queries import load_query
from .store import GraphStore

PERSON_LABELS = ("Person", "Officer")
MESSAGE_KINDS = ("text", "media", "deleted", "system")


def page(store: GraphStore, query: str, params: dict[str, Any], offset: int, limit: int) -> dict[str, Any]:
    """One page of a query that takes ``$offset`` and ``$limit``; asks one row more to know
    whether another page follows."""
    if offset < 0 or limit < 1:
        raise InputError("offset must be >= 0 and limit >= 1", detail={"field": "limit"})
    rows = store.read(load_query(query), {**params, "offset": offset, "limit": limit + 1})
    more = len(rows) > limit
    return {"items": rows[:limit], "offset": offset, "limit": limit,
            "next_offset": offset + limit if more else None}


def time_bound(text: str | None, *, field: str) -> str | None:
    """A date or time as the graph's UTC time text ``YYYY-MM-DDTHH:MM:SSZ``; a bare date is its
    midnight UTC (as in the reports: ``from`` inclusive, ``to`` exclusive)."""
    if text is None or text == "":
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise InputError(f"{field}: not a date (YYYY-MM-DD) or a time: {text!r}",
                         detail={"field": field}) from exc
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def search_people(store: GraphStore, *, q: str | None = None, label: str = "Person",
                  offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """People whose id, name or an alias contains ``q`` (case-insensitive), by id."""
    if label not in PERSON_LABELS:
        raise InputError(f"label must be one of {', '.join(PERSON_LABELS)}", detail={"field": "label"})
    needle = q.strip().lower() if q and q.strip() else None
    return page(store, "api/people_search", {"q": needle, "label": label}, offset, limit)


def get_person(store: GraphStore, person_id: str, *, messages: int = 50) -> dict[str, Any]:
    """A person with accounts, postings, memberships, findings and their first messages."""
    rows = store.read(load_query("api/person"), {"id": person_id})
    if not rows:
        raise NotFoundError(f"no person with id {person_id!r}", detail={"id": person_id})
    row = rows[0]
    params = {"id": person_id}
    return {
        "id": person_id,
        "labels": row["node"]["labels"],
        "properties": row["node"]["properties"],
        "counts": {"sent": row["sent"], "exposed": row["exposed"], "findings": row["findings"]},
        "accounts": store.read(load_query("api/person_accounts"), params),
        "units": store.read(load_query("api/person_units"), params),
        "groups": store.read(load_query("api/person_groups"), params),
        "findings": store.read(load_query("api/person_findings"), params),
        "messages": page(store, "api/person_messages", params, 0, messages),
    }


def list_groups(store: GraphStore, *, offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """Groups by id with member, message and flagged-message counts."""
    return page(store, "api/groups_list", {}, offset, limit)


def get_group(store: GraphStore, group_id: str) -> dict[str, Any]:
    """A group with its members (one row per interval) and flagged messages per category."""
    rows = store.read(load_query("api/group"), {"id": group_id})
    if not rows:
        raise NotFoundError(f"no group with id {group_id!r}", detail={"id": group_id})
    row = rows[0]
    params = {"id": group_id}
    return {
        "id": group_id,
        "labels": row["node"]["labels"],
        "properties": row["node"]["properties"],
        "messages": row["messages"],
        "first_message_at": row["first"],
        "last_message_at": row["last"],
        "members": store.read(load_query("api/group_members"), params),
        "categories": store.read(load_query("api/group_categories"), params),
    }


def group_messages(store: GraphStore, group_id: str, *, date_from: str | None = None,
                   date_to: str | None = None, sender: str | None = None,
                   category: str | None = None, kind: str | None = None,
                   offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """Messages of a group, oldest first, filtered by time (from inclusive, to exclusive),
    sender (Person id), category (Category id) and kind."""
    if not store.read(load_query("api/group"), {"id": group_id}):
        raise NotFoundError(f"no group with id {group_id!r}", detail={"id": group_id})
    if kind is not None and kind not in MESSAGE_KINDS:
        raise InputError(f"kind must be one of {', '.join(MESSAGE_KINDS)}", detail={"field": "kind"})
    params = {
        "id": group_id,
        "date_from": time_bound(date_from, field="from"),
        "date_to": time_bound(date_to, field="to"),
        "sender": sender or None,
        "category": category or None,
        "kind": kind,
    }
    return page(store, "api/group_messages", params, offset, limit)


def get_investigation(store: GraphStore, investigation_id: str) -> dict[str, Any]:
    """An investigation with its findings (and the messages they cite), its recommendations
    with the responses to them, and the documents reporting on it."""
    rows = store.read(load_query("api/investigation"), {"id": investigation_id})
    if not rows:
        raise NotFoundError(f"no investigation with id {investigation_id!r}",
                            detail={"id": investigation_id})
    row = rows[0]
    params = {"id": investigation_id}
    return {
        "id": investigation_id,
        "properties": row["node"]["properties"],
        "conducted_by": [o for o in row["conducted_by"] if o.get("id")],
        "examined": [x for x in row["examined"] if x.get("id")],
        "findings": store.read(load_query("api/investigation_findings"), params),
        "recommendations": store.read(load_query("api/investigation_recommendations"), params),
        "documents": store.read(load_query("api/investigation_documents"), params),
    }


def list_recommendations(store: GraphStore, *, status: str | None = None, offset: int = 0,
                         limit: int = 50) -> dict[str, Any]:
    """Recommendations by investigation and number, optionally only those of ``status``."""
    return page(store, "api/recommendations", {"status": status or None}, offset, limit)
