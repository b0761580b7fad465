"""Collective claimants and their members: ``acckg_groups`` per sentence, then in the graph."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph
from spacy.language import Language

import kg
from kg.query import resolve_query
from kg.vocab import MEMBER_OF

DATA = Path(kg.__file__).parent / "data"


def members(nlp: Language, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(text[m.member.start : m.member.end], text[m.group.start : m.group.end]) for m in doc._.acckg_members]


CASES = [
    # sentence, expected (member, group) pairs
    ("Nick Land, a founder of the CCRU, wrote about capitalism.", [("Nick Land", "CCRU")]),
    (
        "Nick Land was a member of the Cybernetic Culture Research Unit.",
        [("Nick Land", "Cybernetic Culture Research Unit")],
    ),
    ("Mark Fisher was one of the founders of the CCRU.", [("Mark Fisher", "CCRU")]),
    ("Guillaume Verdon joined e/acc in 2022.", [("Guillaume Verdon", "e/acc")]),
    ("The CCRU's members included Nick Land and Sadie Plant.", [("Nick Land", "CCRU"), ("Sadie Plant", "CCRU")]),
    ("Members of the CCRU include Nick Land.", [("Nick Land", "CCRU")]),
    ("Beff Jezos and other e/accs think humans have a bright future.", [("Beff Jezos", "e/accs")]),
    # Meeting, citing or criticising someone does not make anyone a member of anything.
    ("Nick Land met Sadie Plant at Warwick.", []),
    ("Critics of e/acc include many researchers.", []),
    ("Nick Land criticised the CCRU.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_sentence_states_membership_only_where_the_text_says_so(
    nlp: Language, sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert members(nlp, sentence) == expected


@pytest.fixture(scope="module")
def group_graph(tmp_path_factory: pytest.TempPathFactory) -> kg.KnowledgeGraph:
    text = tmp_path_factory.mktemp("src") / "ccru.txt"
    text.write_text(
        "Nick Land, a founder of the CCRU, taught at Warwick. Beff Jezos and other e/accs think humans have a"
        " bright future.\n",
        encoding="utf-8",
    )
    return kg.build([text])


def test_membership_is_a_schema_member_of_triple_with_its_sentence(group_graph: kg.KnowledgeGraph) -> None:
    text, bindings = resolve_query("members", "e/acc")
    rows = group_graph.query(text, **{k: str(v) for k, v in bindings.items()}).rows
    assert [(str(r[0]), str(r[1])) for r in rows] == [
        ("Guillaume Verdon", "Beff Jezos and other e/accs think humans have a bright future.")
    ]  # "Beff Jezos" is the knowledge base's alias of Guillaume Verdon
    pairs = {
        (group_graph.label(str(s).rsplit("/", 1)[1]), group_graph.label(str(o).rsplit("/", 1)[1]))
        for s, _, o in group_graph.dataset.triples((None, MEMBER_OF, None))
    }
    assert pairs == {("Guillaume Verdon", "e/acc"), ("Nick Land", "Cybernetic Culture Research Unit")}


def test_the_named_member_holds_the_claim_and_the_graph_conforms(group_graph: kg.KnowledgeGraph) -> None:
    # "X and other e/accs think P": X holds P, and X is linked to the group by schema:memberOf.
    assert any(c.text == "humans have a bright future" for c in group_graph.claims(by="Guillaume Verdon"))
    merged = Graph()
    for s, p, o, _ in group_graph.dataset.quads():
        merged.add((s, p, o))
    conforms, _, report = pyshacl.validate(merged, shacl_graph=Graph().parse(DATA / "shapes.ttl"))
    assert conforms, report
