"""Shortest-path measures (betweenness, closeness) for many sources at once, on SciPy.

Brandes' algorithm, as NetworkX runs it, but for a block of sources together: each
breadth-first level is one sparse product (adjacency × frontier), and the dependency
accumulation walks the levels back the same way. The results are NetworkX's
(``betweenness_centrality`` without weights, ``closeness_centrality`` without
distances), to floating-point rounding; the cost is a few sparse products per level in
C instead of a Python loop per link and source. Links are taken as they are
(unweighted), self-loops ignored. Sources are processed in blocks so memory stays near
``BLOCK_CELLS`` numbers per matrix. (Dense BLAS products were tried: slower here, even on
co-membership graphs with 15% of all pairs linked, and much slower on a busy machine.)
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Sequence

import networkx as nx
import numpy as np
import scipy.sparse as sp

BLOCK_CELLS = 4_000_000


def _adjacency(G: nx.Graph, index: dict[Hashable, int]) -> sp.csr_array:
    """0/1 adjacency (row = from, column = to; symmetric when undirected), no self-loops."""
    rows, cols = [], []
    for u, v in G.edges():
        rows.append(index[u])
        cols.append(index[v])
    return adjacency(len(index), np.asarray(rows, dtype=np.int64),
                     np.asarray(cols, dtype=np.int64), G.is_directed())


def adjacency(n: int, source: np.ndarray, target: np.ndarray, directed: bool) -> sp.csr_array:
    """0/1 adjacency of ``n`` nodes from link arrays (symmetric when undirected), no self-loops.

    Examples
    --------
    >>> adjacency(3, np.array([0, 1]), np.array([1, 2]), False).toarray().tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    keep = source != target
    r, c = source[keep], target[keep]
    if not directed:
        r, c = np.concatenate([r, c]), np.concatenate([c, r])
    A = sp.csr_array((np.ones(len(r)), (r, c)), shape=(n, n))
    A.data[:] = 1.0  # a pair listed twice is still one link
    return A


def _bfs(At: sp.csr_array, sources: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Levels (``-1`` unreached) and shortest-path counts, one column per source, and the
    last level. ``At`` is the transposed adjacency: ``At @ frontier`` steps along links."""
    b = len(sources)
    cols = np.arange(b)
    dist = np.full((n, b), -1, dtype=np.int32)
    sigma = np.zeros((n, b))
    dist[sources, cols] = 0
    sigma[sources, cols] = 1.0
    frontier = sigma.copy()
    level = 0
    while True:
        reached = At @ frontier
        new = (reached > 0) & (dist < 0)
        if not new.any():
            return dist, sigma, level
        level += 1
        dist[new] = level
        frontier = np.where(new, reached, 0.0)
        sigma += frontier


def _dependencies(A: sp.csr_array, dist: np.ndarray, sigma: np.ndarray, last: int,
                  sources: np.ndarray) -> np.ndarray:
    """Brandes' dependency of each source (column) on each node (row), the source's own zeroed."""
    delta = np.zeros_like(sigma)
    for level in range(last, 0, -1):
        at = dist == level
        coeff = np.where(at, (1.0 + delta) / np.where(at, sigma, 1.0), 0.0)
        back = A @ coeff  # for each v: the sum over its successors w at this level
        delta += np.where(dist == level - 1, sigma * back, 0.0)
    delta[sources, np.arange(len(sources))] = 0.0
    return delta


def _block(n: int) -> int:
    return max(1, min(n, BLOCK_CELLS // max(n, 1)))


def path_measures(G: nx.Graph, sources: Sequence[Hashable] | None = None, *,
                  closeness: bool = False) -> tuple[dict[Hashable, float], dict[Hashable, float]]:
    """Raw Brandes sums from ``sources`` (all nodes if None), and closeness if asked.

    Returns ``(betweenness_sums, closeness)``: the sums are unscaled (as NetworkX's before
    its rescaling); closeness (empty unless asked) needs every node as a source, so asking
    for it with a sample of sources runs one more breadth-first pass from all nodes.

    Examples
    --------
    >>> sums, close = path_measures(nx.path_graph(3), closeness=True)
    >>> sums[1], close[1]
    (2.0, 1.0)
    """
    nodes = list(G.nodes)
    if not nodes:
        return {}, {}
    index = {v: i for i, v in enumerate(nodes)}
    chosen = None if sources is None else np.array([index[s] for s in sources], dtype=np.int64)
    total, close = path_arrays(_adjacency(G, index), G.is_directed(), chosen, closeness=closeness)
    return ({v: float(total[i]) for i, v in enumerate(nodes)},
            dict(zip(nodes, close.tolist(), strict=True)) if closeness else {})


def path_arrays(A: sp.csr_array, directed: bool, sources: np.ndarray | None, *,
                closeness: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """:func:`path_measures` on an adjacency matrix: Brandes sums per node from ``sources``
    (node indexes; None for all) and closeness per node (empty unless asked)."""
    n = A.shape[0]
    At = sp.csr_array(A.T) if directed else A
    chosen = np.arange(n) if sources is None else sources
    total = np.zeros(n)
    dist_sum = np.zeros(n)
    reach = np.zeros(n)
    step = _block(n)
    for start in range(0, len(chosen), step):
        block = chosen[start:start + step]
        dist, sigma, last = _bfs(At, block, n)
        total += _dependencies(A, dist, sigma, last, block).sum(axis=1)
        if closeness and sources is None:
            dist_sum += np.where(dist > 0, dist, 0).sum(axis=1)
            reach += (dist >= 0).sum(axis=1)
    if closeness and sources is not None:
        dist_sum, reach = _distance_sums(At, n)
    return total, _closeness(n, dist_sum, reach) if closeness else np.zeros(0)


def closeness_arrays(A: sp.csr_array, directed: bool) -> np.ndarray:
    """Closeness per node of an adjacency matrix (see :func:`fast_closeness`)."""
    n = A.shape[0]
    return _closeness(n, *_distance_sums(sp.csr_array(A.T) if directed else A, n))


def _distance_sums(At: sp.csr_array, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per node: the summed distances *to* it from every node that reaches it, and how many
    reach it (itself included)."""
    dist_sum = np.zeros(n)
    reach = np.zeros(n)
    step = _block(n)
    for start in range(0, n, step):
        dist, _, _ = _bfs(At, np.arange(start, min(n, start + step)), n)
        dist_sum += np.where(dist > 0, dist, 0).sum(axis=1)
        reach += (dist >= 0).sum(axis=1)
    return dist_sum, reach


def _closeness(n: int, dist_sum: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """NetworkX's closeness (Wasserman–Faust scaled) from the distance sums."""
    if n < 2:
        return np.zeros(n)
    found = dist_sum > 0
    return np.where(found, (reach - 1.0) / np.where(found, dist_sum, 1.0) * ((reach - 1.0) / (n - 1)),
                    0.0)


def rescale(sums: dict[Hashable, float], n: int, sampled: Sequence[Hashable] | None
            ) -> dict[Hashable, float]:
    """Normalise Brandes sums as NetworkX 3.6 does (endpoints excluded; sampled sources apart).

    Examples
    --------
    >>> rescale({0: 0.0, 1: 2.0, 2: 0.0}, 3, None)
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    N = n - 1
    if N < 2:
        return dict(sums)
    if sampled is None:
        scale = 1 / (N * (N - 1))
        return {v: s * scale for v, s in sums.items()}
    k = len(sampled)
    source_scale = 1 / ((k - 1) * (N - 1)) if k > 1 else math.nan
    other_scale = 1 / (k * (N - 1))
    chosen = set(sampled)
    return {v: s * (source_scale if v in chosen else other_scale) for v, s in sums.items()}


def sample_sources(nodes: Sequence[Hashable], k: int, seed: int) -> list[Hashable]:
    """The ``k`` sources NetworkX samples for ``betweenness_centrality(G, k=k, seed=seed)``
    when ``nodes`` is ``list(G.nodes)``.

    Examples
    --------
    >>> len(sample_sources(range(10), 4, seed=1))
    4
    """
    return random.Random(seed).sample(list(nodes), k)


def fast_betweenness(G: nx.Graph, k: int | None = None, seed: int = 42, *,
                     closeness: bool = False) -> tuple[dict[Hashable, float], dict[Hashable, float]]:
    """Normalised betweenness (exact, or from ``k`` seeded sources as NetworkX samples them)
    and, if asked, closeness.

    Examples
    --------
    >>> between, close = fast_betweenness(nx.star_graph(3), closeness=True)
    >>> between[0], round(close[1], 4)
    (1.0, 0.6)
    """
    n = G.number_of_nodes()
    if k is not None and k >= n:
        k = None
    sampled = None if k is None else sample_sources(list(G.nodes), k, seed)
    sums, close = path_measures(G, sampled, closeness=closeness)
    return rescale(sums, n, sampled), close


def fast_closeness(G: nx.Graph) -> dict[Hashable, float]:
    """NetworkX's closeness centrality (directed: by distances *to* each node).

    Examples
    --------
    >>> fast_closeness(nx.path_graph(3))[1]
    1.0
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    nodes = list(G.nodes)
    close = closeness_arrays(_adjacency(G, {v: i for i, v in enumerate(nodes)}), G.is_directed())
    return dict(zip(nodes, close.tolist(), strict=True))
