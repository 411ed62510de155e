"""The records every chat-export parser yields, whatever its format.

A parser (``whatsapp.py``, ``messenger.py``, ``telegram.py``) reads one export as
a stream and yields, in file order:

- one :class:`ChatHeader` first (what the export says about itself),
- :class:`ChatMessage` for each message,
- :class:`MembershipEvent` for each join, add, leave or removal,
- :class:`GroupEvent` for other system lines (subject changed, security code, …),
- :class:`~conductgraph.graph.records.Rejected` for a line or record it cannot parse.

Handles are names exactly as the export shows them. Times are timezone-aware
``datetime`` objects in UTC. Parsers never touch a database; turning these into
graph records (identity, membership intervals, de-duplication) is
:mod:`conductgraph.loaders.chat_graph`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from conductgraph.graph.records import Rejected

MessageKind = Literal["text", "media", "deleted", "system"]
MembershipKind = Literal["created", "added", "joined", "left", "removed"]

#: The handle a parser uses for the device owner ("You" in a WhatsApp export).
DEVICE_OWNER = "\x00device-owner"


@dataclass(slots=True)
class ChatHeader:
    """What the export says about itself.

    ``title`` is the group or thread name when the export has one (Messenger,
    Telegram; WhatsApp only from a "created group" line or the file name).
    ``participants`` are handles listed by the export (Messenger, Telegram).
    ``date_order`` is the day/month order a WhatsApp parser decided (dmy, mdy, ymd).
    """

    platform: str
    title: str | None = None
    participants: list[str] = field(default_factory=list)
    date_order: str | None = None
    native_id: str | None = None


@dataclass(slots=True)
class ChatMessage:
    line: int
    sent_at: datetime
    sender: str
    text: str
    kind: MessageKind = "text"
    #: True when the export gives seconds (used to keep the most precise copy).
    precise: bool = False
    edited: bool = False
    native_id: str | None = None
    reply_to: str | None = None
    mentions: list[str] = field(default_factory=list)
    #: (handle, reaction) pairs.
    reactions: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class MembershipEvent:
    """Someone entered or left the group. ``actor`` did it (the admin who added/removed)."""

    line: int
    at: datetime
    kind: MembershipKind
    handle: str
    actor: str | None = None
    text: str = ""


@dataclass(slots=True)
class GroupEvent:
    """Any other system line: subject/description/icon changed, security code, number change,
    the encryption notice. ``kind`` names it; ``text`` is the line as exported."""

    line: int
    at: datetime | None
    kind: str
    text: str
    actor: str | None = None
    value: str | None = None


ChatRecord = ChatHeader | ChatMessage | MembershipEvent | GroupEvent | Rejected

__all__ = [
    "ChatHeader",
    "ChatMessage",
    "MembershipEvent",
    "GroupEvent",
    "Rejected",
    "ChatRecord",
    "DEVICE_OWNER",
]
