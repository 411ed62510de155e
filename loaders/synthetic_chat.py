"""The messages of one synthetic group, as a stream, and each phone's view of them.

Part of the synthetic case generator (:mod:`conductgraph.loaders.synthetic_case`).
:func:`group_stream` regenerates a group's records from its plan and seed alone, so each
export of the group is written by streaming the same records again: nothing holds a
group's messages in memory.

Activity follows real chats: conversations come in bursts (seconds apart), bursts are
spread over the day by hour and weekday (busy evenings, quieter weekends, silent
nights), and senders are drawn by heavy-tailed weights so a few members send most.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .chat import DEVICE_OWNER, ChatMessage, GroupEvent, MembershipEvent
from .synthetic_groups import DAY, FIRST_HOUR, GroupPlan, MemberEvent, TopicEvent
from .synthetic_people import Person, contact_name

_WORDS = (
    "shift tonight sarge who is on earlies lates nights briefing at the nick custody suite van "
    "overtime rota cover swap lol haha mate cheers ok on my way back in 10 anyone seen the keys "
    "for car coffee canteen paperwork court tomorrow job done grim scene control room radio "
    "sergeant inspector duties annual leave training day kit locker body cam statement crime "
    "report sorted nice one pub after work yes no maybe later can't make it sick today traffic "
    "stuck late again lunch parade room handover prisoner interview charge bail cell"
)
_VOCABULARY = tuple(_WORDS.split())
_EMOJI = ("😂", "👍", "🙄", "😬", "🍺", "👀", "🔥", "😴", "🤣", "💪")
_REACTIONS = ("😂", "👍", "❤️", "😮", "😢")

#: Relative activity by UTC hour (0 before FIRST_HOUR: quiet nights) and weekday factor.
_HOURLY = [0.0] * FIRST_HOUR + [0.5, 0.7, 0.9, 1.0, 1.0, 1.0, 1.1, 1.0, 0.9, 0.9, 1.0, 1.2,
                                1.4, 1.5, 1.4, 1.2, 0.8, 0.4]
_WEEKDAY = (1.0, 1.0, 1.0, 1.05, 1.2, 0.7, 0.5)  # Monday .. Sunday
_ACCEPT = max(_HOURLY) * max(_WEEKDAY)
#: Share of candidate burst times the thinning keeps.
_KEPT = sum(_HOURLY) / len(_HOURLY) * sum(_WEEKDAY) / len(_WEEKDAY) / _ACCEPT
_MEAN_BURST = 7
_MEAN_IN_BURST_GAP = 45  # seconds

SHARE_MEDIA = 0.05
SHARE_DELETED = 0.012
SHARE_MULTILINE = 0.03
SHARE_EMOJI = 0.04
SHARE_MENTION = 0.04
SHARE_FLAGGED = 0.006
SHARE_REPLY = 0.3
SHARE_REACTION = 0.06


@dataclass(slots=True)
class SynthMessage:
    """A message in the group's own terms: people as indexes, time in UTC seconds."""

    at: int
    seq: int  # 1-based position among the group's messages
    sender: int
    kind: str  # text, media, deleted
    text: str
    mentions: list[int] = field(default_factory=list)
    reply_to: int | None = None  # seq of the message replied to
    reactions: list[tuple[int, str]] = field(default_factory=list)
    category: str | None = None  # the taxonomy category whose term the text carries
    term: str | None = None


GroupRecord = SynthMessage | MemberEvent | TopicEvent


class _Roster:
    """The current members and a cumulative weight table to draw senders from."""

    def __init__(self, weights: dict[int, float]) -> None:
        self.weights = weights
        self.current: list[int] = []
        self._cum: list[float] = []

    def apply(self, event: MemberEvent) -> None:
        if event.kind in ("left", "removed"):
            if event.person in self.current:
                self.current.remove(event.person)
        elif event.person not in self.current:
            self.current.append(event.person)
        total = 0.0
        self._cum = []
        for p in self.current:
            total += self.weights[p]
            self._cum.append(total)

    def draw(self, rng: random.Random, avoid: int | None = None) -> int:
        for _ in range(3):
            p = self.current[bisect.bisect(self._cum, rng.random() * self._cum[-1])]
            if p != avoid or len(self.current) == 1:
                return p
        return p


def _burst_starts(rng: random.Random, plan: GroupPlan) -> Iterator[int]:
    """Burst start times: a Poisson process thinned by hour of day and weekday."""
    bursts = max(1, plan.messages / _MEAN_BURST)
    mean_gap = (plan.end - plan.start) / bursts * _KEPT
    t = float(plan.start)
    while True:
        t += rng.expovariate(1 / mean_gap)
        at = int(t)
        weight = _HOURLY[at % DAY // 3600] * _WEEKDAY[(at // DAY + 3) % 7]  # 1970-01-01: Thu
        if rng.random() * _ACCEPT < weight:
            yield at


def _text(rng: random.Random, terms: list[tuple[str, str]]) -> tuple[str, str | None, str | None]:
    """A message text, and the category and term it carries (a small share do)."""
    r = rng.random()
    if r < SHARE_EMOJI:
        return rng.choice(_EMOJI) * rng.randint(1, 3), None, None
    words = " ".join(rng.choices(_VOCABULARY, k=rng.randint(1, 16)))
    if r < SHARE_EMOJI + SHARE_FLAGGED and terms:
        category, term = terms[rng.randrange(len(terms))]
        tail = " ".join(rng.choices(_VOCABULARY, k=rng.randint(1, 6)))
        return f"{words} {term} {tail}", category, term
    if r < SHARE_EMOJI + SHARE_FLAGGED + SHARE_MULTILINE:
        words += "\n" + " ".join(rng.choices(_VOCABULARY, k=rng.randint(1, 10)))
    return words, None, None


def group_stream(plan: GroupPlan, seed: int, terms: list[tuple[str, str]]
                 ) -> Iterator[GroupRecord]:
    """Every record of the group in time order: membership and topic events, messages.

    The same ``plan``, ``seed`` and ``terms`` give the same records every time.
    """
    rng = random.Random(f"{seed}:{plan.seed_key}")
    roster = _Roster(plan.weights)
    events = iter(plan.events)
    pending = next(events, None)
    json_platform = plan.platform != "whatsapp"
    starts = _burst_starts(rng, plan)
    seq = 0
    last: SynthMessage | None = None
    while seq < plan.messages:
        t = next(starts)
        size = 1 + int(rng.expovariate(1 / (_MEAN_BURST - 1)))
        for _ in range(size):
            if seq >= plan.messages or t % DAY < FIRST_HOUR * 3600:
                break  # a burst never runs into the quiet hours
            while pending is not None and pending.at <= t:
                if isinstance(pending, MemberEvent):
                    roster.apply(pending)
                yield pending
                pending = next(events, None)
            if not roster.current:
                break
            sender = roster.draw(rng, last.sender if last is not None and rng.random() < 0.7
                                 else None)
            seq += 1
            last = _message(rng, t, seq, sender, roster, last, terms, json_platform,
                            plan.platform != "telegram")
            yield last
            t += 2 + int(rng.expovariate(1 / _MEAN_IN_BURST_GAP))
    while pending is not None:
        yield pending
        pending = next(events, None)


def _message(rng: random.Random, at: int, seq: int, sender: int, roster: _Roster,
             last: SynthMessage | None, terms: list[tuple[str, str]],
             json_platform: bool, deletable: bool) -> SynthMessage:
    # Telegram exports have no trace of a deleted message, so Telegram groups get none.
    r = rng.random()
    if r < SHARE_MEDIA:
        msg = SynthMessage(at, seq, sender, "media", "")
    elif r < SHARE_MEDIA + SHARE_DELETED and deletable:
        msg = SynthMessage(at, seq, sender, "deleted", "")
    else:
        text, category, term = _text(rng, terms)
        msg = SynthMessage(at, seq, sender, "text", text, category=category, term=term)
        if rng.random() < SHARE_MENTION and len(roster.current) > 1:
            other = roster.draw(rng, sender)
            if other != sender:
                msg.mentions.append(other)
    if last is not None and rng.random() < SHARE_REPLY:
        msg.reply_to = last.seq
    if json_platform and rng.random() < SHARE_REACTION:
        for _ in range(rng.randint(1, 3)):
            who = roster.draw(rng)
            msg.reactions.append((who, rng.choice(_REACTIONS)))
    return msg


def _utc(at: int) -> datetime:
    return datetime.fromtimestamp(at, UTC)


@dataclass(frozen=True)
class PhoneView:
    """One export of a group: whose phone or account, and how it names people.

    ``owner`` is None for an export that shows everyone by their own name (Messenger,
    Telegram). A WhatsApp phone shows its owner as "You" in system lines and by
    ``owner_name`` on their own messages, and everyone else by the owner's contact name.
    ``mention_by_number`` writes @mentions as the person's number, the same on every
    phone; otherwise as this phone's contact name, so one message's text differs between
    exports (the loader still merges them: a message id reads a mention as its person).
    """

    people: list[Person]
    owner: int | None
    since: int = 0
    mention_by_number: bool = True

    def name(self, person: int) -> str:
        if self.owner is None:
            return self.people[person].name
        if person == self.owner:
            return DEVICE_OWNER
        return contact_name(self.people[self.owner], self.people[person])

    def mention(self, person: int) -> str:
        p = self.people[person]
        if self.owner is None:
            return p.name
        if self.mention_by_number:
            # Isolates end the number: a bare "@4477… 10 mins" would read as "4477… 10".
            return "@\u2068" + p.mention + "\u2069"
        return "@\u2068" + (p.name if person == self.owner else self.name(person)) + "\u2069"

    def records(self, stream: Iterator[GroupRecord], native_base: int = 0
                ) -> Iterator[ChatMessage | MembershipEvent | GroupEvent]:
        """The stream as this export's chat records, from ``since`` on."""
        name = self.name
        for rec in stream:
            if rec.at < self.since:
                continue
            if isinstance(rec, SynthMessage):
                text = rec.text
                # An unmapped person's number would name a second unresolved person.
                mentions = [self.mention(m) for m in rec.mentions
                            if self.owner is None or not self.people[m].unmapped]
                if mentions:
                    text = f"{' '.join(mentions)} {text}"
                msg = ChatMessage(rec.seq, _utc(rec.at), name(rec.sender), text, rec.kind)  # type: ignore[arg-type]
                if self.owner is None:
                    msg.mentions = mentions
                    msg.native_id = str(native_base + rec.seq)
                    if rec.reply_to is not None:
                        msg.reply_to = str(native_base + rec.reply_to)
                    msg.reactions = [(name(p), r) for p, r in rec.reactions]
                yield msg
            elif isinstance(rec, MemberEvent):
                actor = None if rec.actor is None else name(rec.actor)
                yield MembershipEvent(0, _utc(rec.at), rec.kind, name(rec.person), actor)  # type: ignore[arg-type]
            else:
                yield GroupEvent(0, _utc(rec.at), rec.kind, "", name(rec.actor), rec.value)
