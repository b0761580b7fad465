"""The seed newsletter, end to end: the entities and claims the product promises."""

from __future__ import annotations

from pathlib import Path

import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

import kg
from kg.model import EntityType
from kg.vocab import ACC

DATA = Path(kg.__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"


def labels(g: kg.KnowledgeGraph, entity_type: str) -> list[str]:
    return [e.label for e in g.entities(entity_type)]


def test_key_entities_exist_once_with_the_right_type(seed_graph: kg.KnowledgeGraph) -> None:
    assert labels(seed_graph, "Person").count("Nick Land") == 1
    assert "e/acc" in labels(seed_graph, "Concept")
    assert "Nous Research" in labels(seed_graph, "Organization")
    assert "DisTrO" in labels(seed_graph, "Product")
    everything = [e.label for e in seed_graph.entities()]
    assert len(everything) == len(set(everything))


def test_spelling_variants_are_one_node(seed_graph: kg.KnowledgeGraph) -> None:
    land = next(e for e in seed_graph.entities("Person") if e.label == "Nick Land")
    assert "Land" in land.alt_labels and land.mention_count >= 5
    eacc = next(e for e in seed_graph.entities("Concept") if e.label == "e/acc")
    assert {"e/accs", "effective accelerationism"} <= set(eacc.alt_labels)


def test_no_junk_nodes(seed_graph: kg.KnowledgeGraph) -> None:
    all_labels = {e.label for e in seed_graph.entities()}
    assert not {"Appendix A.6", "857x", "20FPS", "Matrix Multiply", "Land's"} & all_labels
    assert "AI" not in labels(seed_graph, "Place") and "artificial intelligence" not in labels(seed_graph, "Place")


def test_land_holds_the_capital_as_ai_identity_claim(seed_graph: kg.KnowledgeGraph) -> None:
    identity = [c for c in seed_graph.claims(by="Nick Land") if c.identity]
    assert identity
    assert {"capitalism", "artificial-intelligence"} <= set(identity[0].about)
    assert "identity of capitalism and artificial intelligence" in identity[0].evidence_text


def test_e_acc_and_land_futures_contrast(seed_graph: kg.KnowledgeGraph) -> None:
    bright = next(c for c in seed_graph.claims(by="e/acc") if "bright future" in c.text)
    dim = next(c for c in seed_graph.claims(by="Nick Land") if "dim future" in c.text)
    assert dim.id in bright.contrasts_with and bright.id in dim.contrasts_with


def test_pronoun_speakers_resolve_to_the_section_protagonist(seed_graph: kg.KnowledgeGraph) -> None:
    deepseek = seed_graph.claims(by="DeepSeek")
    assert any("PCIe A100" in c.evidence_text for c in deepseek)
    for claim in seed_graph.claims():
        assert seed_graph.label(claim.claimant).lower() not in {"they", "he", "she", "we", "i", "it", "the authors"}


def test_evidence_offsets_point_at_the_evidence_text(seed_graph: kg.KnowledgeGraph) -> None:
    text = (Path(__file__).resolve().parent.parent / "sources" / "import-ai-384.txt").read_text(encoding="utf-8")
    for claim in seed_graph.claims():
        assert text[claim.evidence.start : claim.evidence.end] == claim.evidence_text


def test_every_mention_and_claim_has_document_provenance(seed_graph: kg.KnowledgeGraph) -> None:
    ds = seed_graph.dataset
    for node in ds.subjects(RDF.type, ACC.Mention):
        assert ds.value(node, ACC.inDocument) is not None
    for node in ds.subjects(RDF.type, ACC.Claim):
        assert ds.value(ds.value(node, ACC.evidence), ACC.inDocument) is not None


def test_build_conforms_to_the_shacl_shapes(seed_graph: kg.KnowledgeGraph) -> None:
    merged = Graph()
    for s, p, o, _ in seed_graph.dataset.quads():
        merged.add((s, p, o))
    conforms, _, report = pyshacl.validate(merged, shacl_graph=Graph().parse(DATA / "shapes.ttl"))
    assert conforms, report


def test_shapes_catch_a_claim_without_evidence(seed_graph: kg.KnowledgeGraph) -> None:
    merged = Graph()
    for s, p, o, _ in seed_graph.dataset.quads():
        if p != ACC.evidence:
            merged.add((s, p, o))
    conforms, _, _ = pyshacl.validate(merged, shacl_graph=Graph().parse(DATA / "shapes.ttl"))
    assert not conforms


def test_seed_entities_match_the_golden_file(seed_graph: kg.KnowledgeGraph) -> None:
    """Regenerate with: python tests/golden/update.py (then review the diff)."""
    rows = sorted(f"{e.type.value}\t{e.label}" for e in seed_graph.entities() if e.mention_count)
    assert rows == (GOLDEN / "seed-entities.tsv").read_text(encoding="utf-8").splitlines()


def test_entity_types_in_rdf_match_the_facade(seed_graph: kg.KnowledgeGraph) -> None:
    ds = seed_graph.dataset
    for entity in seed_graph.entities():
        node = next(iter(seed_graph.find(entity.label)))
        assert str(ds.value(node, RDFS.label)) == entity.label
        assert entity.type in EntityType
