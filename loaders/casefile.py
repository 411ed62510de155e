"""Read a case folder (``case.yaml``) and turn it into graph records.

:func:`read_case` validates everything, including that every export it names
exists and is readable, before a single record is yielded, so a bad case file
writes nothing. :func:`case_records` yields the case's own nodes and
relationships; the chat exports it lists are parsed by their own loaders.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from conductgraph.graph.errors import CaseFileError
from conductgraph.graph.records import Node, Rel
from conductgraph.graph.taxonomy import load_taxonomy
from conductgraph.graph.yaml_text import parse_yaml

from . import casefile_model as m
from .identity import account_id, message_id, person_id, utc_text

CASE_FILE = "case.yaml"


@dataclass
class CaseFolder:
    """A validated case: its model, folder and resolved paths."""

    model: m.Case
    folder: Path
    path: Path
    taxonomy: list[dict[str, Any]]
    _handle_maps: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    def source_path(self, source: m.SourceFile) -> Path:
        return (self.folder / source.path).resolve()

    @property
    def codings_path(self) -> Path | None:
        return (self.folder / self.model.codings).resolve() if self.model.codings else None

    def handle_map(self, platform: str) -> dict[str, str]:
        """Handle as an export shows it → person id, for one platform (messenger → facebook).

        Built once per platform (a case of 2,000 people and 100 exports asks 100 times);
        a copy each time, so a caller may change its own."""
        platform = platform_of(platform)
        built = self._handle_maps.get(platform)
        if built is None:
            built = self._handle_maps[platform] = {
                handle: person_id(p.id) for p in self.model.people
                for handle in p.handles.get(platform, [])}  # type: ignore[call-overload]
        return dict(built)


def platform_of(fmt: str) -> str:
    """The platform a source format belongs to."""
    return {"messenger": "facebook"}.get(fmt, fmt)


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = str(part).removesuffix("_") if str(part) == "from_" else str(part)
            out += ("." if out else "") + name
    return out


def _fail(path: Path, problems: list[tuple[str, str]]) -> CaseFileError:
    detail = [{"file": str(path), "field": f, "message": msg} for f, msg in problems]
    first_field, first_msg = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return CaseFileError(f"{path}: {first_field}: {first_msg}{more}", detail=detail)


def read_case(folder: Path) -> CaseFolder:
    """Validate ``folder/case.yaml`` and what it names; raise :class:`CaseFileError` if bad."""
    folder = folder.resolve()
    path = folder / CASE_FILE if folder.is_dir() else folder
    folder = path.parent
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(path, [("", f"cannot read: {exc.strerror}")]) from exc
    except UnicodeDecodeError as exc:
        raise _fail(path, [("", f"not UTF-8 text: {exc}")]) from exc
    except RecursionError as exc:
        raise _fail(path, [("", "nested too deeply to be a case file")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise _fail(path, [(where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from exc
    if not isinstance(raw, dict):
        raise _fail(path, [("", "must be a mapping with at least `case:`")])
    try:
        model = m.Case.model_validate(raw)
    except ValidationError as exc:
        raise _fail(path, [(_loc(e["loc"]), e["msg"]) for e in exc.errors()]) from exc
    problems = m.cross_check(model)
    taxonomy_file = folder / "categories.yaml"
    taxonomy = load_taxonomy(taxonomy_file if taxonomy_file.exists() else None)
    known = {c["id"] for c in taxonomy} | {c.id for c in model.categories}
    for i, msg in enumerate(model.messages):
        problems += [(f"messages[{i}].categories[{j}]", f"unknown category {c!r}")
                     for j, c in enumerate(msg.categories) if c not in known]
    for i, f in enumerate(model.findings):
        problems += [(f"findings[{i}].about[{j}]", f"unknown category {c!r}")
                     for j, c in enumerate(f.about) if c not in known]
    for i, r in enumerate(model.recommendations):
        problems += [(f"recommendations[{i}].addresses[{j}]", f"unknown category {c!r}")
                     for j, c in enumerate(r.addresses) if c not in known]
    case = CaseFolder(model=model, folder=folder, path=path, taxonomy=taxonomy)
    for i, s in enumerate(model.sources):
        p = case.source_path(s)
        if not p.is_file():
            problems.append((f"sources[{i}].path", f"no such file: {p}"))
        elif not os.access(p, os.R_OK):
            problems.append((f"sources[{i}].path", f"not readable: {p}"))
    if model.codings and not (folder / model.codings).is_file():
        problems.append(("codings", f"no such file: {folder / model.codings}"))
    if problems:
        raise _fail(path, problems)
    return case


def _d(v: date | None) -> str | None:
    return v.isoformat() if v is not None else None


def _t(v: datetime | None) -> str | None:
    return utc_text(v) if v is not None else None


def org_id(key: str) -> str:
    return f"org:{key}"


def unit_id(key: str) -> str:
    return f"unit:{key}"


def group_id(key: str) -> str:
    return f"group:{key}"


def _illustrative(flag: bool) -> bool | None:
    return True if flag else None


def declared_message_id(case: m.Case, msg: m.Message) -> str:
    """A declared message gets the id an export of it would, so the two merge."""
    sender = person_id(msg.sender) if msg.sender else "system"
    content = msg.text if msg.kind == "text" else msg.kind
    return message_id(group_id(msg.group), sender, utc_text(msg.sent_at), content, 0)


def case_records(case: CaseFolder, source: str) -> Iterator[Node | Rel]:
    """Every node and relationship the case file itself declares."""
    c = case.model
    ref_kind: dict[str, tuple[str, str]] = {}
    for o in c.organisations:
        ref_kind[o.id] = ("Organisation", org_id(o.id))
    for u in c.units:
        ref_kind[u.id] = ("Unit", unit_id(u.id))
    for p in c.people:
        ref_kind[p.id] = ("Person", person_id(p.id))
    for g in c.groups:
        ref_kind[g.id] = ("Group", group_id(g.id))

    declared = {x.id: x for x in c.categories}
    for t in case.taxonomy:
        x = declared.get(t["id"])
        yield Node("Category", t["id"], {
            "name": x.name if x else t.get("name", t["id"]),
            "description": (x.description if x else None) or t.get("description"),
        }, source=source)
    for x in c.categories:
        if x.id not in {t["id"] for t in case.taxonomy}:
            yield Node("Category", x.id, {"name": x.name, "description": x.description},
                       source=source)
    for o in c.organisations:
        yield Node("Organisation", org_id(o.id), {"name": o.name, "kind": o.kind}, source=source)
    for u in c.units:
        yield Node("Unit", unit_id(u.id), {"name": u.name, "kind": u.kind,
                                           "disbanded_at": _d(u.disbanded_at),
                                           "illustrative": _illustrative(u.illustrative)},
                   source=source)
    for u in c.units:
        if u.part_of:
            label, target = ref_kind[u.part_of]
            yield Rel("PART_OF", "Unit", unit_id(u.id), label, target)
    for p in c.people:
        pid = person_id(p.id)
        handles = [h for hs in p.handles.values() for h in hs]
        yield Node("Officer" if p.officer else "Person", pid, {
            "name": p.name, "aliases": sorted(set(p.aliases) | set(handles)) or None,
            "resolved": True, "rank": p.rank, "status": p.status, "role": p.role,
            "illustrative": _illustrative(p.illustrative),
        }, source=source)
        for platform, hs in p.handles.items():
            for h in hs:
                yield Node("Account", account_id(platform, h), {"platform": platform, "handle": h},
                           source=source)
                yield Rel("HAS_ACCOUNT", "Person", pid, "Account", account_id(platform, h),
                          {"source": source})
        for post in p.postings:
            yield Rel("SERVED_IN", "Person", pid, "Unit", unit_id(post.unit), {
                "from": _d(post.from_), "to": _d(post.to), "role": post.role,
                "illustrative": _illustrative(post.illustrative)})
    for g in c.groups:
        yield Node("Group", group_id(g.id), {"name": g.name, "platform": g.platform,
                                             "illustrative": _illustrative(g.illustrative)},
                   source=source)
    for ms in c.memberships:
        yield Rel("MEMBER_OF", "Person", person_id(ms.person), "Group", group_id(ms.group), {
            "from": utc_text(ms.from_), "to": _t(ms.to), "evidence": "declared",
            "source": source, "illustrative": _illustrative(ms.illustrative)})
    groups = {g.id: g for g in c.groups}
    people = {p.id: p for p in c.people}
    msg_ids: dict[str, str] = {}
    for msg in c.messages:
        mid = declared_message_id(c, msg)
        msg_ids[msg.id] = mid
        sender = people.get(msg.sender) if msg.sender else None
        yield Node("Message", mid, once={
            "sent_at": utc_text(msg.sent_at), "precise": False, "text": msg.text,
            "kind": msg.kind, "platform": groups[msg.group].platform,
            "sender_handle": sender.name if sender else None, "source": source,
            "illustrative": _illustrative(msg.illustrative)}, source=source)
        yield Rel("POSTED_IN", "Message", mid, "Group", group_id(msg.group))
        if msg.sender:
            yield Rel("SENT", "Person", person_id(msg.sender), "Message", mid)
        for category in msg.categories:
            yield Rel("FLAGGED_AS", "Message", mid, "Category", category, {
                "method": "analyst", "coder": "case file", "reviewed": True, "source": source})
    inv = c.investigation
    if inv is None:
        return
    iid = f"inv:{inv.id}"
    yield Node("Investigation", iid, {"name": inv.name, "period_from": _d(inv.period_from),
                                      "period_to": _d(inv.period_to),
                                      "published_at": _d(inv.published_at)}, source=source)
    yield Rel("CONDUCTED", "Organisation", org_id(inv.conducted_by), "Investigation", iid)
    for e in inv.examined:
        label, target = ref_kind[e]
        yield Rel("EXAMINED", "Investigation", iid, label, target)
    for f in c.findings:
        fid = f"finding:{f.id}"
        yield Node("Finding", fid, {"summary": f.summary, "outcome": f.outcome,
                                    "illustrative": _illustrative(f.illustrative)}, source=source)
        yield Rel("FOUND", "Investigation", iid, "Finding", fid)
        for ref in f.concerns:
            label, target = ref_kind[ref]
            yield Rel("CONCERNS", "Finding", fid, label, target)
        for cited in f.cites:
            yield Rel("CITES", "Finding", fid, "Message", msg_ids[cited])
        for category in f.about:
            yield Rel("ABOUT", "Finding", fid, "Category", category)
    for r in c.recommendations:
        rid = f"rec:{inv.id}:{r.number}"
        yield Node("Recommendation", rid, {"number": r.number, "text": r.text,
                                           "status": r.status,
                                           "illustrative": _illustrative(r.illustrative)},
                   source=source)
        yield Rel("MADE", "Investigation", iid, "Recommendation", rid)
        for org in r.addressed_to:
            yield Rel("ADDRESSED_TO", "Recommendation", rid, "Organisation", org_id(org))
        for category in r.addresses:
            yield Rel("ADDRESSES", "Recommendation", rid, "Category", category)
        if r.response:
            yield Rel("RESPONDED", "Organisation", org_id(r.response.by), "Recommendation", rid,
                      {"accepted": r.response.accepted, "at": _d(r.response.at),
                       "commitment": r.response.commitment})
    for d in c.documents:
        did = f"doc:{d.id}"
        yield Node("Document", did, {"title": d.title, "publisher": d.publisher,
                                     "published_at": _d(d.published_at), "url": d.url},
                   source=source)
        for _ in d.reports_on:
            yield Rel("REPORTS_ON", "Document", did, "Investigation", iid)
        for q in d.quotes:
            yield Rel("QUOTES", "Document", did, "Message", msg_ids[q])
