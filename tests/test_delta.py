"""Rebuilds that update the previous store in place: same graph as a build from scratch."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

import kg
from kg import embedded, records
from kg.builder import build_into
from kg.cli import main
from kg.config import DEFAULT_BASE_IRI, Settings
from kg.delta import BuildState, Delta, diff
from kg.graph import KnowledgeGraph
from kg.model import Claim, Span
from kg.records import Records

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "import-ai-384.txt"
NOTES = {
    "alpha": "Nick Land argues that capitalism is artificial intelligence.",
    "beta": "Marc Andreessen says that software is eating the world.",
    "gamma": "Eliezer Yudkowsky warns that superintelligence will kill everyone.",
    "delta": "Andrew Critch argues that AI safety needs cooperation between labs.",
    "epsilon": "Mark Fisher wrote that capitalism has no alternative.",
}


def _corpus(tmp_path: Path, notes: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed and one file per note, built at a fixed time."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / "seed.txt")
    for name, text in notes.items():
        (corpus / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    return corpus


def _edit(corpus: Path) -> None:
    """Alpha changed, epsilon gone, zeta new."""
    (corpus / "alpha.txt").write_text("Nick Land argues that capitalism is not intelligent.\n", encoding="utf-8")
    (corpus / "epsilon.txt").unlink()
    (corpus / "zeta.txt").write_text("Sadie Plant argues that machines will outgrow their makers.\n", encoding="utf-8")


def test_a_rebuild_that_changes_a_few_documents_updates_the_store_and_equals_a_build_from_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path, NOTES, monkeypatch)
    out = tmp_path / "out"
    build_into([corpus], Settings(), out)

    _edit(corpus)
    updates: list[int] = []
    real = embedded.update

    def counted(*args: object, **kwargs: object) -> Path:
        updates.append(len(kwargs["graphs"]))  # type: ignore[arg-type]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(embedded, "update", counted)
    monkeypatch.setattr("kg.vocab.VALUES_BLOCK", 2)  # the replaced graphs and subjects go in several blocks
    rebuilt = build_into([corpus], Settings(), out)
    assert rebuilt.changed and updates and updates[0] < 6  # replaced a few graphs, not the seven
    assert rebuilt.update is not None and {"alpha", "zeta"} <= rebuilt.update.docs
    assert rebuilt.update.removed_docs == {"epsilon"}

    scratch = tmp_path / "scratch"
    shutil.copytree(out / "cache", scratch / "cache")  # the same analyses, without running spaCy again
    build_into([corpus], Settings(), scratch)
    incremental, fresh = kg.load(out), kg.load(scratch)
    assert incremental.save(tmp_path / "a.trig").read_bytes() == fresh.save(tmp_path / "b.trig").read_bytes()
    texts = {c.text for c in incremental.claims(by="Nick Land")}
    assert "capitalism is not intelligent" in texts and "capitalism is artificial intelligence" not in texts
    assert not incremental.find("Mark Fisher") and incremental.find("Sadie Plant")
    for words in ("capitalism", "machines outgrow", "AI"):  # the full-text index was updated alike
        assert [c.id for c in incremental.search(words)] == [c.id for c in fresh.search(words)]
    assert len(list(out.glob("store-*"))) == 1  # the previous database is gone once swapped
    # The entity graph saved with each store, made from the build's values (fresh) or updated with
    # what the replaced graphs gave (incremental), is what reading the whole store gives.
    assert embedded.entity_links(out) is not None
    whole = KnowledgeGraph(incremental.dataset)  # not frozen: reads the RDF
    read = whole.to_networkx()
    for saved in (incremental.to_networkx(), fresh.to_networkx()):
        assert list(saved.nodes(data=True)) == list(read.nodes(data=True))
        assert list(saved.edges(data=True)) == list(read.edges(data=True))
    assert read.number_of_edges() > 100
    for links in (incremental.entity_links(), fresh.entity_links()):
        assert links.claims == whole.entity_links().claims
        assert links.claim_count == whole.claim_count() == len(whole.claims())


def test_the_entity_graph_a_build_saves_from_its_values_is_the_one_its_statements_give(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Memberships rest on evidence of their own beside the claims', and claims report claimants.
    (corpus / "ccru.txt").write_text(
        "Nick Srnicek and Alex Williams, both members of the CCRU, met Sadie Plant in Warwick.\n\n"
        "Mark Fisher was a member of the CCRU along with Nick Land.\n\n" + NOTES["alpha"] + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    built = build_into([corpus], Settings(), out)
    saved = embedded.entity_links(out)
    read = KnowledgeGraph(built.graph.dataset)  # not frozen: reads the RDF
    assert saved is not None and saved.weights and saved.nodes
    part = read.links_in()
    assert saved.weights == part.weights
    assert {e: saved.claims_of(e) for e in saved.claims} == {e: sorted(ids) for e, ids in part.claims.items()}
    assert saved.claim_count == part.claim_count == len(read.claims())
    assert saved.nodes == read.entity_nodes()
    assert saved.weights["ccru", "mark-fisher"] == 2  # the claim's evidence and the membership's


NS = "https://w3id.org/acckg/id/"
ACC = "https://w3id.org/acckg/ns#"
STORE_LINES = f"""
<{NS}entity/e> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ACC}Entity> .
<{NS}entity/e> <http://www.w3.org/2000/01/rdf-schema#label> "E" .
<{NS}claim/c> <{ACC}claimant> <{NS}entity/e> <{NS}graph/one> .
<{NS}claim/d> <{ACC}claimant> <{NS}entity/f> <{NS}graph/two> .
<{NS}evidence/c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ACC}Evidence> <{NS}graph/two> .
<{NS}evidence/c> <http://www.w3.org/ns/oa#exact> "Old words." <{NS}graph/two> .
"""


def _store(out: Path) -> None:
    lines = STORE_LINES.strip() + "\n"
    embedded.write([lines], out, "first", state=b"")


def test_an_update_checks_what_points_at_a_node_it_removed_and_what_it_rewrote(tmp_path: Path) -> None:
    _store(tmp_path)
    seen: list[set[str]] = []
    new = f"<{NS}claim/d2> <{ACC}claimant> <{NS}entity/f> <{NS}graph/two> .\n"
    embedded.update(
        [new],
        tmp_path,
        "second",
        graphs={f"{NS}graph/two"},
        subjects={f"{NS}entity/e"},  # removed: no new statements about it
        retyped=set(),
        check=lambda db, focus: seen.append(set(focus)),
        state=b"",
    )
    assert seen == [{f"{NS}claim/d", f"{NS}claim/d2", f"{NS}evidence/c", f"{NS}entity/e", f"{NS}claim/c"}]
    db = ox.Store.read_only(str(embedded.current(tmp_path)))
    assert not list(db.quads_for_pattern(ox.NamedNode(f"{NS}entity/e"), None, None, None))
    assert len(list(db.quads_for_pattern(None, None, None, ox.NamedNode(f"{NS}graph/two")))) == 1
    index = embedded.text_index(tmp_path)
    assert index is not None and index.search("old words") == []


def test_a_refused_update_keeps_the_previous_store(tmp_path: Path) -> None:
    _store(tmp_path)
    before = embedded.current(tmp_path)

    def refuse(db: ox.Store, focus: set[str]) -> None:
        raise RuntimeError("broken")

    with pytest.raises(RuntimeError):
        embedded.update(
            [], tmp_path, "second", graphs={f"{NS}graph/one"}, subjects=set(), retyped=set(), check=refuse, state=b""
        )
    assert embedded.current(tmp_path) == before and not list(tmp_path.glob(".store-*.tmp"))


def _state(docs: dict[str, bytes], entities: dict[str, tuple[bytes, str]], setup: str = "s") -> BuildState:
    return BuildState(setup=setup, run=b"r", docs=docs, entities=entities)


def test_a_delta_names_changed_added_and_removed_documents_and_entities_and_retyped_ones() -> None:
    person, place = "Person", "Place"
    old = _state({"a": b"1", "b": b"2", "c": b"3"}, {"x": (b"1", person), "y": (b"2", person), "z": (b"3", place)})
    new = _state({"a": b"1", "b": b"9", "d": b"4"}, {"x": (b"1", person), "y": (b"8", "Concept"), "w": (b"4", place)})
    assert diff(old, new) == Delta(
        docs=frozenset({"b", "d"}),
        removed_docs=frozenset({"c"}),
        entities=frozenset({"y", "w"}),
        removed_entities=frozenset({"z"}),
        retyped=frozenset({"y"}),
        run=False,
    )


def test_nothing_carries_over_from_a_build_with_another_setup() -> None:
    assert diff(_state({"a": b"1"}, {}, setup="old"), _state({"a": b"1"}, {}, setup="new")) is None


def test_a_delta_of_most_documents_writes_a_new_store() -> None:
    small = Delta(frozenset({"a"}), frozenset(), frozenset(), frozenset(), frozenset(), run=True)
    large = Delta(frozenset({"a", "b"}), frozenset({"c"}), frozenset(), frozenset(), frozenset(), run=True)
    assert small.worth_it(4) and not large.worth_it(4)


def test_an_unreadable_state_is_no_state() -> None:
    assert BuildState.loads(b"not a pickle") is None
    assert BuildState.loads(_state({}, {}).dumps()) == _state({}, {})


def test_a_state_kept_with_another_setup_is_read_without_its_memory() -> None:
    from dataclasses import replace

    from kg.incremental import Memory

    kept = replace(
        _state({"a": b"1"}, {}, setup="old"), memory=Memory(docs={"a": ("a.txt", "0", "a", None, None, None, None)})
    )
    data = kept.dumps()
    assert BuildState.loads(data, setup="new") == _state({"a": b"1"}, {}, setup="old")  # digests, no memory
    same = BuildState.loads(data, setup="old")
    assert same is not None and same.memory is not None and same.memory.docs == kept.memory.docs  # type: ignore[union-attr]


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_a_state_leaves_the_cyclic_collector_as_it_found_it(enabled: bool) -> None:
    import gc

    before = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        BuildState.loads(b"not a pickle")
        assert gc.isenabled() is enabled
        BuildState.loads(_state({"a": b"1"}, {}).dumps())
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if before else gc.disable()


def test_a_rebuild_s_map_drawn_partly_from_the_kept_records_is_the_map_of_a_build_from_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    more = {  # enough unchanged documents that the rebuild updates the store
        "iota": "Sam Altman says that compute is the currency of the future.",
        "kappa": "Nick Bostrom argues that superintelligence could be the last invention.",
        "lambda": "Ray Kurzweil predicts that the singularity will arrive in 2045.",
    }
    corpus = _corpus(tmp_path, NOTES | more, monkeypatch)
    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out)]) == 0
    first = Records.load(out / "store" / records.FILE, DEFAULT_BASE_IRI)
    assert first.claims and first.entities  # what the first map read

    _edit(corpus)
    # Beta's claim keeps its id and gains an agreeing claim: its record changes.
    (corpus / "eta.txt").write_text("Ben Horowitz says that software is eating the world.\n", encoding="utf-8")
    read: list[int] = []
    real = KnowledgeGraph._claims

    def counted(self: KnowledgeGraph, ids: list[str] | None, restrict: dict[URIRef, list[URIRef]]) -> list[Claim]:
        read.append(len(ids or ()))
        return real(self, ids, restrict)

    monkeypatch.setattr(KnowledgeGraph, "_claims", counted)
    assert main(["build", str(corpus), "--out", str(out)]) == 0
    assert read and read[0] < len(first.claims)  # the map read only the claims of what changed
    monkeypatch.setattr(KnowledgeGraph, "_claims", real)

    scratch = tmp_path / "scratch"
    shutil.copytree(out / "cache", scratch / "cache")
    assert main(["build", str(corpus), "--out", str(scratch)]) == 0
    assert (out / "graph.html").read_bytes() == (scratch / "graph.html").read_bytes()
    kept = Records.load(out / "store" / records.FILE, DEFAULT_BASE_IRI)
    assert kept.claims == Records.load(scratch / "store" / records.FILE, DEFAULT_BASE_IRI).claims


def test_kept_records_of_another_store_or_version_or_unreadable_are_not_used(tmp_path: Path) -> None:
    path = tmp_path / records.FILE
    entity = kg.Entity(id="x", label="X", type=kg.EntityType.CONCEPT, alt_labels=(), mention_count=1)
    kept = Records("https://example.org/", entities={"x": entity}, used_entities={"x"})
    kept.save(path)
    assert Records.load(path, "https://example.org/").entities == {"x": entity}
    assert Records.load(path, DEFAULT_BASE_IRI).entities == {}  # ids of another base IRI
    path.write_bytes(b"not a pickle")
    assert Records.load(path, "https://example.org/").entities == {}
    assert Records.load(tmp_path / "missing", "https://example.org/").entities == {}


def test_kept_records_less_a_document_lose_its_claims_and_their_runs_and_less_an_entity_lose_it() -> None:
    def claim(doc: str) -> Claim:
        return Claim(
            id=f"{doc}-0-9",
            doc_id=doc,
            claimant="x",
            text="t",
            subject="s",
            predicate="p",
            object="o",
            about=(),
            polarity=kg.Polarity.POSITIVE,
            modality=kg.Modality.ASSERTED,
            identity=False,
            confidence=1.0,
            evidence=Span(0, 9),
            evidence_text="t",
        )

    entity = kg.Entity(id="x", label="X", type=kg.EntityType.CONCEPT, alt_labels=(), mention_count=1)
    kept = Records(
        DEFAULT_BASE_IRI,
        claims={"a-0-9": claim("a"), "b-0-9": claim("b")},
        entities={"x": entity, "y": replace(entity, id="y")},
        runs={"a-0-9": "r", "b-0-9": "r"},
    )
    left = kept.without({"a"}, {"y"})
    assert set(left.claims) == set(left.runs) == {"b-0-9"} and set(left.entities) == {"x"}
