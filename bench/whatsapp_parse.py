"""WhatsApp parse speed and memory: conductgraph's parser against ``whatstk``, same file, one run.

Generates a synthetic export (with :func:`conductgraph.loaders.whatsapp.render`, so the
file is one real export style: Android, UK locale, 24 h), then times

- ``conductgraph.loaders.whatsapp.parse`` consuming every record,
- ``whatstk.df_from_whatsapp`` as documented (header detected automatically), and
- ``whatstk.df_from_whatsapp`` told the header format (its fastest use),

each the best of the same number of runs, taken in interleaved rounds (ours, whatstk,
whatstk told the header; again) so that a burst of other load on a shared machine falls on
all three alike rather than on whichever was being timed just then; and measures each one's
peak traced memory (``tracemalloc``, in a separate run so tracing does not distort the times).

Run: ``python -m bench.whatsapp_parse --size large`` (200,000 messages) or ``small``
(20,000, for CI). Prints one JSON object.
"""

from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from conductgraph.loaders.chat import ChatMessage, MembershipEvent
from conductgraph.loaders.whatsapp import parse, render

from .support import size_cli

SIZES = {"small": 20_000, "large": 200_000}
STYLE = "android24_dmy"
WHATSTK_HFORMAT = "%d/%m/%Y, %H:%M - %name:"

_NAMES = ["Officer A", "Officer B", "Officer C", "Dan Whitfield", "Sgt Mo Hussain", "Kev",
          "+44 7700 900123", "+44 7700 900456", "Jess Fairbairn", "Tom (Relief)", "Priya",
          "Big Steve"]
_VOCABULARY = (
    "shift tonight sarge who is on earlies lates nights briefing at the nick custody suite van "
    "overtime rota cover swap lol haha mate cheers ok on my way back in 10 anyone seen the keys "
    "for the car coffee canteen paperwork court tomorrow"
)
_WORDS = tuple(_VOCABULARY.split())


def _messages(n: int, seed: int = 7) -> Iterator[ChatMessage | MembershipEvent]:
    """``n`` plausible messages: bursty times, a few multi-line, media, deleted, mentions."""
    rng = random.Random(seed)
    t = datetime(2016, 1, 4, 7, 0, tzinfo=UTC)
    for name in _NAMES:
        yield MembershipEvent(0, t, "added", name, _NAMES[0])
    for i in range(n):
        # Chats come in bursts: mostly seconds apart, now and then hours.
        gap = rng.expovariate(1 / 40) if rng.random() < 0.9 else rng.expovariate(1 / 7200)
        t += timedelta(seconds=int(gap) + 1)
        sender = rng.choice(_NAMES)
        r = rng.random()
        if r < 0.04:
            yield ChatMessage(i, t, sender, "", "media")
            continue
        if r < 0.05:
            yield ChatMessage(i, t, sender, "", "deleted")
            continue
        text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 18)))
        if r < 0.08:
            text += "\n" + " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 10)))
        elif r < 0.10:
            text = f"@{rng.choice(_NAMES[3:6])} {text}"
        yield ChatMessage(i, t, sender, text)


def generate(path: Path, n: int) -> int:
    """Write an export of ``n`` messages to ``path``; returns its size in bytes."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(render(_messages(n), style=STYLE))
    return path.stat().st_size


def _ours(path: Path) -> int:
    return sum(1 for r in parse(path) if type(r) is ChatMessage)


def _whatstk_auto(path: Path) -> int:
    from whatstk import df_from_whatsapp

    return len(df_from_whatsapp(str(path), max_size=None))


def _whatstk_hformat(path: Path) -> int:
    from whatstk import df_from_whatsapp

    return len(df_from_whatsapp(str(path), hformat=WHATSTK_HFORMAT, max_size=None))


def _best(fns: list[Callable[[Path], int]], path: Path, repeats: int
          ) -> list[tuple[float, float, int]]:
    """Each function's best wall time, best CPU time and count, over ``repeats`` interleaved
    rounds."""
    best = [float("inf")] * len(fns)
    cpu = [float("inf")] * len(fns)
    counts = [0] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            counts[i] = fn(path)
            best[i] = min(best[i], time.perf_counter() - start)
            cpu[i] = min(cpu[i], time.process_time() - start_cpu)
    return list(zip(best, cpu, counts, strict=True))


def _peak_mb(fn: Callable[[Path], int], path: Path) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 2**20, 1)


def run(size: str = "small") -> dict[str, Any]:
    """Generate a file of ``SIZES[size]`` messages and compare the parsers on it.

    Returns
    -------
    dict
        ``messages`` (parsed by us), ``whatstk_messages``, ``file_mb``, the times in seconds
        (``ours_s``, ``whatstk_s``, ``whatstk_hformat_s``), the ratios whatstk/ours
        (``ratio`` for whatstk's documented automatic use, ``ratio_hformat`` when it is told
        the header), the same in CPU seconds (``ours_cpu_s``, ``whatstk_cpu_s``, ``ratio_cpu``:
        unmoved by other load on a shared machine), and peak traced memory in MB for each.
    """
    n = SIZES[size]
    repeats = 3
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as tmp:
        path = Path(tmp) / "chat.txt"
        size_bytes = generate(path, n)
        _ours(path)  # warm the OS cache and imports for everyone
        _whatstk_hformat(path)
        (ours_s, ours_cpu, ours_n), (auto_s, auto_cpu, auto_n), (hf_s, _, _) = _best(
            [_ours, _whatstk_auto, _whatstk_hformat], path, repeats)
        if ours_n != n or auto_n != n:  # both must have done the whole job
            raise RuntimeError(f"messages parsed: ours {ours_n}, whatstk {auto_n}, of {n}")
        result: dict[str, Any] = {
            "benchmark": "whatsapp_parse",
            "size": size,
            "style": STYLE,
            "messages": ours_n,
            "whatstk_messages": auto_n,
            "file_mb": round(size_bytes / 2**20, 1),
            "ours_s": round(ours_s, 3),
            "whatstk_s": round(auto_s, 3),
            "whatstk_hformat_s": round(hf_s, 3),
            "ratio": round(auto_s / ours_s, 1),
            "ratio_hformat": round(hf_s / ours_s, 1),
            # The same in CPU seconds: what each did, whatever else the machine was doing.
            "ours_cpu_s": round(ours_cpu, 3),
            "whatstk_cpu_s": round(auto_cpu, 3),
            "ratio_cpu": round(auto_cpu / ours_cpu, 1),
            "ours_peak_mb": _peak_mb(_ours, path),
            "whatstk_peak_mb": _peak_mb(_whatstk_auto, path),
            "whatstk_hformat_peak_mb": _peak_mb(_whatstk_hformat, path),
            "python": sys.version.split()[0],
        }
    return result


def main(argv: list[str] | None = None) -> None:
    size_cli(__doc__, SIZES, run, argv)


if __name__ == "__main__":
    main()
