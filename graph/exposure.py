"""Who saw what: exposure per person and per message, and the derived ``EXPOSED_TO``.

Definitions (DESIGN.md): a person was exposed to a message posted in a group when
they are not its sender and its time lies inside one of their ``MEMBER_OF``
intervals for that group (from inclusive, to exclusive, to = null still a member;
the union of all intervals whatever their evidence). "Flagged" means flagged as
any category by any method; exposure is derived for every flagged or cited message.

Per person the report gives: ``messages_seen`` (every non-system message posted
by others while a member), ``flagged_seen`` per category, ``first_exposure`` /
``last_exposure`` (flagged or cited messages), ``senders_seen`` (distinct senders of
the flagged or cited messages seen), ``groups`` (through which they saw them), and
a ``role`` per category: ``sender`` (sent a message flagged so), ``bystander`` (saw
one, sent none) or ``unexposed``.

The join itself is :mod:`.exposure_join`: per group, sorted times and bisect.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from . import analysis_reads as reads
from .analysis_reads import Window, epoch
from .errors import InputError
from .exposure_join import Flagged, GroupMessages, Interval, audiences
from .provenance import provenance
from .queries import load_query
from .records import Rel
from .store import GraphStore
from .writer import MissingEndError, RecordWriter

ROLES = ("sender", "bystander", "unexposed")
REPORT_VERSION = 1


@dataclass
class ExposureData:
    """What the join needs, read once from the store for one window."""

    window: Window
    groups: dict[str, GroupMessages] = field(default_factory=dict)
    members: dict[str, dict[str, list[Interval]]] = field(default_factory=dict)  # group → person →
    flagged: list[Flagged] = field(default_factory=list)
    sent_flagged: dict[str, dict[str, int]] = field(default_factory=dict)  # person → category → n


def read_exposure_data(store: GraphStore, window: Window, category: str | None = None,
                       page: int = reads.PAGE) -> ExposureData:
    """Read per group the message times (aggregated per sender by the engine), the flagged and
    cited messages (paged) and the memberships into :class:`ExposureData`."""
    data = ExposureData(window)
    for g in reads.groups(store):
        if not window.has_group(g["id"]):
            continue
        timeline = data.groups[g["id"]] = GroupMessages()
        for sender, times in reads.group_message_times(store, g["id"], window):
            for at in times:
                timeline.add(epoch(at), sender)
    rows: dict[str, dict[str, Any]] = {}
    for r in reads.flagged(store, page):
        cats = [category] if category is not None and category in r["categories"] else (
            [] if category is not None else sorted(r["categories"]))
        if cats:
            rows[r["id"]] = {**r, "categories": cats, "findings": []}
    for mid, r in reads.cited(store).items():
        if mid in rows:
            rows[mid]["findings"] = r["findings"]
        elif category is None:  # cited but not flagged: exposure without a category
            rows[mid] = {**r, "categories": []}
    sent: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for mid, r in sorted(rows.items()):
        if (r["group"] is None or not r["sent_at"] or r["kind"] == "system"
                or not window.has_group(r["group"]) or not window.has_time(r["sent_at"])):
            continue
        data.flagged.append(Flagged(mid, r["group"], epoch(r["sent_at"]), r["sent_at"], r["sender"],
                                    tuple(r["categories"]), tuple(r["findings"])))
        if r["sender"] is not None:
            for c in r["categories"]:
                sent[r["sender"]][c] += 1
    data.sent_flagged = {p: dict(c) for p, c in sent.items()}
    data.members = reads.member_intervals(store, window)
    return data


@dataclass
class PersonExposure:
    messages_seen: int = 0
    flagged_seen: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    flagged_seen_total: int = 0
    cited_seen: int = 0
    first: str | None = None
    last: str | None = None
    senders: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)


def join(data: ExposureData) -> tuple[dict[str, PersonExposure], dict[str, list[str]]]:
    """Per-person exposure and per-message audience, by the per-group interval join."""
    per_person: dict[str, PersonExposure] = defaultdict(PersonExposure)
    for gid, members in data.members.items():
        msgs = data.groups.get(gid)
        if msgs is None:
            continue
        for person, intervals in members.items():
            per_person[person].messages_seen += msgs.seen_by(person, intervals)
    by_group: dict[str, list[Flagged]] = defaultdict(list)
    for f in data.flagged:
        by_group[f.group].append(f)
    audience: dict[str, list[str]] = {}
    for gid, msgs_of_group in by_group.items():
        audience.update(audiences(msgs_of_group, data.members.get(gid, {})))
    for f in data.flagged:
        for person in audience[f.id]:
            pe = per_person[person]
            for c in f.categories:
                pe.flagged_seen[c] += 1
            pe.flagged_seen_total += bool(f.categories)
            pe.cited_seen += bool(f.cited_by)
            pe.first = f.sent_at if pe.first is None or f.sent_at < pe.first else pe.first
            pe.last = f.sent_at if pe.last is None or f.sent_at > pe.last else pe.last
            if f.sender is not None:
                pe.senders.add(f.sender)
            pe.groups.add(f.group)
    return per_person, audience


def role(sent: int, seen: int) -> str:
    """``sender`` if they sent any, else ``bystander`` if they saw any, else ``unexposed``."""
    return "sender" if sent else "bystander" if seen else "unexposed"


def exposure_report(store: GraphStore, *, group: str | None = None, date_from: Any = None,
                    date_to: Any = None, category: str | None = None) -> dict[str, Any]:
    """The exposure report as a JSON-ready dict (documented in docs/reports.md).

    ``group`` is a group id (``wa-team`` or ``group:wa-team``); ``date_from`` /
    ``date_to`` bound message times (a date is its midnight UTC; to is exclusive);
    ``category`` restricts flagged content to one category.
    """
    window = Window.of(group, date_from, date_to)
    groups = reads.check_group(store, window)
    cats = reads.categories(store)
    if category is not None and category not in {c["id"] for c in cats}:
        known = ", ".join(c["id"] for c in cats)
        raise InputError(f"no category {category!r} (known: {known})", detail={"field": "category"})
    cat_ids = [category] if category else [c["id"] for c in cats]
    data = read_exposure_data(store, window, category)
    per_person, audience = join(data)
    people = []
    for p in reads.people(store):
        pe = per_person.get(p["id"], PersonExposure())
        sent = data.sent_flagged.get(p["id"], {})
        seen = {c: pe.flagged_seen.get(c, 0) for c in cat_ids}
        people.append({
            "id": p["id"], "name": p["name"], "officer": p["officer"], "rank": p["rank"],
            "messages_seen": pe.messages_seen,
            "flagged_seen": seen,
            "flagged_seen_total": pe.flagged_seen_total,
            "cited_seen": pe.cited_seen,
            "flagged_sent": {c: sent.get(c, 0) for c in cat_ids},
            "first_exposure": pe.first, "last_exposure": pe.last,
            "senders_seen": sorted(pe.senders),
            "groups": sorted(pe.groups),
            "roles": {c: role(sent.get(c, 0), seen[c]) for c in cat_ids},
        })
    messages = [{
        "id": f.id, "group": f.group, "sent_at": f.sent_at, "sender": f.sender,
        "categories": list(f.categories), "cited_by": list(f.cited_by),
        "audience": audience[f.id], "audience_size": len(audience[f.id]),
    } for f in sorted(data.flagged, key=lambda f: (f.sent_at, f.id))]
    return {
        "report": "exposure",
        "version": REPORT_VERSION,
        "provenance": provenance(store, {**window.settings(), "category": category}),
        "categories": [c for c in cats if c["id"] in cat_ids],
        "groups": [g for g in groups if window.has_group(g["id"])],
        "people": people,
        "messages": messages,
        "summary": {
            "people": len(people),
            "flagged_messages": len(messages),
            "exposures": sum(m["audience_size"] for m in messages),
            "roles": {c: {r: sum(1 for p in people if p["roles"][c] == r) for r in ROLES}
                      for c in cat_ids},
        },
    }


@dataclass
class DeriveReport:
    exposures: int = 0
    written: int = 0
    deleted: int = 0
    unchanged: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"exposures": self.exposures, "written": self.written, "deleted": self.deleted,
                "unchanged": self.unchanged}


def derive_exposure(store: GraphStore, *, batch_size: int = 5000,
                    page: int = reads.PAGE) -> DeriveReport:
    """(Re)derive ``EXPOSED_TO`` for every flagged or cited message; idempotent.

    Computes the exact set, reads what the graph holds (paged by person), deletes
    the relationships no longer in the set (a membership or a flag changed) and
    MERGEs the missing or changed ones; running it twice writes nothing the second time.
    """
    data = read_exposure_data(store, Window(), page=page)
    _, audience = join(data)
    want: dict[str, dict[str, str]] = defaultdict(dict)  # person → message → at
    group_of = {f.id: f.group for f in data.flagged}
    for f in data.flagged:
        for person in audience[f.id]:
            want[person][f.id] = f.sent_at
    report = DeriveReport(exposures=sum(len(v) for v in want.values()))
    stale: list[dict[str, str]] = []
    have: dict[str, dict[str, str]] = {}
    # A message is posted in one group, so (message, at) says all a relationship holds.
    for row in reads.paged(store, "analysis/exposures_page", "person", page=500):
        have[row["person"]] = dict(x.split(" ", 1) for x in row["exposures"] if x)
    for person, held in have.items():
        wanted = want.get(person, {})
        stale += [{"person": person, "message": m} for m in held if m not in wanted]
    delete = load_query("derive/delete_exposed_to")
    for i in range(0, len(stale), batch_size):
        result = store.write(delete, {"rows": stale[i:i + batch_size]})
        report.deleted += int(result[0]["deleted"]) if result else 0
    create = load_query("derive/create_exposed_to")
    missing: list[dict[str, str]] = []

    def create_missing() -> None:
        result = store.write(create, {"rows": missing})
        written = int(result[0]["written"]) if result else 0
        if written != len(missing):
            raise MissingEndError(f"{len(missing) - written} exposures name a person or message "
                                  "that does not exist", detail={"sample": missing[:3]})
        missing.clear()

    # Rows are built from ids and times just read from the graph: skip re-validating each.
    with RecordWriter(store, batch_size=batch_size, validate=False) as writer:
        for person, wanted in want.items():
            held = have.get(person, {})
            for message, at in wanted.items():
                old = held.get(message)
                if old == at:
                    report.unchanged += 1
                    continue
                report.written += 1
                if old is None:  # not held at all: create (the common case, and cheap)
                    missing.append({"person": person, "message": message,
                                    "group": group_of[message], "at": at})
                    if len(missing) >= batch_size:
                        create_missing()
                else:  # held with another time: update in place
                    writer.add(Rel("EXPOSED_TO", "Person", person, "Message", message,
                                   {"group": group_of[message], "at": at}))
        if missing:
            create_missing()
    return report
