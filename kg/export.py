"""``acckg export``: the build in the formats other tools read, every file written atomically.

RDF: TriG, N-Quads and Turtle (deterministic, :mod:`kg.store`) and JSON-LD with the vocabulary's
context (``kg/data/context.jsonld``). The entity graph of :meth:`KnowledgeGraph.to_networkx` as
GraphML or GEXF, for Gephi and Cytoscape. CSV tables of entities and claims, for spreadsheets.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset

from kg.graph import KnowledgeGraph
from kg.store import serialise, write_atomic

EXTENSIONS = {
    "trig": "trig",
    "nquads": "nq",
    "turtle": "ttl",
    "jsonld": "jsonld",
    "graphml": "graphml",
    "gexf": "gexf",
    "csv": "csv",
}
FORMATS = tuple(EXTENSIONS)


def context() -> dict[str, Any]:
    """The JSON-LD context of the vocabulary, shipped as ``kg/data/context.jsonld``."""
    data: dict[str, Any] = json.loads(resources.files("kg").joinpath("data", "context.jsonld").read_text("utf-8"))
    return data


def export(graph: KnowledgeGraph, fmt: str, target: Path) -> Path:
    """Write ``graph`` as ``fmt`` to ``target``: a file, or a folder that receives ``graph.EXT``
    (CSV writes two tables, ``entities.csv`` and ``claims.csv``, into a folder)."""
    if fmt == "csv":
        folder = target if target.is_dir() or not target.suffix else target.parent
        write_atomic(folder / "entities.csv", _entities_csv(graph))
        write_atomic(folder / "claims.csv", _claims_csv(graph))
        return folder
    path = target / f"graph.{EXTENSIONS[fmt]}" if target.is_dir() or not target.suffix else target
    write_atomic(path, render(graph, fmt))
    return path


def render(graph: KnowledgeGraph, fmt: str) -> bytes:
    if fmt in {"trig", "nquads", "turtle"}:
        return serialise(graph.dataset, fmt)
    if fmt == "jsonld":
        return _jsonld(graph.dataset)
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph.to_networkx(), buf)
    elif fmt == "gexf":
        nx.write_gexf(graph.to_networkx(), buf)
    else:
        raise ValueError(f"not a single-file format: {fmt}")
    return buf.getvalue()


def _jsonld(ds: Dataset) -> bytes:
    # Re-read the sorted N-Quads so that the writer meets the statements in one fixed order.
    ordered = Dataset()
    ordered.parse(data=serialise(ds, "nquads").decode("utf-8"), format="nquads")
    text = ordered.serialize(format="json-ld", context=context()["@context"])
    return (
        json.dumps(_canonical_order(json.loads(text)), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    ).encode()


def _canonical_order(node: Any) -> Any:
    """Arrays sorted: rdflib's writer emits them in hash order, and ours hold sets, not @lists."""
    if isinstance(node, dict):
        return {k: _canonical_order(v) for k, v in node.items()}
    if isinstance(node, list):
        items = [_canonical_order(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def _table(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _entities_csv(graph: KnowledgeGraph) -> bytes:
    rows = [
        [e.id, e.label, e.type.value, e.mention_count, "|".join(e.alt_labels), e.description or ""]
        for e in sorted(graph.entities(), key=lambda e: e.id)
    ]
    return _table(["id", "label", "type", "mentions", "alt_labels", "description"], rows)


def _claims_csv(graph: KnowledgeGraph) -> bytes:
    rows = [
        [
            c.id,
            c.doc_id,
            c.claimant,
            c.text,
            c.subject,
            c.predicate,
            c.object,
            "|".join(c.about),
            c.polarity.value,
            c.modality.value,
            str(c.identity).lower(),
            f"{c.confidence:g}",
            c.evidence.start,
            c.evidence.end,
            c.evidence_text,
        ]
        for c in graph.claims()
    ]
    header = ["id", "document", "claimant", "text", "subject", "predicate", "object", "about", "polarity"]
    header += ["modality", "identity", "confidence", "evidence_start", "evidence_end", "evidence"]
    return _table(header, rows)
