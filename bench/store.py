"""Oxigraph against rdflib's memory store on the same ≥ 1 million triples, in one run.

    python bench/store.py                         # builds sources/ into bench-out/ (or reuses it)
    python bench/store.py --out out --copies 10   # reuse a build; scale it to ten copies

The graph of the shipped texts is repeated ``--copies`` times, each copy under its own IRIs
(so entities, claims and documents are distinct per copy, as in a corpus ten times the size).
Both stores load the same N-Quads; five representative queries then run through the same
code users call (:func:`kg.query.run_query` over an rdflib ``Dataset``, backed by Oxigraph via
oxrdflib or by rdflib's memory store). Reported: load time, each query's best-of-``--repeat``
time on both, and the ratio rdflib / Oxigraph. Row counts are compared so the two did the
same work.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Literal

import kg
from kg.config import DEFAULT_BASE_IRI
from kg.query import prepare, run_query, saved_queries
from kg.store import serialise
from kg.vocab import bind_prefixes

ROOT = Path(__file__).resolve().parent.parent
QUERIES = {
    "claims by a claimant": (saved_queries()["claims-by"].text, {"arg": Literal("Nick Land")}),
    "entities by type with counts": (
        "SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a acc:Entity , ?type . FILTER(?type != acc:Entity) }"
        " GROUP BY ?type ORDER BY DESC(?n) ?type",
        {},
    ),
    "two-hop paths between two entities": (
        # Written from one end to the other: rdflib joins in the order written, and pairing every
        # "Nick Land" with every "artificial intelligence" first took it 30 s on the shipped corpus.
        'SELECT DISTINCT ?via WHERE { ?a rdfs:label "Nick Land" .'
        " { ?c1 acc:claimant ?a } UNION { ?c1 acc:about ?a } ?c1 acc:about ?m . ?c2 acc:about ?m , ?b ."
        ' ?b rdfs:label "artificial intelligence" . ?m rdfs:label ?via . FILTER(?m != ?a && ?m != ?b) } ORDER BY ?via',
        {},
    ),
    "contrasting claims": (saved_queries()["contrasting-claims"].text, {}),
    "full-text filter on evidence": (
        "SELECT ?claim ?text WHERE { ?claim acc:evidence/oa:exact ?sentence ; acc:text ?text ."
        ' FILTER(CONTAINS(LCASE(?sentence), "machine")) } ORDER BY ?claim',
        {},
    ),
}


def scaled(nquads: bytes, copies: int) -> bytes:
    text = nquads.decode("utf-8")
    base = f"<{DEFAULT_BASE_IRI}"
    return "".join(text.replace(base, f"<{DEFAULT_BASE_IRI}copy{i}/") for i in range(copies)).encode("utf-8")


def best(ds: Dataset, sparql: str, bindings: dict[str, Literal], repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = len(run_query(ds, sparql, base_iri=DEFAULT_BASE_IRI, bindings=bindings).rows)
        times.append(time.perf_counter() - started)
    return min(times), rows


def best_direct(oxi: Dataset, db: ox.Store, sparql: str, bindings: dict[str, Literal], repeat: int) -> float:
    """The same query straight through pyoxigraph, without rdflib's term objects around it."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        text = prepare(oxi, sparql, base_iri=DEFAULT_BASE_IRI, bindings=bindings)
        for _row in db.query(text, use_default_graph_as_union=True):  # type: ignore[attr-defined]
            pass
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out", help="build folder to reuse or create")
    parser.add_argument("--copies", type=int, default=10, help="how many copies of the graph to load")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query; the best is reported")
    args = parser.parse_args()

    graph = kg.load(args.out) if (args.out / "store").exists() else kg.build([ROOT / "sources"], out=args.out)
    data = scaled(serialise(graph.dataset, "nquads"), args.copies)
    triples = data.count(b"\n")
    print(f"{triples:,} quads ({args.copies} copies of the shipped corpus's graph); load: {os.getloadavg()}")
    print(f"python {platform.python_version()}, pyoxigraph {ox.__version__}, {os.cpu_count()} cores")

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        db = ox.Store(str(Path(tmp) / "db"))
        db.bulk_load(data, ox.RdfFormat.N_QUADS)
        db.flush()
        ox_load = time.perf_counter() - started
        oxi = Dataset(store=OxigraphStore(store=db), default_union=True)
        bind_prefixes(oxi, DEFAULT_BASE_IRI)

        started = time.perf_counter()
        mem = Dataset(default_union=True)
        mem.parse(data=data.decode("utf-8"), format="nquads")
        mem_load = time.perf_counter() - started
        print("\n| step | Oxigraph (s) | rdflib memory (s) | rdflib / Oxigraph | pyoxigraph alone (s) |")
        print("|---|---|---|---|---|")
        print(f"| load {triples:,} quads | {ox_load:.1f} | {mem_load:.1f} | {mem_load / ox_load:.1f} | |")
        for name, (sparql, bindings) in QUERIES.items():
            ox_time, ox_rows = best(oxi, sparql, bindings, args.repeat)
            mem_time, mem_rows = best(mem, sparql, bindings, args.repeat)
            if ox_rows != mem_rows:
                raise SystemExit(f"{name}: Oxigraph gave {ox_rows} rows, rdflib {mem_rows}")
            direct = best_direct(oxi, db, sparql, bindings, args.repeat)
            print(
                f"| {name} ({ox_rows:,} rows) | {ox_time:.3f} | {mem_time:.3f} | {mem_time / ox_time:.0f}"
                f" | {direct:.3f} |"
            )
        print("\n| facade on Oxigraph | seconds |\n|---|---|")
        graph = kg.KnowledgeGraph(oxi)
        for method in ("entities", "claims", "summary"):
            started = time.perf_counter()
            getattr(graph, method)()
            print(f"| `KnowledgeGraph.{method}()` | {time.perf_counter() - started:.1f} |")
        del graph, oxi, db


if __name__ == "__main__":
    main()
