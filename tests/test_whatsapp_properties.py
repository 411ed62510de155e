"""Properties of the WhatsApp parser: it never crashes, and parse(render(x)) gives x back."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conductgraph.loaders import whatsapp
from conductgraph.loaders.chat import (
    DEVICE_OWNER,
    ChatHeader,
    ChatMessage,
    GroupEvent,
    MembershipEvent,
    Rejected,
)
from conductgraph.loaders.whatsapp_system import is_edited, message_kind

TZ = "Europe/London"
NAMES = ["Alice Ray", "Bob", "+44 7700 900123", "Zoë Ünal", "O'Neil", "Dan W", "Sgt Mo Hussain"]
FAST = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@contextmanager
def _file(data: bytes) -> Iterator[Path]:
    fd, name = tempfile.mkstemp(suffix=".txt")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        yield Path(name)
    finally:
        os.unlink(name)


# --- never crashes ------------------------------------------------------------------------

_header_like = st.sampled_from([
    b"12/08/2016, 16:20 - A: hi", b"[12/08/2016, 16:20:05] B: yo", b"8/12/16, 4:20\xe2\x80\xafPM - C: x",
    b"31/02/2016, 10:00 - D: bad date", b"12.08.16, 25:61 - E: bad time", b"2016-08-12 10:00 - F left",
    b"\xe2\x80\x8e[12/08/2016, 16:20:05] G: \xe2\x80\x8eimage omitted", b"12/08/2016, 16:20 - ",
    b"\xef\xbb\xbf12/08/2016, 16:20 - H added I, J and K", b"", b"\r",
])
_lines = st.lists(st.one_of(_header_like, st.binary(max_size=40)), max_size=25)


@FAST
@given(_lines, st.sampled_from([b"\n", b"\r\n"]), st.booleans())
def test_any_bytes_parse_or_reject_with_line_numbers(lines: list[bytes], nl: bytes,
                                                     final_newline: bool) -> None:
    data = nl.join(lines) + (nl if final_newline and lines else b"")
    n_lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    with _file(data) as path:
        records = list(whatsapp.parse(path))
    assert isinstance(records[0], ChatHeader)
    assert records[0].date_order in whatsapp.DATE_ORDERS
    seen = [r.line for r in records[1:]]  # type: ignore[union-attr]
    assert all(1 <= n <= n_lines for n in seen)
    assert seen == sorted(seen)  # file order
    for r in records[1:]:
        assert isinstance(r, ChatMessage | MembershipEvent | GroupEvent | Rejected)
        if isinstance(r, Rejected):
            r.raw.encode("utf-8")  # always a valid string, whatever the bytes were


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    with _file(data) as path:
        records = list(whatsapp.parse(path))
    assert isinstance(records[0], ChatHeader)
    text = data.decode("utf-8", "replace")
    whatsapp.sniff(text)
    assert whatsapp.detect_date_order(text.splitlines()) in whatsapp.DATE_ORDERS


# --- round trip -----------------------------------------------------------------------------

_line_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)
_times = st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2030, 12, 31),
                      timezones=st.just(UTC))


@st.composite
def _message(draw: st.DrawFn) -> ChatMessage:
    at = draw(_times)
    sender = draw(st.sampled_from([*NAMES, DEVICE_OWNER]))
    kind = draw(st.sampled_from(["text", "text", "text", "media", "deleted"]))
    if kind != "text":
        return ChatMessage(0, at, sender, "", kind)  # the style's placeholder is rendered
    lines = draw(st.lists(_line_text, min_size=1, max_size=3))
    first = lines[0]
    # Text a parser would rightly read otherwise: a placeholder, a system-line marker.
    assume(first[:1] not in "\u200e\u200f" and message_kind(first) == "text")
    assume(not is_edited("\n".join(lines)))
    for line in lines[1:]:
        assume(whatsapp._GENERAL.match(line) is None)  # a body line that is a header
    return ChatMessage(0, at, sender, "\n".join(lines))


@st.composite
def _membership(draw: st.DrawFn) -> MembershipEvent:
    at = draw(_times)
    kind = draw(st.sampled_from(["created", "added", "joined", "left", "removed"]))
    handle = draw(st.sampled_from([*NAMES, DEVICE_OWNER]))
    actor: str | None = handle
    if kind in ("added", "removed"):
        actor = draw(st.sampled_from([*NAMES, DEVICE_OWNER, None]))
        assume(actor != handle)
    return MembershipEvent(0, at, kind, handle, actor)


def _expected_time(at: datetime, seconds: bool) -> datetime:
    zone = ZoneInfo(TZ)
    local = at.astimezone(zone).replace(tzinfo=None)
    if not seconds:
        local = local.replace(second=0)
    return local.replace(microsecond=0, tzinfo=zone, fold=0).astimezone(UTC)


@pytest.mark.parametrize("style", sorted(whatsapp.STYLES))
@FAST
@given(records=st.lists(st.one_of(_message(), _message(), _membership()), min_size=1,
                        max_size=12))
def test_parse_of_render_round_trips(style: str, records: list[ChatMessage | MembershipEvent]
                                     ) -> None:
    spec = whatsapp.STYLES[style]
    data = "".join(whatsapp.render(records, style=style, timezone=TZ)).encode("utf-8")
    with _file(data) as path:
        parsed = list(whatsapp.parse(path, timezone=TZ, date_order=spec.order,
                                     owner_names=["You"]))
    assert isinstance(parsed[0], ChatHeader)
    assert not [r for r in parsed if isinstance(r, Rejected | GroupEvent)]
    got = parsed[1:]
    assert len(got) == len(records)
    for want, have in zip(records, got, strict=True):
        if isinstance(want, ChatMessage):
            assert isinstance(have, ChatMessage)
            assert (have.sender, have.kind, have.precise) == (want.sender, want.kind, spec.seconds)
            if want.kind == "text":
                assert have.text == want.text
            assert have.sent_at == _expected_time(want.sent_at, spec.seconds)
        else:
            assert isinstance(have, MembershipEvent)
            actor = want.actor
            assert (have.kind, have.handle, have.actor) == (want.kind, want.handle, actor)
            assert have.at == _expected_time(want.at, spec.seconds)
