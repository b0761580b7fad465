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


def test_a_span_group_is_indexed_by_the_tokens_its_spans_cover(nlp: Language) -> None:
    doc = nlp.make_doc("Nick Land wrote Fanged Noumena in London")
    doc.spans["names"] = [doc[3:5], doc[0:2], doc[1:2], doc[6:7]]
    spans = doccache.spans(doc, "names")
    assert [(s.start, s.end) for s in spans.all] == [(3, 5), (0, 2), (1, 2), (6, 7)]
    assert [(s.start, s.end) for s in spans.covering(1)] == [(0, 2), (1, 2)]  # the group's order
    assert spans.covering(2) == []
    # Only spans wholly inside the tokens, in the group's order whatever the order of the tokens.
    assert [(s.start, s.end) for s in spans.within({4, 3, 1, 0})] == [(3, 5), (0, 2), (1, 2)]
    assert [(s.start, s.end) for s in spans.within({1, 3})] == [(1, 2)]
    assert len(doccache.spans(doc, "missing")) == 0


def test_a_span_group_replaced_or_grown_is_read_again(nlp: Language) -> None:
    doc = nlp.make_doc("Nick Land wrote Fanged Noumena")
    doc.spans["names"] = [doc[0:2]]
    assert len(doccache.spans(doc, "names")) == 1
    doc.spans["names"].append(doc[3:5])
    assert [(s.start, s.end) for s in doccache.spans(doc, "names").covering(4)] == [(3, 5)]
    doc.spans["names"] = [doc[1:2]]
    assert [(s.start, s.end) for s in doccache.spans(doc, "names").all] == [(1, 2)]
