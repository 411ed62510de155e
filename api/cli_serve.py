"""``conductgraph serve``, ``conductgraph token …`` and ``conductgraph audit …``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from conductgraph.graph.errors import ConductGraphError, InputError
from conductgraph.graph.settings import get_settings

from .audit import AUDIT_FILE, AuditLog, verify
from .tokens import ROLES, TokenStore

out = Console()
token_app = typer.Typer(help="Create, list and revoke API bearer tokens.\n\n"
                        "Example: conductgraph token create --role analyst --name alice",
                        no_args_is_help=True)
audit_app = typer.Typer(help="Show and verify the API's tamper-evident audit log.\n\n"
                        "Example: conductgraph audit verify", no_args_is_help=True)


class AuditChainError(ConductGraphError):
    code = "audit_chain_broken"
    exit_code = 1


def serve(
    host: Annotated[str | None, typer.Option(help="Address (default: the api_host setting).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: the api_port setting).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (one per core is a good start).")] = 1,
    access_log: Annotated[bool, typer.Option(
        help="uvicorn's access log on the console (the audit log records every request either way).")] = True,
    log_level: Annotated[str, typer.Option(
        help="uvicorn's log level: critical, error, warning, info, debug or trace.")] = "info",
    pin_workers: Annotated[bool | None, typer.Option(
        help="Keep each worker process on one CPU of its own, Linux only (default: the "
             "api_pin_workers setting).")] = None,
    balance_connections: Annotated[bool | None, typer.Option(
        help="With several workers, give each new connection to the worker holding the fewest, "
             "not to whichever wakes first (default: the api_balance_connections setting).")] = None,
) -> None:
    """Serve the query API and the web page with uvicorn.

    Example: conductgraph serve --port 8765
    """
    from .http_server import LOG_LEVELS, serve_api

    if log_level not in LOG_LEVELS:
        raise InputError(f"--log-level must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")
    settings = get_settings()
    serve_api(host or settings.api_host, port or settings.api_port, workers=workers,
              log_level=log_level, access_log=access_log,
              pin_workers=settings.api_pin_workers if pin_workers is None else pin_workers,
              balance_connections=(settings.api_balance_connections if balance_connections is None
                                   else balance_connections))


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")],
    name: Annotated[str, typer.Option(help="Who or what the token is for.")] = "",
) -> None:
    """Create a token; it is printed once and only its hash is kept.

    Example: conductgraph token create --role investigator --name "case officer"
    """
    token, record = TokenStore(get_settings().data_dir).create(role, name)
    out.print(f"token {record.id} ({record.role}) created; keep it, it is not shown again:",
              highlight=False)
    print(token)


@token_app.command("list")
def token_list(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List tokens (ids, roles, names, dates; never the tokens).

    Example: conductgraph token list
    """
    records = TokenStore(get_settings().data_dir).list()
    if fmt == "json":
        print(json.dumps([r.public() for r in records], indent=2))
        return
    table = Table("id", "role", "name", "created", "revoked")
    for r in records:
        table.add_row(r.id, r.role, r.name, r.created_at, r.revoked_at or "")
    out.print(table)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[str, typer.Argument(help="The token's id (see `token list`).")]) -> None:
    """Revoke a token; the API refuses it from the next request on.

    Example: conductgraph token revoke 1a2b3c4d
    """
    record = TokenStore(get_settings().data_dir).revoke(token_id)
    out.print(f"token {record.id} revoked at {record.revoked_at}", highlight=False)


@audit_app.command("verify")
def audit_verify(
    anchor: Annotated[list[str] | None, typer.Option(
        help="SEQ:HASH of a head an earlier verify printed (repeatable): it must still be in the "
             "log, so lines cut from its end are found.")] = None,
) -> None:
    """Check the hash chain of the audit log; exit code 1 names the broken lines. Prints the
    head (seq and hash of the last entry): keep it elsewhere and pass it as --anchor later.

    Example: conductgraph audit verify --anchor 1234:9f2c…
    """
    path = get_settings().data_dir / AUDIT_FILE
    result = verify(path, [_anchor(text) for text in anchor or []])
    if not result.ok:
        lines = [str(p["line"]) for p in result.problems if p["line"]][:20]
        others = [p["problem"] for p in result.problems if not p["line"]]
        raise AuditChainError(f"the audit log {path} is broken"
                              + (f" at line(s) {', '.join(lines)}" if lines else "")
                              + "".join(f"; {problem}" for problem in others), detail=result.problems)
    out.print(f"audit log {path}: {result.entries} entries, chain intact", highlight=False)
    if result.head:
        out.print(f"head: --anchor {result.head[0]}:{result.head[1]}", highlight=False)


def _anchor(text: str) -> tuple[int, str]:
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise InputError(f"--anchor {text!r}: expected SEQ:HASH as verify prints it (a number, a "
                         "colon, 64 hex digits)", detail={"field": "anchor"})
    return int(seq), digest


@audit_app.command("show")
def audit_show(
    limit: Annotated[int, typer.Option(min=1, help="The last N entries.")] = 50,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List the last entries of the audit log.

    Example: conductgraph audit show --limit 20
    """
    entries = list(AuditLog(get_settings().data_dir).entries())[-limit:]
    if fmt == "json":
        print(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    table = Table("seq", "time", "token", "role", "method", "path", "status", "rows", "query")
    for e in entries:
        table.add_row(str(e.get("seq")), e.get("time", ""), e.get("token") or "", e.get("role") or "",
                      e.get("method", ""), e.get("path", ""), str(e.get("status")),
                      "" if e.get("rows") is None else str(e.get("rows")), (e.get("query") or "")[:60])
    out.print(table)
