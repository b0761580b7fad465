"""Sentence-level rules of the ``acckg_mentions`` and ``acckg_concepts`` components."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

from kg.nlp.mentions import SPANS_KEY, _list_parts, clean_span


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


def test_a_surname_after_initials_is_a_short_form_of_the_name(nlp: Language) -> None:
    text = "Writers like Roger Zelazny and L. L. Nunn were read. Later, Nunn wanted to write a new myth."
    found = mentions_with_ner(nlp, text, {"Roger Zelazny": "PERSON", "L. L. Nunn": "PERSON", "Nunn": "ORG"})
    keys = {text: key for text, _, key in found}
    assert keys["Nunn"] == keys["L. L. Nunn"]


def test_a_known_name_the_matcher_cannot_see_is_the_entry_and_its_surname_too(nlp: Language) -> None:
    # A no-break space inside the initials is a token of its own, so no phrase pattern matches.
    text = "Writers like J.\u00a0G. Ballard and Roger Zelazny were read. Ballard wanted to write a new myth."
    found = mentions_with_ner(nlp, text, {"J.\u00a0G. Ballard": "PERSON", "Roger Zelazny": "PERSON", "Ballard": "ORG"})
    assert {(t, key) for t, _, key in found if "Ballard" in t} == {
        ("J.\u00a0G. Ballard", "kb:j-g-ballard"),
        ("Ballard", "kb:j-g-ballard"),
    }


def test_a_one_word_name_in_a_list_of_known_people_is_a_person(nlp: Language) -> None:
    text = "William Gibson met Bruce Sterling. The cyberpunks were Sterling, Gibson, Shiner, Bear."
    labels = {"William Gibson": "PERSON", "Bruce Sterling": "PERSON", "Shiner": "GPE", "Bear": "PERSON"}
    assert ("Shiner", "Person", "nf:shiner") in mentions_with_ner(nlp, text, labels)


def test_names_listed_with_the_products_the_text_names_as_such_are_products(nlp: Language) -> None:
    text = (
        "She inspired the development of QZF, the Zarc microprocessors, the Jova programming language, "
        "Foo/BarSpaces, and KXTA."
    )
    labels = {"QZF": "ORG", "Zarc": "ORG", "Jova": "PERSON", "Foo": "PERSON", "BarSpaces": "ORG", "KXTA": "ORG"}
    found = {t: kind for t, kind, _ in mentions_with_ner(nlp, text, labels)}
    assert found["Zarc"] == found["Jova"] == "Product"  # by the nouns after them
    assert found["QZF"] == found["Foo"] == found["BarSpaces"] == found["KXTA"] == "Product"


def test_a_name_the_ner_missed_before_a_noun_of_software_is_a_product(nlp: Language) -> None:
    found = mentions_with_ner(nlp, "He worked on a version of the Quix operating system for years.", {})
    assert ("Quix", "Product", "nf:quix") in found


def test_a_list_of_names_only_the_ner_typed_sways_none_of_them(nlp: Language) -> None:
    text = "Resnais and Prigogine, or Godard and Thom, are doing the same thing."
    labels = {"Resnais": "ORG", "Prigogine": "PERSON", "Godard": "ORG", "Thom": "ORG"}
    assert ("Prigogine", "Person", "nf:prigogine") in mentions_with_ner(nlp, text, labels)


def test_lower_case_common_word_is_not_a_short_form(nlp: Language) -> None:
    found = mentions(nlp, "Nick Land wrote essays. Animals first lived in the ocean and then on land.")
    assert not any(text == "land" for text, _, _ in found)


@pytest.mark.parametrize(
    ("text", "short", "key"),
    [
        # The NER calls "Medieval Spain" a person; "medieval" is a word of the text, not a given name.
        (
            "Medieval Spain was the scene of almost constant warfare between Muslims and Christians. The medieval "
            "history of the country is long. In 1516, Habsburg Spain unified a number of kingdoms. Spain was "
            "involved in all major European wars.",
            "Spain",
            "nf:spain",
        ),
        # "Vodafone Greece", a person to the NER; "Greece" stands alone as a place.
        (
            "Vodafone Greece is a company. Greece saw growth rates second only to Japan. Greece ranked 4th globally.",
            "Greece",
            "nf:greece",
        ),
    ],
)
def test_a_name_that_is_no_personal_name_lends_no_short_form(nlp: Language, text: str, short: str, key: str) -> None:
    assert {k for t, _, k in mentions(nlp, text) if t == short} == {key}


def test_a_title_at_the_start_of_a_name_is_no_first_name(nlp: Language) -> None:
    text = (
        "In closing, First Lady Melania Trump encouraged the audience to join her initiative. The First Lady's "
        "recent workshop included approximately 2,600 schools."
    )
    assert "Lady" not in {t for t, _, _ in mentions(nlp, text)}


def mentions_with_ner(nlp: Language, text: str, labels: dict[str, str]) -> list[tuple[str, str, str]]:
    """The mentions found where the NER labels each occurrence of ``labels``' phrases so (and
    nothing else): the small model's mistakes, on demand."""
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name == "acckg_mentions":
            spans = []
            for phrase, label in labels.items():
                at = text.find(phrase)
                while at >= 0:
                    spans.append(doc.char_span(at, at + len(phrase), label=label))
                    at = text.find(phrase, at + 1)
            doc.ents = spacy.util.filter_spans(spans)  # the longest where phrases overlap
        doc = component(doc)
    return [(s.text, s.label_, s.kb_id_) for s in doc.spans[SPANS_KEY]]


def test_a_first_word_that_is_no_given_name_and_no_person_alone_is_no_first_name(nlp: Language) -> None:
    text = "Spin-offs include EastEnders Revealed, a documentary. In 2013, EastEnders remained a popular programme."
    found = mentions_with_ner(nlp, text, {"EastEnders Revealed": "PERSON", "EastEnders": "ORG"})
    keys = {t: key for t, _, key in found}
    assert keys["EastEnders"] != keys["EastEnders Revealed"]


def test_a_tie_between_stated_types_goes_to_the_type_the_ner_gave_most_mentions(nlp: Language) -> None:
    text = (
        "With 18 million tourists in 2013, Greece was the 7th most visited country in the European Union. "
        "Greece was the largest foreign investor in Albania in 2013."
    )
    assert {label for t, label, _ in mentions(nlp, text) if t == "Greece"} == {"Place"}


def test_without_a_subject_in_the_lead_the_name_most_named_in_full_keeps_its_surname(nlp: Language) -> None:
    text = (
        "He was a British politician who led the government. He is remembered for the financial crisis. "
        "Gordon Brown was born in Glasgow. Gordon Brown studied history in Edinburgh. His brother is Andrew "
        "Brown, a journalist. He married in 2000. The economy grew in 1999. Many banks failed in 2008. Brown "
        "cut taxes."
    )
    assert {key for t, _, key in mentions(nlp, text) if t == "Brown"} == {"nf:gordon brown"}


def test_a_title_the_text_also_writes_in_lower_case_still_lends_the_name_after_it(nlp: Language) -> None:
    text = "The lord of the manor was away. Lord Grantham wrote letters to his daughters. Grantham died in 1920."
    keys = {text: key for text, _, key in mentions(nlp, text)}
    assert keys["Grantham"] == keys["Lord Grantham"]


def test_a_given_name_the_text_also_writes_in_lower_case_still_lends_the_surname(nlp: Language) -> None:
    found = mentions(nlp, "Mark Fisher wrote a book. He would mark the page. Fisher died in 2017.")
    keys = {text: key for text, _, key in found}
    assert keys["Fisher"] == keys["Mark Fisher"]


@pytest.mark.parametrize(
    "text",
    [
        "The Secretary, in consultation with the Secretary of Homeland Security, the United States Trade "
        "Representative, and the Chairman of the Federal Reserve, shall monitor imports. The Secretary found "
        "that imports are substantial.",
        "Mr. Secretary, thank you for the report. The Secretary said that it is late.",
        "These reserved Federal lands are protected by Federal law, State law and our Nation's statutes. Our "
        "Nation's reliance on Federal agencies and State and local governments grows.",
    ],
)
def test_an_office_a_title_or_a_capitalised_word_of_government_prose_alone_is_no_name(nlp: Language, text: str) -> None:
    found = {t for t, _, _ in mentions(nlp, text)}
    assert not found & {"Secretary", "Chairman", "Mr. Secretary", "Federal", "State", "Nation"}


def test_a_document_named_by_class_and_number_is_a_work_of_its_own(nlp: Language) -> None:
    text = (
        "In Executive Order 14193 of February 1, 2025, as amended; Executive Order 14194 remains. The OMB "
        "Director shall revise OMB Memoranda M-24-10 and M-24-18 as necessary."
    )
    found = {t: (label, key) for t, label, key in mentions(nlp, text)}
    assert found["Executive Order 14193"] == ("CreativeWork", "nf:executive order 14193")
    assert found["Executive Order 14194"] == ("CreativeWork", "nf:executive order 14194")
    assert found["OMB Memoranda M-24-10"] == ("CreativeWork", "nf:omb memorandum m-24-10")
    assert found["M-24-18"] == ("CreativeWork", "nf:omb memorandum m-24-18")


def test_an_acronym_of_lower_case_words_names_a_concept_with_both_forms(nlp: Language) -> None:
    text = "The industry does not produce enough unmanned aircraft systems (UAS) and UAS components."
    found = mentions(nlp, text)
    assert {(t, label, key) for t, label, key in found} == {
        ("unmanned aircraft systems", "Concept", "nf:unmanned aircraft system"),
        ("UAS", "Concept", "nf:unmanned aircraft system"),
    }


def test_a_short_name_defined_in_brackets_is_the_name_there_and_after(nlp: Language) -> None:
    text = (
        "The Secretary, in consultation with the United States Trade Representative (Trade Representative) and "
        "the Secretary of Homeland Security, may act. The Secretary, in consultation with the Trade "
        "Representative, may increase the duty. The Trade Representative shall report."
    )
    found = [(t, key) for t, _, key in mentions(nlp, text) if "Trade" in t]
    assert found == [
        ("United States Trade Representative", "nf:united states trade representative"),
        *[("Trade Representative", "nf:united states trade representative")] * 3,
    ]


def test_acronym_definition_links_both_forms(nlp: Language) -> None:
    found = mentions(nlp, "They proposed the Quantum Widget Protocol (QWP). Later QWP was adopted widely.")
    keys = {key for text, _, key in found if text in {"Quantum Widget Protocol", "QWP"}}
    assert len(keys) == 1 and len([t for t, _, _ in found if t == "QWP"]) == 2


def test_a_title_that_also_names_something_alone_stays_a_name(nlp: Language) -> None:
    found = mentions(nlp, "She studied medicine at Duke and later taught at Duke.")
    assert [(t, label) for t, label, _ in found] == [("Duke", "Organization")] * 2


def test_an_era_after_a_year_or_century_is_part_of_the_date(nlp: Language) -> None:
    text = (
        "The Indo-Greek Kingdom (180 BC \u2013 10 CE) ruled. King Menander I (165 BC \u2013 135 BC) practiced "
        "Greco-Buddhism. Alexander laid out the city in the 4th century BC and the 3rd century BCE."
    )
    assert not {t for t, _, _ in mentions(nlp, text)} & {"BC", "BCE", "CE"}


def test_a_lettered_section_heading_is_no_person_but_a_name_with_an_initial_is(nlp: Language) -> None:
    sections = (
        "B. Reaction of the Factory System on Handicrafts\n\nThe factory grew.\n\n"
        "C. Modern Manufacture\n\nI now proceed, by a few examples, to illustrate the principles."
    )
    assert not any(t.startswith("C.") for t, _, _ in mentions(nlp, sections))
    signed = "The essay was signed:\n\nC. Wright Mills\n\nIt was printed in 1956."
    assert ("C. Wright Mills", "Person") in {(t, label) for t, label, _ in mentions(nlp, signed)}


@pytest.mark.parametrize("junk", ["857x", "Appendix A.6", "20FPS", "1.2bn", "Figure 14"])
def test_numbers_measurements_and_section_references_are_never_entities(nlp: Language, junk: str) -> None:
    text = f"The training run shows {junk} in the report by Google, see Appendix A.6 and Figure 14."
    assert not any(found == junk for found, _, _ in mentions(nlp, text))


def test_an_acronym_defines_a_long_form_listed_with_commas_as_one_name(nlp: Language) -> None:
    text = "DARPA had contracted the company Bolt, Beranek and Newman (BBN) to add TCP/IP. BBN agreed."
    found = mentions_with_ner(nlp, text, {"Bolt": "PERSON", "Beranek": "GPE", "Newman": "PERSON"})
    keys = {t: key for t, _, key in found}
    assert keys["Bolt, Beranek and Newman"] == keys["BBN"]
    assert not {"Bolt", "Beranek", "Newman"} & set(keys)


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


def keys(nlp: Language, text: str) -> dict[str, str]:
    doc = nlp(text)
    return {s.text: s.kb_id_ for s in doc.spans[SPANS_KEY]}


def test_an_honorific_is_part_of_the_name_and_the_bare_surname_is_a_short_form(nlp: Language) -> None:
    found = keys(nlp, "Her name is an anagram of Grundy (from Mrs. Grundy, a character in a play). Grundy was strict.")
    assert "Mrs. Grundy" in found
    assert found.get("Grundy") == found["Mrs. Grundy"]


def test_a_capitalised_the_inside_a_sentence_belongs_to_the_name(nlp: Language) -> None:
    found = mentions(nlp, "He had contributed articles to The Press, which had just begun publication in Christchurch.")
    assert ("The Press", "Organization", "nf:the press") in found


def test_a_capitalised_the_after_a_list_bullet_is_no_part_of_the_name(nlp: Language) -> None:
    text = "He won awards.\n-   The Dickson Prize in Science, in 1994."
    found = mentions_with_ner(nlp, text, {"The Dickson Prize in Science": "ORG"})
    assert "Dickson Prize in Science" in {t for t, _, _ in found}


def test_a_capitalised_the_after_a_comma_in_a_list_of_works_belongs_to_the_title(nlp: Language) -> None:
    text = "See his books (see The Order of Things, The Archaeology of Knowledge, and The Birth of the Clinic)."
    found = mentions_with_ner(nlp, text, {"The Order of Things": "WORK_OF_ART", "Archaeology of Knowledge": "ORG"})
    assert {"The Order of Things", "The Archaeology of Knowledge"} <= {t for t, _, _ in found}


def test_title_cased_common_nouns_after_a_capitalised_the_are_a_name(nlp: Language) -> None:
    # The tagger calls "Order" and "Things" common nouns; the capitalised "The" inside a sentence
    # says they are a name all the same.
    text = "Foucault examined power within social orders (see The Order of Things)."
    found = mentions_with_ner(nlp, text, {"Foucault": "PERSON", "The Order of Things": "WORK_OF_ART"})
    assert "The Order of Things" in {t for t, _, _ in found}


@pytest.mark.parametrize(
    "text",
    [
        "Critics say his work is rooted in a statement found in Of Grammatology: there is no outside.",
        "Critics say his work is rooted in a passage of On Certainty, a late notebook.",
    ],
)
def test_a_capitalised_of_or_on_inside_a_sentence_begins_a_title(nlp: Language, text: str) -> None:
    found = {t: label for t, label, _ in mentions(nlp, text)}
    title = "Of Grammatology" if "Of Grammatology" in text else "On Certainty"
    assert found.get(title) == "CreativeWork"


def test_a_capitalised_of_after_a_capitalised_word_stays_in_the_name(nlp: Language) -> None:
    found = {t for t, _, _ in mentions(nlp, "He banked with the Bank Of America in 1990.")}
    assert not any(t.startswith("Of ") for t in found)


def test_one_word_and_a_headed_name_after_the_are_one_name(nlp: Language) -> None:
    text = "The exhibition was held at the Victoria and Albert Museum in London."
    found = mentions_with_ner(nlp, text, {"Victoria": "GPE", "Albert Museum": "PERSON", "London": "GPE"})
    assert ("Victoria and Albert Museum", "Organization") in {(t, label) for t, label, _ in found}


def test_two_names_joined_by_and_without_the_stay_two(nlp: Language) -> None:
    found = {t for t, _, _ in mentions(nlp, "He studied at Oxford and Cambridge University in the 1950s.")}
    assert "Oxford and Cambridge University" not in found


def test_a_title_keeps_its_capitalised_the_at_the_start_of_a_sentence(nlp: Language) -> None:
    text = "It is a long story.\n\nThe Brain Makers, a history of artificial intelligence, came out in 1994."
    found = mentions_with_ner(nlp, text, {"The Brain Makers": "WORK_OF_ART"})
    assert "The Brain Makers" in {t for t, _, _ in found}


def test_a_list_the_ner_ran_together_is_split_at_commas(nlp: Language) -> None:
    found = mentions(nlp, "Samuel Butler, letter to the editor of The Press, Christchurch, New Zealand, 13 June 1863")
    names = {t for t, _, _ in found}
    assert {"The Press", "Christchurch", "New Zealand"} <= names


def test_an_organisation_named_after_a_place_is_not_the_place(nlp: Language) -> None:
    found = mentions(nlp, "It premiered at the New Zealand International Film Festival and the Edinburgh Art Festival.")
    assert ("New Zealand International Film Festival", "Organization") in [(t, label) for t, label, _ in found]
    assert not any(key == "kb:new-zealand" for _, _, key in found)


def test_a_knowledge_base_name_inside_a_hyphenated_name_is_not_matched(nlp: Language) -> None:
    found = mentions(nlp, "In 2008 he received a grant to build an artificial brain (the China-Brain Project).")
    assert not any(key == "kb:china" for _, _, key in found)


def test_a_knowledge_base_name_hyphenated_to_a_common_variant_still_matches(nlp: Language) -> None:
    found = mentions(nlp, "It is a drop-in replacement: DisTrO-AdamW instead of AdamW+All-Reduce.")
    assert [t for t, _, key in found if key == "kb:adamw"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("He recommended the novel, though not its sequel, Erewhon Revisited.", "Erewhon Revisited"),
        ("The foundation published an anthology edited by Bruce Russell named Erewhon Calling.", "Erewhon Calling"),
        (
            "It is not a dystopia, such as that depicted in George Orwell's Nineteen Eighty-Four.",
            "Nineteen Eighty-Four",
        ),
    ],
)
def test_titles_introduced_by_a_work_noun_a_naming_verb_or_an_author(nlp: Language, text: str, title: str) -> None:
    assert (title, "CreativeWork") in [(t, label) for t, label, _ in mentions(nlp, text)]


def test_a_title_run_stops_where_the_next_author_begins(nlp: Language) -> None:
    text = "He cites Kurzweil's book The Singularity is Near and Michio Kaku's book Physics of the Future."
    titles = [t for t, label, _ in mentions(nlp, text) if label == "CreativeWork"]
    assert not any("Michio" in t for t in titles)


def test_a_subject_after_a_work_noun_is_not_a_title(nlp: Language) -> None:
    found = mentions(nlp, "In the Material and Man section of the manifesto, Noboru Kawazoe suggests that we adapt.")
    assert ("Noboru Kawazoe", "Person") in [(t, label) for t, label, _ in found]


def test_a_proper_noun_coordinated_with_a_name_is_a_name(nlp: Language) -> None:
    found = keys(nlp, "It was like the time when the Bolsheviks and the Mensheviks first started debating.")
    assert "Mensheviks" in found and found["Mensheviks"] != found["Bolsheviks"]


def test_a_name_found_once_marks_its_other_and_plural_occurrences(nlp: Language) -> None:
    text = (
        "I asked Kevin Warwick whether he was a Terran or a Cosmist. He said he was Terran. "
        "Terrans oppose the artilects. TERRANS will fight them."
    )
    doc = nlp(text)
    terran = [s for s in doc.spans[SPANS_KEY] if s.text.lower().startswith("terran")]
    assert len(terran) == 4 and len({s.kb_id_ for s in terran}) == 1


def test_two_names_given_with_or_after_a_naming_cue_are_one_entity(nlp: Language) -> None:
    found = keys(nlp, "He refers to this third party as CYBORGIANS or Cyborgs, because they merge with machines.")
    assert found["CYBORGIANS"] == found["Cyborgs"] == "kb:cyborg"


@pytest.mark.parametrize(
    ("text", "name", "alias"),
    [
        ("Alan Kirby named it digimodernism, formerly called pseudo-modernism, in 2006.",
         "digimodernism", "pseudo-modernism"),
        ("The Victoria and Albert Museum, formerly known as the South Kensington Museum, holds it.",
         "Victoria and Albert Museum", "South Kensington Museum"),
        ("She worked for Globex Corporation, a.k.a. Scorpio Industries, until 1999.",
         "Globex Corporation", "Scorpio Industries"),
    ],
)  # fmt: skip
def test_a_name_given_after_an_alias_cue_is_the_same_entity(nlp: Language, text: str, name: str, alias: str) -> None:
    found = keys(nlp, text)
    assert found[alias] == found[name]


@pytest.mark.parametrize(
    "text",
    [
        "She worked for Globex Corporation, a.k.a. Hank Scorpio's company, until 1999.",  # the alias is the company
        "It was sold to a subsidiary of Xerox later known as Scansoft.",  # no comma: maybe the subsidiary's name
        "She starred in a film directed by Anthony Waller, called The Singularity Is Near.",  # the film is
        "The rising was led by a stockinger and former Luddite, named Jeremiah Brandreth.",
    ],
)
def test_a_name_after_an_alias_cue_that_names_something_else_stays_apart(nlp: Language, text: str) -> None:
    found = keys(nlp, text)
    assert len(set(found.values())) == len(found)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("In 1999, Joy co-founded a venture capital firm, HighBAR Ventures, with two colleagues.", "HighBAR Ventures"),
        ("He sold his shares of eBay Inc. in 2005.", "eBay Inc."),  # no word starts with a capital
    ],
)
def test_a_word_with_a_capital_inside_belongs_to_the_company_name(nlp: Language, text: str, name: str) -> None:
    found = {t: label for t, label, _ in mentions(nlp, text)}
    assert found.get(name) == "Organization"


def test_an_acronym_after_a_quoted_name_joins_it(nlp: Language) -> None:
    found = mentions(nlp, 'This was to be known as the "CAM Brain Machine" (CBM). The CBM was never finished.')
    by_text = {t: (label, key) for t, label, key in found}
    # The knowledge base spells it "CAM-Brain Machine", an alias of CAM-Brain.
    assert by_text["CBM"] == by_text["CAM Brain Machine"] == ("Product", "kb:cam-brain")


def test_an_acronym_whose_long_form_contains_a_known_name_is_its_own_entity(nlp: Language) -> None:
    found = keys(nlp, "He joined the ATR Human Information Processing Research Laboratories (ATR-HIP) in Kyoto.")
    # The laboratories' name holds the known name, as "Kurzweil Music Systems" holds "Kurzweil".
    assert found["ATR-HIP"] == found["ATR Human Information Processing Research Laboratories"] != "kb:atr"


def test_a_hyphenated_given_name_of_a_known_person_names_no_relative(nlp: Language) -> None:
    found = mentions(nlp, "He met Jean-Paul Sartre in Paris.")
    assert ("Jean-Paul Sartre", "Person", "kb:jean-paul-sartre") in found
    assert not any(text == "Paul Sartre" for text, _, _ in found)


def test_a_surname_two_names_share_is_the_nearest_one_before_it(nlp: Language) -> None:
    found = [
        (t, key)
        for t, _, key in mentions(
            nlp,
            "Huxley wrote first. The biologist Julian Huxley coined the term. Huxley describes it. "
            "The novel is by Aldous Huxley. Huxley wrote it in 1931.",
        )
        if "Huxley" in t
    ]
    assert found[1:] == [
        ("Julian Huxley", "kb:julian-huxley"),
        ("Huxley", "kb:julian-huxley"),
        ("Aldous Huxley", "nf:aldous huxley"),
        ("Huxley", "nf:aldous huxley"),
    ]
    assert found[0][1] not in {"kb:julian-huxley", "nf:aldous huxley"}  # before either full name: neither


def test_a_title_ends_before_by_and_its_author(nlp: Language) -> None:
    found = mentions(nlp, "The novel Brave New World is by Aldous Huxley.")
    assert ("Brave New World", "CreativeWork") in [(t, label) for t, label, _ in found]
    assert ("Aldous Huxley", "Person") in [(t, label) for t, label, _ in found]


def test_a_name_after_a_known_name_s_possessive_is_its_own_name(nlp: Language) -> None:
    found = mentions(nlp, "He worked at ATR's Human Information Processing Research Laboratories in Kyoto.")
    assert ("Human Information Processing Research Laboratories", "Organization") in [(t, lb) for t, lb, _ in found]


def test_the_full_stop_inside_quotes_is_not_part_of_the_name(nlp: Language) -> None:
    found = mentions(nlp, 'The project was known as "cellular automata machine brain," or "CAM-Brain."')
    assert ("CAM-Brain", "Product", "kb:cam-brain") in found


def test_machine_and_machinery_are_one_knowledge_base_concept(nlp: Language) -> None:
    found = mentions(nlp, "Machinery replaced the weavers, and the machines ran all night.")
    assert {key for t, _, key in found if t.lower().startswith("machin")} == {"kb:machine"}


def test_a_term_the_text_introduces_in_quotes_is_a_concept(nlp: Language) -> None:
    found = mentions(nlp, 'His aim was to establish the field of "brain building" within twenty years.')
    assert ("brain building", "Concept", "nf:brain building") in found


def test_a_salient_phrase_replaces_the_bare_knowledge_base_concept_at_its_head(nlp: Language) -> None:
    text = "Intelligent machines will rule. Intelligent machines will think. Some fear intelligent machines."
    found = mentions(nlp, text)
    assert [key for t, _, key in found if "machines" in t] == ["nf:intelligent machine"] * 3


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        (
            "Life grew in the animal and vegetable kingdoms. The animal and vegetable kingdoms differ.",
            "nf:animal and vegetable kingdom",
        ),
        ("A major war is coming. The major war will kill billions. Nobody wants a major war.", "nf:major war"),
        ("He left the field. The field was small. He never returned to the field.", "nf:field"),
        ("He wrote an essay on risk. The essay was long. Critics of his essay were many.", "nf:essay"),
    ],
)
def test_coordinated_evaluative_and_generic_phrases_are_not_concepts(nlp: Language, text: str, absent: str) -> None:
    assert absent not in {key for _, _, key in mentions(nlp, text)}


def test_a_phrase_that_is_a_later_member_of_a_list_is_still_a_concept(nlp: Language) -> None:
    text = (
        "He wrote on architecture, feminist theory, and literary criticism. Critics of literary criticism "
        "disagree. His work changed literature and literary criticism."
    )
    found = mentions(nlp, text)
    assert ("literary criticism", "Concept", "nf:literary criticism") in found


def test_a_title_shaped_name_listed_only_with_works_is_a_work(nlp: Language) -> None:
    text = (
        "Foucault examined power within social orders (see The Order of Things, The Archaeology of Knowledge, "
        "Discipline and Punish, and The History of Sexuality)."
    )
    found = {key: label for _, label, key in mentions(nlp, text)}
    assert found["kb:discipline-and-punish"] == "CreativeWork"
    assert found["nf:the archaeology of knowledge"] == found["nf:the history of sexuality"] == "CreativeWork"


def test_an_adherent_of_a_school_before_a_persons_name_is_no_part_of_it(nlp: Language) -> None:
    found = mentions(nlp, 'Modernist Ludwig Mies van der Rohe is associated with the phrase "less is more".')
    assert ("Ludwig Mies van der Rohe", "Person") in {(t, label) for t, label, _ in found}


def test_a_salient_phrase_built_on_a_known_concepts_name_is_a_concept_of_its_own(nlp: Language) -> None:
    text = (
        "AI innovation drives growth. The order protects AI innovation. AI-enabled science grows fast. We fund "
        "AI-enabled science. Firms do large-scale AI training. Labs do large-scale AI training too. AI is here."
    )
    found = mentions(nlp, text)
    assert {key for _, label, key in found if label == "Concept"} == {
        "nf:ai innovation",
        "nf:ai-enabled science",
        "nf:large-scale ai training",
        "kb:artificial-intelligence",
    }
    assert [t for t, _, key in found if key == "kb:artificial-intelligence"] == ["AI"]  # the last sentence's


def test_an_event_the_ner_names_by_its_date_takes_the_noun_after_it(nlp: Language) -> None:
    text = "He questions whether the reality of the September 11 attacks on the United States is a media event."
    found = mentions_with_ner(nlp, text, {"September 11": "EVENT"})
    assert ("September 11 attacks", "Concept", "nf:september 11 attacks") in found


def test_two_names_the_ner_ran_together_with_and_are_split_when_one_is_a_person(nlp: Language) -> None:
    found = mentions(
        nlp, "William Gibson wrote Neuromancer. It presents the future as Gibson and Sterling later deliver it."
    )
    texts = {text: key for text, _, key in found}
    assert "Gibson and Sterling" not in texts
    assert texts["Gibson"] == "kb:william-gibson"


def test_a_company_named_with_an_ampersand_stays_one_name(nlp: Language) -> None:
    found = mentions(nlp, "He sold the company to Lernout & Hauspie in 1997.")
    assert "Lernout & Hauspie" in {text for text, _, _ in found}


def test_a_firm_s_list_of_names_with_an_ampersand_is_one_name() -> None:
    doc = spacy.blank("en")("He sold it to Marlow, Finch & Grey and to The Press, Christchurch.")
    firm, paper = Span(doc, 4, 9, label="ORG"), Span(doc, 11, 15, label="ORG")
    assert [p.text for p in _list_parts(firm)] == ["Marlow, Finch & Grey"]
    assert [p.text for p in _list_parts(paper)] == ["The Press", "Christchurch"]


def test_a_name_the_ner_ends_on_a_comma_leaves_no_empty_part(nlp: Language) -> None:
    doc = spacy.blank("en")('They were the "Ricardian socialists"—Charles Hall, Thomas Hodgskin and John Gray.')
    comma = next(t.i for t in doc if t.text == ",")
    run_on = Span(doc, 4, comma + 1, label="WORK_OF_ART")
    assert [p.text for p in _list_parts(run_on)] == ['Ricardian socialists"—Charles Hall']
    mentions_with_ner(nlp, doc.text, {run_on.text: "WORK_OF_ART"})  # once an IndexError


def test_a_single_word_concept_must_be_used_far_more_often_than_in_general_english(nlp: Language) -> None:
    text = (
        "Life under servitude continues. Their life in servitude is long. Life without servitude is rare. "
        + "The weather was fine and the sun was warm over the quiet hills that morning. " * 30
    )
    keys = {key for _, _, key in mentions(nlp, text)}
    assert "nf:servitude" in keys
    assert "nf:life" not in keys  # as often as "servitude" here, but English uses it 700 times more


def test_a_nationality_is_no_short_form_of_an_organisation_it_begins(nlp: Language) -> None:
    found = mentions(nlp, "He joined the French Resistance in 1943. Later he taught French philosophy.")
    assert ("French", "Organization") not in [(t, label) for t, label, _ in found]


def test_a_trailing_function_word_is_not_part_of_an_ner_name() -> None:
    nlp = spacy.blank("en")
    doc = nlp("the Human Future of the world")
    span = clean_span(doc[0:4], "ORG")
    assert span is not None and span.text == "Human Future"


def test_one_capitalised_word_after_a_person_s_possessive_is_a_work_unless_it_is_a_person(nlp: Language) -> None:
    found = mentions(
        nlp, "It lacked the galactic vistas of Isaac Asimov's Foundation. Deleuze's Spinoza is a strange one."
    )
    types = {text: label for text, label, _ in found}
    assert types.get("Foundation") == "CreativeWork"
    assert types.get("Spinoza") == "Person"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("In 1999 she received the Vandermeer Prize in Chemistry for her work.", "Vandermeer Prize in Chemistry"),
        ("He won the Gold Medal for Science Education that year.", "Gold Medal for Science Education"),
        ("She was given the Harlow Achievement Award in 2004.", "Harlow Achievement Award"),
    ],
)
def test_an_award_is_one_concept_with_its_capitalised_complement(nlp: Language, text: str, name: str) -> None:
    assert (name, "Concept") in [(t, label) for t, label, _ in mentions(nlp, text)]


def test_a_place_after_in_is_where_a_headed_name_is_not_part_of_it(nlp: Language) -> None:
    found = [t for t, _, _ in mentions(nlp, "They attacked Burton's Mill in Middleton in 1812.")]
    assert "Burton's Mill in Middleton" not in found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("In 1982 Ray Kurzweil founded Kurzweil Music Systems with a friend.", "Kurzweil Music Systems"),
        ("He spoke at the Singularity Summit in 2006.", "Singularity Summit"),
        ("She joined the Association for Computing Machinery in 1990.", "Association for Computing Machinery"),
    ],
)
def test_a_headed_name_holding_a_known_name_is_one_organisation(nlp: Language, text: str, name: str) -> None:
    assert (name, "Organization") in [(t, label) for t, label, _ in mentions(nlp, text)]


def test_a_lower_case_article_does_not_make_a_known_alias_beat_a_longer_name(nlp: Language) -> None:
    found = keys(nlp, "NASA announced the creation of the Singularity University training center.")
    assert found.get("Singularity University") == "kb:singularity-university"


def test_two_long_forms_of_one_acronym_are_one_name(nlp: Language) -> None:
    found = keys(
        nlp,
        "He worked at Tokyo's Brain Emulation Research Laboratories (BERL) in 1995. "
        "Later the Tokyo Brain Emulation Research Laboratories (BERL) closed.",
    )
    assert len({v for k, v in found.items() if "Laboratories" in k or k == "BERL"}) == 1


def test_a_given_name_before_a_known_person_s_surname_names_a_relative(nlp: Language) -> None:
    found = keys(
        nlp,
        "Ray Kurzweil married Sonya Rosenwald Kurzweil in 1975. Sonya Kurzweil is a psychologist. "
        "He has a daughter, Amy Kurzweil, who is a writer. Raymond Kurzweil spoke.",
    )
    assert found["Sonya Rosenwald Kurzweil"] == found["Sonya Kurzweil"] == "nf:sonya kurzweil"
    assert found["Amy Kurzweil"] == "nf:amy kurzweil"
    assert found["Raymond Kurzweil"] == found["Ray Kurzweil"] == "kb:ray-kurzweil"


def test_a_common_word_used_about_sixty_times_its_english_rate_is_not_yet_a_concept(nlp: Language) -> None:
    # "invention" is about 1.1e-5 of English; 3 uses in ~4,500 words is ~60 times that rate, under 100.
    text = (
        "His invention worked. The invention sold well. Another invention followed soon. "
        + "The weather was fine and the sun was warm over the quiet hills that morning. " * 300
    )
    assert "nf:invention" not in {key for _, _, key in mentions(nlp, text)}


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Her first novel, Marigold: Chronicles of a Night Gardener, follows a girl.",
            "Marigold: Chronicles of a Night Gardener",
        ),
        (
            "He wrote two books on health: Slow Rivers: Live Long Enough to Walk Again and Keep: Nine Steps to Calm.",
            "Keep: Nine Steps to Calm",
        ),
    ],
)
def test_a_title_and_its_subtitle_after_a_colon_are_one_work(nlp: Language, text: str, title: str) -> None:
    assert (title, "CreativeWork") in [(t, label) for t, label, _ in mentions(nlp, text)]


def test_a_run_in_heading_with_a_colon_is_no_title(nlp: Language) -> None:
    found = [t for t, _, _ in mentions(nlp, "Personal Life: Kurzweil Married Sonya Rosenwald in 1975.")]
    assert not any(":" in t for t in found)


def test_a_bare_domain_name_is_a_website(nlp: Language) -> None:
    found = mentions(nlp, "He maintains the news website FuturaWatch.net and wrote for Quorum.org often.")
    labels = {t: label for t, label, _ in found}
    assert labels.get("FuturaWatch.net") == labels.get("Quorum.org") == "CreativeWork"


@pytest.mark.parametrize(
    ("text", "model"),
    [
        ("In 1964 the IBM S360 was unveiled.", "IBM S360"),
        ("Products include the IBM 7090 mainframe computer.", "IBM 7090"),
    ],
)
def test_a_known_maker_s_name_with_a_model_number_is_a_product(nlp: Language, text: str, model: str) -> None:
    assert (model, "Product") in [(t, label) for t, label, _ in mentions(nlp, text)]


def test_a_known_name_before_a_count_is_no_model(nlp: Language) -> None:
    found = [t for t, _, _ in mentions(nlp, "They sold IBM 1000 machines that year.")]
    assert "IBM 1000" not in found


def test_a_model_the_knowledge_base_knows_keeps_its_entry(nlp: Language) -> None:
    found = keys(nlp, "They trained it on NVIDIA A100s for a week.")
    assert found["NVIDIA A100s"] == "kb:nvidia-a100"


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        (
            "She won the Harlow Medal of Design and Craft in 1999. The Harlow Medal of Design is rare.",
            "Harlow Medal of Design",
            "Harlow Medal of Design and Craft",
        ),
        (
            "He joined the Northern Makers Guild of Fame in 2002. The Guild of Fame inducts ten a year.",
            "Guild of Fame",
            "Northern Makers Guild of Fame",
        ),
    ],
)
def test_a_shorter_form_that_a_longer_name_begins_or_ends_is_the_same_name(
    nlp: Language, text: str, short: str, long: str
) -> None:
    found = keys(nlp, text)
    assert found[short] == found[long]


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        ("Shares of Globex Corp. rose on Monday. Globex said profits doubled.", "Globex", "Globex Corp."),
        ("Initech Ltd. hired him in 1999. He left Initech in 2003.", "Initech", "Initech Ltd."),
    ],
)
def test_a_company_s_name_without_its_legal_form_is_the_company(
    nlp: Language, text: str, short: str, long: str
) -> None:
    found = keys(nlp, text)
    assert found[short] == found[long]


def test_a_founder_s_surname_stays_the_founder_beside_the_company_named_after_him(nlp: Language) -> None:
    found = keys(nlp, "Michael Dell founded Dell Inc. in 1984. Dell said the firm would grow.")
    assert found["Dell"] == found["Michael Dell"] != found["Dell Inc."]


def test_a_place_that_begins_a_newspaper_s_name_is_another_name(nlp: Language) -> None:
    found = keys(nlp, "He moved to New York in 1970 and wrote for the New York Times.")
    assert found["New York"] != found["New York Times"]


def test_a_heading_in_capitals_that_holds_a_known_name_is_no_name(nlp: Language) -> None:
    found = [t for t, _, _ in mentions(nlp, "SECTION 5\n\nTHE STRIFE BETWEEN WORKMAN AND MACHINE\n\nThe strife began.")]
    assert not any("STRIFE" in t for t in found)


def test_a_chapter_heading_with_a_colon_is_no_title(nlp: Language) -> None:
    found = [t for t, _, _ in mentions(nlp, "Capital, Volume One, Chapter Fifteen: Machinery and Modern Industry.")]
    assert not any(t.startswith("Chapter Fifteen") for t in found)


def test_a_word_in_ism_is_a_doctrine_even_named_once(nlp: Language) -> None:
    found = mentions(nlp, "Critics of Zentropism and neo-Quorbism cite the organism and an attention mechanism.")
    concepts = {t: key for t, label, key in found if label == "Concept"}
    assert concepts.get("Zentropism") == "nf:zentropism"
    assert concepts.get("neo-Quorbism") == "nf:neo-quorbism"
    assert not {"organism", "mechanism"} & set(concepts)  # things and parts, not doctrines


def test_the_name_of_a_field_is_a_concept_even_named_once(nlp: Language) -> None:
    found = mentions(nlp, "Zentrology and neuroquorbics are young fields, but their critics and methodologies abound.")
    concepts = {t: key for t, label, key in found if label == "Concept"}
    assert concepts.get("Zentrology") == "nf:zentrology"
    assert concepts.get("neuroquorbics") == "nf:neuroquorbics"
    assert not {"critics", "methodologies"} & set(concepts)  # words in -ics and -ology that name no field


def test_a_capitalised_adherent_names_the_knowledge_base_doctrine(nlp: Language) -> None:
    found = mentions(nlp, "Marxist critics disagree, and the capitalist buys labour-power all the same.")
    keys = {t: key for t, label, key in found}
    assert keys.get("Marxist") == "kb:marxism"
    assert "capitalist" not in keys  # Marx's capitalist is a person, not the doctrine


@pytest.mark.parametrize(
    ("text", "stem", "key"),
    [
        ("There are many zentropisms, and zentropism itself is young.", "zentropism", "nf:zentropism"),
        ("The zentrologies differ, and zentrology itself is young.", "zentrolog", "nf:zentrology"),
    ],
)
def test_the_plural_of_a_doctrine_or_a_field_is_the_same_idea(nlp: Language, text: str, stem: str, key: str) -> None:
    assert [k for t, label, k in mentions(nlp, text) if t.startswith(stem)] == [key, key]


def test_the_adherents_of_a_doctrine_the_text_names_are_its_mentions(nlp: Language) -> None:
    found = mentions(nlp, "Zentropism is new. Zentropists say so, and scientists doubt zentropism and scientism.")
    keys = {t: key for t, label, key in found}
    assert keys.get("Zentropists") == keys.get("Zentropism") == "nf:zentropism"
    assert "scientists" not in keys  # a profession beside "scientism", not its adherents


def test_a_name_with_and_without_its_article_is_one_name(nlp: Language) -> None:
    doc = nlp(
        "In 2002 the WTA adopted The Transhumanist Declaration. Critics read Transhumanist Declaration as a manifesto."
    )
    keys = {s.text: s.kb_id_ for s in doc.spans[SPANS_KEY]}
    assert keys["The Transhumanist Declaration"] == keys["Transhumanist Declaration"] == "nf:transhumanist declaration"


def test_a_given_name_the_ner_left_out_of_a_person_s_name_is_part_of_it(nlp: Language) -> None:
    doc = nlp("Neuroscientist Anders Sandberg has been practicing on the method of scanning the brain.")
    assert ("Anders Sandberg", "Person") in {(s.text, s.label_) for s in doc.spans[SPANS_KEY]}


def test_concept_ranks_do_not_depend_on_the_string_hash_seed() -> None:
    # Ranks that differ in their last bits between processes chose different concepts for one
    # text in a --jobs 1 and a --jobs 2 build (the --jobs difference bench/speed.py reported).
    import os
    import subprocess
    import sys

    script = (
        "import random\n"
        "from kg.nlp.concepts import textrank\n"
        "rng = random.Random(7)\n"
        "words = [f'w{i}' for i in range(40)]\n"
        "sentences = [set(rng.sample(words, rng.randint(2, 6))) for _ in range(60)]\n"
        "print(repr(sorted(textrank(sentences, set(words)).items())))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "2")
    }
    assert len(runs) == 1


def test_a_given_name_and_surname_the_ner_leaves_unlabelled_are_a_person(nlp: Language) -> None:
    text = "\" Alain Badiou claims that Deleuze's metaphysics only apparently embraces plurality."
    assert not any(e.text == "Alain Badiou" for e in nlp(text).ents)  # the case the rule is for
    assert ("Alain Badiou", "Person", "nf:alain badiou") in mentions(nlp, text)


def test_a_publisher_is_named_by_its_head_word(nlp: Language) -> None:
    found = mentions(nlp, "It followed the 1989 Zone Books translation of the 1967 booklet.")
    assert ("Zone Books", "Organization", "nf:zone books") in found


@pytest.mark.parametrize(
    ("text", "title", "key"),
    [
        ("His thesis appeared in English (Spinoza: Expressionism in Philosophy, 1992).",
         "Spinoza: Expressionism in Philosophy", "kb:expressionism-in-philosophy"),
        ("A shorter book followed (Spinoza: Practical Philosophy, 1988).",
         "Spinoza: Practical Philosophy", "nf:spinoza: practical philosophy"),
    ],
)  # fmt: skip
def test_a_subtitled_title_is_the_work_the_knowledge_base_knows_by_it_and_never_the_person_it_starts_with(
    nlp: Language, text: str, title: str, key: str
) -> None:
    assert (title, "CreativeWork", key) in mentions(nlp, text)


@pytest.mark.parametrize(
    ("text", "sequel"),
    [
        ("More recent films include Blade Runner 2049 (2017), a sequel.", "Blade Runner 2049"),
        ("Role-playing games such as Cyberpunk 2020 borrow from novels.", "Cyberpunk 2020"),
    ],
)
def test_a_known_name_with_a_number_after_it_is_another_work(nlp: Language, text: str, sequel: str) -> None:
    assert (sequel, "CreativeWork", f"nf:{sequel.lower()}") in mentions(nlp, text)


def test_a_known_work_after_its_author_s_possessive_is_the_work_alone(nlp: Language) -> None:
    found = mentions(nlp, "Deleuze says the book rewrites Kant's Critique of Pure Reason (1781).")
    assert ("Critique of Pure Reason", "CreativeWork", "kb:critique-of-pure-reason") in found
    assert not any(text.startswith("Kant's") for text, _, _ in found)


@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("They value secular humanism above all.", ("secular humanism", "nf:secular humanism")),
        ("Critics call it social Lamarckism again.", ("social Lamarckism", "nf:social lamarckism")),
        ("It made left-wing Nietzscheanism popular.", ("left-wing Nietzscheanism", "nf:left-wing nietzscheanism")),
        ("They defend liberal democracies today.", ("liberal democracies", "nf:liberal democracy")),
        ("It echoes enduring legacies of scientific racism.", ("scientific racism", "nf:scientific racism")),
        ("Critics reject human exceptionalism outright.", ("human exceptionalism", "nf:human exceptionalism")),
        ("It grew out of Renaissance humanism and more.", ("Renaissance humanism", "nf:renaissance humanism")),
        ("He was drawn to New Age spiritualism early.", ("New Age spiritualism", "nf:new age spiritualism")),
    ],
)
def test_a_doctrine_with_an_adjective_naming_its_school_is_that_school(
    nlp: Language, text: str, school: tuple[str, str]
) -> None:
    assert (school[0], "Concept", school[1]) in mentions(nlp, text)


def test_a_school_the_ner_took_for_a_person_is_a_school(nlp: Language) -> None:
    text = "He was exposed via Unitarian Universalism to a diversity of religious faiths."
    found = mentions_with_ner(nlp, text, {"Unitarian Universalism": "PERSON"})
    assert ("Unitarian Universalism", "Concept", "nf:unitarian universalism") in found


def test_a_quoted_phrase_ending_in_a_lower_case_word_is_no_title(nlp: Language) -> None:
    found = mentions(nlp, 'Critics call his predictions "New Age spiritualism" rather than science.')
    assert ("New Age spiritualism", "Concept", "nf:new age spiritualism") in found


@pytest.mark.parametrize(
    "text",
    [
        "Modern capitalism grows.",
        "They praise political liberalism.",
        "We love democracy.",
        "It is critical of traditional humanism.",
        "His unusual transhumanism shocked them.",
        "He built an atypical epistemology.",
        "They praise American democracy.",
    ],
)
def test_a_qualified_doctrine_is_the_doctrine_and_democracy_alone_no_school(nlp: Language, text: str) -> None:
    found = mentions(nlp, text)
    assert not any(" " in surface and kind == "Concept" for surface, kind, _ in found)
    assert not any(surface.endswith("democracy") for surface, _, _ in found)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Some secular humanists see transhumanism as an offspring of humanism.",
         ("secular humanists", "nf:secular humanism")),
        ("A belief of counter-transhumanism is that transhumanism can cause unfair enhancement.",
         ("counter-transhumanism", "nf:counter-transhumanism")),
    ],
)  # fmt: skip
def test_the_adherents_of_a_school_and_a_prefixed_doctrine_are_ideas_of_their_own(
    nlp: Language, text: str, found: tuple[str, str]
) -> None:
    assert (found[0], "Concept", found[1]) in mentions(nlp, text)


@pytest.mark.parametrize(
    ("text", "periodical"),
    [
        ("He published in the Journal of Evolution and Technology, suggesting that it mattered.",
         "Journal of Evolution and Technology"),
        ("His essay appeared in the journal Minds and Machines in 2001.", "Minds and Machines"),
    ],
)  # fmt: skip
def test_periodicals_are_organisations(nlp: Language, text: str, periodical: str) -> None:
    assert (periodical, "Organization") in {(t, kind) for t, kind, _ in mentions(nlp, text)}


def test_a_title_the_ner_finds_around_a_knowledge_base_concept_is_one_work(nlp: Language) -> None:
    text = (
        "Social philosopher Jürgen Habermas makes a similar argument in his 2003 book The Future of Human Nature,"
        " in which he asserts that moral autonomy depends on not being subject to another's specifications."
    )
    assert ("The Future of Human Nature", "WORK_OF_ART") in {(e.text, e.label_) for e in nlp(text).ents}
    found = mentions(nlp, text)
    assert ("The Future of Human Nature", "CreativeWork") in {(t, kind) for t, kind, _ in found}
    assert not any(t == "Human Nature" for t, _, _ in found)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ('Theologians hold that the doctrine of "co-creation" obliges us to improve biology.', "co-creation"),
        ('Another critique is aimed at "algeny" (a portmanteau of alchemy and genetics).', "algeny"),
        ("Among them stands the so-called 'resurrection logs'.", "resurrection logs"),
        ('They built on the concept of "thought-forms" later.', "thought-forms"),
    ],
)
def test_a_quoted_term_the_text_introduces_or_glosses_is_an_idea(nlp: Language, text: str, term: str) -> None:
    key = "nf:" + term.removesuffix("s")  # keyed by the singular
    assert (term, "Concept", key) in mentions(nlp, text)


def test_scare_quotes_alone_make_no_idea(nlp: Language) -> None:
    found = mentions(nlp, 'His ideas were called a "complacent" vision and a "posthuman future" by critics.')
    assert not any(text in {"complacent", "posthuman future"} for text, _, _ in found)


def test_nouns_the_ner_joins_into_a_work_are_no_title(nlp: Language) -> None:
    text = "Hugo de Garis retired in 2010. In 2013 he was studying Maths and Physics at PhD level."
    assert ("Maths and Physics", "WORK_OF_ART") in {(e.text, e.label_) for e in nlp(text).ents}
    assert "Maths and Physics" not in {t for t, _, _ in mentions(nlp, text)}


def test_a_name_in_brackets_after_a_quoted_phrase_is_no_gloss_of_a_term(nlp: Language) -> None:
    found = mentions(nlp, 'He believes one group with a "grand plan" (the Cosmists) will be opposed by another.')
    assert "grand plan" not in {t for t, _, _ in found}


def test_the_examples_of_a_class_the_ner_runs_together_are_names_of_their_own(nlp: Language) -> None:
    found = mentions(nlp, "Doctors prescribe medicines such as Ritalin and Adderall to improve cognitive focus.")
    assert {("Ritalin", "Product"), ("Adderall", "Product")} <= {(t, kind) for t, kind, _ in found}


def test_drugs_listed_as_examples_are_products_whatever_the_ner_says(nlp: Language) -> None:
    text = 'Many people take "lifestyle" drugs such as Viagra, Propecia, and Botox to restore youth.'
    assert {e.label_ for e in nlp(text).ents} >= {"PERSON", "ORG"}  # the NER's guesses the cue overrides
    found = {(t, kind) for t, kind, _ in mentions(nlp, text)}
    assert {("Viagra", "Product"), ("Propecia", "Product"), ("Botox", "Product")} <= found


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "The French philosopher wrote on capitalism. Another French philosopher replied on capitalism. "
            "A third French philosopher disagreed about capitalism and accelerationism.",
            "philosopher",
        ),
        (
            "His first philosophical monograph was on capitalism. That philosophical monograph drew on "
            "accelerationism. A second philosophical monograph followed on capitalism.",
            "monograph",
        ),
        (
            "Each executive department shall review capitalism. All executive departments report on "
            "accelerationism. Every executive department complies with capitalism.",
            "department",
        ),
    ],
)
def test_a_recurring_kind_of_named_thing_is_no_concept(nlp: Language, text: str, kind: str) -> None:
    # Roles of people, kinds of works, organisations and places: the names are the entities.
    assert not any(kind in t for t, _, _ in mentions(nlp, text))


def test_a_society_is_an_idea_though_societies_are_organisations(nlp: Language) -> None:
    text = "Victorian society feared machines. Victorian society read Butler. Victorian society changed."
    assert ("Victorian society", "Concept", "nf:victorian society") in mentions(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        # the NER calls "Cosmist" an organisation, and the quoted "Cosmists" is a title candidate first
        'COSMISM is a moral philosophy. He feels like a Cosmist, for the Cosmists will win. "Cosmists" want growth.',
        "I consider myself a Spinozist, rather than a Leibnizian. Spinozism is one of the great philosophies.",
    ],
)
def test_every_adherent_form_of_a_doctrine_the_text_names_is_that_doctrine(nlp: Language, text: str) -> None:
    found = [(t, k) for t, label, k in mentions(nlp, text) if t.lower().startswith(("cosmis", "spinozis"))]
    assert len(found) >= 2
    assert len({k for _, k in found}) == 1, found


def test_the_head_of_a_title_after_the_is_a_short_form_of_the_work(nlp: Language) -> None:
    found = mentions(
        nlp,
        "Hegel wrote the Phenomenology of Spirit. In the Phenomenology, spirit comes to know itself; "
        "a phenomenology of the body is another matter.",
    )
    assert ("Phenomenology", "CreativeWork", "kb:phenomenology-of-spirit") in found
    assert ("phenomenology", "Concept", "nf:phenomenology") in found  # the common noun is not the book


def test_a_title_that_fills_a_bracket_before_a_year_is_the_work_cited(nlp: Language) -> None:
    found = mentions(nlp, '"We were guilty of a powerful passion: we were Spinozists." (Reading Capital, 1968)')
    assert ("Reading Capital", "CreativeWork") in [(t, label) for t, label, _ in found]
    placed = mentions(nlp, "See the first edition of the book (New York, 1998) for details.")
    assert ("New York", "Place") in [(t, label) for t, label, _ in placed]  # where it was published


def test_names_joined_by_a_slash_split_when_the_text_names_one_of_them_alone(nlp: Language) -> None:
    found = keys(
        nlp,
        "In 1969 he was appointed to the University of Paris VIII at Vincennes/St. Denis, an experimental "
        "school. Deleuze taught at Vincennes until 1987.",
    )
    assert found.get("Vincennes") == "nf:vincennes" and found.get("St. Denis") == "nf:st. denis"
    handles = keys(nlp, "Getting model outputs to seed new conversations is what Janus/Repligate's experiments show.")
    assert "Janus/Repligate" in handles  # one person's two handles, neither named alone


def test_a_name_spelt_two_ways_in_one_text_is_one_name(nlp: Language) -> None:
    found = keys(
        nlp,
        "A parallel in painting is Francis Bacon's Study after Velázquez; it is beside the point "
        'to say that Bacon "gets Velasquez wrong".',
    )
    assert found["Velázquez"] == found["Velasquez"]


def test_a_section_word_the_ner_took_without_its_number_is_never_an_entity(nlp: Language) -> None:
    found = keys(nlp, "Sec. 2. Policy. It is the policy of the United States to sustain its lead in AI.")
    assert "Sec" not in found and "Sec." not in found
    assert "United States" in found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("“In hac urbe,” says Boxhorn (Inst. Pol., 1663), “the machine is used.”", "Boxhorn"),
        ("He wrote about Mirabeau\u2019s “Impossible! Never that stupid word!” in his essay.", "Mirabeau"),
    ],
)
def test_a_name_ends_where_a_bracket_or_quote_opens_that_it_does_not_close(nlp: Language, text: str, name: str) -> None:
    assert name in [t for t, _, _ in mentions(nlp, text)]


def test_a_profession_is_never_merged_into_the_doctrine_it_looks_like(nlp: Language) -> None:
    found = keys(nlp, "Scientism is a creed. Scientists at the Royal Society reject it, and the Scientists said so.")
    assert found["Scientism"] == "nf:scientism" and found.get("Scientists") != "nf:scientism"


def test_the_words_after_a_time_of_day_are_never_an_entity(nlp: Language) -> None:
    found = keys(
        nlp, "The White House, 2023-06-20\n\n1:13 P.M. PDT\n\nTHE PRESIDENT: Well, thanks for joining me today."
    )
    assert not any("P.M." in text or "PDT" in text for text in found)
    assert "White House" in found


def test_the_heading_of_a_numbered_section_is_never_an_entity(nlp: Language) -> None:
    text = "Sec. 6. General Provisions. (a) Nothing in this order shall impair the Office of Management and Budget."
    found = keys(nlp, text)
    assert "General Provisions" not in found
    assert "Office of Management and Budget" in found


def test_a_name_after_a_possessive_determiner_starts_after_it(nlp: Language) -> None:
    found = mentions(nlp, "Thanks to Arati, the director of my Office of Science and Technology and Policy.")
    assert (
        "Office of Science and Technology and Policy",
        "Organization",
        "nf:office of science and technology and policy",
    ) in found
    assert not any(text == "Technology" for text, _, _ in found)


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (
            "Sec. 4. Developing an Artificial Intelligence Action Plan.",
            "Artificial Intelligence Action Plan",
            "CreativeWork",
        ),
        (
            "No prizeman in Hypothetics at any of our Colleges of Unreason can compare.",
            "Colleges of Unreason",
            "Organization",
        ),
    ],
)
def test_plans_and_plural_institutions_are_named_by_their_head_word(
    nlp: Language, text: str, name: str, kind: str
) -> None:
    assert (name, kind) in [(t, label) for t, label, _ in mentions(nlp, text)]


def test_a_bare_noun_inside_a_complex_preposition_is_not_a_concept(nlp: Language) -> None:
    text = (
        "The APST shall act in coordination with the agencies. The OMB Director, in coordination with the APST, "
        "shall revise the memoranda. The heads shall, in coordination with OMB, report."
    )
    assert "nf:coordination" not in {key for _, _, key in mentions(nlp, text)}


def test_a_case_sensitive_knowledge_base_name_is_not_the_common_word(nlp: Language) -> None:
    found = mentions(nlp, "Spinoza's God is no god of the crowd; the Enlightenment sought a kind of enlightenment.")
    assert ("God", "Concept", "kb:god") in found and ("Enlightenment", "Concept", "kb:enlightenment") in found
    assert not any(text in {"god", "enlightenment"} for text, _, _ in found)


def test_the_subjects_surname_stays_the_subject_after_relatives_named_in_passing(nlp: Language) -> None:
    text = (
        "Bill Joy\n\nWILLIAM NELSON JOY is an American computer engineer. Joy was born in Michigan, to William "
        "Joy, a teacher, and Ruth Joy. He earned a degree in 1975. He then moved to California. Joy denies this."
    )
    last = [key for t, _, key in mentions(nlp, text) if t == "Joy"][-1]
    assert last == "kb:bill-joy"


def test_the_nearest_of_two_namesakes_still_owns_a_surname_after_them(nlp: Language) -> None:
    text = "Julian Huxley coined the word. His brother Aldous Huxley wrote novels. Huxley wrote Brave New World."
    assert [key for t, _, key in mentions(nlp, text) if t == "Huxley"] == ["nf:aldous huxley"]


def test_half_of_a_slashed_name_is_the_whole_name(nlp: Language) -> None:
    text = (
        "DARPA paid BBN to add TCP/IP to Unix. He disliked BBN's TCP/IP. "
        "So, Joy wrote his own high-performance TCP/IP stack."
    )
    found = keys(nlp, text)
    assert "TCP" not in found and "IP" not in found
    assert found.get("TCP/IP") == "nf:tcp/ip"


def test_a_title_runs_on_through_a_contraction(nlp: Language) -> None:
    found = mentions(
        nlp, "He also wrote the 2000 essay Why Machines Won't Save Us, in which he warned of new technologies."
    )
    assert ("Why Machines Won't Save Us", "CreativeWork") in [(t, label) for t, label, _ in found]


def test_a_middle_initial_does_not_make_another_person(nlp: Language) -> None:
    text = "The novel follows Paul Freeman, an interrogator. Paul T. Freeman questions Nick. Freeman listens."
    assert {key for t, _, key in mentions(nlp, text) if "Freeman" in t} == {"nf:paul freeman"}


def test_a_person_named_with_and_without_a_middle_name_is_one_person(nlp: Language) -> None:
    text = "Thinkers include Stefan Lorenz Sorgner and Evan Thompson. Later, Stefan Sorgner wrote a book."
    assert {key for t, _, key in mentions(nlp, text) if "Sorgner" in t} == {"nf:stefan sorgner"}


def test_an_organisation_is_called_by_its_first_word(nlp: Language) -> None:
    text = "He co-founded Sun Microsystems in 1982. At Sun, Joy developed NFS. Sun announced that he was leaving."
    assert {key for t, _, key in mentions(nlp, text) if t.startswith("Sun")} == {"kb:sun-microsystems"}


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        (
            "The first transhumanists met at the University of California, Los Angeles, which became a center.",
            "University of California, Los Angeles",
            "Organization",
        ),
        ("Kate studied at the University of Missouri\u2013Kansas City in 1970.", None, "Organization"),
        ("He serves entrenched interests in Washington D.C. When Nick escapes, he hides.", "Washington D.C.", "Place"),
        ("Hacking spread from Washington, D.C. to the coast.", "Washington, D.C.", "Place"),
    ],
)
def test_a_campus_after_its_university_and_a_district_after_its_city_are_part_of_the_name(
    nlp: Language, text: str, name: str | None, label: str
) -> None:
    found = mentions(nlp, text)
    expected = name or text[text.index("University") : text.index(" in 1970")]
    assert (expected, label) in [(surface, kind) for surface, kind, _ in found]


def test_a_place_in_a_list_after_a_university_is_no_campus(nlp: Language) -> None:
    found = [surface for surface, _, _ in mentions(nlp, "He taught at the University of Chicago, London and Paris.")]
    assert "University of Chicago" in found and "London" in found


def test_capitals_right_after_the_name_they_spell_are_its_acronym(nlp: Language) -> None:
    text = (
        "His adviser was Bob Fabry. He worked for Fabry's Computer Systems Research Group CSRG on Unix. "
        "CSRG closed in 1995."
    )
    found = mentions_with_ner(
        nlp, text, {"Bob Fabry": "PERSON", "Fabry's Computer Systems Research Group CSRG": "ORG", "CSRG": "ORG"}
    )
    keys = {t: key for t, _, key in found}
    assert keys["CSRG"] == keys["Computer Systems Research Group"] == "nf:computer systems research group"
    assert keys["Fabry"] == keys["Bob Fabry"]


def test_an_organisation_the_ner_joined_to_another_by_and_is_split_off_where_it_stands_alone(
    nlp: Language,
) -> None:
    text = "Nick ran away from Tarnover in 2010. He believed in the objectives of Tarnover and Electric Skillet."
    found = mentions_with_ner(nlp, text, {"Tarnover": "ORG", "Tarnover and Electric Skillet": "ORG"})
    names = {t for t, _, _ in found}
    assert "Electric Skillet" in names
    assert "Tarnover and Electric Skillet" not in names


def test_a_quoted_name_with_a_legal_form_is_a_company(nlp: Language) -> None:
    found = mentions(nlp, 'One such firm is "Anti-Trauma Inc." which is hired to deprogram people.')
    assert ("Anti-Trauma Inc.", "Organization") in {(t, label) for t, label, _ in found}


def test_a_whole_name_repeated_is_no_short_form_of_itself(nlp: Language) -> None:
    # The NER takes the name for a person's once, so "Aid" would be its surname.
    text = (
        'The town is home to "Hearing Aid", a phone service. Hearing Aid\'s promise is that nobody '
        "listens. Callers trust Hearing Aid."
    )
    found = [t for t, _, _ in mentions_with_ner(nlp, text, {"Hearing Aid's": "PERSON"})]
    assert "Aid" not in found
    assert found.count("Hearing Aid") == 3


def test_a_person_and_the_title_after_the_possessive_the_ner_ran_together_are_two_names(nlp: Language) -> None:
    text = "Dystopian classics such as Orlan Vesmir's Bright Glass Cities, and others."
    found = {(t, label) for t, label, _ in mentions_with_ner(nlp, text, {"Orlan Vesmir's Bright Glass Cities": "ORG"})}
    assert ("Orlan Vesmir", "Person") in found
    assert any(t == "Bright Glass Cities" for t, _ in found)
    kept = mentions_with_ner(nlp, "He joined McDonald's Corporation in 1990.", {"McDonald's Corporation": "ORG"})
    assert [t for t, _, _ in kept] == ["McDonald's Corporation"]


def test_a_bare_acronym_needs_the_initials_of_the_words_before_it(nlp: Language) -> None:
    # Its letters are in "Atomic" (as "AI"'s are in "American Systems for Advanced" in an executive order).
    found = keys(nlp, "Sec. 2. Upgrading Atomic Tools for Vivid AI. (a) The Secretary acts.")
    assert "Atomic Tools for Vivid" not in found
    found = keys(nlp, "The lab of Fabry's Computer Systems Research Group CSRG grew.")
    assert found["CSRG"] == found["Computer Systems Research Group"]


def test_a_numbered_section_heading_is_no_entity_where_the_parser_ends_the_sentence_after_the_number(
    nlp: Language,
) -> None:
    text = "Sec. 4. Protection Against Criminal Actors. The Attorney General shall act."
    found = mentions_with_ner(nlp, text, {"Protection Against Criminal Actors": "ORG"})
    assert not any(t == "Protection Against Criminal Actors" for t, _, _ in found)
    kept = mentions_with_ner(nlp, "Section 230 of the Zentrix Act applies.", {"Zentrix Act": "LAW"})
    assert any(t == "Zentrix Act" for t, _, _ in kept)


def test_a_surname_is_the_short_form_of_a_person_the_text_calls_one_though_the_given_name_is_a_word(
    nlp: Language,
) -> None:
    text = (
        'In 1937, the American sociologist Read Vantrell wrote that "technology includes all tools". '
        "Vantrell's definition remains common among scholars, who read it often."
    )
    found = keys(nlp, text)
    assert found["Vantrell"] == found["Read Vantrell"]


def test_the_spellings_of_a_world_war_are_one_entity_and_a_great_war_in_lower_case_none(nlp: Language) -> None:
    found = keys(nlp, "Computing grew in World War II. Before WWII, and after the Second World War, it grew.")
    assert found["World War II"] == found["WWII"] == found["Second World War"] == "kb:world-war-ii"
    assert "great war" not in {t.lower() for t in keys(nlp, "It was a great war between the machines.")}


def test_a_surname_with_its_particle_is_the_short_form_of_the_person_whose_name_ends_with_it(
    nlp: Language,
) -> None:
    text = (
        "The tables began with Gaspard de Vorny in Paris. Babbage later read about the stalled de Vorny "
        "project, and he wrote about de Vorny's methods."
    )
    found = mentions_with_ner(nlp, text, {"Gaspard de Vorny": "PERSON", "de Vorny": "PERSON", "Babbage": "PERSON"})
    keys_of = {t: key for t, _, key in found}
    assert keys_of["de Vorny"] == keys_of["Gaspard de Vorny"]


def test_a_place_after_a_possessive_that_modifies_a_noun_is_no_work(nlp: Language) -> None:
    found = mentions(nlp, "Luigi Menabrea had taken notes of Babbage's Turin talks; and Babbage wrote to him.")
    assert ("Turin", "CreativeWork") not in {(t, label) for t, label, _ in found}
    found = mentions(nlp, "He loved Isaac Asimov's Foundation and read it twice.")
    assert ("Foundation", "CreativeWork") in {(t, label) for t, label, _ in found}


def test_given_names_of_european_history_make_person_shaped_names(nlp: Language) -> None:
    found = mentions_with_ner(nlp, "The geometer Gaspard Monge taught there.", {"Gaspard Monge": "ORG"})
    assert ("Gaspard Monge", "Person") in {(t, label) for t, label, _ in found}


def test_a_month_alone_and_a_decade_after_a_name_are_no_part_of_any_name(nlp: Language) -> None:
    found = mentions_with_ner(
        nlp,
        "In January the plan was signed. During the Crimean War of the 1850s, he broke a cipher.",
        {"January": "ORG", "the Crimean War of the 1850s": "EVENT"},
    )
    names = [t for t, _, _ in found]
    assert "January" not in names
    assert "Crimean War" in names


def test_a_name_and_the_headed_institution_or_place_it_is_at_are_two_names(nlp: Language) -> None:
    found = mentions(nlp, "Turing spent most of his time studying under Church at Princeton University.")
    names = [t for t, _, _ in found]
    assert "Princeton University" in names and "Church" in names
    assert "Church at Princeton University" not in names
    tunny = [t for t, _, _ in mentions(nlp, "He worked on the cipher attachment codenamed Tunny at Bletchley Park.")]
    assert "Tunny" in tunny and "Bletchley Park" in tunny


def test_a_university_named_with_its_campus_after_at_stays_one_name(nlp: Language) -> None:
    text = "She studied at the University of Texas at Austin in 1990."
    found = mentions_with_ner(nlp, text, {"University of Texas at Austin": "ORG"})
    assert ("University of Texas at Austin", "Organization") in [(t, label) for t, label, _ in found]


@pytest.mark.parametrize(
    ("text", "ner", "name", "label"),
    [
        ("His family came from County Longford in Ireland.", "PERSON", "County Longford", "Place"),
        ("At Hastings he stayed at Upper Maze Hill with a retired couple.", "PERSON", "Upper Maze Hill", "Place"),
        ("A plaque was unveiled at the Colonnade Hotel last year.", "ORG", "Colonnade Hotel", "Place"),
        ("He was cremated at Woking Crematorium on 12 June.", "ORG", "Woking Crematorium", "Place"),
        ("The lecture was given in Deschutes Hall.", "PERSON", "Deschutes Hall", "Place"),
        ("He wrote to The Daily Telegraph about it.", "PERSON", "Daily Telegraph", "Organization"),
        (
            "He joined Government Communications Headquarters.",
            "PRODUCT",
            "Government Communications Headquarters",
            "Organization",
        ),
        ("Turing built a voice communications machine codenamed Delilah.", "PERSON", "Delilah", "Product"),
    ],
)
def test_head_words_of_buildings_counties_newspapers_and_headquarters_and_a_codename_type_the_name(
    nlp: Language, text: str, ner: str, name: str, label: str
) -> None:
    found = mentions_with_ner(nlp, text, {name: ner})
    assert [label for t, label, _ in found if t.endswith(name)] == [label]


def test_a_hall_with_a_complement_is_no_place(nlp: Language) -> None:
    text = "He was inducted into the National Inventors Hall of Fame in 2002."
    found = mentions_with_ner(nlp, text, {"National Inventors Hall of Fame": "ORG"})
    assert ("National Inventors Hall of Fame", "Organization") in [(t, label) for t, label, _ in found]


def test_a_double_barrelled_surname_alone_is_the_short_form_of_the_full_name(nlp: Language) -> None:
    text = "Gordon Welchman and Stuart Milner-Barry were frustrated. As Milner-Barry recalled, nothing came of it."
    keys = {t: key for t, _, key in mentions(nlp, text)}
    assert keys["Milner-Barry"] == keys["Stuart Milner-Barry"]


def test_a_surname_alone_is_the_person_named_in_full_not_the_one_named_by_title(nlp: Language) -> None:
    text = (
        "He formed a friendship with Christopher Morcom. He wrote to Mrs. Morcom in 1933. "
        "Some have speculated that Morcom's death was the cause."
    )
    keys = {t: key for t, _, key in mentions(nlp, text)}
    assert keys["Morcom"] == keys["Christopher Morcom"] != keys["Mrs. Morcom"]
    alone = {t: key for t, _, key in mentions(nlp, "Mrs. Grundy was shocked. Later Grundy left the town.")}
    assert alone["Grundy"] == alone["Mrs. Grundy"]


def test_capitals_before_the_bracketed_words_they_spell_are_one_name_with_them(nlp: Language) -> None:
    text = (
        "He worked on the design of the ACE (Automatic Computing Engine) at the laboratory. "
        "Although ACE was a feasible design, it was delayed."
    )
    keys = {key for t, _, key in mentions(nlp, text) if t in {"ACE", "Automatic Computing Engine"}}
    assert keys == {"kb:automatic-computing-engine"}
    found = mentions(nlp, "The firm ZQE (Zebra Quantum Exchange) grew. Later ZQE closed.")
    assert len({key for t, _, key in found if t in {"ZQE", "Zebra Quantum Exchange"}}) == 1


def test_capitals_before_brackets_that_do_not_spell_them_stay_apart(nlp: Language) -> None:
    found = mentions(nlp, "The firm ZQX (Zebra Quantum Exchange) grew.")
    assert len({key for t, _, key in found if t in {"ZQX", "Zebra Quantum Exchange"}}) == 2


def test_a_place_that_says_where_a_listed_organisation_is_stays_a_place(nlp: Language) -> None:
    text = (
        "Rooms are named after him at Los Andes University in Bogotá, Colombia, King's College, "
        "Bangor University, the University of Mons, the University of Turin."
    )
    types = {t: label for t, label, _ in mentions(nlp, text)}
    assert types["Bogotá"] == types["Colombia"] == "Place"
    assert types["King's College"] == "Organization"


@pytest.mark.parametrize(
    "text",
    [
        "Such an approach has been offered by David D. Friedman in The Machinery of Freedom. Others disagree.",
        "The disagreement is about law. In The Market for Liberty, the Tannehills argue for private courts.",
    ],
)
def test_a_capital_the_inside_a_sentence_begins_a_title_shaped_work(nlp: Language, text: str) -> None:
    works = [t for t, label, _ in mentions(nlp, text) if label == "CreativeWork"]
    assert any(w in {"The Machinery of Freedom", "The Market for Liberty"} for w in works)


def test_a_capital_the_before_a_place_an_institution_or_two_titles_begins_no_work(nlp: Language) -> None:
    text = (
        "He moved to The Hague, taught at The University of Chicago and advised The Bank of England. "
        "He wrote The Age of Spiritual Machines and Fantastic Voyage."
    )
    works = [t for t, label, _ in mentions(nlp, text) if label == "CreativeWork"]
    assert not any(
        w.startswith(("The Hague", "The University", "The Bank")) or ("Voyage" in w and "Age" in w) for w in works
    )


def test_a_city_the_ner_calls_an_organisation_or_a_person_is_a_place(nlp: Language) -> None:
    text = "Deleuze taught at various lycées (Amiens, Orléans) until 1957. Düsseldorf was his next stop."
    found = mentions_with_ner(nlp, text, {"Amiens": "ORG", "Orléans": "ORG", "Düsseldorf": "PERSON"})
    assert {(t, label) for t, label, _ in found if t != "Deleuze"} == {
        ("Amiens", "Place"),
        ("Orléans", "Place"),
        ("Düsseldorf", "Place"),
    }


@pytest.mark.parametrize(
    ("text", "labels", "name", "kind"),
    [
        # The surname of people the text names in full, where no one of them is meant.
        (
            "Hamilton spoke first. Then Alexander Hamilton and Lewis Hamilton replied.",
            {"Hamilton": "ORG", "Alexander Hamilton": "PERSON", "Lewis Hamilton": "PERSON"},
            "Hamilton",
            "Organization",
        ),
        # A given name.
        ("Florence wrote to her sister about the war.", {"Florence": "PERSON"}, "Florence", "Person"),
        # A surname in a list of writers (Bear, Delaware is a city of the gazetteer).
        (
            "Bruce Sterling, William Gibson and Pat Cadigan wrote novels. "
            "The cyberpunks were Sterling, Gibson, Shiner, Cadigan, Bear.",
            {"William Gibson": "PERSON", "Gibson": "PERSON", "Shiner": "GPE", "Bear": "PERSON"},
            "Bear",
            "Person",
        ),
    ],
)
def test_a_city_s_name_that_is_also_a_person_s_keeps_the_ner_label(
    nlp: Language, text: str, labels: dict[str, str], name: str, kind: str
) -> None:
    assert (name, kind) in {(t, label) for t, label, _ in mentions_with_ner(nlp, text, labels)}


def test_the_beginning_of_a_known_title_before_its_and_is_the_same_work(nlp: Language) -> None:
    text = (
        "Babbage published On the Economy of Machinery and Manufactures (1832), on the organisation of "
        "industry. His Reflections appeared in French in 1830; On the Economy of Machinery was translated in 1833."
    )
    keys = {t: key for t, _, key in mentions(nlp, text)}
    assert keys["On the Economy of Machinery"] == keys["On the Economy of Machinery and Manufactures"]
    assert keys["On the Economy of Machinery"].startswith("kb:")


@pytest.mark.parametrize(
    "text",
    [
        'Paris Diderot University has a lecture room named "Amphithéâtre Turing".',
        'The University of Würzburg has a lecture hall named "Turing Hörsaal".',
    ],
)
def test_a_room_or_a_hall_named_in_quotes_is_a_place_not_a_work(nlp: Language, text: str) -> None:
    assert [label for t, label, _ in mentions(nlp, text) if "Turing" in t] == ["Place"]
