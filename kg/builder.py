"""The whole pipeline, top to bottom: ingest -> NLP -> resolve -> attribute -> RDF."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from kg import backends, entitygraph, records
from kg.cache import CACHE_DIR, AnalysisCache, fingerprint, model_version, setup_digest
from kg.config import Settings
from kg.delta import MAX_SHARE, BuildState, Delta, diff, state_of
from kg.embedded import as_dataset
from kg.entitygraph import EntityLinks
from kg.errors import ValidationError
from kg.executors import analyse_corpus
from kg.graph import KnowledgeGraph
from kg.incremental import Change, Memory, Stale, derive_change
from kg.ingest import read_sources
from kg.kb import load_kb
from kg.model import Claim, DocAnalysis, Membership, RunInfo, SourceDoc
from kg.nlp.pipeline import cached_pipeline
from kg.rdf import Minter, chunks, nquads, to_dataset
from kg.records import Records
from kg.resolve import Resolution
from kg.timings import Timings
from kg.validate import validate

Progress = Callable[[SourceDoc], None]


def software_version() -> str:
    try:
        return version("acckg")
    except PackageNotFoundError:
        return "0+unknown"


def reproducible_time(docs: Sequence[SourceDoc]) -> str:
    """The build time recorded in the graph, chosen so that rebuilding gives identical bytes.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) wins; otherwise the newest
    modification time among the inputs, which is when their content last changed.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        stamp = int(epoch)
    else:
        files = {Path(re.sub(r"#line=\d+$", "", d.path)) for d in docs}  # a JSON Lines document is a line of its file
        stamp = max((int(path.stat().st_mtime) for path in files if path.exists()), default=0)
    return datetime.fromtimestamp(stamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pipeline_version(settings: Settings) -> str:
    """The spaCy pipeline's version; one that is neither an installed package nor a folder is
    loaded once (and kept) to learn it."""
    return model_version(settings) or str(cached_pipeline(settings).meta.get("version", "unknown"))


@dataclass(frozen=True)
class Execution:
    """Where and how the NLP runs (see :func:`kg.executors.analyse_corpus`), and who is told
    about progress; none of it changes the output."""

    jobs: int = 1
    executor: str = "local"
    scheduler: str | None = None
    timings: Timings = field(default_factory=Timings)
    on_start: Callable[[int], None] | None = None
    on_done: Progress | None = None
    on_stage: Callable[[str], None] | None = None  # told what the build does next, after the NLP

    def announce(self, what: str) -> None:
        if self.on_stage is not None:
            self.on_stage(what)


@dataclass(frozen=True)
class Derived:
    """Everything a build states, as typed values; :meth:`lines` writes it as N-Quads."""

    docs: Sequence[SourceDoc]
    resolution: Resolution
    claims: Sequence[Claim]
    memberships: Sequence[Membership]
    run: RunInfo
    base_iri: str
    memory: Memory | None = None  # what the next build derives from
    # The previous build's digests of everything the values above leave as it was; None when
    # they are the whole build.
    carried: BuildState | None = None

    def lines(self, only: Delta | None = None) -> Iterator[str]:
        """Every statement, or ``only`` those of the documents and entities a rebuild changed."""
        r = self.resolution
        if only is None:
            if self.carried is not None:
                raise ValueError("a rebuild's derived values are not the whole graph")
            return nquads(
                self.docs,
                r.entities,
                r.mentions,
                self.claims,
                r.authors,
                self.run,
                memberships=self.memberships,
                base_iri=self.base_iri,
            )
        docs = only.docs
        return nquads(
            [d for d in self.docs if d.id in docs],
            [e for e in r.entities if e.id in only.entities],
            [m for m in r.mentions if m.doc_id in docs],
            [c for c in self.claims if c.doc_id in docs],
            r.authors,
            self.run,
            memberships=[m for m in self.memberships if m.doc_id in docs],
            base_iri=self.base_iri,
            with_run=only.run,
        )

    def state(self, setup: str) -> BuildState:
        r = self.resolution
        new = state_of(setup, self.docs, r.entities, r.mentions, self.claims, self.memberships, r.authors, self.run)
        if self.carried is not None:
            new = replace(new, docs=self.carried.docs | new.docs, entities=self.carried.entities | new.entities)
        return replace(new, memory=self.memory)

    def links(self) -> EntityLinks:
        """The entity graph of everything this build states, from the values its statements are
        written from (the same as :meth:`KnowledgeGraph.to_networkx` reads from them, without the
        read: ``tests/test_delta.py``)."""
        r = self.resolution
        located = [(c.doc_id, c.evidence) for c in self.claims] + [(m.doc_id, m.evidence) for m in self.memberships]
        weights = entitygraph.link_weights(
            mentions=((m.doc_id, m.span.start, m.entity_id) for m in r.mentions),
            evidence=((doc, span.start, span.end) for doc, span in located),
            reports=((c.doc_id, c.claimant, about) for c in self.claims for about in c.about),
            authors=set(r.authors.items()),
        )
        touching = entitygraph.claims_touching((c.id, c.claimant, c.about) for c in self.claims)
        nodes = {e.id: (e.label, e.type.value, e.mention_count) for e in r.entities}
        return EntityLinks.of(nodes, entitygraph.Part(weights, touching, len(self.claims)))

    def replaced(self, delta: Delta) -> tuple[set[str], set[str], set[str]]:
        """The IRIs a rebuild replaces in the store: named graphs, default-graph subjects, and
        the entities among them whose class changed."""
        iri = Minter(self.base_iri)
        graphs = {iri.graph(d) for d in delta.docs | delta.removed_docs}
        subjects = {iri.entity(e) for e in delta.entities | delta.removed_entities}
        if delta.run:
            subjects.add(iri.run(self.run))
        return graphs, subjects, {iri.entity(e) for e in delta.retyped}


def build_graph(paths: Sequence[str | Path], settings: Settings, execution: Execution | None = None) -> KnowledgeGraph:
    """Build the graph of ``paths`` in memory (rdflib)."""
    execution = execution or Execution()
    with execution.timings.stage("ingest"):
        docs = read_sources(paths, max_bytes=settings.max_bytes, text_field=settings.text_field)
    derived = derive(docs, settings, execution, pipeline_version(settings))
    with execution.timings.stage("rdf"):
        ds = to_dataset(chunks(derived.lines()), base_iri=settings.base_iri)
    return KnowledgeGraph(ds, base_iri=settings.base_iri)


def derive(
    docs: Sequence[SourceDoc],
    settings: Settings,
    execution: Execution,
    model: str,
    cache_dir: Path | None = None,
    previous: BuildState | None = None,
    memory: Memory | None = None,
) -> Derived:
    """NLP (or the cache), entity resolution and claim attribution of ``docs``: only of what
    changed since the ``previous`` build where its ``memory`` (kept with the same setup) serves."""
    timings = execution.timings
    kb = load_kb(settings.kb_paths)

    def run_nlp(todo: Sequence[SourceDoc]) -> Iterator[DocAnalysis]:
        # spaCy loads only when some document is not in the cache, and only where the NLP runs.
        for analysis in analyse_corpus(
            todo,
            settings,
            jobs=execution.jobs,
            executor=execution.executor,
            scheduler=execution.scheduler,
            timings=timings,
        ):
            if execution.on_done is not None:
                execution.on_done(analysis.doc)
            yield analysis

    cache = AnalysisCache(cache_dir, settings, model) if cache_dir is not None else None
    kept: dict[str, DocAnalysis] = {}  # without a cache, the analyses stay in memory to be read again

    def analyse(todo: Sequence[SourceDoc]) -> Iterable[DocAnalysis]:
        if execution.on_start is not None:
            execution.on_start(len(todo))
        if cache is not None:
            return cache.analyse(todo, run_nlp, on_hit=execution.on_done)
        kept.update((a.doc.id, a) for a in run_nlp(todo))
        return [kept[d.id] for d in todo]

    def cached(doc: SourceDoc) -> DocAnalysis | None:
        return cache.get(doc) if cache is not None else kept.get(doc.id)

    def change_from(memory: Memory, max_share: float | None = None) -> Change:
        return derive_change(
            memory,
            docs,
            kb,
            analyse=analyse,
            cached=cached,
            timings=timings,
            announce=execution.announce,
            max_share=max_share,
        )

    carried: BuildState | None = None
    change = None
    if previous is not None and memory is not None and cache is not None:
        try:
            change, carried = change_from(memory, MAX_SHARE), previous
        except Stale:
            memory = None  # part changed, of no further use
    if change is None:
        memory = Memory()
        change = change_from(memory)
    run = RunInfo(
        software_version=software_version(),
        model_name=settings.model,
        model_version=model,
        time=reproducible_time(docs),
    )
    if carried is not None:
        carried = replace(
            carried,
            docs={d: digest for d, digest in carried.docs.items() if d not in change.dropped_docs},
            entities={e: v for e, v in carried.entities.items() if e not in change.dropped_entities},
            memory=None,
        )
    return Derived(
        change.docs, change.resolution, change.claims, change.memberships, run, settings.base_iri, memory, carried
    )


def check_shapes(graph: Dataset | ox.Store, *, threads: int = 1, focus: set[str] | None = None) -> None:
    """Refuse to save a graph that breaks the vocabulary's SHACL shapes: that is a bug to report."""
    violations = validate(graph, threads=threads, focus=focus)
    if violations:
        raise ValidationError(
            f"E601 the new graph violates the SHACL shapes ({len(violations)} results; first: {violations[0]}); "
            "the previous build was kept (please report this)"
        )


@dataclass(frozen=True)
class Persisted:
    graph: KnowledgeGraph
    location: str
    changed: bool  # False when the same inputs were already built there
    update: Delta | None = None  # what a rebuild replaced in the previous store; None when written anew
    records_path: Path | None = None  # where the claims and entities its map reads are kept

    def keep_records(self) -> None:
        """Saves the claims and entities read since the build (by its map) beside the store, for
        the next build's map (see :mod:`kg.records`)."""
        if self.graph.records is not None and self.records_path is not None:
            self.graph.records.save(self.records_path)


def build_into(
    paths: Sequence[str | Path],
    settings: Settings,
    out: Path,
    *,
    store: str = backends.OXIGRAPH,
    execution: Execution | None = None,
    validate_shapes: bool = True,
) -> Persisted:
    """Build ``paths`` into ``out`` incrementally: analyses come from ``OUT/cache`` where the
    text is unchanged, a store built from the very same inputs is kept as it is, and a store
    built from the same setup gets only the statements that changed (:mod:`kg.delta`)."""
    backends.check(store)
    execution = execution or Execution()
    timings = execution.timings
    with timings.stage("ingest"):
        docs = read_sources(paths, max_bytes=settings.max_bytes, text_field=settings.text_field)
    load_kb(settings.kb_paths)  # a broken knowledge base fails before anything else
    model = pipeline_version(settings)
    stamp = fingerprint(docs, settings, model, reproducible_time(docs))
    changed = stamp != backends.built_fingerprint(out, store)
    ds = None
    delta = None
    links: _EntityLinks | None = None
    if changed:
        setup = setup_digest(settings, model)
        previous = _previous_state(out, store, setup)
        memory = previous.memory if previous is not None else None
        if previous is not None:
            previous = replace(previous, memory=None)  # derive owns the memory, and drops it if stale
        derived = derive(docs, settings, execution, model, cache_dir=out / CACHE_DIR, previous=previous, memory=memory)
        del memory

        def accept(graph: Dataset | ox.Store, focus: set[str] | None = None) -> None:
            if validate_shapes:
                execution.announce("checking the SHACL shapes")
                with timings.stage("validate"):
                    check_shapes(graph, threads=execution.jobs, focus=focus)

        execution.announce("writing the store")
        with timings.stage("store"):
            state = derived.state(setup)
            delta = _delta(previous, state, len(docs), partial=derived.carried is not None)
            if delta is None:
                texts = timings.timed("rdf", chunks(derived.lines()))
                links = _EntityLinks(derived, None)
                ds = backends.save(
                    texts,
                    out,
                    store=store,
                    fingerprint=stamp,
                    base_iri=settings.base_iri,
                    accept=accept,
                    state=state.dumps(),
                    extras=links,
                    beside_check=execution.jobs > 1,  # the check's threads, and one more beside them
                )
            else:
                graphs, subjects, retyped = derived.replaced(delta)
                texts = timings.timed("rdf", chunks(derived.lines(delta)))
                links = _EntityLinks(derived, (delta, graphs))
                backends.update(
                    texts,
                    out,
                    fingerprint=stamp,
                    graphs=graphs,
                    subjects=subjects,
                    retyped=retyped,
                    accept=accept,
                    state=state.dumps(),
                    extras=links,
                )
    if ds is None:  # read back from the store (read-only): Oxigraph answers the map's and the summary's queries
        ds = backends.open_dataset(out, store=store, base_iri=settings.base_iri)
        saved = links.saved if links is not None else None
        kept = links.records if links is not None else None
        graph = KnowledgeGraph(
            ds,
            base_iri=settings.base_iri,
            text_index=backends.text_index(out, store=store),
            entity_links=saved if saved is not None else backends.entity_links(out, store=store),
            records=kept if kept is not None else backends.records(out, settings.base_iri, store=store),
            frozen=True,
        )
    else:
        graph = KnowledgeGraph(ds, base_iri=settings.base_iri)
    return Persisted(
        graph,
        backends.location(out, store),
        changed=changed,
        update=delta,
        records_path=backends.records_path(out, store=store),
    )


def _previous_state(out: Path, store: str, setup: str) -> BuildState | None:
    data = backends.previous_state(out, store)
    return BuildState.loads(data, setup=setup) if data is not None else None


def _delta(previous: BuildState | None, state: BuildState, total_docs: int, *, partial: bool) -> Delta | None:
    """What to change in the previous store, or None to write a new one. A rebuild that derived
    only part of the graph (``partial``) always changes the previous store."""
    delta = diff(previous, state) if previous is not None else None
    if partial:
        assert delta is not None, "a partial derivation needs the previous build of the same setup"
        return delta
    return delta if delta is not None and delta.worth_it(total_docs) else None


class _EntityLinks:
    """Saves the entity graph beside a new database (see :mod:`kg.entitygraph`): that of
    ``derived``, or, for a ``change`` (the delta and the named graphs it replaced), the previous
    database's with the weights and claims of those graphs exchanged and the changed entities described
    again (only the replaced graphs are read, from the old store and the new). Keeps what it
    saved (``saved``), so that the build's map need not read it back, and, for a change, the
    previous map's records that are still true (``records``, see :mod:`kg.records`)."""

    def __init__(self, derived: Derived, change: tuple[Delta, set[str]] | None) -> None:
        self.derived, self.change = derived, change
        self.saved: EntityLinks | None = None
        self.records: Records | None = None

    def __call__(self, db: ox.Store, folder: Path, previous: Path | None) -> None:
        base_iri, change = self.derived.base_iri, self.change
        kept = EntityLinks.load(previous / entitygraph.FILE) if previous is not None and change else None
        if change is None:
            links = self.derived.links()
        elif kept is None or previous is None:  # the previous database has no entity graph: read the new one's
            whole = KnowledgeGraph(as_dataset(db, base_iri=base_iri), base_iri=base_iri)
            links = EntityLinks.of(whole.entity_nodes(), whole.links_in())
        else:
            delta, graphs = change
            new = KnowledgeGraph(as_dataset(db, base_iri=base_iri), base_iri=base_iri)
            old = KnowledgeGraph(as_dataset(ox.Store.read_only(str(previous)), base_iri=base_iri), base_iri=base_iri)
            links = kept.updated(
                gone=delta.removed_entities | delta.entities,
                nodes=new.entity_nodes(delta.entities),
                removed=old.links_in(graphs),
                added=new.links_in(graphs),
            )
        links.save(folder / entitygraph.FILE)
        self.saved = links
        if change is not None and previous is not None:
            delta = change[0]
            read = Records.load(previous / records.FILE, base_iri)
            self.records = read.without(delta.docs | delta.removed_docs, delta.entities | delta.removed_entities)
