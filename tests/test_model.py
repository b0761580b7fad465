"""The typed values survive pickling unchanged: the analysis cache and the worker processes rely on it."""

from __future__ import annotations

import dataclasses
import pickle

from spacy.language import Language

from kg import model
from kg.attribute import attribute, memberships
from kg.kb import load_kb
from kg.model import RunInfo, SourceDoc
from kg.nlp.pipeline import analyse
from kg.resolve import resolve

TEXT = (
    "Nick Land, a founder of the CCRU, argues that capitalism and AI are one and the same thing. "
    "Nous Research says DisTrO cuts bandwidth 857x."
)


def _values(nlp: Language) -> list[object]:
    doc = SourceDoc("d", "d.txt", TEXT, "0" * 64, "A test", author="Jack Clark")
    (analysis,) = analyse([doc], nlp)
    resolution = resolve([analysis], load_kb())
    found = [analysis, analysis.doc, *(m.span for m in analysis.mentions), *analysis.mentions]
    found += [*analysis.claims, *analysis.sections, *analysis.memberships]
    found += [*resolution.entities, *resolution.mentions, *attribute([analysis], resolution)]
    found += [*memberships([analysis], resolution), RunInfo("1", "m", "3.8", "2024-01-01T00:00:00Z")]
    return found


def test_every_value_type_comes_back_from_pickle_equal_field_for_field(nlp: Language) -> None:
    values = _values(nlp)
    every_type = {c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)}
    assert every_type <= {type(v) for v in values}
    for value in values:
        back = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(back) is type(value)
        assert dataclasses.astuple(back) == dataclasses.astuple(value)  # type: ignore[call-overload]
