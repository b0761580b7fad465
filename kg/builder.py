"""The whole pipeline, top to bottom: ingest -> NLP -> resolve -> attribute -> RDF."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rdflib import Dataset

from kg import backends
from kg.attribute import attribute, memberships
from kg.cache import CACHE_DIR, AnalysisCache, fingerprint, model_version
from kg.config import Settings
from kg.errors import ValidationError
from kg.executors import analyse_corpus
from kg.graph import KnowledgeGraph
from kg.ingest import read_sources
from kg.kb import load_kb
from kg.model import DocAnalysis, RunInfo, SourceDoc
from kg.nlp.pipeline import cached_pipeline
from kg.rdf import build_dataset
from kg.resolve import resolve
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


def build_graph(
    paths: Sequence[str | Path],
    settings: Settings,
    *,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    timings: Timings | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Progress | None = None,
    cache_dir: Path | None = None,
) -> KnowledgeGraph:
    """Build the graph of ``paths``; ``jobs``, ``executor`` and ``scheduler`` say where the NLP runs
    (see :func:`kg.executors.analyse_corpus`) and never change the output."""
    timings = timings if timings is not None else Timings()
    with timings.stage("ingest"):
        docs = read_sources(paths, max_bytes=settings.max_bytes, text_field=settings.text_field)
    return derive_graph(
        docs,
        settings,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        timings=timings,
        on_start=on_start,
        on_done=on_done,
        cache_dir=cache_dir,
    )


def derive_graph(
    docs: Sequence[SourceDoc],
    settings: Settings,
    *,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    timings: Timings | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Progress | None = None,
    cache_dir: Path | None = None,
) -> KnowledgeGraph:
    timings = timings if timings is not None else Timings()
    kb = load_kb(settings.kb_paths)
    if on_start is not None:
        on_start(len(docs))

    def run_nlp(todo: Sequence[SourceDoc]) -> list[DocAnalysis]:
        # spaCy loads only when some document is not in the cache, and only where the NLP runs.
        done = []
        for analysis in analyse_corpus(
            todo, settings, jobs=jobs, executor=executor, scheduler=scheduler, timings=timings
        ):
            done.append(analysis)
            if on_done is not None:
                on_done(analysis.doc)
        return done

    model = model_version(settings) or str(cached_pipeline(settings).meta.get("version", "unknown"))
    if cache_dir is None:
        analyses = run_nlp(docs)
    else:
        analyses = AnalysisCache(cache_dir, settings, model).analyse(docs, run_nlp, on_hit=on_done)
    with timings.stage("entities"):
        resolution = resolve(analyses, kb)
    with timings.stage("claims"):
        claims = attribute(analyses, resolution)
    run = RunInfo(
        software_version=software_version(),
        model_name=settings.model,
        model_version=model,
        time=reproducible_time(docs),
    )
    with timings.stage("entities"):
        members = memberships(analyses, resolution)
    with timings.stage("rdf"):
        ds = build_dataset(
            docs,
            resolution.entities,
            resolution.mentions,
            claims,
            resolution.authors,
            run,
            memberships=members,
            base_iri=settings.base_iri,
        )
    return KnowledgeGraph(ds, base_iri=settings.base_iri)


def check_shapes(ds: Dataset) -> None:
    """Refuse to save a graph that breaks the vocabulary's SHACL shapes: that is a bug to report."""
    violations = validate(ds)
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


def build_into(
    paths: Sequence[str | Path],
    settings: Settings,
    out: Path,
    *,
    store: str = backends.OXIGRAPH,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    timings: Timings | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Progress | None = None,
    validate_shapes: bool = True,
) -> Persisted:
    """Build ``paths`` into ``out`` incrementally: analyses come from ``OUT/cache`` where the
    text is unchanged, and a store built from the very same inputs is kept as it is."""
    backends.check(store)
    timings = timings if timings is not None else Timings()
    with timings.stage("ingest"):
        docs = read_sources(paths, max_bytes=settings.max_bytes, text_field=settings.text_field)
    load_kb(settings.kb_paths)  # a broken knowledge base fails before anything else
    # A pipeline that is neither an installed package nor a folder is loaded once to learn its version.
    model = model_version(settings) or str(cached_pipeline(settings).meta.get("version", "unknown"))
    stamp = fingerprint(docs, settings, model, reproducible_time(docs))
    if stamp == backends.built_fingerprint(out, store):
        graph = KnowledgeGraph(
            backends.open_dataset(out, store=store, base_iri=settings.base_iri), base_iri=settings.base_iri
        )
        return Persisted(graph, backends.location(out, store), changed=False)
    fresh = derive_graph(
        docs,
        settings,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        timings=timings,
        on_start=on_start,
        on_done=on_done,
        cache_dir=out / CACHE_DIR,
    )
    if validate_shapes:
        check_shapes(fresh.dataset)
    with timings.stage("store"):
        where = backends.save(fresh.dataset, out, store=store, fingerprint=stamp)
    return Persisted(fresh, where, changed=True)
