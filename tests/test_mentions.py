"""Sentence-level rules of the ``acckg_mentions`` and ``acckg_concepts`` components."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.nlp.mentions import SPANS_KEY


def mentions(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    return [(s.text, s.label_, s.kb_id_) for s in doc.spans[SPANS_KEY]]


def test_knowledge_base_type_beats_the_ner_label(nlp: Language) -> None:
    found = mentions(nlp, "DeepSeek has published details about AI training in China.")
    assert ("DeepSeek", "Organization", "kb:deepseek") in found
    assert ("AI", "Concept", "kb:artificial-intelligence") in found


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Nick Land's original accelerationism is different.", "Nick Land"),
        ("Nick Land\u2019s original accelerationism is different.", "Nick Land"),
        ("Critics say e/accs think humans have a bright future.", "e/accs"),
        ("Critics say E/ACC is a mushy ideology.", "E/ACC"),
    ],
)
def test_possessives_plurals_apostrophes_and_case_match_the_knowledge_base(
    nlp: Language, text: str, surface: str
) -> None:
    keys = {key for found, _, key in mentions(nlp, text) if found == surface}
    assert keys and all(k.startswith("kb:") for k in keys)


def test_short_form_after_full_name_is_the_same_entity(nlp: Language) -> None:
    found = mentions(nlp, "Andrew Critch wrote a post. Critch argues that AI may think faster than us.")
    keys = {text: key for text, _, key in found}
    assert keys["Critch"] == keys["Andrew Critch"]


def test_lower_case_common_word_is_not_a_short_form(nlp: Language) -> None:
    found = mentions(nlp, "Nick Land wrote essays. Animals first lived in the ocean and then on land.")
    assert not any(text == "land" for text, _, _ in found)


def test_acronym_definition_links_both_forms(nlp: Language) -> None:
    found = mentions(nlp, "They proposed the Quantum Widget Protocol (QWP). Later QWP was adopted widely.")
    keys = {key for text, _, key in found if text in {"Quantum Widget Protocol", "QWP"}}
    assert len(keys) == 1 and len([t for t, _, _ in found if t == "QWP"]) == 2


@pytest.mark.parametrize("junk", ["857x", "Appendix A.6", "20FPS", "1.2bn", "Figure 14"])
def test_numbers_measurements_and_section_references_are_never_entities(nlp: Language, junk: str) -> None:
    text = f"The training run shows {junk} in the report by Google, see Appendix A.6 and Figure 14."
    assert not any(found == junk for found, _, _ in mentions(nlp, text))


def test_acronyms_match_case_sensitively(nlp: Language) -> None:
    found = mentions(nlp, "Let us see what the US government decides.")
    assert [t for t, _, _ in found if t.lower() == "us"] == ["US"]


def test_quoted_title_case_phrase_is_a_creative_work(nlp: Language) -> None:
    found = mentions(nlp, "We've come a long way from 'World Models', which came out in 2018.")
    assert ("World Models", "CreativeWork", "nf:world models") in found


def test_salient_repeated_noun_phrases_become_concepts(nlp: Language) -> None:
    text = (
        "Mechanical life evolves quickly. Mechanical life will outgrow us. "
        "Some fear that mechanical life has no soul. The weather was fine."
    )
    found = mentions(nlp, text)
    assert ("Mechanical life", "Concept", "nf:mechanical life") in found
    assert not any(key == "nf:weather" for _, _, key in found)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Erewhon has been compared to Gulliver's Travels (1726), a classic novel.", "Gulliver's Travels"),
        ("In Difference and Repetition (1968), Deleuze wrote about Butler.", "Difference and Repetition"),
        ("He read Nietzsche's On the Genealogy of Morality (1887) closely.", "On the Genealogy of Morality"),
    ],
)
def test_title_case_run_before_a_year_is_a_creative_work(nlp: Language, text: str, title: str) -> None:
    assert (title, "CreativeWork") in [(t, label) for t, label, _ in mentions(nlp, text)]
