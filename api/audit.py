"""The append-only, tamper-evident audit log of the API (``audit.jsonl`` in the data directory).

One JSON line per request. Each entry carries ``prev``, the sha256 of the previous
entry, and ``hash``, the sha256 of its own content (``hash`` left out), so editing,
removing or reordering any line breaks the chain that :func:`verify` walks. Lines cut
from the end leave a shorter, intact chain: :func:`verify` finds that against an anchor,
a head (``seq``, ``hash``) it printed before and that was kept elsewhere.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

AUDIT_FILE = "audit.jsonl"
GENESIS = "0" * 64


def _canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode("utf-8")


def entry_hash(entry: dict[str, Any]) -> str:
    """The sha256 of an entry's content without its own ``hash``."""
    return hashlib.sha256(_canonical({k: v for k, v in entry.items() if k != "hash"})).hexdigest()


class AuditLog:
    """Appends entries; safe across threads and across processes sharing the data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / AUDIT_FILE
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                last = _last_entry(fd)
                entry = {
                    "seq": (last["seq"] + 1) if last else 1,
                    "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    **record,
                    "prev": last["hash"] if last else GENESIS,
                }
                entry["hash"] = entry_hash(entry)
                os.write(fd, json.dumps(entry, ensure_ascii=False, default=str).encode() + b"\n")
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
        return entry

    def entries(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def _last_entry(fd: int) -> dict[str, Any] | None:
    size = os.fstat(fd).st_size
    if size == 0:
        return None
    chunk = 4096
    data = b""
    pos = size
    # Read backwards until the tail holds a whole last line.
    while pos > 0 and data.count(b"\n") < 2:
        step = min(chunk, pos)
        pos -= step
        data = os.pread(fd, step, pos) + data
    lines = [ln for ln in data.split(b"\n") if ln.strip()]
    return json.loads(lines[-1]) if lines else None


@dataclass
class Verification:
    entries: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    #: The last entry's ``seq`` and ``hash``: an anchor to check the log against later.
    head: tuple[int, str] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(path: Path, anchors: list[tuple[int, str]] | None = None) -> Verification:
    """Walk the chain: every line parses, its hash matches its content, ``prev`` is the hash
    of the line before and ``seq`` counts up by one.

    The chain alone cannot tell that lines were cut from its end. ``anchors`` — heads an
    earlier verification printed, ``(seq, hash)``, kept somewhere else — can: each must still
    be in the log, with that hash."""
    result = Verification()
    wanted = dict(anchors or [])
    prev, seq = GENESIS, 0
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                result.entries += 1
                try:
                    entry = json.loads(line)
                except ValueError:
                    result.problems.append({"line": number, "problem": "not valid JSON"})
                    prev, seq = GENESIS, seq + 1
                    continue
                if entry.get("hash") != entry_hash(entry):
                    result.problems.append({"line": number, "problem": "content does not match its hash"})
                if entry.get("prev") != prev:
                    result.problems.append({"line": number,
                                            "problem": "prev is not the previous entry's hash"})
                if entry.get("seq") != seq + 1:
                    result.problems.append({"line": number, "problem": f"seq {entry.get('seq')} after {seq}"})
                prev, seq = str(entry.get("hash")), int(entry.get("seq") or seq + 1)
                anchored = wanted.pop(seq, None)
                if anchored is not None and anchored != prev:
                    result.problems.append({"line": number, "problem": f"seq {seq} is not the anchored "
                                                                       f"entry (hash {anchored[:12]}…)"})
    for missing in sorted(wanted):
        result.problems.append({"line": None, "problem": f"anchored entry seq {missing} is gone: the "
                                                         f"log ends at seq {seq}"})
    result.head = (seq, prev) if result.entries else None
    return result
