"""The typed values that flow between the stages of the pipeline.

ingest -> :class:`SourceDoc`; NLP -> :class:`DocAnalysis` (mentions and raw claims with
character offsets); resolve -> :class:`Entity`; attribute -> :class:`Claim`. All are
frozen so a stage can never mutate what an earlier stage produced.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


def _pickled(cls: type[T]) -> type[T]:
    """Pickle instances as a call of the class with their fields in order.

    The analysis cache and the worker processes pickle millions of these values; the default for
    a slotted dataclass runs a Python loop over ``dataclasses.fields()`` for every object, which
    made pickling 4 times and unpickling 1.5 times slower (the analyses of the 1 MB slice)."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))  # type: ignore[arg-type]

    def reduce(self: T) -> tuple[Callable[..., T], tuple[Any, ...]]:
        return cls, values(self)

    assert len(fields(cls)) > 1, "attrgetter of one name returns the value, not a tuple"  # type: ignore[arg-type]
    cls.__reduce__ = reduce  # type: ignore[assignment,method-assign]
    return cls


class EntityType(str, Enum):
    """The six coarse classes of the vocabulary (see ``kg/data/ontology.ttl``)."""

    PERSON = "Person"
    ORGANIZATION = "Organization"
    CREATIVE_WORK = "CreativeWork"
    PRODUCT = "Product"
    PLACE = "Place"
    CONCEPT = "Concept"


class Polarity(str, Enum):
    POSITIVE = "positive"
    NEGATIVE = "negative"


class Modality(str, Enum):
    ASSERTED = "asserted"
    HEDGED = "hedged"
    PREDICTED = "predicted"


@_pickled
@dataclass(frozen=True, order=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of a document's text."""

    start: int
    end: int

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@_pickled
@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One input text with the metadata the manifest gives for it."""

    id: str
    path: str
    text: str
    sha256: str
    title: str
    author: str | None = None
    date: str | None = None
    url: str | None = None
    licence: str | None = None


@_pickled
@dataclass(frozen=True, order=True, slots=True)
class Mention:
    """A stretch of text that names an entity.

    ``key`` groups mentions of one entity inside a document: a knowledge-base id
    (``kb:nick-land``) or a normalised surface form (``nf:nous research``).
    """

    span: Span
    text: str
    key: str
    type: EntityType
    source: str  # which rule produced it: kb, ner, cue (NER name typed by context), shortform, acronym, title, concept


@_pickled
@dataclass(frozen=True, slots=True)
class Section:
    """A stretch of a document that is about one thing (a newsletter item)."""

    span: Span
    speaker_key: str | None  # the mention key that the section's "they"/"the authors" stand for
    work_key: str | None  # the creative work the section discusses ("the analysis")


@_pickled
@dataclass(frozen=True, slots=True)
class RawClaim:
    """A proposition as found in one sentence, before its claimant is linked to an entity.

    ``claimant`` is the span naming the holder, ``None`` for the author's own voice;
    ``claimant_kind`` says how it was found (``explicit``, ``possessive``,
    ``according``, ``pronoun``, ``description``, ``author``).
    """

    sentence: Span
    text: str
    subject: str
    predicate: str
    object: str
    arguments: tuple[str, ...]  # the object split into the verb's complements ("to X", "in 2019")
    claimant: Span | None
    claimant_kind: str
    polarity: Polarity
    modality: Modality
    identity: bool
    confidence: float
    proposition: Span


@_pickled
@dataclass(frozen=True, order=True, slots=True)
class RawMembership:
    """The text says that the ``member`` mention belongs to the ``group`` mention."""

    member: Span
    group: Span
    sentence: Span


@_pickled
@dataclass(frozen=True, slots=True)
class Membership:
    """An entity that a document names as a member of a group (``schema:memberOf``)."""

    member: str  # entity ids
    group: str
    doc_id: str
    evidence: Span
    evidence_text: str


@_pickled
@dataclass(frozen=True, slots=True)
class DocAnalysis:
    """What the NLP stage found in one document."""

    doc: SourceDoc
    mentions: tuple[Mention, ...]
    claims: tuple[RawClaim, ...]
    sections: tuple[Section, ...]
    memberships: tuple[RawMembership, ...] = ()


@_pickled
@dataclass(frozen=True, slots=True)
class Entity:
    """One node of the graph: a real-world entity across all documents."""

    id: str  # slug used in the IRI
    label: str
    type: EntityType
    alt_labels: tuple[str, ...]
    mention_count: int
    kb_id: str | None = None
    description: str | None = None
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


@_pickled
@dataclass(frozen=True, slots=True)
class ResolvedMention:
    doc_id: str
    span: Span
    text: str
    entity_id: str


@_pickled
@dataclass(frozen=True, slots=True)
class Claim:
    """A proposition attributed to the entity (or document) that holds it."""

    id: str
    doc_id: str
    claimant: str  # entity id, or "doc:<document id>" where the document has no author
    text: str
    subject: str
    predicate: str
    object: str
    about: tuple[str, ...]
    polarity: Polarity
    modality: Modality
    identity: bool
    confidence: float
    evidence: Span
    evidence_text: str
    agrees_with: tuple[str, ...] = field(default=())
    contrasts_with: tuple[str, ...] = field(default=())


@_pickled
@dataclass(frozen=True, slots=True)
class RunInfo:
    """What produced a build, recorded as a ``prov:Activity``."""

    software_version: str
    model_name: str
    model_version: str
    time: str  # ISO 8601; reproducible (see kg.builder.reproducible_time)
