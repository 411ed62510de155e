"""``conductgraph report …`` and ``conductgraph code``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from conductgraph.graph.coding import code_messages
from conductgraph.graph.errors import InputError
from conductgraph.graph.exposure import derive_exposure, exposure_report
from conductgraph.graph.load_lock import load_lock
from conductgraph.graph.network import MEASURES, network_report
from conductgraph.graph.participation import participation_report
from conductgraph.graph.projections import PROJECTIONS
from conductgraph.graph.reports import FORMATS, export
from conductgraph.graph.settings import get_settings
from conductgraph.graph.store import GraphStore, open_store
from conductgraph.graph.taxonomy import load_taxonomy

out = Console()
err = Console(stderr=True)
report_app = typer.Typer(
    help="Analyses as HTML (charts), JSON or CSV.\n\n"
    "Example: conductgraph report exposure --format html -o exposure.html",
    no_args_is_help=True)

KINDS = ("exposure", "participation", "network")
GroupOpt = Annotated[str | None, typer.Option("--group", "-g", help="Only this group (id).")]
FromOpt = Annotated[str | None, typer.Option("--from", help="From this date/time (UTC), inclusive.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Up to this date/time (UTC), exclusive.")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="html, json or csv.")]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but the report.")]


def build_reports(store: GraphStore, kinds: list[str], *, group: str | None = None,
                  date_from: str | None = None, date_to: str | None = None,
                  category: str | None = None, projection: str = "co_membership",
                  measure: str = "betweenness") -> dict[str, dict[str, Any]]:
    """Each requested report's dict, by kind."""
    out: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        if kind == "exposure":
            out[kind] = exposure_report(store, group=group, date_from=date_from, date_to=date_to,
                                        category=category)
        elif kind == "participation":
            out[kind] = participation_report(store, group=group, date_from=date_from,
                                             date_to=date_to)
        else:
            out[kind] = network_report(store, projection=projection, measure=measure, group=group,
                                       date_from=date_from, date_to=date_to)
    return out


def _emit(text: str, output: Path | None, quiet: bool) -> None:
    if output is None:
        print(text, end="")
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{output}: cannot write: {exc.strerror}", detail={"file": str(output)}
                         ) from exc
    if not quiet:
        err.print(f"Wrote {output}", highlight=False)


def _run(kinds: list[str], fmt: str, output: Path | None, quiet: bool, **options: Any) -> None:
    if fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt != "html" and len(kinds) > 1:
        raise InputError(f"{fmt} holds one report; use --format html for several")
    store = open_store(get_settings())
    try:
        reports = build_reports(store, kinds, **options)
    finally:
        store.close()
    _emit(export(reports, fmt), output, quiet)


@report_app.command("exposure")
def exposure(group: GroupOpt = None, date_from: FromOpt = None, date_to: ToOpt = None,
             category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
             fmt: FormatOpt = "json", output: OutOpt = None, quiet: QuietOpt = False) -> None:
    """Who saw flagged content: per person counts, roles per category, per message audience.

    Example: conductgraph report exposure --format json
    """
    _run(["exposure"], fmt, output, quiet, group=group, date_from=date_from, date_to=date_to,
         category=category)


@report_app.command("participation")
def participation(group: GroupOpt = None, date_from: FromOpt = None, date_to: ToOpt = None,
                  fmt: FormatOpt = "json", output: OutOpt = None, quiet: QuietOpt = False) -> None:
    """Who posted how much, when: per person and group, active and silent members per month.

    Example: conductgraph report participation --group wa-team --format csv
    """
    _run(["participation"], fmt, output, quiet, group=group, date_from=date_from, date_to=date_to)


@report_app.command("network")
def network(group: GroupOpt = None, date_from: FromOpt = None, date_to: ToOpt = None,
            projection: Annotated[str, typer.Option(
                help=f"{', '.join(PROJECTIONS)}.")] = "co_membership",
            measure: Annotated[str, typer.Option(help=f"{', '.join(MEASURES)}.")] = "betweenness",
            fmt: FormatOpt = "json", output: OutOpt = None, quiet: QuietOpt = False) -> None:
    """Centrality, communities, brokers and change over time on one projection.

    Example: conductgraph report network --projection interaction --measure pagerank -f html -o n.html
    """
    _run(["network"], fmt, output, quiet, group=group, date_from=date_from, date_to=date_to,
         projection=projection, measure=measure)


@report_app.command("all")
def all_reports(group: GroupOpt = None, date_from: FromOpt = None, date_to: ToOpt = None,
                output: OutOpt = None, quiet: QuietOpt = False) -> None:
    """Exposure, participation and the co-membership network in one HTML file.

    Example: conductgraph report all -o report.html
    """
    _run(list(KINDS), "html", output, quiet, group=group, date_from=date_from, date_to=date_to)


def write_case_report(path: Path) -> Path:
    """Write the full HTML report of the current store to ``path`` (``conductgraph demo``)."""
    store = open_store(get_settings())
    try:
        reports = build_reports(store, list(KINDS))
    finally:
        store.close()
    path.write_text(export(reports, "html"), encoding="utf-8")
    return path


def code(
    case: Annotated[Path | None, typer.Argument(
        help="Case folder: use its categories.yaml and codings CSV.")] = None,
    taxonomy: Annotated[Path | None, typer.Option(
        help="A categories.yaml (default: the case's, else the shipped one).")] = None,
    codings: Annotated[Path | None, typer.Option(help="An analyst codings CSV.")] = None,
    strict: Annotated[bool, typer.Option(
        help="Exit 2 when a codings row matches no message or several.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """(Re)run content coding and exposure: lexicon flags, analyst codings, EXPOSED_TO.

    Running it again changes nothing. Example: conductgraph code cases/hotton
    """
    if case is not None:
        from conductgraph.loaders.casefile import read_case

        folder = read_case(case)
        tax = load_taxonomy(taxonomy) if taxonomy else folder.taxonomy
        codings = codings or folder.codings_path
    else:
        tax = load_taxonomy(taxonomy)
    settings = get_settings()
    store = open_store(settings)
    try:
        with load_lock(settings.data_dir):
            report = code_messages(store, tax, codings, batch_size=settings.batch_size)
            derived = derive_exposure(store, batch_size=settings.batch_size)
    finally:
        store.close()
    if not quiet:
        flagged = ", ".join(f"{c} {n}" for c, n in sorted(report.by_category.items())) or "none"
        out.print(f"{report.messages} messages coded; lexicon flags: {flagged} "
                  f"({report.reviewed} confirmed by an analyst, {report.lexicon_removed} removed); "
                  f"{report.analyst_applied} analyst codings applied.", highlight=False)
        out.print(f"EXPOSED_TO: {derived.exposures} in all, {derived.written} written, "
                  f"{derived.deleted} stale removed.", highlight=False)
    for p in report.problems:
        err.print(f"Warning: {codings}: {p}", highlight=False, markup=False)
    if strict and report.problems:
        raise InputError(f"{len(report.problems)} codings rows could not be applied",
                         detail=[{"file": str(codings), "field": f"line {p.line}",
                                  "message": p.reason} for p in report.problems])
