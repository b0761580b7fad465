"""Graph analysis with networkx: the entity graph, centrality and communities.

Functions take the graph first and return plain dicts keyed by node, as networkx does.
"""

from __future__ import annotations

import networkx as nx


def centrality(graph: nx.Graph, *, top: int | None = None) -> dict[str, float]:
    """Weighted degree centrality normalised to 0..1, highest first (ties by node id).

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("a", "c")])
    >>> centrality(g)
    {'a': 1.0, 'b': 0.5, 'c': 0.5}
    """
    if graph.number_of_nodes() == 0:
        return {}
    degree = dict(graph.degree(weight="weight"))
    peak = max(degree.values()) or 1
    ranked = sorted(degree, key=lambda n: (-degree[n], str(n)))
    return {n: round(degree[n] / peak, 4) for n in ranked[:top]}


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
