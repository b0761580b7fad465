from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic

import kg
from kg.errors import BuildNotFoundError, QueryError
from kg.query import bind, resolve_query, saved_queries
from kg.store import load, serialise, write_atomic

NS = "https://w3id.org/acckg/id/"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30), max_size=5))
def test_trig_round_trip_preserves_every_literal(texts: list[str]) -> None:
    ds = Dataset()
    g = ds.graph(URIRef(NS + "graph/t"))
    for i, text in enumerate(texts):
        g.add((URIRef(f"{NS}entity/e{i}"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(text)))
    ds.default_graph.add((URIRef(NS + "run/r"), URIRef(NS + "p"), Literal(3)))
    data = serialise(ds)
    back = Dataset()
    back.parse(data=data.decode("utf-8"), format="trig")
    assert isomorphic(back.graph(URIRef(NS + "graph/t")), g)
    assert serialise(back) == data


def test_failed_write_leaves_the_previous_file_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "graph.trig"
    target.write_bytes(b"old")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kg.store.os.fsync", disk_full)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.trig"]


def test_loading_a_missing_build_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(BuildNotFoundError, match="acckg build"):
        load(tmp_path / "graph.trig")


def test_every_saved_query_parses_and_documents_its_usage(seed_graph: kg.KnowledgeGraph) -> None:
    queries = saved_queries()
    assert {"claims-by", "claims-about", "entities", "sources-of", "identity-claims", "contrasting-claims"} <= set(
        queries
    )
    for q in queries.values():
        assert q.description and q.usage.startswith("acckg query")
        seed_graph.query(q.text, **({"arg": "Nick Land"} if q.takes_argument else {}))


def test_malformed_sparql_is_a_query_error(seed_graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="malformed SPARQL"):
        seed_graph.query("SELEKT ?x WHERE { ?x ?y }")


def test_saved_query_without_its_argument_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="needs an argument"):
        resolve_query("claims-by")


def test_results_serialise_to_the_standard_formats(seed_graph: kg.KnowledgeGraph) -> None:
    result = seed_graph.query("SELECT ?label WHERE { ?e a schema:Person ; rdfs:label ?label } ORDER BY ?label")
    doc = json.loads(result.to_json())
    labels = [b["label"]["value"] for b in doc["results"]["bindings"]]
    assert "Nick Land" in labels and doc["head"]["vars"] == ["label"]
    assert result.to_csv().splitlines()[0] == "label"
    assert result.to_tsv().splitlines()[0] == "?label"
    assert '"Nick Land"' in result.to_tsv()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20), min_size=1, max_size=4))
def test_tsv_results_keep_one_row_per_line_whatever_the_text(texts: list[str]) -> None:
    from kg.query import QueryResult

    result = QueryResult(("a", "b"), tuple((Literal(t), URIRef(NS + "x")) for t in texts))
    lines = result.to_tsv().split("\n")
    assert lines[-1] == "" and len(lines) == len(texts) + 2
    assert all(line.count("\t") == 1 for line in lines[:-1])


def test_a_named_query_matches_the_name_in_any_case(seed_graph: kg.KnowledgeGraph) -> None:
    text = saved_queries()["claims-by"].text
    exact = seed_graph.query(text, arg="Nick Land").rows
    assert exact and seed_graph.query(text, arg="nICK lAND").rows == exact


def test_a_named_query_with_an_unknown_name_has_no_rows(seed_graph: kg.KnowledgeGraph) -> None:
    assert seed_graph.query(saved_queries()["claims-by"].text, arg="Nobody At All").rows == ()


def test_bind_gives_each_alternative_of_a_variable() -> None:
    a, b = URIRef(NS + "entity/a"), URIRef(NS + "entity/b")
    text = bind("SELECT ?x ?y WHERE { }", {"x": (a, b), "y": Literal("n")})
    ds = Dataset()
    rows = sorted(tuple(row) for row in ds.query(text))  # type: ignore[arg-type]
    assert rows == [(a, Literal("n")), (b, Literal("n"))]
    assert list(ds.query(bind("SELECT ?x WHERE { }", {"x": ()}))) == []


def test_claims_by_an_unknown_name_are_none(seed_graph: kg.KnowledgeGraph) -> None:
    assert seed_graph.claims(by="Nobody At All") == []
    assert seed_graph.claims(about="nothing of the kind", by="Nick Land") == []
