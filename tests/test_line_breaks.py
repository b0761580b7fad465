"""The line-break component (kg.nlp.pipeline.line_breaks): where it starts sentences before the parser runs."""

from __future__ import annotations

from spacy.language import Language

from kg.nlp.pipeline import line_breaks


def starts(nlp: Language, text: str, lemmas: dict[int, str] | None = None) -> dict[str, bool]:
    doc = nlp.make_doc(text)
    for i, lemma in (lemmas or {}).items():
        doc[i].lemma_ = lemma
    line_breaks(doc)
    return {t.text: t.is_sent_start for t in doc[1:] if t.is_sent_start is not None}  # the first always starts


def test_a_line_break_starts_a_sentence_and_the_word_after_it_continues_it(nlp: Language) -> None:
    # A one-word sentence after a forced break would be a misparse, so the next word is marked as inside.
    assert starts(nlp, "Compute matters\nDeepSeek trains models") == {"DeepSeek": True, "trains": False}


def test_a_run_in_heading_ends_a_sentence(nlp: Language) -> None:
    assert starts(nlp, "Why this matters: the speed of thought") == {"the": True, "speed": False}


def test_a_colon_after_a_reporting_verb_or_before_a_quotation_starts_nothing(nlp: Language) -> None:
    assert starts(nlp, "Land said: capital is AI", lemmas={1: "say"}) == {}
    assert starts(nlp, 'The point: "capital is AI"') == {}
