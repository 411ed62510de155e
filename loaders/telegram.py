"""Telegram Desktop JSON exports (``result.json``).

Two shapes: a single chat (top-level ``name``, ``type``, ``id``, ``messages``) and a
full account export (``chats: {list: [chat, …]}`` and ``left_chats: {list: […]}``),
where each chat has the single-chat shape. Every chat yields a :class:`ChatHeader`
followed by its records, oldest first as Telegram writes them.

A message has ``id``, ``type`` ("message" or "service"), ``date_unixtime`` (UTC;
older exports only have ``date``, local time of the exporting machine), ``from`` /
``from_id``, ``text`` (a string, or a list of plain strings and ``{type, text}``
entities), ``reply_to_message_id``, ``edited``, media fields and ``reactions``.
Service messages carry an ``action``: the membership ones become
:class:`MembershipEvent`, every other one a :class:`GroupEvent`.

Mentions keep the handle as the export shows it: ``@username`` for a ``mention``
entity, the display name for a ``mention_name`` entity.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from conductgraph.loaders.chat import (
    ChatHeader,
    ChatMessage,
    ChatRecord,
    GroupEvent,
    MembershipEvent,
    MembershipKind,
    MessageKind,
    Rejected,
)
from conductgraph.loaders.json_stream import Broken, Item, RecordsStart, dumps, walk

PLATFORM = "telegram"

_HEADER_KEYS = frozenset({"name", "type", "id"})
_CONTAINERS = frozenset({"", "chats.list.item", "left_chats.list.item"})
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SNIFF_KEYS = re.compile(
    rb'"(?:date_unixtime|from_id|text_entities|personal_information|left_chats)"\s*:'
)
_SNIFF_CHAT_TYPE = re.compile(
    rb'"type"\s*:\s*"(?:personal_chat|private_group|private_supergroup|public_supergroup'
    rb'|private_channel|public_channel|saved_messages|bot_chat)"'
)
#: Fields whose presence makes a message a media message, in placeholder order.
_MEDIA_FIELDS = ("photo", "file", "poll", "location_information", "contact_information")
_MENTIONS = frozenset({"mention", "mention_name"})
#: Actions that change membership; ``remove_members`` of oneself is leaving.
_MEMBERSHIP_ACTIONS = frozenset(
    {"create_group", "invite_members", "join_group_by_link", "join_group_by_request",
     "remove_members"}
)
#: The field a GroupEvent's ``value`` comes from, by preference.
_VALUE_FIELDS = ("title", "message_id", "photo", "duration_seconds", "new_title")


def sniff(path: Path, head: bytes) -> bool:
    """True when ``head`` (the start of ``path``) looks like a Telegram Desktop export."""
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body.startswith(b"{"):
        return False
    return bool(_SNIFF_KEYS.search(body) or _SNIFF_CHAT_TYPE.search(body))


class _Bad(ValueError):
    """A record that does not have the shape Telegram writes."""


def _time(rec: dict[str, Any], tz: ZoneInfo) -> datetime:
    unix = rec.get("date_unixtime")
    if unix is not None:
        # Telegram writes it as a string of digits; accept a number too.
        if isinstance(unix, str) and re.fullmatch(r"-?\d{1,12}", unix):
            unix = int(unix)
        if not isinstance(unix, int) or isinstance(unix, bool):
            raise _Bad("date_unixtime is not a number")
        try:
            return _EPOCH + timedelta(seconds=unix)
        except OverflowError:
            raise _Bad(f"date_unixtime out of range: {unix}") from None
    date = rec.get("date")
    if not isinstance(date, str):
        raise _Bad("missing date")
    try:
        local = datetime.fromisoformat(date)
    except ValueError:
        raise _Bad(f"bad date: {date!r}") from None
    if local.tzinfo is None:
        # Older exports give only the exporting machine's local time.
        local = local.replace(tzinfo=tz)
    try:
        return local.astimezone(UTC)
    except OverflowError:
        raise _Bad(f"date out of range: {date!r}") from None


def _opt_str(rec: dict[str, Any], key: str) -> str | None:
    value = rec.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(f"{key} is not text")
    return value


def _native(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _Bad(f"{key} is not an id")
    return str(value)


def _who(rec: dict[str, Any], name_key: str, id_key: str) -> str | None:
    """A person's handle: the display name, else (a deleted account) the stable id."""
    name = _opt_str(rec, name_key)
    if name is not None:
        return name
    return _native(rec.get(id_key), id_key)


def _entities(parts: list[Any]) -> tuple[str, list[str]]:
    text = []
    mentions = []
    for part in parts:
        if isinstance(part, str):
            text.append(part)
            continue
        if not isinstance(part, dict) or not isinstance(part.get("text"), str):
            raise _Bad("text entity without text")
        text.append(part["text"])
        if part.get("type") in _MENTIONS:
            mentions.append(part["text"])
    return "".join(text), mentions


def _text(rec: dict[str, Any]) -> tuple[str, list[str]]:
    raw = rec.get("text", "")
    if isinstance(raw, list):
        return _entities(raw)
    if not isinstance(raw, str):
        raise _Bad("text is neither text nor a list of entities")
    entities = rec.get("text_entities")
    mentions = _entities(entities)[1] if isinstance(entities, list) else []
    return raw, mentions


def _reactions(rec: dict[str, Any]) -> list[tuple[str, str]]:
    raw = rec.get("reactions")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _Bad("reactions is not a list")
    out = []
    for r in raw:
        if not isinstance(r, dict):
            raise _Bad("reaction is not an object")
        emoji = r.get("emoji") or r.get("document_id") or r.get("type")
        if not isinstance(emoji, str | int) or isinstance(emoji, bool):
            raise _Bad("reaction without emoji")
        recent = r.get("recent") or []
        if not isinstance(recent, list):
            raise _Bad("reaction recent is not a list")
        for who in recent:
            if not isinstance(who, dict):
                raise _Bad("reaction actor is not an object")
            handle = _who(who, "from", "from_id")
            if handle is not None:  # only reactions whose actor the export names
                out.append((handle, str(emoji)))
    return out


def media_placeholder(rec: dict[str, Any]) -> str | None:
    """The text of a media message with no caption (``<photo: path>``), None if no media."""
    media_type = rec.get("media_type")
    for name in _MEDIA_FIELDS:
        value = rec.get(name)
        if value is None:
            continue
        label = media_type if isinstance(media_type, str) and name == "file" else name
        where = value if isinstance(value, str) else None
        if name == "poll" and isinstance(value, dict):
            question = value.get("question")
            where = question if isinstance(question, str) else None
        return f"<{label}: {where}>" if where else f"<{label}>"
    if isinstance(media_type, str):
        return f"<{media_type}>"
    return None


def _service(line: int, rec: dict[str, Any], at: datetime, text: str) -> list[ChatRecord]:
    action = rec.get("action")
    if not isinstance(action, str):
        raise _Bad("service message without action")
    actor = _who(rec, "actor", "actor_id")
    if action not in _MEMBERSHIP_ACTIONS:
        value = next((rec[k] for k in _VALUE_FIELDS if rec.get(k) is not None), None)
        if value is not None and not isinstance(value, str | int | Decimal):
            value = dumps(value)
        out = None if value is None else str(value)
        return [GroupEvent(line, at, action, text, actor=actor, value=out)]
    if action in ("join_group_by_link", "join_group_by_request"):
        if actor is None:
            raise _Bad(f"{action} without actor")
        return [MembershipEvent(line, at, "joined", actor, actor=actor, text=text)]
    members = rec.get("members")
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        raise _Bad(f"{action} without a list of member names")
    kind: MembershipKind = "removed"
    if action == "create_group":
        kind = "created"
    elif action == "invite_members":
        kind = "added"
    events: list[ChatRecord] = []
    if action == "create_group" and actor is not None and actor not in members:
        # The creator is a member from the start though Telegram lists only the invitees.
        events.append(MembershipEvent(line, at, "created", actor, actor=actor, text=text))
    for m in members:
        this: MembershipKind = "left" if kind == "removed" and m == actor else kind
        events.append(MembershipEvent(line, at, this, m, actor=actor, text=text))
    return events


def _convert(line: int, rec: Any, tz: ZoneInfo) -> list[ChatRecord]:
    """Turn one element of a chat's ``messages`` into records; raises :class:`_Bad`."""
    if not isinstance(rec, dict):
        raise _Bad("record is not an object")
    at = _time(rec, tz)
    native_id = _native(rec.get("id"), "id")
    text, mentions = _text(rec)
    kind_field = rec.get("type", "message")
    if kind_field == "service":
        return _service(line, rec, at, text)
    if kind_field != "message":
        raise _Bad(f"unknown message type {kind_field!r}")
    sender = _who(rec, "from", "from_id")
    if sender is None:
        raise _Bad("message without from or from_id")
    kind: MessageKind = "text"
    media = media_placeholder(rec)
    if media is not None:
        kind = "media"
        text = text or media
    return [
        ChatMessage(
            line,
            at,
            sender,
            text,
            kind=kind,
            precise=True,
            edited=rec.get("edited") is not None or rec.get("edited_unixtime") is not None,
            native_id=native_id,
            reply_to=_native(rec.get("reply_to_message_id"), "reply_to_message_id"),
            mentions=mentions,
            reactions=_reactions(rec),
        )
    ]


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {timezone!r}") from exc


def parse(path: Path, *, timezone: str = "Europe/London") -> Iterator[ChatRecord]:
    """Stream one ``result.json``: per chat a :class:`ChatHeader`, then that chat's records.

    ``timezone`` is only used for old exports that lack ``date_unixtime``. A file with
    no chat (not JSON, or JSON of another shape) yields a single :class:`Rejected`.
    """
    tz = _zone(timezone)
    chats = 0
    for event in walk(path, _CONTAINERS.__contains__, _HEADER_KEYS):
        if isinstance(event, RecordsStart):
            chats += 1
            h = event.header
            name, native = h.get("name"), h.get("id")
            yield ChatHeader(
                platform=PLATFORM,
                title=name if isinstance(name, str) else None,
                native_id=str(native) if isinstance(native, int | str) else None,
            )
        elif isinstance(event, Item):
            if event.error is not None:
                yield Rejected(event.index, "", event.error)
                continue
            try:
                yield from _convert(event.index, event.value, tz)
            except _Bad as exc:
                yield Rejected(event.index, dumps(event.value), str(exc))
        elif isinstance(event, Broken):
            yield Rejected(event.index, event.raw, event.reason)
            return
    if chats == 0:
        # No header: the caller should not make a group out of a file that holds none.
        yield Rejected(1, "", "not a Telegram export: no chat with a messages array")


# --------------------------------------------------------------------------- render

_PLACEHOLDER = re.compile(r"<([a-z_]+)(?:: ([^<>]+))?>")
#: media_type values Telegram writes next to a ``file``.
_FILE_TYPES = frozenset(
    {"file", "video_file", "voice_message", "audio_file", "animation", "sticker",
     "video_message"}
)
_PLACEHOLDER_LABELS = _FILE_TYPES | set(_MEDIA_FIELDS)


def _user_id(name: str | None) -> str | None:
    # A stable made-up id (hash() is salted per process, crc32 is not).
    return None if name is None else f"user{zlib.crc32(name.encode('utf-8', 'replace'))}"


def _unix(at: datetime) -> str:
    return str((at - _EPOCH) // timedelta(seconds=1))


def _entity_text(text: str, mentions: list[str]) -> str | list[Any]:
    """``text`` as Telegram writes it: a list with a mention entity per mention."""
    if not mentions:
        return text
    parts: list[Any] = []
    rest = text
    for m in mentions:
        at = rest.find(m) if m else -1
        if at < 0:  # not in the text: cannot be shown as an entity; keep the text whole
            return text if not parts else parts + ([rest] if rest else [])
        if at:
            parts.append(rest[:at])
        entity_type = "mention" if m.startswith("@") else "mention_name"
        parts.append({"type": entity_type, "text": m})
        rest = rest[at + len(m):]
    if rest:
        parts.append(rest)
    return parts


def _entities_of(text: str | list[Any]) -> list[dict[str, Any]]:
    if isinstance(text, str):
        return [{"type": "plain", "text": text}] if text else []
    return [{"type": "plain", "text": p} if isinstance(p, str) else p for p in text]


def _render_message(msg: ChatMessage, number: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": int(msg.native_id) if msg.native_id and msg.native_id.isdecimal() else number,
        "type": "message",
        "date": msg.sent_at.replace(tzinfo=None).isoformat(timespec="seconds"),
        "date_unixtime": _unix(msg.sent_at),
    }
    if msg.edited:
        out["edited"] = out["date"]
        out["edited_unixtime"] = out["date_unixtime"]
    if msg.sender.startswith("user") and msg.sender[4:].isdecimal():
        out["from"] = None  # a deleted account: only its id is known
        out["from_id"] = msg.sender
    else:
        out["from"] = msg.sender
        out["from_id"] = _user_id(msg.sender)
    if msg.reply_to is not None and msg.reply_to.isdecimal():
        out["reply_to_message_id"] = int(msg.reply_to)
    text = msg.text
    if msg.kind == "media":
        # A placeholder we wrote on parsing goes back to the media it names; any other
        # text is a caption on a photo.
        m = _PLACEHOLDER.fullmatch(text)
        if m is not None and m.group(1) not in _PLACEHOLDER_LABELS:
            m = None
        label, where = (m.group(1), m.group(2)) if m else ("photo", f"photos/photo_{number}.jpg")
        if label in _FILE_TYPES:
            if where or label == "file":
                out["file"] = where or ""
            if label != "file":
                out["media_type"] = label
        elif label == "poll":
            out["poll"] = {"question": where or "", "closed": False, "answers": []}
        else:
            out[label] = where or ""
        if m:
            text = ""
    rich = _entity_text(text, msg.mentions)
    out["text"] = rich
    out["text_entities"] = _entities_of(rich)
    if msg.reactions:
        by_emoji: dict[str, list[str]] = {}
        for who, emoji in msg.reactions:
            by_emoji.setdefault(emoji, []).append(who)
        out["reactions"] = [
            {"type": "emoji", "count": len(whos), "emoji": emoji,
             "recent": [{"from": w, "from_id": _user_id(w), "date": out["date"]}
                        for w in whos]}
            for emoji, whos in by_emoji.items()
        ]
    return out


_ACTIONS: dict[str, str] = {
    "created": "create_group",
    "added": "invite_members",
    "removed": "remove_members",
}


def _render_service(rec: MembershipEvent | GroupEvent, number: int,
                    members: list[str] | None = None) -> dict[str, Any]:
    at = rec.at or _EPOCH
    out: dict[str, Any] = {
        "id": number,
        "type": "service",
        "date": at.replace(tzinfo=None).isoformat(timespec="seconds"),
        "date_unixtime": _unix(at),
        "actor": rec.actor,
        "actor_id": _user_id(rec.actor),
    }
    if isinstance(rec, GroupEvent):
        out["action"] = rec.kind
        if rec.value is not None:
            out["message_id" if rec.kind == "pin_message" else "title"] = (
                int(rec.value) if rec.kind == "pin_message" and rec.value.isdecimal()
                else rec.value
            )
    elif rec.kind in ("joined", "left"):
        # Joining and leaving are done by the member themselves.
        out["actor"], out["actor_id"] = rec.handle, _user_id(rec.handle)
        out["action"] = "join_group_by_link" if rec.kind == "joined" else "remove_members"
        if rec.kind == "left":
            out["members"] = [rec.handle]
    else:
        out["action"] = _ACTIONS[rec.kind]
        out["members"] = members if members is not None else [rec.handle]
    out["text"] = rec.text
    out["text_entities"] = _entities_of(rec.text)
    return out


def _render_chat(title: str, records: Iterable[ChatRecord], chat_id: int) -> dict[str, Any]:
    messages: list[dict[str, Any]] = []
    items = [r for r in records if isinstance(r, ChatMessage | MembershipEvent | GroupEvent)]
    i = 0
    while i < len(items):
        r = items[i]
        number = len(messages) + 1
        if isinstance(r, MembershipEvent) and r.kind not in ("joined", "left"):
            # Consecutive events of one action at one time by one actor are one message.
            group = [r]
            while i + 1 < len(items):
                nxt = items[i + 1]
                if not (isinstance(nxt, MembershipEvent) and nxt.at == r.at
                        and nxt.actor == r.actor and nxt.text == r.text
                        and nxt.kind == r.kind):
                    break
                if nxt.kind == "created" and nxt.handle == nxt.actor:
                    break  # the creator's own event starts another create_group
                group.append(nxt)
                i += 1
            members = [e.handle for e in group if not (e.kind == "created" and e.handle == e.actor)]
            messages.append(_render_service(r, number, members))
        elif isinstance(r, ChatMessage):
            messages.append(_render_message(r, number))
        else:
            messages.append(_render_service(r, number))
        i += 1
    return {"name": title, "type": "private_group", "id": chat_id, "messages": messages}


def render(chats: list[tuple[str, list[ChatRecord]]]) -> str:
    """Write chats as Telegram Desktop JSON: one chat as a single-chat export, several
    as a full export. Telegram has no deleted-message marker: a "deleted" message is
    written as a plain one."""
    docs = [_render_chat(title, recs, 4_000_000_000 + n) for n, (title, recs) in enumerate(chats)]
    if len(docs) == 1:
        return json.dumps(docs[0], ensure_ascii=False, indent=1)
    full = {
        "about": "Here is the data you requested.",
        "chats": {"about": "This page lists all chats from this export.", "list": docs},
    }
    return json.dumps(full, ensure_ascii=False, indent=1)


__all__ = ["sniff", "parse", "render", "media_placeholder", "PLATFORM"]
