"""Write ``docs/cli.md`` from the Typer app itself, so the reference cannot drift.

``python -m conductgraph.api.cli_docs`` rewrites it; ``--check`` exits 1 when stale.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from .cli import app

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


# Typer bundles its own click: commands are duck-typed here.
def _walk(cmd: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    out = [(path, cmd)]
    if hasattr(cmd, "commands"):
        for name in sorted(cmd.commands):
            out += _walk(cmd.commands[name], [*path, name])
    return out


def render() -> str:
    root = typer.main.get_command(app)
    lines = ["# CLI reference", "",
             "Generated from the code by `python -m conductgraph.api.cli_docs`. Every command "
             "takes `--help`. Errors print `Error: …` on stderr and exit with 2 (bad input) or "
             "1 (the store or the system failed).", ""]
    for path, cmd in _walk(root, ["conductgraph"]):
        if hasattr(cmd, "commands") and len(path) > 1:
            lines += [f"## `{' '.join(path)}`", "", (cmd.help or "").strip(), ""]
            continue
        if len(path) == 1:
            lines += [(cmd.help or "").strip(), ""]
            continue
        ctx = cmd.context_class(cmd, info_name=" ".join(path))
        usage = " ".join(cmd.collect_usage_pieces(ctx))
        lines += [f"## `{' '.join(path)}`", "", "```", f"{' '.join(path)} {usage}".rstrip(),
                  "```", "", (cmd.help or "").strip(), ""]
        rows = []
        for param in cmd.params:
            record = param.get_help_record(ctx)
            if record:
                rows.append(f"| `{record[0]}` | {record[1].replace('|', '/')} |")
            elif param.param_type_name == "argument":
                rows.append(f"| `{param.human_readable_name}` | argument |")
        if rows:
            lines += ["| option | meaning |", "| --- | --- |", *rows, ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"stale: {DOC}; run python -m conductgraph.api.cli_docs")
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
