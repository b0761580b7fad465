"""Reading and writing builds: atomic saves (temp file + rename) and loads with clear errors."""

from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.errors import BuildNotFoundError, UsageError
from kg.vocab import PREFIXES

FORMATS = ("trig", "nquads", "turtle")
_XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def serialise(ds: Dataset, fmt: str = "trig") -> bytes:
    """Serialise byte-for-byte deterministically (rdflib's writers order subjects by hash)."""
    if fmt == "trig":
        return _trig(ds).encode("utf-8")
    if fmt in {"nquads", "nq"}:
        lines = sorted({f"{s.n3()} {p.n3()} {plain(o).n3()} {_graph_n3(g)}." for s, p, o, g in ds.quads()})
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt in {"turtle", "ttl"}:
        return _trig(ds, merge=True).encode("utf-8")
    raise UsageError(f"E500 unknown format {fmt!r} (use one of: {', '.join(FORMATS)})")


def plain(node: Node) -> Node:
    """``"x"^^xsd:string`` as the simple literal ``"x"``: the same term in RDF 1.1, which
    Oxigraph returns typed and rdflib untyped; one spelling keeps outputs byte-identical."""
    if isinstance(node, Literal) and node.datatype == _XSD_STRING:
        return Literal(str(node))
    return node


def _graph_n3(graph: Node | Graph | None) -> str:
    ident = graph.identifier if isinstance(graph, Graph) else graph
    return "" if ident is None or ident == DATASET_DEFAULT_GRAPH_ID else f"{ident.n3()} "


_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _trig(ds: Dataset, *, merge: bool = False) -> str:
    # The vocabulary's own IRIs, not whatever a store has bound (stores pre-bind differently).
    minted = [(p, str(ns)) for p, ns in ds.namespaces() if p == "id"]
    prefixes = sorted([(p, str(ns)) for p, ns in PREFIXES.items()] + minted)

    def term(node: Node) -> str:
        node = plain(node)
        if isinstance(node, URIRef):
            text = str(node)
            for prefix, ns in prefixes:
                if text.startswith(ns) and _LOCAL.fullmatch(text[len(ns) :]):
                    return f"{prefix}:{text[len(ns) :]}"
            return node.n3()
        if isinstance(node, Literal) and node.datatype is not None:
            return f"{Literal(str(node)).n3()}^^{term(node.datatype)}"
        return node.n3()

    def block(triples: Iterable[tuple[Node, Node, Node]], indent: str) -> list[str]:
        by_subject: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for s, p, o in triples:
            by_subject[term(s)]["a" if p == RDF.type else term(p)].add(term(o))
        out = []
        for subject in sorted(by_subject):
            preds = by_subject[subject]
            order = sorted(preds, key=lambda p: (p != "a", p))
            parts = [f"{p} {', '.join(sorted(preds[p]))}" for p in order]
            out.append(f"{indent}{subject} " + f" ;\n{indent}    ".join(parts) + " .\n")
        return out

    lines = [f"@prefix {p}: <{ns}> ." for p, ns in prefixes]
    lines.append("")
    if merge:
        lines += block(((s, p, o) for s, p, o, _ in ds.quads()), "")
        return "\n".join(lines)
    default = ds.default_graph
    lines += block(default.triples((None, None, None)), "")
    for graph in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if graph.identifier == default.identifier or len(graph) == 0:
            continue
        lines.append(f"{term(graph.identifier)} {{")
        lines += block(graph.triples((None, None, None)), "    ")
        lines.append("}\n")
    return "\n".join(lines)


def load(path: Path) -> Dataset:
    """Load a saved build; a missing or unreadable file is a :class:`BuildNotFoundError`."""
    if not path.is_file():
        raise BuildNotFoundError(f"E501 no build at {path}; run `acckg build` first (or pass --out)")
    ds = Dataset(default_union=True)
    try:
        ds.parse(path, format="trig")
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        raise BuildNotFoundError(f"E502 {path} is not a readable TriG build ({type(exc).__name__}: {exc})") from exc
    return ds
