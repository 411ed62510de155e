"""Run every benchmark and write ``docs/benchmarks.md``: ``python -m bench --size small|large``.

Each benchmark module in :data:`BENCHMARKS` has ``run(size) -> dict``; each runs in its
own child process (so one cannot skew another's memory, and a crash is reported, not
fatal), and the child's peak resident memory is read from the kernel. The figures, the
machine, the date and the command go into one Markdown file, with the project's targets
checked against the figures that exist. A module that is not there yet is listed as
missing; a benchmark that fails makes the command exit 1.

Options: ``--only NAME`` (repeatable) runs a subset; ``-o FILE`` writes the Markdown
(default: print it) and the figures as JSON beside it; ``--keep`` (with ``--only`` and
``-o``) keeps the other benchmarks' figures from that JSON, each with the date it was
measured, so one benchmark can be rerun without rerunning the hour-long rest.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .report import render_markdown
from .support import memory_gb

ROOT = Path(__file__).resolve().parent.parent
#: In the order they run and are reported.
BENCHMARKS = ("whatsapp_parse", "load_e2e", "memory_load", "exposure", "network_report",
              "api_subgraph")
#: Extra keyword arguments to ``run`` at the large size, when its signature takes them.
LARGE_OPTIONS: dict[str, dict[str, Any]] = {"exposure": {"store": True}}
_CHILD = ("import inspect, json, sys; from importlib import import_module; "
          "run = import_module('bench.' + sys.argv[1]).run; "
          "opts = {k: v for k, v in json.loads(sys.argv[4]).items() "
          "if k in inspect.signature(run).parameters}; "
          "out = run(sys.argv[2], **opts); "
          "open(sys.argv[3], 'w').write(json.dumps(out, default=str))")


@dataclass
class Outcome:
    """One benchmark's run: its figures, or why there are none."""

    name: str
    status: str  # ok, failed, missing
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    figures: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    date: str = ""  # when it ran (UTC, ISO 8601)


def _exists(name: str) -> bool:
    return importlib.util.find_spec(f"bench.{name}") is not None


def run_one(name: str, size: str) -> Outcome:
    """Run ``bench.<name>.run(size)`` in a child process and collect what it returns."""
    if not _exists(name):
        return Outcome(name, "missing")
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        result = Path(tmp.name)
    start = time.perf_counter()
    options = json.dumps(LARGE_OPTIONS.get(name, {}) if size == "large" else {})
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, name, size, str(result), options],
                            cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    err = proc.stderr.read()  # read before waiting, so a chatty child cannot block on a pipe
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = round(time.perf_counter() - start, 1)
    peak = round(usage.ru_maxrss / 1024, 1)  # Linux: KiB
    try:
        if proc.returncode != 0:
            return Outcome(name, "failed", seconds, peak, error=err.strip()[-2000:])
        figures = json.loads(result.read_text(encoding="utf-8"))
    finally:
        result.unlink(missing_ok=True)
    return Outcome(name, "ok", seconds, peak, figures)


def kept_outcomes(json_path: Path, fresh: list[Outcome], size: str) -> list[Outcome]:
    """``fresh`` plus, for benchmarks it lacks, the outcomes recorded in ``json_path``
    (same size only), in :data:`BENCHMARKS` order."""
    by_name = {o.name: o for o in fresh}
    if json_path.exists():
        old = json.loads(json_path.read_text(encoding="utf-8"))
        if old.get("size") == size:
            for rec in old.get("results", []):
                if rec["name"] not in by_name:
                    by_name[rec["name"]] = Outcome(**{"date": old.get("date", ""), **rec})
    return [by_name[n] for n in BENCHMARKS if n in by_name]


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {"cpus": os.cpu_count(), "memory_gb": memory_gb(),
            "python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--size", choices=("small", "large"), default="small")
    ap.add_argument("--only", action="append", choices=BENCHMARKS, metavar="NAME",
                    help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}")
    ap.add_argument("-o", "--output", type=Path, help="write the Markdown here")
    ap.add_argument("--keep", action="store_true",
                    help="keep the figures of benchmarks not run from the JSON beside --output")
    args = ap.parse_args(argv)
    if args.keep and not args.output:
        ap.error("--keep needs -o FILE")
    names = [n for n in BENCHMARKS if not args.only or n in args.only]
    started = datetime.now(UTC)
    outcomes = []
    for name in names:
        print(f"[bench] {name} ({args.size}) …", file=sys.stderr, flush=True)
        outcome = run_one(name, args.size)
        outcome.date = datetime.now(UTC).isoformat(timespec="seconds")
        print(f"[bench] {name}: {outcome.status} in {outcome.seconds} s "
              f"{json.dumps(outcome.figures, default=str) if outcome.figures else outcome.error}",
              file=sys.stderr, flush=True)
        outcomes.append(outcome)
    if args.keep:
        outcomes = kept_outcomes(args.output.with_suffix(".json"), outcomes, args.size)
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    text = render_markdown(outcomes, size=args.size, machine=machine(), started=started,
                           command=command.strip())
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        json_path = args.output.with_suffix(".json")
        json_path.write_text(json.dumps({"size": args.size, "machine": machine(),
                                         "date": started.isoformat(timespec="seconds"),
                                         "command": command.strip(),
                                         "results": [o.__dict__ for o in outcomes]},
                                        indent=1, default=str) + "\n", encoding="utf-8")
    else:
        print(text)
    return 1 if any(o.status == "failed" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
