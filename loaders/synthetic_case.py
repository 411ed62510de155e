"""Generate a synthetic case folder at any scale: ``case.yaml``, chat exports, codings.

:func:`generate_case` writes a folder that loads with ``conductgraph load`` like a real
case: officers with ranks and changing postings in a hierarchy of units; groups of 3 to
200 members with joins, leaves, removals and re-joins; chat activity with the skew of
real chats; replies, @mentions, media, deleted and system lines; a small share of
messages carrying taxonomy terms; WhatsApp groups exported from one to three members'
phones in different locales, time zones and contact names (so the loader must merge
them); some Messenger and Telegram groups; and an analyst codings CSV.

Exports are written by the loaders' own renderers (:func:`whatsapp_render.render`,
:func:`messenger.render`, :func:`telegram.render`). WhatsApp files are streamed a line at
a time from a generator that is replayed for each phone, so a million messages never
exist as a million objects. The same arguments give the same bytes.

``generated.json`` beside ``case.yaml`` records what was generated (the counts a loaded
graph must show); the loader ignores it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from conductgraph.graph.errors import InputError
from conductgraph.graph.taxonomy import load_taxonomy

from . import messenger, telegram
from .synthetic_casefile import ORG, SourceEntry, case_document
from .synthetic_chat import PhoneView, group_stream
from .synthetic_groups import GroupPlan, MemberEvent, plan_groups
from .synthetic_people import Person, make_people, make_units
from .synthetic_tally import Tally
from .whatsapp_render import STYLES, render

MANIFEST = "generated.json"
CODINGS = "codings.csv"
#: Messages per Messenger file: Facebook splits a long thread into message_1.json, _2, …
MESSENGER_FILE = 10_000
#: Below this many lines a file's day/month order may not be decidable from its data,
#: so the case file states it (as an investigator would after looking at the file).
STATE_ORDER_BELOW = 2_000


@lru_cache(maxsize=1)
def taxonomy_terms() -> tuple[tuple[str, str], ...]:
    """(category, term) pairs of the default taxonomy, for messages that carry a term."""
    return tuple((str(c["id"]), str(t)) for c in load_taxonomy() for t in c.get("terms", ()))


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in " -_()" else "_" for ch in name).strip()


def _first_join(plan: GroupPlan, person: int) -> int:
    return min(e.at for e in plan.events if isinstance(e, MemberEvent) and e.person == person)


class _Writer:
    """Writes each group's exports into ``out`` and lists them as sources."""

    def __init__(self, out: Path, people: list[Person], seed: int, tally: Tally) -> None:
        self.out = out
        self.people = people
        self.seed = seed
        self.tally = tally
        self.terms = list(taxonomy_terms())
        self.sources: list[SourceEntry] = []

    def group(self, plan: GroupPlan) -> None:
        if plan.platform == "whatsapp":
            self._whatsapp(plan)
        elif plan.platform == "facebook":
            self._messenger(plan)
        else:
            self._telegram(plan)

    def _stream(self, plan: GroupPlan, first: bool) -> Any:
        stream = group_stream(plan, self.seed, self.terms)
        return self.tally.watch(plan, stream) if first else stream

    def _whatsapp(self, plan: GroupPlan) -> None:
        for n, owner in enumerate(plan.exporters):
            phone = self.people[owner]
            view = PhoneView(self.people, owner, since=_first_join(plan, owner),
                             mention_by_number=False)
            rel = Path("exports", "whatsapp", plan.key, phone.key,
                      f"WhatsApp Chat with {_safe(plan.name)}.txt")
            path = self.out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            lines = 0
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                for line in render(view.records(self._stream(plan, n == 0)), style=phone.style,
                                   timezone=phone.timezone, owner=phone.name):
                    f.write(line)
                    lines += 1
            order = STYLES[phone.style].order if lines < STATE_ORDER_BELOW else None
            self.sources.append(SourceEntry(rel.as_posix(), "whatsapp", plan.key,
                                            phone.key, phone.timezone, order))

    def _json_records(self, plan: GroupPlan, native_base: int) -> list[Any]:
        view = PhoneView(self.people, None)
        return list(view.records(self._stream(plan, True), native_base))

    def _members_at_end(self, plan: GroupPlan) -> list[str]:
        inside: dict[int, bool] = {}
        for e in plan.events:
            if isinstance(e, MemberEvent):
                inside[e.person] = e.kind not in ("left", "removed")
        return [self.people[p].name for p in plan.members if inside.get(p)]

    def _messenger(self, plan: GroupPlan) -> None:
        records = self._json_records(plan, 0)
        e2ee = random.Random(f"{self.seed}:e2ee:{plan.key}").random() < 0.3
        folder = Path("exports", "messenger", plan.key)
        (self.out / folder).mkdir(parents=True, exist_ok=True)
        participants = self._members_at_end(plan)
        # message_1.json holds the newest messages, as Facebook writes them.
        chunks = _chunks_by_messages(records, MESSENGER_FILE)
        for n, chunk in enumerate(reversed(chunks), start=1):
            rel = folder / f"message_{n}.json"
            text = messenger.render(plan.name, participants, chunk, e2ee=e2ee,
                                    thread_path=f"inbox/{plan.key}")
            (self.out / rel).write_text(text, encoding="utf-8")
            self.sources.append(SourceEntry(rel.as_posix(), "messenger", plan.key,
                                            self.people[plan.creator].key))

    def _telegram(self, plan: GroupPlan) -> None:
        records = self._json_records(plan, 1_000_000)
        rel = Path("exports", "telegram", plan.key, "result.json")
        (self.out / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.out / rel).write_text(telegram.render([(plan.name, records)]), encoding="utf-8")
        self.sources.append(SourceEntry(rel.as_posix(), "telegram", plan.key,
                                        self.people[plan.creator].key))


def _chunks_by_messages(records: list[Any], size: int) -> list[list[Any]]:
    from .chat import ChatMessage

    chunks: list[list[Any]] = [[]]
    count = 0
    for rec in records:
        if isinstance(rec, ChatMessage):
            if count == size:
                chunks.append([])
                count = 0
            count += 1
        chunks[-1].append(rec)
    return chunks


def generate_case(out_dir: Path | str, *, people: int, groups: int, messages: int, seed: int,
                  other_platforms: bool = True, max_exports: int = 3,
                  progress: Callable[[int], None] | None = None) -> Path:
    """Write a synthetic case folder; return the path of its ``case.yaml``.

    Parameters
    ----------
    out_dir
        Folder to write; created, and must be empty if it exists.
    people, groups, messages
        How many officers, chat groups and messages (messages counted once, however many
        phones a group was exported from).
    seed
        Same seed and arguments, same bytes.
    other_platforms
        False to make every group a WhatsApp group (e.g. for a WhatsApp benchmark).
    max_exports
        Most phones one WhatsApp group is exported from (1 to 3); 1 means no merging.
    progress
        Called with a number of messages each time that many more have been generated.

    Returns
    -------
    Path
        ``out_dir / "case.yaml"``.
    """
    if people < 3 or groups < 1 or messages < 0:
        raise InputError("a case needs at least 3 people, 1 group and 0 messages")
    if not 1 <= max_exports <= 3:
        raise InputError("max_exports must be 1, 2 or 3")
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise InputError(f"{out}: not empty; generate into a new folder",
                         detail={"file": str(out)})
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    units = make_units(rng, people, ORG)
    staff = make_people(rng, people, units)
    plans = plan_groups(rng, staff, units, groups=groups, messages=messages,
                        other_platforms=other_platforms, max_exports=max_exports)
    tally = Tally(staff, seed, on_messages=progress)
    writer = _Writer(out, staff, seed, tally)
    for plan in plans:
        writer.group(plan)
    tally.write_codings(out / CODINGS)
    doc = case_document(seed=seed, people=staff, units=units, plans=plans,
                        sources=writer.sources, codings=CODINGS)
    case_path = out / "case.yaml"
    with open(case_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# A synthetic case written by `conductgraph generate`. Everything in it is "
                "invented.\n")
        yaml.safe_dump(doc, f, sort_keys=False, allow_unicode=True, width=100)
    manifest = {"seed": seed, "people": people, "groups": groups, "messages": messages,
                "other_platforms": other_platforms, "max_exports": max_exports,
                **tally.summary(plans, len(writer.sources))}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                encoding="utf-8")
    return case_path


def read_manifest(folder: Path) -> dict[str, Any]:
    """The ``generated.json`` of a generated case folder."""
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
