"""The whole pipeline, top to bottom: ingest -> NLP -> resolve -> attribute -> RDF."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from kg.attribute import attribute, memberships
from kg.config import Settings
from kg.graph import KnowledgeGraph
from kg.ingest import read_sources
from kg.kb import load_kb
from kg.model import RunInfo, SourceDoc
from kg.nlp.pipeline import analyse, load_pipeline
from kg.rdf import build_dataset
from kg.resolve import resolve

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
        stamp = max((int(Path(d.path).stat().st_mtime) for d in docs if Path(d.path).exists()), default=0)
    return datetime.fromtimestamp(stamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_graph(
    paths: Sequence[str | Path],
    settings: Settings,
    *,
    on_start: Callable[[int], None] | None = None,
    on_done: Progress | None = None,
) -> KnowledgeGraph:
    docs = read_sources(paths, max_bytes=settings.max_bytes)
    kb = load_kb(settings.kb_paths)
    nlp = load_pipeline(settings)
    if on_start is not None:
        on_start(len(docs))
    analyses = analyse(docs, nlp, on_done=on_done)
    resolution = resolve(analyses, kb)
    claims = attribute(analyses, resolution)
    run = RunInfo(
        software_version=software_version(),
        model_name=settings.model,
        model_version=str(nlp.meta.get("version", "unknown")),
        time=reproducible_time(docs),
    )
    ds = build_dataset(
        docs,
        resolution.entities,
        resolution.mentions,
        claims,
        resolution.authors,
        run,
        memberships=memberships(analyses, resolution),
        base_iri=settings.base_iri,
    )
    return KnowledgeGraph(ds, base_iri=settings.base_iri)
