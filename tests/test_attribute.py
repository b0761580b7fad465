from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import kg
from kg.attribute import relate
from kg.model import Claim, Modality, Polarity, Span


def claim(claim_id: str, claimant: str, text: str, polarity: Polarity = Polarity.POSITIVE) -> Claim:
    return Claim(
        claim_id, "d", claimant, text, "", "", "", (), polarity, Modality.ASSERTED, False, 0.9, Span(0, 1), text
    )


def test_antonymous_predicates_by_different_claimants_contrast() -> None:
    a, b = relate(
        [claim("1", "e-acc", "humans have a bright future"), claim("2", "nick-land", "humans have a dim future")]
    )
    assert a.contrasts_with == ("2",) and b.contrasts_with == ("1",)
    assert not a.agrees_with


def test_opposite_polarity_of_the_same_proposition_contrasts() -> None:
    a, _ = relate(
        [
            claim("1", "x", "machines will replace human workers"),
            claim("2", "y", "machines will not replace human workers", Polarity.NEGATIVE),
        ]
    )
    assert a.contrasts_with == ("2",)


def test_the_same_proposition_by_two_claimants_agrees() -> None:
    a, b = relate(
        [
            claim("1", "x", "capitalism and AI are one and the same"),
            claim("2", "y", "capitalism and AI are one and the same"),
        ]
    )
    assert a.agrees_with == ("2",) and b.agrees_with == ("1",)


def test_claims_by_the_same_claimant_are_never_related() -> None:
    a, _ = relate([claim("1", "x", "humans have a bright future"), claim("2", "x", "humans have a dim future")])
    assert not a.contrasts_with and not a.agrees_with


def test_unrelated_claims_stay_unlinked() -> None:
    a, _ = relate([claim("1", "x", "DisTrO reduces bandwidth"), claim("2", "y", "snails avoid highways")])
    assert not a.contrasts_with and not a.agrees_with


def test_he_is_the_person_last_named_in_the_paragraph_never_a_pronoun(tmp_path: Path) -> None:
    text = tmp_path / "erewhon.txt"
    text.write_text(
        "Erewhon\n\nSamuel Butler wrote Erewhon in 1872. Samuel Butler was a novelist.\n\n"
        'In 1968, Gilles Deleuze wrote a book about difference. "Ideas are not concepts", he argues.\n',
        encoding="utf-8",
    )
    g = kg.build([text])
    held = {c.text: g.label(c.claimant) for c in g.claims()}
    assert held["Ideas are not concepts"] == "Gilles Deleuze"
    assert not {"he", "she", "they"} & {label.lower() for label in held.values()}


def test_a_member_whose_entity_resolved_to_a_place_states_no_membership() -> None:
    from kg.attribute import memberships
    from kg.model import DocAnalysis, Entity, EntityType, Mention, RawMembership, SourceDoc
    from kg.resolve import Resolution

    text = "Liechtenstein, a member of EFTA, and Ann Lee, a member of EFTA."
    doc = SourceDoc("d", "d.txt", text, "0" * 64, "d")
    spans = {"Liechtenstein": Span(0, 13), "EFTA": Span(27, 31), "Ann Lee": Span(37, 44)}
    # The sentence's own NER called Liechtenstein an organisation; the corpus resolved it to a place.
    found = [Mention(span, name, f"nf:{name}", EntityType.ORGANIZATION, "ner") for name, span in spans.items()]
    raw = (
        RawMembership(spans["Liechtenstein"], spans["EFTA"], Span(0, len(text))),
        RawMembership(spans["Ann Lee"], spans["EFTA"], Span(0, len(text))),
    )
    types = {"Liechtenstein": EntityType.PLACE, "EFTA": EntityType.ORGANIZATION, "Ann Lee": EntityType.PERSON}
    resolution = Resolution(
        entities=tuple(Entity(name.lower(), name, kind, (), 1) for name, kind in types.items()),
        mentions=(),
        key_to_entity={f"nf:{name}": name.lower() for name in types},
        authors={},
    )
    analysis = DocAnalysis(doc, tuple(found), (), (), raw)
    assert [(m.member, m.group) for m in memberships([analysis], resolution)] == [("ann lee", "efta")]


WORDS = ["humans", "future", "bright", "dim", "ai", "capital", "good", "bad", "growth", "safe", "risky", "land"]


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.lists(st.sampled_from(WORDS), min_size=1, max_size=8)),
        max_size=12,
    ),
    st.booleans(),
)
def test_relate_finds_every_pair_a_comparison_of_all_pairs_finds(
    items: list[tuple[str, list[str]]], flip: bool
) -> None:
    from itertools import combinations
    from unittest.mock import patch

    from kg.attribute import _relation, words

    claims = [
        claim(str(i), who, " ".join(text), Polarity.NEGATIVE if flip and i % 2 else Polarity.POSITIVE)
        for i, (who, text) in enumerate(items)
    ]
    cap = 3  # a small cap on how many claims a word may link, so that some words are too common
    bags = {c.id: words(c.text) for c in claims}
    rare = {w for w in set().union(*bags.values()) if sum(w in bag for bag in bags.values()) <= cap}
    expected: dict[str, set[tuple[str, str]]] = {"agree": set(), "contrast": set()}
    for a, b in combinations(claims, 2):
        if a.claimant == b.claimant or not bags[a.id] & bags[b.id] & rare:
            continue
        relation = _relation(a.polarity, b.polarity, bags[a.id], bags[b.id])
        if relation is not None:
            expected[relation] |= {(a.id, b.id), (b.id, a.id)}
    with patch("kg.attribute._MAX_SHARED", cap):
        related = relate(claims)
    assert {(c.id, o) for c in related for o in c.agrees_with} == expected["agree"]
    assert {(c.id, o) for c in related for o in c.contrasts_with} == expected["contrast"]


def test_a_place_or_a_product_named_in_the_claimant_span_is_never_the_claimant() -> None:
    from kg.attribute import _best_mention
    from kg.model import EntityType, Mention, RawClaim

    # "Paris-based GPT-4 team says ...": only the team could speak, and it has no mention.
    mentions = [
        Mention(Span(0, 5), "Paris", "nf:paris", EntityType.PLACE, "ner"),
        Mention(Span(12, 17), "GPT-4", "nf:gpt-4", EntityType.PRODUCT, "ner"),
    ]
    raw = RawClaim(
        sentence=Span(0, 40),
        text="",
        subject="",
        predicate="",
        object="",
        arguments=(),
        claimant=Span(0, 22),
        claimant_kind="explicit",
        polarity=Polarity.POSITIVE,
        modality=Modality.ASSERTED,
        identity=False,
        confidence=0.9,
        proposition=Span(0, 40),
    )
    assert _best_mention(mentions, raw) is None
    work = Mention(Span(0, 17), "Paris GPT-4 Notes", "nf:notes", EntityType.CREATIVE_WORK, "title")
    assert _best_mention([*mentions, work], raw) == work


@settings(max_examples=300)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["d1", "d2", "d3", "d4"]),
            st.lists(
                st.tuples(st.sampled_from(["a", "b", "c"]), st.lists(st.sampled_from(WORDS), min_size=1, max_size=6)),
                max_size=4,
            ),
        ),
        min_size=2,
        max_size=5,
    )
)
def test_an_index_kept_across_rebuilds_relates_claims_as_relating_them_anew_does(
    corpora: list[dict[str, list[tuple[str, list[str]]]]],
) -> None:
    import pickle
    from dataclasses import replace
    from unittest.mock import patch

    from kg.attribute import ClaimIndex

    index = ClaimIndex()
    held: dict[str, list[Claim]] = {}
    related: dict[tuple[str, str], Claim] = {}
    with patch("kg.attribute._MAX_SHARED", 2):  # words cross the cap as documents come and go
        for docs in corpora:
            claims = {
                doc: [
                    replace(claim(f"{doc}-{i}", who, " ".join(text)), doc_id=doc) for i, (who, text) in enumerate(items)
                ]
                for doc, items in docs.items()
            }
            # A rebuild replaces the documents that changed or went and adds the new ones.
            redo = [doc for doc in sorted(held.keys() | claims.keys()) if held.get(doc) != claims.get(doc)]
            kept_changed = index.update(redo, [c for doc in redo for c in claims.get(doc, [])])
            everything = [c for doc in sorted(claims) for c in claims[doc]]
            expected = relate(everything)
            assert index.related(everything) == expected
            for c in expected:  # the kept claims it names as changed are those whose relations changed
                old = related.get((c.doc_id, c.id))
                if c.doc_id not in redo and old is not None:
                    moved = (old.agrees_with, old.contrasts_with) != (c.agrees_with, c.contrasts_with)
                    assert moved == ((c.doc_id, c.id) in kept_changed)
            held, related = claims, {(c.doc_id, c.id): c for c in expected}
            index = pickle.loads(pickle.dumps(index))  # as a build keeps it for the next
