"""Write loader records to a store: validated, batched ``UNWIND`` MERGEs, idempotent.

Records are buffered per write query (one file in ``cypher/write/`` per label and
per relationship pattern). Whenever a buffer is full, every node buffer is
flushed before any relationship buffer, so a relationship never waits on a node
still held in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import ConductGraphError, InputError
from .queries import load_query
from .records import Node, Rel
from .schema import REL_BY_TYPE, base_label, validate_node, validate_rel
from .schema_files import node_query_name, rel_query_name
from .store import GraphStore


@dataclass
class WriteStats:
    nodes: int = 0
    rels: int = 0
    batches: int = 0
    by_query: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class RecordWriter:
    """Buffer and write records; use as a context manager so the tail is flushed.

    >>> with RecordWriter(store) as w:                     # doctest: +SKIP
    ...     w.add(Node("Group", "group:x", {"name": "x", "platform": "whatsapp"}))
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        batch_size: int = 5000,
        validate: bool = True,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        self.store = store
        self.batch_size = batch_size
        self.validate = validate
        self.on_batch = on_batch
        self.stats = WriteStats()
        self._nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._rels: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._rel_keys: dict[str, tuple[str, ...]] = {}

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.flush()

    def add(self, record: Node | Rel) -> None:
        if isinstance(record, Node):
            self.add_node(record)
        else:
            self.add_rel(record)

    def add_all(self, records: Iterable[Node | Rel]) -> None:
        for record in records:
            self.add(record)

    def add_node(self, node: Node) -> None:
        if self.validate:
            validate_node(node.label, node.id, {**node.once, **node.props})
        rows = self._nodes[node_query_name(node.label)]
        rows.append({"id": node.id, "props": node.props, "once": node.once, "source": node.source})
        if len(rows) >= self.batch_size:
            self.flush()

    def add_rel(self, rel: Rel) -> None:
        if self.validate:
            validate_rel(rel.type, rel.start_label, rel.end_label, rel.props)
        name = rel_query_name(rel.type, base_label(rel.start_label), base_label(rel.end_label))
        self._rel_keys.setdefault(name, REL_BY_TYPE[rel.type].key)
        rows = self._rels[name]
        rows.append({"start": rel.start, "end": rel.end, "props": rel.props})
        if len(rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        for buffers, is_node in ((self._nodes, True), (self._rels, False)):
            for name in sorted(buffers):
                rows = buffers[name]
                for i in range(0, len(rows), self.batch_size):
                    self._write(name, rows[i : i + self.batch_size], is_node)
            buffers.clear()

    def _merge_duplicates(self, name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One row per relationship: later rows' properties win, as sequential SETs would.

        FalkorDB returns one row, not one per input row, when a batch MERGEs the same new
        relationship twice, which would defeat the count check below.
        """
        key_props = self._rel_keys.get(name, ())
        merged: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in rows:
            key = (row["start"], row["end"], *(row["props"].get(k) for k in key_props))
            prev = merged.get(key)
            if prev is None:
                merged[key] = row
            else:
                merged[key] = {**prev, "props": {**prev["props"], **row["props"]}}
        return list(merged.values())

    def _write(self, name: str, rows: list[dict[str, Any]], is_node: bool) -> None:
        if not rows:
            return
        if not is_node:
            rows = self._merge_duplicates(name, rows)
        result = self.store.write(load_query(name), {"rows": rows})
        written = int(result[0]["written"]) if result else 0
        if not is_node:
            self._check_rel_ends(name, rows, written)
        self.stats.batches += 1
        self.stats.by_query[name] += written
        if is_node:
            self.stats.nodes += len(rows)
        else:
            self.stats.rels += len(rows)
        if self.on_batch:
            self.on_batch(len(rows))

    def _check_rel_ends(self, name: str, rows: list[dict[str, Any]], written: int) -> None:
        # MATCH finds nothing for a missing end node: say so instead of dropping silently.
        if written < len(rows):
            raise MissingEndError(
                f"{len(rows) - written} of {len(rows)} relationships of {name} name a node "
                "that does not exist",
                detail={"query": name, "sample": rows[:3]},
            )


class MissingEndError(InputError):
    code = "missing_node"


__all__ = ["RecordWriter", "WriteStats", "MissingEndError", "ConductGraphError"]
