"""Our fast parameter header says exactly what the official client's serializer says."""

from __future__ import annotations

from falkordb.helpers import stringify_param_value
from hypothesis import given
from hypothesis import strategies as st

from conductgraph.graph.falkordb_params import literal

# NUL aside: the client sends it as is (and FalkorDB stops reading there); we send U+2400.
texts = st.text().filter(lambda t: "\x00" not in t)
scalars = st.none() | st.booleans() | st.integers() | texts | st.floats(
    allow_nan=False, allow_infinity=False)
keys = texts.filter(lambda k: k and "`" not in k)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(keys, inner, max_size=4), max_leaves=20)


@given(values)
def test_same_text_as_the_client(value: object) -> None:
    assert literal(value) == stringify_param_value(value)


def test_a_nul_is_sent_as_its_stand_in() -> None:
    assert literal("a\x00b") == '"a\u2400b"'
    assert literal({"k": ["\x00"]}) == '{`k`:["\u2400"]}'


def test_round_trip_through_the_server(empty_store) -> None:  # type: ignore[no-untyped-def]
    if empty_store.backend != "falkordb":
        return
    from conductgraph.graph.falkordb_params import EncodedParams, params_header
    from conductgraph.graph.queries import Query

    text = 'quote " backslash \\ newline \n tab \t emoji 😂 nul-free'
    q = Query("test/echo", "RETURN $v AS v, $m AS m", "")
    rows = empty_store.write(q, EncodedParams(params_header({"v": text, "m": {"a": [1, None]}})))
    assert rows == [{"v": text, "m": {"a": [1, None]}}]
