"""CSV export: one row per person, nested fields flattened into columns.

Per-category values become one column per category (``seen_racism``,
``role_racism``, …); lists are joined with ``;``. Group- and message-level data
are only in the JSON and HTML exports.
"""

from __future__ import annotations

import csv
import io
from typing import Any


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}:{v}" for k, v in value.items())
    return value


def _exposure_row(p: dict[str, Any], cats: list[str]) -> dict[str, Any]:
    row = {k: p[k] for k in ("id", "name", "officer", "rank", "messages_seen",
                             "flagged_seen_total", "cited_seen", "first_exposure",
                             "last_exposure", "senders_seen", "groups")}
    for c in cats:
        row[f"seen_{c}"] = p["flagged_seen"][c]
        row[f"sent_{c}"] = p["flagged_sent"][c]
        row[f"role_{c}"] = p["roles"][c]
    return row


def _participation_row(p: dict[str, Any], cats: list[str]) -> dict[str, Any]:
    row = {k: p[k] for k in ("id", "name", "officer", "rank", "messages_sent", "active_days",
                             "first_message", "last_message", "months")}
    row["groups"] = [g["group"] for g in p["groups"]]
    for c in cats:
        row[f"sent_{c}"] = p["flagged_sent"][c]
    for h, n in enumerate(p["hours"]):
        row[f"hour_{h:02d}"] = n
    return row


def _network_row(p: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in p.items() if k != "position"}


def rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The flattened per-person rows of a report."""
    kind = report["report"]
    if kind == "exposure":
        cats = [c["id"] for c in report["categories"]]
        return [_exposure_row(p, cats) for p in report["people"]]
    if kind == "participation":
        return [_participation_row(p, report["categories"]) for p in report["people"]]
    return [_network_row(p) for p in report["people"]]


def to_csv(report: dict[str, Any]) -> str:
    """CSV text with a header row; columns in a fixed order for each report kind."""
    table = rows(report)
    buf = io.StringIO()
    columns: list[str] = []
    for r in table:
        columns += [k for k in r if k not in columns]
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for r in table:
        writer.writerow({k: _cell(v) for k, v in r.items()})
    return buf.getvalue()
