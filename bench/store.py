"""Oxigraph against rdflib's memory store on the same ≥ 1 million triples, in one run.

    python bench/store.py                         # builds sources/ into bench-out/ (or reuses it)
    python bench/store.py --out out --copies 10   # reuse a build; scale it to ten copies

The graph of the shipped texts is repeated ``--copies`` times, each copy under its own IRIs
(so entities, claims and documents are distinct per copy, as in a corpus ten times the size).
Both stores load the same N-Quads; representative queries then run through the same code
users call (:meth:`kg.KnowledgeGraph.query`: straight through pyoxigraph on the Oxigraph store,
through rdflib's SPARQL engine on its memory store). Reported: load time, each query's
best-of-``--repeat`` time on both, and the ratio rdflib / Oxigraph. Row counts are compared so
the two did the same work.

Full text is asked two ways. ``search`` is the saved query ``acckg query search WORDS``: on the
Oxigraph store it reads the FTS5 index a build writes beside the store (built here as a build
builds it, and timed with the load); a memory build has no index, so each search there first
reads every evidence sentence and indexes it in memory, as ``acckg query search`` does in each
new process (a second search in the same process reuses that index; reported below the
table). The ``CONTAINS`` filter is the same question in plain SPARQL: a scan on both stores.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset

import kg
from kg import textindex
from kg.config import DEFAULT_BASE_IRI
from kg.query import saved_queries
from kg.store import serialise
from kg.vocab import bind_prefixes

ROOT = Path(__file__).resolve().parent.parent
QUERIES = {
    "fixed cost of a query (`ASK {}`)": ("ASK {}", {}),
    "claims by a claimant": (saved_queries()["claims-by"].text, {"arg": "Nick Land"}),
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
    "full text: `acckg query search machine`": (saved_queries()["search"].text, {"arg": "machine"}),
    'full text: `CONTAINS(LCASE(?sentence), "machine")`': (
        "SELECT ?claim ?text WHERE { ?claim acc:evidence/oa:exact ?sentence ; acc:text ?text ."
        ' FILTER(CONTAINS(LCASE(?sentence), "machine")) } ORDER BY ?claim',
        {},
    ),
}


def scaled(nquads: bytes, copies: int) -> bytes:
    text = nquads.decode("utf-8")
    base = f"<{DEFAULT_BASE_IRI}"
    return "".join(text.replace(base, f"<{DEFAULT_BASE_IRI}copy{i}/") for i in range(copies)).encode("utf-8")


def best(
    graph: Callable[[], kg.KnowledgeGraph], sparql: str, bindings: dict[str, str], repeat: int
) -> tuple[float, int]:
    """Best time of ``repeat`` runs, each on the graph ``graph()`` gives (a fresh one, or the same)."""
    times, rows = [], 0
    for _ in range(repeat):
        g = graph()
        started = time.perf_counter()
        result = g.query(sparql, **bindings)
        times.append(time.perf_counter() - started)
        rows = len(result.rows) if result.boolean is None else 1
    return min(times), rows


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
        started = time.perf_counter()
        index = textindex.index_database(db, Path(tmp) / textindex.FILE)
        index_time = time.perf_counter() - started
        oxi = Dataset(store=OxigraphStore(store=db), default_union=True)
        bind_prefixes(oxi, DEFAULT_BASE_IRI)
        on_oxigraph = kg.KnowledgeGraph(oxi, text_index=index)

        started = time.perf_counter()
        mem = Dataset(default_union=True)
        mem.parse(data=data.decode("utf-8"), format="nquads")
        mem_load = time.perf_counter() - started
        print(f"Oxigraph's text index: {len(index):,} sentences in {index_time:.1f} s")
        print("\n| step | Oxigraph (s) | rdflib memory (s) | rdflib / Oxigraph |")
        print("|---|---|---|---|")
        ox_total = ox_load + index_time
        print(
            f"| load {triples:,} quads (+ text index) | {ox_total:.1f} | {mem_load:.1f} | {mem_load / ox_total:.1f} |"
        )
        for name, (sparql, bindings) in QUERIES.items():
            ox_time, ox_rows = best(lambda: on_oxigraph, sparql, bindings, args.repeat)
            mem_time, mem_rows = best(lambda: kg.KnowledgeGraph(mem), sparql, bindings, args.repeat)
            if ox_rows != mem_rows:
                raise SystemExit(f"{name}: Oxigraph gave {ox_rows} rows, rdflib {mem_rows}")
            print(f"| {name} ({ox_rows:,} rows) | {ox_time:.3f} | {mem_time:.3f} | {mem_time / ox_time:.0f} |")
        warm = kg.KnowledgeGraph(mem)
        search = saved_queries()["search"].text
        warm.query(search, arg="machine")
        again, _ = best(lambda: warm, search, {"arg": "intelligence"}, args.repeat)
        print(f"\nrdflib memory, a second search in the same process (index already in memory): {again:.3f} s")
        print("\n| facade | Oxigraph (s) |\n|---|---|")
        for method, call in (
            ("entities()", on_oxigraph.entities),
            ("claims()", on_oxigraph.claims),
            ('search("machine")', lambda: on_oxigraph.search("machine")),
            ("summary()", on_oxigraph.summary),
        ):
            started = time.perf_counter()
            call()
            print(f"| `KnowledgeGraph.{method}` | {time.perf_counter() - started:.1f} |")
        print(f"load after: {os.getloadavg()}")
        index.close()
        del oxi, db


if __name__ == "__main__":
    main()
