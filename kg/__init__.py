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
    text_field: str = "text",
    jobs: int = 1,
    executor: str = "local",
) -> KnowledgeGraph:
    """Read ``paths`` (files or folders) and build their knowledge graph.

    ``text_field`` names the text of JSON Lines records; ``jobs`` processes of ``executor``
    (``"local"`` or ``"dask"``) analyse the documents, with the same result for any number.
    """
    from kg.builder import build_graph  # spaCy loads only when a build is asked for

    settings = Settings(
        model=model,
        base_iri=base_iri,
        kb_paths=tuple(Path(p) for p in kb),
        max_concepts_per_doc=max_concepts_per_doc,
        text_field=text_field,
    )
    return build_graph(paths, settings, jobs=jobs, executor=executor)


def load(path: str | Path = "out/graph.trig", *, base_iri: str = DEFAULT_BASE_IRI) -> KnowledgeGraph:
    """Open a saved build."""
    from kg.store import load as load_dataset

    return KnowledgeGraph(load_dataset(Path(path)), base_iri=base_iri)
