"""Subgraph requests in turn: how many one worker process computes at once (the rest wait,
first come, first served).

Why: a subgraph request is CPU work in Python (decoding the store's replies, assembling
the graph) between waits for the store. A worker runs one thread of Python at a time, so
two requests at once keep its core busy (one computes while the other waits for the
store); more only take turns with each other at the interpreter lock, in no particular
order, and every one of them finishes late. With the thread pool's default (40 at once)
and eight clients on the benchmark machine, the p95 of depth-2, 500-node subgraphs was
63 to 75 ms; with two at a time per worker 46 to 63 ms, at the same throughput
(docs/api.md, Performance). The price: a worker with more clients than the others idles
whenever both its turns wait for the store, so with connections split 6/2 the p95 was 65
to 73 ms where the pool's 40 gave 65 to 69. Other endpoints keep the shared pool, so a long
Cypher query or report never holds a subgraph's turn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Request

T = TypeVar("T")


async def in_turn(request: Request, work: Callable[[], T]) -> T:
    """Run ``work`` on a worker thread once one of the process's subgraph turns is free.

    The turns are made on first use, in the event loop that serves (the app's lifespan
    forgets them when it starts, so a restarted loop gets its own)."""
    state = request.app.state
    limiter: CapacityLimiter | None = getattr(state, "subgraph_turns", None)
    if limiter is None:
        limiter = state.subgraph_turns = CapacityLimiter(state.settings.api_subgraph_concurrency)
    return await anyio.to_thread.run_sync(work, limiter=limiter)
