"""The graph schema, declared once.

Labels, relationship types, their properties and id rules live here and nowhere
else. From this declaration come the DDL of each backend
(``cypher/schema/*.cypher``), the write queries (``cypher/write/*.cypher``),
the validation of every record a loader yields (:func:`validate_node`,
:func:`validate_rel`) and ``docs/schema.md``. ``python -m
conductgraph.graph.schema_files`` regenerates the files; a test fails when they
drift from this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .errors import InputError

# Times are ISO-8601 UTC strings so they sort and compare as text on both engines.
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "time": (str,),
    "date": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "list[string]": (list,),
}


@dataclass(frozen=True)
class Prop:
    name: str
    type: str
    doc: str
    required: bool = False


@dataclass(frozen=True)
class NodeSpec:
    label: str
    doc: str
    props: tuple[Prop, ...]
    id_rule: str
    # Extra labels a node of this label may also carry (Person + Officer).
    sublabels: tuple[str, ...] = ()
    indexed: tuple[str, ...] = ()

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)


@dataclass(frozen=True)
class RelSpec:
    type: str
    start: tuple[str, ...]
    end: tuple[str, ...]
    doc: str
    props: tuple[Prop, ...] = ()
    # Properties that, with the two ends, identify one relationship (MERGE key).
    key: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # MERGE cannot match on null, so every key property is required.
        for k in self.key:
            prop = self.prop(k)
            assert prop is not None and prop.required, f"{self.type}.{k} must be required"

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)


def _p(name: str, type_: str, doc: str, required: bool = False) -> Prop:
    return Prop(name, type_, doc, required)


ID = _p("id", "string", "Stable id; loading the same input twice gives the same id.", True)
SOURCES = _p("sources", "list[string]", "Ids of every Source this record was read from.")
ILLUSTRATIVE = _p(
    "illustrative", "bool", "True when the value is invented for the sample, not public fact."
)

NODES: tuple[NodeSpec, ...] = (
    NodeSpec(
        "Person",
        "A human being. Police officers also carry the label `Officer`.",
        (
            ID,
            _p("name", "string", "Name or pseudonym as the case file gives it."),
            _p("aliases", "list[string]", "Other names and chat handles."),
            _p("resolved", "bool", "False when only a chat handle is known."),
            _p("rank", "string", "Officer only: rank (PC, DS, …)."),
            _p("status", "string", "Officer only: serving, dismissed, resigned, …"),
            _p("role", "string", "What the person is in the case (regional director, …)."),
            ILLUSTRATIVE,
            SOURCES,
        ),
        "`person:<slug>` from the case file; `person:<platform>:<handle>` for an unmapped handle.",
        sublabels=("Officer",),
        indexed=("name",),
    ),
    NodeSpec(
        "Account",
        "A name as it appears in one export: a contact name or a phone number.",
        (
            ID,
            _p("platform", "string", "whatsapp, facebook, telegram, …", True),
            _p("handle", "string", "The name exactly as the export shows it.", True),
            SOURCES,
        ),
        "`<platform>:<handle>`",
        indexed=("handle",),
    ),
    NodeSpec(
        "Organisation",
        "A police force, a watchdog, a publisher, …",
        (
            ID,
            _p("name", "string", "Name.", True),
            _p("kind", "string", "police_force, watchdog, publisher, …"),
            SOURCES,
        ),
        "`org:<slug>`",
    ),
    NodeSpec(
        "Unit",
        "A station, team or other unit of an organisation.",
        (
            ID,
            _p("name", "string", "Name.", True),
            _p("kind", "string", "station, team, …"),
            _p("disbanded_at", "date", "When the unit was disbanded, if it was."),
            ILLUSTRATIVE,
            SOURCES,
        ),
        "`unit:<slug>`",
    ),
    NodeSpec(
        "Group",
        "A chat group or thread.",
        (
            ID,
            _p("name", "string", "Name (subject) of the group.", True),
            _p("platform", "string", "whatsapp, facebook, telegram, …", True),
            ILLUSTRATIVE,
            SOURCES,
        ),
        "`group:<slug>` from the case file, or `group:<platform>:<name>` for a bare export.",
    ),
    NodeSpec(
        "Message",
        "One message as exported; `text` is exact.",
        (
            ID,
            _p("sent_at", "time", "When it was sent (UTC).", True),
            _p("text", "string", "Exact text as exported, placeholders included (a NUL "
               "character, which FalkorDB cannot hold, is stored as U+2400)."),
            _p("kind", "string", "text, media, deleted or system.", True),
            _p("platform", "string", "whatsapp, facebook, telegram, …"),
            _p("sender_handle", "string", "The sender's name as the export shows it."),
            _p("source", "string", "Id of the first Source it was read from."),
            _p("line", "int", "Line (or record number) in that source."),
            _p("edited", "bool", "True when the export marks the message as edited."),
            _p("precise", "bool", "True when `sent_at` has seconds from the export."),
            ILLUSTRATIVE,
            SOURCES,
        ),
        "`msg:` + sha256 of group, sender person, minute, content and the occurrence number of "
        "that key in its export, so one message exported from two phones gets one id.",
        indexed=("sent_at",),
    ),
    NodeSpec(
        "Category",
        "A kind of misconduct content.",
        (
            ID,
            _p("name", "string", "Name.", True),
            _p("description", "string", "What the category covers."),
            SOURCES,
        ),
        "The taxonomy id: racism, misogyny, homophobia, sexual_violence, …",
    ),
    NodeSpec(
        "Investigation",
        "An inquiry.",
        (
            ID,
            _p("name", "string", "Name.", True),
            _p("period_from", "date", "Start of the period examined."),
            _p("period_to", "date", "End of the period examined."),
            _p("published_at", "date", "When its findings were published."),
            SOURCES,
        ),
        "`inv:<slug>`",
    ),
    NodeSpec(
        "Finding",
        "What an investigation found.",
        (
            ID,
            _p("summary", "string", "Summary.", True),
            _p("outcome", "string", "Outcome (misconduct proven, gross misconduct, …)."),
            ILLUSTRATIVE,
            SOURCES,
        ),
        "`finding:<slug>`",
    ),
    NodeSpec(
        "Recommendation",
        "A recommendation an investigation made.",
        (
            ID,
            _p("number", "int", "Its number in the report.", True),
            _p("text", "string", "Text as published; absent when not public."),
            _p("status", "string", "accepted, rejected, pending, implemented, …"),
            ILLUSTRATIVE,
            SOURCES,
        ),
        "`rec:<investigation slug>:<number>`",
    ),
    NodeSpec(
        "Document",
        "A published document: a report, an article, a press release.",
        (
            ID,
            _p("title", "string", "Title.", True),
            _p("publisher", "string", "Publisher."),
            _p("published_at", "date", "Publication date."),
            _p("url", "string", "Where it was published."),
            SOURCES,
        ),
        "`doc:<slug>`",
    ),
    NodeSpec(
        "Source",
        "A file that was loaded.",
        (
            ID,
            _p("path", "string", "Path as given when loaded.", True),
            _p("format", "string", "case, whatsapp, messenger, telegram, codings, …", True),
            _p("loaded_at", "time", "When it was first loaded."),
            _p("bytes", "int", "Size in bytes."),
            _p("records", "int", "Records read from it."),
            _p("rejected", "int", "Lines or records that could not be parsed."),
            _p("device_owner", "string", "Person whose device the export came from."),
            _p("timezone", "string", "Time zone its local times were read in."),
            _p("date_order", "string", "dmy, mdy or ymd, as decided from the data or given."),
        ),
        "`src:` + sha256 of the file's bytes.",
    ),
    NodeSpec(
        "Rejected",
        "A line or record of a source that could not be parsed, kept raw.",
        (
            ID,
            _p("source", "string", "Id of the Source.", True),
            _p("line", "int", "Line or record number.", True),
            _p("raw", "string", "The raw text, exactly as read.", True),
            _p("reason", "string", "Why it was rejected.", True),
        ),
        "`rej:<source sha>:<chat number in the file>:<line>`",
    ),
)

_PERSONS = ("Person",)
RELS: tuple[RelSpec, ...] = (
    RelSpec("HAS_ACCOUNT", _PERSONS, ("Account",), "A person uses this handle.",
            (_p("source", "string", "Source id that established it."),)),
    RelSpec("SERVED_IN", _PERSONS, ("Unit",), "A posting.",
            (_p("from", "date", "Start."), _p("to", "date", "End (null: still)."),
             _p("role", "string", "Role in the unit."), ILLUSTRATIVE)),
    RelSpec("PART_OF", ("Unit",), ("Unit", "Organisation"), "Unit hierarchy."),
    RelSpec("MEMBER_OF", _PERSONS, ("Group",),
            "One relationship per membership interval (from inclusive, to exclusive).",
            (_p("from", "time", "Start (inclusive).", True),
             _p("to", "time", "End (exclusive); null = still a member."),
             _p("evidence", "string", "event, inferred or declared.", True),
             _p("source", "string", "Source id."), ILLUSTRATIVE), key=("from",)),
    RelSpec("SENT", _PERSONS, ("Message",), "Sender of a message."),
    RelSpec("POSTED_IN", ("Message",), ("Group",), "Where a message was posted."),
    RelSpec("REPLY_TO", ("Message",), ("Message",), "A reply."),
    RelSpec("MENTIONS", ("Message",), _PERSONS, "An @mention."),
    RelSpec("REACTED", _PERSONS, ("Message",), "A reaction.",
            (_p("reaction", "string", "The reaction as exported.", True),), key=("reaction",)),
    RelSpec("FLAGGED_AS", ("Message",), ("Category",), "Content coding.",
            (_p("method", "string", "lexicon or analyst.", True),
             _p("terms", "list[string]", "Terms the lexicon matched."),
             _p("coder", "string", "Analyst who coded it."),
             _p("reviewed", "bool", "True once an analyst confirmed it."),
             _p("source", "string", "Source id of the coding.")), key=("method",)),
    RelSpec("EXPOSED_TO", _PERSONS, ("Message",),
            "Derived: the person was a member of the group when the message was posted.",
            (_p("group", "string", "Group id."), _p("at", "time", "When."))),
    RelSpec("CONDUCTED", ("Organisation",), ("Investigation",), "Who investigated."),
    RelSpec("EXAMINED", ("Investigation",), ("Group", "Unit"), "What was examined."),
    RelSpec("FOUND", ("Investigation",), ("Finding",), "A finding."),
    RelSpec("CONCERNS", ("Finding",), ("Person", "Unit", "Organisation"), "Who it is about."),
    RelSpec("CITES", ("Finding",), ("Message",), "Evidence cited."),
    RelSpec("ABOUT", ("Finding",), ("Category",), "Category of conduct."),
    RelSpec("MADE", ("Investigation",), ("Recommendation",), "A recommendation."),
    RelSpec("ADDRESSED_TO", ("Recommendation",), ("Organisation",), "Who should act."),
    RelSpec("ADDRESSES", ("Recommendation",), ("Category",), "Category it addresses."),
    RelSpec("RESPONDED", ("Organisation",), ("Recommendation",), "Response.",
            (_p("accepted", "bool", "Accepted or not."), _p("at", "date", "When."),
             _p("commitment", "string", "What was committed to."))),
    RelSpec("REPORTS_ON", ("Document",), ("Investigation",), "Publication about it."),
    RelSpec("QUOTES", ("Document",), ("Message",), "A message the document quotes."),
    RelSpec("REJECTED_FROM", ("Rejected",), ("Source",), "A rejected line of a source."),
)

NODE_BY_LABEL: dict[str, NodeSpec] = {n.label: n for n in NODES}
REL_BY_TYPE: dict[str, RelSpec] = {r.type: r for r in RELS}
ALL_LABELS: tuple[str, ...] = tuple(
    [n.label for n in NODES] + [s for n in NODES for s in n.sublabels]
)


@cache
def base_label(label: str) -> str:
    """The label a node is merged on: ``Officer`` → ``Person``."""
    for spec in NODES:
        if label == spec.label or label in spec.sublabels:
            return spec.label
    raise InputError(f"unknown label {label!r}", detail={"field": "label"})


# Kinds whose values need no check beyond their exact class (the common case on a load).
_PLAIN_CLASS: dict[str, type] = {"string": str, "date": str, "int": int, "float": float, "bool": bool}

# Keyed by the tuple's identity: hashing a tuple of dataclasses on every record cost more
# than checking the record (the specs' tuples live as long as the module).
_KNOWN: dict[int, tuple[tuple[Prop, ...], dict[str, tuple[str, type | None]], tuple[str, ...]]] = {}


def _known(spec_props: tuple[Prop, ...]) -> tuple[dict[str, tuple[str, type | None]], tuple[str, ...]]:
    """Each property's kind and plain class by name, and the required ones but ``id``."""
    entry = _KNOWN.get(id(spec_props))
    if entry is None or entry[0] is not spec_props:
        entry = _KNOWN[id(spec_props)] = (
            spec_props, {p.name: (p.type, _PLAIN_CLASS.get(p.type)) for p in spec_props},
            tuple(p.name for p in spec_props if p.required and p.name != "id"))
    return entry[1], entry[2]


#: What a record is, for an error message: a name, or (label, id) of a node.
What = str | tuple[str, str]


def _check_props(what: What, spec_props: tuple[Prop, ...], props: dict[str, Any]) -> None:
    # Called for every record of a load: the common case (a known property of its plain
    # class) takes one dict lookup and one class comparison.
    known, required = _known(spec_props)
    for name, value in props.items():
        entry = known.get(name)
        if entry is None:
            raise InputError(f"{_what(what)}: unknown property {name!r}", detail={"field": name})
        if value is None or value.__class__ is entry[1]:
            continue
        if entry[0] == "time" and value.__class__ is str and TIME_RE.match(value):
            continue  # (a message's sent_at, once a message)
        _check_value(what, name, entry[0], value)
    for name in required:
        if props.get(name) is None:
            raise InputError(f"{_what(what)}: property {name!r} is required", detail={"field": name})


def _check_value(what: What, name: str, kind: str, value: Any) -> None:
    if not isinstance(value, PY_TYPES[kind]) or (kind == "int" and isinstance(value, bool)):
        raise InputError(
            f"{_what(what)}: property {name!r} must be {kind}, got {type(value).__name__}",
            detail={"field": name},
        )
    if kind == "time" and not TIME_RE.match(str(value)):
        raise InputError(
            f"{_what(what)}: property {name!r} must be a UTC time YYYY-MM-DDTHH:MM:SSZ, "
            f"got {value!r}",
            detail={"field": name},
        )
    if kind == "list[string]" and not all(isinstance(v, str) for v in value):  # type: ignore[attr-defined]
        raise InputError(f"{_what(what)}: {name!r} must be a list of strings",
                         detail={"field": name})


def _what(what: What) -> str:
    return what if isinstance(what, str) else f"{what[0]} {what[1]!r}"


def validate_node(label: str, node_id: str, props: dict[str, Any]) -> None:
    """Raise :class:`InputError` unless the record fits the schema."""
    spec = NODE_BY_LABEL.get(base_label(label))
    assert spec is not None
    if not isinstance(node_id, str) or not node_id:
        raise InputError(f"{label}: id must be a non-empty string", detail={"field": "id"})
    _check_props((label, node_id), spec.props, props)


def validate_rel_shape(rel_type: str, start_label: str, end_label: str) -> RelSpec:
    """The spec of a relationship type that may go from ``start_label`` to ``end_label``."""
    spec = REL_BY_TYPE.get(rel_type)
    if spec is None:
        raise InputError(f"unknown relationship type {rel_type!r}", detail={"field": "type"})
    if base_label(start_label) not in spec.start or base_label(end_label) not in spec.end:
        raise InputError(
            f"{rel_type} does not go from {start_label} to {end_label}", detail={"field": "type"}
        )
    return spec


def validate_rel(rel_type: str, start_label: str, end_label: str, props: dict[str, Any]) -> None:
    """Raise :class:`InputError` unless the relationship fits the schema."""
    spec = validate_rel_shape(rel_type, start_label, end_label)
    _check_props(rel_type, spec.props, props)
