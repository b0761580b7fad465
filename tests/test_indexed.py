"""The indexed attribute ruler and lemmatizer annotate exactly as spaCy's own components do."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from kg.config import Settings
from kg.nlp.indexed import IndexedAttributeRuler, IndexedLemmatizer, index_pipeline

from .conftest import ROOT

TEXTS = ("import-ai-384.txt", "marx-capital-v1-ch15-machinery.txt", "wp2019-hugo-de-garis.txt")
COLUMNS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]


def test_acckgs_pipeline_runs_the_indexed_components(nlp: Language) -> None:
    kinds = {type(nlp.get_pipe(name)) for name in ("attribute_ruler", "lemmatizer")}
    assert kinds == {IndexedAttributeRuler, IndexedLemmatizer}


@pytest.fixture(scope="module")
def stock() -> Language:
    """spaCy's own pipeline, without the components the comparison does not need."""
    return spacy.load(Settings().model, exclude=["senter", "ner"])


def test_the_indexed_components_annotate_the_shipped_texts_exactly_as_spacys_own(stock: Language) -> None:
    indexed = spacy.load(Settings().model, exclude=["senter", "ner"])
    assert index_pipeline(indexed) == ["attribute_ruler", "lemmatizer"]
    texts = [(ROOT / "sources" / name).read_text(encoding="utf-8")[:60_000] for name in TEXTS]
    for ours, theirs in zip(indexed.pipe(texts), stock.pipe(texts), strict=True):
        assert (ours.to_array(COLUMNS) == theirs.to_array(COLUMNS)).all()
        assert [(t.pos_, str(t.morph), t.lemma_) for t in ours] == [(t.pos_, str(t.morph), t.lemma_) for t in theirs]


def test_the_index_finds_the_attribute_rulers_matches_in_its_order(stock: Language) -> None:
    ruler = stock.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    indexed = IndexedAttributeRuler(ruler)
    text = (ROOT / "sources" / "import-ai-384.txt").read_text(encoding="utf-8")[:30_000]
    with stock.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        doc = stock(text + " I'm gonna say y'all got ta let's c'mon; there's it, you and I.  \n")
    assert indexed.match(doc) == ruler.match(doc)


def test_a_pattern_the_index_does_not_cover_keeps_spacys_component() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a"}, {"LOWER": "b", "OP": "+"}]], {"POS": "X"})
    assert index_pipeline(nlp) == []
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler)


WORDS = ["the", "The", "a", "cat", "Cats", "ran", "'s", "y'", "all", " ", "\n", "gon", "na"]
TAGS = ["DT", "NN", "NNS", "VBD", "POS", "_SP", "PRP", "VBZ"]
DEPS = ["det", "nsubj", "ROOT", "dobj", "punct", "dep", "aux"]


def _value(attr: str) -> st.SearchStrategy[object]:
    pool = {"LOWER": [w.lower() for w in WORDS], "ORTH": WORDS, "TAG": TAGS, "DEP": DEPS}[attr]
    plain = st.sampled_from(pool)
    sets = st.lists(plain, min_size=1, max_size=3)
    return st.one_of(
        plain,
        sets.map(lambda v: {"IN": v}),
        sets.map(lambda v: {"NOT_IN": v}),
        st.sampled_from(["^y'?$", "^c", "s$", "^(?!the)"]).map(lambda r: {"REGEX": r}),
    )


_SPEC = st.one_of(
    st.fixed_dictionaries({}, optional={a: _value(a) for a in ("LOWER", "ORTH", "TAG", "DEP")}),
    st.fixed_dictionaries({"IS_SPACE": st.booleans()}, optional={"TAG": _value("TAG")}),
).filter(bool)
_BLANK = spacy.blank("en")
_RULES = st.lists(st.lists(_SPEC, min_size=1, max_size=2), min_size=1, max_size=12)
_TOKENS = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(TAGS), st.sampled_from(DEPS)), max_size=15)


@settings(max_examples=200, deadline=None)
@given(rules=_RULES, tokens=_TOKENS)
def test_the_index_matches_like_spacys_matcher_for_any_patterns_and_text(
    rules: list[list[dict[str, object]]], tokens: list[tuple[str, str, str]]
) -> None:
    ruler = AttributeRuler(_BLANK.vocab)
    for number, pattern in enumerate(rules):
        ruler.add([pattern], {"POS": "X"}, index=number % len(pattern))
    words = [w for w, _, _ in tokens]
    doc = Doc(_BLANK.vocab, words=words, tags=[t for _, t, _ in tokens], deps=[d for _, _, d in tokens])
    assert IndexedAttributeRuler(ruler).match(doc) == ruler.match(doc)
