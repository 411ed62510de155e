"""Chat records → graph records: who each handle is, message ids, replies, mentions.

One :class:`ExportConverter` per export file. It resolves each handle to a
person (the case file's mapping for the platform, the device owner for "You",
else an unresolved ``Person``), gives each message the id that makes two exports
of one group merge (:func:`conductgraph.loaders.identity.message_id`), and feeds
the membership evidence to a :class:`~conductgraph.loaders.membership.MembershipLedger`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from conductgraph.graph.records import Node, PostedMessage, Rejected, Rel

from .chat import (
    DEVICE_OWNER,
    ChatHeader,
    ChatMessage,
    ChatRecord,
    GroupEvent,
    MembershipEvent,
)
from .identity import (
    account_id,
    message_id,
    phone_digits,
    slug,
    unresolved_person_id,
    utc_text,
)
from .membership import ExportMembership, MembershipLedger

#: Group changes (WhatsApp's kinds) that two exports word differently but that are one event.
_KEYED_ON_EVENT = frozenset({"subject_changed", "description_changed", "icon_changed"})


@dataclass
class ExportContext:
    """What the case (or the command line) says about one export."""

    source_id: str
    platform: str
    path_stem: str
    group_id: str | None = None
    group_name: str | None = None
    handles: dict[str, str] = field(default_factory=dict)
    device_owner: str | None = None


@dataclass
class ExportCounts:
    messages: int = 0
    events: int = 0
    rejected: int = 0
    groups: list[str] = field(default_factory=list)
    date_order: str | None = None

    @property
    def records(self) -> int:
        return self.messages + self.events


class ExportConverter:
    """Turn one export's chat records into graph records (see module docs)."""

    def __init__(self, ctx: ExportContext, ledger: MembershipLedger) -> None:
        self.ctx = ctx
        self.ledger = ledger
        self.counts = ExportCounts()
        self._group: str | None = None
        self._membership: ExportMembership | None = None
        self._people_seen: set[str] = set()
        self._pids: dict[str, str] = {}  # handle -> person id, once introduced
        self._phones: dict[str, str] | None = None  # digits of mapped phone handles -> person id
        self._native: dict[str, str] = {}
        # (minute, key) occurrences; the minute part keeps memory bounded (see _occurrence).
        self._occ: dict[str, dict[str, int]] = {}

    # -- identity -------------------------------------------------------------------------------
    def person(self, handle: str) -> tuple[str, list[Node | Rel]]:
        """The person id of a handle, and the records that introduce it the first time."""
        ctx = self.ctx
        if handle == DEVICE_OWNER:
            if ctx.device_owner:
                return ctx.device_owner, []
            handle = "You"
        pid = self._pids.get(handle)
        if pid is not None:
            return pid, []
        mapped = self._mapped(handle)
        pid = mapped or unresolved_person_id(ctx.platform, handle)
        self._pids[handle] = pid
        acc = account_id(ctx.platform, handle)
        out: list[Node | Rel] = []
        # Each handle gets its account; an unmapped person is introduced once.
        if mapped is None and pid not in self._people_seen:
            out.append(Node("Person", pid, {"name": handle, "resolved": False},
                            source=ctx.source_id, once={"aliases": [handle]}))
        self._people_seen.add(pid)
        out.append(Node("Account", acc, {"platform": ctx.platform, "handle": handle},
                        source=ctx.source_id))
        out.append(Rel("HAS_ACCOUNT", "Person", pid, "Account", acc, {"source": ctx.source_id}))
        return pid, out

    def _occurrence(self, minute: str, key: str) -> int:
        counter = self._occ.get(minute)
        if counter is None:
            if len(self._occ) > 2048:  # exports are nearly ordered: forget old minutes
                for old in sorted(self._occ)[:1024]:
                    del self._occ[old]
            counter = self._occ[minute] = {}
        n = counter.get(key, 0)
        counter[key] = n + 1
        return n

    # -- records --------------------------------------------------------------------------------
    def _start_group(self, header: ChatHeader) -> Iterator[Node | Rel | PostedMessage]:
        self._finish_group()
        ctx = self.ctx
        first = not self.counts.groups
        if first and ctx.group_id:
            gid, name = ctx.group_id, ctx.group_name or header.title or ctx.path_stem
        else:
            name = header.title or ctx.path_stem
            gid = f"group:{ctx.platform}:{slug(name)}"
        self._group = gid
        self.counts.groups.append(gid)
        self.counts.date_order = header.date_order or self.counts.date_order
        self._membership = ExportMembership(ctx.source_id)
        self._native = {}
        yield Node("Group", gid, {"platform": ctx.platform}, once={"name": name},
                   source=ctx.source_id)
        for handle in header.participants:
            pid, intro = self.person(handle)
            yield from intro
            self._membership.list_participant(pid)
        if ctx.device_owner:
            self._membership.list_participant(ctx.device_owner)

    def _finish_group(self) -> None:
        if self._group is not None and self._membership is not None:
            self.ledger.add_export(self._group, self._membership)
        self._membership = None

    def convert(self, records: Iterable[ChatRecord]) -> Iterator[Node | Rel | PostedMessage | Rejected]:
        for rec in records:
            if isinstance(rec, ChatHeader):
                yield from self._start_group(rec)
                continue
            if isinstance(rec, Rejected):
                self.counts.rejected += 1
                yield rec
                continue
            if self._group is None:  # a parser that yields no header: name it from the file
                yield from self._start_group(ChatHeader(platform=self.ctx.platform))
            if isinstance(rec, ChatMessage):
                yield from self._message(rec)
            elif isinstance(rec, MembershipEvent):
                yield from self._membership_event(rec)
            elif isinstance(rec, GroupEvent):
                yield from self._group_event(rec)
        self._finish_group()

    def _message_node(self, mid: str, rec: ChatMessage | MembershipEvent | GroupEvent,
                      sent_at: str, kind: str, text: str, sender_handle: str | None,
                      precise: bool, edited: bool = False) -> Node:
        once = {"sent_at": sent_at, "precise": precise, "text": text, "kind": kind,
                "platform": self.ctx.platform, "source": self.ctx.source_id, "line": rec.line}
        # Only what is known: Node would otherwise copy the map to drop the nulls.
        if sender_handle is not None:
            once["sender_handle"] = "You" if sender_handle == DEVICE_OWNER else sender_handle
        if edited:
            once["edited"] = True
        return Node.without_nulls("Message", mid, once=once, source=self.ctx.source_id)

    def _message(self, rec: ChatMessage) -> Iterator[Node | Rel | PostedMessage]:
        assert self._group is not None and self._membership is not None
        gid = self._group
        pid, intro = self.person(rec.sender)
        yield from intro
        mentioned: dict[str, str] = {}  # handle as shown -> person
        for handle in rec.mentions:
            if handle not in mentioned:
                mentioned[handle], intro = self.person(handle)
                yield from intro
        sent_at = utc_text(rec.sent_at)
        content = rec.text if rec.kind == "text" else rec.kind
        if mentioned:
            content = _mentions_as_people(content, mentioned)
        mid = message_id(gid, pid, sent_at, content, self._occurrence(sent_at[:16], pid + content))
        self.counts.messages += 1
        self._membership.posted(pid, rec.sent_at)
        node = self._message_node(mid, rec, sent_at, rec.kind, rec.text, rec.sender,
                                  rec.precise, rec.edited)
        yield PostedMessage(node, gid, pid)
        if rec.native_id is not None:
            self._native[rec.native_id] = mid
        if rec.reply_to is not None and rec.reply_to in self._native:
            yield Rel("REPLY_TO", "Message", mid, "Message", self._native[rec.reply_to])
        for target in dict.fromkeys(mentioned.values()):
            yield Rel("MENTIONS", "Message", mid, "Person", target)
        for handle, reaction in rec.reactions:
            who, intro = self.person(handle)
            yield from intro
            yield Rel("REACTED", "Person", who, "Message", mid, {"reaction": reaction})

    def _system_message(self, rec: MembershipEvent | GroupEvent, actor: str | None,
                        key: str) -> Iterator[Node | Rel | PostedMessage]:
        """The system line as a Message; ``key`` says what happened, whatever the locale."""
        assert self._group is not None and rec.at is not None
        sent_at = utc_text(rec.at)
        mid = message_id(self._group, "system", sent_at, key,
                         self._occurrence(sent_at[:16], "system" + key))
        yield self._message_node(mid, rec, sent_at, "system", rec.text, actor, False)
        yield Rel("POSTED_IN", "Message", mid, "Group", self._group)

    def _membership_event(self, rec: MembershipEvent) -> Iterator[Node | Rel | PostedMessage]:
        assert self._membership is not None
        self.counts.events += 1
        pid, intro = self.person(rec.handle)
        yield from intro
        self._membership.event(pid, rec.at, rec.kind)
        # Keyed on the event, not its wording, so two phones' locales give one message.
        yield from self._system_message(rec, rec.actor, f"{rec.kind}:{pid}")

    def _group_event(self, rec: GroupEvent) -> Iterator[Node | Rel | PostedMessage]:
        self.counts.events += 1
        if rec.at is not None:
            assert self._membership is not None
            self._membership.saw_time(rec.at)
            key = rec.text
            if rec.kind in _KEYED_ON_EVENT and rec.actor is not None:
                # As for membership: keyed on who changed what (not the wording), so two
                # phones' locales give one message. The actor is not introduced as a person.
                key = f"{rec.kind}:{self._person_id(rec.actor)}:{rec.value or ''}"
            yield from self._system_message(rec, rec.actor, key)

    def _person_id(self, handle: str) -> str:
        """The person id :meth:`person` gives a handle, without introducing anyone."""
        ctx = self.ctx
        if handle == DEVICE_OWNER:
            if ctx.device_owner:
                return ctx.device_owner
            handle = "You"
        return (self._pids.get(handle) or self._mapped(handle)
                or unresolved_person_id(ctx.platform, handle))

    def _mapped(self, handle: str) -> str | None:
        """The case file's person for a handle; a phone number also by its digits, since a
        sender shows as ``+44 7700 900038`` and a mention of the same phone as ``447700900038``."""
        pid = self.ctx.handles.get(handle)
        if pid is not None:
            return pid
        digits = phone_digits(handle)
        if digits is None:
            return None
        if self._phones is None:
            self._phones = {}
            for known, person in self.ctx.handles.items():
                known_digits = phone_digits(known)
                if known_digits is not None:
                    self._phones.setdefault(known_digits, person)
        return self._phones.get(digits)


def _mentions_as_people(text: str, mentioned: dict[str, str]) -> str:
    """The text a message id is made from: each @mention as the person it names.

    Each phone shows a mention by its own contact name for the person (or the number), so
    two exports of one message differ exactly there; the stored text stays as exported.
    Longest handles first, so "@Kev Barker" is not read as "@Kev" + " Barker".
    """
    for handle in sorted(mentioned, key=len, reverse=True):
        who = "@\x00" + mentioned[handle] + "\x00"  # a NUL never occurs in exported text
        text = text.replace("@\u2068" + handle + "\u2069", who).replace("@" + handle, who)
    return text
