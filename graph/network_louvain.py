"""Louvain community detection on SciPy sparse arrays, for the many time slices of a report.

The same method as ``networkx.community.louvain_communities`` (Blondel et al.: move each
node, in a seeded random order, to the neighbouring community with the best modularity
gain until no move helps; merge communities into nodes; repeat while modularity grows by
more than ``threshold``), with each node's neighbourhood summed by NumPy instead of a
Python loop. Ties between equally good communities go to the lowest index, not to the
first neighbour met, and the random order is NumPy's, so on a graph with ties the
partition can differ from NetworkX's while being as good. The report's main network uses
NetworkX's; the slices use this one (see docs/reports.md).
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np
import scipy.sparse as sp


def symmetric_weights(G: nx.Graph, nodes: list[Hashable], weight: str = "weight") -> sp.csr_array:
    """Undirected weights as a symmetric matrix: reciprocal links summed, a self-loop twice
    on the diagonal (so row sums are weighted degrees, as NetworkX counts them).

    Examples
    --------
    >>> M = symmetric_weights(nx.DiGraph([(0, 1, {"weight": 2}), (1, 0, {"weight": 3})]), [0, 1])
    >>> M.toarray().tolist()
    [[0.0, 5.0], [5.0, 0.0]]
    """
    index = {v: i for i, v in enumerate(nodes)}
    rows, cols, vals = [], [], []
    for u, v, w in G.edges(data=weight, default=1):
        rows.append(index[u])
        cols.append(index[v])
        vals.append(float(w))
    return weights_matrix(len(nodes), np.array(rows, dtype=np.int64),
                          np.array(cols, dtype=np.int64), np.array(vals))


def weights_matrix(n: int, source: np.ndarray, target: np.ndarray, weight: np.ndarray
                   ) -> sp.csr_array:
    """:func:`symmetric_weights` from link arrays (indexes of ``n`` nodes and weights)."""
    M = sp.csr_array((weight.astype(float), (source, target)), shape=(n, n))
    return sp.csr_array(M + M.T)


def _one_level(M: sp.csr_array, degree: np.ndarray, m: float, resolution: float,
               rng: np.random.Generator) -> np.ndarray:
    """Local moves until none helps; returns each node's community (0..k-1)."""
    n = M.shape[0]
    community = np.arange(n)
    total = degree.astype(float).copy()  # summed degree of each community (index = community)
    indptr, indices, data = M.indptr, M.indices, M.data
    order = rng.permutation(n)
    moved = True
    while moved:
        moved = False
        for u in order.tolist():
            lo, hi = indptr[u], indptr[u + 1]
            nbrs, w = indices[lo:hi], data[lo:hi]
            own = nbrs != u
            nbrs, w = nbrs[own], w[own]
            old = community[u]
            k = degree[u]
            total[old] -= k
            if len(nbrs) == 0 or not w.any():
                total[old] += k
                continue
            # the neighbours' communities and the weight to each (sorting d neighbours, not a
            # count over all n communities: that made a pass quadratic in n)
            comms, where = np.unique(community[nbrs], return_inverse=True)
            to = np.bincount(where, weights=w)
            at_old = int(np.searchsorted(comms, old))
            to_old = float(to[at_old]) if at_old < len(comms) and comms[at_old] == old else 0.0
            remove = -to_old / m + resolution * total[old] * k / (2 * m * m)
            gain = remove + to / m - resolution * total[comms] * k / (2 * m * m)
            best = int(np.argmax(gain))
            new = int(comms[best]) if gain[best] > 0 else old
            total[new] += k
            if new != old:
                community[u] = new
                moved = True
    _, labels = np.unique(community, return_inverse=True)
    return labels


def _modularity(M: sp.csr_array, labels: np.ndarray, m: float, resolution: float) -> float:
    k = labels.max() + 1
    P = sp.csr_array((np.ones(len(labels)), (np.arange(len(labels)), labels)),
                     shape=(len(labels), k))
    inner = (P.T @ M @ P).diagonal() / 2
    degree = np.asarray(M.sum(axis=1)).ravel()
    summed = np.bincount(labels, weights=degree, minlength=k)
    return float(np.sum(inner / m - resolution * (summed / (2 * m)) ** 2))


def louvain_labels(M: sp.csr_array, *, seed: int = 42, resolution: float = 1.0,
                   threshold: float = 1e-7) -> np.ndarray:
    """Community of each node of the symmetric weight matrix ``M`` (0..k-1).

    Examples
    --------
    >>> G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    >>> louvain_labels(symmetric_weights(G, list(G))).tolist()
    [0, 0, 0, 1, 1, 1]
    """
    n = M.shape[0]
    m = float(M.sum()) / 2
    if n == 0 or m == 0:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    labels = np.arange(n)
    mod = _modularity(M, labels, m, resolution)
    graph = M
    while True:
        level = _one_level(graph, np.asarray(graph.sum(axis=1)).ravel(), m, resolution, rng)
        if level.max() + 1 == graph.shape[0]:
            return labels  # no node moved
        candidate = level[labels]
        new_mod = _modularity(M, candidate, m, resolution)
        if new_mod - mod <= threshold:
            return candidate
        labels, mod = candidate, new_mod
        k = level.max() + 1
        P = sp.csr_array((np.ones(len(level)), (np.arange(len(level)), level)),
                         shape=(len(level), k))
        graph = sp.csr_array(P.T @ graph @ P)


def count_of(n: int, source: np.ndarray, target: np.ndarray, weight: np.ndarray,
             seed: int = 42) -> int:
    """:func:`count_communities` from link arrays (indexes of ``n`` nodes and weights).

    Examples
    --------
    >>> count_of(4, np.array([0, 2]), np.array([1, 3]), np.array([1.0, 1.0]))
    2
    """
    if n == 0:
        return 0
    return int(louvain_labels(weights_matrix(n, source, target, weight), seed=seed).max()) + 1


def count_communities(G: nx.Graph, weight: str = "weight", seed: int = 42) -> int:
    """How many Louvain communities the undirected ``G`` (reciprocal weights summed) has.

    Examples
    --------
    >>> count_communities(nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(4)))
    2
    """
    nodes = list(G.nodes)
    if not nodes:
        return 0
    return int(louvain_labels(symmetric_weights(G, nodes, weight), seed=seed).max()) + 1
