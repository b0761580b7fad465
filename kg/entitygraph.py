"""The entity graph kept beside a store, so that maps and analyses need not read the whole store.

The entity graph (:meth:`kg.KnowledgeGraph.to_networkx`) is read from the RDF: every entity,
and edge weights summed over the documents (entities named in the same evidence sentence, a
reported claimant and what its claim is about). Reading it means reading every mention and
every claim, which takes minutes on a large corpus, each time a map is drawn. A build therefore
saves it inside the new database folder (``acckg-entity-graph.pickle``, next to the full-text
index), and a rebuild that changes a few documents updates it: the weights of their old named
graphs out, those of the new ones in, the descriptions of changed entities replaced. Weights are
sums over documents, so the result is the graph a full read gives (``tests/test_delta.py``).
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.store import write_atomic

FILE = "acckg-entity-graph.pickle"
EntityNode = tuple[str, str, int]  # label, type, mention count
Pair = tuple[str, str]  # two entity ids, the smaller first


@dataclass(frozen=True)
class EntityLinks:
    """The entity graph's nodes (by entity id) and its edge weights."""

    nodes: dict[str, EntityNode]
    weights: Counter[Pair]

    def to_networkx(self) -> nx.Graph:
        """Nodes most mentioned first (ties by label), edges in order, so layouts and
        communities computed from it repeat; edges only between entities the graph holds."""
        graph = nx.Graph()
        for entity_id, (label, kind, mentions) in sorted(self.nodes.items(), key=lambda n: (-n[1][2], n[1][0])):
            graph.add_node(entity_id, label=label, type=kind, mentions=mentions)
        for (a, b), weight in sorted(self.weights.items()):
            if a in graph and b in graph:
                graph.add_edge(a, b, weight=weight)
        return graph

    def updated(
        self, *, gone: Iterable[str], nodes: dict[str, EntityNode], removed: Counter[Pair], added: Counter[Pair]
    ) -> EntityLinks:
        """This graph with the entities ``gone`` dropped, ``nodes`` set, and the weights of
        replaced documents (``removed``) exchanged for those of their new versions (``added``)."""
        dropped = set(gone)
        kept = {e: node for e, node in self.nodes.items() if e not in dropped}
        weights = Counter(self.weights)
        weights.subtract(removed)
        weights.update(added)
        return EntityLinks({**kept, **nodes}, Counter({pair: w for pair, w in weights.items() if w > 0}))

    def save(self, path: Path) -> None:
        write_atomic(path, pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))

    @staticmethod
    def load(path: Path) -> EntityLinks | None:
        """The graph saved at ``path`` by acckg (the output folder is trusted), or None."""
        try:
            found = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return found if isinstance(found, EntityLinks) else None
