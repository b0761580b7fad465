"""What the map shows, read from a :class:`kg.KnowledgeGraph` through its public facade.

One set of records (entities, claims with their provenance, documents, extraction runs) feeds
two views that the page switches between:

* the *concept map*: entities as nodes; a claim whose subject names one entity and whose object
  names another becomes an edge labelled by its predicate; claimants are joined to what they
  claim about; an edge's width is the number of claims behind it;
* the *claims view*: claims as nodes between their claimant and the entities they are about,
  coloured by polarity, with contrasting claims joined by their own edge.

Positions come from a seeded networkx layout so the page opens without running physics, and
a view larger than ``max_nodes`` shows its most central nodes first; the rest stay in the data
and appear through search, filters and neighbourhood expansion.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

import kg
from kg import analysis
from kg.entitygraph import EntityLinks
from kg.vocab import iri_blocks

DEFAULT_MAX_NODES = 1500
DEFAULT_MAX_ENTITIES = 3000
DEFAULT_MAX_CLAIMS = 4000
VIEWS = ("concepts", "claims")
LAYOUT_SEED = 7
_LAYOUT_ITERATIONS = 60
LAYOUT_CORE = 400


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # relation, claims, about, contrasts, agrees
    label: str
    count: int


@dataclass(frozen=True)
class View:
    """The nodes and edges of one view; ``shown`` are the nodes drawn when the page opens."""

    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]
    shown: tuple[str, ...]
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)


def read(
    graph: kg.KnowledgeGraph,
    *,
    centre: str | None = None,
    hops: int = 1,
    max_entities: int = DEFAULT_MAX_ENTITIES,
    max_claims: int = DEFAULT_MAX_CLAIMS,
) -> dict[str, Any]:
    """The records every view draws from, as plain JSON-ready values: the ``max_entities`` most
    central entities (of those within ``hops`` of ``centre`` in the entity graph, if given) and
    up to ``max_claims`` claims by or about them (claims joining two of them first), with the
    entities, documents and runs those cite. Only these are read in full, so the page's size
    stays bounded however large the graph (ranking them still reads the entity graph and one row
    per claim); the rest stays in the store for queries, search and ego maps."""
    links = graph.entity_links()
    degrees = links.degrees
    candidates = degrees
    if centre is not None:
        near = set(nx.single_source_shortest_path_length(graph.to_networkx(copy=False), centre, cutoff=hops))
        candidates = {e: d for e, d in degrees.items() if e in near}
    pool = set(analysis.ranked(candidates, top=max_entities))
    chosen, run_of, total = _choose_claims(graph, links, pool, max_claims)
    found = graph.claims(ids=chosen)
    claimants = {c.claimant for c in found if not c.claimant.startswith("doc:")}
    named = pool | claimants | {a for c in found for a in c.about}
    entities = graph.entities(ids=sorted(named))
    # The entity graph among the page's entities: all that communities and the layout need.
    page_graph = links.subgraph(e.id for e in entities)
    community = analysis.communities(page_graph)
    central = analysis.scaled(degrees, [e.id for e in entities])
    documents, total_documents = _documents(graph, {c.doc_id for c in found}, max_claims)
    mentioned_in: dict[str, set[str]] = defaultdict(set)
    if len(documents) == total_documents:
        # With every document on the page, each entity lists all it is named in. A larger store
        # lists the documents of the page's claims by and about it: reading every mention of
        # the central entities would read most of the store.
        for e, docs in graph.mentioned_in(e.id for e in entities).items():
            mentioned_in[e].update(docs)
    runs = {
        _last(run): {"label": str(label), "model": f"{model} {version}", "time": str(time)}
        for run, label, model, version, time in graph.query(
            "SELECT ?run ?label ?model ?version ?time WHERE { ?run a prov:Activity ; rdfs:label ?label ;"
            " acc:modelName ?model ; acc:modelVersion ?version ; prov:endedAtTime ?time }"
        ).rows
    }

    labels = {e.id: e.label for e in entities}
    names = {e.id: [e.label, *e.alt_labels] for e in entities}
    claims: dict[str, dict[str, Any]] = {}
    for c in found:
        if c.claimant.startswith("doc:"):
            labels.setdefault(c.claimant, documents.get(c.claimant[4:], {}).get("title", c.claimant))
        claims[c.id] = {
            "text": c.text,
            "claimantLabel": labels.get(c.claimant, c.claimant),
            "aboutLabels": [labels.get(a, a) for a in c.about],
            "subject": c.subject,
            "predicate": c.predicate,
            "object": c.object,
            "claimant": c.claimant,
            "about": list(c.about),
            "polarity": c.polarity.value,
            "modality": c.modality.value,
            "identity": c.identity,
            "confidence": c.confidence,
            "doc": c.doc_id,
            "start": c.evidence.start,
            "end": c.evidence.end,
            "evidence": c.evidence_text,
            "marks": highlights(c.evidence_text, [c.subject, c.object], [n for a in c.about for n in names.get(a, [])]),
            "run": run_of.get(c.id, ""),
            "contrasts": list(c.contrasts_with),
            "agrees": list(c.agrees_with),
        }
        mentioned_in[c.claimant].add(c.doc_id)
        for a in c.about:
            mentioned_in[a].add(c.doc_id)
    records = {
        e.id: {
            "label": e.label,
            "type": e.type.value,
            "alt": list(e.alt_labels),
            "description": e.description or "",
            "mentions": e.mention_count,
            "centrality": central.get(e.id, 0.0),
            "community": community.get(e.id, 0),
            "docs": sorted(mentioned_in[e.id]),
        }
        for e in entities
    }
    for doc_id, doc in documents.items():
        records.setdefault(
            f"doc:{doc_id}",
            {"label": doc["title"], "type": "Document", "alt": [], "description": "", "mentions": 0,
             "centrality": 0.0, "community": 0, "docs": [doc_id]},
        )  # fmt: skip
    totals = {"entities": len(links.nodes), "claims": total, "documents": total_documents}
    return {
        "entities": records,
        "claims": claims,
        "documents": documents,
        "runs": runs,
        "totals": totals,
        "entity_graph": page_graph,
    }


def _documents(graph: kg.KnowledgeGraph, cited: set[str], most: int) -> tuple[dict[str, dict[str, str]], int]:
    """Title, source, date and author of the page's documents, and the number in the store: every
    document when there are at most ``most``, else those the page's claims come from. The
    entities' document lists and the document filter then stay within the page, however many
    documents the store holds."""
    entity_prefix, doc_prefix = f"{graph.base_iri}entity/", f"{graph.base_iri}doc/"
    fields = (
        "?d a acc:Document ; dcterms:title ?title . OPTIONAL { ?d dcterms:source ?source }"
        " OPTIONAL { ?d dcterms:date ?date } OPTIONAL { ?d dcterms:creator ?creator }"
    )
    total = graph.document_count()
    blocks = [""] if total <= most else [f"VALUES ?d {{ {b} }}" for b in iri_blocks(f"{doc_prefix}{d}" for d in cited)]
    documents: dict[str, dict[str, str]] = {}
    for block in blocks:
        for d, title, source, date, creator in graph.query(
            f"SELECT ?d ?title ?source ?date ?creator WHERE {{ {block} {fields} }}"
        ).rows:
            documents[_strip(d, doc_prefix)] = {
                "title": str(title),
                "source": _text(source),
                "date": _text(date),
                "author": graph.label(_strip(creator, entity_prefix)) if creator is not None else "",
            }
    return dict(sorted(documents.items())), total


def _choose_claims(
    graph: kg.KnowledgeGraph, links: EntityLinks, pool: set[str], budget: int
) -> tuple[list[str], dict[str, str], int]:
    """The ids of at most ``budget`` claims for the page, the run of each, and the number of claims
    in all. When there are more, those touching more ``pool`` entities (as claimant or topic) come
    first, ties by id: a claim joining two drawn entities is an edge of the map. The entity graph
    (``links``) lists the claims touching each entity: on the 150 MB store counting them there
    took 0.6 s where the store's grouped count took 5.3 s; all claim ids are read only when too
    few touch the pool."""
    total = links.claim_count
    if total <= budget:
        chosen = sorted(_last(c) for (c,) in graph.query("SELECT ?c WHERE { ?c a acc:Claim }").rows)
    else:
        touches = links.touches(pool)
        ranked = heapq.nsmallest(budget, touches, key=lambda c: (-touches[c], c))
        if len(ranked) < budget:  # then the claims touching none, by id
            others = sorted(_last(c) for (c,) in graph.query("SELECT ?c WHERE { ?c a acc:Claim }").rows)
            ranked += [c for c in others if c not in touches][: budget - len(ranked)]
        chosen = sorted(ranked)
    return chosen, graph.claim_runs(chosen), total


def highlights(sentence: str, phrases: Iterable[str], fallback: Iterable[str]) -> list[list[int]]:
    """Character ranges of ``sentence`` to highlight: where the claim's own words occur, else
    where the entities it is about are named. Ranges are merged and sorted.

    Examples
    --------
    >>> highlights("Land says capital is AI.", ["capital", "AI"], [])
    [[10, 17], [21, 23]]
    >>> highlights("Land says so.", ["capitalism"], ["Land"])
    [[0, 4]]
    """
    found = _occurrences(sentence, phrases) or _occurrences(sentence, fallback)
    merged: list[list[int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _occurrences(sentence: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Where each phrase occurs as whole words, ignoring case (plain search: this runs per claim)."""
    text = sentence.lower()
    if len(text) != len(sentence):  # lower-casing changed the length, so offsets would drift
        text = sentence
    spans = []
    for phrase in sorted({p.strip().lower() for p in phrases if len(p.strip()) > 1}):
        at = text.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
                spans.append((at, end))
            at = text.find(phrase, at + 1)
    return spans


def concept_view(records: dict[str, Any]) -> View:
    """Entities joined by claim predicates (subject entity -> object entity) and by claimant -> topic."""
    entities = records["entities"]
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for c in records["claims"].values():
        about = [a for a in c["about"] if a in entities]
        subjects = [a for a in about if _names_in(entities[a], c["subject"])]
        objects = [a for a in about if _names_in(entities[a], c["object"]) and a not in subjects]
        for s in subjects:
            for o in objects:
                counts[(s, o, "relation", c["predicate"])] += 1
        if c["claimant"] in entities and not c["claimant"].startswith("doc:"):
            for a in about:
                if a != c["claimant"]:
                    counts[(c["claimant"], a, "claims", "")] += 1
    nodes = tuple(sorted(e for e in entities if not e.startswith("doc:")))
    return View(nodes=nodes, edges=_edges(counts), shown=nodes)


def claims_view(records: dict[str, Any]) -> View:
    """Claims as nodes (``claim:<id>``) between their claimant and the entities they are about."""
    entities = records["entities"]
    counts: Counter[tuple[str, str, str, str]] = Counter()
    nodes: set[str] = set()
    for claim_id, c in records["claims"].items():
        node = f"claim:{claim_id}"
        nodes.add(node)
        if c["claimant"] in entities:
            nodes.add(c["claimant"])
            counts[(c["claimant"], node, "claims", "")] += 1
        for a in c["about"]:
            if a in entities:
                nodes.add(a)
                counts[(node, a, "about", "")] += 1
        for other, kind in [*((o, "contrasts") for o in c["contrasts"]), *((o, "agrees") for o in c["agrees"])]:
            if other in records["claims"]:
                pair = sorted([node, f"claim:{other}"])
                counts[(pair[0], pair[1], kind, "")] = 1  # symmetric: stated on both claims, drawn once
    ordered = tuple(sorted(nodes))
    return View(nodes=ordered, edges=_edges(counts), shown=ordered)


def _edges(counts: Counter[tuple[str, str, str, str]]) -> tuple[Edge, ...]:
    return tuple(Edge(s, t, kind, label, n) for (s, t, kind, label), n in sorted(counts.items()))


def _names_in(entity: dict[str, Any], text: str) -> bool:
    return bool(_occurrences(text, [entity["label"], *entity["alt"]]))


def as_networkx(view: View) -> nx.Graph:
    """The view as an undirected weighted graph (for layout, ranking and neighbourhoods)."""
    graph = nx.Graph()
    graph.add_nodes_from(view.nodes)
    for e in view.edges:
        if graph.has_edge(e.source, e.target):
            graph[e.source][e.target]["weight"] += e.count
        else:
            graph.add_edge(e.source, e.target, weight=e.count)
    return graph


def focus(view: View, centre: str, hops: int) -> View:
    """Only ``centre`` and the nodes within ``hops`` edges of it."""
    keep = set(nx.single_source_shortest_path_length(as_networkx(view), centre, cutoff=hops))
    nodes = tuple(n for n in view.nodes if n in keep)
    edges = tuple(e for e in view.edges if e.source in keep and e.target in keep)
    return View(nodes=nodes, edges=edges, shown=nodes)


def reduce(view: View, scores: dict[str, float], max_nodes: int) -> View:
    """Show at most ``max_nodes`` nodes at first, the highest scoring (ties by id); keep the rest."""
    if len(view.nodes) <= max_nodes:
        return view
    ranked = sorted(view.nodes, key=lambda n: (-scores.get(n, 0.0), n))
    return View(nodes=view.nodes, edges=view.edges, shown=tuple(sorted(ranked[:max_nodes])))


def place(view: View, extra: nx.Graph | None = None, scores: dict[str, float] | None = None) -> View:
    """Positions of the shown nodes, in pixels: a seeded ForceAtlas2 layout (networkx) of the
    :data:`LAYOUT_CORE` highest-``scores`` nodes, every other node beside its placed neighbours
    (see :func:`place_between`). ForceAtlas2 costs the number of nodes squared per iteration, so
    the core keeps a 1,500-node view from costing 14 times a 400-node one.

    ``extra`` adds weighted edges that pull related nodes together without being drawn (the
    facade's entity graph: claimants and co-mentions).
    """
    shown = set(view.shown)
    graph = nx.Graph()
    graph.add_nodes_from(view.shown)  # sorted, so the seeded layout sees one order every run
    drawn = as_networkx(view)
    for source in (drawn, extra if extra is not None else nx.Graph()):
        for a, b, w in sorted(source.edges(data="weight", default=1)):
            if a in shown and b in shown:
                old = graph[a][b]["weight"] if graph.has_edge(a, b) else 0
                graph.add_edge(a, b, weight=old + w)
    if graph.number_of_nodes() == 0:
        return view
    ranked = sorted(view.shown, key=lambda n: (-(scores or {}).get(n, 0.0), n))
    core = analysis.induced(graph, ranked[:LAYOUT_CORE])
    if core.number_of_nodes() == 1:
        positions = {ranked[0]: (0, 0)}
    else:
        raw = nx.forceatlas2_layout(core, max_iter=_LAYOUT_ITERATIONS, weight="weight", seed=LAYOUT_SEED)
        scaled = nx.rescale_layout_dict(raw, scale=100 + 60 * math.sqrt(graph.number_of_nodes()))
        positions = {n: (round(float(x)), round(float(y))) for n, (x, y) in sorted(scaled.items())}
    positions = _settle(graph, view.shown, positions)
    return View(nodes=view.nodes, edges=view.edges, shown=view.shown, positions=positions)


def place_between(view: View, anchors: dict[str, tuple[int, int]]) -> View:
    """Positions for the claims view without a second layout: entities stay where ``anchors``
    (the concept map) put them and each claim sits amid its claimant and topics (see
    :func:`_settle`)."""
    positions = {n: anchors[n] for n in view.shown if n in anchors}
    return View(
        nodes=view.nodes,
        edges=view.edges,
        shown=view.shown,
        positions=_settle(as_networkx(view), view.shown, positions),
    )


def _settle(graph: nx.Graph, shown: tuple[str, ...], placed: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """``placed`` plus a position for every other shown node: amid its placed neighbours, nodes
    that share a spot spread on a sunflower spiral. Three rounds, as nodes two and three steps
    away only find placed neighbours then (claims beside entities, documents beside claims, claims
    beside documents); nodes still without one go on a spiral outside the whole."""
    positions = dict(placed)
    within = set(shown)
    crowd: Counter[tuple[int, int]] = Counter()

    def spread(node: str, centre: tuple[int, int], gap: float) -> None:
        k = crowd[centre] = crowd[centre] + 1
        angle, radius = k * 2.39996, gap * math.sqrt(k)
        positions[node] = (round(centre[0] + radius * math.cos(angle)), round(centre[1] + radius * math.sin(angle)))

    for _ in range(3):
        settled = dict(positions)
        for node in shown:
            near = [settled[m] for m in sorted(graph[node]) if m in within and m in settled] if node in graph else []
            if node in settled or not near:
                continue
            spread(node, (round(sum(x for x, _ in near) / len(near)), round(sum(y for _, y in near) / len(near))), 22)
    rim = max((math.hypot(x, y) for x, y in positions.values()), default=0.0) + 60
    for k, node in enumerate((n for n in shown if n not in positions), start=1):
        angle, radius = k * 2.39996, rim + 30 * math.sqrt(k)
        positions[node] = (round(radius * math.cos(angle)), round(radius * math.sin(angle)))
    return dict(sorted(positions.items()))


def _strip(node: object, prefix: str) -> str:
    text = str(node)
    return text[len(prefix) :] if text.startswith(prefix) else text.rsplit("/", 1)[-1]


def _last(node: object) -> str:
    return str(node).rsplit("/", 1)[-1]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def restrict(records: dict[str, Any], views: Iterable[View]) -> dict[str, Any]:
    """The records an ego map needs: its entities, and every claim by or about one of them."""
    nodes = {n for v in views for n in v.nodes}
    entities = {k: v for k, v in records["entities"].items() if k in nodes}
    claims = {
        k: c
        for k, c in records["claims"].items()
        if f"claim:{k}" in nodes or c["claimant"] in entities or any(a in entities for a in c["about"])
    }
    return {**records, "entities": entities, "claims": claims}
