"""The public facade: one :class:`KnowledgeGraph` over a build's RDF dataset.

Everything users and :mod:`viz` read goes through here; it reads the RDF, never the NLP
internals, so a graph loaded from ``out/graph.trig`` behaves exactly like a fresh build.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from kg import analysis, embedded, entitygraph, store, vocab
from kg.config import DEFAULT_BASE_IRI
from kg.entitygraph import EntityLinks, EntityNode
from kg.model import Claim, Entity, EntityType, Modality, Polarity
from kg.model import Span as CharSpan
from kg.query import QueryResult, from_oxigraph, run_query, text_index_of, values_clause
from kg.records import Records, read_through
from kg.textindex import TextIndex
from kg.vocab import ACC, CLASS_TYPE, OA, iri_blocks


@dataclass(frozen=True)
class Summary:
    documents: int
    entities_by_type: dict[str, int]
    claims: int
    top_entities: list[tuple[str, float]]  # (label, centrality)


_ENTITY_PROPERTIES = (
    RDF.type,
    RDFS.label,
    SKOS.altLabel,
    ACC.mentionCount,
    SKOS.definition,
    SKOS.broader,
    SKOS.related,
)
_CLAIM_PROPERTIES = (
    ACC.claimant,
    ACC.about,
    ACC.evidence,
    PROV.wasDerivedFrom,
    ACC.text,
    ACC.subjectText,
    ACC.predicateText,
    ACC.objectText,
    ACC.polarity,
    ACC.modality,
    ACC.identityClaim,
    ACC.confidence,
    ACC.agreesWith,
    ACC.contrastsWith,
)
_EVIDENCE_PROPERTIES = (OA.start, OA.end, OA.exact)


class _Values(defaultdict[Node, list[Node]]):
    """One resource's values per property, as one query returned them."""

    def __init__(self) -> None:
        super().__init__(list)

    def one(self, prop: URIRef) -> Node | None:
        """The value of a single-valued property (None when it has none)."""
        values = self[prop]
        return values[0] if values else None


class KnowledgeGraph:
    """A built knowledge graph: entities, claims, SPARQL and a networkx view.

    Examples
    --------
    >>> import kg
    >>> g = kg.build(["sources/import-ai-384.txt"])        # or kg.load("out/graph.trig")
    >>> [c.text for c in g.claims(by="Nick Land") if c.identity]
    ['capitalism is identical to artificial intelligence']
    >>> g.path("Nick Land", "capitalism")
    ['Nick Land', 'capitalism']
    """

    def __init__(
        self,
        dataset: Dataset,
        *,
        base_iri: str = DEFAULT_BASE_IRI,
        text_index: TextIndex | None = None,
        entity_links: EntityLinks | None = None,
        records: Records | None = None,
        frozen: bool = False,
    ) -> None:
        """``text_index`` is the store's full-text index of evidence sentences; without one, the
        first search builds it in memory (see :mod:`kg.textindex`). ``frozen`` promises that the
        dataset will not change (a store opened read-only), so the entity graph is read once, or
        taken from ``entity_links``, the one saved with the store, and the claims and entities
        asked for by id are read once, or taken from ``records`` (see :mod:`kg.records`)."""
        self.dataset = dataset
        self.base_iri = base_iri
        self._text_index = text_index
        self._entity_links = entity_links
        self.records = records if frozen else None
        self._frozen = frozen
        self._entity_graph: nx.Graph | None = None
        self._counted: dict[URIRef, int] = {}  # instances of a class in a frozen graph

    # -- reading ---------------------------------------------------------------------------
    def entities(self, type: EntityType | str | None = None, *, ids: Iterable[str] | None = None) -> list[Entity]:
        """Entities, most mentioned first; ``type`` filters by class (e.g. ``"Person"``), ``ids``
        keeps only those entity ids (read by index lookups, not a scan)."""
        wanted = EntityType(type) if type is not None else None
        if ids is not None and self.records is not None:
            kept = self.records
            found = list(read_through(kept.entities, kept.used_entities, ids, self._entities_by_id).values())
        else:
            found = self._entities(ids)
        return sorted(
            (e for e in found if wanted is None or e.type is wanted), key=lambda e: (-e.mention_count, e.label)
        )

    def _entities_by_id(self, ids: list[str]) -> Iterator[tuple[str, Entity]]:
        return ((e.id, e) for e in self._entities(ids))

    def _entities(self, ids: Iterable[str] | None) -> list[Entity]:
        found = []
        subjects = None if ids is None else [self._iri(i) for i in ids]
        described = self._describe(ACC.Entity, _ENTITY_PROPERTIES, subjects=subjects)
        for node, values in described.items():
            kind = next((CLASS_TYPE[c] for c in values[RDF.type] if isinstance(c, URIRef) and c in CLASS_TYPE), None)
            if kind is None:
                continue
            found.append(
                Entity(
                    id=self._local(node),
                    label=str(values.one(RDFS.label)),
                    type=kind,
                    alt_labels=tuple(sorted(str(a) for a in values[SKOS.altLabel])),
                    mention_count=_int(values.one(ACC.mentionCount)),
                    description=_str(values.one(SKOS.definition)),
                    broader=tuple(sorted(self._local(b) for b in values[SKOS.broader])),
                    related=tuple(sorted(self._local(r) for r in values[SKOS.related])),
                )
            )
        return found

    def find(self, name: str) -> list[URIRef]:
        """IRIs of the entities (or documents) whose label or alternative label is ``name``."""
        key = name.casefold()
        # Python's casefold is not SPARQL's LCASE ("ß"): the comparison stays here.
        rows = self.query("SELECT ?s ?o WHERE { ?s rdfs:label|skos:altLabel|dcterms:title ?o . FILTER(isIRI(?s)) }")
        hits = {s for s, o in rows.rows if isinstance(s, URIRef) and str(o).casefold() == key}
        if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
            by_id = URIRef(f"{self.base_iri}entity/{name}")
            if (by_id, RDF.type, ACC.Entity) in self.dataset:
                hits.add(by_id)
        return sorted(hits)

    def claims(
        self, *, about: str | None = None, by: str | None = None, ids: Iterable[str] | None = None
    ) -> list[Claim]:
        """Claims, optionally only those ``about`` an entity and/or held ``by`` one (label or id),
        and only those claim ids."""
        restrict = {
            prop: self.find(name) for prop, name in ((ACC.claimant, by), (ACC.about, about)) if name is not None
        }
        if ids is not None and self.records is not None and not restrict:
            kept = self.records
            result = list(read_through(kept.claims, kept.used_claims, ids, self._claims_by_id).values())
        else:
            result = self._claims(ids, restrict)
        return sorted(result, key=lambda c: (c.doc_id, c.evidence.start, c.id))

    def _claims_by_id(self, ids: list[str]) -> Iterator[tuple[str, Claim]]:
        return ((c.id, c) for c in self._claims(ids, {}))

    def claim_runs(self, ids: Iterable[str]) -> dict[str, str]:
        """The run (its id) that stated each of these claims."""
        kept = self.records if self.records is not None else Records(self.base_iri)
        return read_through(kept.runs, kept.used_claims, ids, self._runs)

    def _runs(self, ids: list[str]) -> Iterable[tuple[str, str]]:
        found: dict[str, str] = {}
        for block in iri_blocks(f"{self.base_iri}claim/{c}" for c in ids):
            rows = self.query(f"SELECT ?c ?run WHERE {{ VALUES ?c {{ {block} }} ?c prov:wasGeneratedBy ?run }}").rows
            for c, run in rows:
                found.setdefault(self._local(c), self._local(run))
        return found.items()

    def _claims(self, ids: Iterable[str] | None, restrict: dict[URIRef, list[URIRef]]) -> list[Claim]:
        subjects = None if ids is None else [URIRef(f"{self.base_iri}claim/{i}") for i in ids]
        described = self._describe(
            ACC.Claim,
            _CLAIM_PROPERTIES,
            via=(ACC.evidence, _EVIDENCE_PROPERTIES),
            restrict=restrict,
            subjects=subjects,
        )
        return [self._claim(node, values) for node, values in described.items()]

    def search(self, words: str) -> list[Claim]:
        """Claims whose evidence sentence has all of ``words``, best match first: case and accents
        ignored, endings stemmed, ``"a phrase"`` and ``prefix*`` understood (see :mod:`kg.textindex`).

        >>> import kg
        >>> [c.text for c in kg.build(["sources/import-ai-384.txt"]).search('"dim future"')]
        ['humans have a dim future as they will be inevitably replaced by AI']
        """
        hits = [URIRef(iri) for iri in self._search(words)]
        rank: dict[Node, int] = {iri: i for i, iri in enumerate(hits)}
        described = self._describe(
            ACC.Claim, _CLAIM_PROPERTIES, via=(ACC.evidence, _EVIDENCE_PROPERTIES), restrict={ACC.evidence: hits}
        )
        ranked = sorted(described.items(), key=lambda item: (min(rank[e] for e in item[1][ACC.evidence]), item[0]))
        return [self._claim(node, values) for node, values in ranked]

    def _search(self, words: str) -> list[str]:
        if self._text_index is None:
            self._text_index = text_index_of(self.dataset, self.base_iri)
        return self._text_index.search(words)

    def _claim(self, node: URIRef, values: _Values) -> Claim:
        one = values.one
        return Claim(
            id=self._local(node),
            doc_id=self._local(one(PROV.wasDerivedFrom)).removeprefix("doc:"),
            claimant=self._local(one(ACC.claimant)),
            text=str(one(ACC.text)),
            subject=str(one(ACC.subjectText)),
            predicate=str(one(ACC.predicateText)),
            object=str(one(ACC.objectText)),
            about=tuple(sorted(self._local(a) for a in values[ACC.about])),
            polarity=Polarity(str(one(ACC.polarity))),
            modality=Modality(str(one(ACC.modality))),
            identity=bool(_python(one(ACC.identityClaim))),
            confidence=float(_python(one(ACC.confidence)) or 0),
            evidence=CharSpan(_int(one(OA.start)), _int(one(OA.end))),
            evidence_text=str(one(OA.exact)),
            agrees_with=tuple(sorted(self._local(o) for o in values[ACC.agreesWith])),
            contrasts_with=tuple(sorted(self._local(o) for o in values[ACC.contrastsWith])),
        )

    def _describe(
        self,
        kind: URIRef,
        properties: tuple[URIRef, ...],
        *,
        via: tuple[URIRef, tuple[URIRef, ...]] | None = None,
        restrict: dict[URIRef, list[URIRef]] | None = None,
        subjects: list[URIRef] | None = None,
    ) -> dict[URIRef, _Values]:
        """Every resource of class ``kind`` with its values of ``properties`` (and of the
        properties ``via[1]`` of the resource it links to by ``via[0]``), only those with a value
        in ``restrict[p]`` for each ``p``. A store answers two queries that return every value of
        the resources and the properties are picked here: Oxigraph spends the time decoding the
        terms it returns, and filtering or merging branches inside the query cost more than the
        values it returned for nothing (13.7 s against 5.6 s for the claims of a 1M-quad store). rdflib's memory
        store answers its own lookups faster than its SPARQL engine answers the queries.
        ``subjects`` (when given) are the only resources to describe."""
        restrict = restrict or {}
        db = embedded.oxigraph_of(self.dataset)
        if isinstance(self.dataset.store, Memory):
            ds = self.dataset
            chosen = ds.subjects(RDF.type, kind) if subjects is None else subjects
            return _describe_each(chosen, kind, properties, via, restrict, _statements_in_memory(ds))
        if db is not None and subjects is not None:
            return _describe_each(subjects, kind, properties, via, restrict, _statements_of(db))
        parts = [("?s ?p ?o", {RDF.type, *properties})]
        if via is not None:
            parts.append((f"?s {via[0].n3()} ?v . ?v ?p ?o", set(via[1])))
        described: dict[URIRef, _Values] = {}
        fragments = _restrictions(restrict)
        if subjects is not None:
            fragments = [f" {values_clause('s', block)} {only}" for block in _blocks(subjects) for only in fragments]
        for only, (pattern, wanted) in itertools.product(fragments, parts):
            for s, p, o in self.query(f"SELECT ?s ?p ?o WHERE {{ ?s a {kind.n3()} .{only} {pattern} }}").rows:
                if isinstance(s, URIRef) and p in wanted and o is not None:
                    if s not in described:
                        described[s] = _Values()
                    values = described[s][p]
                    if o not in values:
                        values.append(o)
        return described

    def mentioned_in(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """The documents (ids) each of these entities is mentioned in; entities never mentioned
        (only claimed about) are left out."""
        found: dict[str, set[str]] = defaultdict(set)
        # A document's mentions are in its own named graph (kg.rdf.Minter.graph): reading the graph
        # names is 10x faster in Oxigraph than looking up each mention's acc:inDocument.
        graph_prefix = f"{self.base_iri}graph/"
        for block in _blocks([self._iri(i) for i in ids]):
            rows = self.query(
                f"SELECT DISTINCT ?e ?g WHERE {{ {values_clause('e', block)} GRAPH ?g {{ ?m acc:denotes ?e }} }}"
            ).rows
            for e, g in rows:
                found[self._local(e)].add(str(g).removeprefix(graph_prefix))
        return {e: sorted(docs) for e, docs in sorted(found.items())}

    def label(self, entity_id: str) -> str:
        """The label of an entity id (or a document's title for ``doc:`` ids)."""
        node = self._iri(entity_id)
        value = self.dataset.value(node, RDFS.label) or self.dataset.value(node, DCTERMS.title)
        return str(value) if value is not None else entity_id

    def documents(self) -> list[tuple[str, str]]:
        """``(document id, title)`` pairs."""
        described = self._describe(ACC.Document, (DCTERMS.title,))
        return sorted(
            (self._local(d).removeprefix("doc:"), str(values.one(DCTERMS.title))) for d, values in described.items()
        )

    # -- querying and analysis -------------------------------------------------------------
    def query(self, sparql: str, **bindings: str) -> QueryResult:
        """Run SPARQL 1.1 (prefixes ``acc:``, ``schema:``, ``prov:``, ``oa:``... predeclared)."""
        return run_query(
            self.dataset,
            sparql,
            base_iri=self.base_iri,
            bindings={k: Literal(v) for k, v in bindings.items()},
            search=self._search,
        )

    def to_networkx(self, *, copy: bool = True) -> nx.Graph:
        """Entities as nodes (keyed by id); edges join a claimant to what it claims about and
        entities named in the same evidence sentence, weighted by how often. A new copy each call,
        or with ``copy=False`` the graph the facade holds, frozen (read-only): copying the
        graph of a large corpus takes seconds. A store that saved its entity graph (see
        :mod:`kg.entitygraph`) gives it without a read."""
        if self._entity_graph is None or not self._frozen:
            self._entity_graph = nx.freeze(self.entity_links().to_networkx())
        return self._entity_graph.copy() if copy else self._entity_graph

    def entity_links(self) -> EntityLinks:
        """The entity graph as nodes and edge weights (see :meth:`to_networkx`): the one saved
        with the store when there is one, else read from the statements. Its degrees and
        subgraphs come without building the graph of every entity."""
        if self._frozen and self._entity_links is not None:
            return self._entity_links
        links = EntityLinks.of(self.entity_nodes(), self.links_in())
        if self._frozen:
            self._entity_links = links
        return links

    def entity_nodes(self, ids: Iterable[str] | None = None) -> dict[str, EntityNode]:
        """``(label, type, mention count)`` of every entity, or of those ids: the nodes of
        :meth:`to_networkx`, read without the rest of each description."""
        subjects = None if ids is None else [self._iri(i) for i in ids]
        nodes: dict[str, EntityNode] = {}
        for only in [""] if subjects is None else [values_clause("e", block) for block in _blocks(subjects)]:
            rows = self.query(
                f"SELECT ?e ?type ?label ?n WHERE {{ {only} ?e a acc:Entity ; a ?type ; rdfs:label ?label ;"
                " acc:mentionCount ?n }"
            ).rows
            for e, kind, label, n in rows:
                if kind in CLASS_TYPE:
                    nodes[self._local(e)] = (str(label), CLASS_TYPE[kind].value, _int(n))  # type: ignore[index]
        return nodes

    def links_in(self, graphs: Iterable[str] | None = None) -> entitygraph.Part:
        """What every document, or only these named graphs (IRIs), give the entity graph: its
        edge weights (:func:`kg.entitygraph.link_weights`), the claims by or about each entity and
        their number. Sums over documents, so a rebuild can exchange the part of the documents
        it changed."""
        weights: Counter[tuple[str, str]] = Counter()
        claimants: dict[str, str] = {}
        about: dict[str, list[str]] = defaultdict(list)
        for block in [None] if graphs is None else _blocks([URIRef(g) for g in graphs]):
            only = "" if block is None else values_clause("g", block)
            # A document's mentions and evidence are in its own named graph, and matching them graph
            # by graph is 3x faster in Oxigraph than joining on acc:inDocument across the union.
            mentions = self.query(
                f"SELECT ?g ?offset ?e WHERE {{ {only} GRAPH ?g {{ ?m acc:denotes ?e ; oa:start ?offset }} }}"
            )
            evidence = self.query(
                f"SELECT DISTINCT ?ev ?g ?start ?end WHERE {{ {only} GRAPH ?g"
                " { ?ev a acc:Evidence ; oa:start ?start ; oa:end ?end } }"
            )
            authors = self.query(f"SELECT ?d ?a WHERE {{ {only} GRAPH ?g {{ ?d dcterms:creator ?a }} }}")
            reports = self.query(
                f"SELECT DISTINCT ?c ?doc ?who ?about WHERE {{ {only} GRAPH ?g"
                " { ?c a acc:Claim ; prov:wasDerivedFrom ?doc ; acc:claimant ?who ; acc:about ?about } }"
            )
            # Every claim has one claimant; not every claim is about an entity.
            for c, who in self.query(f"SELECT ?c ?who WHERE {{ {only} GRAPH ?g {{ ?c acc:claimant ?who }} }}").rows:
                claimants[self._local(c)] = self._local(who)
            for c, _, _, a in reports.rows:
                about[self._local(c)].append(self._local(a))
            weights.update(
                entitygraph.link_weights(
                    mentions=((str(g), _int(offset), self._local(e)) for g, offset, e in mentions.rows),
                    evidence=((str(g), _int(start), _int(end)) for _, g, start, end in evidence.rows),
                    reports=((str(d), self._local(who), self._local(a)) for _, d, who, a in reports.rows),
                    authors={(str(d), self._local(a)) for d, a in authors.rows},
                )
            )
        touching = entitygraph.claims_touching((c, who, about.get(c, ())) for c, who in claimants.items())
        return entitygraph.Part(weights, touching, len(claimants))

    def path(self, source: str, target: str) -> list[str]:
        """Labels of the shortest chain of entities linking two entities (names or ids), or ``[]``."""
        graph = self.to_networkx(copy=False)
        ends = [
            next((self._local(i) for i in self.find(name) if self._local(i) in graph), name)
            for name in (source, target)
        ]
        return [graph.nodes[n]["label"] for n in analysis.shortest_path(graph, ends[0], ends[1])]

    def document_count(self) -> int:
        return self._instances(ACC.Document)

    def claim_count(self) -> int:
        if self._frozen and self._entity_links is not None:
            return self._entity_links.claim_count
        return self._instances(ACC.Claim)

    def _instances(self, cls: URIRef) -> int:
        # Counting a large store's claims takes seconds, and the map and the summary both ask.
        if cls in self._counted:
            return self._counted[cls]
        n = _int(self.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{cls}> }}").rows[0][0])
        if self._frozen:
            self._counted[cls] = n
        return n

    def summary(self, *, top: int = 10) -> Summary:
        links = self.entity_links()
        counts = Counter(kind for _, kind, _ in links.nodes.values())
        central = analysis.ranked(links.degrees, top=top)
        return Summary(
            documents=self.document_count(),
            entities_by_type=dict(sorted(counts.items())),
            claims=self.claim_count(),
            top_entities=[(links.nodes[n][0], score) for n, score in central.items()],
        )

    # -- writing ---------------------------------------------------------------------------
    def save(self, path: str | Path, *, format: str = "trig") -> Path:
        """Write the graph atomically (``trig``, ``nquads``, ``turtle`` or ``jsonld``)."""
        target = Path(path)
        store.write_atomic(target, store.serialise(self.dataset, format))
        return target

    # -- helpers -------------------------------------------------------------------------
    def _local(self, node: object) -> str:
        """Entity id of an entity IRI, ``doc:<id>`` of a document IRI (see kg.rdf.Minter)."""
        text = str(node)
        entity_prefix, doc_prefix = f"{self.base_iri}entity/", f"{self.base_iri}doc/"
        if text.startswith(entity_prefix):
            return text[len(entity_prefix) :]
        if text.startswith(doc_prefix):
            return "doc:" + text[len(doc_prefix) :]
        return text.rsplit("/", 1)[-1]

    def _iri(self, local: str) -> URIRef:
        if local.startswith("doc:"):
            return URIRef(f"{self.base_iri}doc/{local[4:]}")
        return URIRef(f"{self.base_iri}entity/{local}")


def _describe_each(
    subjects: Iterable[Node],
    kind: URIRef,
    properties: tuple[URIRef, ...],
    via: tuple[URIRef, tuple[URIRef, ...]] | None,
    restrict: dict[URIRef, list[URIRef]],
    statements: Statements,
) -> dict[URIRef, _Values]:
    """:meth:`KnowledgeGraph._describe` by reading each subject's ``statements`` (predicate, object
    pairs in any graph), and those of the resource it links to by ``via[0]``, with the query's
    DISTINCT. For chosen ids an index lookup each beats a query, which Oxigraph answers by
    joining a ``VALUES`` block with every resource of the class (the map's 4,000 claims of the
    10 MB slice: 4.7 s against 7.0 s, their 4,089 entities 1.3 s against 2.2 s)."""
    wanted = {RDF.type, *properties, *restrict}
    link, linked = via if via is not None else (None, set())
    described: dict[URIRef, _Values] = {}
    for s in subjects:
        if not isinstance(s, URIRef) or s in described:
            continue
        values = _Values()
        for p, o in statements(s, wanted):
            if o not in values[p]:
                values[p].append(o)
        if kind not in values[RDF.type] or any(not set(values[p]) & set(ok) for p, ok in restrict.items()):
            continue
        for node in values[link] if link is not None else ():
            for p, o in statements(node, linked):
                if o not in values[p]:
                    values[p].append(o)
        described[s] = values
    return described


# A resource's (predicate, object) pairs in any graph, of the predicates wanted.
Statements = Callable[[Node, Container[Node]], Iterable[tuple[Node, Node]]]


def _statements_in_memory(ds: Dataset) -> Statements:
    return lambda node, wanted: ((p, o) for p, o in ds.predicate_objects(node) if p in wanted)


def _statements_of(db: ox.Store) -> Statements:
    terms: dict[object, Any] = {}  # terms repeat (every predicate, a claimant, a polarity): convert each once

    def convert(term: object) -> Any:
        value = terms.get(term)
        if value is None:
            value = terms[term] = from_oxigraph(term)
        return value

    def statements(node: Node, wanted: Container[Node]) -> Iterator[tuple[Node, Node]]:
        for quad in db.quads_for_pattern(ox.NamedNode(str(node)), None, None, None):
            p = convert(quad.predicate)
            if p in wanted:
                yield p, convert(quad.object)

    return statements


def _restrictions(restrict: dict[URIRef, list[URIRef]]) -> list[str]:
    """Query fragments that together keep the resources with a value in ``restrict[p]`` for each
    ``p``: one fragment, or one per block of the longest list of values."""
    if not restrict:
        return [""]
    longest = max(restrict, key=lambda p: len(restrict[p]))
    values = restrict[longest]
    fragments = []
    for block in _blocks(values):
        parts = {**restrict, longest: block}
        fragments.append(
            "".join(
                f" ?s {p.n3()} ?r{i} . {values_clause(f'r{i}', allowed)}"
                for i, (p, allowed) in enumerate(parts.items())
            )
        )
    return fragments


def _blocks(values: list[URIRef]) -> list[list[URIRef]]:
    size = vocab.VALUES_BLOCK
    return [values[i : i + size] for i in range(0, len(values), size)] or [[]]


def _n3(terms: tuple[URIRef, ...]) -> str:
    return ", ".join(t.n3() for t in terms)


def _python(value: object) -> Any:
    return value.toPython() if isinstance(value, Literal) else value


def _int(value: object) -> int:
    return int(_python(value) or 0)


def _str(value: object) -> str | None:
    return str(value) if value is not None else None
