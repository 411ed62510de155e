"""The Markdown that ``python -m bench`` writes: targets checked, then every figure.

A target names a figure by its path in a benchmark's result and a bound. It is only
judged on the size it is defined for (``large``); at any other size, or when the figure
is missing, the table says so instead of guessing.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


class OutcomeLike(Protocol):
    name: str
    status: str
    seconds: float
    peak_rss_mb: float
    figures: dict[str, Any]
    error: str
    date: str


@dataclass(frozen=True)
class Target:
    what: str
    benchmark: str
    path: tuple[str, ...]
    op: str  # "<" or ">="
    bound: float
    unit: str


TARGETS = (
    Target("1M WhatsApp messages end to end into the embedded store", "load_e2e", ("ours_s",),
           "<", 60, "s"),
    Target("Load vs one MERGE per message", "load_e2e", ("speedup_vs_merge_per_message",),
           ">=", 50, "×"),
    Target("WhatsApp parse vs whatstk (issue 3)", "whatsapp_parse", ("ratio",), ">=", 10, "×"),
    Target("Exposure for 1M messages (in-memory join)", "exposure", ("join_s",), "<", 60, "s"),
    Target("Exposure for 1M messages (derive in the store)", "exposure",
           ("store", "derive_first_s"), "<", 60, "s"),
    Target("Network report, 2,000 people", "network_report", ("report_s",), "<", 60, "s"),
    Target("Subgraph endpoint p95 (depth 2, 500 nodes, 8 clients)", "api_subgraph",
           ("subgraph_api", "p95_ms"), "<", 50, "ms"),
    Target("Peak RSS loading a 1 GB export", "memory_load", ("loader_peak_rss_mb",), "<", 1024,
           "MB"),
)
_OPS: dict[str, Callable[[float, float], bool]] = {"<": operator.lt, ">=": operator.ge}


def _get(figures: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = figures
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _verdict(target: Target, outcomes: dict[str, OutcomeLike], size: str) -> tuple[str, str]:
    outcome = outcomes.get(target.benchmark)
    if outcome is None:
        return "—", "not run"
    if outcome.status != "ok":
        return "—", outcome.status
    value = _get(outcome.figures, target.path)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—", "not measured"
    figure = f"{value:g} {target.unit}"
    if size != "large":
        return figure, "not judged (targets are for `large`)"
    return figure, "**met**" if _OPS[target.op](float(value), target.bound) else "**NOT met**"


def _flatten(figures: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += _flatten(value, f"{name}.")
        else:
            rows.append((name, value))
    return rows


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render_markdown(outcomes: list[Any], *, size: str, machine: dict[str, Any],
                    started: datetime, command: str) -> str:
    """The whole ``docs/benchmarks.md``."""
    by_name = {o.name: o for o in outcomes}
    lines = [
        "# Benchmarks", "",
        f"Latest figures, written by `{command}` (run from the repository root).", "",
        f"- date: {started.strftime('%Y-%m-%d %H:%M UTC')}",
        f"- size: `{size}`",
        f"- machine: {machine['cpus']} CPUs, {machine['memory_gb']} GB memory, "
        f"Python {machine['python']}, {machine['platform']}", "",
        "Each benchmark runs in its own process; *peak RSS* is that process's, read from the "
        "kernel (the embedded store's server is a separate process; benchmarks that load a "
        "store report its memory as `server_*`). Ratios compare with a peer or a baseline "
        "measured in the same run; the module docstrings in `bench/` say exactly how.", "",
        "## Targets", "",
        "| target | bound | figure | verdict |", "| --- | --- | --- | --- |",
    ]
    for t in TARGETS:
        figure, verdict = _verdict(t, by_name, size)
        lines.append(f"| {t.what} | {t.op} {t.bound:g} {t.unit} | {figure} | {verdict} |")
    lines += ["", "## Runs", "", "| benchmark | status | wall s | peak RSS MB | run at (UTC) |",
              "| --- | --- | --- | --- | --- |"]
    for o in outcomes:
        when = o.date.replace("T", " ")[:16]
        lines.append(f"| `{o.name}` | {o.status} | {o.seconds} | {o.peak_rss_mb} | {when} |")
    for o in outcomes:
        lines += ["", f"## `{o.name}`", ""]
        if o.status == "missing":
            lines.append(f"No module `bench/{o.name}.py` yet.")
            continue
        if o.status == "failed":
            lines += ["Failed:", "", "```", o.error, "```"]
            continue
        lines += ["| figure | value |", "| --- | --- |"]
        lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in _flatten(o.figures)]
    return "\n".join(lines) + "\n"
