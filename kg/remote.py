"""Builds on any SPARQL 1.1 server: ``--store sparql+http(s)://HOST[:PORT][/PATH]``.

Queries go to ``PATH/query`` and updates to ``PATH/update`` (Oxigraph server's layout; for
Fuseki give the dataset, ``sparql+http://host:3030/acckg``). A build is written as one SPARQL
Update request that drops the old graphs and inserts the new ones, one named graph per
document: a server that runs each request in one transaction (Oxigraph, Fuseki) never shows a
half-written build. Reads expect the server to query the union of its graphs by default
(Oxigraph: ``--union-default-graph``; Fuseki: ``unionDefaultGraph``), as the local stores do.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import defaultdict

from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from kg.errors import UsageError
from kg.store import plain
from kg.vocab import bind_prefixes

SCHEMES = ("sparql+http://", "sparql+https://")


def is_remote(store: str | None) -> bool:
    return store is not None and store.startswith(SCHEMES)


def endpoints(store: str) -> tuple[str, str]:
    """The query and update URLs of a ``sparql+http(s)://`` store."""
    base = store.removeprefix("sparql+").rstrip("/")
    return f"{base}/query", f"{base}/update"


def update_text(ds: Dataset) -> str:
    """One SPARQL Update that replaces everything on the server with ``ds``."""
    by_graph: dict[str, list[str]] = defaultdict(list)
    for s, p, o, g in ds.quads((None, None, None, None)):
        ident = getattr(g, "identifier", g)
        key = "" if ident is None or ident == DATASET_DEFAULT_GRAPH_ID else ident.n3()
        by_graph[key].append(f"{s.n3()} {p.n3()} {plain(o).n3()} .")
    parts = []
    for graph in sorted(by_graph):
        body = "\n".join(sorted(by_graph[graph]))
        parts.append(f"GRAPH {graph} {{\n{body}\n}}" if graph else body)
    return "DROP SILENT ALL ;\nINSERT DATA {\n" + "\n".join(parts) + "\n}\n"


def save(ds: Dataset, store: str) -> str:
    _, update = endpoints(store)
    request = urllib.request.Request(
        update,
        data=update_text(ds).encode("utf-8"),
        headers={"Content-Type": "application/sparql-update"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=600):
            pass
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"E530 {update} refused the build: HTTP {exc.code} {detail[0] if detail else ''}") from exc
    except OSError as exc:
        raise UsageError(f"E531 cannot reach {update}: {exc}") from exc
    return update


def open_dataset(store: str, *, base_iri: str) -> Dataset:
    query, _ = endpoints(store)
    ds = Dataset(store=SPARQLStore(query, returnFormat="json"), default_union=True)
    bind_prefixes(ds, base_iri)
    return ds
