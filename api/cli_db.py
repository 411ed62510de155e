"""``conductgraph db …``: the embedded store's server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from conductgraph.graph import falkordb_server
from conductgraph.graph.settings import get_settings
from conductgraph.graph.store import open_store

app = typer.Typer(help="Start, stop and inspect the embedded FalkorDB store.\n\n"
                  "Example: conductgraph db status", no_args_is_help=True)
out = Console()


@app.command()
def start() -> None:
    """Start the embedded store (reuses one already running).

    Example: conductgraph db start
    """
    settings = get_settings()
    st = falkordb_server.start(settings.data_dir)
    out.print(f"FalkorDB running on {st.socket} (pid {st.pid})", highlight=False)


@app.command()
def stop() -> None:
    """Stop the embedded store; its data stays in the data directory.

    Example: conductgraph db stop
    """
    settings = get_settings()
    if falkordb_server.stop(settings.data_dir):
        out.print("FalkorDB stopped")
    else:
        out.print("FalkorDB was not running")


@app.command()
def status() -> None:
    """Say whether the embedded store runs, where, and its data directory.

    Example: conductgraph db status
    """
    settings = get_settings()
    st = falkordb_server.status(settings.data_dir)
    state = f"running (pid {st.pid})" if st.running else "stopped"
    out.print(f"backend: {settings.backend}\nFalkorDB: {state}\nsocket: {st.socket}\n"
              f"data dir: {st.data_dir}", highlight=False)
    if not st.running:
        raise typer.Exit(3)


@app.command()
def reset(yes: bool = typer.Option(False, "--yes", help="Do not ask.")) -> None:
    """Delete the whole graph (every case loaded into this store).

    Example: conductgraph db reset --yes
    """
    if not yes:
        typer.confirm("Delete every node and relationship of the graph?", abort=True)
    store = open_store(get_settings())
    store.clear()
    out.print("graph deleted")


@app.command("backup")
def backup_cmd(file: Annotated[Path, typer.Argument(help="Backup file to write.")]) -> None:
    """Write a consistent backup of the embedded store to FILE, also while it loads or serves.

    Example: conductgraph db backup hotton-2024-05-01.cgbak
    """
    from conductgraph.graph.backup import backup

    info = backup(get_settings(), file)
    out.print(f"backup written to {info.file}: {info.bytes} bytes, sha256 {info.sha256}\n"
              f"graph {info.graph}: {_count_text(info.counts)}", highlight=False)


@app.command("restore")
def restore_cmd(
    file: Annotated[Path, typer.Argument(help="Backup file written by `db backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
) -> None:
    """Replace the embedded store's data with a backup (verified by its sha256 first).

    Example: conductgraph db restore hotton-2024-05-01.cgbak --yes
    """
    from conductgraph.graph.backup import restore
    from conductgraph.graph.backup_file import verify

    settings = get_settings()
    info, _ = verify(file)  # a damaged file is refused before asking anything
    if not yes:
        typer.confirm(f"Replace every graph in {settings.data_dir} with the backup of "
                      f"{info.created_at}?", abort=True)
    info = restore(settings, file)
    out.print(f"restored {info.file} (sha256 verified); graph {info.graph}: "
              f"{_count_text(info.counts)}", highlight=False)


def _count_text(counts: dict[str, dict[str, int]]) -> str:
    """"Message 30000, Person 8; SENT 30000" from a backup header's counts."""
    parts = [", ".join(f"{k} {v}" for k, v in counts.get(kind, {}).items()) or "none"
             for kind in ("labels", "relationships")]
    return f"nodes: {parts[0]}; relationships: {parts[1]}"
