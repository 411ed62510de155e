"""Load case folders and bare chat exports into a store.

Everything is validated before anything is written: a bad case file, a missing
export or a file in no known format raises and writes nothing. Then each source
is streamed through its loader, converted to graph records and written in
batches; the result is the same however often it runs (ids are stable, writes
are MERGEs). A first load into an empty FalkorDB graph starts in bulk
(:mod:`conductgraph.graph.bulk_writer`) and writes the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from conductgraph.loaders import casefile
from conductgraph.loaders.chat_graph import ExportContext, ExportConverter
from conductgraph.loaders.formats import detect_format, parse_chat
from conductgraph.loaders.identity import file_sha256, utc_text
from conductgraph.loaders.membership import MembershipLedger

from .bulk_writer import BulkWriter, open_writer
from .codings_csv import read_rows
from .cycle_collector import fewer_collections
from .errors import InputError
from .load_lock import load_lock
from .records import Node, Rejected, Rel
from .settings import Settings
from .store import GraphStore
from .writer import RecordWriter

SAMPLE_CASE = Path(__file__).resolve().parent.parent / "cases" / "hotton"


class Progress(Protocol):
    def start(self, label: str, total: int | None) -> None: ...
    def advance(self, done: int) -> None: ...
    def finish(self) -> None: ...


class NoProgress:
    def start(self, label: str, total: int | None) -> None:
        pass

    def advance(self, done: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class SourceReport:
    path: str
    format: str
    source_id: str
    bytes: int
    messages: int = 0
    events: int = 0
    rejected: int = 0
    groups: list[str] = field(default_factory=list)
    date_order: str | None = None
    rejected_sample: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class LoadReport:
    cases: list[str] = field(default_factory=list)
    sources: list[SourceReport] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.sources)


@dataclass
class _Plan:
    cases: list[casefile.CaseFolder] = field(default_factory=list)
    bare: list[tuple[Path, str]] = field(default_factory=list)


def _plan(paths: Iterable[Path]) -> _Plan:
    plan = _Plan()
    for path in paths:
        if path.is_dir() and (path / casefile.CASE_FILE).is_file() or path.name == "case.yaml":
            case = casefile.read_case(path)
            if case.codings_path is not None:
                read_rows(case.codings_path)  # a bad codings file refuses the case up front
            plan.cases.append(case)
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in (".txt", ".json"))
            if not found:
                raise InputError(f"{path}: no case.yaml and no chat export in it",
                                 detail={"file": str(path)})
            plan.bare += [(p, detect_format(p)) for p in found]
        elif path.is_file():
            plan.bare.append((path, detect_format(path)))
        else:
            raise InputError(f"{path}: no such file or directory", detail={"file": str(path)})
    return plan


def _safe_text(raw: str) -> str:
    # Undecodable bytes arrive as surrogate escapes, and a NUL cuts FalkorDB's query text short:
    # keep both visible instead of failing.
    return raw.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


class _Loader:
    def __init__(self, writer: RecordWriter | BulkWriter, settings: Settings, progress: Progress,
                 date_order: str | None) -> None:
        self.writer = writer
        self.settings = settings
        self.progress = progress
        self.date_order = date_order
        self.report = LoadReport()
        self.now = utc_text(datetime.now(UTC))

    def source_node(self, sid: str, path: Path, fmt: str, size: int, **props: object) -> Node:
        return Node("Source", sid, {"path": str(path), "format": fmt, "bytes": size, **props},
                    once={"loaded_at": self.now})

    def chat_source(self, path: Path, fmt: str, ledger: MembershipLedger, *,
                    group_id: str | None = None, group_name: str | None = None,
                    handles: dict[str, str] | None = None, device_owner: str | None = None,
                    timezone: str | None = None, date_order: str | None = None) -> None:
        sha, size, lines = file_sha256(path)
        sid = f"src:{sha}"
        tz = timezone or self.settings.default_timezone
        platform = casefile.platform_of(fmt)
        base = {"device_owner": device_owner, "timezone": tz}
        self.writer.add(self.source_node(sid, path, fmt, size, **base))
        ctx = ExportContext(source_id=sid, platform=platform, path_stem=_stem(path),
                            group_id=group_id, group_name=group_name, handles=handles or {},
                            device_owner=device_owner)
        conv = ExportConverter(ctx, ledger)
        report = SourceReport(str(path), fmt, sid, size)
        self.progress.start(path.name, lines or None)
        done = 0
        owner_names = [h for h, pid in (handles or {}).items() if pid == device_owner]
        records = parse_chat(fmt, path, timezone=tz, date_order=date_order or self.date_order,
                             owner_names=owner_names)
        for rec in conv.convert(records):
            if isinstance(rec, Rejected):
                # Line numbers restart in each chat of a multi-chat export.
                self._rejected(sid, len(conv.counts.groups), rec, report)
                continue
            self.writer.add(rec)
            line = getattr(rec, "once", {}).get("line") if isinstance(rec, Node) else None
            if line and line - done > 500:
                self.progress.advance(line - done)
                done = line
        self.progress.finish()
        c = conv.counts
        report.messages, report.events, report.rejected = c.messages, c.events, c.rejected
        report.groups, report.date_order = c.groups, c.date_order
        self.writer.add(self.source_node(sid, path, fmt, size, records=c.records,
                                         rejected=c.rejected, date_order=c.date_order, **base))
        self.report.sources.append(report)

    def _rejected(self, sid: str, chat: int, rec: Rejected, report: SourceReport) -> None:
        rid = f"rej:{sid.removeprefix('src:')}:{chat}:{rec.line}"
        raw = _safe_text(rec.raw)
        self.writer.add(Node("Rejected", rid, {"source": sid, "line": rec.line, "raw": raw,
                                               "reason": rec.reason}))
        self.writer.add(Rel("REJECTED_FROM", "Rejected", rid, "Source", sid))
        if len(report.rejected_sample) < 5:
            report.rejected_sample.append((rec.line, rec.reason))

    def case(self, case: casefile.CaseFolder) -> None:
        sha, size, _ = file_sha256(case.path)
        sid = f"src:{sha}"
        self.writer.add(self.source_node(sid, case.path, "case", size))
        n = 0
        for rec in casefile.case_records(case, sid):
            self.writer.add(rec)
            n += 1
        self.writer.add(self.source_node(sid, case.path, "case", size, records=n, rejected=0))
        self.report.sources.append(SourceReport(str(case.path), "case", sid, size))
        self.report.cases.append(case.model.case.id)
        ledger = MembershipLedger()
        groups = {g.id: g for g in case.model.groups}
        for src in case.model.sources:
            group = groups.get(src.group) if src.group else None
            self.chat_source(
                case.source_path(src), src.format, ledger,
                group_id=casefile.group_id(group.id) if group else None,
                group_name=group.name if group else None,
                handles=case.handle_map(src.format),
                device_owner=casefile.person_id(src.device_owner) if src.device_owner else None,
                timezone=src.timezone, date_order=src.date_order,
            )
        self.writer.add_all(ledger.relationships())
        self._analyse(case)  # issue 4

    # --- issue 4: content coding and exposure, once a case's records are all written -----
    def _analyse(self, case: casefile.CaseFolder) -> None:
        """Code messages (lexicon + the case's codings CSV) and (re)derive EXPOSED_TO."""
        from .coding import code_messages
        from .exposure import derive_exposure

        self.writer.flush()
        store, size = self.writer.store, self.settings.batch_size
        coding = code_messages(store, case.taxonomy, case.codings_path, batch_size=size)
        if case.codings_path is not None and coding.codings_source:
            # Rows that matched no message or several show up like rejected chat lines.
            self.report.sources.append(SourceReport(
                str(case.codings_path), "codings", coding.codings_source,
                case.codings_path.stat().st_size, rejected=len(coding.problems),
                rejected_sample=[(p.line, p.reason) for p in coding.problems[:5]]))
        derive_exposure(store, batch_size=size)
    # --- end issue 4 ---------------------------------------------------------------------

    def bare(self, exports: list[tuple[Path, str]]) -> None:
        ledger = MembershipLedger()
        for path, fmt in exports:
            self.chat_source(path, fmt, ledger)
        self.writer.add_all(ledger.relationships())


def _stem(path: Path) -> str:
    stem = path.stem
    # "WhatsApp Chat with Night shift" → "Night shift"
    for prefix in ("WhatsApp Chat with ", "WhatsApp Chat - ", "Chat de WhatsApp con "):
        if stem.startswith(prefix):
            return stem[len(prefix):]
    if stem.startswith("message_") and path.parent.name:
        return path.parent.name
    return stem


def load_paths(store: GraphStore, paths: Iterable[Path], settings: Settings, *,
               progress: Progress | None = None, date_order: str | None = None) -> LoadReport:
    """Load case folders and bare exports; validate all first, then write, idempotently."""
    plan = _plan(list(paths))
    with load_lock(settings.data_dir), fewer_collections():
        with open_writer(store, settings) as writer:
            loader = _Loader(writer, settings, progress or NoProgress(), date_order)
            for case in plan.cases:
                loader.case(case)
            if plan.bare:
                loader.bare(plan.bare)
        loader.report.nodes = writer.stats.nodes
        loader.report.relationships = writer.stats.rels
    return loader.report
