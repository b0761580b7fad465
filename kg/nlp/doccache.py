"""Values of a ``Doc`` that acckg's components read many times, computed once per document.

spaCy builds new ``Token`` and ``Span`` objects on every pass over ``doc``, ``doc.ents``,
``doc.sents`` or a span group, and joins every token on every ``doc.text``. acckg's four
components pass over each document some thirty times, so they share these values through
``doc.user_data``. The cached tokens refer back to their ``Doc``; :func:`release` breaks that
cycle once the document is done, so it is freed at once rather than by the garbage collector
(the cache refers to its ``Doc`` too).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from spacy.tokens import Doc, Span, SpanGroup, Token

_KEY = "acckg_cache"


class _Cache:
    """Each value is made on first use: a blank pipeline's ``Doc`` has tokens but no sentences."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._spans: dict[str, Spans] = {}

    @cached_property
    def tokens(self) -> list[Token]:
        return list(self.doc)

    @cached_property
    def text(self) -> str:
        return self.doc.text

    @cached_property
    def ents(self) -> tuple[Span, ...]:
        return tuple(self.doc.ents)

    @cached_property
    def sents(self) -> list[Span]:
        return list(self.doc.sents)

    @cached_property
    def lower_case_words(self) -> frozenset[str]:
        return frozenset(t.lower_ for t in self.tokens if t.is_lower)

    def spans(self, key: str) -> Spans:
        group = self.doc.spans.get(key)
        cached = self._spans.get(key)
        # A component may replace or extend the group, and a cache that outlived that would lie.
        if cached is None or cached.group is not group or len(cached) != len(group or ()):
            cached = self._spans[key] = Spans(group)
        return cached


class Spans:
    """A span group's spans, made once, and which of them cover each token."""

    def __init__(self, group: SpanGroup | None) -> None:
        self.group = group
        self.all: tuple[Span, ...] = tuple(group) if group is not None else ()
        # Each token's spans with their places in the group, so every answer keeps its order.
        self._covering: defaultdict[int, list[tuple[int, Span]]] = defaultdict(list)
        for n, span in enumerate(self.all):
            for i in range(span.start, span.end):
                self._covering[i].append((n, span))

    def __len__(self) -> int:
        return len(self.all)

    def covering(self, i: int) -> list[Span]:
        """The spans that contain token ``i``, in the group's order."""
        return [span for _, span in self._covering.get(i, ())]

    def within(self, tokens: set[int]) -> list[Span]:
        """The spans made only of ``tokens``, in the group's order."""
        found = {n: span for i in tokens for n, span in self._covering.get(i, ())}
        return [span for _, span in sorted(found.items()) if all(i in tokens for i in range(span.start, span.end))]


def _cache(doc: Doc) -> _Cache:
    cache = doc.user_data.get(_KEY)
    if cache is None:
        cache = doc.user_data[_KEY] = _Cache(doc)
    return cache


def tokens(doc: Doc) -> list[Token]:
    return _cache(doc).tokens


def text(doc: Doc) -> str:
    return _cache(doc).text


def ents(doc: Doc) -> tuple[Span, ...]:
    """The NER's entities (acckg's components add span groups and never change ``doc.ents``)."""
    return _cache(doc).ents


def sents(doc: Doc) -> list[Span]:
    return _cache(doc).sents


def lower_case_words(doc: Doc) -> frozenset[str]:
    """The words ``doc`` writes in lower case."""
    return _cache(doc).lower_case_words


def spans(doc: Doc, key: str) -> Spans:
    """The span group ``key`` of ``doc`` (empty if it has none), indexed by token."""
    return _cache(doc).spans(key)


def release(doc: Doc) -> None:
    doc.user_data.pop(_KEY, None)
