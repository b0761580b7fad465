"""Entities and claims of a corpus, derived from the previous build's where one exists.

An entity is decided by sums over the documents that mention its key (:class:`kg.resolve.Tally`),
and claims are related through an index of their words (:class:`kg.attribute.ClaimIndex`). A
build keeps both (:class:`Memory`, pickled beside its store with its digests), so a rebuild
takes out the documents that changed or went, puts in their new versions, and reads again only
the unchanged documents whose statements depend on what moved: those that name an entity whose
id or type changed, and those holding a claim whose relations changed. Everything else the
previous build stated stays as it was. A first build is the same procedure from an empty
memory, so a rebuild gives the graph a build from scratch gives (``tests/test_delta.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kg.attribute import ClaimIndex, attributed, memberships
from kg.ingest import slugify
from kg.kb import KnowledgeBase
from kg.model import Claim, DocAnalysis, EntityType, Membership, SourceDoc
from kg.resolve import Resolution, Tally, assign_ids, kb_forms, settle
from kg.timings import Timings

# What a document's analysis and statements depend on besides its text's hash: path, sha256,
# title, author, date, url, licence.
DocFields = tuple[str, str, str, str | None, str | None, str | None, str | None]


def fields(doc: SourceDoc) -> DocFields:
    return (doc.path, doc.sha256, doc.title, doc.author, doc.date, doc.url, doc.licence)


@dataclass
class Memory:
    """What a build keeps so that the next one derives only what changed."""

    docs: dict[str, DocFields] = field(default_factory=dict)
    key_docs: dict[str, set[str] | tuple[str, ...]] = field(default_factory=dict)  # key -> documents naming it
    tally: Tally = field(default_factory=Tally)
    slugs: dict[str, str] = field(default_factory=dict)  # key -> its label's slug
    ids: dict[str, str] = field(default_factory=dict)  # key -> entity id
    types: dict[str, EntityType] = field(default_factory=dict)  # key -> its entity's type
    claims: ClaimIndex = field(default_factory=ClaimIndex)

    def mark(self, key: str, doc_id: str, *, names: bool) -> None:
        """Records whether document ``doc_id`` names ``key``."""
        docs = self.key_docs.get(key, ())
        docs = docs if isinstance(docs, set) else set(docs)
        if names:
            docs.add(doc_id)
        else:
            docs.discard(doc_id)
        if docs:
            self.key_docs[key] = docs
        else:
            self.key_docs.pop(key, None)

    def compact(self) -> None:
        """Keeps the counts and document lists as tuples, the form they are saved and read back in:
        a rebuild changes a few of them and leaves the rest compact."""
        self.tally.compact()
        for key, docs in self.key_docs.items():
            if isinstance(docs, set):
                self.key_docs[key] = tuple(sorted(docs))


@dataclass(frozen=True)
class Change:
    """The values of the documents a derivation derived (anew), and what it left as it was."""

    docs: list[SourceDoc]  # in corpus order
    resolution: Resolution
    claims: list[Claim]
    memberships: list[Membership]
    dropped_docs: set[str]  # documents of the previous build whose values are new here or gone
    dropped_entities: set[str]  # entity ids of the previous build described anew here or gone


class Stale(Exception):
    """The previous build's memory cannot be brought up to date: derive from scratch."""


def derive_change(
    memory: Memory,
    docs: Sequence[SourceDoc],
    kb: KnowledgeBase,
    *,
    analyse: Callable[[Sequence[SourceDoc]], list[DocAnalysis]],
    cached: Callable[[SourceDoc], DocAnalysis | None],
    timings: Timings,
    announce: Callable[[str], None],
    max_share: float | None = None,
) -> Change:
    """Brings ``memory`` from the documents it holds to ``docs`` and derives what changed.

    ``analyse`` gives the analyses of new or changed documents, ``cached`` those of documents
    analysed before (by their text's hash). Raises :class:`Stale` (``memory`` is then of no
    further use) when more than ``max_share`` of the corpus changed or a cached analysis is gone.
    """
    current = {d.id for d in docs}
    changed = [d for d in docs if memory.docs.get(d.id) != fields(d)]
    removed = [doc_id for doc_id in memory.docs if doc_id not in current]
    if max_share is not None and len(changed) + len(removed) > max_share * max(len(docs), 1):
        raise Stale(f"{len(changed) + len(removed)} of {len(docs)} documents changed")
    before = [
        _read(cached, _as_was(doc_id, memory.docs[doc_id]))
        for doc_id in [d.id for d in changed] + removed
        if doc_id in memory.docs
    ]
    fresh = analyse(changed)
    forms = kb_forms(kb)
    tally = memory.tally
    announce("resolving entities")
    with timings.stage("entities"):
        touched: set[str] = set()
        for analysis in before:
            doc_id = analysis.doc.id
            for key in tally.count(analysis, forms, -1):
                touched.add(key)
                memory.mark(key, doc_id, names=False)
            del memory.docs[doc_id]
        for analysis in fresh:
            doc_id = analysis.doc.id
            for key in tally.count(analysis, forms):
                touched.add(key)
                memory.mark(key, doc_id, names=True)
            memory.docs[doc_id] = fields(analysis.doc)
        live = tally.keys()
        retyped = set()
        for key in touched:
            if key in live:
                label, entity_type = tally.decide(key, kb)
                memory.slugs[key] = slugify(label)
                if memory.types.get(key) != entity_type:
                    memory.types[key] = entity_type
                    retyped.add(key)
            else:
                memory.slugs.pop(key, None)
                memory.types.pop(key, None)
        old_ids, ids = memory.ids, assign_ids(memory.slugs, kb)
        moved = {key for key, entity_id in ids.items() if old_ids.get(key) != entity_id}
        memory.ids = ids
        # Unchanged documents that name an entity whose id changed, or whose type changed (a
        # membership needs a person or an organisation as the member), are stated anew.
        again = {doc_id for key in moved | retyped for doc_id in memory.key_docs.get(key, ())}
        again -= {d.id for d in changed}
        analyses = _in_order(docs, fresh, [_read(cached, d) for d in docs if d.id in again])
        described = (touched & live) | moved
        resolution = settle(tally, ids, analyses, described, kb, forms)
    announce("attributing claims")
    with timings.stage("claims"):
        claims = attributed(analyses, resolution)
        related = memory.claims.update([*(a.doc.id for a in analyses), *removed], claims)
        # Unchanged documents holding a claim whose relations changed are stated anew too.
        holding = {doc_id for doc_id, _ in related} - {a.doc.id for a in analyses}
        more = [_read(cached, d) for d in docs if d.id in holding]
        if more:
            analyses = _in_order(docs, analyses, more)
            resolution = settle(tally, ids, analyses, described, kb, forms)
            claims += attributed(more, resolution)
        claims = memory.claims.related(claims)
        members = memberships(analyses, resolution)
    return Change(
        docs=[a.doc for a in analyses],
        resolution=resolution,
        claims=claims,
        memberships=members,
        dropped_docs={a.doc.id for a in [*analyses, *before]},
        dropped_entities={old_ids[key] for key in described | touched if key in old_ids},
    )


def _as_was(doc_id: str, was: DocFields) -> SourceDoc:
    """A document as the previous build read it (its text is not kept; its analysis has it)."""
    path, sha256, title, author, date, url, licence = was
    return SourceDoc(doc_id, path, "", sha256, title, author, date, url, licence)


def _read(cached: Callable[[SourceDoc], DocAnalysis | None], doc: SourceDoc) -> DocAnalysis:
    analysis = cached(doc)
    if analysis is None:
        raise Stale(f"no cached analysis of {doc.id}")
    return analysis


def _in_order(docs: Sequence[SourceDoc], *parts: Sequence[DocAnalysis]) -> list[DocAnalysis]:
    by_id = {a.doc.id: a for part in parts for a in part}
    return [by_id[d.id] for d in docs if d.id in by_id]
