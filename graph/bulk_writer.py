"""A first load into an empty FalkorDB graph through ``GRAPH.BULK``, then MERGE batches.

Why: creating a message with its two relationships through Cypher costs the store about
20 µs even as a batched ``CREATE``; the bulk format hands it the same entities in binary
(:mod:`conductgraph.graph.falkordb_bulk`) and it builds them without parsing, planning or
matching anything.

Into the bulk goes the first sighting of each node, message and relationship. What waits
for Cypher (``deferred``, written in arrival order through a :class:`RecordWriter` once the
bulk phase ends): a record of something the bulk already sent (its MERGE then sets
properties and adds sources as usual), a relationship whose ends were not created in the
bulk, and values the format cannot carry (an integer beyond 64 bits). Sightings of something
not sent yet are merged here as the MERGE would merge them.

The schema's indexes are created after the first command (of :data:`FIRST_COMMAND`
records, so they are built on a small graph); later commands keep them up. The bulk phase
ends at :meth:`BulkWriter.flush` (a case's analysis reads the store after it), when the
writer keeps ids of ``max_ids`` things (its memory: about 250 bytes each) or when
:data:`MAX_DEFERRED` records wait. Then the deferred records are written, and every
later record goes through MERGE batches.
The graph is the one the :class:`RecordWriter` alone writes (tests/test_bulk_load.py
compares them on every loader fixture).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .background_sender import BackgroundSender
from .falkordb_bulk import encodable, node_blob, node_blob_values, property_keys, props_encodable, rel_blob
from .queries import load_query
from .records import Node, PostedMessage, Rel
from .schema import RelSpec, base_label, validate_node, validate_rel, validate_rel_shape
from .settings import Settings
from .store import GraphStore
from .writer import MissingEndError, RecordWriter, WriteStats, merge_node_row

#: Records in the first command: the indexes are created after it, on a small graph.
FIRST_COMMAND = 1_000
#: Records held for Cypher before the bulk phase ends early.
MAX_DEFERRED = 100_000

Record = Node | Rel | PostedMessage
NodeKey = tuple[str, str]  # (base label, id)


@dataclass(slots=True)
class _PendingMessage:
    row: dict[str, Any]  # once and sources, merged as RecordWriter merges a batch's rows
    group: str
    sender: str
    records: list[PostedMessage]  # to defer them all if an end is missing


def open_writer(store: GraphStore, settings: Settings) -> RecordWriter | BulkWriter:
    """The writer for a load: bulk when the store can and its graph is empty, else MERGE
    batches. Creates the schema's indexes (a bulk load creates them after its first command)."""
    if settings.bulk_load and hasattr(store, "bulk_insert") and not store.read(load_query("admin/any_node")):
        store.clear()  # GRAPH.BULK creates the graph itself; an empty one may hold indexes
        return BulkWriter(store, batch_size=settings.batch_size, bulk_batch_size=settings.bulk_batch_size,
                          max_ids=settings.bulk_max_ids)
    store.ensure_schema()
    return RecordWriter(store, batch_size=settings.batch_size)


class BulkWriter:
    """Write records to an empty graph: ``GRAPH.BULK`` first, MERGE batches after.

    Same use as :class:`RecordWriter` (``add``, ``flush``, a context manager); the
    store must have no graph yet (:func:`open_writer` sees to it).
    """

    def __init__(self, store: GraphStore, *, batch_size: int = 5000, bulk_batch_size: int = 50_000,
                 max_ids: int = 2_000_000, validate: bool = True) -> None:
        self.store = store
        self.validate = validate
        #: Nodes, messages and relationships per ``GRAPH.BULK`` command.
        self.bulk_batch_size = bulk_batch_size
        self.max_ids = max_ids
        self.after = RecordWriter(store, batch_size=batch_size, validate=validate)
        self.stats: WriteStats = self.after.stats
        self.bulk = True
        self._began = False
        self._next = 0
        # Engine ids of what the bulk created.
        self._ids: dict[NodeKey, int] = {}
        self._messages: dict[str, int] = {}
        self._rels_sent: set[tuple[Any, ...]] = set()
        # Waiting for the next command, merged as MERGE would.
        self._nodes: dict[NodeKey, dict[str, Any]] = {}  # RecordWriter's rows, plus labels
        self._posted: dict[str, _PendingMessage] = {}
        self._rels: dict[tuple[Any, ...], Rel] = {}
        self._deferred: list[Record] = []
        self._deferred_keys: set[NodeKey] = set()
        # Once a record waits for Cypher, so do its later sightings: they must not overtake it.
        self._deferred_rels: set[tuple[Any, ...]] = set()
        self._shapes: dict[tuple[str, str, str], RelSpec] = {}
        self._bases: dict[str, str] = {}
        self._sender = BackgroundSender(self._send, "conductgraph-bulk")

    # -- the RecordWriter interface ---------------------------------------------------------
    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            if exc_type is None:
                self.flush()
            elif self._began:
                # A load that failed half way still leaves a graph with its indexes.
                with contextlib.suppress(Exception):
                    self._sender.stop()
                    self.store.ensure_schema()
        finally:
            self.close()

    def close(self) -> None:
        self._sender.stop()
        self.after.close()

    def add_all(self, records: Iterable[Record]) -> None:
        for record in records:
            self.add(record)

    def add(self, record: Record) -> None:
        if not self.bulk:
            self.after.add(record)
            return
        cls = record.__class__
        if cls is PostedMessage:
            self._add_posted(record)  # type: ignore[arg-type]
        elif cls is Node:
            self._add_node(record)  # type: ignore[arg-type]
        else:
            self._add_rel(record)  # type: ignore[arg-type]
        pending = len(self._nodes) + len(self._posted) + len(self._rels)
        if pending >= self.bulk_batch_size or (not self._began and pending >= FIRST_COMMAND):
            self._send_batch()
            if (len(self._ids) + len(self._messages) + len(self._rels_sent) >= self.max_ids
                    or len(self._deferred) >= MAX_DEFERRED):
                self._finish_bulk()

    def flush(self) -> None:
        """End the bulk phase (if on), then write everything and wait until it is written."""
        self._finish_bulk()
        self.after.flush()

    # -- collecting ---------------------------------------------------------------------------
    def _base(self, label: str) -> str:
        base = self._bases.get(label)
        if base is None:
            base = self._bases[label] = base_label(label)
        return base

    def _defer(self, record: Record) -> None:
        self._deferred.append(record)

    def _add_posted(self, posted: PostedMessage) -> None:
        node = posted.node
        if self.validate:
            validate_node("Message", node.id, node.once)
        mid = node.id
        pending = self._posted.get(mid)
        if ("Message", mid) in self._deferred_keys or not encodable(node.source) or (
                pending is None and (mid in self._messages or ("Message", mid) in self._nodes
                                     or not props_encodable(node.once))):
            self._deferred_keys.add(("Message", mid))
            self._defer(posted)
            return
        if pending is None:
            row = {"once": node.once, "sources": [node.source] if node.source else []}
            self._posted[mid] = _PendingMessage(row, posted.group, posted.sender, [posted])
            return
        # The same message from another export: as write/message_posted merges it.
        merge_node_row(pending.row, node)
        pending.records.append(posted)

    def _add_node(self, node: Node) -> None:
        if self.validate:
            validate_node(node.label, node.id, {**node.once, **node.props})
        base = self._base(node.label)
        key = (base, node.id)
        pending = self._nodes.get(key)
        if key in self._deferred_keys or not props_encodable(node.props) or not encodable(node.source):
            # (A pending node is still created by the bulk; this MERGE then sets its values.)
            self._deferred_keys.add(key)
            self._defer(node)
            return
        if pending is None:
            if (self._engine_id(base, node.id) is not None
                    or (base == "Message" and node.id in self._posted) or not props_encodable(node.once)):
                self._deferred_keys.add(key)
                self._defer(node)
                return
            self._nodes[key] = {"id": node.id, "props": node.props, "once": node.once,
                                "sources": [node.source] if node.source else [],
                                "labels": [base] if node.label == base else [base, node.label]}
            return
        merge_node_row(pending, node)
        if node.label != base and node.label not in pending["labels"]:
            pending["labels"].append(node.label)

    def _add_rel(self, rel: Rel) -> None:
        shape = (rel.type, rel.start_label, rel.end_label)
        spec = self._shapes.get(shape)
        if spec is None:
            spec = self._shapes[shape] = validate_rel_shape(*shape)
        if self.validate and spec.props:
            validate_rel(rel.type, rel.start_label, rel.end_label, rel.props)
        props = rel.props
        key = (rel.type, self._base(rel.start_label), rel.start, self._base(rel.end_label), rel.end,
               *(props.get(k) for k in spec.key))
        pending = self._rels.get(key)
        if key in self._deferred_rels or not props_encodable(props) or (
                pending is None and key in self._rels_sent):
            self._deferred_rels.add(key)
            self._defer(rel)
        elif pending is None:
            self._rels[key] = rel
        else:
            # Later properties win, as sequential SETs would.
            self._rels[key] = Rel(rel.type, rel.start_label, rel.start, rel.end_label, rel.end,
                                  {**pending.props, **props})

    # -- sending ------------------------------------------------------------------------------
    def _send_batch(self) -> None:
        """One ``GRAPH.BULK`` command of everything pending. Engine ids are given in the
        order the server creates nodes: blob after blob, row after row."""
        node_blobs, nodes = self._node_blobs()
        message_blob, messages, posted_blobs = self._message_blobs()
        rel_blobs, rels = self._rel_blobs()
        if message_blob:
            node_blobs.append(message_blob)
        if nodes or messages or rels:
            self._submit(node_blobs, posted_blobs + rel_blobs, nodes + messages, 2 * messages + rels)

    def _node_blobs(self) -> tuple[list[bytes], int]:
        by_labels: dict[str, list[tuple[NodeKey, dict[str, Any]]]] = {}
        for key, pending in self._nodes.items():
            by_labels.setdefault(":".join(pending["labels"]), []).append((key, pending))
        self._nodes = {}
        blobs, count = [], 0
        for labels, group in by_labels.items():
            rows = []
            for key, p in group:
                # What write/node_<label> sets on creation.
                row = {"id": key[1], **p["once"], **p["props"]}
                if p["sources"]:
                    row["sources"] = p["sources"]
                if key[0] == "Message":
                    row["precise"] = bool(p["once"].get("precise"))
                    self._messages[key[1]] = self._next
                else:
                    self._ids[key] = self._next
                self._next += 1
                rows.append(row)
            blobs.append(node_blob(labels, property_keys(rows), rows))
            count += len(rows)
        return blobs, count

    def _message_blobs(self) -> tuple[bytes | None, int, list[bytes]]:
        """Posted messages (what write/message_posted_new creates), and their POSTED_IN and
        SENT; a message whose group or sender the bulk did not create waits for Cypher."""
        posted_in: list[tuple[int, int, dict[str, Any]]] = []
        sent: list[tuple[int, int, dict[str, Any]]] = []
        written: list[tuple[str, dict[str, Any], list[str]]] = []
        ids, messages = self._ids, self._messages
        for mid, m in self._posted.items():
            group, sender = ids.get(("Group", m.group)), ids.get(("Person", m.sender))
            if group is None or sender is None:
                self._deferred_keys.add(("Message", mid))
                self._deferred.extend(m.records)
                continue
            written.append((mid, m.row["once"], m.row["sources"]))
            engine_id = messages[mid] = self._next
            self._next += 1
            posted_in.append((engine_id, group, {}))
            sent.append((sender, engine_id, {}))
        self._posted = {}
        if not written:
            return None, 0, []
        # What write/message_posted_new sets: id, the once values, precise, sources.
        names: set[str] = set()
        for _, once, _ in written:
            names.update(once)
        # Text first: a row's strings in a row are encoded at once (see node_blob_values).
        first = written[0][1]
        middle = sorted(names - {"id", "precise", "sources"},
                        key=lambda name: (first.get(name).__class__ is not str, name))
        rows = ([mid, *map(once.get, middle), once.get("precise", False), sources]
                for mid, once, sources in written)
        return (node_blob_values("Message", ["id", *middle, "precise", "sources"], rows), len(written),
                [rel_blob("POSTED_IN", [], posted_in), rel_blob("SENT", [], sent)])

    def _rel_blobs(self) -> tuple[list[bytes], int]:
        by_type: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
        for key, rel in self._rels.items():
            start = self._engine_id(key[1], rel.start)
            end = self._engine_id(key[3], rel.end)
            if start is None or end is None:
                self._deferred_rels.add(key)
                self._defer(rel)  # its MERGE names the missing end if it stays missing
                continue
            by_type.setdefault(rel.type, []).append((start, end, rel.props))
            self._rels_sent.add(key)
        self._rels = {}
        blobs = [rel_blob(rel_type, property_keys(t[2] for t in triples), triples)
                 for rel_type, triples in by_type.items()]
        return blobs, sum(len(triples) for triples in by_type.values())

    def _engine_id(self, base: str, node_id: str) -> int | None:
        return self._messages.get(node_id) if base == "Message" else self._ids.get((base, node_id))

    def _submit(self, node_blobs: list[bytes], rel_blobs: list[bytes], nodes: int, rels: int) -> None:
        self._sender.put((node_blobs, rel_blobs, nodes, rels, not self._began))
        self._began = True
        self.stats.nodes += nodes
        self.stats.rels += rels
        self.stats.batches += 1
        self.stats.by_query["GRAPH.BULK"] += nodes + rels

    def _send(self, job: tuple[list[bytes], list[bytes], int, int, bool]) -> None:
        node_blobs, rel_blobs, nodes, rels, begin = job
        self.store.bulk_insert(node_blobs, rel_blobs, nodes, rels, begin=begin)  # type: ignore[attr-defined]
        if begin:
            # Indexes made now are kept up by every later bulk command, where building
            # them at the end would cost the load seconds of waiting.
            self.store.ensure_schema()

    def _finish_bulk(self) -> None:
        """Send what waits, wait until the indexes are built, write the deferred records;
        MERGE batches from now on."""
        if not self.bulk:
            return
        self._send_batch()
        self._sender.wait()
        self.bulk = False
        if not self._began:
            self.store.ensure_schema()
        self.store.wait_for_indexes()  # type: ignore[attr-defined]
        deferred, self._deferred = self._deferred, []
        self._ids, self._messages, self._rels_sent = {}, {}, set()
        self._deferred_keys, self._deferred_rels = set(), set()
        self.after.add_all(deferred)


__all__ = ["FIRST_COMMAND", "MAX_DEFERRED", "BulkWriter", "MissingEndError", "open_writer"]
