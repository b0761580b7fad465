"""The proposition extractor and its CaRB export."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from kg.cli import main
from kg.propositions import Proposition, carb_rows, extract


def test_carb_rows_move_a_leading_preposition_into_the_relation() -> None:
    rows = carb_rows("S .", [Proposition(0.9, "the Region", "assigned", ("to the Community", "in 1990"))])
    assert rows == ["S .\t0.90\tassigned to\tthe Region\tthe Community\tin 1990"]


def test_embedded_clauses_and_appositions_become_propositions(nlp: Language) -> None:
    sentence = "Ken Follett , a British author , praised the novel , which describes a German armada ."
    ((_, props),) = list(extract([sentence], nlp))
    found = {(p.subject, p.relation, p.arguments) for p in props}
    assert any(s.startswith("Ken Follett") and r == "praised" for s, r, _ in found)
    assert ("Ken Follett", "is", ("a British author",)) in found
    assert ("the novel", "describes", ("a German armada",)) in found


def test_cli_writes_one_carb_row_per_proposition(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "sentences.txt"
    src.write_text("He served as the first Prime Minister of Australia .\n", encoding="utf-8")
    assert main(["propositions", str(src), "--format", "carb"]) == 0
    row = capsys.readouterr().out.splitlines()[0].split("\t")
    assert row[0] == "He served as the first Prime Minister of Australia ."
    assert row[2:4] == ["served as", "He"] and row[4] == "the first Prime Minister of Australia"
