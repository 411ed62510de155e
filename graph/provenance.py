"""Where a report's numbers came from: the sources loaded and the settings used."""

from __future__ import annotations

from typing import Any

from . import analysis_reads as reads
from .store import GraphStore


def provenance(store: GraphStore, settings: dict[str, Any]) -> dict[str, Any]:
    """``{"backend", "sources": [{path, format, loaded_at, records, rejected}], "settings"}``.

    No clock time of its own, so the same graph and settings give the same report.
    """
    return {
        "backend": store.backend,
        "sources": [{k: s.get(k) for k in ("id", "path", "format", "loaded_at", "records",
                                             "rejected")} for s in reads.sources(store)],
        "settings": settings,
    }
