"""acckg: a knowledge graph of who claims what in the AI and accelerationism discourse.

Examples
--------
>>> import kg
>>> g = kg.build(["sources/import-ai-384.txt"])
>>> "Nick Land" in {e.label for e in g.entities("Person")}
True
>>> any(c.identity for c in g.claims(by="Nick Land"))
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kg.config import DEFAULT_BASE_IRI, DEFAULT_MODEL, Settings
from kg.errors import KgError, KnowledgeBaseError, QueryError, SourceError, UsageError
from kg.graph import KnowledgeGraph, Summary
from kg.model import Claim, Entity, EntityType, Modality, Polarity
from kg.query import QueryResult
from kg.store import write_atomic

__all__ = [
    "Claim",
    "Entity",
    "EntityType",
    "KgError",
    "KnowledgeBaseError",
    "KnowledgeGraph",
    "Modality",
    "Polarity",
    "QueryError",
    "QueryResult",
    "Settings",
    "SourceError",
    "Summary",
    "UsageError",
    "build",
    "load",
    "write_atomic",
]


def build(
    paths: Sequence[str | Path] = ("sources",),
    *,
    model: str = DEFAULT_MODEL,
    kb: Sequence[str | Path] = (),
    base_iri: str = DEFAULT_BASE_IRI,
    max_concepts_per_doc: int = Settings.max_concepts_per_doc,
    out: str | Path | None = None,
    store: str = "oxigraph",
    text_field: str = "text",
    jobs: int = 1,
    executor: str = "local",
) -> KnowledgeGraph:
    """Read ``paths`` (files or folders) and build their knowledge graph, in memory, or
    incrementally into the output folder ``out`` (kind ``store``, see :mod:`kg.backends`).

    ``text_field`` names the text of JSON Lines records; ``jobs`` processes of ``executor``
    (``"local"`` or ``"dask"``) analyse the documents, with the same result for any number.
    """
    from kg.builder import Execution, build_graph, build_into  # spaCy loads only when a build is asked for

    settings = Settings(
        model=model,
        base_iri=base_iri,
        kb_paths=tuple(Path(p) for p in kb),
        max_concepts_per_doc=max_concepts_per_doc,
        text_field=text_field,
    )
    execution = Execution(jobs=jobs, executor=executor)
    if out is not None:
        return build_into(paths, settings, Path(out), store=store, execution=execution).graph
    return build_graph(paths, settings, execution)


def load(path: str | Path = "out", *, store: str | None = None, base_iri: str = DEFAULT_BASE_IRI) -> KnowledgeGraph:
    """Open a saved build: an output folder (its Oxigraph store, else its ``graph.trig``;
    ``store`` picks one) or a TriG file."""
    from kg.backends import OXIGRAPH, detect, entity_links, open_dataset, records, text_index
    from kg.remote import is_remote
    from kg.store import load as load_trig

    target = Path(path)
    if target.is_dir() or is_remote(store):
        dataset = open_dataset(target, store=store, base_iri=base_iri)
        read_only = (store or detect(target)) == OXIGRAPH  # kg.load opens the Oxigraph store read-only
        return KnowledgeGraph(
            dataset,
            base_iri=base_iri,
            text_index=text_index(target, store=store),
            entity_links=entity_links(target, store=store) if read_only else None,
            records=records(target, base_iri, store=store) if read_only else None,
            frozen=read_only,
        )
    return KnowledgeGraph(load_trig(target), base_iri=base_iri)
