"""Sections: the stretches a pronoun speaker ("they write") or "the analysis" refers back to.

A newsletter item runs from one separator line (``***``, ``---``) to the next; a text
without separators is one section. Each section's *speaker* is the person or
organisation it introduces first or most often makes the grammatical subject,
and its *work* the titled work it links to (else the first creative work it mentions).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import pairwise

from spacy.tokens import Doc

from kg.model import EntityType, Mention, Section
from kg.model import Span as CharSpan
from kg.nlp import doccache

_SEPARATOR = re.compile(r"(?m)^\s*(?:\*{3,}|-{3,}|_{3,}|#{1,6} .*)\s*$")
_SPEAKER_TYPES = (EntityType.PERSON, EntityType.ORGANIZATION)


def find_sections(doc: Doc, mentions: Sequence[Mention]) -> Iterator[Section]:
    text = doccache.text(doc)
    bounds = [0, *(m.start() for m in _SEPARATOR.finditer(text)), len(text)]
    subjects = {tok.idx for tok in doccache.tokens(doc) if tok.dep_ in {"nsubj", "nsubjpass", "pobj"}}
    for start, end in pairwise(bounds):
        if end <= start:
            continue
        inside = [m for m in mentions if start <= m.span.start < end]
        votes: Counter[str] = Counter()
        for m in inside:
            if m.type in _SPEAKER_TYPES:
                as_subject = any(i in subjects for i in range(m.span.start, m.span.end))
                # An item introduces its protagonist first: the first speaker counts extra.
                votes[m.key] += (2 if as_subject else 1) + (3 if not votes else 0)
        order = {m.key: i for i, m in reversed(list(enumerate(inside)))}
        speaker = min(votes, key=lambda k: (-votes[k], order[k])) if votes else None
        works = [m for m in inside if m.type is EntityType.CREATIVE_WORK]
        # A "Read more: <title>" line names the work the section discusses; prefer it.
        work = next((m.key for m in works if m.source == "title"), works[0].key if works else None)
        yield Section(CharSpan(start, end), speaker, work)
