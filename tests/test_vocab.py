from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

import kg
from kg.vocab import ACC

ONTOLOGY = Path(kg.__file__).parent / "data" / "ontology.ttl"


def test_code_and_ontology_file_declare_the_same_terms() -> None:
    g = Graph().parse(ONTOLOGY)
    declared = {
        str(s).removeprefix(str(ACC._NS))
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in g.subjects(RDF.type, kind)
    }
    in_code = {name for name in ACC.__annotations__ if not name.startswith("_")}
    assert declared == in_code


def test_misspelt_terms_fail_instead_of_minting_iris() -> None:
    try:
        ACC.claimaint  # noqa: B018
    except AttributeError:
        return
    raise AssertionError("ACC accepted an undeclared term")
