"""The consumer's view: people as stable pseudonyms, message text as its categories.

Applied in one place — :class:`~conductgraph.api.responses.DataRoute` passes every
response of a redacted role through :meth:`Redactor.redact` — never per endpoint.

A pseudonym is ``P-`` + the first 12 hex digits of HMAC-SHA256(secret, person id),
the secret being ``redaction.key`` in the data directory (created on first use,
owner-only), so it is the same for the same person across requests and restarts and
cannot be reversed without the key. Every name that identifies a person — id, name,
aliases, account ids and handles — is replaced wherever it appears, as a whole value,
a map key or a word inside a longer text. Message text becomes ``[categories: …]``;
other free text that may quote messages (finding summaries, lexicon terms, raw lines)
is removed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from conductgraph.graph.queries import load_query
from conductgraph.graph.store import GraphStore

KEY_FILE = "redaction.key"
IDENTITY_TTL_S = 30.0
# Properties a consumer sees per label; anything else on such a node is dropped.
NODE_PROPS: dict[str, frozenset[str]] = {
    "Person": frozenset({"id", "name", "resolved", "rank", "status", "illustrative"}),
    "Account": frozenset({"id", "platform"}),
    "Message": frozenset({"id", "sent_at", "kind", "platform", "edited", "precise", "illustrative",
                          "text", "categories"}),
    "Finding": frozenset({"id", "outcome", "illustrative"}),
    "Source": frozenset({"id", "format", "loaded_at", "bytes", "records", "rejected", "timezone"}),
    "Rejected": frozenset({"id", "source", "line", "reason"}),
}
# Keys removed from any map: they hold handles, quoted text or the names of analysts.
DROPPED_KEYS = frozenset({"aliases", "handle", "sender_handle", "raw", "terms", "coder", "path",
                          "summary", "sender_name"})
MESSAGE_PREFIX = "msg:"


def load_key(data_dir: Path) -> bytes:
    """The redaction secret of a data directory, created (owner-only) when missing."""
    path = data_dir / KEY_FILE
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            return bytes.fromhex(path.read_text().strip())
        key = secrets.token_bytes(32)
        with os.fdopen(fd, "w") as fh:
            fh.write(key.hex() + "\n")
        return key


class Identities:
    """Every identifying name of every person → that person's pseudonym, refreshed every 30 s."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._key: bytes | None = None
        self._lock = threading.Lock()
        self._loaded_at = -1.0
        self.by_name: dict[str, str] = {}
        self.person_of: dict[str, str] = {}
        self.pattern: re.Pattern[str] | None = None

    @property
    def key(self) -> bytes:
        # Read (or made) on first use, so building the app touches no file.
        if self._key is None:
            self._key = load_key(self.data_dir)
        return self._key

    def pseudonym(self, value: str, prefix: str = "P") -> str:
        digest = hmac.new(self.key, value.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{prefix}-{digest[:12]}"

    def refresh(self, store: GraphStore, *, force: bool = False) -> None:
        with self._lock:
            if not force and time.monotonic() - self._loaded_at < IDENTITY_TTL_S:
                return
            by_name: dict[str, str] = {}
            person_of: dict[str, str] = {}
            for row in store.read(load_query("api/identities")):
                alias = self.pseudonym(row["person"])
                person_of[alias] = row["person"]
                for name in row["names"] or []:
                    if isinstance(name, str) and name.strip():
                        by_name[name] = alias
            for row in store.read(load_query("api/unowned_accounts")):
                alias = self.pseudonym(row["account"], "A")
                by_name[row["account"]] = alias
                if row.get("handle"):
                    by_name[row["handle"]] = alias
            # Longest first, so "Officer A" wins over "A"; whole words only.
            names = sorted(by_name, key=len, reverse=True)
            self.pattern = re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)") if names else None
            self.by_name, self.person_of = by_name, person_of
            self._loaded_at = time.monotonic()

    def text(self, value: str) -> str:
        if value in self.by_name:
            return self.by_name[value]
        if self.pattern is None:
            return value
        return self.pattern.sub(lambda m: self.by_name[m.group(0)], value)


class Redactor:
    def __init__(self, data_dir: Path) -> None:
        self.identities = Identities(data_dir)

    def real_id(self, store: GraphStore, value: str) -> str | None:
        """The person id behind a pseudonym, or None when ``value`` is not one."""
        self.identities.refresh(store)
        return self.identities.person_of.get(value)

    def is_identity(self, store: GraphStore, value: str) -> bool:
        """True when ``value`` is a real identifying name (a consumer may not look it up)."""
        self.identities.refresh(store)
        return value in self.identities.by_name

    def redact(self, store: GraphStore, data: Any) -> Any:
        self.identities.refresh(store)
        categories = _message_categories(store, data)
        return self._walk(data, categories)

    def _walk(self, value: Any, categories: dict[str, list[str]]) -> Any:
        if isinstance(value, str):
            return self.identities.text(value)
        if isinstance(value, list):
            return [self._walk(v, categories) for v in value]
        if not isinstance(value, dict):
            return value
        if "labels" in value and isinstance(value.get("properties"), dict):
            value = {**value, "properties": _node_properties(value["labels"], value["properties"])}
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in DROPPED_KEYS:
                continue
            if key == "text":
                out[key] = _text_replacement(value, categories)
                continue
            out[self.identities.text(key)] = self._walk(item, categories)
        return out


def _node_properties(labels: list[str], props: dict[str, Any]) -> dict[str, Any]:
    allowed = next((NODE_PROPS[label] for label in labels if label in NODE_PROPS), None)
    if allowed is None:
        return props
    return {k: v for k, v in props.items() if k in allowed}


def _message_id(value: dict[str, Any]) -> str | None:
    for key in ("id", "message"):
        candidate = value.get(key)
        if isinstance(candidate, str) and candidate.startswith(MESSAGE_PREFIX):
            return candidate
    props = value.get("properties")
    if isinstance(props, dict):
        return _message_id(props)
    return None


def _text_replacement(holder: dict[str, Any], categories: dict[str, list[str]]) -> str:
    message_id = _message_id(holder)
    if message_id is None:
        return "[redacted]"
    found = holder.get("categories")
    cats = found if isinstance(found, list) else categories.get(message_id, [])
    return f"[categories: {', '.join(sorted(cats))}]" if cats else "[no category]"


def _collect_message_ids(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        if "text" in value and not isinstance(value.get("categories"), list):
            message_id = _message_id(value)
            if message_id:
                found.add(message_id)
        for item in value.values():
            _collect_message_ids(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect_message_ids(item, found)


def _message_categories(store: GraphStore, data: Any) -> dict[str, list[str]]:
    ids: set[str] = set()
    _collect_message_ids(data, ids)
    if not ids:
        return {}
    rows = store.read(load_query("api/message_categories"), {"ids": sorted(ids)})
    return {r["id"]: list(r["categories"]) for r in rows}
