"""Bearer tokens of the API, kept hashed in ``tokens.json`` in the data directory.

A token reads ``cg_<id>_<secret>``: the id is public (it names the token in the
audit log and in ``token list``), the secret is 32 random bytes. Only the sha256 of
the whole token is stored; the file is readable by its owner only and rewritten
atomically under a lock, so the CLI can create or revoke tokens while the API runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conductgraph.graph.errors import InputError, NotFoundError

ROLES = ("investigator", "analyst", "consumer")
TOKENS_FILE = "tokens.json"


@dataclass(frozen=True)
class TokenRecord:
    id: str
    role: str
    name: str
    sha256: str
    created_at: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def public(self) -> dict[str, Any]:
        """Everything but the hash."""
        return {k: v for k, v in asdict(self).items() if k != "sha256"}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable and writable by the owner only."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class TokenStore:
    """Create, list, revoke and check tokens of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / TOKENS_FILE
        self._cache: tuple[float, dict[str, TokenRecord]] | None = None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _read(self) -> dict[str, TokenRecord]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {t["id"]: TokenRecord(**t) for t in raw.get("tokens", [])}

    def _write(self, records: dict[str, TokenRecord]) -> None:
        payload = {"tokens": [asdict(r) for r in records.values()]}
        write_private(self.path, json.dumps(payload, indent=2) + "\n")

    def create(self, role: str, name: str = "") -> tuple[str, TokenRecord]:
        """A new token of ``role``; the token text is returned once and never stored."""
        if role not in ROLES:
            raise InputError(f"role must be one of {', '.join(ROLES)}", detail={"field": "role"})
        with self._locked():
            records = self._read()
            token_id = secrets.token_hex(4)
            while token_id in records:
                token_id = secrets.token_hex(4)
            token = f"cg_{token_id}_{secrets.token_urlsafe(32)}"
            record = TokenRecord(token_id, role, name, _digest(token), _now())
            records[token_id] = record
            self._write(records)
        return token, record

    def list(self) -> list[TokenRecord]:
        return sorted(self._read().values(), key=lambda r: (r.created_at, r.id))

    def revoke(self, token_id: str) -> TokenRecord:
        with self._locked():
            records = self._read()
            record = records.get(token_id)
            if record is None:
                raise NotFoundError(f"no token with id {token_id!r}", detail={"id": token_id})
            if record.active:
                record = TokenRecord(**{**asdict(record), "revoked_at": _now()})
                records[token_id] = record
                self._write(records)
        return record

    def _current(self) -> dict[str, TokenRecord]:
        # Re-read when the file changes, so a revocation takes effect on the next request.
        try:
            mtime = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return {}
        if self._cache is None or self._cache[0] != mtime:
            self._cache = (mtime, self._read())
        return self._cache[1]

    def check(self, token: str) -> TokenRecord | None:
        """The active token record ``token`` belongs to, or None."""
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != "cg":
            return None
        record = self._current().get(parts[1])
        # Compare even when the id is unknown, so timing does not tell ids apart.
        expected = record.sha256 if record else "0" * 64
        if hmac.compare_digest(_digest(token), expected) and record and record.active:
            return record
        return None
