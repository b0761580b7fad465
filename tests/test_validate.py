"""``acckg validate`` and the SHACL check every build runs before it replaces the previous one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from rdflib import Dataset

import kg
from kg.cli import main
from kg.store import serialise
from kg.vocab import ACC

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "import-ai-384.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    kg.build([SEED], out=out)
    return out


def _without_evidence(ds: Dataset) -> Dataset:
    for s, p, o, g in list(ds.quads((None, ACC.evidence, None, None))):
        ds.remove((s, p, o, g))
    return ds


def test_a_build_conforms(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--out", str(built)]) == 0
    assert "conforms" in capsys.readouterr().out


def test_violations_are_listed_one_per_line_and_exit_4(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.nq"
    copy = Dataset(default_union=True)  # the store itself is opened read-only
    copy.parse(data=serialise(kg.load(built).dataset, "nquads").decode("utf-8"), format="nquads")
    broken.write_bytes(serialise(_without_evidence(copy), "nquads"))
    assert main(["validate", str(broken)]) == 4
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    claims = len(kg.load(built).claims())
    assert len(lines) == claims  # one missing evidence per claim
    assert all(line.startswith("Violation: <https://w3id.org/acckg/id/claim/") for line in lines)
    assert "<https://w3id.org/acckg/ns#evidence>" in lines[0]
    assert f"{claims} SHACL violations" in captured.err and len(captured.err.strip().splitlines()) == 1


def test_an_unreadable_file_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    assert main(["validate", str(bad)]) == 3
    assert "bad.ttl" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "graph.xyz")]) == 3


@pytest.mark.parametrize("rebuild", ["a new store", "an update of the store"])
def test_a_build_that_breaks_the_shapes_fails_and_keeps_the_previous_store(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], rebuild: str
) -> None:
    from kg import builder

    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)
    before = serialise(kg.load(out).dataset, "nquads")
    real = builder.nquads

    def broken(*args: Any, **kwargs: Any) -> Iterator[str]:
        return (line for line in real(*args, **kwargs) if "<https://w3id.org/acckg/ns#evidence>" not in line)

    monkeypatch.setattr(builder, "nquads", broken)
    # Another base IRI makes a new store; an added document, an update with its statements.
    note = tmp_path / "note.txt"
    note.write_text("Nick Land argues that capitalism is artificial intelligence.\n", encoding="utf-8")
    args = ["--base-iri", "https://example.org/other/"] if rebuild == "a new store" else [str(note)]
    assert main(["build", str(SEED), *args, "--out", str(out)]) == 4
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("acckg: error:")]
    assert len(errors) == 1 and "E601" in errors[0] and "SHACL" in errors[0] and "Traceback" not in err
    assert serialise(kg.load(out).dataset, "nquads") == before


# Each breaks one kind of constraint in the seed's graph: (name, N-Quads lines to drop, lines to add).
A = "https://w3id.org/acckg/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
BREAKS: list[tuple[str, str, str]] = [
    ("a mention without the entity it denotes", f"<{A}denotes>", ""),
    ("an entity without its class", "<http://schema.org/Person>", ""),
    ("an entity with two classes", "", "<{entity}> a <http://schema.org/Place> ."),
    ("an entity with two labels", "", '<{entity}> <http://www.w3.org/2000/01/rdf-schema#label> "twice" .'),
    ("an empty label", "", '<{entity2}> <http://www.w3.org/2000/01/rdf-schema#label> "" .'),
    ("an ill-formed integer", "", f'<{{entity}}> <{A}mentionCount> "ten"^^<{XSD}integer> .'),
    ("a count below zero", "", f'<{{entity}}> <{A}mentionCount> "-1"^^<{XSD}integer> .'),
    ("a confidence above one", "", f'<{{claim}}> <{A}confidence> "1.5"^^<{XSD}decimal> .'),
    ("a polarity outside the list", "", f'<{{claim}}> <{A}polarity> "maybe" .'),
    ("a claimant that is a literal", "", f'<{{claim}}> <{A}claimant> "someone" .'),
    ("a claimant that is neither entity nor document", "", f"<{{claim}}> <{A}claimant> <{{mention}}> ."),
    ("a digest that is not hex", "", f'<{{doc}}> <{A}sha256> "not-a-digest" .'),
    (
        "a mention that ends before it starts",
        "",
        f'<{{mention}}> <http://www.w3.org/ns/oa#start> "99999"^^<{XSD}integer> .',
    ),
    ("evidence without its document", f"<{A}inDocument> <{{doc}}> <", ""),
    ("evidence with an offset that is no integer", "", '<{evidence}> <http://www.w3.org/ns/oa#end> "the end" .'),
    ("evidence in an entity", "", f"<{{evidence}}> <{A}inDocument> <{{entity}}> ."),
    ("a member that is a concept", "", "<{concept}> <http://schema.org/memberOf> <{entity}> ."),
    ("a document title that is an IRI", "", "<{doc}> <http://purl.org/dc/terms/title> <http://example.org/t> ."),
]


@pytest.fixture(scope="module")
def seed_lines(built: Path) -> list[str]:
    return serialise(kg.load(built).dataset, "nquads").decode("utf-8").splitlines()


def _broken(lines: list[str], drop: str, add: str) -> str:
    def first(kind: str, skip: int = 0) -> str:
        found = [
            line.split(" ", 1)[0][1:-1]
            for line in lines
            if f"> a <{kind}>" in line.replace("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "a")
        ]
        return sorted(set(found))[skip]

    names = {
        "entity": first("http://schema.org/Person"),
        "entity2": first("http://schema.org/Organization"),
        "concept": first("http://www.w3.org/2004/02/skos/core#Concept"),
        "mention": first(f"{A}Mention"),
        "claim": first(f"{A}Claim"),
        "doc": first(f"{A}Document"),
        "evidence": min(line.split(" ")[2][1:-1] for line in lines if f"> <{A}evidence> <" in line),
    }
    drop = drop.format(**names)
    kept = [line for line in lines if not (drop and drop in line)]
    if add:
        kept.append(add.format(**names).replace(" a ", " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "))
    return "\n".join(kept) + "\n"


def _pyshacl(nq: str) -> set[tuple[str, str]]:
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    from kg.validate import shapes

    merged = Graph()
    for s, p, o, _ in Dataset().parse(data=nq, format="nquads").quads():
        merged.add((s, p, o))
    _, report, _ = pyshacl.validate(merged, shacl_graph=shapes())
    assert isinstance(report, Graph)
    found = set()
    for result in report.objects(None, SH.result):  # top-level results, not their sh:detail
        path = report.value(result, SH.resultPath)
        found.add((f"<{report.value(result, SH.focusNode)}>", f"<{path}>" if path is not None else "-"))
    return found


@pytest.mark.parametrize(("name", "drop", "add"), BREAKS, ids=[b[0] for b in BREAKS])
def test_the_compiled_shapes_find_what_pyshacl_finds_in_a_dataset_a_store_and_on_the_nodes_asked_for(
    seed_lines: list[str], name: str, drop: str, add: str
) -> None:
    import pyoxigraph as ox

    from kg.validate import validate

    nq = _broken(seed_lines, drop, add)
    expected = _pyshacl(nq)
    assert expected, f"{name}: the break must break something"
    in_rdflib = Dataset(default_union=True).parse(data=nq, format="nquads")
    in_oxigraph = ox.Store()
    in_oxigraph.load(nq.encode("utf-8"), ox.RdfFormat.N_QUADS)
    for graph in (in_rdflib, in_oxigraph):
        assert {(v.focus, v.path) for v in validate(graph)} == expected
    full = validate(in_oxigraph)
    assert validate(in_oxigraph, threads=2) == full  # queries side by side, same report
    # Checking some nodes reports what the whole check reports on them (a rebuild checks what it changed).
    broken = {v.focus[1:-1] for v in full}
    others = set(sorted({line.split(" ", 1)[0][1:-1] for line in nq.splitlines()} - broken)[::40])
    assert validate(in_oxigraph, focus=broken | others) == full
    assert validate(in_oxigraph, focus=others) == []
    with patch("kg.vocab.VALUES_BLOCK", 3):  # many VALUES blocks, the same report
        assert validate(in_oxigraph, focus=broken | others) == full


def test_a_shape_the_compiler_cannot_check_is_refused_not_skipped() -> None:
    from rdflib import Graph

    from kg.validate import compile_shapes

    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:S> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:qualifiedMinCount 1 ] .""",
        format="turtle",
    )
    with pytest.raises(ValueError, match="qualifiedMinCount"):
        list(compile_shapes(shapes))


@pytest.mark.parametrize(
    ("members", "conforms"),
    [
        ("[ sh:path rdf:type ; sh:hasValue <urn:A> ] [ sh:path rdf:type ; sh:hasValue <urn:B> ]", True),
        ("[ sh:path rdf:type ; sh:hasValue <urn:A> ] [ sh:path rdf:type ; sh:hasValue <urn:A> ]", False),
    ],
)
def test_an_xone_of_values_counts_the_members_a_node_conforms_to_as_pyshacl_does(members: str, conforms: bool) -> None:
    import pyoxigraph as ox
    import pyshacl
    from rdflib import Graph

    from kg.validate import compile_shapes

    shapes = Graph().parse(
        data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        <urn:S> a sh:NodeShape ; sh:targetClass <urn:T> ; sh:xone ( {members} ) .""",
        format="turtle",
    )
    data = "<urn:n> a <urn:T>, <urn:A> ."
    store = ox.Store()
    store.load(data.encode(), ox.RdfFormat.TURTLE)
    found = []
    for check in compile_shapes(shapes):
        rows = store.query(check.query(None))
        assert isinstance(rows, ox.QuerySolutions)
        found += list(rows)
    assert (not found) == conforms == pyshacl.validate(Graph().parse(data=data, format="turtle"), shacl_graph=shapes)[0]
