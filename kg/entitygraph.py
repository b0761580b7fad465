"""The entity graph kept beside a store, so that maps and analyses need not read the whole store.

The entity graph (:meth:`kg.KnowledgeGraph.to_networkx`) is read from the RDF: every entity,
and edge weights summed over the documents (entities named in the same evidence sentence, a
reported claimant and what its claim is about). Reading it means reading every mention and
every claim, which takes minutes on a large corpus, each time a map is drawn. A build therefore
saves it inside the new database folder (``acckg-entity-graph.pickle``, next to the full-text
index), with the claims by or about each entity (what the map ranks its claims by), and a
rebuild that changes a few documents updates it: the weights and claims of their old named
graphs out, those of the new ones in, the descriptions of changed entities replaced. Weights are
sums over documents, so the result is the graph a full read gives (``tests/test_delta.py``).
"""

from __future__ import annotations

import pickle
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx

from kg.store import write_atomic

FILE = "acckg-entity-graph.pickle"
EntityNode = tuple[str, str, int]  # label, type, mention count
Pair = tuple[str, str]  # two entity ids, the smaller first


def link_weights(
    *,
    mentions: Iterable[tuple[str, int, str]],
    evidence: Iterable[tuple[str, int, int]],
    reports: Iterable[tuple[str, str, str]],
    authors: Collection[tuple[str, str]],
) -> Counter[Pair]:
    """The edge weights that some documents give the entity graph: each evidence sentence
    (document, start, end; one per claim or membership resting on it) adds 1 between every two
    entities mentioned inside it (document, start of the mention, entity), and each claim about
    an entity that a document reports from someone (document, claimant, entity) adds 2 between
    the claimant and the entity. Claims in the voice of the document's author (``authors``:
    document, author) or of the document itself (claimant ``doc:...``) add nothing: the author's
    own voice would tie the author to everything.

    The graph (:meth:`kg.KnowledgeGraph.links_in`) and a build's typed values give the
    same statements, so the same weights; documents are any key the four share.

    >>> link_weights(mentions=[("d", 0, "a"), ("d", 5, "b")], evidence=[("d", 0, 9)],
    ...              reports=[("d", "c", "a")], authors=set())
    Counter({('a', 'c'): 2, ('a', 'b'): 1})
    """
    weights: Counter[Pair] = Counter()
    by_doc: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for doc, start, entity in mentions:
        by_doc[doc].append((start, entity))
    for located in by_doc.values():
        located.sort()
    for doc, start, end in evidence:
        located = by_doc.get(doc, [])
        inside = sorted({e for _, e in located[bisect_left(located, (start, "")) : bisect_left(located, (end, ""))]})
        for i, a in enumerate(inside):
            for b in inside[i + 1 :]:
                weights[a, b] += 1
    for doc, claimant, entity in reports:
        if (doc, claimant) not in authors and not claimant.startswith("doc:") and claimant != entity:
            weights[(claimant, entity) if claimant <= entity else (entity, claimant)] += 2
    return weights


def claims_touching(claims: Iterable[tuple[str, str, Iterable[str]]]) -> dict[str, set[str]]:
    """The ids of the claims (claim id, claimant, entities it is about) by or about each entity;
    a document speaking in its own voice (claimant ``doc:...``) is no entity.

    >>> touching = claims_touching([("1", "nick-land", ["capitalism"]), ("2", "doc:x", ["capitalism"])])
    >>> {entity: sorted(ids) for entity, ids in touching.items()}
    {'nick-land': ['1'], 'capitalism': ['1', '2']}
    """
    touching: dict[str, set[str]] = defaultdict(set)
    for claim_id, claimant, about in claims:
        if not claimant.startswith("doc:"):
            touching[claimant].add(claim_id)
        for entity in about:
            touching[entity].add(claim_id)
    return dict(touching)


@dataclass(frozen=True)
class Part:
    """What some documents give the entity graph: edge weights (:func:`link_weights`), the
    claims by or about each entity (:func:`claims_touching`) and their number of claims."""

    weights: Counter[Pair]
    claims: dict[str, set[str]]
    claim_count: int


@dataclass(frozen=True)
class EntityLinks:
    """The entity graph's nodes (by entity id) and its edge weights, with the ids of the claims
    by or about each entity (:meth:`claims_of`) and the number of claims in the graph."""

    nodes: dict[str, EntityNode]
    weights: Counter[Pair]
    # Each entity's claim ids, sorted and joined by NUL (claim ids are slugs): the 150 MB corpus's
    # 1.2 million as one string per entity pickle in 0.2 s and read in 0.12 s, as tuples 0.65 and 0.4 s.
    claims: dict[str, str]
    claim_count: int

    @staticmethod
    def of(nodes: dict[str, EntityNode], part: Part) -> EntityLinks:
        """The graph of these nodes and everything ``part`` (every document) gives."""
        claims = {e: "\0".join(sorted(ids)) for e, ids in sorted(part.claims.items())}
        return EntityLinks(nodes, part.weights, claims, part.claim_count)

    def claims_of(self, entity: str) -> list[str]:
        """The ids of the claims by or about ``entity``, sorted."""
        ids = self.claims.get(entity)
        return ids.split("\0") if ids else []

    def touches(self, ids: Iterable[str]) -> Counter[str]:
        """How many of the entities ``ids`` each claim is by or about (claims touching none left out)."""
        counts: Counter[str] = Counter()
        for e in set(ids):
            counts.update(self.claims_of(e))
        return counts

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

    @cached_property
    def degrees(self) -> dict[str, int]:
        """Each entity's weighted degree in :meth:`to_networkx`, without building the graph
        (kept: the map and the summary both rank by it, and a large corpus has a million edges)."""
        degree = dict.fromkeys(self.nodes, 0)
        for (a, b), weight in self.weights.items():
            if a in degree and b in degree:
                degree[a] += weight
                degree[b] += weight
        return degree

    def subgraph(self, ids: Iterable[str]) -> nx.Graph:
        """The graph :func:`kg.analysis.induced` makes of :meth:`to_networkx` on ``ids`` (nodes
        and edges in sorted order), without building the whole graph."""
        keep = {e for e in ids if e in self.nodes}
        sub = nx.Graph()
        for e in sorted(keep):
            label, kind, mentions = self.nodes[e]
            sub.add_node(e, label=label, type=kind, mentions=mentions)
        sub.add_edges_from(
            sorted((a, b, {"weight": w}) for (a, b), w in self.weights.items() if a in keep and b in keep)
        )
        return sub

    def updated(self, *, gone: Iterable[str], nodes: dict[str, EntityNode], removed: Part, added: Part) -> EntityLinks:
        """This graph with the entities ``gone`` dropped, ``nodes`` set, and what replaced
        documents gave it (``removed``) exchanged for what their new versions give (``added``)."""
        dropped = set(gone)
        kept = {e: node for e, node in self.nodes.items() if e not in dropped}
        weights = Counter(self.weights)
        weights.subtract(removed.weights)
        weights.update(added.weights)
        claims = dict(self.claims)
        for e in sorted(removed.claims.keys() | added.claims.keys()):
            ids = set(self.claims_of(e)).difference(removed.claims.get(e, ())).union(added.claims.get(e, ()))
            if ids:
                claims[e] = "\0".join(sorted(ids))
            else:
                claims.pop(e, None)
        return EntityLinks(
            {**kept, **nodes},
            Counter({pair: w for pair, w in weights.items() if w > 0}),
            claims,
            self.claim_count - removed.claim_count + added.claim_count,
        )

    def save(self, path: Path) -> None:
        write_atomic(path, pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))

    @staticmethod
    def load(path: Path) -> EntityLinks | None:
        """The graph saved at ``path`` by acckg (the output folder is trusted), or None."""
        try:
            found = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        # One saved by an earlier version lacks the claims, and is read again from the store.
        return found if isinstance(found, EntityLinks) and "claims" in vars(found) else None
