"""Graph analysis with networkx: the entity graph, centrality and communities.

Functions take the graph first and return plain dicts keyed by node, as networkx does.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

import networkx as nx


def centrality(graph: nx.Graph, *, top: int | None = None) -> dict[str, float]:
    """Weighted degree centrality normalised to 0..1, highest first (ties by node id).

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("a", "c")])
    >>> centrality(g)
    {'a': 1.0, 'b': 0.5, 'c': 0.5}
    """
    return ranked(dict(graph.degree(weight="weight")), top=top)


def ranked(degree: Mapping[str, float], *, top: int | None = None) -> dict[str, float]:
    """Weighted degrees (:meth:`kg.entitygraph.EntityLinks.degrees`) as :func:`centrality`."""

    def key(n: str) -> tuple[float, str]:
        return -degree[n], str(n)

    # The top few of a large corpus's 360,000 entities: a heap takes half the time of a sort.
    order = sorted(degree, key=key) if top is None else heapq.nsmallest(top, degree, key=key)
    return scaled(degree, order)


def scaled(degree: Mapping[str, float], nodes: Iterable[str]) -> dict[str, float]:
    """The centrality of each of ``nodes`` (as :func:`ranked` gives it), in their order.

    >>> scaled({"a": 4, "b": 2}, ["b", "c"])
    {'b': 0.5, 'c': 0.0}
    """
    peak = max(degree.values(), default=0) or 1
    return {n: round(degree.get(n, 0) / peak, 4) for n in nodes}


def induced(graph: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """The subgraph on ``nodes`` as a new graph, nodes and edges in sorted order. networkx's own
    subgraph view iterates a set when it is small, so its order (and a seeded layout's or
    community search's result) would change with Python's string hashing from run to run.

    Examples
    --------
    >>> list(induced(nx.Graph([("c", "a"), ("b", "c")]), ["c", "b"]).edges)
    [('b', 'c')]
    """
    keep = set(nodes)
    sub = nx.Graph()
    sub.add_nodes_from((n, graph.nodes[n]) for n in sorted(keep) if n in graph)
    sub.add_edges_from(
        sorted((min(a, b), max(a, b), data) for a, b, data in graph.edges(data=True) if a in keep and b in keep)
    )
    return sub


def communities(graph: nx.Graph) -> dict[str, int]:
    """Community number of each node (Louvain, fixed seed so results repeat; 0 is the largest)."""
    if graph.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(graph))}
    groups = nx.community.louvain_communities(graph, weight="weight", seed=7)
    ordered = sorted(groups, key=lambda c: (-len(c), min(map(str, c))))
    return {node: i for i, group in enumerate(ordered) for node in group}


def shortest_path(graph: nx.Graph, source: str, target: str) -> list[str]:
    """Entities linking ``source`` to ``target``; empty when they are not connected."""
    try:
        path: list[str] = nx.shortest_path(graph, source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    return path
