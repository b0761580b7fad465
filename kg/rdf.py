"""Build the RDF dataset from the typed values of the earlier stages (pure: no I/O).

Each document gets a named graph ``<base>graph/<doc>`` holding its metadata, its
mentions and its claims; entities and the extraction run live in the default graph.
Every IRI is derived from content and offsets, so the same inputs give the same graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rdflib import XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.model import Claim, Entity, Membership, ResolvedMention, RunInfo, SourceDoc
from kg.model import Span as CharSpan
from kg.vocab import ACC, MEMBER_OF, OA, TYPE_CLASS, bind_prefixes


class Minter:
    """Mints the IRIs of one build under ``base``; the only place IRIs are made."""

    def __init__(self, base: str) -> None:
        self.ns = Namespace(base)

    def doc(self, doc_id: str) -> URIRef:
        return self.ns[f"doc/{doc_id}"]

    def graph(self, doc_id: str) -> URIRef:
        return self.ns[f"graph/{doc_id}"]

    def entity(self, entity_id: str) -> URIRef:
        if entity_id.startswith("doc:"):
            return self.doc(entity_id[4:])
        return self.ns[f"entity/{entity_id}"]

    def mention(self, doc_id: str, start: int, end: int) -> URIRef:
        return self.ns[f"mention/{doc_id}/{start}-{end}"]

    def claim(self, claim_id: str) -> URIRef:
        return self.ns[f"claim/{claim_id}"]

    def evidence(self, claim_id: str) -> URIRef:
        return self.ns[f"evidence/{claim_id}"]

    def membership(self, m: Membership) -> URIRef:
        return self.ns[f"membership/{m.doc_id}-{m.evidence.start}-{m.member}-{m.group}"]

    def membership_evidence(self, m: Membership) -> URIRef:
        return self.ns[f"evidence/membership-{m.doc_id}-{m.evidence.start}-{m.member}-{m.group}"]

    def run(self, run_id: str) -> URIRef:
        return self.ns[f"run/{run_id}"]


def build_dataset(
    docs: Sequence[SourceDoc],
    entities: Sequence[Entity],
    mentions: Sequence[ResolvedMention],
    claims: Sequence[Claim],
    authors: dict[str, str],
    run: RunInfo,
    *,
    base_iri: str,
    memberships: Sequence[Membership] = (),
) -> Dataset:
    iri = Minter(base_iri)
    ds = Dataset(default_union=True)
    bind_prefixes(ds, base_iri)
    default = ds.default_graph
    run_iri = iri.run(f"{run.software_version}-{run.time}".replace(":", "").replace("+", ""))
    _add_run(default, run_iri, run)
    for entity in entities:
        _add_entity(default, iri, entity)
    graphs: dict[str, Graph] = {}
    for doc in docs:
        g = ds.graph(iri.graph(doc.id))
        graphs[doc.id] = g
        _add_doc(g, iri, doc, authors.get(doc.id), run_iri)
    for m in mentions:
        _add_mention(graphs[m.doc_id], iri, m)
    for claim in claims:
        _add_claim(graphs[claim.doc_id], iri, claim, run_iri)
    for membership in memberships:
        _add_membership(graphs[membership.doc_id], iri, membership)
    return ds


def _canonical_decimal(value: float) -> str:
    """Two decimals in xsd:decimal's canonical form ("0.7", "1"), as Oxigraph stores them."""
    return format(Decimal(f"{value:.2f}").normalize(), "f")


def _add_run(g: Graph, node: URIRef, run: RunInfo) -> None:
    g.add((node, RDF.type, PROV.Activity))
    g.add((node, RDFS.label, Literal(f"acckg {run.software_version} build with {run.model_name}")))
    g.add((node, ACC.softwareVersion, Literal(run.software_version)))
    g.add((node, ACC.modelName, Literal(run.model_name)))
    g.add((node, ACC.modelVersion, Literal(run.model_version)))
    g.add((node, PROV.endedAtTime, Literal(run.time, datatype=XSD.dateTime)))


def _add_entity(g: Graph, iri: Minter, e: Entity) -> None:
    node = iri.entity(e.id)
    g.add((node, RDF.type, ACC.Entity))
    g.add((node, RDF.type, TYPE_CLASS[e.type]))
    g.add((node, RDFS.label, Literal(e.label)))
    for alt in e.alt_labels:
        g.add((node, SKOS.altLabel, Literal(alt)))
    g.add((node, ACC.mentionCount, Literal(e.mention_count)))
    if e.description:
        g.add((node, SKOS.definition, Literal(e.description)))
    for other in e.broader:
        g.add((node, SKOS.broader, iri.entity(other)))
    for other in e.related:
        g.add((node, SKOS.related, iri.entity(other)))


def _add_doc(g: Graph, iri: Minter, doc: SourceDoc, author: str | None, run_iri: URIRef) -> None:
    node = iri.doc(doc.id)
    g.add((node, RDF.type, ACC.Document))
    g.add((node, RDF.type, PROV.Entity))
    g.add((node, DCTERMS.title, Literal(doc.title)))
    g.add((node, ACC.sha256, Literal(doc.sha256)))
    g.add((node, PROV.wasGeneratedBy, run_iri))
    if author is not None:
        g.add((node, DCTERMS.creator, iri.entity(author)))
    if doc.date:
        g.add((node, DCTERMS.date, Literal(doc.date)))
    if doc.url:
        g.add((node, DCTERMS.source, URIRef(doc.url)))
    else:
        g.add((node, DCTERMS.source, Literal(doc.path)))
    if doc.licence:
        g.add((node, DCTERMS.license, Literal(doc.licence)))


def _add_mention(g: Graph, iri: Minter, m: ResolvedMention) -> None:
    node = iri.mention(m.doc_id, m.span.start, m.span.end)
    g.add((node, RDF.type, ACC.Mention))
    g.add((node, ACC.denotes, iri.entity(m.entity_id)))
    g.add((node, ACC.inDocument, iri.doc(m.doc_id)))
    g.add((node, OA.start, Literal(m.span.start)))
    g.add((node, OA.end, Literal(m.span.end)))
    g.add((node, OA.exact, Literal(m.text)))


def _add_claim(g: Graph, iri: Minter, c: Claim, run_iri: URIRef) -> None:
    node = iri.claim(c.id)
    doc = iri.doc(c.doc_id)
    g.add((node, RDF.type, ACC.Claim))
    g.add((node, ACC.claimant, iri.entity(c.claimant)))
    g.add((node, ACC.text, Literal(c.text)))
    g.add((node, ACC.subjectText, Literal(c.subject)))
    g.add((node, ACC.predicateText, Literal(c.predicate)))
    g.add((node, ACC.objectText, Literal(c.object)))
    for about in c.about:
        g.add((node, ACC.about, iri.entity(about)))
    g.add((node, ACC.polarity, Literal(c.polarity.value)))
    g.add((node, ACC.modality, Literal(c.modality.value)))
    g.add((node, ACC.identityClaim, Literal(c.identity)))
    g.add((node, ACC.confidence, Literal(_canonical_decimal(c.confidence), datatype=XSD.decimal)))
    g.add((node, PROV.wasDerivedFrom, doc))
    g.add((node, PROV.wasGeneratedBy, run_iri))
    for other in c.agrees_with:
        g.add((node, ACC.agreesWith, iri.claim(other)))
    for other in c.contrasts_with:
        g.add((node, ACC.contrastsWith, iri.claim(other)))
    _add_evidence(g, node, iri.evidence(c.id), c.evidence, c.evidence_text, doc)


def _add_membership(g: Graph, iri: Minter, m: Membership) -> None:
    """``member schema:memberOf group`` in the document's graph, and the statement reified
    (``rdf:Statement``) so that it carries its evidence sentence like a claim does."""
    member, group = iri.entity(m.member), iri.entity(m.group)
    g.add((member, MEMBER_OF, group))
    node = iri.membership(m)
    g.add((node, RDF.type, RDF.Statement))
    g.add((node, RDF.subject, member))
    g.add((node, RDF.predicate, MEMBER_OF))
    g.add((node, RDF.object, group))
    _add_evidence(g, node, iri.membership_evidence(m), m.evidence, m.evidence_text, iri.doc(m.doc_id))


def _add_evidence(g: Graph, node: URIRef, ev: URIRef, span: CharSpan, text: str, doc: URIRef) -> None:
    """The sentence a statement rests on, as a Web Annotation text selector into its document."""
    g.add((node, ACC.evidence, ev))
    g.add((ev, RDF.type, ACC.Evidence))
    g.add((ev, RDF.type, OA.TextQuoteSelector))
    g.add((ev, OA.start, Literal(span.start)))
    g.add((ev, OA.end, Literal(span.end)))
    g.add((ev, OA.exact, Literal(text)))
    g.add((ev, ACC.inDocument, doc))
