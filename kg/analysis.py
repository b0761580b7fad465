"""Graph analysis with networkx: the entity graph, centrality and communities.

Functions take the graph first and return plain dicts keyed by node, as networkx does.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

import graspologic_native as gn
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
    """Community number of each node (0 is the largest), by modularity.

    Leiden (graspologic-native, in Rust) with a fixed seed, over the edges in sorted order, so
    the result repeats from run to run. It finds communities at least as modular as networkx's
    Louvain in a twentieth of the time (0.37 s against 6.3 s on 7,800 nodes and 171,000 edges),
    and each of them is connected, which Louvain does not promise. A node without edges is a
    community of its own.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")])
    >>> g.add_node("z")
    >>> communities(g)
    {'a': 0, 'b': 0, 'c': 0, 'x': 1, 'y': 1, 'z': 2}
    """
    edges = sorted(
        (min(a, b), max(a, b), float(w)) for a, b, w in graph.edges(data="weight", default=1.0) if a != b and w > 0
    )
    found: dict[str, int] = gn.leiden(edges, seed=7)[1] if edges else {}
    groups: dict[int, list[str]] = {}
    for node, group in found.items():
        groups.setdefault(group, []).append(node)
    members = [*groups.values(), *([n] for n in graph if n not in found)]
    ordered = sorted(members, key=lambda c: (-len(c), min(c)))
    return {node: i for i, group in enumerate(ordered) for node in sorted(group)}


def shortest_path(graph: nx.Graph, source: str, target: str) -> list[str]:
    """Entities linking ``source`` to ``target``; empty when they are not connected."""
    try:
        path: list[str] = nx.shortest_path(graph, source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    return path
