"""Report exporters: one module per format, each turning report dicts into text.

The dicts come from :func:`~conductgraph.graph.exposure.exposure_report`,
:func:`~conductgraph.graph.participation.participation_report` and
:func:`~conductgraph.graph.network.network_report`; the JSON export is exactly
those dicts (documented in ``docs/reports.md``).
"""

from __future__ import annotations

from typing import Any

from .csv import to_csv
from .html import render_html
from .json import to_json

FORMATS = ("html", "json", "csv")


def export(reports: dict[str, dict[str, Any]], fmt: str) -> str:
    """Text of ``reports`` (kind → report dict) in ``fmt``; JSON/CSV take exactly one report."""
    if fmt == "html":
        return render_html(reports)
    if len(reports) != 1:
        raise ValueError(f"{fmt} exports one report at a time")
    (report,) = reports.values()
    return to_json(report) if fmt == "json" else to_csv(report)


__all__ = ["FORMATS", "export", "to_csv", "to_json", "render_html"]
