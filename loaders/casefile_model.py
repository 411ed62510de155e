"""The ``case.yaml`` model, validated with pydantic.

Ids inside a case file are short (``officer-a``, ``mps``); the graph prefixes them
by kind (``person:officer-a``, ``org:mps``). References between sections are
checked after the model validates (:func:`cross_check`), and every error names
the file and the field path, e.g. ``people[3].handles``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Platform = Literal["whatsapp", "facebook", "telegram", "signal", "sms", "other"]
SourceFormat = Literal["whatsapp", "messenger", "telegram"]

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class CaseInfo(Strict):
    id: str = Field(pattern=_ID)
    name: str
    description: str = ""
    content_warning: str | None = None


class Category(Strict):
    id: str = Field(pattern=_ID)
    name: str
    description: str | None = None


class Organisation(Strict):
    id: str = Field(pattern=_ID)
    name: str
    kind: str | None = None


class Unit(Strict):
    id: str = Field(pattern=_ID)
    name: str
    kind: str | None = None
    part_of: str | None = Field(None, description="Unit or organisation id")
    disbanded_at: date | None = None
    illustrative: bool = False


class Posting(Strict):
    unit: str
    from_: date | None = Field(None, alias="from")
    to: date | None = None
    role: str | None = None
    illustrative: bool = False


class Person(Strict):
    id: str = Field(pattern=_ID)
    name: str
    officer: bool = False
    rank: str | None = None
    status: str | None = None
    role: str | None = None
    aliases: list[str] = []
    handles: dict[Platform, list[str]] = {}
    postings: list[Posting] = []
    illustrative: bool = False

    @field_validator("handles")
    @classmethod
    def _handles_not_empty(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for platform, names in v.items():
            if any(not n.strip() for n in names):
                raise ValueError(f"an empty handle for {platform}")
        return v


class Group(Strict):
    id: str = Field(pattern=_ID)
    name: str
    platform: Platform
    illustrative: bool = False


def _aware(v: datetime | None) -> datetime | None:
    if v is not None and v.tzinfo is None:
        raise ValueError("a time needs its zone, e.g. 2017-03-01T09:00:00Z")
    if v is not None:
        try:
            v.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError("out of range once converted to UTC") from exc
    return v


class Membership(Strict):
    person: str
    group: str
    from_: datetime = Field(alias="from")
    to: datetime | None = None
    illustrative: bool = False

    _check_from = field_validator("from_", "to")(_aware)


class SourceFile(Strict):
    path: str
    format: SourceFormat
    group: str | None = Field(None, description="Group id; defaults to the export's own title")
    timezone: str | None = None
    device_owner: str | None = None
    date_order: Literal["dmy", "mdy", "ymd"] | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str | None) -> str | None:
        if v is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(v)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown time zone {v!r}") from exc
        return v


class Message(Strict):
    """A message known from a document (quoted in reporting) rather than an export."""

    id: str = Field(pattern=_ID)
    group: str
    sender: str | None = None
    sent_at: datetime
    text: str
    kind: Literal["text", "media", "deleted", "system"] = "text"
    categories: list[str] = []
    illustrative: bool = False

    _check_at = field_validator("sent_at")(_aware)


class Investigation(Strict):
    id: str = Field(pattern=_ID)
    name: str
    conducted_by: str
    period_from: date | None = None
    period_to: date | None = None
    published_at: date | None = None
    examined: list[str] = []


class Finding(Strict):
    id: str = Field(pattern=_ID)
    summary: str
    outcome: str | None = None
    concerns: list[str] = []
    cites: list[str] = []
    about: list[str] = []
    illustrative: bool = False


class Response(Strict):
    by: str
    accepted: bool
    at: date | None = None
    commitment: str | None = None


class Recommendation(Strict):
    number: int = Field(ge=1)
    text: str | None = None
    status: str | None = None
    addressed_to: list[str] = []
    addresses: list[str] = []
    response: Response | None = None
    illustrative: bool = False


class Document(Strict):
    id: str = Field(pattern=_ID)
    title: str
    publisher: str | None = None
    published_at: date | None = None
    url: str | None = None
    reports_on: list[str] = []
    quotes: list[str] = []


class Case(Strict):
    case: CaseInfo
    categories: list[Category] = []
    organisations: list[Organisation] = []
    units: list[Unit] = []
    people: list[Person] = []
    groups: list[Group] = []
    memberships: list[Membership] = []
    sources: list[SourceFile] = []
    messages: list[Message] = []
    codings: str | None = Field(None, description="Path of the analyst codings CSV")
    investigation: Investigation | None = None
    findings: list[Finding] = []
    recommendations: list[Recommendation] = []
    documents: list[Document] = []


def cross_check(case: Case) -> list[tuple[str, str]]:
    """References that name nothing, and duplicate ids: ``[(field path, message)]``."""
    errors: list[tuple[str, str]] = []

    def unique(section: str, items: list[Any], key: str = "id") -> set[Any]:
        seen: set[Any] = set()
        for i, item in enumerate(items):
            value = getattr(item, key)
            if value in seen:
                errors.append((f"{section}[{i}].{key}", f"duplicate {key} {value!r}"))
            seen.add(value)
        return seen

    people = unique("people", case.people)
    orgs = unique("organisations", case.organisations)
    units = unique("units", case.units)
    groups = unique("groups", case.groups)
    messages = unique("messages", case.messages)
    unique("findings", case.findings)
    unique("documents", case.documents)
    unique("recommendations", case.recommendations, "number")
    declared_categories = unique("categories", case.categories)

    def check(path: str, value: str | None, allowed: set[str], what: str) -> None:
        if value is not None and value not in allowed:
            errors.append((path, f"no {what} with id {value!r}"))

    for i, u in enumerate(case.units):
        check(f"units[{i}].part_of", u.part_of, units | orgs, "unit or organisation")
    for i, p in enumerate(case.people):
        for j, post in enumerate(p.postings):
            check(f"people[{i}].postings[{j}].unit", post.unit, units, "unit")
    for i, m in enumerate(case.memberships):
        check(f"memberships[{i}].person", m.person, people, "person")
        check(f"memberships[{i}].group", m.group, groups, "group")
        if m.to is not None and m.to <= m.from_:
            errors.append((f"memberships[{i}].to", "must be after `from`"))
    for i, s in enumerate(case.sources):
        check(f"sources[{i}].group", s.group, groups, "group")
        check(f"sources[{i}].device_owner", s.device_owner, people, "person")
    for i, msg in enumerate(case.messages):
        check(f"messages[{i}].group", msg.group, groups, "group")
        check(f"messages[{i}].sender", msg.sender, people, "person")
    inv = case.investigation
    if inv is not None:
        check("investigation.conducted_by", inv.conducted_by, orgs, "organisation")
        for j, e in enumerate(inv.examined):
            check(f"investigation.examined[{j}]", e, groups | units, "group or unit")
    elif case.findings or case.recommendations:
        errors.append(("investigation", "findings and recommendations need an investigation"))
    for i, f in enumerate(case.findings):
        for j, c in enumerate(f.concerns):
            check(f"findings[{i}].concerns[{j}]", c, people | units | orgs, "person, unit or org")
        for j, c in enumerate(f.cites):
            check(f"findings[{i}].cites[{j}]", c, messages, "message")
    for i, r in enumerate(case.recommendations):
        for j, o in enumerate(r.addressed_to):
            check(f"recommendations[{i}].addressed_to[{j}]", o, orgs, "organisation")
        if r.response is not None:
            check(f"recommendations[{i}].response.by", r.response.by, orgs, "organisation")
    for i, d in enumerate(case.documents):
        for j, q in enumerate(d.quotes):
            check(f"documents[{i}].quotes[{j}]", q, messages, "message")
        for j, inv_id in enumerate(d.reports_on):
            check(f"documents[{i}].reports_on[{j}]", inv_id,
                  {inv.id} if inv else set(), "investigation")
    _ = declared_categories
    return errors
