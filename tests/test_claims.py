"""Sentence-level table for the ``acckg_claims`` component: who holds which proposition."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.model import RawClaim


def claims(nlp: Language, text: str) -> list[tuple[str | None, RawClaim]]:
    doc = nlp(text)
    return [(doc.text[c.claimant.start : c.claimant.end] if c.claimant else None, c) for c in doc._.acckg_claims]


CASES = [
    # sentence, claimant, subject, predicate, object, polarity, modality
    (
        "Nick Land thinks humans have a dim future.",
        "Nick Land",
        "humans",
        "have",
        "a dim future",
        "positive",
        "asserted",
    ),
    (
        '"GameNGen is the first game engine powered by a neural model," Google writes in a paper.',
        "Google",
        "GameNGen",
        "is",
        "the first game engine powered by a neural model",
        "positive",
        "asserted",
    ),
    (
        "For Quentin Marlowe, philosophy is the creation of concepts.",
        "Quentin Marlowe",
        "philosophy",
        "is",
        "the creation of concepts",
        "positive",
        "asserted",
    ),
    (
        "According to Land, the true protagonist of history is not humanity but the capitalist system.",
        "Land",
        "the true protagonist of history",
        "is not",
        "humanity but the capitalist system",
        "negative",
        "asserted",
    ),
    (
        "Andrew Critch argues that AI systems may think a lot faster than us.",
        "Andrew Critch",
        "AI systems",
        "may think",
        "a lot faster than us",
        "positive",
        "hedged",
    ),
    (
        "I predict that Chinese companies will build efficient systems.",
        None,
        "Chinese companies",
        "will build",
        "efficient systems",
        "positive",
        "predicted",
    ),
    (
        "DisTrO may open up opportunities for widespread participation.",
        None,
        "DisTrO",
        "may open up",
        "opportunities for widespread participation",
        "positive",
        "hedged",
    ),
    (
        "He has been noted for his belief that a major war is almost inevitable.",
        "his",
        "a major war",
        "is",
        "almost inevitable",
        "positive",
        "asserted",
    ),
    (
        "Kevin Warwick called it a hellish nightmare.",
        "Kevin Warwick",
        "Kevin Warwick",
        "called",
        "it a hellish nightmare",
        "positive",
        "asserted",
    ),
    (
        "He moved to Starlab in Brussels (over a third of the budget, according to de Garis).",
        None,
        "He",
        "moved",
        "to Starlab in Brussels over a third of the budget according to de Garis",
        "positive",
        "asserted",
    ),
    # Encyclopedic text about a person (title line): predictions in a section where the
    # person is reported are the person's; a first-person writer keeps them.
    (
        "Hugo de Garis\n\nThe Artilect War\n\nDe Garis believes that a war is inevitable. "
        "Terrans will see themselves as living during the closing of a window of opportunity.",
        "Hugo de Garis",
        "Terrans",
        "will see",
        "themselves as living during the closing of a window of opportunity",
        "positive",
        "predicted",
    ),
    (
        "Hugo de Garis\n\nI read his book. De Garis believes that a war is inevitable. "
        "Terrans will see themselves as living during the closing of a window of opportunity.",
        None,
        "Terrans",
        "will see",
        "themselves as living during the closing of a window of opportunity",
        "positive",
        "predicted",
    ),
    (
        "Hugo de Garis\n\nThe Artilect War\n\nDe Garis believes that a war is inevitable. "
        "The book was published in 2005.",
        None,
        "The book",
        "was published",
        "in 2005",
        "positive",
        "asserted",
    ),
    (
        'Hugo de Garis\n\nQuotes\n\n-   "Humans should not stand in the way of evolution. These machines are godlike."',
        "Hugo de Garis",
        "These machines",
        "are",
        "godlike",
        "positive",
        "asserted",
    ),
    (
        "To Nick Land, capitalism is the true protagonist of history.",
        "Nick Land",
        "capitalism",
        "is",
        "the true protagonist of history",
        "positive",
        "asserted",
    ),
    (
        "According to a manifesto drawn up by Google, AI is a very helpful tool.",
        "Google",
        "AI",
        "is",
        "a very helpful tool",
        "positive",
        "asserted",
    ),
    (
        "According to Erewhonian law, offenders are treated as if they were ill.",
        None,
        "offenders",
        "are treated",
        "as if they were ill",
        "positive",
        "asserted",
    ),
    (
        "George Orwell praised the book and said machinery could be dangerous.",
        "George Orwell",
        "machinery",
        "could be",
        "dangerous",
        "positive",
        "hedged",
    ),
    (
        "George Orwell praised the book and said machinery could be dangerous.",
        None,
        "George Orwell",
        "praised",
        "the book",
        "positive",
        "asserted",
    ),
    (
        'In 2000, Hugo de Garis noted, "I asked Kevin Warwick whether he was a Terran. '
        'He said he was against the idea of artilects. I was surprised by his answer."',
        "Hugo de Garis",
        "I",
        "was",
        "surprised by his answer",
        "positive",
        "asserted",
    ),
    (
        'In 2000, Hugo de Garis noted, "I asked Kevin Warwick whether he was a Terran. '
        'He said he was against the idea of artilects. I was surprised by his answer."',
        "He",
        "he",
        "was",
        "against the idea of artilects",
        "positive",
        "asserted",
    ),
    (
        "Another feature of Erewhon is the absence of machines; this is due to a widely shared fear.",
        None,
        "Another feature of Erewhon",
        "is",
        "the absence of machines",
        "positive",
        "asserted",
    ),
    (
        "Offenders are treated as if they were ill, whereas ill people are looked upon as criminals.",
        None,
        "ill people",
        "are looked",
        "upon as criminals",
        "positive",
        "asserted",
    ),
    (
        "He states that he believes that most people would feel torn, but that the issue will be forced soon.",
        "he",
        "the issue",
        "will be forced",
        "soon",
        "positive",
        "predicted",
    ),
    (
        "He feels that he cannot ignore the fact that the human species is not the last link in the chain.",
        "He",
        "the human species",
        "is not",
        "the last link in the chain",
        "negative",
        "asserted",
    ),
    (
        "Nick Land argues that capitalism is an intelligence, and he suggests that humans are its tools.",
        "Nick Land",
        "capitalism",
        "is",
        "an intelligence",
        "positive",
        "asserted",
    ),
    (
        "Nick Land argues that capitalism is an intelligence, and he suggests that humans are its tools.",
        "he",
        "humans",
        "are",
        "its tools",
        "positive",
        "asserted",
    ),
    # The speaker is the subject of the reporting verb, never a name inside its complement.
    (
        "Higgs finds her unpleasant, but her father hopes Higgs will marry her.",
        None,
        "her father",
        "hopes",
        "Higgs will marry her",
        "positive",
        "predicted",
    ),
    # "find" with a verbless small clause judges, it does not report: the sentence is the writer's.
    (
        "Higgs finds her unpleasant, but her father hopes Higgs will marry her.",
        None,
        "Higgs",
        "finds",
        "her unpleasant",
        "positive",
        "asserted",
    ),
    (
        "As such, Google will find itself unable to ignore the possibility that machines might destroy us.",
        None,
        "Google",
        "will find",
        "itself unable to ignore the possibility that machines might destroy us",
        "positive",
        "hedged",
    ),
    # After a stance verb a small clause is still the subject's view.
    (
        "Kurzweil responded that he considers Google a giant supercomputer, and that it is capable of 20 petaflops.",
        "he",
        "he",
        "considers",
        "Google a giant supercomputer",
        "positive",
        "asserted",
    ),
    # A verb takes one complement clause: a second one is a separate sentence the parser ran on.
    (
        "Terrans will find themselves unable to ignore the danger—these machines may have no difficulty in killing us.",
        None,
        "these machines",
        "may have",
        "no difficulty in killing us",
        "positive",
        "hedged",
    ),
    (
        "Terrans will find themselves unable to ignore the danger—these machines may have no difficulty in killing us.",
        None,
        "Terrans",
        "will find",
        "themselves unable to ignore the danger",
        "positive",
        "predicted",
    ),
    # A second "that" clause is a second report, not part of the "because" clause before it.
    (
        "Google argued that the models had failed because they were too small, and that it was necessary to assemble "
        "many modules together; this idea was rejected by Igor Aleksander, who said that the models are large enough.",
        "Google",
        "it",
        "was",
        "necessary to assemble many modules together",
        "positive",
        "asserted",
    ),
    # A report's scope ends at a semicolon: the clause after it is the writer's again.
    (
        "Google argued that the models had failed because they were too small, and that it was necessary to assemble "
        "many modules together; this idea was rejected by Igor Aleksander, who said that the models are large enough.",
        None,
        "this idea",
        "was rejected",
        "by Igor Aleksander",
        "positive",
        "asserted",
    ),
    (
        "Google argued that the models had failed because they were too small, and that it was necessary to assemble "
        "many modules together; this idea was rejected by Igor Aleksander, who said that the models are large enough.",
        "Google",
        "the models",
        "had failed",
        "because they were too small",
        "positive",
        "asserted",
    ),
    (
        "Google argued that the models had failed because they were too small, and that it was necessary to assemble "
        "many modules together; this idea was rejected by Igor Aleksander, who said that the models are large enough.",
        "Igor Aleksander",
        "the models",
        "are",
        "large enough",
        "positive",
        "asserted",
    ),
    # Only a second complement after the verb is a separate clause: a preposed one is the content.
    (
        "In the future, we're going to bottle up many parts of the world into representations learned by a neural "
        "net, then allow these things to come alive inside neural nets for endless generation and recycling.",
        None,
        "we",
        "'re going",
        "to bottle up many parts of the world into representations learned by a neural net",
        "positive",
        "predicted",
    ),
    # A semicolon inside a quotation does not end the report that introduces it.
    (
        "Lord Byron denounced what he considered to be the plight of the working class in the House of Lords: "
        '"I have been in some of the most oppressed provinces of Turkey; but never, under the most despotic of '
        'infidel governments, did I behold such squalid wretchedness as I have seen since my return".',
        "he",
        "I",
        "never did behold",
        "such squalid wretchedness as I have seen since my return",
        "negative",
        "asserted",
    ),
    # A report in a non-restrictive relative clause is its antecedent's; the main clause stays the writer's.
    (
        "This idea was rejected by Igor Aleksander, who said that our neural models are not large enough.",
        "Igor Aleksander",
        "our neural models",
        "are not",
        "large enough",
        "negative",
        "asserted",
    ),
    (
        "This idea was rejected by Igor Aleksander, who said that our neural models are not large enough.",
        None,
        "This idea",
        "was rejected",
        "by Igor Aleksander",
        "positive",
        "asserted",
    ),
    (
        "This scenario has been criticised by other researchers, including Chris Malcolm, who described it as fiction.",
        "Chris Malcolm",
        "Chris Malcolm",
        "described",
        "it as fiction",
        "positive",
        "asserted",
    ),
    (
        "This scenario has been criticised by other researchers, including Chris Malcolm, who described it as fiction.",
        None,
        "This scenario",
        "has been criticised",
        "by other researchers, including Chris Malcolm",
        "positive",
        "asserted",
    ),
    (
        "The whole system was trained on 128 TPUs.",
        None,
        "The whole system",
        "was trained",
        "on 128 TPUs",
        "positive",
        "asserted",
    ),
]


@pytest.mark.parametrize(("sentence", "claimant", "subject", "predicate", "obj", "polarity", "modality"), CASES)
def test_sentence_gives_claim_with_claimant_and_structure(
    nlp: Language,
    sentence: str,
    claimant: str | None,
    subject: str,
    predicate: str,
    obj: str,
    polarity: str,
    modality: str,
) -> None:
    found = claims(nlp, sentence)
    match = [(who, c) for who, c in found if c.subject == subject and c.predicate == predicate]
    assert match, [(w, c.subject, c.predicate, c.object) for w, c in found]
    who, claim = match[0]
    assert who == claimant
    assert claim.object == obj
    assert claim.polarity.value == polarity
    assert claim.modality.value == modality


def test_coordinated_verbs_give_one_proposition_each(nlp: Language) -> None:
    found = claims(nlp, "Critics say e/accs think humans have a bright future and are principal agents in it.")
    texts = {c.text for _, c in found}
    assert "humans have a bright future" in texts
    assert "humans are principal agents in it" in texts


def test_a_clause_coordinated_with_the_report_is_reported_too(nlp: Language) -> None:
    found = claims(
        nlp, "He suggests AIs may simply eliminate the human race, and humans would be powerless to stop them."
    )
    held = {c.subject: who for who, c in found}
    assert held == {"AIs": "He", "humans": "He"}


def test_identity_of_two_things_is_an_identity_claim_by_the_possessor(nlp: Language) -> None:
    found = claims(
        nlp,
        "The most essential point of Land's philosophy is the identity of capitalism and artificial intelligence.",
    )
    identity = [(who, c) for who, c in found if c.identity]
    assert identity
    who, claim = identity[0]
    assert who == "Land"
    assert (claim.subject, claim.predicate, claim.object) == (
        "capitalism",
        "is identical to",
        "artificial intelligence",
    )


def test_x_and_y_are_one_and_the_same_is_an_identity_claim(nlp: Language) -> None:
    found = claims(nlp, "Capitalism and artificial intelligence are one and the same thing.")
    assert any(c.identity and c.subject == "Capitalism" for _, c in found)


def test_quoted_sentences_take_the_speaker_named_at_the_end_of_the_quote(nlp: Language) -> None:
    text = '"Humans are slow thinkers. Cognition at such a low rate is sufficient for survival," they write.'
    found = claims(nlp, text)
    assert {who for who, _ in found} == {"they"}
    assert len(found) >= 2


def test_questions_and_fragments_are_not_claims(nlp: Language) -> None:
    assert claims(nlp, "Why are humans so damn slow?") == []
    assert claims(nlp, "Read more: Diffusion Models Are Real-Time Game Engines (arXiv).") == []


def test_a_participle_after_a_comma_with_nothing_on_its_left_is_no_report(nlp: Language) -> None:
    # The parser makes "estimated" a clausal complement whose only child is on its right; it once
    # crashed the check for a reporting verb placed after a comma.
    text = (
        "Measurements of Milky Way galactic deuterium show a ratio of as much as 23 atoms per million in gas "
        "clouds, which is only 15% below the WMAP estimated primordial ratio of about 27 atoms per million."
    )
    assert all(speaker is None for speaker, _ in claims(nlp, text))


def test_a_class_noun_exemplified_by_one_name_speaks_through_that_name(nlp: Language) -> None:
    found = claims(
        nlp, "Leading AI researchers such as Stuart Russell argue that control of superintelligence is hard."
    )
    assert {who for who, c in found if c.subject == "control of superintelligence"} == {"Stuart Russell"}


def test_several_names_after_such_as_are_a_group_no_single_claimant_holds(nlp: Language) -> None:
    found = claims(nlp, "Some economists such as Tyler Cowen and Robin Hanson argue that growth will explode.")
    assert found
    assert {who for who, _ in found} == {None}


def test_a_name_that_only_modifies_the_speaker_noun_is_no_speaker(nlp: Language) -> None:
    found = claims(nlp, "Prominent AI thinkers argue that progress in machine learning will slow down.")
    assert found
    assert {who for who, _ in found} == {None}


def test_a_work_speaks_with_the_voice_of_the_author_it_names(nlp: Language) -> None:
    found = claims(nlp, "The Coming Wave, a book by Mustafa Suleyman, argues that containment of AI is impossible.")
    assert {who for who, c in found if c.subject == "containment of AI"} == {"Mustafa Suleyman"}


def test_a_verdict_with_its_grounds_is_the_judges_stance(nlp: Language) -> None:
    found = claims(nlp, "Gary Marcus criticizes OpenAI for its secrecy about training data.")
    assert [(who, c.predicate, c.object) for who, c in found] == [
        ("Gary Marcus", "criticizes", "OpenAI for its secrecy about training data")
    ]


def test_a_verdict_coordinated_with_a_report_is_the_judges_stance_too(nlp: Language) -> None:
    text = "Yann LeCun agrees with Hinton's estimate of the risks, but thinks that open models will keep us safe."
    held = {c.predicate: who for who, c in claims(nlp, text)}
    assert held == {"agrees": "Yann LeCun", "will keep": "Yann LeCun"}


def test_a_judging_verb_without_grounds_beside_a_report_stays_the_writers(nlp: Language) -> None:
    held = {
        c.predicate: who
        for who, c in claims(nlp, "George Orwell praised the book and said that machines could be dangerous.")
    }
    assert held == {"praised": None, "could be": "George Orwell"}


def test_a_verdict_coordinated_with_a_plain_act_leaves_the_act_to_the_writer(nlp: Language) -> None:
    held = {
        c.predicate: who
        for who, c in claims(nlp, "Stuart Russell wrote a textbook and has called the arms race reckless.")
    }
    assert held == {"wrote": None, "has called": "Stuart Russell"}


def test_suppose_reports_the_clause_it_introduces(nlp: Language) -> None:
    found = claims(nlp, "Robin Hanson supposes that the singularity could arise from demand.")
    assert [(who, c.subject) for who, c in found] == [("Robin Hanson", "the singularity")]


def test_a_quotation_after_a_colon_belongs_to_the_report_the_colon_closes(nlp: Language) -> None:
    text = 'The historian Jane Doe has said of the two books: "It is a mixture of rubbish and good ideas."'
    held = {c.subject: who for who, c in claims(nlp, text)}
    assert held["It"] == "Jane Doe"


def test_a_quotation_opening_a_sentence_continues_the_attributed_sentence_before_it(nlp: Language) -> None:
    text = (
        "In a 2012 column, Jane Doe criticizes Ann Lee for several forecasts that failed. "
        '"Most of her forecasts come with so many loopholes that they cannot be falsified." '
        "A new law was passed in 2013."
    )
    held = {c.subject: who for who, c in claims(nlp, text)}
    assert held["Most of her forecasts"] == "Jane Doe"
    assert held["A new law"] is None


def test_a_quotation_in_the_next_paragraph_does_not_continue_the_last_speaker(nlp: Language) -> None:
    text = (
        'Ann Lee has called the plan "a fantasy for rich people. This idea is driven by a religious impulse."\n\n'
        'Some critics went further. "It is an intimate mixture of rubbish and good ideas," the review said.\n\n'
        '"Nobody could have planned the collapse of the company in such a short time."'
    )
    held = {c.subject: who for who, c in claims(nlp, text)}
    assert held["This idea"] == "Ann Lee"
    assert held["Nobody"] is None


def test_a_participle_report_is_the_subjects_and_the_act_it_hangs_on_the_writers(nlp: Language) -> None:
    text = "Jane Doe testified before the Senate on chip exports, arguing that controls would slow progress."
    held = {c.predicate: who for who, c in claims(nlp, text)}
    assert held == {"would slow": "Jane Doe", "testified": None}


def test_an_act_coordinated_with_a_verdict_is_the_writers_report(nlp: Language) -> None:
    text = "Ann Lee has described the plan as a fantasy and has outlined her views in an essay for a magazine."
    held = {c.predicate: who for who, c in claims(nlp, text)}
    assert held == {"has described": "Ann Lee", "has outlined": None}


def test_stressing_something_states_the_subjects_view(nlp: Language) -> None:
    assert [who for who, _ in claims(nlp, "Bob Ray has stressed the dangers of autonomous weapons.")] == ["Bob Ray"]


def test_an_it_sentence_after_a_present_tense_argument_carries_the_argument_on(nlp: Language) -> None:
    text = (
        "Jane Doe argues that modern science is what magic was for the ancients. "
        "It gives hope to those who want to live forever. The book was published in 2002."
    )
    held = {c.subject: who for who, c in claims(nlp, text)}
    assert held == {"modern science": "Jane Doe", "It": "Jane Doe", "The book": None}


def test_a_sentence_opening_with_namely_elaborates_the_report_before_it(nlp: Language) -> None:
    held = {
        c.subject: who
        for who, c in claims(
            nlp, "Bob Ray supposes that growth could explode. Namely, we must build more computers to get there."
        )
    }
    assert held["we"] == "Bob Ray"


def test_what_follows_a_past_tense_report_or_a_paragraph_break_is_the_writers(nlp: Language) -> None:
    held = {
        c.subject: who
        for who, c in claims(nlp, "Bob Ray argued that growth could explode. It was a bold claim for its time.")
    }
    assert held["It"] is None
    text = "Jane Doe argues that modern science is what magic was for the ancients.\n\nIt gives hope to many people."
    assert {c.subject: who for who, c in claims(nlp, text)}["It"] is None


def test_quoted_speech_on_the_next_line_continues_the_speaker_a_blank_line_ends_it(nlp: Language) -> None:
    said = '"Our model learns the rules of the game from recorded play sessions alone," Google writes.\n'
    more = 'Technical notes: "We train every model from a public checkpoint of an image generator."'
    held = {c.subject: who for who, c in claims(nlp, said + more)}
    assert held["We"] == "Google"
    held = {c.subject: who for who, c in claims(nlp, said + "\n" + more)}
    assert held["We"] is None


def test_a_reporting_verb_inside_a_phrase_does_not_introduce_the_quotation_after_a_colon(nlp: Language) -> None:
    text = (
        "Why this matters - the best argument for AI risk is about speed of human thought versus speed of machine "
        "thought: The paper contains a helpful way of thinking about the risk of AI systems: "
        '"The relevant threats and opportunities change only slowly in the world of snails."'
    )
    assert {who for who, _ in claims(nlp, text)} == {None}


def test_it_after_a_company_report_is_the_company_not_the_argument(nlp: Language) -> None:
    text = "OpenAI says that household robots will be cheap. It operates offices in three countries."
    held = {c.subject: who for who, c in claims(nlp, text)}
    assert held["It"] is None


def test_a_line_break_inside_the_sentence_is_a_space_in_the_claim_but_not_in_its_evidence(nlp: Language) -> None:
    text = "It is questionable if all the mechanical inventions yet made\r have lightened the toil of anyone."
    found = [c for _, c in claims(nlp, text)]
    assert found and all("\r" not in c.text + c.object for c in found)
    assert any("made have lightened the toil" in c.object for c in found)
    assert all("\r" in text[c.sentence.start : c.sentence.end] for c in found)
