"""What a synthetic case holds (for tests and benchmarks) and the analyst codings it ships.

Part of the synthetic case generator (:mod:`conductgraph.loaders.synthetic_case`).
:class:`Tally` watches the first, complete export of each group as it is written and
counts what the loaded graph must hold; it also samples analyst codings, keeping only
rows that match exactly one message (same group, sender, minute and excerpt), as
:mod:`conductgraph.graph.codings_csv` requires.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conductgraph.graph.codings_csv import COLUMNS

from .synthetic_chat import GroupRecord, SynthMessage
from .synthetic_groups import GroupPlan, MemberEvent
from .synthetic_people import Person

CODERS = ("Analyst 1", "Analyst 2", "Analyst 3")
#: Share of messages carrying a taxonomy term that an analyst coded, and of plain ones.
CODED_FLAGGED = 0.5
CODED_PLAIN = 0.0005


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _minute(at: int) -> int:
    return at // 60


@dataclass
class Tally:
    """Counts of the case as generated, and its codings rows."""

    people: list[Person]
    seed: int
    on_messages: Callable[[int], None] | None = None
    messages_by_kind: Counter[str] = field(default_factory=Counter)
    messages_by_platform: Counter[str] = field(default_factory=Counter)
    membership_events: int = 0
    topic_events: int = 0
    flagged: int = 0
    senders: set[int] = field(default_factory=set)
    codings: list[dict[str, str]] = field(default_factory=list)

    def watch(self, plan: GroupPlan, stream: Iterator[GroupRecord]) -> Iterator[GroupRecord]:
        """Pass ``stream`` through, counting it and sampling codings."""
        rng = random.Random(f"{self.seed}:codings:{plan.key}")
        minute = -1
        # This minute's texts per sender, and the coding rows waiting for the minute to end.
        texts: dict[int, list[str]] = {}
        waiting: list[tuple[int, dict[str, str]]] = []
        done = 0
        for rec in stream:
            if isinstance(rec, SynthMessage):
                if _minute(rec.at) != minute:
                    self._settle(texts, waiting)
                    minute = _minute(rec.at)
                texts.setdefault(rec.sender, []).append(_norm(rec.text))
                self._count(plan, rec)
                row = self._coding(rng, plan, rec)
                if row is not None:
                    waiting.append((rec.sender, row))
                done += 1
                if self.on_messages is not None and done % 10_000 == 0:
                    self.on_messages(10_000)
            elif isinstance(rec, MemberEvent):
                self.membership_events += 1
            else:
                self.topic_events += 1
            yield rec
        self._settle(texts, waiting)
        if self.on_messages is not None:
            self.on_messages(done % 10_000)

    def _count(self, plan: GroupPlan, rec: SynthMessage) -> None:
        self.messages_by_kind[rec.kind] += 1
        self.messages_by_platform[plan.platform] += 1
        self.senders.add(rec.sender)
        if rec.category is not None:
            self.flagged += 1

    def _coding(self, rng: random.Random, plan: GroupPlan, rec: SynthMessage
                ) -> dict[str, str] | None:
        if rec.kind != "text" or self.people[rec.sender].unmapped:
            return None
        if rec.term is not None and rec.category is not None and rng.random() < CODED_FLAGGED:
            excerpt, category = rec.term, rec.category
        elif rec.term is None and rec.text.count(" ") >= 4 and rng.random() < CODED_PLAIN:
            excerpt, category = " ".join(rec.text.split()[:4]), "bullying_harassment"
        else:
            return None
        return {"group": plan.key,
                "sent_at": datetime.fromtimestamp(rec.at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "sender": self.people[rec.sender].key, "text_excerpt": excerpt,
                "category": category, "coder": CODERS[rng.randrange(len(CODERS))]}

    def _settle(self, texts: dict[int, list[str]],
                waiting: list[tuple[int, dict[str, str]]]) -> None:
        """Keep the minute's coding rows that match exactly one of the sender's messages."""
        for sender, row in waiting:
            excerpt = _norm(row["text_excerpt"])
            if sum(excerpt in t for t in texts.get(sender, ())) == 1:
                self.codings.append(row)
        texts.clear()
        waiting.clear()

    def write_codings(self, path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(COLUMNS), lineterminator="\n")
            writer.writeheader()
            writer.writerows(self.codings)

    def summary(self, plans: list[GroupPlan], exports: int) -> dict[str, Any]:
        """The counts a loaded graph must show, as JSON-ready values."""
        mapped = [p for p in self.people if not p.unmapped]
        return {
            "messages": sum(self.messages_by_kind.values()),
            "messages_by_kind": dict(sorted(self.messages_by_kind.items())),
            "messages_by_platform": dict(sorted(self.messages_by_platform.items())),
            "membership_events": self.membership_events,
            "topic_events": self.topic_events,
            "flagged_by_term": self.flagged,
            "codings": len(self.codings),
            "people_in_case_file": len(mapped),
            # Each platform makes its own unresolved Person of an unmapped member.
            "unresolved_people": len({(p.platform, m) for p in plans for m in p.members
                                      if self.people[m].unmapped}),
            "groups": len(plans),
            "group_sizes": {p.key: len(p.members) for p in plans},
            "exports": exports,
        }
