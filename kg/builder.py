"""The whole pipeline, top to bottom: ingest -> NLP -> resolve -> attribute -> RDF."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from kg.attribute import attribute
from kg.config import Settings
from kg.executors import analyse_corpus
from kg.graph import KnowledgeGraph
from kg.ingest import count_sources, iter_sources, source_files
from kg.kb import load_kb
from kg.model import DocAnalysis, RunInfo, SourceDoc
from kg.nlp.pipeline import model_version
from kg.rdf import build_dataset
from kg.resolve import resolve
from kg.timings import Timings

Progress = Callable[[SourceDoc], None]


def software_version() -> str:
    try:
        return version("acckg")
    except PackageNotFoundError:
        return "0+unknown"


def reproducible_time(files: Sequence[Path]) -> str:
    """The build time recorded in the graph, chosen so that rebuilding gives identical bytes.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) wins; otherwise the newest
    modification time among the inputs, which is when their content last changed.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        stamp = int(epoch)
    else:
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
) -> KnowledgeGraph:
    """Build the graph of ``paths``; ``jobs``, ``executor`` and ``scheduler`` say where the NLP runs
    (see :func:`kg.executors.analyse_corpus`) and never change the output."""
    timings = timings if timings is not None else Timings()
    with timings.stage("ingest"):
        # Every input is checked before the long part starts; then it is read again, one document at a time.
        count = count_sources(paths, max_bytes=settings.max_bytes, text_field=settings.text_field)
    kb = load_kb(settings.kb_paths)
    if on_start is not None:
        on_start(count)
    analyses: list[DocAnalysis] = []
    docs = iter_sources(paths, max_bytes=settings.max_bytes, text_field=settings.text_field)
    for analysis in analyse_corpus(docs, settings, jobs=jobs, executor=executor, scheduler=scheduler, timings=timings):
        analyses.append(analysis)
        if on_done is not None:
            on_done(analysis.doc)
    with timings.stage("entities"):
        resolution = resolve(analyses, kb)
    with timings.stage("claims"):
        claims = attribute(analyses, resolution)
    run = RunInfo(
        software_version=software_version(),
        model_name=settings.model,
        model_version=model_version(settings),
        time=reproducible_time(source_files(paths)),
    )
    with timings.stage("rdf"):
        ds = build_dataset(
            [a.doc for a in analyses],
            resolution.entities,
            resolution.mentions,
            claims,
            resolution.authors,
            run,
            base_iri=settings.base_iri,
        )
    return KnowledgeGraph(ds, base_iri=settings.base_iri)
