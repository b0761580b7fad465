"""The per-document cache that acckg's components share (kg.nlp.doccache)."""

from __future__ import annotations

from spacy.language import Language

from kg.nlp import doccache


def test_the_cache_holds_what_the_doc_itself_gives(nlp: Language) -> None:
    doc = nlp("Nick Land wrote Fanged Noumena. Critics in London disagree.")
    assert [t.i for t in doccache.tokens(doc)] == [t.i for t in doc]
    assert doccache.text(doc) == doc.text
    assert [(s.start, s.end) for s in doccache.sents(doc)] == [(s.start, s.end) for s in doc.sents]
    assert [(e.start, e.end, e.label_) for e in doccache.ents(doc)] == [(e.start, e.end, e.label_) for e in doc.ents]
    assert doccache.lower_case_words(doc) == {t.lower_ for t in doc if t.is_lower}


def test_the_cache_is_built_once_and_released(nlp: Language) -> None:
    doc = nlp("Critics disagree.")
    first = doccache.tokens(doc)
    assert doccache.tokens(doc) is first  # one token list, not one per pass
    doccache.release(doc)
    assert doccache.tokens(doc) is not first  # the tokens that referred back to the doc were dropped
