"""The ``conductgraph`` command: parses input, calls one library function, prints.

Every failure is one shape: ``Error: …`` on stderr and exit code 1 (the store or
the system failed) or 2 (the input was wrong).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console

from conductgraph.graph.errors import ConductGraphError, InputError

from . import cli_db, cli_generate, cli_load, cli_query, cli_report, cli_serve, cli_verify

app = typer.Typer(
    name="conductgraph",
    help="A knowledge graph of officers, their chat groups, messages, units, investigations, "
    "findings and recommendations.\n\nExample: conductgraph demo",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(cli_db.app, name="db")
app.add_typer(cli_load.people_app, name="people")
app.command("load")(cli_load.load)
app.command("demo")(cli_load.demo)
app.command("cypher")(cli_query.cypher)
app.command("stats")(cli_query.stats)
app.command("settings")(cli_query.settings_cmd)
app.add_typer(cli_report.report_app, name="report")
app.command("code")(cli_report.code)
app.command("serve")(cli_serve.serve)
app.add_typer(cli_serve.token_app, name="token")
app.add_typer(cli_serve.audit_app, name="audit")
app.command("generate")(cli_generate.generate)
app.command("export")(cli_generate.export)
app.command("verify")(cli_verify.verify)

err = Console(stderr=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turn project errors into ``Error: …`` and an exit code."""
    try:
        # Without standalone mode click returns typer.Exit's code instead of exiting.
        code = app(args=argv, standalone_mode=False)
    except ConductGraphError as exc:
        err.print(f"[bold red]Error:[/] {exc.message}", highlight=False, markup=True)
        _print_detail(exc)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("Error: aborted", highlight=False, markup=False)
        sys.exit(1)
    except Exception as exc:
        # Usage errors of the click that Typer bundles: duck-typed, it is a private module.
        if hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int):
            err.print(f"Error: {exc.format_message()}", highlight=False, markup=False)
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        raise
    if isinstance(code, int) and code:
        sys.exit(code)


def _print_detail(exc: ConductGraphError) -> None:
    detail: Any = exc.detail
    if isinstance(exc, InputError) and isinstance(detail, list) and len(detail) > 1:
        for d in detail[:20]:
            err.print(f"  {d.get('field') or '(file)'}: {d.get('message')}", highlight=False,
                      markup=False)
    elif isinstance(detail, dict) and "position" in detail:
        err.print(f"  at {json.dumps(detail['position'])}", highlight=False, markup=False)


if __name__ == "__main__":  # pragma: no cover
    main()
