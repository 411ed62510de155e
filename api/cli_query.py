"""``conductgraph cypher``, ``stats`` and ``settings``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from conductgraph.graph.errors import InputError
from conductgraph.graph.queries import CYPHER_DIR
from conductgraph.graph.settings import Settings, env_var_of, get_settings
from conductgraph.graph.stats import graph_stats
from conductgraph.graph.store import open_store

from .output import print_rows

out = Console()
FORMATS = ("table", "json", "csv")


def parse_param(text: str) -> tuple[str, Any]:
    """``name=value``: the value is read as JSON when it parses (numbers, true, lists), else text.

    >>> parse_param("person=person:officer-a")
    ('person', 'person:officer-a')
    >>> parse_param("limit=5")
    ('limit', 5)
    """
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise InputError(f"parameter {text!r} must look like name=value", detail={"field": "-p"})
    try:
        parsed: Any = json.loads(value)
    except ValueError:
        parsed = value
    return name.strip(), parsed


def _query_file(path: Path) -> str:
    # A cookbook name works too: `--file messages_sent_by_person`.
    candidates = [path, CYPHER_DIR / "queries" / path.name, CYPHER_DIR / "queries" / f"{path}.cypher"]
    for p in candidates:
        if p.is_file():
            return p.read_text(encoding="utf-8")
    raise InputError(f"{path}: no such query file", detail={"file": str(path)})


def cypher(
    query: Annotated[str | None, typer.Argument(help="A read-only Cypher query.")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="Query parameter name=value (repeatable; JSON values allowed).")] = None,
    file: Annotated[Path | None, typer.Option(
        "--file", help="Run a .cypher file (or a cookbook name from cypher/queries/).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    limit: Annotated[int | None, typer.Option(help="Most rows to return.")] = None,
) -> None:
    """Run a read-only Cypher query; writes are refused.

    Example: conductgraph cypher "MATCH (r:Recommendation) RETURN count(r) AS n" --format json
    """
    if fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}", detail={"field": "format"})
    if (query is None) == (file is None):
        raise InputError("give either a QUERY or --file, not both or neither")
    text = query if query is not None else _query_file(file)  # type: ignore[arg-type]
    params = dict(parse_param(p) for p in param or [])
    store = open_store(get_settings())
    try:
        result = store.read_user(text, params, row_limit=limit)
    finally:
        store.close()
    print_rows(out, result.columns, result.rows, fmt)
    if result.truncated:
        Console(stderr=True).print(f"(truncated to {len(result.rows)} rows)")


def stats(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Count nodes per label and relationships per type.

    Example: conductgraph stats --format json
    """
    store = open_store(get_settings())
    try:
        counts = graph_stats(store)
    finally:
        store.close()
    if fmt == "json":
        print(json.dumps(counts, indent=2))
        return
    for kind, title in (("labels", "label"), ("relationships", "relationship type")):
        table = Table(title, "count")
        for k, v in counts[kind].items():
            table.add_row(k, str(v))
        out.print(table)


def settings_cmd() -> None:
    """List every setting with its environment variable, current value and meaning.

    Example: conductgraph settings
    """
    current = get_settings()
    table = Table("env var", "value", "meaning")
    for name, field in Settings.model_fields.items():
        value = getattr(current, name)
        shown = "***" if "password" in name and str(value) else str(value)
        table.add_row(env_var_of(name), shown, field.description or "")
    out.print(table)
