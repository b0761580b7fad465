"""Builds on any SPARQL 1.1 server: ``--store sparql+http(s)://HOST[:PORT][/PATH]``.

Queries go to ``PATH/query`` and updates to ``PATH/update`` (Oxigraph server's layout; for
Fuseki give the dataset, ``sparql+http://host:3030/acckg``). Reads expect the server to query
the union of its graphs by default (Oxigraph: ``--union-default-graph``; Fuseki:
``unionDefaultGraph``), as the local stores do.

A build is sent one named graph per document, through the SPARQL 1.1 Graph Store HTTP
Protocol (``PATH/store`` on Oxigraph, ``PATH/data`` on Fuseki), or as one SPARQL Update per
graph on a server without it. The default graph records a hash of every named graph as sent
(``<graph> acc:graphHash "sha256"``), and the next build sends only the graphs whose hash
changed and deletes those of documents that are gone. The default graph itself (entities,
the run, the hashes) is replaced last: a build cut off half-way leaves the old hashes of the
graphs it had not finished with, and the next build sends those again.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.term import Node

from kg.errors import UsageError
from kg.store import plain
from kg.vocab import ACC, bind_prefixes

SCHEMES = ("sparql+http://", "sparql+https://")
GRAPH_STORES = ("store", "data")
"""Where the Graph Store Protocol lives under the server's base: Oxigraph, then Fuseki."""
_TIMEOUT = 600


def is_remote(store: str | None) -> bool:
    return store is not None and store.startswith(SCHEMES)


def endpoints(store: str) -> tuple[str, str]:
    """The query and update URLs of a ``sparql+http(s)://`` store."""
    base = _base(store)
    return f"{base}/query", f"{base}/update"


@dataclass(frozen=True)
class Sent:
    """What a build changed on the server."""

    location: str
    sent: int
    deleted: int
    unchanged: int
    protocol: str  # "graph store" or "update"

    def __str__(self) -> str:
        return (
            f"{self.location} ({self.sent} graphs sent, {self.deleted} deleted, {self.unchanged} unchanged,"
            f" by {self.protocol})"
        )


def save(ds: Dataset, store: str) -> Sent:
    """Bring the server's copy in step with ``ds``, sending only the named graphs that changed."""
    query_url, update_url = endpoints(store)
    default, graphs = _ntriples_by_graph(ds)
    hashes = {graph: hashlib.sha256(body.encode("utf-8")).hexdigest() for graph, body in graphs.items()}
    recorded = _recorded_hashes(query_url)
    previous = set(recorded) if recorded else _server_graphs(query_url)
    changed = sorted(g for g in graphs if recorded.get(g) != hashes[g])
    gone = sorted(previous - set(graphs))
    record = "".join(f"<{g}> <{ACC.graphHash}> {_nt_literal(h)} .\n" for g, h in sorted(hashes.items()))
    gsp = _graph_store(store)
    if gsp is not None:
        for graph in changed:
            _send("PUT", f"{gsp}?graph={urllib.parse.quote(graph, safe='')}", graphs[graph])
        for graph in gone:
            _send("DELETE", f"{gsp}?graph={urllib.parse.quote(graph, safe='')}", None, missing_ok=True)
        _send("PUT", f"{gsp}?default", default + record)
    else:
        updates = [f"DROP SILENT GRAPH <{g}> ;\nINSERT DATA {{ GRAPH <{g}> {{\n{graphs[g]}}} }}" for g in changed]
        updates += [f"DROP SILENT GRAPH <{g}>" for g in gone]
        updates.append(f"DROP SILENT DEFAULT ;\nINSERT DATA {{\n{default}{record}}}")
        for update in updates:
            _send("POST", update_url, update, content_type="application/sparql-update")
    return Sent(
        location=query_url,
        sent=len(changed),
        deleted=len(gone),
        unchanged=len(graphs) - len(changed),
        protocol="graph store" if gsp is not None else "update",
    )


def open_dataset(store: str, *, base_iri: str) -> Dataset:
    """The server's dataset for queries (each read is a SPARQL query to the server)."""
    query, _ = endpoints(store)
    ds = Dataset(store=SPARQLStore(query, returnFormat="json"), default_union=True)
    bind_prefixes(ds, base_iri)
    return ds


def download(store: str, *, base_iri: str) -> Dataset:
    """The server's whole dataset, in memory, without the build's bookkeeping (the graph hashes):
    what ``acckg export`` writes. Read with the Graph Store Protocol's GET of the whole store."""
    gsp = _graph_store(store)
    if gsp is None:
        raise UsageError(f"E533 {_base(store)} has no Graph Store Protocol endpoint to read the whole dataset from")
    data = _send("GET", gsp, None, accept="application/n-quads")
    ds = Dataset(default_union=True)
    ds.parse(data=data, format="nquads")
    ds.remove((None, ACC.graphHash, None, None))  # type: ignore[arg-type]
    bind_prefixes(ds, base_iri)
    return ds


def _base(store: str) -> str:
    return store.removeprefix("sparql+").rstrip("/")


def _graph_store(store: str) -> str | None:
    """The server's Graph Store Protocol endpoint, or None when it has none."""
    for name in GRAPH_STORES:
        url = f"{_base(store)}/{name}"
        try:
            _send("HEAD", f"{url}?default", None)
        except _Refused:
            continue
        return url
    return None


class _Refused(UsageError):
    """The server answered with an HTTP error."""


def _send(
    method: str,
    url: str,
    body: str | None,
    *,
    content_type: str = "application/n-triples",
    accept: str = "*/*",
    missing_ok: bool = False,
) -> str:
    """One HTTP request; the answer's text. An unreachable server or a refusal is one clear line."""
    headers = {"Accept": accept}
    if body is not None:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(
        url, data=body.encode("utf-8") if body is not None else None, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        if missing_ok and exc.code == 404:
            return ""
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        raise _Refused(
            f"E530 {url} refused the request ({method}): HTTP {exc.code} {detail[0] if detail else ''}".rstrip()
        ) from exc
    except OSError as exc:
        raise UsageError(f"E531 cannot reach {url}: {exc}") from exc


def _select(query_url: str, sparql: str) -> list[dict[str, str]]:
    url = f"{query_url}?{urllib.parse.urlencode({'query': sparql})}"
    answer = json.loads(_send("GET", url, None, accept="application/sparql-results+json"))
    return [{k: v["value"] for k, v in row.items()} for row in answer["results"]["bindings"]]


def _recorded_hashes(query_url: str) -> dict[str, str]:
    rows = _select(query_url, f"SELECT ?g ?h WHERE {{ ?g <{ACC.graphHash}> ?h }}")
    return {row["g"]: row["h"] for row in rows}


def _server_graphs(query_url: str) -> set[str]:
    """Every named graph on a server that holds no record of an acckg build (a first build there
    replaces everything, as one SPARQL Update used to)."""
    return {row["g"] for row in _select(query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}


def _ntriples_by_graph(ds: Dataset) -> tuple[str, dict[str, str]]:
    """The default graph's statements and each named graph's, as sorted N-Triples."""
    lines: dict[str, list[str]] = defaultdict(list)
    for s, p, o, g in ds.quads((None, None, None, None)):
        ident = getattr(g, "identifier", g)
        key = "" if ident is None or ident == DATASET_DEFAULT_GRAPH_ID else str(ident)
        lines[key].append(f"{_nt(s)} {_nt(p)} {_nt(plain(o))} .\n")
    graphs = {graph: "".join(sorted(set(body))) for graph, body in lines.items()}
    return graphs.pop("", ""), graphs


def _nt(term: Node) -> str:
    if isinstance(term, Literal):
        return _nt_literal(str(term), term.language, term.datatype)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    raise ValueError(f"not an RDF term: {term!r}")


def _nt_literal(text: str, language: str | None = None, datatype: URIRef | None = None) -> str:
    escaped = text.translate({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"})
    if language:
        return f'"{escaped}"@{language}'
    return f'"{escaped}"^^<{datatype}>' if datatype is not None else f'"{escaped}"'
