"""``acckg export``: each format reads back as what was built, byte-identically across runs."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

import kg
from kg.cli import main
from kg.export import context
from kg.store import serialise
from kg.vocab import ACC

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "import-ai-384.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    kg.build([SEED], out=out)
    return out


def _export(out: Path, fmt: str, target: Path) -> Path:
    assert main(["export", "--format", fmt, "--out", str(out), "-o", str(target)]) == 0
    return target


def _triples(data: str, fmt: str) -> Graph:
    ds = Dataset(default_union=True)
    ds.parse(data=data, format=fmt)
    graph = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def test_jsonld_reads_back_as_the_same_triples(built: Path, tmp_path: Path) -> None:
    path = _export(built, "jsonld", tmp_path / "g.jsonld")
    nquads = serialise(kg.load(built).dataset, "nquads").decode("utf-8")
    assert isomorphic(_triples(path.read_text("utf-8"), "json-ld"), _triples(nquads, "nquads"))
    assert json.loads(path.read_text("utf-8"))["@context"]["claimant"] == {"@id": "acc:claimant", "@type": "@id"}


def test_jsonld_is_byte_identical_across_processes(built: Path, tmp_path: Path) -> None:
    outputs = []
    for i in range(2):
        target = tmp_path / f"{i}.jsonld"
        args = ["export", "--format", "jsonld", "--out", str(built), "-o", str(target)]
        code = f"from kg.cli import main; main({args!r})"
        subprocess.run([sys.executable, "-c", code], check=True)  # new process: new hash seed
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_context_names_every_property_and_class_of_the_ontology() -> None:
    ontology = Graph().parse(ROOT / "kg" / "data" / "ontology.ttl")
    ctx = context()["@context"]
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Class):
        for node in ontology.subjects(RDF.type, kind):
            if str(node).startswith(str(ACC)):
                name = str(node)[len(str(ACC)) :]
                entry = ctx[name]
                assert (entry["@id"] if isinstance(entry, dict) else entry) == f"acc:{name}"
                if kind == OWL.ObjectProperty:
                    assert entry["@type"] == "@id"


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_entity_graph_for_gephi_and_cytoscape(built: Path, tmp_path: Path, fmt: str, reader: object) -> None:
    path = _export(built, fmt, tmp_path / f"g.{fmt}")
    back = reader(path)  # type: ignore[operator]
    expected = kg.load(built).to_networkx()
    assert set(back.nodes) == set(expected.nodes) and back.number_of_edges() == expected.number_of_edges()
    assert back.nodes["nick-land"]["label"] == "Nick Land" and back.nodes["nick-land"]["type"] == "Person"


def test_csv_tables_hold_every_entity_and_claim(built: Path, tmp_path: Path) -> None:
    folder = _export(built, "csv", tmp_path / "tables")
    graph = kg.load(built)
    with (folder / "claims.csv").open(encoding="utf-8", newline="") as fh:
        claims = list(csv.DictReader(fh))
    with (folder / "entities.csv").open(encoding="utf-8", newline="") as fh:
        entities = list(csv.DictReader(fh))
    assert len(claims) == len(graph.claims()) and len(entities) == len(graph.entities())
    identity = [c for c in claims if c["identity"] == "true" and c["claimant"] == "nick-land"]
    assert identity and "capitalism" in identity[0]["evidence"]
    assert int(identity[0]["evidence_start"]) < int(identity[0]["evidence_end"])


def test_every_format_is_deterministic(built: Path, tmp_path: Path) -> None:
    for fmt in ("trig", "nquads", "turtle", "graphml", "gexf", "csv"):
        first = _export(built, fmt, tmp_path / "a" / fmt)
        second = _export(built, fmt, tmp_path / "b" / fmt)
        names = sorted(p.name for p in first.iterdir())
        assert names and [(first / n).read_bytes() for n in names] == [(second / n).read_bytes() for n in names]
