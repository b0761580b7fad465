"""Sentence-level rules that type a name from what the text says about it (kg/nlp/typecues.py)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.model import EntityType
from kg.nlp.mentions import SPANS_KEY
from kg.nlp.typecues import context_type, locative_type


def types(nlp: Language, text: str) -> dict[str, str]:
    doc = nlp(text)
    return {s.text: s.label_ for s in doc.spans[SPANS_KEY]}


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        (
            "Since 2006 he has advised Novamente, a commercial company which aims to build AGI.",
            "Novamente",
            "Organization",
        ),
        ("They built a robot named Kismet at the lab.", "Kismet", "Product"),
        ("He sailed on a ship called Tarvello across the ocean.", "Tarvello", "Product"),
        ("'Zarbolia' is the name of a Los Angeles based natural foods grocery store.", "Zarbolia", "Organization"),
        ("It is the crusade in the novel, Dune, by Frank Herbert.", "Dune", "CreativeWork"),
        ('In "Smile", the second episode of the season, they explore a ship.', "Smile", "CreativeWork"),
    ],
)
def test_a_class_noun_next_to_a_name_types_it(nlp: Language, text: str, name: str, expected: str) -> None:
    assert types(nlp, text).get(name) == expected


def test_a_subject_after_a_comma_is_not_apposed_to_the_noun_before_it(nlp: Language) -> None:
    found = types(nlp, "In a 2015 paper, William D. Nordhaus of Yale University takes an economic look at AI.")
    assert found.get("William D. Nordhaus") == "Person"


def test_the_subject_of_the_clause_after_a_comma_is_not_apposed_to_the_name_before_it(nlp: Language) -> None:
    text = "David Shotter noted that, despite events in Rome, Nero's step-brother Britannicus was more prominent."
    assert types(nlp, text).get("Rome") == "Place"


def test_a_chemical_formula_names_a_material_not_a_place_or_an_organisation(nlp: Language) -> None:
    text = (
        "We show that the large band offsets between GaN and InN and the heavy carrier effective masses "
        "preclude the use of the Virtual Crystal Approximation. The change in the refractive index due to "
        "n-type doping is much higher in InN compared to GaN. CNN reported on KBOs."
    )
    found = types(nlp, text)
    assert found.get("InN") == "Concept"
    assert found.get("CNN") != "Concept" and found.get("KBOs") != "Concept"


def test_a_glossary_line_defines_a_name_the_ner_missed(nlp: Language) -> None:
    text = "Characters\n\n-   Yram\u2014The daughter of the jailer who takes care of him.\n"
    assert types(nlp, text).get("Yram") == "Person"


def test_a_capitalised_lead_term_defined_by_its_class_is_an_entity(nlp: Language) -> None:
    assert types(nlp, "COSMISM is a moral philosophy that favours building artilects.").get("COSMISM") == "Concept"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("He worked as a sheep farmer on Mesopotamia Station for four years.", "Mesopotamia Station", "Place"),
        ("The design used Xilinx XC6264 chips from the start.", "Xilinx XC6264", "Product"),
        ("He worked on the Berkeley Software Distribution for years.", "Berkeley Software Distribution", "Product"),
        ("ARPA had asked BBN to add TCP/IP to Berkeley UNIX in 1980.", "Berkeley UNIX", "Product"),
    ],
)
def test_a_name_s_own_head_word_or_model_number_types_it(nlp: Language, text: str, name: str, expected: str) -> None:
    assert types(nlp, text).get(name) == expected


def test_what_someone_published_is_a_creative_work(nlp: Language) -> None:
    found = types(nlp, "The favourite was Lord Lytton, who had published The Coming Race two years previously.")
    assert found.get("The Coming Race") == "CreativeWork"
    assert found.get("Lord Lytton") == "Person"


def test_a_plural_name_that_acts_is_a_group_not_a_place(nlp: Language) -> None:
    text = (
        "That moment reminded me of a biography of Lenin in which the Bolsheviks and the Mensheviks "
        "first started debating the future government of Russia."
    )
    found = types(nlp, text)
    assert found.get("Bolsheviks") == "Organization" and found.get("Mensheviks") == "Organization"
    assert found.get("Russia") == "Place"


def test_followers_of_a_doctrine_stand_for_the_doctrine(nlp: Language) -> None:
    doc = nlp('The conflict is between "Cosmists", who support the artilects, and the rest. He felt like a Cosmist.')
    found = {s.text: (s.label_, s.kb_id_) for s in doc.spans[SPANS_KEY]}
    assert found["Cosmists"][0] == "Concept"
    assert found["Cosmists"][1] == found["Cosmist"][1]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "In addition, Deleuze found the work of non-academic writers such as Jean-Paul Sartre attractive.",
            "Jean-Paul Sartre",
        ),
        ("Additionally, there are many, according M.J. McNamee and S.D. Edwards, who argue this.", "M.J. McNamee"),
    ],
)
def test_a_given_name_or_initials_before_a_surname_is_a_person(nlp: Language, text: str, name: str) -> None:
    assert types(nlp, text).get(name) == "Person"


def test_a_given_name_the_text_also_uses_as_a_common_word_is_no_evidence(nlp: Language) -> None:
    found = types(nlp, "The staff of the Brain Builder Group grew. Its brain was a large chip.")
    assert found.get("Brain Builder Group") == "Organization"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("At dawn the weavers marched on Foster's Mill and broke the frames.", "Foster's Mill", "Place"),
        ("Troops were sent north after the Hartley Riots of 1826 had spread.", "Hartley Riots", "Concept"),
        (
            "The government hanged three leaders of the Brandon Rising in the following year.",
            "Brandon Rising",
            "Concept",
        ),
        ("The union met at the Ellesmere Music Festival in August.", "Ellesmere Music Festival", "Organization"),
    ],
)
def test_capitalised_words_before_a_head_noun_of_a_class_of_names_are_one_name(
    nlp: Language, text: str, name: str, expected: str
) -> None:
    assert types(nlp, text).get(name) == expected


def test_a_person_whose_surname_is_a_head_noun_stays_a_person(nlp: Language) -> None:
    assert (
        types(nlp, "John Stuart Mill says in his book that machines do not lighten labour.").get("John Stuart Mill")
        == "Person"
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bismarck's wife wrote to him daily.", "Bismarck"),
        ("Lincoln was born in Kentucky.", "Lincoln"),
        ("The edicts of Pope Gregory were read.", "Pope Gregory"),
        ("The blockade of Emperor Charlemagne hurt trade.", "Charlemagne"),
    ],
)
def test_a_relative_a_life_event_or_a_title_belongs_to_a_person(nlp: Language, text: str, name: str) -> None:
    assert types(nlp, text).get(name) == "Person"


def test_a_title_before_a_name_is_not_part_of_it(nlp: Language) -> None:
    doc = nlp("Bill Clinton spoke first. Later President Clinton signed the act.")
    keys = {s.text: s.kb_id_ for s in doc.spans[SPANS_KEY]}
    assert keys["Clinton"] == keys["Bill Clinton"]


def test_a_bare_name_after_a_preposition_of_place_is_a_place_when_nothing_says_more(nlp: Language) -> None:
    assert types(nlp, "Frames were broken near Kirkby Moorside.").get("Kirkby Moorside") == "Place"


def test_a_periodical_something_appeared_in_is_no_place(nlp: Language) -> None:
    found = types(nlp, "As quoted in New York Times Magazine of 1 August 1999, he spoke of artilects.")
    assert found.get("New York Times Magazine") != "Place"


def test_a_mention_typed_by_its_context_is_marked_as_such(nlp: Language) -> None:
    doc = nlp("Since 2006 he has advised Novamente, a commercial company which aims to build AGI.")
    (novamente,) = [s for s in doc.spans[SPANS_KEY] if s.text == "Novamente"]
    assert novamente.id_ == "cue"


def test_a_series_manga_or_game_noun_before_a_name_types_a_work(nlp: Language) -> None:
    found = types(nlp, "The genre began in 1982 with the debut of Katsuhiro Otomo's manga series Akira.")
    assert found.get("Akira") == "CreativeWork"


def test_a_name_listed_with_a_person_s_full_name_is_a_person(nlp: Language) -> None:
    text = (
        "The traditional image of thought, found in philosophers such as Aristotle, René Descartes, "
        "and Edmund Husserl, misconceives of thinking."
    )
    assert types(nlp, text).get("Aristotle") == "Person"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "By attributing it to the author of the Tractatus Theologico-Politicus, he made a point.",
            "Tractatus Theologico-Politicus",
        ),
        (
            "He left two chapters of an unfinished project entitled Ensembles and Multiplicities when he died.",
            "Ensembles and Multiplicities",
        ),
    ],
)
def test_what_someone_is_the_author_of_or_what_is_entitled_is_a_work(nlp: Language, text: str, name: str) -> None:
    assert types(nlp, text).get(name) == "CreativeWork"


def test_a_name_coordinated_with_one_the_text_types_elsewhere_shares_its_type(nlp: Language) -> None:
    found = types(nlp, "They read the novel, Dune, in school. Dune and Foundation shaped the genre.")
    assert found.get("Foundation") == "CreativeWork"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Researchers signed the 1964 Declaration of Quorbania on human subjects.", "Declaration of Quorbania"),
        ("The quest for immortality is as old as the Epic of Zentramesh.", "Epic of Zentramesh"),
        ("The Zentropist FAQ, prepared by the association, answers critics.", "Zentropist FAQ"),
        ("He shaped the idea of transhumanity in his book Man into Zentroman.", "Man into Zentroman"),
    ],
)
def test_a_declaration_an_epic_a_faq_or_a_book_title_is_a_work(nlp: Language, text: str, name: str) -> None:
    assert types(nlp, text).get(name) == "CreativeWork"


@pytest.mark.parametrize("name", ["Dadaism", "Neo-Spinozism"])
def test_the_name_of_a_doctrine_is_a_concept(nlp: Language, name: str) -> None:
    assert types(nlp, f"They discussed {name} and other ideas at length.").get(name) == "Concept"


def cue(nlp: Language, text: str, name: str) -> str | None:
    """The type the words around ``name`` give it (kg.nlp.typecues.context_type), NER aside."""
    doc = nlp(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name))
    assert span is not None
    found = context_type(span)
    return found.value if found is not None else None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Machines of Tomorrow, a history written in 1994 by Quill Marrant, noted his gift.", "Quill Marrant"),
        ("The book was made into a movie starring Pauley Vantrese in 2009.", "Pauley Vantrese"),
        ("See also Orsolin Vallequet, who built sewing machines in Lyon.", "Orsolin Vallequet"),
    ],
)
def test_who_makes_or_stars_in_a_work_or_whom_who_refers_to_is_a_person(nlp: Language, text: str, name: str) -> None:
    assert cue(nlp, text, name) == "Person"


def test_whose_is_no_apposition_so_the_noun_after_it_types_nothing(nlp: Language) -> None:
    assert cue(nlp, "See also Orsolin Vallequet, whose sewing machines were destroyed.", "Orsolin Vallequet") is None


def test_writers_in_a_place_who_did_something_leave_the_place_a_place(nlp: Language) -> None:
    text = "In 1994, a group of writers in Amsterdam, who had founded a journal, published an issue."
    assert cue(nlp, text, "Amsterdam") is None


def test_names_listed_as_examples_of_a_class_noun_are_of_its_class(nlp: Language) -> None:
    text = "He delivers keynote speeches at industry conferences like DEMO, SXSW, and TED."
    assert cue(nlp, text, "TED") == cue(nlp, text, "SXSW") == "Organization"


def test_examples_after_a_comma_and_such_as_are_of_the_class_noun_before_the_comma(nlp: Language) -> None:
    text = "Farming led from early villages to the first cities, such as Zarnuk, and then to empires."
    assert cue(nlp, text, "Zarnuk") == "Place"


def test_a_name_complementing_a_place_noun_after_the_is_that_place(nlp: Language) -> None:
    text = "The Minoans on the Greek island of Kestros built a paved road."
    assert cue(nlp, text, "Kestros") == "Place"
    assert cue(nlp, "He read a book of Kestros at night.", "Kestros") is None


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Innovation sped up after the fall of the Roman Empire in the west.", "Roman Empire", "Place"),
        ("The Internet ushered in the current Information Age for everyone.", "Information Age", "Concept"),
        ("He wrote The Age of Spiritual Machines in 1999.", "The Age of Spiritual Machines", "CreativeWork"),
        ("The Parliament of the United Kingdom passed the act.", "Parliament of the United Kingdom", "Organization"),
    ],
)
def test_an_empire_is_a_place_a_period_an_idea_and_what_a_place_ends_is_in_it(
    nlp: Language, text: str, name: str, expected: str | None
) -> None:
    assert cue(nlp, text, name) == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Canals diverted water from the Zarvan and Oltis rivers to the fields.", "Oltis", "Place"),
        ("Villages grew into the first civilizations, such as Karsum, and then empires.", "Karsum", "Place"),
        ("Tool use was once a defining characteristic of the genus Zorbex.", "Zorbex", "Concept"),
    ],
)
def test_a_place_noun_after_names_or_a_civilisation_or_genus_before_one_types_it(
    nlp: Language, text: str, name: str, expected: str
) -> None:
    assert cue(nlp, text, name) == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("He went to a school in Baker Street, Vorfield, Middlesex, under a vicar.", "Middlesex", "Place"),
        ("They married at a church in Teignmouth, Devon; her sister followed.", "Devon", "Place"),
        ("He met them in Paris, Smith, Jones and Brown.", "Smith", None),
        # The NER's "Shiner" (GPE) is a surname in a list of writers, and "Bear" is no town of it.
        ("They were called the cyberpunks: Sterling, Gibson, Shiner, Cadigan, Bear.", "Bear", None),
    ],
)
def test_one_word_ending_an_address_after_a_place_is_a_place(
    nlp: Language, text: str, name: str, expected: str | None
) -> None:
    assert cue(nlp, text, name) == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        (
            "According to the Oxford Dictionary of National Biography, he was born there.",
            "Oxford Dictionary of National Biography",
            "CreativeWork",
        ),
        ("He was buried in Kensal Green Cemetery in London.", "Kensal Green Cemetery", "Place"),
        ("They moved to 5 Devonshire Street, London in 1815.", "Devonshire Street", "Place"),
    ],
)
def test_dictionaries_are_works_and_cemeteries_and_streets_places(
    nlp: Language, text: str, name: str, expected: str
) -> None:
    assert cue(nlp, text, name) == expected


def test_a_capitalised_director_of_something_is_an_office_not_a_maker_of_a_work(nlp: Language) -> None:
    assert cue(nlp, "The order goes through the Director of Zentrix to the board.", "Zentrix") is None
    assert cue(nlp, "She met the director of Zentrix at the festival.", "Zentrix") == "CreativeWork"


def test_a_name_known_as_takes_the_class_of_the_noun_before(nlp: Language) -> None:
    assert cue(nlp, "The system became a subsidiary of Xerox later known as Scansoft.", "Scansoft") == "Organization"


@pytest.mark.parametrize(
    ("text", "name", "guess"),
    [
        ("The strike began in Kelmarsh, Scotland on 11 March 1811 and spread.", "Kelmarsh", EntityType.PERSON),
        ("It followed the attack on the mill at Hollinsfold near Manchester.", "Hollinsfold", EntityType.ORGANIZATION),
    ],
)
def test_a_name_placed_by_a_place_after_it_is_a_place(nlp: Language, text: str, name: str, guess: EntityType) -> None:
    doc = nlp(text)
    span = doc.char_span(text.index(name), text.index(name) + len(name))
    assert span is not None
    assert locative_type(span, guess) is EntityType.PLACE


def test_any_preposition_before_a_name_placed_by_a_place_after_it_is_one_of_place(nlp: Language) -> None:
    text = "Timber roads led through the swamps of Vallowbury, England, at the same time."
    doc = nlp(text)
    span = doc.char_span(text.index("Vallowbury"), text.index("Vallowbury") + len("Vallowbury"))
    assert span is not None
    assert locative_type(span, EntityType.ORGANIZATION) is EntityType.PLACE


def test_at_a_name_not_placed_is_no_place(nlp: Language) -> None:
    doc = nlp("She worked at Hollinsfold for ten years.")
    assert locative_type(doc[3:4], EntityType.ORGANIZATION) is None


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Political scientist Klaus-Gerd Giesen has asserted that it is bad.", "Klaus-Gerd Giesen", "Person"),
        ("The French philosopher Léon Brunschvicg taught there.", "Léon Brunschvicg", "Person"),
        ("He worked with the robotics company Boston Dynamics.", "Boston Dynamics", "Organization"),
        ("It appears in the film Gattaca and in the novel Frankenstein.", "Gattaca", "CreativeWork"),
        ("He lived in the city Vincennes.", "Vincennes", "Place"),
        ("The book Nick Land wrote is strange.", "Nick Land", "Person"),  # the name starts a clause
        ("The 1997 film Gattaca depicts a dystopian society.", "Gattaca", "CreativeWork"),  # misparsed as a clause
    ],
)
def test_a_class_noun_right_before_a_name_types_it(nlp: Language, text: str, name: str, expected: str) -> None:
    assert types(nlp, text)[name] == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        (
            "Natasha Vita-More presented Breaking Away, her 1980 experimental film with the theme.",
            "Breaking Away",
            "CreativeWork",
        ),
        (
            "It may come to resemble the dystopia of the 1932 novel ''Brave New World'' by Aldous Huxley.",
            "Brave New World",
            "CreativeWork",
        ),
    ],
)
def test_a_class_noun_apposed_with_a_possessive_or_across_doubled_quotes_types_the_name(
    nlp: Language, text: str, name: str, expected: str
) -> None:
    assert types(nlp, text).get(name) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("He taught at the Lycée Carnot in Paris until 1957.", "Lycée Carnot"),
        ("The vaccine was developed at the Institut Pasteur in 1885.", "Institut Pasteur"),
    ],
)
def test_a_name_led_by_a_foreign_institution_word_is_an_organisation(nlp: Language, text: str, name: str) -> None:
    assert types(nlp, text).get(name) == "Organization"


def test_a_name_beside_the_speaker_is_a_person(nlp: Language) -> None:
    assert types(nlp, "In May, Kamala and I convened the CEOs of American companies.")["Kamala"] == "Person"


def test_bare_surnames_listed_with_a_person_are_persons(nlp: Language) -> None:
    found = types(nlp, "I'm not saying that Resnais and Prigogine, or Godard and Thom, are doing the same thing.")
    assert found["Resnais"] == found["Prigogine"] == found["Thom"] == "Person"


def test_a_head_word_inside_a_dated_title_does_not_retype_the_work(nlp: Language) -> None:
    text = "The novels The Boys From Brazil (1976) and The Island of Doctor Moreau (1896) depict such scenarios."
    assert types(nlp, text)["The Island of Doctor Moreau"] == "CreativeWork"


def test_a_name_modifying_a_noun_of_software_is_a_product(nlp: Language) -> None:
    found = types(nlp, "At Sun, he led the development of the SPARC microprocessors and the Java programming language.")
    assert found["SPARC"] == found["Java"] == "Product"


def test_a_lower_case_idea_modifying_a_noun_of_software_stays_an_idea(nlp: Language) -> None:
    text = "The software tricks include HFReduce (software for communicating), HaiScale (parallelism software)."
    assert types(nlp, text)["parallelism"] == "Concept"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "The subgenre began in 1982 with the debut of Daisuke Oyabe's manga series Zorba, with its anime film.",
            "Daisuke Oyabe",
        ),
        (
            'Building on Ithrel de Vola Pruitt\'s "Networks of Liberty" (1983), he argued for open media.',
            "Ithrel de Vola Pruitt",
        ),
    ],
)
def test_whose_work_it_is_is_a_person_with_an_unlisted_given_name(nlp: Language, text: str, name: str) -> None:
    assert types(nlp, text).get(name) == "Person"
