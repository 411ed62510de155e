"""Network measures on a projection, as analysts know them from i2 Analyst's Notebook.

Every measure function takes the graph first, returns new data and never
modifies the graph. Conventions:

* degree: number of links (in and out on a directed graph) and their summed ``weight``;
* betweenness and closeness: on the links alone (unweighted: a weight here is a
  strength, not a distance), NetworkX's definitions computed a block of sources at a
  time with matrix products (:mod:`.network_paths`); betweenness is approximated from
  ``k`` seeded sample sources when the graph has more than ``exact_limit`` nodes, and
  says so;
* eigenvector, communities (Louvain, seeded), k-core and articulation points: on the
  undirected graph, reciprocal links' weights summed;
* PageRank: on the graph as it is, weighted.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np

from .network_louvain import count_of
from .network_paths import (
    adjacency,
    closeness_arrays,
    fast_betweenness,
    fast_closeness,
    path_arrays,
    rescale,
    sample_sources,
)
from .projections import Links

MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank",
            "core")
EXACT_LIMIT = 1000
K_SAMPLES = 256
SEED = 42


def undirected(G: nx.Graph, weight: str = "weight") -> nx.Graph:
    """An undirected copy; on a directed graph the weights of u→v and v→u are summed.

    Examples
    --------
    >>> D = nx.DiGraph([("a", "b", {"weight": 2}), ("b", "a", {"weight": 3})])
    >>> undirected(D)["a"]["b"]["weight"]
    5
    """
    if not G.is_directed():
        return G.copy()
    return _summed(G, weight)


def _as_undirected(G: nx.Graph, weight: str = "weight") -> nx.Graph:
    """``G`` itself when undirected (for read-only use: no copy), else :func:`undirected`."""
    return _summed(G, weight) if G.is_directed() else G


def _summed(G: nx.Graph, weight: str) -> nx.Graph:
    U = nx.Graph()
    U.add_nodes_from(G.nodes(data=True))
    for u, v, d in G.edges(data=True):
        w = d.get(weight, 1)
        if U.has_edge(u, v):
            U[u][v][weight] += w
        else:
            U.add_edge(u, v, **{weight: w})
    return U


def degrees(G: nx.Graph, weight: str = "weight") -> dict[Hashable, dict[str, float]]:
    """Per node: ``degree``, ``weighted_degree`` and, when directed, in/out of both.

    Examples
    --------
    >>> D = nx.DiGraph([("a", "b", {"weight": 2}), ("c", "b", {"weight": 1})])
    >>> d = degrees(D)["b"]
    >>> d["in_degree"], d["out_degree"], d["weighted_in_degree"], d["weighted_degree"]
    (2, 0, 3, 3)
    """
    out: dict[Hashable, dict[str, float]] = {}
    for v in G.nodes:
        row: dict[str, float] = {"degree": G.degree(v), "weighted_degree": G.degree(v, weight=weight)}
        if G.is_directed():
            row.update(in_degree=G.in_degree(v), out_degree=G.out_degree(v),
                       weighted_in_degree=G.in_degree(v, weight=weight),
                       weighted_out_degree=G.out_degree(v, weight=weight))
        out[v] = row
    return out


def betweenness(G: nx.Graph, *, exact_limit: int = EXACT_LIMIT, k: int = K_SAMPLES,
                seed: int = SEED) -> tuple[dict[Hashable, float], dict[str, Any]]:
    """Normalised betweenness, and how it was computed (``exact`` or sampled with ``k``, ``seed``).

    Examples
    --------
    >>> values, how = betweenness(nx.path_graph(3))
    >>> values[1], how["method"]
    (1.0, 'exact')
    >>> _, how = betweenness(nx.path_graph(30), exact_limit=10, k=5)
    >>> how["method"], how["k"], how["seed"]
    ('approximate', 5, 42)
    """
    values, how, _ = _betweenness_closeness(G, exact_limit=exact_limit, k=k, seed=seed)
    return values, how


def _betweenness_closeness(G: nx.Graph, *, exact_limit: int, k: int, seed: int,
                           closeness: bool = False
                           ) -> tuple[dict[Hashable, float], dict[str, Any], dict[Hashable, float]]:
    """Betweenness, how it was computed, and closeness if asked (from the same pass when exact)."""
    n = G.number_of_nodes()
    if n > exact_limit:
        k = min(k, n)
        values, close = fast_betweenness(G, k=k, seed=seed, closeness=closeness)
        return values, {"method": "approximate", "k": k, "seed": seed, "nodes": n,
                        "exact_limit": exact_limit}, close
    values, close = fast_betweenness(G, closeness=closeness)
    return values, {"method": "exact", "nodes": n, "exact_limit": exact_limit}, close


def closeness(G: nx.Graph) -> dict[Hashable, float]:
    """Closeness centrality (on a directed graph: by the distances *to* each node).

    Examples
    --------
    >>> closeness(nx.path_graph(3))[1]
    1.0
    """
    return fast_closeness(G)


def eigenvector(G: nx.Graph, weight: str = "weight", *, max_iter: int = 1000,
                tol: float = 1e-6) -> dict[Hashable, float]:
    """Eigenvector centrality on the undirected graph (0 for every node if it does not converge).

    NetworkX's power iteration (on A + I, from the uniform vector, the same stopping rule)
    as SciPy sparse products.

    Examples
    --------
    >>> round(eigenvector(nx.star_graph(3))[0], 4)
    0.7071
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    U = _as_undirected(G, weight)
    nodes = list(U.nodes)
    W = nx.to_scipy_sparse_array(U, nodelist=nodes, weight=weight, format="csr").T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + W @ last
        x = x / (float(np.sqrt(x @ x)) or 1.0)
        if float(np.abs(x - last).sum()) < n * tol:
            return dict(zip(nodes, x.tolist(), strict=True))
    return dict.fromkeys(G.nodes, 0.0)


def pagerank(G: nx.Graph, weight: str = "weight", alpha: float = 0.85) -> dict[Hashable, float]:
    """PageRank (NetworkX's, which runs on SciPy).

    Examples
    --------
    >>> pr = pagerank(nx.DiGraph([("a", "b"), ("c", "b")]))
    >>> max(pr, key=pr.get)
    'b'
    """
    if G.number_of_nodes() == 0:
        return {}
    return dict(nx.pagerank(G, alpha=alpha, weight=weight))


def communities(G: nx.Graph, weight: str = "weight", seed: int = SEED) -> list[list[Hashable]]:
    """Louvain communities of the undirected graph, largest first, each sorted; seeded.

    Examples
    --------
    >>> G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    >>> communities(G)
    [[0, 1, 2], [3, 4, 5]]
    """
    if G.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(_as_undirected(G, weight), weight=weight, seed=seed)
    groups = [sorted(c, key=str) for c in found]
    return sorted(groups, key=lambda c: (-len(c), str(c[0])))


def core_numbers(G: nx.Graph) -> dict[Hashable, int]:
    """k-core number of each node (the largest k of a k-core containing it), undirected.

    Examples
    --------
    >>> core_numbers(nx.complete_graph(4))[0]
    3
    """
    U = _as_undirected(G)
    if nx.number_of_selfloops(U):
        U = U.copy()
        U.remove_edges_from(list(nx.selfloop_edges(U)))
    return nx.core_number(U)


def brokers(G: nx.Graph, between: dict[Hashable, float], community_of: dict[Hashable, int],
            quantile: float = 0.75) -> dict[Hashable, list[str]]:
    """People who bridge: articulation points, and high betweenness with links into
    two or more communities. Returns node → reasons.

    "High" is at or above the ``quantile`` of the non-zero betweenness values.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 1)
    >>> b, _ = betweenness(G)
    >>> comm = {v: i for i, c in enumerate(communities(G)) for v in c}
    >>> sorted(brokers(G, b, comm))
    [2, 3, 4]
    """
    U = _as_undirected(G)
    out: dict[Hashable, list[str]] = {v: ["articulation point"] for v in nx.articulation_points(U)}
    positive = sorted(v for v in between.values() if v > 0)
    if positive:
        cut = positive[min(len(positive) - 1, int(quantile * len(positive)))]
        for v, b in between.items():
            spans = {community_of.get(u) for u in U.neighbors(v)} | {community_of.get(v)}
            if b > 0 and b >= cut and len(spans) >= 2:
                out.setdefault(v, []).append("high betweenness across communities")
    return out


def measure_table(G: nx.Graph, *, weight: str = "weight", seed: int = SEED,
                  exact_limit: int = EXACT_LIMIT, k: int = K_SAMPLES) -> dict[str, Any]:
    """Every measure for every node, the communities and how betweenness was computed."""
    between, how, close = _betweenness_closeness(G, exact_limit=exact_limit, k=k, seed=seed,
                                                 closeness=True)
    eig, pr = eigenvector(G, weight), pagerank(G, weight)
    comms = communities(G, weight, seed)
    community_of = {v: i for i, c in enumerate(comms) for v in c}
    cores = core_numbers(G)
    bridge = brokers(G, between, community_of)
    deg = degrees(G, weight)
    nodes = {}
    for v in G.nodes:
        nodes[v] = {**deg[v], "betweenness": between.get(v, 0.0), "closeness": close.get(v, 0.0),
                    "eigenvector": eig.get(v, 0.0), "pagerank": pr.get(v, 0.0),
                    "community": community_of.get(v), "core": cores.get(v, 0),
                    "broker": v in bridge, "broker_reasons": bridge.get(v, [])}
    return {"nodes": nodes, "communities": comms, "betweenness": how}


# --- the report: projection → measures → JSON-ready dict ---------------------------------------

def measure_values(G: nx.Graph, measure: str, *, weight: str = "weight",
                   seed: int = SEED) -> dict[Hashable, float]:
    """One measure (one of :data:`MEASURES`) for every node.

    Examples
    --------
    >>> measure_values(nx.path_graph(3), "degree")
    {0: 1, 1: 2, 2: 1}
    """
    if measure in ("degree", "weighted_degree"):
        return {v: d[measure] for v, d in degrees(G, weight).items()}
    if measure == "betweenness":
        return betweenness(G, seed=seed)[0]
    if measure == "core":
        return dict(core_numbers(G))
    funcs = {"closeness": closeness, "eigenvector": lambda g: eigenvector(g, weight),
             "pagerank": lambda g: pagerank(g, weight)}
    return funcs[measure](G)


def links_values(L: Links, measure: str, *, seed: int = SEED, exact_limit: int = EXACT_LIMIT,
                 k: int = K_SAMPLES) -> dict[Hashable, float]:
    """:func:`measure_values` of the graph ``L`` stands for, from its arrays where the measure
    allows (degrees, betweenness, closeness), else through NetworkX.

    Examples
    --------
    >>> from conductgraph.graph.projections import Links
    >>> L = Links(["a", "b", "c"], np.array([0, 1]), np.array([1, 2]), np.array([1, 1]), False)
    >>> links_values(L, "betweenness") == measure_values(L.graph(), "betweenness")
    True
    >>> links_values(L, "degree")
    {'a': 1, 'b': 2, 'c': 1}
    """
    n = len(L.nodes)
    if measure in ("degree", "weighted_degree"):
        w = np.ones(len(L.source)) if measure == "degree" else L.weight
        summed = (np.bincount(L.source, weights=w, minlength=n)
                  + np.bincount(L.target, weights=w, minlength=n)).tolist()
        whole = measure == "degree" or L.weight.dtype.kind in "iu"
        return {v: int(x) if whole else float(x) for v, x in zip(L.nodes, summed, strict=True)}
    if measure == "closeness":
        A = adjacency(n, L.source, L.target, L.directed)
        return dict(zip(L.nodes, closeness_arrays(A, L.directed).tolist(), strict=True))
    if measure == "betweenness":
        sampled = sample_sources(L.nodes, k, seed) if n > exact_limit and k < n else None
        index: dict[Hashable, int] = {v: i for i, v in enumerate(L.nodes)}
        chosen = None if sampled is None else np.array([index[v] for v in sampled], dtype=np.int64)
        total, _ = path_arrays(adjacency(n, L.source, L.target, L.directed), L.directed, chosen)
        return rescale(dict(zip(L.nodes, total.tolist(), strict=True)), n, sampled)
    return measure_values(L.graph(), measure, seed=seed)


def _slice_bounds(first: str, last: str, slice_by: str) -> list[tuple[str, str, str]]:
    """``(label, from, to)`` of each month or quarter from ``first`` to ``last``."""
    step = {"month": 1, "quarter": 3}[slice_by]
    y, m = int(first[:4]), int(first[5:7])
    m -= (m - 1) % step
    out = []
    while (y, m) <= (int(last[:4]), int(last[5:7])):
        ny, nm = (y + (m + step - 1) // 12, (m + step - 1) % 12 + 1)
        label = f"{y:04d}-{m:02d}" if step == 1 else f"{y:04d}-Q{(m - 1) // 3 + 1}"
        out.append((label, f"{y:04d}-{m:02d}-01T00:00:00Z", f"{ny:04d}-{nm:02d}-01T00:00:00Z"))
        y, m = ny, nm
    return out


def network_report(store: Any, *, projection: str = "co_membership", measure: str = "betweenness",
                   group: str | None = None, date_from: Any = None, date_to: Any = None,
                   slice_by: str | None = "quarter", reply_window: float = 5.0,
                   seed: int = SEED) -> dict[str, Any]:
    """The network report as a JSON-ready dict (documented in docs/reports.md).

    ``projection`` is co_membership, interaction or exposure; ``measure`` (one of
    :data:`MEASURES`) ranks people, sizes the picture and is tracked per time slice
    (``slice_by`` month or quarter; None for no slices).
    """
    from . import analysis_reads as reads
    from .errors import InputError
    from .layout import spring_positions
    from .projections import PROJECTIONS, Projector
    from .provenance import provenance

    if measure not in MEASURES:
        raise InputError(f"no measure {measure!r} (one of {', '.join(MEASURES)})",
                         detail={"field": "measure"})
    if projection not in PROJECTIONS:
        raise InputError(f"no projection {projection!r} (one of {', '.join(PROJECTIONS)})",
                         detail={"field": "projection"})
    if slice_by not in (None, "month", "quarter"):
        raise InputError("slice_by must be month or quarter", detail={"field": "slice_by"})
    window = reads.Window.of(group, date_from, date_to)
    reads.check_group(store, window)
    options = {"reply_window": reply_window} if projection == "interaction" else {}
    projector = Projector(store, projection, **options)  # reads once for the window and slices
    G = projector.graph(window)
    table = measure_table(G, seed=seed)
    ranked = sorted(G.nodes, key=lambda v: (-table["nodes"][v][measure], str(v)))
    shown = ranked[:300]  # a picture of more is unreadable
    pos = spring_positions(G.subgraph(shown), seed=seed)
    people = [{"id": v, "name": G.nodes[v].get("name", v), **table["nodes"][v],
               "rank": i + 1, "position": list(pos[v]) if v in pos else None}
              for i, v in enumerate(ranked)]
    edges = sorted(({"source": u, "target": v, "weight": d.get("weight", 1)}
                    for u, v, d in G.edges(data=True)), key=lambda e: (e["source"], e["target"]))
    slices = []
    first, last = projector.span(window) if slice_by else (None, None)
    if slice_by and first and last:
        for label, start, end in _slice_bounds(first, last, slice_by):
            # The first and last slices are cut to the report's window, never reach past it.
            start, end = max(start, window.start or start), min(end, window.end or end)
            S = projector.links(reads.Window(window.group, start, end))
            values = links_values(S, measure, seed=seed)
            n, m = len(S.nodes), len(S.source)
            slices.append({"label": label, "from": start, "to": end, "nodes": n, "edges": m,
                           "density": round(m / (n * (n - 1)) * (1 if S.directed else 2), 4)
                           if n > 1 else 0.0,
                           "communities": count_of(n, S.source, S.target, S.weight, seed=seed),
                           "values": {str(v): values[v] for v in sorted(values, key=str)}})
    return {
        "report": "network", "version": 1,
        "provenance": provenance(store, {**window.settings(), "projection": projection,
                                         "measure": measure, "slice_by": slice_by,
                                         "reply_window_minutes": reply_window
                                         if projection == "interaction" else None, "seed": seed}),
        "projection": projection, "measure": measure, "directed": G.is_directed(),
        "betweenness": table["betweenness"],
        "summary": {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                    "density": round(nx.density(G), 4) if G.number_of_nodes() > 1 else 0.0,
                    "communities": len(table["communities"]),
                    "brokers": [p["id"] for p in people if p["broker"]]},
        "people": people, "edges": edges,
        "communities": [{"id": i, "members": c} for i, c in enumerate(table["communities"])],
        "slices": slices,
        "slice_method": {"measure": measure, "communities": "louvain_arrays", "seed": seed,
                         "betweenness_exact_limit": EXACT_LIMIT, "betweenness_k": K_SAMPLES}
        if slices else None,
    }
