"""The acckg vocabulary, declared once.

Terms of the ``acc:`` namespace are listed in :class:`ACC`; a misspelt term raises
``AttributeError`` instead of minting a new IRI. ``kg/data/ontology.ttl`` documents the
same terms for people and tools, and ``tests/test_vocab.py`` keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from kg.model import EntityType

SCHEMA = Namespace("http://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
# The one schema.org property acckg states between entities: a person or organisation
# that a document names as a member of a group, movement or organisation.
MEMBER_OF = SCHEMA.memberOf


class ACC(DefinedNamespace):
    """Classes and properties of ``https://w3id.org/acckg/ns#``."""

    _NS = Namespace("https://w3id.org/acckg/ns#")
    _fail = True

    Document: URIRef
    Entity: URIRef
    Mention: URIRef
    Claim: URIRef
    Evidence: URIRef
    sha256: URIRef
    mentionCount: URIRef
    denotes: URIRef
    inDocument: URIRef
    claimant: URIRef
    text: URIRef
    subjectText: URIRef
    predicateText: URIRef
    objectText: URIRef
    about: URIRef
    polarity: URIRef
    modality: URIRef
    confidence: URIRef
    evidence: URIRef
    identityClaim: URIRef
    agreesWith: URIRef
    contrastsWith: URIRef
    softwareVersion: URIRef
    modelName: URIRef
    modelVersion: URIRef
    graphHash: URIRef


TYPE_CLASS: dict[EntityType, URIRef] = {
    EntityType.PERSON: SCHEMA.Person,
    EntityType.ORGANIZATION: SCHEMA.Organization,
    EntityType.CREATIVE_WORK: SCHEMA.CreativeWork,
    EntityType.PRODUCT: SCHEMA.Product,
    EntityType.PLACE: SCHEMA.Place,
    EntityType.CONCEPT: SKOS.Concept,
}
CLASS_TYPE: dict[URIRef, EntityType] = {v: k for k, v in TYPE_CLASS.items()}

PREFIXES: dict[str, Namespace] = {
    "acc": ACC._NS,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "schema": SCHEMA,
    "prov": Namespace(str(PROV)),
    "dcterms": Namespace(str(DCTERMS)),
    "oa": OA,
}


def bind_prefixes(graph: Graph, base_iri: str) -> None:
    """Bind the vocabulary's prefixes (and ``id:`` for minted resources) on ``graph``."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    graph.bind("id", Namespace(base_iri), override=True, replace=True)


def sparql_prologue(base_iri: str) -> str:
    """``PREFIX`` lines for every bound namespace, prepended to users' queries."""
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()]
    lines.append(f"PREFIX id: <{base_iri}>")
    return "\n".join(lines) + "\n"


VALUES_BLOCK = 200
"""IRIs per ``VALUES`` block: Oxigraph's time grows with the square of a block's length (4,180
evidence nodes in one block took minutes on a 1M-quad store, blocks of 200 0.1 s each)."""


def iri_blocks(iris: Iterable[str]) -> list[str]:
    """``iris`` in SPARQL syntax, sorted, as the bodies of ``VALUES`` blocks of :data:`VALUES_BLOCK`."""
    ordered = sorted(iris)
    return [" ".join(f"<{i}>" for i in ordered[k : k + VALUES_BLOCK]) for k in range(0, len(ordered), VALUES_BLOCK)]
