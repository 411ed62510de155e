"""The plain records loaders yield and the store writer consumes.

A loader never talks to a database: it yields :class:`Node` and :class:`Rel`
records (and :class:`Rejected` lines), which :mod:`conductgraph.graph.writer`
validates against :mod:`conductgraph.graph.schema` and writes in batches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    # A null would erase a value another source set; absent means "not known here".
    if None not in props.values():
        return props
    return {k: v for k, v in props.items() if v is not None}


@dataclass(slots=True)
class Node:
    """A node. ``label`` may be a sublabel (``Officer``); ``once`` is set on creation only."""

    label: str
    id: str
    props: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    once: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.props = _clean(self.props)
        self.once = _clean(self.once)

    @classmethod
    def without_nulls(cls, label: str, node_id: str, *, once: dict[str, Any],
                      source: str | None = None) -> Node:
        """A node whose ``once`` map its maker built with no null in it (a converter's
        message, a million times a load): the same node, without looking for nulls."""
        node = object.__new__(cls)
        node.label, node.id, node.props, node.source, node.once = label, node_id, {}, source, once
        return node


@dataclass(slots=True)
class Rel:
    """A relationship between two nodes given by label and id."""

    type: str
    start_label: str
    start: str
    end_label: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.props = _clean(self.props)


@dataclass(slots=True)
class PostedMessage:
    """A message with where it was posted and who sent it.

    The same as a ``Message`` node plus ``POSTED_IN`` and ``SENT`` relationships, written
    as one row: messages are most of any case, and one row instead of three keeps loading
    fast.
    """

    node: Node
    group: str
    sender: str


@dataclass(slots=True)
class Rejected:
    """A line or record that could not be parsed: kept raw with its place and reason."""

    line: int
    raw: str
    reason: str


Record = Node | Rel | PostedMessage
