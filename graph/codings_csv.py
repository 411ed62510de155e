"""Analyst codings: a CSV of ``group, sent_at, sender, text_excerpt, category, coder`` rows.

Each row is matched to exactly one message: same group, same sender, sent within
the same minute, and the excerpt occurring in its text (case and runs of spaces
ignored). A row that matches no message, or several, or that names an unknown
group or category, becomes a :class:`RowProblem` with its line number in the file
(the header is line 1); it is never applied and never silently dropped.

``group`` is a group id (``wa-team`` or ``group:wa-team``) or its name. ``sender``
is a person id (``officer-a`` or ``person:officer-a``), a person's name, or the
handle as the export shows it. ``sent_at`` is a time with its zone
(``2017-03-14T21:12:00Z``, ``2017-03-14 21:12+00:00``); seconds are ignored.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .errors import InputError
from .queries import load_query
from .store import GraphStore

COLUMNS = ("group", "sent_at", "sender", "text_excerpt", "category", "coder")
_BATCH = 500


@dataclass(frozen=True)
class AnalystCoding:
    line: int
    message: str
    category: str
    coder: str


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str
    raw: str = ""

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _excerpt(text: str) -> str:
    # Analysts often mark a cut with an ellipsis; it is not part of the message.
    return _norm(text.strip().strip("…").strip(".").strip('"'))


def _minute(value: str) -> tuple[str, str]:
    """[start, end) of the UTC minute of a time with a zone, as text."""
    dt = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    if dt.tzinfo is None:
        raise ValueError("a time needs its zone, e.g. 2017-03-14T21:12:00Z")
    start = dt.astimezone(UTC).replace(second=0, microsecond=0)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return start.strftime(fmt), (start + timedelta(minutes=1)).strftime(fmt)


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """``(line, row)`` for each record; a missing column is an error naming the file."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the codings: {exc.strerror}",
                         detail={"file": str(path)}) from exc
    rows = []
    line = 1
    with handle:
        reader = csv.DictReader(handle)
        try:
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path}: codings CSV lacks column(s) {', '.join(missing)}; "
                                 f"it needs {', '.join(COLUMNS)}", detail={"file": str(path)})
            line = reader.line_num + 1
            for row in reader:
                rows.append((line, {k: (row.get(k) or "").strip() for k in COLUMNS}))
                line = reader.line_num + 1
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"{path}: line {line}: not a UTF-8 CSV the codings can be read "
                             f"from: {exc}", detail={"file": str(path), "line": line}) from exc
    return rows


def _problem(line: int, row: dict[str, str], reason: str) -> RowProblem:
    return RowProblem(line, reason, ",".join(row[c] for c in COLUMNS))


def _group_index(groups: list[dict[str, Any]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for g in groups:
        gid = str(g["id"])
        for key in (gid, gid.removeprefix("group:"), g.get("name") or ""):
            if key:
                index.setdefault(_norm(key), gid)
    return index


def _sender_matches(wanted: str, cand: dict[str, Any]) -> bool:
    pid = cand.get("sender") or ""
    names = {pid, pid.removeprefix("person:"), cand.get("sender_name") or "",
             cand.get("sender_handle") or ""}
    return _norm(wanted) in {_norm(n) for n in names if n}


def match_codings(store: GraphStore, path: Path, groups: list[dict[str, Any]],
                  categories: set[str]) -> tuple[list[AnalystCoding], list[RowProblem]]:
    """Match every row of the CSV at ``path`` to one message, or report why not."""
    group_of = _group_index(groups)
    problems: list[RowProblem] = []
    pending: list[dict[str, Any]] = []
    rows_by_line: dict[int, dict[str, str]] = {}
    for line, row in read_rows(path):
        empty = [c for c in COLUMNS if c != "coder" and not row[c]]
        if empty:
            problems.append(_problem(line, row, f"empty {', '.join(empty)}"))
            continue
        gid = group_of.get(_norm(row["group"]))
        if gid is None:
            problems.append(_problem(line, row, f"no group {row['group']!r}"))
            continue
        if row["category"] not in categories:
            problems.append(_problem(
                line, row, f"unknown category {row['category']!r}"))
            continue
        try:
            start, end = _minute(row["sent_at"])
        except ValueError as exc:
            problems.append(_problem(line, row, f"sent_at {row['sent_at']!r}: {exc}"))
            continue
        rows_by_line[line] = row
        pending.append({"row": line, "group": gid, "from": start, "to": end})
    candidates: dict[int, list[dict[str, Any]]] = {line: [] for line in rows_by_line}
    query = load_query("analysis/coding_candidates")
    for i in range(0, len(pending), _BATCH):
        for cand in store.read(query, {"rows": pending[i:i + _BATCH]}):
            candidates[int(cand["row"])].append(cand)
    codings: list[AnalystCoding] = []
    for line, row in rows_by_line.items():
        excerpt = _excerpt(row["text_excerpt"])
        hits = sorted({c["id"] for c in candidates[line]
                       if _sender_matches(row["sender"], c) and excerpt in _norm(c["text"] or "")})
        if not hits:
            problems.append(_problem(
                line, row, "matches no message (group, sender, minute, excerpt)"))
        elif len(hits) > 1:
            problems.append(_problem(
                line, row, f"matches {len(hits)} messages: {', '.join(hits)}"))
        else:
            codings.append(AnalystCoding(line, hits[0], row["category"], row["coder"] or "analyst"))
    problems.sort(key=lambda p: p.line)
    return codings, problems
