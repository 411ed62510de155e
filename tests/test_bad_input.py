"""Bad input through the whole load, for every loader and the case file: loaded or refused, never a crash.

The parser-level properties (any bytes parse, records round-trip) live in
test_whatsapp_properties.py, test_messenger.py and test_telegram.py. Here each damaged
file goes through :func:`load_paths` into a real store, and each outcome must be one of

- loaded (bad lines and records become ``:Rejected`` nodes), or
- refused with a :class:`ConductGraphError` whose message names the file (and field),
  with the store exactly as it was before (no partial write of a refused file).

Any other exception fails the test.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conductgraph.graph.errors import ConductGraphError
from conductgraph.graph.loading import load_paths
from conductgraph.graph.store import GraphStore

from .conftest import FIXTURES
from .reliability_support import assert_same_graph, fingerprint_store

EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SAMPLES = {
    "whatsapp": FIXTURES / "whatsapp" / "android24_dmy.txt",
    "messenger": FIXTURES / "messenger" / "thread_a" / "message_1.json",
    "telegram": FIXTURES / "telegram" / "single" / "result.json",
}
HUGE = 6 * 2**20  # bytes in one line
DEEP = 100_000  # levels of nesting


def load_or_refuse(store: GraphStore, paths: list[Path], named: Path) -> str:
    """Load ``paths``; on refusal check the message names ``named`` and nothing was written."""
    before = fingerprint_store(store)
    try:
        load_paths(store, paths, store.settings)  # type: ignore[attr-defined]
    except ConductGraphError as exc:
        assert named.name in exc.message, f"the error does not name {named}: {exc.message}"
        assert_same_graph(fingerprint_store(store), before)
        return "refused"
    return "loaded"


def _export(tmp: Path, fmt: str, data: bytes) -> Path:
    # Keep the file name: it is how Messenger and Telegram files are recognised.
    folder = tmp / fmt
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    path = folder / SAMPLES[fmt].name
    path.write_bytes(data)
    return path


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` truncated, re-encoded (UTF-16, latin-1, cp1252) or with binary bytes spliced in."""
    how = draw(st.sampled_from(["truncate", "binary", "encoding", "repeat"]))
    pos = draw(st.integers(0, len(data)))
    if how == "truncate":
        return data[:pos]
    if how == "binary":
        return data[:pos] + draw(st.binary(min_size=1, max_size=64)) + data[pos:]
    if how == "repeat":  # the file's own tail again (duplicate records, broken structure)
        return data[:pos] + data[draw(st.integers(0, len(data))) :]
    codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252"]))
    return data.decode("utf-8").encode(codec, "replace")


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_damaged_exports_load_or_are_refused_cleanly(
    empty_store: GraphStore, tmp_path: Path, fmt: str
) -> None:
    @EXAMPLES
    @given(damaged(SAMPLES[fmt].read_bytes()))
    def run(data: bytes) -> None:
        path = _export(tmp_path, fmt, data)
        load_or_refuse(empty_store, [path], path)

    run()


def _whatsapp_huge(n: int) -> bytes:
    return (
        b"12/08/2016, 16:20 - Dan W: "
        + b"x" * n
        + b"\n"
        + b"12/08/2016, 16:21 - Kev: after the long one\n"
        + b"y" * n
    )


def _messenger(messages: list[object]) -> bytes:
    return json.dumps(
        {"participants": [{"name": "A"}], "messages": messages, "title": "T", "thread_path": "inbox/t_1"}
    ).encode()


def _telegram(messages: list[object]) -> bytes:
    return json.dumps({"name": "T", "type": "private_group", "id": 1, "messages": messages}).encode()


def _tg(text: object = "hi", **fields: object) -> dict[str, object]:
    return {
        "id": 1,
        "type": "message",
        "date": "2016-08-12T16:20:00",
        "date_unixtime": "1471015200",
        "from": "A",
        "from_id": "user1",
        "text": text,
        **fields,
    }


def _deep(n: int) -> str:
    return "[" * n + "]" * n


CASES = {
    "whatsapp huge lines": ("whatsapp", _whatsapp_huge(HUGE)),
    "messenger huge line": (
        "messenger",
        _messenger([{"sender_name": "A", "timestamp_ms": 1470000000000, "content": "x" * HUGE}]),
    ),
    "telegram huge line": ("telegram", _telegram([_tg("x" * HUGE)])),
    "messenger deeply nested": (
        "messenger",
        _messenger([]).replace(
            b'"messages": []',
            b'"messages": [{"sender_name": "A", "timestamp_ms": 1, "content": '
            + _deep(DEEP).encode()
            + b"}]",
        ),
    ),
    "telegram deeply nested": (
        "telegram",
        _telegram([]).replace(
            b'"messages": []',
            b'"messages": [{"id": 1, "type": "message", "text": ' + _deep(DEEP).encode() + b"}]",
        ),
    ),
    "json nested before any record": ("telegram", _deep(DEEP).encode()),
    "messenger times out of range": (
        "messenger",
        _messenger(
            [{"sender_name": "A", "timestamp_ms": t, "content": "x"} for t in (10**17, -(10**17), 1e300)]
        ),
    ),
    "telegram dates out of range": (
        "telegram",
        _telegram(
            [
                _tg(date_unixtime="99999999999999"),
                _tg(date="0000-01-01T00:00:00", date_unixtime=None),
                _tg(date="9999-12-31T23:59:59", date_unixtime=None),
            ]
        ),
    ),
    "whatsapp impossible dates": (
        "whatsapp",
        b"31/02/2016, 10:00 - A: no such day\n"
        b"12/13/2016, 10:00 - A: no such month\n"
        b"00/00/0000, 25:61 - A: nothing valid\n",
    ),
    "whatsapp binary": ("whatsapp", b"12/08/2016, 16:20 - A: hi\n\x00\xff\xfe\x00binary\x00\n"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_extreme_exports_load_or_are_refused_cleanly(
    empty_store: GraphStore, tmp_path: Path, name: str
) -> None:
    fmt, data = CASES[name]
    path = _export(tmp_path, fmt, data)
    load_or_refuse(empty_store, [path], path)


def _year_edge_case(tmp: Path, zone: str, line: bytes) -> Path:
    (tmp / "chat.txt").write_bytes(b"12/08/2016, 16:20 - A: before\n" + line)
    (tmp / "case.yaml").write_text(
        "case: {id: t, name: T}\ngroups: [{id: g, name: G, platform: whatsapp}]\n"
        f"sources: [{{path: chat.txt, format: whatsapp, group: g, timezone: {zone}}}]\n"
    )
    return tmp


@pytest.mark.parametrize(
    ("zone", "line"),
    [
        pytest.param(
            "Asia/Tokyo", b"01/01/0001, 00:00 - A: first day of year 1, east of UTC\n", id="year-1-tokyo"
        ),
        pytest.param(
            "America/New_York",
            b"31/12/9999, 23:59 - A: last day of 9999, west of UTC\n",
            id="year-9999-new-york",
        ),
    ],
)
def test_whatsapp_dates_at_the_ends_of_the_calendar(
    empty_store: GraphStore, tmp_path: Path, zone: str, line: bytes
) -> None:
    case = _year_edge_case(tmp_path, zone, line)
    load_or_refuse(empty_store, [case], case / "chat.txt")


@pytest.mark.parametrize("fmt", [pytest.param("messenger"), pytest.param("telegram")])
def test_a_nul_character_in_a_json_text(empty_store: GraphStore, tmp_path: Path, fmt: str) -> None:
    data = (
        _messenger([{"sender_name": "A", "timestamp_ms": 1470000000000, "content": "a\u0000b"}])
        if fmt == "messenger"
        else _telegram([_tg("a\u0000b")])
    )
    path = _export(tmp_path, fmt, data)
    load_or_refuse(empty_store, [path], path)


# --------------------------------------------------------------------------- case files

CASE_HEAD = (
    "case: {id: bad, name: Bad input case}\n"
    "organisations: [{id: mps, name: Metropolitan Police}, {id: iopc, name: IOPC}]\n"
    "units: [{id: cx, name: Charing Cross, part_of: mps}, {id: wt, name: Westminster team}]\n"
    "people: [{id: a, name: Officer A, handles: {whatsapp: [Dan W]}}, {id: b, name: Officer B}]\n"
    "groups: [{id: g, name: Lates, platform: whatsapp}, {id: h, name: Days, platform: whatsapp}]\n"
    "categories: [{id: banter, name: Banter}, {id: threats, name: Threats}]\n"
    "messages: [{id: m1, group: g, sent_at: '2016-08-12T16:20:00Z', text: hi},\n"
    "           {id: m2, group: g, sent_at: '2016-08-12T16:21:00Z', text: yo}]\n"
    "investigation: {id: op, name: Op, conducted_by: iopc}\n"
    "findings: [{id: f1, summary: One}, {id: f2, summary: Two}]\n"
    "recommendations: [{number: 1, text: One}, {number: 2, text: Two}]\n"
    "documents: [{id: d1, title: One}, {id: d2, title: Two}]\n"
    "sources: [{path: chat.txt, format: whatsapp, group: g}]\n"
)
#: section → (the text giving its first two items distinct ids, the same with a duplicate)
DUPLICATES = {
    "organisations": ("{id: iopc, name: IOPC}", "{id: mps, name: IOPC}"),
    "units": ("{id: wt, name: Westminster team}", "{id: cx, name: Westminster team}"),
    "people": ("{id: b, name: Officer B}", "{id: a, name: Officer B}"),
    "groups": ("{id: h, name: Days", "{id: g, name: Days"),
    "categories": ("{id: threats,", "{id: banter,"),
    "messages": ("{id: m2,", "{id: m1,"),
    "findings": ("{id: f2,", "{id: f1,"),
    "recommendations": ("{number: 2,", "{number: 1,"),
    "documents": ("{id: d2,", "{id: d1,"),
}


def _case(tmp: Path, text: str | bytes) -> Path:
    folder = tmp / "case"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES["whatsapp"], folder / "chat.txt")
    data = text.encode() if isinstance(text, str) else text
    (folder / "case.yaml").write_bytes(data)
    return folder


def test_the_bad_input_case_itself_loads(empty_store: GraphStore, tmp_path: Path) -> None:
    case = _case(tmp_path, CASE_HEAD)
    assert load_or_refuse(empty_store, [case], case / "case.yaml") == "loaded"


@EXAMPLES
@given(st.lists(st.sampled_from(sorted(DUPLICATES)), min_size=1, max_size=4, unique=True))
def test_duplicate_ids_are_refused_naming_each_field(
    empty_store: GraphStore, tmp_path: Path, sections: list[str]
) -> None:
    text = CASE_HEAD
    for section in sections:
        text = text.replace(*DUPLICATES[section])
    case = _case(tmp_path, text)
    before = fingerprint_store(empty_store)
    with pytest.raises(ConductGraphError) as info:
        load_paths(empty_store, [case], empty_store.settings)  # type: ignore[attr-defined]
    fields = [d["field"] for d in info.value.detail]
    for section in sections:
        key = "number" if section == "recommendations" else "id"
        assert f"{section}[1].{key}" in fields, (section, fields)
    assert "case.yaml" in info.value.message
    assert_same_graph(fingerprint_store(empty_store), before)


@EXAMPLES
@given(damaged(CASE_HEAD.encode()))
def test_damaged_case_files_load_or_are_refused_cleanly(
    empty_store: GraphStore, tmp_path: Path, data: bytes
) -> None:
    case = _case(tmp_path, data)
    load_or_refuse(empty_store, [case], case / "case.yaml")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(CASE_HEAD + "x: " + _deep(20_000) + "\n", id="deep-yaml"),
        pytest.param(CASE_HEAD.replace("Bad input case", "x" * HUGE), id="huge-line"),
        pytest.param(
            CASE_HEAD + "memberships: [{person: a, group: g, from: '9999-12-31T23:00:00-05:00'}]\n",
            id="membership-after-9999",
        ),
        pytest.param(
            CASE_HEAD.replace("2016-08-12T16:21:00Z", "0001-01-01T00:00:00+05:00"), id="message-before-year-1"
        ),
        pytest.param(
            CASE_HEAD.replace(
                "{id: wt, name: Westminster team}", "{id: wt, name: W, disbanded_at: 10000-01-01}"
            ),
            id="year-10000",
        ),
        pytest.param(CASE_HEAD + "people: []\n", id="a-section-twice"),
        pytest.param("case: &a [*a, *a]\n", id="recursive-alias"),
    ],
)
def test_extreme_case_files_load_or_are_refused_cleanly(
    empty_store: GraphStore, tmp_path: Path, text: str
) -> None:
    case = _case(tmp_path, text)
    load_or_refuse(empty_store, [case], case / "case.yaml")


# --------------------------------------------------------------------------- analyst codings

CODINGS_HEAD = b"group,sent_at,sender,text_excerpt,category,coder\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(CODINGS_HEAD + b"g,2016-08-12T16:20:00Z,Dan W,hi,banter,x\n", id="good"),
        pytest.param(CODINGS_HEAD + b"g,not a time,Dan W,hi,banter,x\n", id="bad-time-row"),
        pytest.param(
            CODINGS_HEAD + "g,2016-08-12T16:20:00Z,Dan W,café,banter,x\n".encode("latin-1"), id="latin-1"
        ),
        pytest.param(
            (CODINGS_HEAD + b"g,2016-08-12T16:20:00Z,Dan W,hi,banter,x\n").decode().encode("utf-16"),
            id="utf-16",
        ),
        pytest.param(
            CODINGS_HEAD + b'g,2016-08-12T16:20:00Z,Dan W,"' + b"x" * 200_000 + b'",banter,x\n',
            id="huge-field",
        ),
        pytest.param(b"a,b\n1,2\n", id="missing-columns"),
    ],
)
def test_codings_csv_loads_or_is_refused_before_anything_is_written(
    empty_store: GraphStore, tmp_path: Path, data: bytes
) -> None:
    case = _case(tmp_path, CASE_HEAD + "codings: codings.csv\n")
    (case / "codings.csv").write_bytes(data)
    load_or_refuse(empty_store, [case], case / "codings.csv")
