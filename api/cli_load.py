"""``conductgraph load``, ``demo`` and ``people``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from conductgraph.graph.errors import InputError
from conductgraph.graph.loading import SAMPLE_CASE, LoadReport, NoProgress, load_paths
from conductgraph.graph.settings import get_settings
from conductgraph.graph.store import open_store
from conductgraph.graph.summary import case_summary, unresolved_people

from .cli_progress import RichProgress
from .output import print_rows

out = Console()
people_app = typer.Typer(help="People and identities.\n\nExample: conductgraph people unresolved",
                         no_args_is_help=True)


def _print_report(report: LoadReport) -> None:
    table = Table("source", "format", "messages", "events", "rejected", "groups")
    for s in report.sources:
        table.add_row(Path(s.path).name, s.format, str(s.messages), str(s.events),
                      str(s.rejected), ", ".join(s.groups))
    out.print(table)
    out.print(f"{report.nodes} node and {report.relationships} relationship records written "
              "(merged: loading again changes nothing)", highlight=False)
    for s in report.sources:
        for line, reason in s.rejected_sample:
            out.print(f"  rejected {Path(s.path).name}:{line}: {reason}", highlight=False)
        if s.rejected > len(s.rejected_sample):
            out.print(f"  … {s.rejected - len(s.rejected_sample)} more rejected lines in "
                      f"{Path(s.path).name} (kept as :Rejected nodes)", highlight=False)


def _load(paths: list[Path], quiet: bool, date_order: str | None) -> LoadReport:
    settings = get_settings()
    store = open_store(settings)
    try:
        if quiet:
            return load_paths(store, paths, settings, progress=NoProgress(), date_order=date_order)
        with RichProgress(out) as progress:
            return load_paths(store, paths, settings, progress=progress, date_order=date_order)
    finally:
        store.close()


def load(
    paths: Annotated[list[Path] | None, typer.Argument(help="Case folders or chat exports.")] = None,
    sample: Annotated[bool, typer.Option("--sample", help="Load the Operation Hotton sample.")] = False,
    date_order: Annotated[str | None, typer.Option(
        "--date-order", help="Day/month order of WhatsApp dates: dmy, mdy or ymd "
        "(default: decided from each file's data).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Load case folders (with case.yaml) and chat exports; loading again changes nothing.

    Example: conductgraph load cases/hotton  |  conductgraph load "WhatsApp Chat with Shift.txt"
    """
    if date_order not in (None, "dmy", "mdy", "ymd"):
        raise InputError(f"--date-order must be dmy, mdy or ymd, not {date_order!r}")
    targets = list(paths or [])
    if sample:
        targets.insert(0, SAMPLE_CASE)
    if not targets:
        raise InputError("nothing to load: give a case folder or an export, or --sample")
    report = _load(targets, quiet, date_order)
    _print_report(report)


def demo(quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False
         ) -> None:
    """Start the embedded store, load the Operation Hotton sample and summarise it.

    Example: conductgraph demo
    """
    settings = get_settings()
    report = _load([SAMPLE_CASE], quiet, None)
    out.print(f"Loaded the sample case into {settings.backend} "
              f"({settings.data_dir}): {len(report.sources)} sources.", highlight=False)
    store = open_store(settings)
    try:
        summary = case_summary(store)
    finally:
        store.close()
    stats = summary["stats"]
    out.print("[bold]Nodes:[/] " + ", ".join(f"{k} {v}" for k, v in stats["labels"].items()))
    out.print("[bold]Relationships:[/] "
              + ", ".join(f"{k} {v}" for k, v in stats["relationships"].items()))
    for inv in summary["investigations"]:
        out.print(f"[bold]{inv['name']}[/] by {inv['conducted_by']}, published "
                  f"{inv['published_at']}: {inv['findings']} findings, "
                  f"{inv['recommendations']} recommendations, {inv['accepted']} accepted.")
    print_rows(out, ["name", "platform", "members", "messages", "flagged"], summary["groups"],
               "table", title="Groups")
    print_rows(out, ["name", "messages"], summary["categories"], "table",
               title="Flagged messages per category")
    out.print("Try: conductgraph cypher --file messages_sent_by_person "
              "-p person=person:officer-a")
    # Issue 4: the sample's full HTML report (exposure, participation, network), beside the store.
    from .cli_report import write_case_report

    html = write_case_report(settings.data_dir / "hotton-report.html")
    out.print(f"Report: {html} (open it in a browser)", highlight=False)


@people_app.command("unresolved")
def people_unresolved(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv")] = "table",
) -> None:
    """List handles not mapped to a person in the case file, with their message counts.

    Example: conductgraph people unresolved --format csv
    """
    store = open_store(get_settings())
    try:
        rows = unresolved_people(store)
    finally:
        store.close()
    print_rows(out, ["id", "name", "platforms", "handles", "messages"], rows, fmt,
               title="Unresolved people")
