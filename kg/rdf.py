"""The RDF of a build, written as N-Quads lines straight from the typed values (pure: no I/O).

Each document gets a named graph ``<base>graph/<doc>`` holding its metadata, its
mentions and its claims; entities and the extraction run live in the default graph.
Every IRI is derived from content and offsets, so the same inputs give the same graph.

The lines go to Oxigraph's bulk loader as they are made, and rdflib parses them for the
memory store: no in-memory graph stands between the analyses and the store, so a large
corpus costs the store's memory, not rdflib's (about 3 KB per triple).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from urllib.parse import quote

from rdflib import XSD, Dataset, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.ingest import slugify
from kg.model import Claim, Entity, Membership, ResolvedMention, RunInfo, SourceDoc
from kg.model import Span as CharSpan
from kg.vocab import ACC, MEMBER_OF, OA, TYPE_CLASS, bind_prefixes


class Minter:
    """Mints the IRIs of one build under ``base``; the only place IRIs are made."""

    def __init__(self, base: str) -> None:
        self.base = base

    def doc(self, doc_id: str) -> str:
        return self.base + f"doc/{doc_id}"

    def graph(self, doc_id: str) -> str:
        return self.base + f"graph/{doc_id}"

    def entity(self, entity_id: str) -> str:
        if entity_id.startswith("doc:"):
            return self.doc(entity_id[4:])
        return self.base + f"entity/{entity_id}"

    def mention(self, doc_id: str, start: int, end: int) -> str:
        return self.base + f"mention/{doc_id}/{start}-{end}"

    def claim(self, claim_id: str) -> str:
        return self.base + f"claim/{claim_id}"

    def evidence(self, claim_id: str) -> str:
        return self.base + f"evidence/{claim_id}"

    def membership(self, m: Membership) -> str:
        return self.base + f"membership/{m.doc_id}-{m.evidence.start}-{m.member}-{m.group}"

    def membership_evidence(self, m: Membership) -> str:
        return self.base + f"evidence/membership-{m.doc_id}-{m.evidence.start}-{m.member}-{m.group}"

    def run(self, run: RunInfo) -> str:
        # Named by what made the statements (software and model), not by when: its time sits in
        # the default graph, so a document's named graph changes only when its own statements do.
        return self.base + "run/" + slugify(f"{run.software_version}-{run.model_name}-{run.model_version}")


def nquads(
    docs: Sequence[SourceDoc],
    entities: Sequence[Entity],
    mentions: Sequence[ResolvedMention],
    claims: Sequence[Claim],
    authors: dict[str, str],
    run: RunInfo,
    *,
    base_iri: str,
    memberships: Sequence[Membership] = (),
    with_run: bool = True,
) -> Iterator[str]:
    """The build's quads, one N-Quads line each (order is not meaningful: stores sort);
    ``with_run=False`` leaves out the description of the run, for a store that has it."""
    iri = Minter(base_iri)
    run_iri = iri.run(run)
    if with_run:
        yield from _lines(_run(run_iri, run), "")
    for entity in entities:
        yield from _lines(_entity(iri, entity), "")
    graph = {doc.id: f" {_ref(iri.graph(doc.id))}" for doc in docs}
    for doc in docs:
        yield from _lines(_doc(iri, doc, authors.get(doc.id), run_iri), graph[doc.id])
    for m in mentions:
        yield from _lines(_mention(iri, m), graph[m.doc_id])
    for claim in claims:
        yield from _lines(_claim(iri, claim, run_iri), graph[claim.doc_id])
    for membership in memberships:
        yield from _lines(_membership(iri, membership), graph[membership.doc_id])


def chunks(lines: Iterable[str], max_chars: int = 1 << 24) -> Iterator[str]:
    """``lines`` joined into texts of about ``max_chars`` characters, the unit a store loads."""
    part: list[str] = []
    size = 0
    for line in lines:
        part.append(line)
        size += len(line)
        if size >= max_chars:
            yield "".join(part)
            part, size = [], 0
    if part:
        yield "".join(part)


def to_dataset(texts: Iterable[str], *, base_iri: str) -> Dataset:
    """rdflib's in-memory dataset of N-Quads ``texts`` (the ``--store memory`` build)."""
    ds = Dataset(default_union=True)
    bind_prefixes(ds, base_iri)
    ds.parse(data="".join(texts), format="nquads")
    return ds


# A triple here is three terms already in N-Quads syntax.
_Triple = tuple[str, str, str]

# What an IRI may hold unescaped here: RFC 3986's unreserved and reserved characters (square
# brackets only belong in a host) and valid percent escapes.
_IRI_SAFE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
# The same characters less "%": one search for the first other one is 4x faster than matching
# the whole IRI with the alternation above, and every minted IRI passes it.
_PLAIN_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=]")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _lines(triples: Iterator[_Triple], graph: str) -> Iterator[str]:
    for s, p, o in triples:
        yield f"{s} {p} {o}{graph} .\n"


def _ref(iri: str) -> str:
    """An IRI term. Minted IRIs are safe as they are; any other character (a source's URL can
    hold anything) is percent-encoded as UTF-8, as browsers write it: the same resource."""
    if _PLAIN_UNSAFE.search(iri) is None and iri.count("#") <= 1:
        return f"<{iri}>"
    out = []
    # Valid escapes stay; a "%" that starts none stands for itself ("%25"); only the first "#"
    # starts the fragment, a later one is a character of it ("%23").
    for m in re.finditer(r"%[0-9A-Fa-f]{2}|.", iri, re.DOTALL):
        part = m.group()
        keep = _IRI_SAFE.fullmatch(part) and not (part == "#" and "#" in out)
        out.append(part if keep else quote(part, safe=""))
    return "<" + "".join(out) + ">"


def _text(value: str) -> str:
    """A plain string literal (``xsd:string`` in RDF 1.1, written without its datatype)."""
    return f'"{value.translate(_ESCAPES)}"'


def _typed(value: str, datatype: URIRef) -> str:
    return f'"{value.translate(_ESCAPES)}"^^<{datatype}>'


def _int(value: int) -> str:
    return _typed(str(value), XSD.integer)


# The properties, written once in N-Quads syntax.
_TYPE = _ref(RDF.type)
_LABEL = _ref(RDFS.label)
_P = {name: _ref(getattr(ACC, name)) for name in ACC.__annotations__}
_OA = {name: _ref(OA[name]) for name in ("start", "end", "exact")}


def _canonical_decimal(value: float) -> str:
    """Two decimals in xsd:decimal's canonical form ("0.7", "1"), as Oxigraph stores them."""
    return format(Decimal(f"{value:.2f}").normalize(), "f")


def _run(node: str, run: RunInfo) -> Iterator[_Triple]:
    s = _ref(node)
    yield s, _TYPE, _ref(PROV.Activity)
    yield s, _LABEL, _text(f"acckg {run.software_version} build with {run.model_name}")
    yield s, _P["softwareVersion"], _text(run.software_version)
    yield s, _P["modelName"], _text(run.model_name)
    yield s, _P["modelVersion"], _text(run.model_version)
    yield s, _ref(PROV.endedAtTime), _typed(run.time, XSD.dateTime)


def _entity(iri: Minter, e: Entity) -> Iterator[_Triple]:
    s = _ref(iri.entity(e.id))
    yield s, _TYPE, _ref(ACC.Entity)
    yield s, _TYPE, _ref(TYPE_CLASS[e.type])
    yield s, _LABEL, _text(e.label)
    for alt in e.alt_labels:
        yield s, _ref(SKOS.altLabel), _text(alt)
    yield s, _P["mentionCount"], _int(e.mention_count)
    if e.description:
        yield s, _ref(SKOS.definition), _text(e.description)
    for other in e.broader:
        yield s, _ref(SKOS.broader), _ref(iri.entity(other))
    for other in e.related:
        yield s, _ref(SKOS.related), _ref(iri.entity(other))


def _doc(iri: Minter, doc: SourceDoc, author: str | None, run_iri: str) -> Iterator[_Triple]:
    s = _ref(iri.doc(doc.id))
    yield s, _TYPE, _ref(ACC.Document)
    yield s, _TYPE, _ref(PROV.Entity)
    yield s, _ref(DCTERMS.title), _text(doc.title)
    yield s, _P["sha256"], _text(doc.sha256)
    yield s, _ref(PROV.wasGeneratedBy), _ref(run_iri)
    if author is not None:
        yield s, _ref(DCTERMS.creator), _ref(iri.entity(author))
    if doc.date:
        yield s, _ref(DCTERMS.date), _text(doc.date)
    yield s, _ref(DCTERMS.source), _ref(doc.url) if doc.url else _text(doc.path)
    if doc.licence:
        yield s, _ref(DCTERMS.license), _text(doc.licence)


def _mention(iri: Minter, m: ResolvedMention) -> Iterator[_Triple]:
    s = _ref(iri.mention(m.doc_id, m.span.start, m.span.end))
    yield s, _TYPE, _ref(ACC.Mention)
    yield s, _P["denotes"], _ref(iri.entity(m.entity_id))
    yield s, _P["inDocument"], _ref(iri.doc(m.doc_id))
    yield s, _OA["start"], _int(m.span.start)
    yield s, _OA["end"], _int(m.span.end)
    yield s, _OA["exact"], _text(m.text)


def _claim(iri: Minter, c: Claim, run_iri: str) -> Iterator[_Triple]:
    s = _ref(iri.claim(c.id))
    doc = _ref(iri.doc(c.doc_id))
    yield s, _TYPE, _ref(ACC.Claim)
    yield s, _P["claimant"], _ref(iri.entity(c.claimant))
    yield s, _P["text"], _text(c.text)
    yield s, _P["subjectText"], _text(c.subject)
    yield s, _P["predicateText"], _text(c.predicate)
    yield s, _P["objectText"], _text(c.object)
    for about in c.about:
        yield s, _P["about"], _ref(iri.entity(about))
    yield s, _P["polarity"], _text(c.polarity.value)
    yield s, _P["modality"], _text(c.modality.value)
    yield s, _P["identityClaim"], _typed("true" if c.identity else "false", XSD.boolean)
    yield s, _P["confidence"], _typed(_canonical_decimal(c.confidence), XSD.decimal)
    yield s, _ref(PROV.wasDerivedFrom), doc
    yield s, _ref(PROV.wasGeneratedBy), _ref(run_iri)
    for other in c.agrees_with:
        yield s, _P["agreesWith"], _ref(iri.claim(other))
    for other in c.contrasts_with:
        yield s, _P["contrastsWith"], _ref(iri.claim(other))
    yield from _evidence(s, iri.evidence(c.id), c.evidence, c.evidence_text, doc)


def _membership(iri: Minter, m: Membership) -> Iterator[_Triple]:
    """``member schema:memberOf group`` in the document's graph, and the statement reified
    (``rdf:Statement``) so that it carries its evidence sentence like a claim does."""
    member, group = _ref(iri.entity(m.member)), _ref(iri.entity(m.group))
    yield member, _ref(MEMBER_OF), group
    s = _ref(iri.membership(m))
    yield s, _TYPE, _ref(RDF.Statement)
    yield s, _ref(RDF.subject), member
    yield s, _ref(RDF.predicate), _ref(MEMBER_OF)
    yield s, _ref(RDF.object), group
    yield from _evidence(s, iri.membership_evidence(m), m.evidence, m.evidence_text, _ref(iri.doc(m.doc_id)))


def _evidence(node: str, ev: str, span: CharSpan, text: str, doc: str) -> Iterator[_Triple]:
    """The sentence a statement rests on, as a Web Annotation text selector into its document."""
    e = _ref(ev)
    yield node, _P["evidence"], e
    yield e, _TYPE, _ref(ACC.Evidence)
    yield e, _TYPE, _ref(OA.TextQuoteSelector)
    yield e, _OA["start"], _int(span.start)
    yield e, _OA["end"], _int(span.end)
    yield e, _OA["exact"], _text(text)
    yield e, _P["inDocument"], doc
