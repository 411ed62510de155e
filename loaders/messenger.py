"""Facebook Messenger JSON exports ("Download your information", ``message_N.json``).

One thread is split over several ``message_N.json`` files; each file is parsed on
its own (each is its own Source) and the caller groups them by thread title.

Two schemas are read:

- the classic one: ``participants`` [{name}], ``messages`` (newest first) with
  ``sender_name``, ``timestamp_ms``, ``content``, ``reactions`` [{reaction, actor}],
  ``is_unsent``, ``type`` (Generic, Share, Call, Subscribe, Unsubscribe; with
  ``users`` [{name}] for the last two) and media fields, then ``title`` and
  ``thread_path``. Every string is *mojibake*: Facebook wrote the UTF-8 bytes of
  each string as if they were latin-1 characters, which :func:`fix_text` undoes.
- the newer end-to-end-encrypted export: ``threadName``, ``participants`` (names),
  ``messages`` with ``senderName``, ``timestamp`` (ms), ``text``, ``isUnsent``,
  ``media`` [{uri}], ``reactions``; correctly encoded, so no fix is applied.

A media message without text gets a stable placeholder naming its attachments,
``<photo: uri> <video: uri>``, so the same export always yields the same text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

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
from conductgraph.loaders.json_stream import (
    Broken,
    ContainerEnd,
    Item,
    RecordsStart,
    dumps,
    walk,
)

PLATFORM = "facebook"
#: The name Facebook shows for a deleted or deactivated account; kept as a handle.
FACEBOOK_USER = "Facebook User"

_HEADER_KEYS = frozenset({"participants", "title", "thread_path", "threadName"})
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SNIFF_RECORD = re.compile(rb'"(?:sender_name|timestamp_ms|senderName)"\s*:')
_SNIFF_THREAD = re.compile(rb'"(?:thread_path|threadName)"\s*:')
_SNIFF_PARTICIPANTS = re.compile(rb'"participants"\s*:')

#: Classic media fields, in placeholder order, with their placeholder label. The
#: list-valued ones hold [{uri, …}]; ``sticker`` is one {uri}; ``share`` one {link}.
_MEDIA_LISTS = (
    ("photos", "photo"),
    ("videos", "video"),
    ("audio_files", "audio"),
    ("gifs", "gif"),
    ("files", "file"),
)
_LABEL_FIELD = {label: name for name, label in _MEDIA_LISTS}
_PLACEHOLDER = re.compile(r"<(photo|video|audio|gif|file|sticker|share|media)(?:: ([^<>]*))?>")
_ORDER = ("photo", "video", "audio", "gif", "file", "sticker", "share", "media")


def fix_text(s: str) -> str:
    """Undo Facebook's mojibake: each character is one byte of the real UTF-8 text."""
    try:
        return s.encode("latin-1").decode("utf-8")
    except UnicodeError:  # not mojibake (a real non-latin-1 char, or invalid UTF-8)
        return s


def mojibake(s: str) -> str:
    """Apply Facebook's encoding: the inverse of :func:`fix_text`."""
    return s.encode("utf-8").decode("latin-1")


def _same(s: str) -> str:
    return s


def sniff(path: Path, head: bytes) -> bool:
    """True when ``head`` (the start of ``path``) looks like a Messenger thread file."""
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body.startswith(b"{"):
        return False
    if _SNIFF_RECORD.search(body):
        return True
    return bool(_SNIFF_PARTICIPANTS.search(body) and _SNIFF_THREAD.search(body))


class _Bad(ValueError):
    """A record that does not have the shape the schema requires."""


@dataclass(frozen=True, slots=True)
class _Schema:
    sender: str
    time: str
    text: str
    unsent: str
    fix: Callable[[str], str]


_CLASSIC = _Schema("sender_name", "timestamp_ms", "content", "is_unsent", fix_text)
_E2EE = _Schema("senderName", "timestamp", "text", "isUnsent", _same)


def _str(rec: dict[str, Any], key: str, schema: _Schema, *, required: bool) -> str | None:
    value = rec.get(key)
    if value is None:
        if required:
            raise _Bad(f"missing {key}")
        return None
    if not isinstance(value, str):
        raise _Bad(f"{key} is not text")
    return schema.fix(value)


def _time(rec: dict[str, Any], key: str) -> datetime:
    ms = rec.get(key)
    if isinstance(ms, Decimal) and abs(ms) < 10**18 and ms == ms.to_integral_value():
        ms = int(ms)  # 1.5e12 is an integer written as a real
    if not isinstance(ms, int) or isinstance(ms, bool):
        raise _Bad(f"missing or non-integer {key}")
    try:
        return _EPOCH + timedelta(milliseconds=ms)
    except OverflowError:
        raise _Bad(f"{key} out of range: {ms}") from None


def _reactions(rec: dict[str, Any], schema: _Schema) -> list[tuple[str, str]]:
    raw = rec.get("reactions")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _Bad("reactions is not a list")
    out = []
    for r in raw:
        if not isinstance(r, dict):
            raise _Bad("reaction is not an object")
        reaction = _str(r, "reaction", schema, required=True)
        actor = _str(r, "actor", schema, required=True)
        assert reaction is not None and actor is not None
        out.append((actor, reaction))
    return out


def _uri(obj: Any, key: str, schema: _Schema, what: str) -> str | None:
    if not isinstance(obj, dict):
        raise _Bad(f"{what} entry is not an object")
    return _str(obj, key, schema, required=False)


def _media(rec: dict[str, Any], schema: _Schema) -> list[tuple[str, str | None]]:
    """The (label, uri) of each attachment, in a fixed order."""
    found: list[tuple[str, str | None]] = []
    if schema is _E2EE:
        items = rec.get("media")
        if items is None:
            return found
        if not isinstance(items, list):
            raise _Bad("media is not a list")
        return [("media", _uri(m, "uri", schema, "media")) for m in items]
    for name, label in _MEDIA_LISTS:
        items = rec.get(name)
        if items is None:
            continue
        if not isinstance(items, list):
            raise _Bad(f"{name} is not a list")
        found.extend((label, _uri(m, "uri", schema, name)) for m in items)
    if rec.get("sticker") is not None:
        found.append(("sticker", _uri(rec["sticker"], "uri", schema, "sticker")))
    if rec.get("share") is not None:
        found.append(("share", _uri(rec["share"], "link", schema, "share")))
    return found


def placeholder(media: Iterable[tuple[str, str | None]]) -> str:
    """The text of a media message that has none: ``<photo: uri> <file: uri>``."""
    return " ".join(f"<{label}: {uri}>" if uri else f"<{label}>" for label, uri in media)


def _users(rec: dict[str, Any], schema: _Schema) -> list[str]:
    users = rec.get("users")
    if not isinstance(users, list) or not users:
        raise _Bad("membership change without users")
    names = []
    for u in users:
        name = u if isinstance(u, str) else _uri(u, "name", schema, "users")
        if not isinstance(name, str):
            raise _Bad("user without a name")
        names.append(schema.fix(name) if isinstance(u, str) else name)
    return names


def _convert(line: int, rec: Any) -> list[ChatRecord]:
    """Turn one element of ``messages`` into records; raises :class:`_Bad`."""
    if not isinstance(rec, dict):
        raise _Bad("record is not an object")
    schema = _E2EE if ("senderName" in rec or "timestamp" in rec) else _CLASSIC
    sender = _str(rec, schema.sender, schema, required=True)
    assert sender is not None
    at = _time(rec, schema.time)
    text = _str(rec, schema.text, schema, required=False)
    unsent = rec.get(schema.unsent, False)
    if not isinstance(unsent, bool):
        raise _Bad(f"{schema.unsent} is not true/false")
    kind_field = rec.get("type")
    if kind_field is not None and not isinstance(kind_field, str):
        raise _Bad("type is not text")
    reactions = _reactions(rec, schema)
    media = _media(rec, schema)

    if kind_field in ("Subscribe", "Unsubscribe"):
        events: list[ChatRecord] = []
        for user in _users(rec, schema):
            kind: MembershipKind
            if kind_field == "Subscribe":
                kind = "joined" if user == sender else "added"
            else:
                kind = "left" if user == sender else "removed"
            events.append(MembershipEvent(line, at, kind, user, actor=sender, text=text or ""))
        return events
    if kind_field == "Call" and not unsent:
        duration = rec.get("call_duration")
        ok = isinstance(duration, int | Decimal) and not isinstance(duration, bool)
        value = str(duration) if ok else None
        return [GroupEvent(line, at, "call", text or "", actor=sender, value=value)]
    msg_kind: MessageKind = "text"
    if unsent:
        msg_kind = "deleted"
    elif media:
        msg_kind = "media"
        if not text:
            text = placeholder(media)
    return [
        ChatMessage(
            line, at, sender, text or "", kind=msg_kind, precise=True, reactions=reactions
        )
    ]


def _header(fields: dict[str, Any]) -> ChatHeader:
    e2ee = "threadName" in fields
    fix = _same if e2ee else fix_text
    title = fields.get("threadName" if e2ee else "title")
    participants: list[str] = []
    raw = fields.get("participants")
    for p in raw if isinstance(raw, list) else []:
        name = p.get("name") if isinstance(p, dict) else p
        if isinstance(name, str):
            participants.append(fix(name))
    path = fields.get("thread_path")
    return ChatHeader(
        platform=PLATFORM,
        title=fix(title) if isinstance(title, str) else None,
        participants=participants,
        native_id=fix(path) if isinstance(path, str) else None,
    )


def _is_root(prefix: str) -> bool:
    return prefix == ""


def parse(path: Path, *, timezone: str = "Europe/London") -> Iterator[ChatRecord]:
    """Stream one ``message_N.json``: a :class:`ChatHeader`, then its records in file order.

    A file with no ``messages`` array (not JSON, or JSON of another shape) yields a
    single :class:`Rejected` and no header.

    ``timezone`` is accepted for a uniform parser API; Messenger times are UTC epochs.
    """
    # The classic schema writes title and thread_path after the messages, so a cheap
    # first pass (records counted, not built) reads the header before streaming.
    fields: dict[str, Any] = {}
    is_thread = False
    for event in walk(path, _is_root, _HEADER_KEYS, build_items=False):
        if isinstance(event, RecordsStart | ContainerEnd) and event.container == "":
            fields = event.header
            is_thread = is_thread or isinstance(event, RecordsStart)
    # No thread at all (garbage, or JSON of another shape): only a Rejected, so that the
    # caller does not make a group out of a file that holds none.
    if is_thread:
        yield _header(fields)

    seen_array = False
    for event in walk(path, _is_root, _HEADER_KEYS):
        if isinstance(event, RecordsStart):
            seen_array = True
        elif isinstance(event, Item):
            if event.error is not None:
                yield Rejected(event.index, "", event.error)
                continue
            try:
                yield from _convert(event.index, event.value)
            except _Bad as exc:
                yield Rejected(event.index, dumps(event.value), str(exc))
        elif isinstance(event, Broken):
            yield Rejected(event.index, event.raw, event.reason)
            return
        elif isinstance(event, ContainerEnd) and not seen_array:
            yield Rejected(1, dumps(event.header), "not a Messenger thread: no messages array")
            return
    if not seen_array:  # valid JSON, but not an object at all
        yield Rejected(1, "", "not a Messenger thread: no messages array")


# --------------------------------------------------------------------------- render


def _split_placeholder(text: str, e2ee: bool) -> list[tuple[str, str | None]] | None:
    """The attachments a placeholder names, when ``text`` is exactly one this schema's
    parse would write (the e2ee schema labels everything ``media``)."""
    parts = text.split(" <")
    found: list[tuple[str, str | None]] = []
    for i, part in enumerate(parts):
        m = _PLACEHOLDER.fullmatch(part if i == 0 else "<" + part)
        if m is None:
            return None
        found.append((m.group(1), m.group(2)))
    ranks = [_ORDER.index(label) for label, _ in found]
    labels = [label for label, _ in found]
    if (
        ranks != sorted(ranks)
        or labels.count("sticker") > 1
        or labels.count("share") > 1
        or any(uri == "" for _, uri in found)
        or any((label == "media") != e2ee for label in labels)
        or placeholder(found) != text
    ):
        return None
    return found


def _ms(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(milliseconds=1)


def _classic_media(out: dict[str, Any], media: list[tuple[str, str | None]], ts: int) -> None:
    for label, uri in media:
        if label == "share":
            out["share"] = {"link": uri} if uri else {}
            continue
        entry: dict[str, Any] = {"uri": uri} if uri else {}
        entry["creation_timestamp"] = ts // 1000
        if label == "sticker":
            out["sticker"] = entry
        else:
            out.setdefault(_LABEL_FIELD[label], []).append(entry)


def _render_message(msg: ChatMessage, e2ee: bool, fix: Callable[[str], str]) -> dict[str, Any]:
    ts = _ms(msg.sent_at)
    media = _split_placeholder(msg.text, e2ee) if msg.kind == "media" else None
    text = None if media else msg.text
    if msg.kind == "media" and media is None:
        media = [("media" if e2ee else "photo", f"photos/{ts}.jpg")]
    reactions = [{"reaction": fix(r), "actor": fix(a)} for a, r in msg.reactions]
    if e2ee:
        return {
            "isUnsent": msg.kind == "deleted",
            "media": [{"uri": uri} if uri else {} for _, uri in media or []],
            "reactions": reactions,
            "senderName": msg.sender,
            "text": text or "",
            "timestamp": ts,
            "type": "media" if media else "text",
        }
    out: dict[str, Any] = {"sender_name": fix(msg.sender), "timestamp_ms": ts}
    if text:
        out["content"] = fix(text)
    if media:
        _classic_media(out, [(lb, fix(u) if u else u) for lb, u in media], ts)
    if reactions:
        out["reactions"] = reactions
    if msg.kind == "deleted":
        out["is_unsent"] = True
    out["is_geoblocked_for_viewer"] = False
    return out


def _render_event(
    events: list[MembershipEvent], e2ee: bool, fix: Callable[[str], str]
) -> dict[str, Any]:
    first = events[0]
    actor = first.actor or first.handle
    subscribe = first.kind in ("created", "added", "joined")
    users = [e.handle for e in events]
    return {
        ("senderName" if e2ee else "sender_name"): fix(actor),
        ("timestamp" if e2ee else "timestamp_ms"): _ms(first.at),
        ("text" if e2ee else "content"): fix(first.text),
        "type": "Subscribe" if subscribe else "Unsubscribe",
        "users": [{"name": fix(u)} for u in users],
    }


def _when(r: ChatMessage | MembershipEvent | GroupEvent) -> datetime:
    if isinstance(r, ChatMessage):
        return r.sent_at
    return r.at or _EPOCH


def render(
    title: str,
    participants: list[str],
    records: Iterable[ChatRecord],
    *,
    e2ee: bool = False,
    thread_path: str | None = None,
) -> str:
    """Write a thread as one Messenger JSON file, newest message first, like a real export.

    The classic schema gets Facebook's mojibake; ``e2ee=True`` writes the newer schema.
    Membership events with the same time, actor, text and direction share one
    Subscribe/Unsubscribe message. Messenger has no "created" event (written as an
    add) and only calls among other group events (anything else is written as a
    plain message from its actor).
    """
    fix = _same if e2ee else mojibake
    timed = [r for r in records if isinstance(r, ChatMessage | MembershipEvent | GroupEvent)]
    timed.sort(key=_when)  # stable: records at the same time keep their given order
    messages: list[dict[str, Any]] = []
    pending: list[MembershipEvent] = []

    def flush() -> None:
        if pending:
            messages.append(_render_event(pending, e2ee, fix))
            pending.clear()

    for r in timed:
        if isinstance(r, MembershipEvent):
            in_group = r.kind in ("created", "added", "joined")
            if pending and (
                (pending[0].at, pending[0].actor or pending[0].handle, pending[0].text)
                != (r.at, r.actor or r.handle, r.text)
                or (pending[0].kind in ("created", "added", "joined")) != in_group
            ):
                flush()
            pending.append(r)
            continue
        flush()
        if isinstance(r, ChatMessage):
            messages.append(_render_message(r, e2ee, fix))
        else:
            ts = _ms(r.at or _EPOCH)
            msg = ChatMessage(r.line, r.at or _EPOCH, r.actor or FACEBOOK_USER, r.text)
            out = _render_message(msg, e2ee, fix)
            if r.kind == "call" and not e2ee:
                out["type"] = "Call"
                out["content"] = fix(r.text)
                if r.value is not None and r.value.isdecimal():
                    out["call_duration"] = int(r.value)
            out["timestamp_ms" if not e2ee else "timestamp"] = ts
            messages.append(out)
    flush()
    messages.reverse()  # newest first, as Facebook writes them

    if e2ee:
        doc: dict[str, Any] = {
            "participants": list(participants),
            "threadName": title,
            "messages": messages,
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)
    slug = re.sub(r"[^a-z0-9]+", "", title.lower()) or "thread"
    doc = {
        "participants": [{"name": fix(p)} for p in participants],
        "messages": messages,
        "title": fix(title),
        "is_still_participant": True,
        "thread_path": fix(thread_path or f"inbox/{slug}_1000000000000000"),
        "magic_words": [],
    }
    # Facebook escapes every non-ASCII character, so the file itself is plain ASCII.
    return json.dumps(doc, ensure_ascii=True, indent=2)


__all__ = ["sniff", "parse", "render", "fix_text", "mojibake", "placeholder", "PLATFORM"]
