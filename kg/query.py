"""SPARQL over a build: run text or a saved query, and format results in the standard formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.query import Result

from kg import embedded
from kg.errors import QueryError
from kg.store import plain
from kg.textindex import EVIDENCE_QUERY, TextIndex
from kg.vocab import sparql_prologue

Value = URIRef | Literal | BNode | None
Search = Callable[[str], list[str]]
"""Words -> IRIs of the evidence nodes whose sentence has them, best first."""
Term = URIRef | Literal

ARG = "?arg"
"""A saved query's argument, as given (a literal)."""
MATCH = "?match"
"""The entities whose label or alternative label is the argument, ignoring case.

Found by :data:`NAMED` before the query runs and bound with ``VALUES``: both engines then
start from those few entities. Inside one query, Oxigraph's planner starts from the patterns
with constants (``?claim a acc:Claim``) and only filters by name after joining every claim.
"""
HIT = "?hit"
"""The evidence nodes whose sentence has the words of the argument, best first, with ``?rank``
1, 2, ... (see :mod:`kg.textindex`); bound with ``VALUES`` before the query runs."""
NAMED = """SELECT DISTINCT ?match WHERE {
  ?match rdfs:label|skos:altLabel ?name .
  FILTER(LCASE(STR(?name)) = LCASE(STR(?arg)))
} ORDER BY ?match"""


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    usage: str
    text: str

    @property
    def takes_argument(self) -> bool:
        return ARG in self.text or MATCH in self.text or HIT in self.text


@dataclass(frozen=True)
class QueryResult:
    """A SELECT result (``variables`` and ``rows``), or an ASK answer in ``boolean``."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    boolean: bool | None = None

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON Format."""
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean}, indent=2)
        bindings = [
            {var: _json_term(value) for var, value in zip(self.variables, row, strict=True) if value is not None}
            for row in self.rows
        ]
        return json.dumps({"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}, indent=2)

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV Format (plain values, CRLF line ends)."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if v is None else str(v) for v in row])
        return buf.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV Format (terms in Turtle syntax)."""
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join(_tsv_term(v) for v in row))
        return "\n".join(lines) + "\n"


def saved_queries() -> dict[str, SavedQuery]:
    """The named queries shipped in ``kg/queries``."""
    found = {}
    for entry in sorted(resources.files("kg").joinpath("queries").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
            usage = next((c.removeprefix("usage:").strip() for c in comments if c.startswith("usage:")), "")
            description = next((c for c in comments if not c.startswith("usage:")), "")
            name = entry.name[:-3]
            found[name] = SavedQuery(name, description, usage, text)
    return found


def resolve_query(query: str, argument: str | None = None) -> tuple[str, dict[str, Literal]]:
    """Turn the user's QUERY (saved name, ``.rq`` file or SPARQL text) into text and bindings."""
    saved = saved_queries().get(query)
    if saved is not None:
        if saved.takes_argument and argument is None:
            raise QueryError(
                f"E301 query {query!r} needs an argument, e.g. acckg query {saved.usage.split(' ', 2)[-1]}"
            )
        return saved.text, ({"arg": Literal(argument)} if argument is not None else {})
    if query.endswith(".rq"):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"E302 {path}: no such query file")
        return path.read_text(encoding="utf-8"), {}
    if argument is not None:
        raise QueryError("E303 an argument is only accepted after a saved query name (see acckg query --list)")
    return query, {}


def run_query(
    ds: Dataset,
    text: str,
    *,
    base_iri: str,
    bindings: dict[str, Literal] | None = None,
    search: Search | None = None,
) -> QueryResult:
    """Run a SPARQL 1.1 query; the vocabulary's prefixes are predeclared.

    A query that uses :data:`MATCH` gets it bound to the entities named by the ``arg`` binding,
    one that uses :data:`HIT` to the evidence ``search`` finds for it (by default an index of
    ``ds`` built for this query).

    Examples
    --------
    >>> from rdflib import Dataset
    >>> run_query(Dataset(), "ASK { ?s ?p ?o }", base_iri="https://w3id.org/acckg/id/").boolean
    False
    """
    try:
        return _evaluate(ds, prepare(ds, text, base_iri=base_iri, bindings=bindings or {}, search=search))
    except QueryError:
        raise
    except Exception as exc:  # pyparsing, rdflib and Oxigraph raise many types for one problem: bad SPARQL
        message = " ".join(str(exc).split())
        raise QueryError(f"E300 malformed SPARQL: {message[:300]}") from exc


def _evaluate(ds: Dataset, text: str) -> QueryResult:
    """Run full query text: straight through pyoxigraph on an Oxigraph store (oxrdflib's term
    conversion and rdflib's result rows cost more than the query itself on large answers),
    through rdflib on any other store."""
    db = embedded.oxigraph_of(ds)
    if db is not None:
        return _evaluate_native(db, ds, text)
    result: Result = ds.query(text)
    if result.type == "ASK":
        return QueryResult((), (), bool(result.askAnswer))
    if result.type != "SELECT":
        raise QueryError(_ONLY_TABLES)
    variables = tuple(str(v) for v in result.vars or ())
    rows = tuple(tuple(_value(v) for v in row) for row in result)  # type: ignore[union-attr]
    return QueryResult(variables, rows)


_ONLY_TABLES = "E304 only SELECT and ASK queries print as tables; use CONSTRUCT via the Python API"


def _evaluate_native(db: ox.Store, ds: Dataset, text: str) -> QueryResult:
    # The dataset's bound prefixes, as rdflib (and oxrdflib) would let the query use them.
    prefixes = {prefix: str(ns) for prefix, ns in ds.namespaces() if prefix}
    result = db.query(text, prefixes=prefixes, use_default_graph_as_union=ds.default_union)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult((), (), bool(result))
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(_ONLY_TABLES)
    variables = tuple(v.value for v in result.variables)
    terms: dict[object, Value] = {None: None}  # answers repeat terms (a claimant, a polarity): convert each once

    def convert(term: object) -> Value:
        try:
            return terms[term]
        except KeyError:
            value = terms[term] = from_oxigraph(term)
            return value

    return QueryResult(variables, tuple(tuple([convert(term) for term in solution]) for solution in result))


_STRING = "http://www.w3.org/2001/XMLSchema#string"


def from_oxigraph(term: object) -> Value:
    """A pyoxigraph term as the rdflib term rdflib's own engine would give (plain strings untyped)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _STRING else Literal(term.value, datatype=URIRef(datatype))
    return None  # RDF-star triples: acckg writes none


def prepare(
    ds: Dataset, text: str, *, base_iri: str, bindings: dict[str, Literal], search: Search | None = None
) -> str:
    """The full text to run: prologue, the bindings, :data:`MATCH` and :data:`HIT` resolved in ``ds``."""
    prologue = sparql_prologue(base_iri)
    # Only the variables the query uses: rdflib joins two VALUES blocks with every solution of the
    # pattern (pairwise), where one block alone is joined lazily, the pattern evaluated per row.
    bound: dict[str, Term | tuple[Term, ...]] = {k: v for k, v in bindings.items() if f"?{k}" in text}
    ranked = ""
    if MATCH in text and "arg" in bindings:
        found = _evaluate(ds, prologue + bind(NAMED, {"arg": bindings["arg"]}))
        bound["match"] = tuple(node for row in found.rows for node in row if isinstance(node, URIRef))
    if HIT in text and "arg" in bindings:
        hits = (search or text_index_of(ds, base_iri).search)(str(bindings["arg"]))
        rows = " ".join(f"(<{iri}> {rank})" for rank, iri in enumerate(hits, 1))
        ranked = f"VALUES (?hit ?rank) {{ {rows} }}" if hits else "FILTER(1 = 0)"
    return prologue + bind(text, bound, ranked)


def text_index_of(ds: Dataset, base_iri: str) -> TextIndex:
    """An index of the evidence in ``ds``, built in memory from one query (a scan of the store)."""
    rows = _evaluate(ds, sparql_prologue(base_iri) + EVIDENCE_QUERY).rows
    return TextIndex.build((str(evidence), str(sentence)) for evidence, sentence in rows)


def bind(text: str, bindings: Mapping[str, Term | tuple[Term, ...]], extra: str = "") -> str:
    """Bind variables with inline ``VALUES`` at the top of the WHERE group; a tuple gives
    the alternatives of one variable (none: no solutions). ``extra`` is one more clause to put there.

    Both engines evaluate this the same way; rdflib's ``initBindings`` has no Oxigraph
    equivalent for variables that are not projected.
    """
    if not bindings and not extra:
        return text
    brace = text.find("{")
    if brace < 0:
        return text
    clauses = " ".join(
        [values_clause(name, value if isinstance(value, tuple) else (value,)) for name, value in bindings.items()]
        + ([extra] if extra else [])
    )
    return f"{text[: brace + 1]} {clauses}{text[brace + 1 :]}"


def values_clause(name: str, terms: Sequence[Term]) -> str:
    """``?name`` bound to each of ``terms`` in turn; none gives no solutions (rdflib fails on
    an empty ``VALUES`` block and ignores ``FILTER(false)``, so that case is ``FILTER(1 = 0)``)."""
    if not terms:
        return "FILTER(1 = 0)"
    return f"VALUES ?{name} {{ {' '.join(t.n3() for t in terms)} }}"


def _tsv_term(value: Value) -> str:
    """A term in Turtle syntax on one line: TSV results may not hold raw tabs or line breaks."""
    if value is None:
        return ""
    if not isinstance(value, Literal):
        return value.n3()
    text = str(value).translate(
        {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
    )
    if value.language:
        return f'"{text}"@{value.language}'
    if value.datatype is not None:
        return f'"{text}"^^<{value.datatype}>'
    return f'"{text}"'


def _value(node: object) -> Value:
    return plain(node) if isinstance(node, URIRef | Literal | BNode) else None  # type: ignore[return-value]


def _json_term(value: URIRef | Literal | BNode) -> dict[str, str]:
    if isinstance(value, URIRef):
        return {"type": "uri", "value": str(value)}
    if isinstance(value, BNode):
        return {"type": "bnode", "value": str(value)}
    term: dict[str, str] = {"type": "literal", "value": str(value)}
    if value.language:
        term["xml:lang"] = value.language
    elif value.datatype:
        term["datatype"] = str(value.datatype)
    return term
