"""``acckg export``: the build in the formats other tools read, every file written atomically.

RDF: TriG, N-Quads and Turtle (deterministic, :mod:`kg.store`).
"""

from __future__ import annotations

from pathlib import Path

from kg.graph import KnowledgeGraph
from kg.store import serialise, write_atomic

EXTENSIONS = {"trig": "trig", "nquads": "nq", "turtle": "ttl"}
FORMATS = tuple(EXTENSIONS)


def export(graph: KnowledgeGraph, fmt: str, target: Path) -> Path:
    """Write ``graph`` as ``fmt`` to ``target`` (a file, or a folder that receives ``graph.EXT``)."""
    path = target / f"graph.{EXTENSIONS[fmt]}" if target.is_dir() or not target.suffix else target
    write_atomic(path, serialise(graph.dataset, fmt))
    return path
