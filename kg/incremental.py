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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from kg.attribute import ClaimIndex, attributed, memberships
from kg.ingest import slugify
from kg.kb import KBEntry, KnowledgeBase
from kg.model import Claim, DocAnalysis, Entity, EntityType, Membership, SourceDoc
from kg.resolve import Resolution, Tally, assign_ids, settle
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
    analyse: Callable[[Sequence[SourceDoc]], Iterable[DocAnalysis]],
    cached: Callable[[SourceDoc], DocAnalysis | None],
    timings: Timings,
    announce: Callable[[str], None],
    max_share: float | None = None,
) -> Change:
    """Brings ``memory`` from the documents it holds to ``docs`` and derives what changed.

    ``analyse`` gives the analyses of new or changed documents, in order, ``cached`` any analysed
    before (by their text's hash). Raises :class:`Stale` (``memory`` is then of no further use)
    when more than ``max_share`` of the corpus changed or a cached analysis is gone.

    No analysis is held longer than its document takes (a large corpus's analyses are most of a
    build's memory): each is counted as it comes, and read again when its statements are derived.
    """
    current = {d.id for d in docs}
    changed = [d for d in docs if memory.docs.get(d.id) != fields(d)]
    removed = [doc_id for doc_id in memory.docs if doc_id not in current]
    if max_share is not None and len(changed) + len(removed) > max_share * max(len(docs), 1):
        raise Stale(f"{len(changed) + len(removed)} of {len(docs)} documents changed")
    out = [d.id for d in changed if d.id in memory.docs] + removed
    was = [_as_was(doc_id, memory.docs[doc_id]) for doc_id in out]
    forms = kb.by_spelling
    tally = memory.tally
    touched: set[str] = set()
    # Only the counting is timed here: reading the cache is no stage, and the NLP times its own.
    for analysis in (_read(cached, doc) for doc in was):
        with timings.stage("entities"):
            for key in tally.count(analysis, forms, -1):
                touched.add(key)
                memory.mark(key, analysis.doc.id, names=False)
            del memory.docs[analysis.doc.id]
    for analysis in analyse(changed):
        with timings.stage("entities"):
            for key in tally.count(analysis, forms):
                touched.add(key)
                memory.mark(key, analysis.doc.id, names=True)
            memory.docs[analysis.doc.id] = fields(analysis.doc)
    announce("resolving entities")
    with timings.stage("entities"):
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
        described = (touched & live) | moved
    fresh = {d.id for d in changed}

    def analysis_of(doc: SourceDoc) -> DocAnalysis:
        if doc.id in fresh:  # analysed a moment ago: a cache that cannot give it back is analysed again
            found = cached(doc)
            return found if found is not None else next(iter(analyse([doc])))
        return _read(cached, doc)

    statements = _Statements(tally, ids, kb, forms, timings)
    # Unchanged documents that name an entity whose id changed, or whose type changed (a
    # membership needs a person or an organisation as the member), are stated anew.
    again = {doc_id for key in moved | retyped for doc_id in memory.key_docs.get(key, ())}
    announce("attributing claims")
    for doc in docs:
        if doc.id in fresh or doc.id in again:
            statements.add(analysis_of(doc))
    with timings.stage("claims"):
        related = memory.claims.update([*statements.docs, *removed], statements.claims())
    # Unchanged documents holding a claim whose relations changed are stated anew too.
    holding = {doc_id for doc_id, _ in related} - statements.docs.keys()
    for doc in docs:
        if doc.id in holding:
            statements.add(analysis_of(doc))
    with timings.stage("claims"):
        claims = memory.claims.related(statements.claims(order=docs))
    return Change(
        docs=[d for d in docs if d.id in statements.docs],
        resolution=statements.resolution(described, order=docs),
        claims=claims,
        memberships=sorted(statements.memberships(), key=lambda m: (m.doc_id, m.evidence.start, m.member, m.group)),
        dropped_docs={*statements.docs, *(d.id for d in was)},
        dropped_entities={old_ids[key] for key in described | touched if key in old_ids},
    )


class _Statements:
    """The values each stated document's statements are written from, derived from its analysis
    one document at a time; the analysis itself is let go."""

    def __init__(
        self, tally: Tally, ids: dict[str, str], kb: KnowledgeBase, forms: dict[str, KBEntry], timings: Timings
    ) -> None:
        self.tally, self.ids, self.kb, self.forms, self.timings = tally, ids, kb, forms, timings
        self.entities: dict[str, Entity] = {}  # key -> its entity, made once however many documents name it
        self.docs: dict[str, tuple[Resolution, list[Claim], list[Membership]]] = {}

    def add(self, analysis: DocAnalysis) -> None:
        with self.timings.stage("entities"):
            resolution = settle(self.tally, self.ids, [analysis], (), self.kb, self.forms, made=self.entities)
        with self.timings.stage("claims"):
            claims = attributed([analysis], resolution)
            members = memberships([analysis], resolution)
        self.docs[analysis.doc.id] = (replace(resolution, entities=()), claims, members)

    def _in(self, order: Sequence[SourceDoc] | None) -> list[tuple[Resolution, list[Claim], list[Membership]]]:
        ids = list(self.docs) if order is None else [d.id for d in order if d.id in self.docs]
        return [self.docs[doc_id] for doc_id in ids]

    def claims(self, order: Sequence[SourceDoc] | None = None) -> list[Claim]:
        """Every claim, by document in the order they were added or in ``order``."""
        return [c for _, claims, _ in self._in(order) for c in claims]

    def memberships(self) -> list[Membership]:
        return [m for _, _, members in self._in(None) for m in members]

    def resolution(self, described: Iterable[str], order: Sequence[SourceDoc]) -> Resolution:
        """The entities of ``described`` and of every key a stated document names; its mentions."""
        for key in described:
            if key not in self.entities:
                self.entities[key] = self.tally.entity(key, self.ids[key], self.kb)
        parts = [r for r, _, _ in self._in(order)]
        return Resolution(
            entities=tuple(sorted(self.entities.values(), key=lambda e: e.id)),
            mentions=tuple(m for r in parts for m in r.mentions),
            key_to_entity={k: v for r in parts for k, v in r.key_to_entity.items()},
            authors={d: a for r in parts for d, a in r.authors.items()},
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
