"""``conductgraph db …``: the embedded store's server."""

from __future__ import annotations

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
