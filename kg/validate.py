"""SHACL validation of a build against ``kg/data/shapes.ttl`` (pySHACL), with readable results."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import SourceError
from kg.store import plain

_FORMATS = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads", ".ttl": "turtle", ".jsonld": "json-ld"}


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    value: str | None = None

    def __str__(self) -> str:
        value = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.severity}: {self.focus} {self.path}: {self.message}{value}"


def shapes() -> Graph:
    return Graph().parse(Path(str(resources.files("kg") / "data" / "shapes.ttl")), format="turtle")


def validate(ds: Dataset) -> list[Violation]:
    """Every SHACL result for the union of the dataset's graphs, sorted; empty when it conforms."""
    import pyshacl

    merged = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        merged.add((s, p, plain(o)))
    _, report, _ = pyshacl.validate(merged, shacl_graph=shapes())
    assert isinstance(report, Graph)
    found = []
    for result in report.subjects(SH.resultSeverity, None):
        found.append(
            Violation(
                focus=_show(report.value(result, SH.focusNode)),
                path=_show(report.value(result, SH.resultPath)),
                message=str(report.value(result, SH.resultMessage) or "violates its shape"),
                severity=_show(report.value(result, SH.resultSeverity)).removeprefix("sh:"),
                value=_show(v) if (v := report.value(result, SH.value)) is not None else None,
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.path, v.message))


def read_file(path: Path) -> Dataset:
    """A build saved as TriG, N-Quads, Turtle or JSON-LD (chosen by the file's suffix)."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SourceError(f"E602 {path}: unknown RDF file type (use one of: {', '.join(_FORMATS)})")
    ds = Dataset(default_union=True)
    try:
        ds.parse(path, format=fmt)
    except FileNotFoundError as exc:
        raise SourceError(f"E603 {path}: no such file") from exc
    except Exception as exc:  # rdflib's parsers raise many unrelated types for bad syntax
        raise SourceError(f"E604 {path} is not readable {fmt} ({type(exc).__name__}: {exc})") from exc
    return ds


def _show(node: Node | None) -> str:
    if node is None:
        return "-"
    if isinstance(node, URIRef):
        text = str(node)
        return "sh:" + text[len(str(SH)) :] if text.startswith(str(SH)) else f"<{text}>"
    return node.n3()
