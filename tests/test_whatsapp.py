"""WhatsApp parser on hand-written fixtures: senders, UTC times, kinds, events, rejected lines."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from conductgraph.graph.records import Node, PostedMessage, Rel
from conductgraph.loaders import whatsapp, whatsapp_system
from conductgraph.loaders.chat import (
    DEVICE_OWNER,
    ChatHeader,
    ChatMessage,
    GroupEvent,
    MembershipEvent,
    Rejected,
)
from conductgraph.loaders.chat_graph import ExportContext, ExportConverter
from conductgraph.loaders.membership import MembershipLedger

FIX = Path(__file__).parent / "fixtures" / "whatsapp"


def _parse(name: str, **kw: object) -> list[object]:
    return list(whatsapp.parse(FIX / name, **kw))  # type: ignore[arg-type]


def _of(records: list[object], cls: type) -> list:  # type: ignore[type-arg]
    return [r for r in records if isinstance(r, cls)]


def _utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=UTC)


def _members(records: list[object]) -> list[tuple[str, str, str | None]]:
    return [(e.kind, e.handle, e.actor) for e in _of(records, MembershipEvent)]


def test_android_24h_day_first() -> None:
    recs = _parse("android24_dmy.txt")
    header = recs[0]
    assert header == ChatHeader(platform="whatsapp", title="Charing X Lates", date_order="dmy")
    msgs = _of(recs, ChatMessage)
    assert [(m.line, m.sender, m.kind) for m in msgs] == [
        (4, "Kev Barker", "text"),
        (5, "Sgt Mo Hussain", "text"),
        (8, "Dan Whitfield", "media"),
        (9, "+44 7700 900123", "text"),  # U+202A/U+202C stripped from the handle
        (10, "Kev Barker", "text"),
        (11, "Sgt Mo Hussain", "deleted"),
        (12, "Dan Whitfield", "text"),
        (16, "Kev Barker", "text"),
    ]
    # BST: 16:20 local is 15:20 UTC.
    assert msgs[0].sent_at == _utc(2016, 8, 12, 15, 20)
    assert msgs[0].precise is False
    # Continuation lines, one starting with a date that is no header, joined exactly.
    assert msgs[1].text == "me and Dan\nand the new lad\n12/08 was a long day though"
    assert msgs[4].edited is True and msgs[4].mentions == ["Sgt Mo Hussain"]
    assert msgs[4].text.startswith("@\u2068Sgt Mo Hussain\u2069 can you")  # text kept as exported
    # Out-of-order timestamps are kept as they are, in file order.
    assert msgs[6].sent_at == _utc(2016, 8, 12, 15, 29) < msgs[5].sent_at
    # 01:30 on the night the clocks go back is ambiguous: fold=0 (still BST).
    assert msgs[7].sent_at == _utc(2016, 10, 30, 0, 30)
    assert _members(recs) == [
        ("created", "Dan Whitfield", "Dan Whitfield"),
        ("added", "Kev Barker", "Dan Whitfield"),
        ("added", "Sgt Mo Hussain", "Dan Whitfield"),
        ("added", "+44 7700 900123", "Dan Whitfield"),
        ("removed", "+44 7700 900123", "Dan Whitfield"),
        ("left", "Kev Barker", "Kev Barker"),
    ]
    groups = _of(recs, GroupEvent)
    assert [(g.kind, g.actor, g.value) for g in groups] == [
        ("encryption_notice", None, None),
        ("subject_changed", "Dan Whitfield", "Lates: Team 2"),  # ": " inside the quoted subject
        ("icon_changed", "Dan Whitfield", None),
    ]
    assert groups[0].at == _utc(2016, 8, 11, 21, 58)
    assert not _of(recs, Rejected)


def test_android_12h_month_first_with_narrow_nbsp() -> None:
    recs = _parse("android12_mdy.txt", owner_names=["You"])
    assert recs[0].date_order == "mdy"  # type: ignore[attr-defined]
    assert recs[0].title == "Night Turn"  # type: ignore[attr-defined]
    msgs = _of(recs, ChatMessage)
    assert [(m.sender, m.sent_at, m.kind) for m in msgs] == [
        ("Alice Ray", _utc(2016, 8, 12, 23, 7), "text"),  # 12:07 AM BST
        ("Bob Lane", _utc(2016, 8, 13, 11, 30), "media"),  # 12:30 PM
        (DEVICE_OWNER, _utc(2016, 8, 13, 12, 15), "deleted"),
        (DEVICE_OWNER, _utc(2016, 8, 13, 12, 16), "text"),
        ("Alice Ray", _utc(2016, 8, 14, 8, 2), "text"),
    ]
    assert msgs[3].text == "sorry wrong chat\nignore that"
    assert msgs[4].text == "8/14/16 is my rest day btw"
    assert _members(recs) == [
        ("created", DEVICE_OWNER, DEVICE_OWNER),
        ("added", "Alice Ray", DEVICE_OWNER),
        ("joined", "Bob Lane", "Bob Lane"),
        ("left", "Bob Lane", "Bob Lane"),
    ]
    assert [g.kind for g in _of(recs, GroupEvent)] == [
        "encryption_notice", "security_code_changed", "number_changed"]
    assert _of(recs, GroupEvent)[1].actor == "Bob Lane"


def test_ios_seconds_and_marks() -> None:
    recs = _parse("ios_seconds.txt")
    assert recs[0].title is None  # type: ignore[attr-defined]
    msgs = _of(recs, ChatMessage)
    assert [(m.line, m.sender, m.kind, m.precise) for m in msgs] == [
        (2, "Priya Nair", "text", True),
        (3, "Tom Relief", "text", True),
        (4, "Tom Relief", "media", True),
        (5, "Priya Nair", "media", True),
        (6, "Tom Relief", "deleted", True),
        (7, "Priya Nair", "text", True),
        (8, "Tom Relief", "text", True),
        (12, "+44 7700 900456", "text", True),
        (13, "Priya Nair", "media", True),
    ]
    assert msgs[0].sent_at == _utc(2018, 3, 2, 7, 45, 12)  # GMT in March
    assert msgs[2].text == "\u200eimage omitted"
    assert msgs[3].text == "\u200e<attached: 00000012-PHOTO-2018-03-02-07-47-02.jpg>"
    assert msgs[5].edited is True
    assert msgs[6].text == "line one\nline two\n\nline four after a blank"
    assert [g.kind for g in _of(recs, GroupEvent)] == ["encryption_notice"]
    assert not _of(recs, Rejected)


def test_ios_2024_system_lines() -> None:
    recs = _parse("ios_2024_system.txt")
    assert recs[0].title == "Night Turn"  # type: ignore[attr-defined]
    assert _members(recs) == [
        ("created", DEVICE_OWNER, DEVICE_OWNER),
        ("added", "Bob Lane", DEVICE_OWNER),
        ("joined", "Alice Ray", "Alice Ray"),
        ("joined", "~ Carl", "~ Carl"),  # "~" + U+202F: a non-contact, as WhatsApp shows it
        ("added", "Dee Moss", "Alice Ray"),
        ("added", "Eve Hart", "Alice Ray"),
        ("added", "+44 7700 900777", "Alice Ray"),
        ("left", "Bob Lane", "Bob Lane"),
        ("removed", "~ Carl", DEVICE_OWNER),
        ("removed", DEVICE_OWNER, "Alice Ray"),
    ]
    groups = _of(recs, GroupEvent)
    assert [(g.kind, g.actor, g.value) for g in groups] == [
        ("encryption_notice", None, None),
        ("security_code_changed", "Bob Lane", None),
        ("description_changed", "Alice Ray", None),
        ("icon_changed", "Alice Ray", None),
        ("subject_changed", "Alice Ray", "Nights: West"),
    ]
    msgs = _of(recs, ChatMessage)
    assert [(m.sender, m.text) for m in msgs] == [("Bob Lane", "hello"),
                                                  ("~ Carl", "thanks for the add")]
    # The line as exported (group name and marks included) stays on the event.
    assert _of(recs, MembershipEvent)[2].text.startswith("Night Turn: \u200eAlice Ray joined")


def test_german_export_with_bom_and_crlf() -> None:
    recs = _parse("german.txt", owner_names=["Tobias Ott"], timezone="Europe/Berlin")
    assert recs[0] == ChatHeader(platform="whatsapp", title="Wache Mitte", date_order="dmy")
    msgs = _of(recs, ChatMessage)
    assert [(m.line, m.sender, m.kind, m.edited) for m in msgs] == [
        (5, "Anna Weber", "text", False),
        (6, "Ben Koch", "media", False),
        (7, "Ben Koch", "deleted", False),
        (8, "Clara Vogt", "text", True),
        (15, DEVICE_OWNER, "deleted", False),
        (16, DEVICE_OWNER, "text", False),
    ]
    assert msgs[0].text == "Wer hat morgen Frühdienst?"  # no \r left over
    assert msgs[0].sent_at == _utc(2017, 11, 3, 20, 45)  # CET
    # "@Anna": no isolates, and no participant is called just "Anna" (she is "Anna Weber").
    assert msgs[-1].mentions == []
    assert _members(recs) == [
        ("created", DEVICE_OWNER, DEVICE_OWNER),
        ("added", "Anna Weber", DEVICE_OWNER),
        ("added", "Ben Koch", "Anna Weber"),
        ("added", "Clara Vogt", "Anna Weber"),
        ("joined", "Dieter Braun", "Dieter Braun"),
        ("left", "Ben Koch", "Ben Koch"),
        ("removed", "Clara Vogt", "Anna Weber"),
    ]
    assert [(g.kind, g.value) for g in _of(recs, GroupEvent)] == [
        ("encryption_notice", None),
        ("subject_changed", "Wache Mitte – Früh"),
        ("icon_changed", None),
        ("security_code_changed", None),
    ]
    assert not _of(recs, Rejected)


def test_year_first() -> None:
    recs = _parse("ymd.txt", timezone="Europe/Stockholm")
    assert recs[0].date_order == "ymd"  # type: ignore[attr-defined]
    assert recs[0].title == "Nattpasset"  # type: ignore[attr-defined]
    msgs = _of(recs, ChatMessage)
    assert [(m.sender, m.sent_at) for m in msgs] == [
        ("Lars Berg", _utc(2017, 3, 5, 20, 15)),
        ("Sam Ek", _utc(2017, 3, 6, 5, 2)),
        ("Sam Ek", _utc(2017, 3, 6, 5, 3)),
        ("Lars Berg", _utc(2017, 4, 1, 10, 0)),  # CEST
    ]
    assert msgs[2].kind == "media"


def test_bad_lines_are_rejected_with_line_numbers() -> None:
    recs = _parse("junk.txt")
    rejected = _of(recs, Rejected)
    assert [(r.line, r.reason) for r in rejected] == [
        (1, "not a message header and no message before it"),
        (3, "not a message header and no message before it"),
        (7, "invalid UTF-8"),
        (10, "binary data (NUL byte)"),
        (14, "invalid UTF-8"),
    ]
    assert rejected[2].raw == "\\xff\\xfe garbage \\xc3( bytes"
    msgs = _of(recs, ChatMessage)
    assert [m.line for m in msgs] == [4, 6, 9, 13]
    # A header with an impossible date or time is text of the message before it.
    assert msgs[0].text.endswith("\n31/02/2017, 10:01 - Officer B: impossible date, so this "
                                 "line is text")
    assert msgs[1].text == "second\nstill part of the second message"
    assert "25:70" in msgs[2].text
    assert [(g.line, g.kind) for g in _of(recs, GroupEvent)] == [(12, "other")]
    # Records come in file order.
    lines = [getattr(r, "line", 0) for r in recs[1:]]
    assert lines == sorted(lines)


def test_same_group_from_two_phones_agrees() -> None:
    a = _parse("same_group_phone_a.txt", owner_names=["Dan Whitfield"])
    b = _parse("same_group_phone_b.txt", owner_names=["Kev Barker"])
    assert a[0].title == b[0].title == "Charing X Lates"  # type: ignore[attr-defined]
    ma, mb = _of(a, ChatMessage), _of(b, ChatMessage)
    assert len(ma) == len(mb) == 5
    for x, y in zip(ma, mb, strict=True):
        # Same minute, same kind; B has seconds, A does not.
        assert x.sent_at == y.sent_at.replace(second=0)
        assert (x.kind, x.precise, y.precise) == (y.kind, False, True)
    assert [m.text for m in ma if m.kind == "text"] == [m.text for m in mb if m.kind == "text"]
    assert [m.sender for m in ma] == ["Kev Barker", "Mo Hussain", DEVICE_OWNER, "Kev Barker",
                                      "Mo Hussain"]
    assert [m.sender for m in mb] == [DEVICE_OWNER, "Sgt Mo", "Dan W", DEVICE_OWNER, "Sgt Mo"]
    assert _members(b) == [("created", "Dan W", "Dan W"), ("added", DEVICE_OWNER, "Dan W"),
                           ("added", "Sgt Mo", "Dan W"), ("left", "Sgt Mo", "Sgt Mo")]


@pytest.mark.parametrize(("name", "order"), [
    ("android24_dmy.txt", "dmy"), ("android12_mdy.txt", "mdy"), ("ymd.txt", "ymd"),
    ("german.txt", "dmy"), ("ios_seconds.txt", "dmy"),
])
def test_detect_date_order(name: str, order: str) -> None:
    with open(FIX / name, encoding="utf-8", errors="replace") as f:
        assert whatsapp.detect_date_order(f) == order


def test_date_order_from_increasing_dates_and_override() -> None:
    # No value above 12 anywhere: the order under which dates do not go backwards wins.
    dmy = [f"0{d}/{m:02}/2017, 10:00 - A: x" for m in (1, 2, 3, 4, 5) for d in (1, 2, 3)]
    assert whatsapp.detect_date_order(dmy) == "dmy"
    mdy = [f"{m:02}/0{d}/2017, 10:00 - A: x" for m in (1, 2, 3, 4, 5) for d in (1, 2, 3)]
    assert whatsapp.detect_date_order(mdy) == "mdy"
    recs = _parse("android24_dmy.txt", date_order="mdy")
    assert recs[0].date_order == "mdy"  # type: ignore[attr-defined]
    # Read month-first, "13/08/2016" is impossible: those lines become continuation text.
    assert all(m.sent_at.day == 8 for m in _of(recs, ChatMessage) if m.line < 13)
    with pytest.raises(ValueError):
        _parse("ymd.txt", date_order="ydm")


def test_sniff() -> None:
    for f in FIX.glob("*.txt"):
        head = f.read_bytes()[:4096].decode("utf-8", "replace")
        assert whatsapp.sniff(head), f.name
    assert not whatsapp.sniff('{"participants": [{"name": "A"}], "messages": []}')
    assert not whatsapp.sniff("just some notes\n12 apples\n")
    assert not whatsapp.sniff("")


def test_mentions_are_isolated_names_numbers_or_known_participants() -> None:
    known = {"Dan Whitfield", "Dan", "Kev", "Tom (Relief)"}
    cases = [
        ("@447700900038 10 mins late", ["447700900038"]),  # the number, not "… 10"
        ("@+447700900038, late", ["+447700900038"]),
        ("@\u2068+44 7700 900038\u2069 10 mins", ["+44 7700 900038"]),
        ("@\u2068Sgt Mo Hussain\u2069 can you", ["Sgt Mo Hussain"]),  # isolates: any name
        ("@Dan Whitfield on lates", ["Dan Whitfield"]),  # the longest known name
        ("@Dan on lates", ["Dan"]),
        ("@Kev, see you @Kev", ["Kev"]),
        ("@Tom (Relief) ok", ["Tom (Relief)"]),
        ("@Sgt Mo later", []),  # not known, no isolates: not a person
        ("mail me@Kev.example or @home", []),
        ("@123456 short", []),
        ("@Dan\n@Kev", ["Dan", "Kev"]),
    ]
    for text, want in cases:
        assert whatsapp_system.mentions(text, known) == want, text
    assert whatsapp_system.mentions("@Dan on lates") == []  # no participants known yet


def test_mentions_of_participants_seen_in_the_file(tmp_path: Path) -> None:
    p = tmp_path / "m.txt"
    p.write_text("12/08/2016, 16:20 - Kev Barker added Jess Fairbairn\n"
                 "12/08/2016, 16:21 - Kev Barker: @Jess Fairbairn and @Sgt Mo, earlies?\n"
                 "12/08/2016, 16:22 - Jess Fairbairn: @Kev Barker @447700900038 10 mins late\n",
                 encoding="utf-8")
    msgs = _of(list(whatsapp.parse(p)), ChatMessage)
    assert [m.mentions for m in msgs] == [["Jess Fairbairn"], ["Kev Barker", "447700900038"]]


def test_old_ios_and_dotted_am_pm(tmp_path: Path) -> None:
    p = tmp_path / "old.txt"
    p.write_text("12/08/2016, 4:20:05 p. m.: Ana: hola\n"
                 "12/08/2016, 4:21:00 a.m.: Ana: temprano\n"
                 "13/08/2016, 12:00:00 AM: Ana: medianoche\n", encoding="utf-8")
    msgs = _of(list(whatsapp.parse(p, timezone="UTC")), ChatMessage)
    assert [(m.sender, m.sent_at) for m in msgs] == [
        ("Ana", _utc(2016, 8, 12, 16, 20, 5)),
        ("Ana", _utc(2016, 8, 12, 4, 21)),
        ("Ana", _utc(2016, 8, 13, 0, 0)),
    ]


def test_spring_forward_gap_and_other_zones(tmp_path: Path) -> None:
    p = tmp_path / "dst.txt"
    p.write_text("27/03/2016, 00:59 - A: before\n27/03/2016, 02:00 - A: after\n"
                 "15/07/2016, 09:00 - A: summer\n", encoding="utf-8")
    msgs = _of(list(whatsapp.parse(p)), ChatMessage)
    assert [m.sent_at for m in msgs] == [_utc(2016, 3, 27, 0, 59), _utc(2016, 3, 27, 1, 0),
                                         _utc(2016, 7, 15, 8, 0)]
    ny = _of(list(whatsapp.parse(p, timezone="America/New_York")), ChatMessage)
    assert ny[2].sent_at == _utc(2016, 7, 15, 13, 0)


def test_empty_and_headerless_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert list(whatsapp.parse(empty)) == [ChatHeader(platform="whatsapp", date_order="dmy")]
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\nworld", encoding="utf-8")
    recs = list(whatsapp.parse(notes))
    assert [(r.line, r.raw) for r in _of(recs, Rejected)] == [(1, "hello"), (2, "world")]


def test_render_then_parse_a_fixture_keeps_it(tmp_path: Path) -> None:
    recs = _parse("ios_2024_system.txt")
    out = tmp_path / "again.txt"
    out.write_text("".join(whatsapp.render(recs, style="ios_seconds_dmy", timezone="UTC")),
                   encoding="utf-8")
    again = list(whatsapp.parse(out, timezone="UTC"))
    assert _members(again) == _members(recs)
    assert [(m.sender, m.text, m.sent_at) for m in _of(again, ChatMessage)] == [
        (m.sender, m.text, m.sent_at) for m in _of(recs, ChatMessage)]
    with pytest.raises(ValueError):
        list(whatsapp.render(recs, style="nokia"))


def _system_messages(name: str, handles: dict[str, str], owner: str,
                     owner_names: list[str]) -> dict[str, str]:
    """The system Message nodes one export gives: id → text, through the graph conversion."""
    ctx = ExportContext(source_id=name, platform="whatsapp", path_stem=name,
                        group_id="group:lates", handles=handles, device_owner=owner)
    out = ExportConverter(ctx, MembershipLedger()).convert(
        whatsapp.parse(FIX / name, owner_names=owner_names))
    return {r.id: r.once["text"] for r in out
            if isinstance(r, Node) and r.label == "Message" and r.once["kind"] == "system"}


def test_group_changes_from_two_phones_are_one_message_each() -> None:
    # Phone A: Android, English, Kev's ("You"); phone B: iOS, German, with seconds, Mo's.
    people = {"Dan Whitfield": "person:dan", "Dan W": "person:dan", "Kev Barker": "person:kev",
              "Mo Hussain": "person:mo", "Sgt Mo": "person:mo"}
    a = _system_messages("topic_phone_a.txt", people, "person:kev", [])
    b = _system_messages("topic_phone_b.txt", people, "person:mo", ["Sgt Mo"])
    # created, added ×2, subject ×2 (Dan's, then Kev's: "You" on A), icon, description.
    assert len(a) == len(b) == 7
    assert a.keys() == b.keys(), "worded per locale and phone, keyed on the event"
    assert sorted(a.values()) != sorted(b.values())  # each keeps its own exact text


@pytest.mark.parametrize("block", [7, 64, 333])
def test_block_boundaries_change_nothing(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Blocks end at a line end; a line longer than a block is read on. Any block size
    # (here far below a line's length, and CRLF, BOM and bad bytes in the fixtures) must
    # give the records the default size gives.
    names = sorted(f.name for f in FIX.glob("*.txt"))
    whole = {n: _parse(n, owner_names=["You"]) for n in names}
    monkeypatch.setattr(whatsapp, "_BLOCK", block)
    for n in names:
        assert _parse(n, owner_names=["You"]) == whole[n], n


def _message_ids(path: Path, handles: dict[str, str], owner: str) -> dict[str, tuple[str, list[str]]]:
    """Message id → (exact text, mentioned people) of one export, through the graph conversion."""
    ctx = ExportContext(source_id=path.name, platform="whatsapp", path_stem=path.stem,
                        group_id="group:lates", handles=handles, device_owner=owner)
    records = list(ExportConverter(ctx, MembershipLedger()).convert(whatsapp.parse(path)))
    mentions: dict[str, list[str]] = {}
    for r in records:
        if isinstance(r, Rel) and r.type == "MENTIONS":
            mentions.setdefault(r.start, []).append(r.end)
    return {r.node.id: (r.node.once["text"], mentions.get(r.node.id, [])) for r in records
            if isinstance(r, PostedMessage)}


def test_a_mention_shown_by_two_phones_two_ways_is_one_message(tmp_path: Path) -> None:
    # Phone A saved Kev as a contact; phone B did not and shows his number.
    a = tmp_path / "a.txt"
    # A name without isolate marks counts once its owner has been seen in the file.
    a.write_text("12/08/2016, 16:19 - Kev Barker: on my way\n"
                 "12/08/2016, 16:20 - Mo Hussain: @\u2068Kev Barker\u2069 10 mins late\n"
                 "12/08/2016, 16:21 - Dan Whitfield: @Kev Barker ok\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("[12/08/2016, 16:19:05] +44 7700 900038: on my way\n"
                 "[12/08/2016, 16:20:31] Mo Hussain: @\u2068+44 7700 900038\u2069 10 mins late\n"
                 "[12/08/2016, 16:21:02] Dan Whitfield: @447700900038 ok\n", encoding="utf-8")
    people = {"Kev Barker": "person:kev", "+44 7700 900038": "person:kev",
              "Mo Hussain": "person:mo", "Dan Whitfield": "person:dan"}
    from_a = _message_ids(a, people, "person:mo")
    from_b = _message_ids(b, people, "person:mo")
    assert len(from_a) == 3 and from_a.keys() == from_b.keys()
    mentioning = [mid for mid in from_a if from_a[mid][1]]
    assert len(mentioning) == 2
    for mid in mentioning:
        assert from_a[mid][1] == from_b[mid][1] == ["person:kev"]
        assert from_a[mid][0] != from_b[mid][0]  # each keeps its exact text
    assert {from_b[m][0] for m in mentioning} == {"@\u2068+44 7700 900038\u2069 10 mins late",
                                                  "@447700900038 ok"}


def test_ios_group_name_with_a_colon_speaks_its_system_lines() -> None:
    # "[…] Lates: Team 2: ‎Dan W added Kev Barker": the group's name, not a sender "Lates".
    records = whatsapp.parse(FIX / "ios_colon_group.txt")
    header = next(records)
    assert isinstance(header, ChatHeader) and header.title == "Lates: Team 2"
    rest = list(records)
    messages = [r for r in rest if isinstance(r, ChatMessage)]
    assert [(m.sender, m.text) for m in messages] == [("Dan W", "morning: all good?"),
                                                      ("Kev Barker", "yes")]
    kinds = [(r.kind, r.handle) for r in rest if isinstance(r, MembershipEvent)]
    assert kinds == [("created", "Dan W"), ("added", "Kev Barker"), ("left", "Kev Barker")]
