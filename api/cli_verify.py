"""``conductgraph verify``: are a case's original files still the ones that were loaded?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from conductgraph.graph.settings import get_settings
from conductgraph.graph.store import open_store
from conductgraph.graph.verify import verify_case

from .output import print_rows

out = Console()
COLUMNS = ["status", "role", "path", "sha256", "loaded_sha256", "note"]


def verify(
    case_dir: Annotated[Path, typer.Argument(help="Case folder (with case.yaml) that was loaded.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv")] = "table",
) -> None:
    """Re-hash a case's inputs and compare them with what was loaded; exit 1 if any changed or went missing.

    Example: conductgraph verify cases/hotton
    """
    store = open_store(get_settings())
    try:
        report = verify_case(store, case_dir)
    finally:
        store.close()
    print_rows(out, COLUMNS, [f.row() for f in report.files], fmt, title=f"Inputs of {report.case_dir}")
    if fmt == "table":
        out.print(f"{report.count('ok')} unchanged, {report.count('changed')} changed, "
                  f"{report.count('missing')} missing, {report.count('not loaded')} not loaded yet",
                  highlight=False)
    if not report.ok:
        raise typer.Exit(1)
