"""SHACL validation of a build against ``kg/data/shapes.ttl``, run as SPARQL in the store's engine.

The shapes are compiled into SPARQL queries that select the nodes violating them, so a
build in Oxigraph is checked by Oxigraph (seconds for millions of triples) rather than by a
SHACL engine walking the graph in Python. The compiler covers the SHACL Core components the
shapes use (listed in :data:`_SUPPORTED`) and refuses any other, so a shape is never skipped in
silence; ``tests/test_validate.py`` checks that it reports what pySHACL reports on broken graphs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Set
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import BNode, Node

from kg import embedded
from kg.errors import SourceError
from kg.store import serialise
from kg.vocab import PREFIXES, iri_blocks

_FORMATS = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads", ".ttl": "turtle", ".jsonld": "json-ld"}
_SUPPORTED = {
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.path,
    SH.property,
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH["class"],
    SH.nodeKind,
    SH.pattern,
    SH.minLength,
    SH.minInclusive,
    SH.maxInclusive,
    SH["in"],
    SH.hasValue,
    SH.lessThan,
    SH["or"],
    SH.xone,
}
_IGNORED = {RDF.type, SH.name, SH.description, SH.message}


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str = "Violation"
    value: str | None = None

    def __str__(self) -> str:
        value = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.severity}: {self.focus} {self.path}: {self.message}{value}"


@dataclass(frozen=True)
class Check:
    """Compiled constraints: a SELECT whose rows are (focus node, offending value or unbound),
    plus, when ``message`` lists several constraints, the indices of those the row breaks."""

    sparql: str  # with FOCUS(?var) where the nodes checked may be restricted to a given few
    path: str
    message: str | tuple[str, ...]
    target: str | None = None  # the class of the nodes checked (sh:targetClass); None: any node
    # The same check written for a few given nodes, where a plan that suits the whole store does not.
    focused: str | None = None

    def query(self, focus: str | None) -> str:
        """The SPARQL, checking every node or only those in ``focus`` (IRIs in SPARQL syntax)."""
        if not focus:
            return _FOCUS.sub("", self.sparql)
        return _FOCUS.sub(lambda m: f"VALUES {m[1]} {{ {focus} }}", self.focused or self.sparql)

    def messages(self, which: str | None) -> str:
        if isinstance(self.message, str):
            return self.message
        assert which is not None
        return "; ".join(self.message[int(i)] for i in which.strip('"').split())


def shapes() -> Graph:
    return Graph().parse(Path(str(resources.files("kg") / "data" / "shapes.ttl")), format="turtle")


def validate(graph: Dataset | ox.Store, *, threads: int = 1, focus: Set[str] | None = None) -> list[Violation]:
    """Every violation of the shapes in the union of the graph's named graphs, sorted; empty
    when it conforms. The queries run in Oxigraph: in the store itself for an Oxigraph database
    (given directly or behind rdflib), in an in-memory copy for any other rdflib dataset, where
    rdflib's own engine would take minutes (170 s against 5 s on the shipped corpus). Oxigraph
    releases the GIL while it evaluates, so ``threads`` queries run side by side.

    ``focus`` (IRIs) checks only those nodes: the violations reported on them, as the whole
    check would report them. A rebuild that changed a few documents checks what it changed."""
    if focus is not None and not focus:
        return []
    store = graph if isinstance(graph, ox.Store) else embedded.oxigraph_of(graph)
    if store is None:
        assert isinstance(graph, Dataset)
        store = ox.Store()
        store.bulk_load(serialise(graph, "nquads"), ox.RdfFormat.N_QUADS)

    def select(sparql: str) -> list[list[str | None]]:
        rows = store.query(sparql, use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        return [[None if term is None else str(term) for term in row] for row in rows]

    # SHACL counts instances of subclasses too; a build states no subclasses, and the
    # subclass path costs more than the rest of the check together.
    subclasses = bool(select(f"SELECT ?c WHERE {{ ?c <{RDFS_SUBCLASS}> ?d }} LIMIT 1"))
    checks = compiled(subclasses)
    if focus is None:
        queries = [(check, check.query(None)) for check in checks]
    else:
        # A check of one class gets only the focus nodes of that class: most of a rebuild's
        # focus are mentions, and every block of IRIs is a query per check.
        classes: dict[str, set[str]] = defaultdict(set)
        for block in iri_blocks(focus):
            typed = store.query(
                f"SELECT ?s ?c WHERE {{ VALUES ?s {{ {block} }} ?s a ?c }}", use_default_graph_as_union=True
            )
            assert isinstance(typed, ox.QuerySolutions)
            for node, cls in typed:
                classes[cls.value].add(node.value)
        queries = [
            (check, check.query(block))
            for check in checks
            for block in iri_blocks(focus if check.target is None or subclasses else classes[check.target])
        ]
    found = set()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        answers = list(pool.map(select, [sparql for _, sparql in queries]))
    for (check, _), rows in zip(queries, answers, strict=True):
        for node, value, *which in rows:
            assert node is not None
            found.add(Violation(node, check.path, check.messages(which[0] if which else None), value=value))
    return sorted(found, key=lambda v: (v.focus, v.path, v.message, v.value or ""))


@cache
def compiled(subclasses: bool = True) -> tuple[Check, ...]:
    return tuple(compile_shapes(shapes(), subclasses=subclasses))


def compile_shapes(g: Graph, *, subclasses: bool = True) -> Iterator[Check]:
    """The checks of every targeted node shape in ``g``; ``subclasses=False`` compiles for data
    that has no ``rdfs:subClassOf`` triple, where an instance of a class is just ``?x a C``."""
    instance = f"a/<{RDFS_SUBCLASS}>*" if subclasses else "a"
    for shape in sorted(set(g.subjects(RDF.type, SH.NodeShape)), key=str):
        for cls in g.objects(shape, SH.targetClass):
            focus = _Focus(f"FOCUS(?focus) ?focus {instance} {_n3(cls)} .", instance)
            yield from (replace(check, target=str(cls)) for check in _node_shape(g, shape, focus))
        for p in g.objects(shape, SH.targetSubjectsOf):
            yield from _node_shape(g, shape, _Focus(f"FOCUS(?focus) ?focus {_n3(p)} [] .", instance))


def _split_count(focus: _Focus, p: str, low: Node | None, high: Node | None) -> str | None:
    """A count check over the whole store as two cheap parts: no value at all, an anti-join (a
    hash join in Oxigraph); too many, the property's own statements grouped and the few nodes
    over the count joined with the target. Counting every target node's values in one GROUP BY
    costs an index lookup per node, 3.5 times slower on 10 MB. None for a minimum above one."""
    if low is not None and int(str(low)) != 1:
        return None
    parts = []
    if low is not None:
        parts.append(f"{{ {focus.pattern} MINUS {{ ?focus {p} [] }} }}")
    if high is not None:
        over = f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) > {int(str(high))})"
        parts.append(f"{{ {{ SELECT ?focus WHERE {{ ?focus {p} ?v }} {over} }} {focus.pattern} }}")
    return f"SELECT DISTINCT {_SHOWN} WHERE {{ {' UNION '.join(parts)} }}"


RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
# Where a check may bind the nodes it checks to given values.
_FOCUS = re.compile(r"FOCUS\((\?\w+)\)")
_SHOWN = "?focus ?value"  # the (focus, value) columns of a violation row


@dataclass(frozen=True)
class _Focus:
    """The nodes a shape applies to: a pattern binding ``?focus``."""

    pattern: str
    instance: str  # the property path from a node to its classes

    def select(self, where: str, extra: str = "") -> str:
        return f"SELECT DISTINCT {_SHOWN} {extra} WHERE {{ {self.pattern} {where} }}"

    def scan(self, where: str, extra: str = "") -> tuple[str, str]:
        """:meth:`select` for a ``where`` that starts from the property's statements, as the
        (whole store, given nodes) queries of a :class:`Check`. Over the whole store those
        statements are read and tested first and only the offenders joined with the target: a
        join that starts from the target costs an index lookup per node (2 to 6 times slower on
        10 MB). For a few given nodes, the lookups are the fast way."""
        found = f"{{ SELECT ?focus ?value {extra} WHERE {{ {where} }} }}"
        return f"SELECT DISTINCT {_SHOWN} {extra} WHERE {{ {found} {self.pattern} }}", self.select(where, extra)


def _node_shape(g: Graph, shape: Node, focus: _Focus) -> Iterator[Check]:
    """Checks of ``shape`` for the nodes ``?focus`` that ``focus`` selects."""
    _refuse_unsupported(g, shape)
    for prop in g.objects(shape, SH.property):
        yield from _property_shape(g, prop, focus)
    for kind, op in ((SH["or"], "or"), (SH.xone, "xone")):
        for members in g.objects(shape, kind):
            parts = [_conforms(g, m, "?focus", focus.instance) for m in Collection(g, members)]
            if op == "or":
                broken = " || ".join(parts)
                message = f"does not conform to any shape in sh:or ({_shape_names(g, members)})"
            else:
                broken = " + ".join(f"IF({p}, 1, 0)" for p in parts) + " = 1"
                message = f"does not conform to exactly one shape in sh:xone ({_shape_names(g, members)})"
            counted = _one_property_values(g, members)
            if counted is None:
                yield Check(focus.select(f"FILTER(!({broken}))"), "-", message)
                continue
            # A node conforms to as many members as it has distinct values among theirs: one
            # grouped read, against an EXISTS per member and node (4 times faster on 5 MB).
            path, values = counted
            grouped = replace(
                focus,
                pattern=f"{{ SELECT ?focus (COUNT(DISTINCT ?t) AS ?n) WHERE {{ {focus.pattern} "
                f"OPTIONAL {{ ?focus {path} ?t FILTER(?t IN ({values})) }} }} GROUP BY ?focus }}",
            )
            yield Check(grouped.select(f"FILTER(?n {'< 1' if op == 'or' else '!= 1'})"), "-", message)


def _one_property_values(g: Graph, members: Node) -> tuple[str, str] | None:
    """(property, its values) when every member of an sh:or / sh:xone list asks for one value
    of the same property (``sh:path P ; sh:hasValue V``), each a different IRI (as the classes of
    an entity), so that a node conforms to as many members as it has of those values; else None."""
    shapes = list(Collection(g, members))
    paths = {g.value(m, SH.path) for m in shapes}
    values = [g.value(m, SH.hasValue) for m in shapes]
    iris = [v for v in values if isinstance(v, URIRef)]
    if len(paths) != 1 or any(g.value(m, SH["class"]) is not None for m in shapes) or len(set(iris)) != len(values):
        return None
    path = paths.pop()
    if not isinstance(path, URIRef):
        return None
    return _n3(path), ", ".join(_n3(v) for v in iris)


def _property_shape(g: Graph, prop: Node, focus: _Focus) -> Iterator[Check]:
    _refuse_unsupported(g, prop)
    path = g.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise ValueError(f"E605 SHACL shape {prop}: only a single property is supported as sh:path")
    p = _n3(path)
    shown = f"<{path}>"
    low, high = g.value(prop, SH.minCount), g.value(prop, SH.maxCount)
    if low is not None or high is not None:
        having = []
        if low is not None:
            having.append(f"?n < {int(str(low))}")
        if high is not None:
            having.append(f"?n > {int(str(high))}")
        counted = replace(
            focus,
            pattern=f"{{ SELECT ?focus (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus.pattern} "
            f"OPTIONAL {{ ?focus {p} ?v }} }} GROUP BY ?focus }}",
        )
        grouped = counted.select(f"FILTER({' || '.join(having)})")
        whole = _split_count(focus, p, low, high)
        message = _count_message(low, high)
        yield Check(whole, shown, message, focused=grouped) if whole else Check(grouped, shown, message)
    for value in g.objects(prop, SH.hasValue):
        yield Check(
            focus.select(f"FILTER NOT EXISTS {{ ?focus {p} {_n3(value)} }}"), shown, f"has no value {_n3(value)}"
        )
    for other in g.objects(prop, SH.lessThan):
        yield Check(
            focus.select(f"?focus {p} ?value . ?focus {_n3(other)} ?w FILTER(!COALESCE(?value < ?w, false))"),
            shown,
            f"value is not less than the value of {_n3(other)}",
        )
    for kind in (SH["or"], SH.xone):
        for members in g.objects(prop, kind):
            parts = [_conforms(g, m, "?value", focus.instance) for m in Collection(g, members)]
            broken = " || ".join(parts) if kind == SH["or"] else " + ".join(f"IF({x}, 1, 0)" for x in parts) + " = 1"
            whole, focused = focus.scan(f"?focus {p} ?value FILTER(!({broken}))")
            yield Check(
                whole,
                shown,
                f"value does not conform to {'any' if kind == SH['or'] else 'exactly one'} shape in "
                f"{'sh:or' if kind == SH['or'] else 'sh:xone'} ({_shape_names(g, members)})",
                focused=focused,
            )
    for cls in g.objects(prop, SH["class"]):
        # Over the whole store MINUS, a hash anti-join in Oxigraph, is several times faster than
        # FILTER NOT EXISTS per row; for a few given nodes it is the slow way, as its hash table
        # holds every instance of the class (1.5 s against 0.05 s a block of 200 claims, 150 MB store).
        instance = f"?value {focus.instance} {_n3(cls)}"
        whole, _ = focus.scan(f"?focus {p} ?value MINUS {{ {instance} }}")
        focused = focus.select(f"?focus {p} ?value FILTER NOT EXISTS {{ {instance} }}")
        yield Check(whole, shown, f"value must be an instance of {_n3(cls)}", focused=focused)
    tests = list(_value_tests(g, prop))
    if tests:
        # One pass over the values for all the value-level constraints; ?which names the broken ones.
        which = ", ".join(f'IF(COALESCE({test}, true), "{i} ", "")' for i, (test, _) in enumerate(tests))
        whole, focused = focus.scan(f'?focus {p} ?value BIND(CONCAT({which}) AS ?which) FILTER(?which != "")', "?which")
        yield Check(whole, shown, tuple(message for _, message in tests), focused=focused)


def _value_tests(g: Graph, prop: Node) -> Iterator[tuple[str, str]]:
    """(SPARQL expression true for a bad ``?value``, message) per value-level constraint."""
    for dt in g.objects(prop, SH.datatype):
        # A literal of the right datatype must also be well formed ("abc"^^xsd:integer is not):
        # the XSD cast of an ill-formed literal is an error.
        cast = f" || !COALESCE(isLiteral({_n3(dt)}(?value)), false)" if str(dt).startswith(str(XSD)) else ""
        yield (
            f"(!isLiteral(?value) || datatype(?value) != {_n3(dt)}{cast})",
            f"value must be a well-formed literal of datatype {_n3(dt)}",
        )
    for kind in g.objects(prop, SH.nodeKind):
        if kind != SH.IRI:
            raise ValueError(f"E605 SHACL shape {prop}: only sh:nodeKind sh:IRI is supported")
        yield "!isIRI(?value)", "value must be an IRI"
    for pattern in g.objects(prop, SH.pattern):
        yield f"(isBlank(?value) || !REGEX(STR(?value), {_n3(pattern)}))", f"value must match {_n3(pattern)}"
    for length in g.objects(prop, SH.minLength):
        yield f"(isBlank(?value) || STRLEN(STR(?value)) < {int(str(length))})", f"value must be at least {length} long"
    for bound in g.objects(prop, SH.minInclusive):
        yield f"!COALESCE(?value >= {_n3(bound)}, false)", f"value must be >= {bound}"
    for bound in g.objects(prop, SH.maxInclusive):
        yield f"!COALESCE(?value <= {_n3(bound)}, false)", f"value must be <= {bound}"
    for members in g.objects(prop, SH["in"]):
        allowed = list(Collection(g, members))
        options = " || ".join(f"sameTerm(?value, {_n3(a)})" for a in allowed)
        yield f"!({options})", "value must be one of " + ", ".join(_n3(a) for a in allowed)


def _conforms(g: Graph, shape: Node, node: str, instance: str) -> str:
    """A SPARQL expression true when ``node`` conforms to a one-constraint member of sh:or / sh:xone."""
    _refuse_unsupported(g, shape)
    cls = g.value(shape, SH["class"])
    if cls is not None:
        return f"EXISTS {{ {node} {instance} {_n3(cls)} }}"
    path, value = g.value(shape, SH.path), g.value(shape, SH.hasValue)
    if isinstance(path, URIRef) and value is not None:
        return f"EXISTS {{ {node} {_n3(path)} {_n3(value)} }}"
    raise ValueError(f"E605 SHACL shape {shape}: members of sh:or / sh:xone must be sh:class or sh:path + sh:hasValue")


def _refuse_unsupported(g: Graph, shape: Node) -> None:
    for prop in set(g.predicates(shape, None)) - _SUPPORTED - _IGNORED:
        raise ValueError(f"E605 SHACL shape {shape}: {_n3(prop)} is not supported by acckg's validator")


def _count_message(low: Node | None, high: Node | None) -> str:
    if low is not None and high is not None:
        return f"must have between {low} and {high} values"
    return f"must have at least {low} values" if low is not None else f"must have at most {high} values"


def _shape_names(g: Graph, members: Node) -> str:
    """The members of a list of shapes, each as its constraints ("sh:path rdf:type sh:hasValue schema:Person")."""
    bound = {**{p: str(ns) for p, ns in PREFIXES.items()}, "sh": str(SH)}

    def short(node: Node) -> str:
        for prefix, ns in bound.items():
            if isinstance(node, URIRef) and node.startswith(ns) and prefix:
                return f"{prefix}:{node[len(ns) :]}"
        return _n3(node)

    return ", ".join(
        "[" + " ".join(f"{short(p)} {short(o)}" for p, o in sorted(g.predicate_objects(m), reverse=True)) + "]"
        for m in Collection(g, members)
    )


def _n3(node: Node) -> str:
    if isinstance(node, BNode):
        raise ValueError("E605 a blank node cannot be named in a compiled SHACL check")
    assert isinstance(node, URIRef | Literal)
    return node.n3()


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
