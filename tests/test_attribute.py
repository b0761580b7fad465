from __future__ import annotations

from pathlib import Path

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
