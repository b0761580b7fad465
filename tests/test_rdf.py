"""The N-Quads writer: any text a source holds must come back from both stores unchanged."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef

from kg.rdf import _ref, _text

# Any Unicode text a UTF-8 source can hold (no lone surrogates): quotes, backslashes, line breaks, tabs.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@given(TEXT)
def test_a_literal_reads_back_as_the_same_text_in_rdflib_and_oxigraph(text: str) -> None:
    line = f"<urn:s> <urn:p> {_text(text)} <urn:g> .\n"
    (quad,) = Dataset().parse(data=line, format="nquads").quads()
    assert quad[2] == Literal(text)
    (ox_quad,) = ox.parse(line.encode("utf-8"), ox.RdfFormat.N_QUADS)
    assert ox_quad.object.value == text


@given(st.text(st.characters(blacklist_categories=("Cs",), min_codepoint=1), max_size=40))
def test_a_source_url_with_any_characters_is_a_valid_iri(tail: str) -> None:
    line = f"{_ref('https://example.org/' + tail)} <urn:p> <urn:o> .\n"
    (quad,) = ox.parse(line.encode("utf-8"), ox.RdfFormat.N_QUADS)
    assert isinstance(quad.subject, ox.NamedNode)
    (rdflib_quad,) = Dataset().parse(data=line, format="nquads").quads()
    assert isinstance(rdflib_quad[0], URIRef) and str(rdflib_quad[0]) == quad.subject.value


def test_a_url_keeps_its_escapes_and_gets_the_missing_ones() -> None:
    assert _ref("https://example.org/a%20b c%zz|é") == "<https://example.org/a%20b%20c%25zz%7C%C3%A9>"


def test_only_the_first_hash_of_a_url_starts_its_fragment() -> None:
    assert _ref("https://example.org/a##b#c") == "<https://example.org/a#%23b%23c>"


def test_a_documents_graph_does_not_change_with_the_build_time() -> None:
    from kg.model import Claim, Modality, Polarity, RunInfo, SourceDoc, Span
    from kg.rdf import nquads

    doc = SourceDoc("d", "d.txt", "Land says capital is AI.", "0" * 64, "d")
    claim = Claim(
        "d-0-1", "d", "nick-land", "capital is AI", "capital", "is", "AI", (), Polarity.POSITIVE,
        Modality.ASSERTED, False, 0.9, Span(0, 24), doc.text,
    )  # fmt: skip

    def graph_lines(time: str) -> tuple[set[str], set[str]]:
        run = RunInfo("1.0", "model", "3.8", time)
        lines = set(nquads([doc], [], [], [claim], {}, run, base_iri="https://example.org/"))
        named = {line for line in lines if "<https://example.org/graph/d> ." in line}
        return named, lines - named

    monday, tuesday = graph_lines("2026-01-05T00:00:00Z"), graph_lines("2026-01-06T00:00:00Z")
    assert monday[0] == tuesday[0]  # the document's graph: what a remote store is sent again or not
    assert monday[1] != tuesday[1]  # the run's time, in the default graph
