"""The stores a build can live in: the same answers on each, atomic swaps, incremental rebuilds."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic, to_isomorphic

import kg
from kg import backends, embedded, textindex
from kg.builder import Execution, build_into
from kg.config import Settings
from kg.model import DocAnalysis, SourceDoc
from kg.query import run_query, saved_queries
from kg.store import serialise

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "import-ai-384.txt"
BUTLER = ROOT / "sources" / "butler-darwin-among-the-machines.txt"
NS = "https://w3id.org/acckg/id/"

ARGUMENTS = {"entities": "Person", "sources-of": "Nick Land", "claims-by": "Nick Land", "claims-about": "capitalism"}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed built into the Oxigraph store and into rdflib's memory store."""
    ox_out, mem_out = tmp_path_factory.mktemp("ox"), tmp_path_factory.mktemp("mem")
    kg.build([SEED], out=ox_out)
    kg.build([SEED], out=mem_out, store="memory")
    return ox_out, mem_out


def test_every_saved_query_gives_the_same_answer_on_both_stores(both: tuple[Path, Path]) -> None:
    ox = backends.open_dataset(both[0], store="oxigraph", base_iri=NS)
    mem = backends.open_dataset(both[1], store="memory", base_iri=NS)
    assert type(ox.store).__name__ == "OxigraphStore" and type(mem.store).__name__ == "Memory"
    answered = 0
    for name, query in saved_queries().items():
        bindings = {"arg": Literal(ARGUMENTS.get(name, "Nick Land"))} if query.takes_argument else {}
        on_ox = run_query(ox, query.text, base_iri=NS, bindings=bindings)
        on_mem = run_query(mem, query.text, base_iri=NS, bindings=bindings)
        assert on_ox == on_mem, name  # same rows in the same order, same terms
        answered += bool(on_ox.rows)
    assert answered >= 5  # the comparison is not between empty results


def test_counts_and_sums_agree_on_both_stores(both: tuple[Path, Path]) -> None:
    # Known engine differences, kept out: AVG's last digits (rdflib keeps 28) and aggregates over
    # unbound values (rdflib: 0, Oxigraph: unbound).

    sparql = (
        "SELECT ?m (COUNT(?c) AS ?n) (SUM(?conf) AS ?sum) (MAX(?conf) AS ?max)"
        " WHERE { ?c acc:confidence ?conf ; acc:modality ?m } GROUP BY ?m ORDER BY ?m"
    )
    # Computed decimals are spelled differently ("70" and "70.0"): compare the values.
    results = [[[v.toPython() for v in row] for row in kg.load(out).query(sparql).rows] for out in both]  # type: ignore[union-attr]
    assert results[0] == results[1] and len(results[0]) >= 2


def test_the_facade_reads_the_same_graph_from_both_stores(both: tuple[Path, Path]) -> None:
    ox, mem = kg.load(both[0]), kg.load(both[1], store="memory")
    assert ox.entities() == mem.entities() and ox.claims() == mem.claims()
    assert ox.documents() == mem.documents() and ox.summary() == mem.summary()
    assert ox.path("Nick Land", "capitalism") == mem.path("Nick Land", "capitalism")
    # A store answers by SPARQL, the memory store by its own lookups: restricted reads agree too.
    assert ox.claims(by="nick land") and ox.claims(by="nick land") == mem.claims(by="nick land")
    assert ox.claims(about="capitalism", by="Nobody") == mem.claims(about="capitalism", by="Nobody") == []


def test_a_read_only_store_reads_its_entity_graph_once_and_hands_out_copies(both: tuple[Path, Path]) -> None:
    graph = kg.load(both[0])
    first = graph.to_networkx()
    first.add_edge("not", "there")
    again = graph.to_networkx()
    assert "not" not in again and nx.utils.graphs_equal(again, kg.load(both[1]).to_networkx())
    shared = graph.to_networkx(copy=False)  # no copy, so it cannot be changed
    assert graph.to_networkx(copy=False) is shared and nx.utils.graphs_equal(shared, again)
    with pytest.raises(nx.NetworkXError):
        shared.add_edge("not", "there")


def test_oxigraph_build_serialises_to_the_bytes_of_the_memory_build(both: tuple[Path, Path]) -> None:
    assert serialise(kg.load(both[0]).dataset, "trig") == (both[1] / "graph.trig").read_bytes()
    assert serialise(kg.load(both[0]).dataset, "nquads") == serialise(kg.load(both[1]).dataset, "nquads")


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


def test_an_interrupted_write_leaves_the_previous_store_queryable(
    both: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _copy(both[0], tmp_path / "out")
    before = serialise(kg.load(out).dataset, "nquads")

    def interrupted(self: object, *args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("pyoxigraph.Store.bulk_load", interrupted)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")  # other inputs: a rebuild is due
    with pytest.raises(KeyboardInterrupt):
        build_into([SEED], Settings(), out)
    assert serialise(kg.load(out).dataset, "nquads") == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith((".store", "store"))) == [
        "store",
        os.readlink(out / "store"),
    ]


def test_a_killed_build_leaves_the_previous_store_and_the_next_build_cleans_up(
    both: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _copy(both[0], tmp_path / "out")
    before = serialise(kg.load(out).dataset, "nquads")
    script = (
        "import sys, pyoxigraph, time\n"
        "def slow(self, *a, **k):\n"
        "    print('loading', flush=True); time.sleep(60)\n"
        "pyoxigraph.Store.bulk_load = slow\n"
        "from kg.cli import main\n"
        f"sys.exit(main(['build', {str(SEED)!r}, '--out', {str(out)!r}]))\n"
    )
    env = {**os.environ, "SOURCE_DATE_EPOCH": "86400"}
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"loading"
    os.kill(proc.pid, signal.SIGKILL)  # no handler runs: the half-written store stays on disk
    proc.wait(timeout=30)
    assert list(out.glob(".store-*.tmp"))
    assert serialise(kg.load(out).dataset, "nquads") == before
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    build_into([SEED], Settings(), out)
    assert not list(out.glob(".store-*.tmp")) and len(list(out.glob("store-*"))) == 1


def test_a_build_keeps_the_database_a_reader_has_open_until_a_later_build(tmp_path: Path) -> None:
    embedded.write([_quad(1)], tmp_path, "first")
    reader = embedded.open_dataset(tmp_path, base_iri=NS)
    embedded.write([_quad(2)], tmp_path, "second")  # swaps the link while the reader has "first" open
    assert (tmp_path / "store-first").is_dir()
    assert [str(s) for s, _, _, _ in reader.quads()] == [f"{NS}s1"]
    del reader
    gc.collect()  # the reader's lock goes with its store
    embedded.write([_quad(3)], tmp_path, "third")
    assert sorted(p.name for p in tmp_path.glob("store-*")) == ["store-third"]


def _quad(n: int) -> str:
    return f"<{NS}s{n}> <{NS}p> <{NS}o{n}> <{NS}g{n}> .\n"


def _count_quads(db: ox.Store, folder: Path, previous: Path | None) -> None:
    """Extras that write how many quads the new database holds."""
    (folder / "count.txt").write_text(str(len(db)))


@pytest.mark.parametrize("beside_check", [False, True])
def test_every_text_is_loaded_and_every_derived_file_written(tmp_path: Path, beside_check: bool) -> None:
    checked: list[int] = []
    embedded.write(
        [_quad(1), _quad(2) + _quad(3), _quad(4)],
        tmp_path,
        "f",
        check=lambda db: checked.append(len(db)),
        extras=_count_quads,
        beside_check=beside_check,
    )
    assert checked == [4]
    assert (tmp_path / "store" / "count.txt").read_text() == "4"
    assert (tmp_path / "store" / textindex.FILE).is_file()
    reader = embedded.open_dataset(tmp_path, base_iri=NS)
    assert sorted(str(s) for s, _, _, _ in reader.quads()) == [f"{NS}s{n}" for n in (1, 2, 3, 4)]


def test_a_check_that_fails_beside_the_derived_files_keeps_the_previous_store(tmp_path: Path) -> None:
    embedded.write([_quad(1)], tmp_path, "first")

    def refuse(db: ox.Store) -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        embedded.write([_quad(2)], tmp_path, "second", check=refuse, extras=_count_quads, beside_check=True)
    assert os.readlink(tmp_path / "store") == "store-first"
    assert not list(tmp_path.glob(".store-*.tmp"))  # the new folder went, after the thread beside the check ended


def test_a_derived_file_that_fails_beside_the_check_fails_the_write(tmp_path: Path) -> None:
    def broken(db: ox.Store, folder: Path, previous: Path | None) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        embedded.write([_quad(1)], tmp_path, "first", check=lambda db: None, extras=broken, beside_check=True)
    assert embedded.current(tmp_path) is None and not list(tmp_path.glob(".store-*.tmp"))


def _counting_analyses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record which documents go through spaCy."""
    from kg import builder

    seen: list[str] = []
    real = builder.analyse_corpus

    def counting(docs: Sequence[SourceDoc], *args: object, **kwargs: object) -> Iterator[DocAnalysis]:
        seen.extend(d.id for d in docs)
        return real(docs, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builder, "analyse_corpus", counting)
    return seen


def _in_memory(ds: Dataset) -> Dataset:
    """A copy in rdflib's memory store, literals spelled one way (Oxigraph types plain strings)."""
    copy = Dataset(default_union=True)
    copy.parse(data=serialise(ds, "nquads").decode("utf-8"), format="nquads")
    return copy


def _canonical(ds: Dataset) -> dict[str, object]:
    return {str(g.identifier): to_isomorphic(g) for g in _in_memory(ds).graphs() if len(g)}


def test_rebuild_after_an_edit_equals_a_build_from_scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / "seed.txt")
    (corpus / "note.txt").write_text("Nick Land argues that capitalism is artificial intelligence.\n", encoding="utf-8")
    (corpus / "gone.txt").write_text("Marc Andreessen says that software is eating the world.\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    seen = _counting_analyses(monkeypatch)
    out = tmp_path / "out"
    first = build_into([corpus], Settings(), out)
    assert first.changed and sorted(seen) == ["gone", "note", "seed"]

    seen.clear()
    again = build_into([corpus], Settings(), out)
    assert not again.changed and seen == []

    (corpus / "note.txt").write_text("Nick Land argues that capitalism is not intelligent.\n", encoding="utf-8")
    (corpus / "gone.txt").unlink()
    seen.clear()
    rebuilt = build_into([corpus], Settings(), out)
    assert rebuilt.changed and seen == ["note"]  # the seed came from the cache

    incremental = kg.load(out).dataset
    scratch = kg.build([corpus]).dataset
    assert _canonical(incremental) == _canonical(scratch)
    merged = [Graph(), Graph()]
    for graph, ds in zip(merged, (incremental, scratch), strict=True):
        graph += _in_memory(ds).triples((None, None, None))  # type: ignore[arg-type]
    assert isomorphic(merged[0], merged[1]) and len(merged[0]) > 1000
    graphs = {str(g.identifier) for g in incremental.graphs() if len(g)}
    assert f"{NS}graph/gone" not in graphs and f"{NS}graph/note" in graphs
    texts = {c.text for c in kg.load(out).claims(by="Nick Land")}
    assert "capitalism is not intelligent" in texts and "capitalism is artificial intelligence" not in texts
    assert not kg.load(out).find("Marc Andreessen")  # no stale entity from the deleted document


def test_a_build_stopped_during_the_nlp_keeps_what_it_had_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg import builder

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"Nick Land argues that {name} is capital.\n", encoding="utf-8")
    real = builder.analyse_corpus

    def stopped_after_one(docs: Sequence[SourceDoc], *args: object, **kwargs: object) -> Iterator[DocAnalysis]:
        yield next(real(docs, *args, **kwargs))  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(builder, "analyse_corpus", stopped_after_one)
    with pytest.raises(KeyboardInterrupt):
        build_into([tmp_path], Settings(), tmp_path / "out")
    monkeypatch.undo()
    seen = _counting_analyses(monkeypatch)
    build_into([tmp_path], Settings(), tmp_path / "out")
    assert seen == ["b", "c"]


def test_a_build_says_what_it_does_after_the_nlp_in_order(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Nick Land argues that capitalism is artificial intelligence.\n", encoding="utf-8")
    seen: list[str] = []
    build_into([note], Settings(), tmp_path / "out", execution=Execution(on_stage=seen.append))
    assert seen == ["resolving entities", "attributing claims", "writing the store", "checking the SHACL shapes"]


def test_a_changed_setting_misses_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Nick Land argues that capitalism is artificial intelligence.\n", encoding="utf-8")
    seen = _counting_analyses(monkeypatch)
    build_into([note], Settings(), tmp_path / "out")
    build_into([note], Settings(max_concepts_per_doc=2), tmp_path / "out")
    assert seen == ["note", "note"]


def test_load_reads_the_store_of_an_output_folder(both: tuple[Path, Path]) -> None:
    graph = kg.load(both[0])
    assert type(graph.dataset.store).__name__ == "OxigraphStore"
    assert any(c.identity for c in graph.claims(by="Nick Land"))
    assert graph.query("ASK { ?c acc:identityClaim true }").boolean


def test_restrictions_split_into_values_blocks_keep_every_resource(
    both: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ox, mem = kg.load(both[0]), kg.load(both[1], store="memory")
    whole = ox.search("AI")
    monkeypatch.setattr("kg.vocab.VALUES_BLOCK", 2)  # Oxigraph gets the hits in many small blocks
    assert len(whole) > 4 and ox.search("AI") == whole == mem.search("AI")


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_reading_chosen_ids_gives_what_reading_everything_gives(
    both: tuple[Path, Path], store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = kg.load(both[0] if store == "oxigraph" else both[1], store=store)
    claims, entities = graph.claims(), graph.entities()
    monkeypatch.setattr("kg.vocab.VALUES_BLOCK", 3)  # the ids go in many small blocks
    some_claims, some_entities = {c.id for c in claims[::7]}, {e.id for e in entities[::5]}
    assert graph.claims(ids=some_claims) == [c for c in claims if c.id in some_claims]
    assert graph.entities(ids=some_entities) == [e for e in entities if e.id in some_entities]
    assert graph.claims(ids=[]) == [] and graph.entities(ids=["no-such-entity"]) == []
    docs = graph.mentioned_in(["nick-land", "no-such-entity"])
    assert list(docs) == ["nick-land"] and docs["nick-land"] == ["import-ai-384"]


@pytest.mark.parametrize("edited", ["model.py", "kb.py", "nlp/claims.py", "data/given_names.txt", "data/places.txt"])
def test_the_cache_key_changes_with_the_nlp_code_and_the_types_analyses_are_pickled_as(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edited: str
) -> None:
    import shutil

    import kg.cache

    package = tmp_path / "kg"
    shutil.copytree(Path(kg.cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(kg.cache, "_PACKAGE", package)
    before = kg.cache.settings_digest(Settings(), "3.8.0")
    with (package / edited).open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    assert kg.cache.settings_digest(Settings(), "3.8.0") != before
