"""The Telegram Desktop JSON parser: fixtures with known values, bad input, round trips."""

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

FIXTURES = Path(__file__).parent / "fixtures" / "telegram"
SINGLE = FIXTURES / "single" / "result.json"
FULL = FIXTURES / "full" / "result.json"


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, sec: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, sec, tzinfo=UTC)


def parse(path: Path, timezone: str = "Europe/London") -> list[ChatRecord]:
    return list(telegram.parse(path, timezone=timezone))


def chats(records: list[ChatRecord]) -> list[tuple[ChatHeader, list[ChatRecord]]]:
    """Split a parse into (header, records) per chat; a header must come first."""
    out: list[tuple[ChatHeader, list[ChatRecord]]] = []
    for r in records:
        if isinstance(r, ChatHeader):
            out.append((r, []))
        else:
            assert out, "a record before any ChatHeader"
            out[-1][1].append(r)
    return out


def by_line(recs: list[ChatRecord], line: int) -> list[ChatRecord]:
    return [r for r in recs if getattr(r, "line", None) == line]


# --------------------------------------------------------------------------- sniff


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.json")))
def test_sniff_accepts_telegram_files(path: Path) -> None:
    head = path.read_bytes()[:65536]
    assert telegram.sniff(path, head)
    assert not messenger.sniff(path, head)


@pytest.mark.parametrize(
    "head",
    [b"", b"[]", b"hello", b'{"participants": [{"name": "a"}], "messages": []}',
     b'{"sender_name": "a", "timestamp_ms": 1}'],
)
def test_sniff_rejects_other_content(head: bytes) -> None:
    assert not telegram.sniff(Path("result.json"), head)


# --------------------------------------------------------------------------- single chat


def test_single_chat_export() -> None:
    [(header, recs)] = chats(parse(SINGLE))
    assert header == ChatHeader(platform="telegram", title="Charing Cross Team",
                                native_id="1700000001")
    # 16 records, one of them rejected; every record number is accounted for.
    assert {r.line for r in recs} == set(range(1, 17))  # type: ignore[union-attr]
    rejected = [r for r in recs if isinstance(r, Rejected)]
    assert len(rejected) == 1 and rejected[0].line == 15
    assert rejected[0].reason == "date_unixtime is not a number"
    assert json.loads(rejected[0].raw)["text"] == "bad time"


def test_service_actions_become_membership_and_group_events() -> None:
    [(_, recs)] = chats(parse(SINGLE))
    may1 = utc(2016, 5, 1, 8, 0)  # 09:00 BST
    # The creator is a member from the start, though Telegram lists only the invitees.
    assert by_line(recs, 1) == [
        MembershipEvent(1, may1, "created", "Alice Hart", actor="Alice Hart"),
        MembershipEvent(1, may1, "created", "Bob Singh", actor="Alice Hart"),
        MembershipEvent(1, may1, "created", "Chloé Dupont", actor="Alice Hart"),
    ]
    assert by_line(recs, 4) == [
        MembershipEvent(4, utc(2016, 5, 1, 9, 0), "added", "Dan Reid", actor="Alice Hart")]
    assert by_line(recs, 5) == [
        MembershipEvent(5, utc(2016, 5, 1, 9, 5), "joined", "Eve Moss", actor="Eve Moss")]
    assert by_line(recs, 8) == [
        MembershipEvent(8, utc(2016, 5, 2, 7, 0), "joined", "Frank Cole", actor="Frank Cole")]
    # November: GMT again, so local noon is noon UTC.
    assert by_line(recs, 10) == [
        MembershipEvent(10, utc(2016, 11, 1, 12), "removed", "Dan Reid", actor="Alice Hart")]
    # Removing oneself is leaving.
    assert by_line(recs, 11) == [
        MembershipEvent(11, utc(2016, 11, 2, 12), "left", "Eve Moss", actor="Eve Moss")]
    assert by_line(recs, 12) == [
        GroupEvent(12, utc(2016, 11, 3, 12), "edit_group_title", "", actor="Alice Hart",
                   value="Charing Cross Team (old)")]
    assert by_line(recs, 13) == [
        GroupEvent(13, utc(2016, 11, 3, 12, 1), "pin_message", "", actor="Bob Singh", value="7")]


def test_messages_text_entities_replies_edits_media_reactions() -> None:
    [(_, recs)] = chats(parse(SINGLE))
    msgs = {r.line: r for r in recs if isinstance(r, ChatMessage)}
    assert sorted(msgs) == [2, 3, 6, 7, 9, 14, 16]
    welcome = msgs[2]
    assert (welcome.sender, welcome.text, welcome.native_id) == ("Alice Hart", "Welcome all", "2")
    assert welcome.sent_at == utc(2016, 5, 1, 8, 1, 30) and welcome.precise

    thanks = msgs[3]
    assert thanks.text == "Thanks @alicehart! 🚓"
    assert thanks.mentions == ["@alicehart"] and thanks.reply_to == "2"

    photo = msgs[6]
    assert (photo.kind, photo.sender) == ("media", "Dan Reid")
    assert photo.text == "<photo: photos/photo_1@01-05-2016_10-06-00.jpg>"

    edited = msgs[7]
    assert edited.edited and edited.text == "Ce soir, c'est Chloé qui paie"
    # The 😂 reaction names nobody, so only the two known actors are kept.
    assert edited.reactions == [("Alice Hart", "👍"), ("Bob Singh", "👍")]

    cc = msgs[9]
    assert cc.text == "cc Frank Cole urgent" and cc.mentions == ["Frank Cole"]

    deleted_account = msgs[14]
    assert deleted_account.sender == "user999"  # "from": null; the id is the handle
    assert (deleted_account.kind, deleted_account.text) == ("media", "report attached")

    voice = msgs[16]
    assert voice.kind == "media" and voice.text.startswith("<voice_message: (File not included")
    assert not any(m.edited for line, m in msgs.items() if line != 7)


# --------------------------------------------------------------------------- full export


def test_full_export_yields_each_chat_with_its_own_header() -> None:
    parsed = chats(parse(FULL))
    assert [(h.title, h.native_id) for h, _ in parsed] == [
        ("Bob Singh", "102"), ("Day shift", "555"), ("Old team", "777")]
    (_, private), (_, group), (_, left) = parsed
    # Line numbers restart in each chat.
    assert [r.line for r in private] == [1, 2]  # type: ignore[union-attr]
    assert [r.line for r in left] == [1]  # type: ignore[union-attr]
    reply = private[1]
    assert isinstance(reply, ChatMessage) and reply.reply_to == "101"
    assert [(e.kind, e.handle, e.actor) for e in group if isinstance(e, MembershipEvent)] == [
        ("created", "Bob Singh", "Bob Singh"), ("created", "Alice Hart", "Bob Singh"),
        ("added", "Chloé Dupont", "Bob Singh"), ("added", "Dan Reid", "Bob Singh")]


def test_exports_without_unixtime_use_the_given_time_zone() -> None:
    london = chats(parse(FULL))
    first = london[0][1][0]
    assert isinstance(first, ChatMessage)
    assert first.sent_at == utc(2017, 7, 1, 22, 30)  # 23:30 BST
    winter = london[1][1][-1]
    assert isinstance(winter, ChatMessage) and winter.sent_at == utc(2017, 1, 10, 7, 6)
    # 00:30 on the night the clocks change is still GMT.
    clocks = london[2][1][0]
    assert isinstance(clocks, ChatMessage) and clocks.sent_at == utc(2016, 3, 27, 0, 30)
    ny = chats(parse(FULL, timezone="America/New_York"))[0][1][0]
    assert isinstance(ny, ChatMessage) and ny.sent_at == utc(2017, 7, 2, 3, 30)


def test_unixtime_wins_over_the_time_zone() -> None:
    assert parse(SINGLE, timezone="Asia/Tokyo") == parse(SINGLE)


def test_unknown_time_zone_is_an_error() -> None:
    with pytest.raises(ValueError, match="time zone"):
        parse(SINGLE, timezone="Mars/Olympus")


# --------------------------------------------------------------------------- bad input


def test_truncated_export_keeps_what_parsed_then_rejects_the_rest() -> None:
    [(header, recs)] = chats(parse(FIXTURES / "bad" / "result.json"))
    assert header.title == "Cut short"
    assert [type(r).__name__ for r in recs] == ["ChatMessage", "ChatMessage", "Rejected"]
    broken = recs[-1]
    assert isinstance(broken, Rejected)
    assert broken.line == 3 and "premature EOF" in broken.reason
    assert json.loads(broken.raw) == {"id": 4, "type": "service"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "invalid JSON"), (b"{{{", "invalid JSON"), (b"[]", "no chat"),
     (b'{"about": "x", "chats": {"list": []}}', "no chat"),
     (b'{"name": "x", "messages": {}}', "no chat")],
)
def test_files_without_chats_give_one_rejected_and_no_header(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(content)
    records = parse(path)
    assert len(records) == 1
    rejected = records[0]
    assert isinstance(rejected, Rejected) and rejected.line == 1 and reason in rejected.reason


def test_deeply_nested_values_are_rejected_in_linear_time(tmp_path: Path) -> None:
    deep = "{\"a\": " * 50_000 + "1" + "}" * 50_000
    path = tmp_path / "result.json"
    good = '{"id": 1, "from": "A", "date_unixtime": "0", "text": "x"}'
    chat = f'{{"name": {deep}, "messages": [{deep}, {good}]}}'
    path.write_text(f'{{"chats": {{"list": [{chat}]}}, "other": {deep}}}')
    [(header, recs)] = chats(parse(path))
    assert header.title is None
    assert [type(r).__name__ for r in recs] == ["Rejected", "ChatMessage"]


GOOD: dict[str, Any] = {"id": 1, "type": "message", "date_unixtime": "1500000000",
                        "from": "Bob", "from_id": "user2", "text": "hi"}


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ("text", "record is not an object"),
        ({k: v for k, v in GOOD.items() if k != "date_unixtime"}, "missing date"),
        ({**GOOD, "date_unixtime": None, "date": "yesterday"}, "bad date"),
        ({**GOOD, "date_unixtime": "99999999999999999"}, "not a number"),
        ({**GOOD, "text": 3}, "text is neither"),
        ({**GOOD, "text": ["a", {"type": "bold"}]}, "entity without text"),
        ({**GOOD, "type": "sticker"}, "unknown message type"),
        ({**GOOD, "from": None, "from_id": None}, "without from"),
        ({**GOOD, "from": 5}, "from is not text"),
        ({**GOOD, "id": [1]}, "id is not an id"),
        ({**GOOD, "reply_to_message_id": 1.5}, "reply_to_message_id is not an id"),
        ({**GOOD, "reactions": {"emoji": "x"}}, "reactions is not a list"),
        ({**GOOD, "reactions": [{"count": 1}]}, "reaction without emoji"),
        ({**GOOD, "type": "service"}, "without action"),
        ({**GOOD, "type": "service", "action": "invite_members", "actor": "A"},
         "without a list of member names"),
        ({**GOOD, "type": "service", "action": "join_group_by_link"}, "without actor"),
    ],
)
def test_bad_records_are_rejected_with_a_reason(
    tmp_path: Path, record: Any, reason: str
) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "g", "type": "private_group", "id": 1,
                                "messages": [GOOD, record, GOOD]}))
    [(_, recs)] = chats(parse(path))
    assert [type(r).__name__ for r in recs] == ["ChatMessage", "Rejected", "ChatMessage"]
    rejected = recs[1]
    assert isinstance(rejected, Rejected)
    assert rejected.line == 2 and reason in rejected.reason
    assert json.loads(rejected.raw) == record


def test_text_string_with_text_entities_gives_mentions(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    rec = {**GOOD, "text": "ask @bob", "text_entities": [
        {"type": "plain", "text": "ask "}, {"type": "mention", "text": "@bob"}]}
    path.write_text(json.dumps({"name": "g", "messages": [rec]}))
    [(_, [msg])] = chats(parse(path))
    assert isinstance(msg, ChatMessage) and msg.mentions == ["@bob"] and msg.text == "ask @bob"


# --------------------------------------------------------------------------- render


def test_render_one_chat_is_a_single_chat_export_several_a_full_export() -> None:
    m = ChatMessage(1, utc(2017, 1, 1, 10), "Zoë", "hello", precise=True, native_id="1")
    single = json.loads(telegram.render([("A", [m])]))
    assert single["name"] == "A" and single["messages"][0]["date_unixtime"] == "1483264800"
    full = json.loads(telegram.render([("A", [m]), ("B", [m])]))
    assert [c["name"] for c in full["chats"]["list"]] == ["A", "B"]


# --------------------------------------------------------------------------- properties

_BASE = datetime(2016, 1, 1, tzinfo=UTC)
names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12).filter(
    lambda s: not (s.startswith("user") and s[4:].isdecimal()))
words = st.text(st.characters(codec="utf-8", exclude_characters="@<>"), max_size=12)
times = st.integers(min_value=-10**9, max_value=10**9).map(lambda s: _BASE + timedelta(seconds=s))
emoji = st.sampled_from(["👍", "😂", "❤", "🔥"])
MEDIA = ["<photo: photos/p.jpg>", "<file: files/a.pdf>", "<voice_message: v.ogg>", "<sticker>",
         "<poll: Who?>", "<location_information>", "<video_file: (File not included.)>"]


@st.composite
def text_with_mentions(draw: st.DrawFn) -> tuple[str, list[str]]:
    parts = draw(st.lists(st.one_of(words.map(lambda w: ("plain", w)),
                                    st.from_regex(r"@[a-z_]{1,8}", fullmatch=True).map(
                                        lambda m: ("mention", m))), max_size=5))
    return "".join(p for _, p in parts), [p for kind, p in parts if kind == "mention"]


@st.composite
def telegram_records(draw: st.DrawFn, number: int) -> list[ChatRecord]:
    at = draw(times)
    who = draw(names)
    choice = draw(st.sampled_from(["text", "media", "member", "event"]))
    if choice in ("text", "media"):
        text, mentions = draw(text_with_mentions())
        kind: Any = "text"
        if choice == "media":
            kind = "media"
            text = text or draw(st.sampled_from(MEDIA))  # parse never yields media without text
        return [ChatMessage(
            0, at, draw(st.one_of(names, st.just("user123"))), text, kind=kind, precise=True,
            edited=draw(st.booleans()), native_id=str(number),
            reply_to=draw(st.none() | st.integers(1, 50).map(str)), mentions=mentions,
            reactions=draw(st.lists(st.tuples(names, emoji), max_size=3)))]
    if choice == "event":
        kind = draw(st.sampled_from(["edit_group_title", "pin_message", "edit_group_photo"]))
        value = draw(st.none() | st.integers(1, 99).map(str) | words.filter(bool))
        return [GroupEvent(0, at, kind, draw(words), actor=who, value=value)]
    kind = draw(st.sampled_from(["created", "added", "removed", "joined", "left"]))
    if kind in ("joined", "left"):
        return [MembershipEvent(0, at, kind, who, actor=who)]
    others = draw(st.lists(names.filter(lambda n: n != who), min_size=1, max_size=3))
    events = [MembershipEvent(0, at, kind, o, actor=who) for o in others]
    if kind == "created":
        events.insert(0, MembershipEvent(0, at, "created", who, actor=who))
    return events


@st.composite
def telegram_chat(draw: st.DrawFn) -> tuple[str, list[ChatRecord]]:
    n = draw(st.integers(0, 8))
    records = [r for i in range(n) for r in draw(telegram_records(i + 1))]
    return draw(names), records


def _key(r: ChatRecord) -> str:
    d = {k: getattr(r, k) for k in r.__slots__ if k != "line"}  # type: ignore[union-attr]
    if isinstance(r, ChatMessage):
        d["reactions"] = sorted(r.reactions)  # grouped by emoji on the way out
    return type(r).__name__ + repr(sorted(d.items()))


def _scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hyp") / "result.json"


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(exported=st.lists(telegram_chat(), min_size=1, max_size=3))
def test_parse_render_round_trips(
    tmp_path_factory: pytest.TempPathFactory, exported: list[tuple[str, list[ChatRecord]]]
) -> None:
    path = _scratch(tmp_path_factory)
    path.write_text(telegram.render(exported), encoding="utf-8")
    parsed = chats(parse(path))
    assert [h.title for h, _ in parsed] == [title for title, _ in exported]
    for (_, got), (_, want) in zip(parsed, exported, strict=True):
        assert not [r for r in got if isinstance(r, Rejected)]
        assert list(map(_key, got)) == list(map(_key, want))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_parse_or_are_rejected(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = _scratch(tmp_path_factory)
    path.write_bytes(data)
    records = parse(path)
    assert records
    if not isinstance(records[0], ChatHeader):  # no chat: exactly one Rejected
        assert len(records) == 1 and isinstance(records[0], Rejected)
    assert all(r.line >= 1 for r in records if not isinstance(r, ChatHeader))  # type: ignore[union-attr]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=8,
)
fields = st.sampled_from(["id", "type", "date", "date_unixtime", "from", "from_id", "text",
                          "text_entities", "reply_to_message_id", "edited", "photo", "file",
                          "media_type", "reactions", "action", "actor", "members", "title"])
field_values = st.one_of(
    json_values, st.sampled_from(["message", "service", "create_group", "invite_members",
                                  "remove_members", "join_group_by_link", "2017-01-01T10:00:00",
                                  "1500000000"]),
    st.lists(st.one_of(st.text(max_size=3), st.fixed_dictionaries(
        {"type": st.sampled_from(["mention", "bold"]), "text": st.text(max_size=3)}))))
message_like = st.one_of(json_values, st.dictionaries(fields, field_values, max_size=7))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chat_list=st.lists(st.lists(message_like, max_size=4), min_size=1, max_size=3),
       left=st.booleans())
def test_random_records_never_crash_and_every_record_is_accounted_for(
    tmp_path_factory: pytest.TempPathFactory, chat_list: list[list[Any]], left: bool
) -> None:
    path = _scratch(tmp_path_factory)
    section = {"list": [{"name": f"c{i}", "id": i, "messages": m} for i, m in enumerate(chat_list)]}
    doc = {"about": "x", ("left_chats" if left else "chats"): section}
    path.write_text(json.dumps(doc))
    parsed = chats(parse(path))
    assert len(parsed) == len(chat_list)
    for (_, recs), messages in zip(parsed, chat_list, strict=True):
        assert {r.line for r in recs} == set(range(1, len(messages) + 1))  # type: ignore[union-attr]


def test_two_groups_created_at_one_time_by_one_actor_round_trip(tmp_path: Path) -> None:
    """Found by the round trip above: two create_group actions at the same minute by the
    same person were written as one service message, and one creator event was lost."""
    at = datetime(2016, 1, 1, tzinfo=UTC)
    want: list[ChatRecord] = [
        MembershipEvent(0, at, "created", handle, actor="00") for handle in ("00", "0", "00", "1")
    ]
    path = tmp_path / "result.json"
    path.write_text(telegram.render([("g", want)]), encoding="utf-8")
    [(_, got)] = chats(parse(path))
    assert list(map(_key, got)) == list(map(_key, want))
