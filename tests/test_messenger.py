"""The Facebook Messenger JSON parser: fixtures with known values, bad input, round trips."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conductgraph.loaders import messenger, telegram
from conductgraph.loaders.chat import (
    ChatHeader,
    ChatMessage,
    ChatRecord,
    GroupEvent,
    MembershipEvent,
    Rejected,
)

FIXTURES = Path(__file__).parent / "fixtures" / "messenger"
THREAD = FIXTURES / "thread_a"


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, sec: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, sec, tzinfo=UTC)


def parse(path: Path) -> list[ChatRecord]:
    return list(messenger.parse(path))


def body(records: list[ChatRecord]) -> list[ChatRecord]:
    assert isinstance(records[0], ChatHeader)
    assert not any(isinstance(r, ChatHeader) for r in records[1:])
    return records[1:]


# --------------------------------------------------------------------------- sniff


@pytest.mark.parametrize(
    "path",
    [THREAD / "message_1.json", THREAD / "message_2.json", FIXTURES / "e2ee" / "message_1.json",
     FIXTURES / "bad" / "message_1.json"],
)
def test_sniff_accepts_messenger_files(path: Path) -> None:
    head = path.read_bytes()[:65536]
    assert messenger.sniff(path, head)
    assert not telegram.sniff(path, head)


@pytest.mark.parametrize(
    "head",
    [b"", b"hello", b"[1, 2]", b'{"name": "x", "type": "private_group", "messages": []}',
     b"12/01/2017, 10:00 - Alice: hi", b'{"participants": []}'],
)
def test_sniff_rejects_other_content(head: bytes) -> None:
    assert not messenger.sniff(Path("x.json"), head)


def test_sniff_rejects_the_telegram_fixtures() -> None:
    for path in (FIXTURES.parent / "telegram").rglob("*.json"):
        assert not messenger.sniff(path, path.read_bytes()[:65536]), path


# --------------------------------------------------------------------------- mojibake


def test_fix_text_undoes_facebook_encoding() -> None:
    assert messenger.fix_text("Zo\u00c3\u00ab") == "Zoë"
    assert messenger.fix_text("\u00f0\u009f\u0098\u0082") == "😂"
    assert messenger.fix_text("plain ascii") == "plain ascii"
    # Not mojibake: a lone latin-1 é is invalid UTF-8, an emoji is not latin-1.
    assert messenger.fix_text("café") == "café"
    assert messenger.fix_text("😂") == "😂"
    assert messenger.fix_text(messenger.mojibake("André ☕ 🚔")) == "André ☕ 🚔"


# --------------------------------------------------------------------------- fixtures


def test_newer_file_of_the_thread() -> None:
    records = parse(THREAD / "message_1.json")
    header = records[0]
    assert header == ChatHeader(
        platform="facebook",
        title="Westminster Team 🚔",
        participants=["André Martin", "Zoë Clarke", "Ben Okafor", "Facebook User"],
        native_id="inbox/westminsterteam_8123456789012345",
    )
    recs = body(records)
    assert [r.line for r in recs] == list(range(1, 11))
    first = recs[0]
    assert isinstance(first, ChatMessage)
    # "Facebook User" (a deleted account) is kept as a handle.
    assert (first.sender, first.text, first.kind) == ("Facebook User", "See you there", "text")
    assert first.sent_at == utc(2017, 7, 14, 2, 40) and first.precise

    left, removed = recs[1], recs[2]
    assert left == MembershipEvent(2, utc(2017, 7, 13, 23, 53, 20), "left", "Ben Okafor",
                                   actor="Ben Okafor", text="Ben Okafor left the group.")
    assert removed == MembershipEvent(
        3, utc(2017, 7, 13, 21, 6, 40), "removed", "Zoë Clarke", actor="André Martin",
        text="André Martin removed Zoë Clarke from the group.",
    )
    unsent = recs[3]
    assert isinstance(unsent, ChatMessage)
    assert (unsent.sender, unsent.kind, unsent.text) == ("Ben Okafor", "deleted", "")
    share = recs[4]
    assert isinstance(share, ChatMessage)
    assert (share.kind, share.text) == ("media", "https://www.bbc.co.uk/news")
    reacted = recs[5]
    assert isinstance(reacted, ChatMessage)
    assert reacted.text == "Shift swap Friday? 😂"
    assert reacted.reactions == [("André Martin", "😂"), ("Ben Okafor", "😮")]
    assert recs[6] == GroupEvent(7, utc(2017, 7, 13, 10, 0), "call", "André Martin started a call.",
                                 actor="André Martin", value="125")
    rejected = recs[7]
    assert isinstance(rejected, Rejected)
    assert rejected.line == 8 and "timestamp_ms" in rejected.reason
    assert json.loads(rejected.raw)["content"] == "this one lost its timestamp"
    sticker = recs[8]
    assert isinstance(sticker, ChatMessage)
    assert (sticker.kind, sticker.text) == ("media", "<sticker: messages/stickers_used/39178562_1.png>")
    # A string that is not mojibake stays as written.
    last = recs[9]
    assert isinstance(last, ChatMessage) and last.text == "Lunch at café Nero"


def test_older_file_of_the_thread() -> None:
    recs = body(parse(THREAD / "message_2.json"))
    assert [type(r).__name__ for r in recs] == [
        "ChatMessage", "MembershipEvent", "ChatMessage", "ChatMessage", "MembershipEvent"]
    hello, added, photo, cafe, joined = recs
    assert isinstance(hello, ChatMessage)
    assert hello.text == "Morning all 👋"
    assert hello.sent_at == utc(2016, 12, 12, 10, 53, 0) + timedelta(milliseconds=250)
    assert hello.reactions == [("Zoë Clarke", "👍")]
    assert added == MembershipEvent(2, utc(2016, 12, 12, 10, 50), "added", "Ben Okafor",
                                    actor="André Martin",
                                    text="André Martin added Ben Okafor to the group.")
    assert isinstance(photo, ChatMessage)
    assert photo.kind == "media" and photo.sender == "Zoë Clarke"
    assert photo.text == (
        "<photo: messages/inbox/westminsterteam_8123456789012345/photos/13600000_1.jpg>")
    assert isinstance(cafe, ChatMessage) and cafe.text == "Café après le shift? ☕"
    assert isinstance(joined, MembershipEvent)
    assert (joined.kind, joined.handle, joined.actor) == ("joined", "Zoë Clarke", "Zoë Clarke")


def test_a_thread_split_over_two_files_reads_as_one() -> None:
    """The caller groups files by title; sorted by time they make one history."""
    files = [parse(THREAD / "message_1.json"), parse(THREAD / "message_2.json")]
    titles = {f[0].title for f in files if isinstance(f[0], ChatHeader)}
    assert titles == {"Westminster Team 🚔"}
    events = [r for f in files for r in body(f) if isinstance(r, MembershipEvent)]
    events.sort(key=lambda e: e.at)
    assert [(e.kind, e.handle) for e in events] == [
        ("joined", "Zoë Clarke"), ("added", "Ben Okafor"),
        ("removed", "Zoë Clarke"), ("left", "Ben Okafor")]
    messages = [r for f in files for r in body(f) if isinstance(r, ChatMessage)]
    assert len(messages) == 9
    assert min(m.sent_at for m in messages) == utc(2016, 7, 1, 8, 50)


def test_end_to_end_encrypted_schema() -> None:
    records = parse(FIXTURES / "e2ee" / "message_1.json")
    assert records[0] == ChatHeader(platform="facebook", title="Night turn 🌙",
                                    participants=["Zoë Clarke", "Ben Okafor"])
    recs = body(records)
    kinds = [(r.line, getattr(r, "kind", "rejected")) for r in recs]
    assert kinds == [(1, "text"), (2, "deleted"), (3, "media"), (4, "text"), (5, "rejected")]
    first, _, media, _, bad = recs
    assert isinstance(first, ChatMessage)
    assert first.sender == "Zoë Clarke" and first.sent_at == utc(2024, 3, 9, 16, 5)
    assert first.reactions == [("Ben Okafor", "❤")]
    assert isinstance(media, ChatMessage)
    assert media.text == "<media: ./media/Night turn/1710000100000.jpg>"
    assert isinstance(bad, Rejected) and bad.reason == "text is not text"


def test_truncated_file_keeps_what_parsed_then_rejects_the_rest() -> None:
    records = parse(FIXTURES / "bad" / "message_1.json")
    header = records[0]
    assert isinstance(header, ChatHeader)
    # The participants come before the break; the title would have come after it.
    assert header.participants[:2] == ["André Martin", "Zoë Clarke"] and header.title is None
    recs = body(records)
    assert [type(r).__name__ for r in recs] == ["ChatMessage", "MembershipEvent", "Rejected"]
    broken = recs[-1]
    assert isinstance(broken, Rejected)
    assert broken.line == 3
    assert broken.reason.startswith("invalid JSON") and "EOF" in broken.reason
    assert "1467363600500" in broken.raw  # the partly read record


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "invalid JSON"), (b"not json at all", "invalid JSON"), (b"[1, 2, 3]", "no messages"),
     (b'{"participants": [], "title": "x"}', "no messages"), (b'"text"', "no messages"),
     (b'{"participants": [{"name": "Ann"}], "tit', "invalid JSON"),
     (b"\xff\xfe{}", "invalid JSON")],
)
def test_files_that_are_not_threads_give_one_rejected_and_no_header(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "message_1.json"
    path.write_bytes(content)
    records = parse(path)
    assert len(records) == 1
    rejected = records[0]
    assert isinstance(rejected, Rejected) and rejected.line == 1
    assert reason in rejected.reason


def test_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "message_1.json"
    path.write_bytes(b"\xef\xbb\xbf" + (THREAD / "message_2.json").read_bytes())
    assert parse(path) == parse(THREAD / "message_2.json")


def test_deeply_nested_values_are_rejected_in_linear_time(tmp_path: Path) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    path = tmp_path / "message_1.json"
    good = '{"sender_name": "Ann", "timestamp_ms": 0}'
    path.write_text(f'{{"participants": {deep}, "image": {deep}, "messages": [{deep}, {good}]}}')
    recs = body(parse(path))
    assert [type(r).__name__ for r in recs] == ["Rejected", "ChatMessage"]
    assert isinstance(recs[0], Rejected) and "nested" in recs[0].reason


GOOD = {"sender_name": "Ben", "timestamp_ms": 1500000000000, "content": "hi"}


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (5, "record is not an object"),
        ({**GOOD, "sender_name": 7}, "sender_name is not text"),
        ({"timestamp_ms": 1, "content": "x"}, "missing sender_name"),
        ({**GOOD, "timestamp_ms": "1500000000000"}, "non-integer timestamp_ms"),
        ({**GOOD, "timestamp_ms": True}, "non-integer timestamp_ms"),
        ({**GOOD, "timestamp_ms": 10**20}, "out of range"),
        ({**GOOD, "content": ["x"]}, "content is not text"),
        ({**GOOD, "is_unsent": "yes"}, "is_unsent"),
        ({**GOOD, "reactions": "👍"}, "reactions is not a list"),
        ({**GOOD, "reactions": [{"reaction": "x"}]}, "missing actor"),
        ({**GOOD, "type": "Subscribe"}, "without users"),
        ({**GOOD, "type": "Unsubscribe", "users": [{"nom": "x"}]}, "user without a name"),
        ({**GOOD, "photos": {"uri": "a.jpg"}}, "photos is not a list"),
        ({**GOOD, "photos": ["a.jpg"]}, "photos entry is not an object"),
        ({**GOOD, "type": 3}, "type is not text"),
    ],
)
def test_bad_records_are_rejected_with_a_reason(
    tmp_path: Path, record: Any, reason: str
) -> None:
    path = tmp_path / "message_1.json"
    path.write_text(json.dumps({"participants": [], "messages": [GOOD, record, GOOD]}))
    recs = body(parse(path))
    assert [type(r).__name__ for r in recs] == ["ChatMessage", "Rejected", "ChatMessage"]
    rejected = recs[1]
    assert isinstance(rejected, Rejected)
    assert rejected.line == 2 and reason in rejected.reason
    assert json.loads(rejected.raw) == record


def test_subscribe_with_several_users_gives_one_event_each(tmp_path: Path) -> None:
    path = tmp_path / "message_1.json"
    rec = {**GOOD, "type": "Subscribe", "users": [{"name": "Ann"}, {"name": "Ben"}]}
    path.write_text(json.dumps({"participants": [], "messages": [rec]}))
    recs = body(parse(path))
    assert [(r.kind, r.handle, r.line) for r in recs if isinstance(r, MembershipEvent)] == [
        ("added", "Ann", 1), ("joined", "Ben", 1)]


# --------------------------------------------------------------------------- render


def test_render_writes_facebook_mojibake_newest_first() -> None:
    msgs: list[ChatRecord] = [
        ChatMessage(1, utc(2017, 1, 1, 10), "Zoë", "first ☕", precise=True),
        ChatMessage(2, utc(2017, 1, 1, 11), "André", "second", precise=True),
    ]
    text = messenger.render("Équipe", ["Zoë", "André"], msgs)
    assert text.isascii() and "\\u00c3\\u00ab" in text  # ë as Facebook escapes it
    doc = json.loads(text)
    assert [m["timestamp_ms"] for m in doc["messages"]] == [1483268400000, 1483264800000]
    e2ee = messenger.render("Équipe", ["Zoë"], msgs, e2ee=True)
    assert "Zoë" in e2ee and json.loads(e2ee)["threadName"] == "Équipe"


# --------------------------------------------------------------------------- properties

_BASE = datetime(2016, 1, 1, tzinfo=UTC)
_LABELS = ["photo", "video", "audio", "gif", "file"]
names = st.text(min_size=1, max_size=12).filter(lambda s: "\x00" not in s)
texts = st.text(max_size=40)
times = st.integers(min_value=-10**12, max_value=10**12).map(
    lambda ms: _BASE + timedelta(milliseconds=ms))
reactions = st.lists(st.tuples(names, st.sampled_from(["👍", "😂", "❤", "😮", "x"])), max_size=3)


@st.composite
def messenger_records(draw: st.DrawFn) -> ChatRecord:
    at = draw(times)
    choice = draw(st.sampled_from(["text", "media", "deleted", "member", "call"]))
    sender = draw(names)
    if choice == "text":
        return ChatMessage(0, at, sender, draw(texts), precise=True, reactions=draw(reactions))
    if choice == "media":
        text = draw(st.one_of(
            st.text(min_size=1, max_size=30),
            st.lists(st.tuples(st.sampled_from(["photo", "video", "audio", "gif", "file"]),
                               st.from_regex(r"[a-z/]{1,10}\.jpg", fullmatch=True)),
                     min_size=1, max_size=3).map(
                lambda m: messenger.placeholder(sorted(m, key=lambda x: _LABELS.index(x[0]))))))
        return ChatMessage(0, at, sender, text, kind="media", precise=True,
                           reactions=draw(reactions))
    if choice == "deleted":
        return ChatMessage(0, at, sender, draw(texts), kind="deleted", precise=True)
    if choice == "call":
        return GroupEvent(0, at, "call", draw(texts), actor=sender,
                          value=draw(st.none() | st.integers(0, 9999).map(str)))
    kind = draw(st.sampled_from(["added", "joined", "left", "removed"]))
    handle = sender if kind in ("joined", "left") else draw(names.filter(lambda n: n != sender))
    return MembershipEvent(0, at, kind, handle, actor=sender, text=draw(texts))


def _key(r: ChatRecord) -> str:
    """A comparable form without the line number; reactions order kept."""
    d = {k: getattr(r, k) for k in r.__slots__ if k != "line"}  # type: ignore[union-attr]
    return type(r).__name__ + repr(sorted(d.items()))


def _scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hyp") / "message_1.json"


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(messenger_records(), max_size=12), e2ee=st.booleans(),
       title=names, people=st.lists(names, max_size=4))
def test_parse_render_round_trips(
    tmp_path_factory: pytest.TempPathFactory, records: list[ChatRecord], e2ee: bool,
    title: str, people: list[str],
) -> None:
    if e2ee:  # the new schema has no membership or call messages of its own
        records = [r for r in records if isinstance(r, ChatMessage)]
    path = _scratch(tmp_path_factory)
    path.write_text(messenger.render(title, people, records, e2ee=e2ee), encoding="utf-8")
    out = parse(path)
    header = out[0]
    assert isinstance(header, ChatHeader)
    assert header.title == title and header.participants == people
    recs = body(out)
    assert not [r for r in recs if isinstance(r, Rejected)]
    assert sorted(map(_key, recs)) == sorted(map(_key, records))
    # Newest first, numbered as they stand in the file.
    stamps = [r.sent_at if isinstance(r, ChatMessage) else r.at for r in recs]  # type: ignore[union-attr]
    assert stamps == sorted(stamps, reverse=True)
    assert [r.line for r in recs] == sorted(r.line for r in recs)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_parse_or_are_rejected(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = _scratch(tmp_path_factory)
    path.write_bytes(data)
    records = parse(path)
    # At most one header, first, and only with records; everything else has a number.
    headers = [i for i, r in enumerate(records) if isinstance(r, ChatHeader)]
    assert headers in ([], [0])
    assert records[len(headers):] and all(r.line >= 1 for r in records[len(headers):])  # type: ignore[union-attr]
    if not headers:
        assert len(records) == 1 and isinstance(records[0], Rejected)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=8,
)
fields = st.sampled_from(["sender_name", "timestamp_ms", "content", "reactions", "is_unsent",
                          "type", "users", "photos", "sticker", "share", "senderName",
                          "timestamp", "text", "isUnsent", "media", "call_duration"])
field_values = st.one_of(json_values, st.integers(0, 2 * 10**12), st.text(max_size=5),
                         st.sampled_from(["Subscribe", "Unsubscribe", "Call"]),
                         st.lists(st.fixed_dictionaries({"name": st.text(max_size=4)})),
                         st.lists(st.fixed_dictionaries({"reaction": st.text(max_size=2),
                                                         "actor": st.text(max_size=3)})))
message_like = st.one_of(json_values, st.dictionaries(fields, field_values, max_size=6))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messages=st.lists(message_like, max_size=6), extra=st.dictionaries(
    st.sampled_from(["participants", "title", "thread_path", "threadName"]), json_values))
def test_random_records_never_crash_and_every_record_is_accounted_for(
    tmp_path_factory: pytest.TempPathFactory, messages: list[Any], extra: dict[str, Any]
) -> None:
    path = _scratch(tmp_path_factory)
    path.write_text(json.dumps({**extra, "messages": messages}))
    recs = body(parse(path))
    # Each record yields something (one or more events, or a Rejected) under its number.
    assert {r.line for r in recs} == set(range(1, len(messages) + 1))  # type: ignore[union-attr]
