from __future__ import annotations

from kg.kb import load_kb
from kg.model import DocAnalysis, EntityType, Mention, SourceDoc, Span
from kg.nlp.mentions import surface_key
from kg.resolve import resolve


def analysis(doc_id: str, author: str | None, *mentions: tuple[str, str, EntityType, str]) -> DocAnalysis:
    doc = SourceDoc(doc_id, f"{doc_id}.txt", "x" * 200, "0" * 64, doc_id, author=author)
    ms = tuple(Mention(Span(i * 10, i * 10 + len(t)), t, key, ty, src) for i, (t, key, ty, src) in enumerate(mentions))
    return DocAnalysis(doc, ms, (), ())


def test_case_and_possessive_variants_merge_across_documents() -> None:
    r = resolve(
        [
            analysis("a", None, ("Acme Labs", "nf:acme labs", EntityType.ORGANIZATION, "ner")),
            analysis("b", None, ("ACME LABS's", "nf:acme labs", EntityType.ORGANIZATION, "ner")),
        ],
        load_kb(),
    )
    (acme,) = [e for e in r.entities if e.label == "Acme Labs"]
    assert acme.mention_count == 2 and acme.alt_labels == ("ACME LABS",)


def test_a_bare_surname_in_another_document_does_not_join_the_full_name() -> None:
    r = resolve(
        [
            analysis("a", None, ("Jane Smithers", "nf:jane smithers", EntityType.PERSON, "ner")),
            analysis("b", None, ("Smithers", "nf:smithers", EntityType.PERSON, "ner")),
        ],
        load_kb(),
    )
    assert {e.label for e in r.entities if e.type is EntityType.PERSON} >= {"Jane Smithers", "Smithers"}


def test_document_author_becomes_an_entity_and_kb_authors_link_to_their_entry() -> None:
    r = resolve([analysis("a", "Jack Clark"), analysis("b", "Wikipedia contributors")], load_kb())
    assert r.authors["a"] == "jack-clark"
    wiki = next(e for e in r.entities if e.id == r.authors["b"])
    assert wiki.type is EntityType.ORGANIZATION and wiki.mention_count == 0


def test_short_forms_do_not_become_the_label() -> None:
    r = resolve(
        [
            analysis(
                "a",
                None,
                ("Nous", "nf:nous research", EntityType.ORGANIZATION, "shortform"),
                ("Nous", "nf:nous research", EntityType.ORGANIZATION, "shortform"),
                ("Nous Research", "nf:nous research", EntityType.ORGANIZATION, "ner"),
            )
        ],
        load_kb(include_default=False),
    )
    assert [e.label for e in r.entities] == ["Nous Research"]


def test_a_type_the_text_states_outweighs_the_ner_guesses_of_other_documents() -> None:
    r = resolve(
        [
            analysis(
                "a",
                None,
                ("Zorvath", "nf:zorvath", EntityType.PERSON, "ner"),
                ("Zorvath", "nf:zorvath", EntityType.PERSON, "ner"),
            ),
            analysis("b", None, ("Zorvath", "nf:zorvath", EntityType.CREATIVE_WORK, "cue")),
        ],
        load_kb(),
    )
    (zorvath,) = [e for e in r.entities if e.label == "Zorvath"]
    assert zorvath.type is EntityType.CREATIVE_WORK


def test_accent_variants_of_a_name_merge() -> None:
    r = resolve(
        [
            analysis("a", None, ("Philip José Farmer", surface_key("Philip José Farmer"), EntityType.PERSON, "ner")),
            analysis("b", None, ("Philip Jose Farmer", surface_key("Philip Jose Farmer"), EntityType.PERSON, "ner")),
        ],
        load_kb(),
    )
    assert len([e for e in r.entities if "Farmer" in e.label]) == 1


def test_a_name_seen_only_in_the_plural_is_labelled_by_its_singular_key() -> None:
    r = resolve(
        [analysis("a", None, ("zentrologies", "nf:zentrology", EntityType.CONCEPT, "ner"))],
        load_kb(include_default=False),
    )
    assert [(e.label, e.alt_labels) for e in r.entities] == [("zentrology", ("zentrologies",))]


def test_a_line_break_inside_a_name_is_a_space_in_its_labels() -> None:
    r = resolve(
        [
            analysis("a", None, ("Charles\r VI", "nf:charles vi", EntityType.PERSON, "ner")),
            analysis("b", None, ("Charles\nVI", "nf:charles vi", EntityType.PERSON, "ner")),
        ],
        load_kb(),
    )
    (charles,) = [e for e in r.entities if e.type is EntityType.PERSON]
    assert charles.label == "Charles VI" and charles.alt_labels == ()


def test_a_phrase_spelt_like_a_case_sensitive_entry_stays_apart_from_it() -> None:
    r = resolve([analysis("a", None, ("enlightenment", "nf:enlightenment", EntityType.CONCEPT, "concept"))], load_kb())
    assert r.key_to_entity["nf:enlightenment"] != "enlightenment"


def test_spellings_with_and_without_hyphens_inside_words_merge() -> None:
    r = resolve(
        [
            analysis("a", None, ("post-postmodernism", "nf:post-postmodernism", EntityType.CONCEPT, "cue")),
            analysis("b", None, ("postpostmodernism", "nf:postpostmodernism", EntityType.CONCEPT, "ner")),
            analysis("c", None, ("Post-Modernism", "nf:post-modernism", EntityType.CONCEPT, "cue")),
            analysis(
                "d",
                None,
                ("Zorb-9", "nf:zorb-9", EntityType.PRODUCT, "ner"),
                ("Zorb9", "nf:zorb9", EntityType.PRODUCT, "ner"),
            ),
        ],
        load_kb(),
    )
    by_count = {e.label: e.mention_count for e in r.entities if e.mention_count}
    assert by_count["post-postmodernism"] == 2
    assert r.key_to_entity["nf:post-modernism"] == "postmodernism"  # the knowledge base's entry
    assert by_count["Zorb-9"] == by_count["Zorb9"] == 1  # a hyphen before a digit is no word's inside


def test_british_and_american_spellings_merge_and_the_label_is_spelt_as_the_text_spells_it() -> None:
    r = resolve(
        [
            analysis(
                "a",
                None,
                ("labour-power", "nf:labour-power", EntityType.CONCEPT, "concept"),
                ("civilisation", "nf:civilisation", EntityType.CONCEPT, "concept"),
                ("civilisation", "nf:civilisation", EntityType.CONCEPT, "concept"),
                ("labourers", "nf:labourer", EntityType.CONCEPT, "concept"),
            ),
            analysis(
                "b",
                None,
                ("labor-power", "nf:labor-power", EntityType.CONCEPT, "concept"),
                ("civilization", "nf:civilization", EntityType.CONCEPT, "concept"),
            ),
        ],
        load_kb(include_default=False),
    )
    by_count = {e.label: e.mention_count for e in r.entities}
    assert by_count == {"labour-power": 2, "civilisation": 3, "labourer": 1}


def test_a_name_with_a_hyphen_or_a_space_between_two_words_is_one_name() -> None:
    r = resolve(
        [
            analysis("a", None, ("Pierre-Joseph Proudhon", "nf:pierre-joseph proudhon", EntityType.PERSON, "ner")),
            analysis("b", None, ("Pierre Joseph Proudhon", "nf:pierre joseph proudhon", EntityType.PERSON, "ner")),
            analysis("c", None, ("theories of value", "nf:theory of value", EntityType.CONCEPT, "concept")),
        ],
        load_kb(include_default=False),
    )
    (person,) = [e for e in r.entities if e.type is EntityType.PERSON]
    assert person.mention_count == 2 and {person.label, *person.alt_labels} >= {
        "Pierre-Joseph Proudhon",
        "Pierre Joseph Proudhon",
    }
    assert [e.label for e in r.entities if e.type is EntityType.CONCEPT] == ["theory of value"]


def test_a_concepts_label_keeps_the_hyphens_its_key_leaves_out_and_its_acronyms() -> None:
    forms = ("inter-GPU communication requirements", "inter-GPU communication requirement")
    r = resolve(
        [analysis("a", None, (forms[0], "nf:inter-gpu communication requirement", EntityType.CONCEPT, "concept"))],
        load_kb(),
    )
    (concept,) = [e for e in r.entities if e.type is EntityType.CONCEPT]
    assert concept.label == "inter-GPU communication requirement"


def test_a_concept_written_in_lower_case_somewhere_is_labelled_in_lower_case() -> None:
    r = resolve(
        [
            analysis(
                "a",
                None,
                ("Critical posthumanism", "nf:critical posthumanism", EntityType.CONCEPT, "ner"),
                ("CRITICAL POSTHUMANISM", "nf:critical posthumanism", EntityType.CONCEPT, "ner"),
                ("Critical posthumanism", "nf:critical posthumanism", EntityType.CONCEPT, "ner"),
                ("critical posthumanism", "nf:critical posthumanism", EntityType.CONCEPT, "concept"),
                # A capital inside is a name's: "the Dark Enlightenment" keeps its own.
                ("Dark Enlightenment", "nf:dark enlightenment", EntityType.CONCEPT, "ner"),
                ("dark enlightenment", "nf:dark enlightenment", EntityType.CONCEPT, "concept"),
                # Not a concept: an organisation keeps the capitals the text gives it most.
                ("Sun Microsystems", "nf:sun microsystems", EntityType.ORGANIZATION, "ner"),
                ("Sun Microsystems", "nf:sun microsystems", EntityType.ORGANIZATION, "ner"),
                ("sun microsystems", "nf:sun microsystems", EntityType.ORGANIZATION, "ner"),
            )
        ],
        load_kb(include_default=False),
    )
    assert sorted(e.label for e in r.entities) == ["Dark Enlightenment", "Sun Microsystems", "critical posthumanism"]
