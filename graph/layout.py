"""A deterministic force-directed layout in pure Python (no numpy needed).

Fruchterman–Reingold, as ``nx.spring_layout`` does it, with a seeded start, so the
same graph and seed always give the same picture. Meant for report pictures of up
to a few hundred nodes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable

import networkx as nx


def spring_positions(G: nx.Graph, *, seed: int = 7, iterations: int = 80,
                     weight: str | None = "weight") -> dict[Hashable, tuple[float, float]]:
    """Positions in [0, 1] × [0, 1] for every node of ``G`` (``G`` is not modified).

    Examples
    --------
    >>> import networkx as nx
    >>> pos = spring_positions(nx.path_graph(3), seed=1)
    >>> sorted(pos) == [0, 1, 2] and all(0 <= x <= 1 and 0 <= y <= 1 for x, y in pos.values())
    True
    >>> pos == spring_positions(nx.path_graph(3), seed=1)
    True
    """
    nodes = sorted(G.nodes, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.5, 0.5)}
    rng = random.Random(seed)
    pos = {v: [rng.random(), rng.random()] for v in nodes}
    k = math.sqrt(1.0 / n)
    edges = []
    top = max((float(d.get(weight, 1) or 1) for _, _, d in G.edges(data=True)), default=1.0)
    for u, v, d in G.edges(data=True):
        if u != v:
            w = float(d.get(weight, 1) or 1) / top if weight else 1.0
            edges.append((u, v, 0.2 + 0.8 * w))
    temp = 0.1
    for _ in range(iterations):
        disp = {v: [0.0, 0.0] for v in nodes}
        for i, a in enumerate(nodes):
            pa = pos[a]
            for b in nodes[i + 1:]:
                pb = pos[b]
                dx, dy = pa[0] - pb[0], pa[1] - pb[1]
                dist = max(math.hypot(dx, dy), 1e-3)
                f = k * k / dist
                disp[a][0] += dx / dist * f
                disp[a][1] += dy / dist * f
                disp[b][0] -= dx / dist * f
                disp[b][1] -= dy / dist * f
        for u, v, w in edges:
            dx, dy = pos[u][0] - pos[v][0], pos[u][1] - pos[v][1]
            dist = max(math.hypot(dx, dy), 1e-3)
            f = dist * dist / k * w
            disp[u][0] -= dx / dist * f
            disp[u][1] -= dy / dist * f
            disp[v][0] += dx / dist * f
            disp[v][1] += dy / dist * f
        for v in nodes:
            dx, dy = disp[v]
            length = max(math.hypot(dx, dy), 1e-9)
            step = min(length, temp)
            pos[v][0] += dx / length * step
            pos[v][1] += dy / length * step
        temp *= 0.95
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    return {v: (round((p[0] - min(xs)) / span, 4), round((p[1] - min(ys)) / span, 4))
            for v, p in pos.items()}
