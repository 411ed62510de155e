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

from .background_sender import BackgroundSender
from .errors import ConductGraphError, InputError
from .queries import load_query
from .records import Node, PostedMessage, Rel
from .schema import base_label, validate_node, validate_rel, validate_rel_shape
from .schema_files import (
    POSTED_MESSAGE_NEW_QUERY,
    POSTED_MESSAGE_QUERY,
    node_query_name,
    rel_query_name,
)
from .store import GraphStore


@dataclass
class WriteStats:
    nodes: int = 0
    rels: int = 0
    batches: int = 0
    by_query: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class RecordWriter:
    """Buffer and write records; use as a context manager so the tail is flushed.

    Batches go to the store from one background thread, in order, while the caller
    prepares the next ones: the database works while Python parses. At most two batches
    wait at a time, so memory stays bounded. :meth:`flush` returns once everything is
    written; an error in a batch is raised in the caller at the next call.

    Example (needs a store)::

        with RecordWriter(store) as w:
            w.add(Node("Group", "group:x", {"name": "x", "platform": "whatsapp"}))
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        batch_size: int = 5000,
        validate: bool = True,
    ) -> None:
        self.store = store
        self.batch_size = batch_size
        self.validate = validate
        self.stats = WriteStats()
        # One row per node id and query: see merge_node_row.
        self._nodes: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self._rels: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._rel_keys: dict[str, tuple[str, ...]] = {}
        # Messages with group and sender, one row per id (see _add_posted).
        self._posted: dict[str, dict[str, Any]] = {}
        # (type, start label, end label) -> query name, once validated.
        self._rel_names: dict[tuple[str, str, str], str] = {}
        self._rel_has_props: dict[str, bool] = {}
        self._encode: Callable[[dict[str, Any]], Any] | None = getattr(store, "encode_params", None)
        self._sender = BackgroundSender(lambda job: self._send(*job), "conductgraph-writer")

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            if exc_type is None:
                self.flush()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the background sender (after what is queued); safe to call twice."""
        self._sender.stop()

    def add(self, record: Node | Rel | PostedMessage) -> None:
        cls = record.__class__
        if cls is PostedMessage:
            self.add_posted(record)  # type: ignore[arg-type]
        elif cls is Node:
            self.add_node(record)  # type: ignore[arg-type]
        else:
            self.add_rel(record)  # type: ignore[arg-type]

    def add_posted(self, posted: PostedMessage) -> None:
        node = posted.node
        if self.validate:
            validate_node("Message", node.id, node.once)
        row = self._posted.get(node.id)
        if row is None:
            self._posted[node.id] = {"id": node.id, "once": node.once,
                                     "sources": [node.source] if node.source else [],
                                     "group": posted.group, "sender": posted.sender}
        else:
            merge_node_row(row, node)  # the same message from another export in this batch
        if len(self._posted) >= self.batch_size:
            self._drain(rels=False)

    def add_all(self, records: Iterable[Node | Rel | PostedMessage]) -> None:
        for record in records:
            self.add(record)

    def add_node(self, node: Node) -> None:
        if self.validate:
            validate_node(node.label, node.id, {**node.once, **node.props})
        rows = self._nodes[node_query_name(node.label)]
        row = rows.get(node.id)
        if row is None:
            rows[node.id] = {"id": node.id, "props": node.props, "once": node.once,
                             "sources": [node.source] if node.source else []}
        else:
            merge_node_row(row, node)
        if len(rows) >= self.batch_size:
            self._drain(messages=False, rels=False)

    def add_rel(self, rel: Rel) -> None:
        shape = (rel.type, rel.start_label, rel.end_label)
        name = self._rel_names.get(shape)
        if name is None:
            spec = validate_rel_shape(*shape)
            name = rel_query_name(rel.type, base_label(rel.start_label), base_label(rel.end_label))
            self._rel_names[shape] = name
            self._rel_keys[name] = spec.key
            self._rel_has_props[name] = bool(spec.props)
        if self.validate and self._rel_has_props[name]:
            validate_rel(rel.type, rel.start_label, rel.end_label, rel.props)
        rows = self._rels[name]
        rows.append({"start": rel.start, "end": rel.end, "props": rel.props})
        if len(rows) >= self.batch_size:
            self._drain()

    def flush(self) -> None:
        """Write everything buffered and wait until it is written; raise a batch's error."""
        self._drain()
        self._sender.wait()

    def _drain(self, *, messages: bool = True, rels: bool = True) -> None:
        """Hand buffers to the sender, without waiting: the store writes them while the
        caller goes on (a full buffer used to wait for the store, so parsing and writing
        took turns). One sender writes jobs in order: nodes first, then messages (they
        need groups and senders), then relationships, so every end node is written before
        a relationship that needs it. A full node or message buffer leaves the
        relationship buffers to fill: many small batches cost a round trip each."""
        for name in sorted(self._nodes):
            self._write_all(name, list(self._nodes[name].values()), True)
        self._nodes.clear()
        if messages and self._posted:
            self._write_all(POSTED_MESSAGE_QUERY, list(self._posted.values()), True)
            self._posted.clear()
        if not rels:
            return
        for name in sorted(self._rels):
            self._write_all(name, self._rels[name], False)
        self._rels.clear()

    def _write_all(self, name: str, rows: list[dict[str, Any]], is_node: bool) -> None:
        for i in range(0, len(rows), self.batch_size):
            self._write(name, rows[i : i + self.batch_size], is_node)

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
        self._sender.raise_if_failed()
        # Serialize here, not on the sender thread: both would compete for the GIL.
        if not is_node:
            rows = self._merge_duplicates(name, rows)
        self._sender.put((name, rows, self._params(rows), is_node))

    def _params(self, rows: list[dict[str, Any]]) -> Any:
        params = {"rows": rows}
        return self._encode(params) if self._encode else params

    def _send(self, name: str, rows: list[dict[str, Any]], params: Any, is_node: bool) -> None:
        if name == POSTED_MESSAGE_QUERY:
            written = self._send_posted(rows, params)
        else:
            written = self._written(name, params)
        if not is_node or name == POSTED_MESSAGE_QUERY:
            self._check_rel_ends(name, rows, written)
        self.stats.batches += 1
        self.stats.by_query[name] += written
        if is_node:
            self.stats.nodes += len(rows)
        else:
            self.stats.rels += len(rows)

    def _send_posted(self, rows: list[dict[str, Any]], params: Any) -> int:
        """Create the batch's new messages and merge the others; how many were written.

        Runs on the sender thread, after every earlier batch is written, so the ids the
        store reports as existing include the previous batches'. A first load sends the
        whole batch, serialized on the caller's thread, to the CREATE query.
        """
        ids = [row["id"] for row in rows]
        existing = {r["id"] for r in self.store.read(load_query("read/existing_messages"), {"ids": ids})}
        if not existing:
            return self._written(POSTED_MESSAGE_NEW_QUERY, params)
        written = 0
        for name, part in ((POSTED_MESSAGE_NEW_QUERY, [r for r in rows if r["id"] not in existing]),
                           (POSTED_MESSAGE_QUERY, [r for r in rows if r["id"] in existing])):
            if part:
                written += self._written(name, self._params(part))
        return written

    def _written(self, name: str, params: Any) -> int:
        result = self.store.write(load_query(name), params)
        return int(result[0]["written"]) if result else 0

    def _check_rel_ends(self, name: str, rows: list[dict[str, Any]], written: int) -> None:
        # MATCH finds nothing for a missing end node: say so instead of dropping silently.
        if written < len(rows):
            raise MissingEndError(
                f"{len(rows) - written} of {len(rows)} relationships of {name} name a node "
                "that does not exist",
                detail={"query": name, "sample": rows[:3]},
            )


def merge_node_row(row: dict[str, Any], node: Node) -> None:
    """A node seen again before it is written, merged as a second MERGE would merge it:
    ``once`` stays the first sighting's (a message's time becomes the precise one if this
    sighting has it), later ``props`` win, sources are added once each.

    Merged here because FalkorDB, given one id twice in a batch, sets the last row's
    ``once`` on creation."""
    if node.once.get("precise") and not row["once"].get("precise"):
        row["once"] = {**row["once"], "sent_at": node.once["sent_at"], "precise": True}
    if node.props:  # (a posted message's row has no props: its node has none)
        row["props"] = {**row["props"], **node.props}
    if node.source and node.source not in row["sources"]:
        row["sources"].append(node.source)


class MissingEndError(InputError):
    code = "missing_node"


__all__ = ["RecordWriter", "WriteStats", "MissingEndError", "ConductGraphError"]
