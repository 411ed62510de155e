"""Synthetic chat groups: who is in them when, how busy they are, and whose phones export them.

Part of the synthetic case generator (:mod:`conductgraph.loaders.synthetic_case`).
A :class:`GroupPlan` is small (its members and their join/leave events); the messages
of a group are streamed from it by :mod:`conductgraph.loaders.synthetic_chat`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .synthetic_people import CASE_DAYS, CASE_START, Person, Unit, unit_members

DAY = 86_400
CASE_T0 = int(datetime(CASE_START.year, CASE_START.month, CASE_START.day, tzinfo=UTC).timestamp())
#: No message or event before this UTC hour: quiet nights, and no local time that a
#: change back from summer time makes ambiguous (01:00-02:00 UTC in London and Berlin).
FIRST_HOUR = 6
#: The JSON renderers build a whole export in memory, so only groups up to this size
#: (in messages) become Messenger or Telegram groups.
JSON_GROUP_CAP = 20_000

_GROUP_NAMES = ("banter", "shift swaps", "lads", "5-a-side", "night turn", "rota", "drinks",
                "gym", "relief", "old sweats", "CID office", "custody", "van 2", "overtime",
                "leaving do", "golf", "book club", "fantasy football", "the squad", "uniform")


@dataclass(frozen=True, slots=True)
class MemberEvent:
    """A join or leave; ``person`` and ``actor`` index the case's people."""

    at: int  # UTC seconds
    kind: str  # created, added, joined, left, removed
    person: int
    actor: int | None


@dataclass(frozen=True, slots=True)
class TopicEvent:
    """A group change other than membership (subject or icon), by ``actor``."""

    at: int
    kind: str  # subject_changed, icon_changed, description_changed
    actor: int
    value: str | None = None


@dataclass(slots=True)
class GroupPlan:
    key: str  # case-file id, e.g. "wa-0003"
    name: str
    platform: str  # whatsapp, facebook, telegram
    members: list[int]
    creator: int
    start: int
    end: int
    messages: int
    events: list[MemberEvent | TopicEvent] = field(default_factory=list)
    #: People whose phones (or accounts) the group was exported from; the first is the
    #: creator, whose export holds the whole history.
    exporters: list[int] = field(default_factory=list)
    #: How much each member writes (heavy-tailed: a few people send most messages).
    weights: dict[int, float] = field(default_factory=dict)

    @property
    def seed_key(self) -> str:
        return f"group:{self.key}"


def group_sizes(rng: random.Random, groups: int, people: int) -> list[int]:
    """Sizes from 3 to 200 (capped by ``people``): many small groups, a few large ones.

    The first group is as large as allowed and the second as small, so a case with two
    or more groups always spans the whole range.
    """
    top = min(200, people)
    sizes = [3 + int((top - 3) * rng.random() ** 3) for _ in range(groups)]
    if groups >= 1:
        sizes[0] = top
    if groups >= 2:
        sizes[1] = min(3, top)
    return sizes


def message_counts(rng: random.Random, sizes: list[int], total: int) -> list[int]:
    """Split ``total`` messages over groups: busier with size, and very unevenly."""
    shares = [s ** 0.6 * rng.lognormvariate(0, 0.8) for s in sizes]
    whole = sum(shares)
    exact = [total * s / whole for s in shares]
    counts = [math.floor(x) for x in exact]
    # Largest remainders get the leftover messages, so the sum is exactly ``total``.
    order = sorted(range(len(sizes)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def platforms(rng: random.Random, counts: list[int], other_platforms: bool) -> list[str]:
    """Mostly WhatsApp; some smaller groups are Facebook (Messenger) or Telegram groups."""
    out = ["whatsapp"] * len(counts)
    if not other_platforms or len(counts) < 4:
        return out
    eligible = sorted((c, i) for i, c in enumerate(counts) if i >= 2 and c <= JSON_GROUP_CAP)
    wanted = max(2, len(counts) // 5)
    picks = [i for _, i in eligible[: max(2, wanted)]]
    for n, i in enumerate(picks[:wanted]):
        out[i] = "facebook" if n % 2 == 0 else "telegram"
    _ = rng
    return out


def _daytime(at: int) -> int:
    """``at`` moved out of the quiet hours (00:00-06:00 UTC) into the morning."""
    return at + FIRST_HOUR * 3600 if at % DAY < FIRST_HOUR * 3600 else at


def _members(rng: random.Random, size: int, people: list[Person], units: list[Unit],
             by_unit: dict[str, list[int]]) -> list[int]:
    """Mostly colleagues from one unit, topped up from anywhere."""
    home = units[rng.randrange(len(units))]
    pool = list(by_unit.get(home.id, []))
    rng.shuffle(pool)
    chosen = list(dict.fromkeys(pool[: int(size * 0.8)]))
    taken = set(chosen)
    while len(chosen) < size:
        i = rng.randrange(len(people))
        if i not in taken:
            taken.add(i)
            chosen.append(i)
    return chosen


def _timeline(rng: random.Random, plan: GroupPlan, exporters: int) -> None:
    """Creation, initial adds, later joins, leaves and removals, re-joins; exporters stay."""
    start, end = plan.start, plan.end
    creator, others = plan.members[0], plan.members[1:]
    events: list[MemberEvent | TopicEvent] = [MemberEvent(start, "created", creator, creator)]
    initial = max(2, math.ceil(len(plan.members) * 0.6)) - 1
    stayers = [creator] + others[: max(0, exporters - 1)]
    for p in others[:initial]:
        events.append(MemberEvent(start + 60, "added", p, creator))
    span = end - start
    joined_at = {p: start + 60 for p in others[:initial]}
    for p in others[initial:]:
        at = _daytime(start + 120 + int(span * 0.7 * rng.random()))
        events.append(MemberEvent(at, "joined" if rng.random() < 0.3 else "added", p,
                                  None if rng.random() < 0.3 else creator))
        joined_at[p] = at
    for p in others:
        if p in stayers or rng.random() >= 0.25:
            continue
        leave = _daytime(joined_at[p] + DAY + int((end - joined_at[p]) * 0.6 * rng.random()))
        removed = rng.random() < 0.35
        events.append(MemberEvent(leave, "removed" if removed else "left", p,
                                  creator if removed else None))
        if rng.random() < 0.4 and leave + 2 * DAY < end:
            back = _daytime(leave + DAY + int((end - leave - DAY) * rng.random()))
            joined = rng.random() < 0.3
            events.append(MemberEvent(back, "joined" if joined else "added", p,
                                      None if joined else creator))
    if plan.platform == "whatsapp" and rng.random() < 0.5:
        at = _daytime(start + int(span * rng.random()))
        events.append(TopicEvent(at, "subject_changed", creator, plan.name))
    if plan.platform == "whatsapp" and rng.random() < 0.3:
        events.append(TopicEvent(_daytime(start + int(span * rng.random())), "icon_changed",
                                 creator))
    # "joined" events carry no actor: the person did it themselves.
    events = [MemberEvent(e.at, e.kind, e.person, None) if isinstance(e, MemberEvent)
              and e.kind in ("joined", "left") else e for e in events]
    events.sort(key=lambda e: e.at)
    plan.events = events
    plan.exporters = stayers


def plan_groups(rng: random.Random, people: list[Person], units: list[Unit], *, groups: int,
                messages: int, other_platforms: bool, max_exports: int) -> list[GroupPlan]:
    """Every group of the case, with members, timeline, message count and exporters."""
    sizes = group_sizes(rng, groups, len(people))
    counts = message_counts(rng, sizes, messages)
    kinds = platforms(rng, counts, other_platforms)
    by_unit = unit_members(people, units)
    prefix = {"whatsapp": "wa", "facebook": "fb", "telegram": "tg"}
    plans: list[GroupPlan] = []
    for g, (size, count, platform) in enumerate(zip(sizes, counts, kinds, strict=True)):
        members = _members(rng, size, people, units, by_unit)
        # Exporters are the creator and early members: people the case file names.
        members.sort(key=lambda i: people[i].unmapped)
        people[members[0]].unmapped = False
        start = _daytime(CASE_T0 + rng.randrange(int(CASE_DAYS * 0.5)) * DAY + 8 * 3600)
        end = start + max(60, int(CASE_DAYS * (0.3 + 0.45 * rng.random()))) * DAY
        name = f"{units[g % len(units)].name.split(' police')[0]} " \
               f"{_GROUP_NAMES[rng.randrange(len(_GROUP_NAMES))]} {g + 1}"
        plan = GroupPlan(f"{prefix[platform]}-{g + 1:04d}", name, platform, members,
                         members[0], start, end, count)
        if platform == "whatsapp":
            exporters = rng.choices((1, 2, 3), (0.5, 0.35, 0.15))[0]
            exporters = min(exporters, max_exports, len(members))
        else:
            exporters = 1
        _timeline(rng, plan, exporters)
        plan.weights = {p: rng.paretovariate(1.16) for p in members}
        plans.append(plan)
    return plans
