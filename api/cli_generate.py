"""``conductgraph generate`` (a synthetic case folder) and ``conductgraph export`` (bulk CSVs)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from conductgraph.graph.errors import InputError
from conductgraph.graph.neo4j_import import export_neo4j_import
from conductgraph.graph.settings import get_settings
from conductgraph.graph.store import open_store
from conductgraph.loaders.synthetic_case import generate_case, read_manifest

out = Console()
EXPORT_FORMATS = ("neo4j-import",)


def _bar(unit: str) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn(unit), TimeElapsedColumn(), console=out)


def generate(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write (new or empty).")],
    people: Annotated[int, typer.Option("--people", min=3, help="Officers.")] = 200,
    groups: Annotated[int, typer.Option("--groups", min=1, help="Chat groups.")] = 20,
    messages: Annotated[int, typer.Option("--messages", min=0,
                                          help="Messages, each counted once.")] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes.")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Write a synthetic case folder (case.yaml, chat exports, codings) that loads like a real one.

    Example: conductgraph generate /tmp/big --people 2000 --groups 100 --messages 1000000
    """
    start = time.perf_counter()
    if quiet:
        case = generate_case(out_dir, people=people, groups=groups, messages=messages, seed=seed)
    else:
        with _bar("messages") as bar:
            task = bar.add_task("generating", total=messages)
            case = generate_case(out_dir, people=people, groups=groups, messages=messages,
                                 seed=seed, progress=lambda n: bar.advance(task, n))
    m = read_manifest(case.parent)
    out.print(f"{case} written in {time.perf_counter() - start:.1f} s: {m['messages']} messages "
              f"in {m['groups']} groups from {m['exports']} exports, {m['people']} people, "
              f"{m['codings']} analyst codings. Load it with: conductgraph load {case.parent}",
              highlight=False)


def export(
    out_dir: Annotated[Path, typer.Argument(help="Folder for the CSVs and import.sh.")],
    format: Annotated[str, typer.Option("--format", help="Only neo4j-import for now.")
                      ] = "neo4j-import",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Write the whole graph as neo4j-admin import CSVs, with import.sh to run the import.

    Example: conductgraph export --format neo4j-import /tmp/case-csv
    """
    if format not in EXPORT_FORMATS:
        raise InputError(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not {format!r}")
    settings = get_settings()
    store = open_store(settings)
    try:
        if quiet:
            report = export_neo4j_import(store, out_dir)
        else:
            with _bar("rows") as bar:
                task = bar.add_task("exporting", total=None)
                report = export_neo4j_import(store, out_dir,
                                             progress=lambda n: bar.advance(task, n))
    finally:
        store.close()
    out.print(f"{report.node_count} nodes in {len(report.nodes)} files and "
              f"{report.relationship_count} relationships in {len(report.relationships)} files "
              f"written to {out_dir}; run {out_dir / 'import.sh'} on the Neo4j server.",
              highlight=False)
