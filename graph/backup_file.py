"""The backup file: one self-describing file, a header line and the store's RDB snapshot.

Layout (all in one file, so the description can never be separated from the data)::

    CONDUCTGRAPH-BACKUP 1\\n
    {"sha256": …, "bytes": …, "graph": …, "counts": {…}, "created_at": …}\\n
    <the RDB snapshot, exactly as Redis wrote it>

``sha256`` and ``bytes`` describe the snapshot part only; :func:`read_header` and
:func:`verify` refuse a file whose header or snapshot does not match.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError

MAGIC = b"CONDUCTGRAPH-BACKUP 1\n"
RDB_MAGIC = b"REDIS"
_MAX_HEADER = 1 << 20
_CHUNK = 1 << 20


@dataclass
class BackupInfo:
    """What a backup file says about itself."""

    sha256: str
    bytes: int
    graph: str
    created_at: str
    #: ``{"labels": {label: n}, "relationships": {type: n}}`` of ``graph`` at backup time.
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    file: str = ""

    def header(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("file")
        return out


def _bad(path: Path, why: str) -> InputError:
    return InputError(f"{path}: not a usable conductgraph backup: {why}", detail={"file": str(path)})


def _chunks(f: BinaryIO) -> Iterator[bytes]:
    while block := f.read(_CHUNK):
        yield block


def write(path: Path, snapshot: Path, info: BackupInfo) -> BackupInfo:
    """Write ``snapshot`` (an RDB file) and ``info`` to ``path`` atomically, owner-readable only.

    ``info.sha256`` and ``info.bytes`` are computed here from the snapshot.
    """
    h = hashlib.sha256()
    size = 0
    with snapshot.open("rb") as f:
        for block in _chunks(f):
            h.update(block)
            size += len(block)
    info.sha256, info.bytes, info.file = h.hexdigest(), size, str(path)
    tmp = path.with_name(path.name + ".partial")
    try:
        # The snapshot holds the whole case: readable by its owner only, like the data directory.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out, snapshot.open("rb") as f:
            out.write(MAGIC)
            out.write(json.dumps(info.header(), sort_keys=True).encode() + b"\n")
            for block in _chunks(f):
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write the backup: {exc.strerror}",
                         detail={"file": str(path)}) from exc
    return info


def read_header(path: Path) -> tuple[BackupInfo, int]:
    """The header of a backup file and the offset its snapshot starts at."""
    try:
        with path.open("rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                raise _bad(path, "it does not start with the backup marker")
            line = f.readline(_MAX_HEADER)
            offset = f.tell()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}", detail={"file": str(path)}) from exc
    try:
        raw = json.loads(line)
        info = BackupInfo(sha256=str(raw["sha256"]), bytes=int(raw["bytes"]), graph=str(raw["graph"]),
                          created_at=str(raw["created_at"]), counts=dict(raw["counts"]),
                          file=str(path))
    except (ValueError, KeyError, TypeError) as exc:
        raise _bad(path, f"its header is damaged ({exc})") from exc
    return info, offset


def verify(path: Path) -> tuple[BackupInfo, int]:
    """Read the header and check the snapshot's size and sha256; raise :class:`InputError` if off."""
    info, offset = read_header(path)
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        f.seek(offset)
        head = f.read(len(RDB_MAGIC))
        h.update(head)
        size += len(head)
        for block in _chunks(f):
            h.update(block)
            size += len(block)
    if size != info.bytes:
        raise _bad(path, f"the snapshot has {size} bytes, the header says {info.bytes} "
                   "(truncated or appended to)")
    if h.hexdigest() != info.sha256:
        raise _bad(path, f"sha256 of the snapshot is {h.hexdigest()}, the header says "
                   f"{info.sha256} (the file was changed or damaged)")
    if head != RDB_MAGIC:
        raise _bad(path, "the snapshot is not a Redis RDB file")
    return info, offset


def extract(path: Path, offset: int, target: Path) -> None:
    """Copy the snapshot part of a verified backup to ``target``."""
    with path.open("rb") as f, target.open("wb") as out:
        f.seek(offset)
        for block in _chunks(f):
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
