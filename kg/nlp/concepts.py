"""``acckg_concepts``: salient noun phrases become concepts, so a new idea still gets a node.

Candidates are noun chunks reduced to their content words ("the capitalist system" ->
"capitalist system"), keyed by lower-cased form with a singular head. They are ranked by
a TextRank-style score (PageRank over same-sentence co-occurrence) weighted by frequency;
at most ``max_per_doc`` phrases that occur at least ``min_count`` times are kept, and every
occurrence not already covered by another mention is added to ``doc.spans["acckg_mentions"]``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.model import EntityType
from kg.nlp.mentions import SPANS_KEY

GENERIC_HEADS = frozenset(
    """thing things way ways time times part parts lot lots kind kinds sort number numbers example examples
    fact case cases year years day days people person one ones other others use uses end point points place
    something anything everything nothing someone anyone everyone form forms type types item items reason
    reasons result results question questions idea ideas lesson matter sense side amount rate group groups
    set sets level levels area areas term terms order view word words hand means piece bit deal variety
    series range course addition respect regard account manner instance author authors researcher
    researchers book books paper papers article articles post posts billion million thousand hundred percent
    system systems model models data world future impact symptom problem chapter concept name novel member
    members century decade fate
    work works story stories word character characters version edition copy copies""".split()
)
_INVARIANT_PLURALS = frozenset(
    ["data", "species", "media", "news", "series", "physics", "ethics", "economics", "mathematics", "politics", "means"]
)
_DROP_DEPS = frozenset({"det", "poss", "predet", "nummod", "case", "punct", "advmod", "quantmod", "neg"})
_DROP_ADJ = frozenset(
    """many much more most other such same few several various certain own whole new main last first next good
    great little big large small high low long short real true""".split()
)


class ConceptFinder:
    def __init__(self, max_per_doc: int, min_count: int) -> None:
        self.max_per_doc = max_per_doc
        self.min_count = min_count

    def __call__(self, doc: Doc) -> Doc:
        taken = {i for span in doc.spans.get(SPANS_KEY, []) for i in range(span.start, span.end)}
        occurrences: dict[str, list[Span]] = defaultdict(list)
        sentence_of = {tok.i: n for n, sent in enumerate(doc.sents) for tok in sent}
        by_sentence: dict[int, set[str]] = defaultdict(set)
        for span, key in _candidates(doc):
            if not any(i in taken for i in range(span.start, span.end)):
                occurrences[key].append(span)
                by_sentence[sentence_of[span.start]].add(key)
        # A single word must recur more than a phrase to count as a concept of the text.
        counts = Counter({k: len(v) for k, v in occurrences.items() if len(v) >= self.min_count + (" " not in k)})
        rank = textrank(list(by_sentence.values()), set(counts))
        # Multi-word phrases are more specific, so they outrank single words of equal weight.
        best = sorted(counts, key=lambda k: (-rank.get(k, 0.0) * math.log1p(counts[k]) * (1 + 0.5 * k.count(" ")), k))[
            : self.max_per_doc
        ]
        added = [
            Span(doc, s.start, s.end, label=EntityType.CONCEPT.value, kb_id=f"nf:{key}", span_id="concept")
            for key in best
            for s in occurrences[key]
        ]
        doc.spans[SPANS_KEY] = sorted([*doc.spans.get(SPANS_KEY, []), *added], key=lambda s: (s.start, s.end))
        return doc


def _candidates(doc: Doc) -> Iterator[tuple[Span, str]]:
    # doc.noun_chunks once: Span.noun_chunks rescans the whole document for every sentence.
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.pos_ != "NOUN" or not root.is_alpha or {root.lower_, root.lemma_.lower()} & GENERIC_HEADS:
            continue
        start = chunk.start
        while start < root.i and (
            chunk.doc[start].dep_ in _DROP_DEPS
            or chunk.doc[start].lower_ in _DROP_ADJ
            or chunk.doc[start].is_stop
            or not chunk.doc[start].is_alpha
        ):
            start += 1
        span = chunk.doc[start : root.i + 1]
        if any(not (t.is_alpha or t.text == "-") or t.pos_ in {"PRON", "VERB", "PROPN"} for t in span):
            continue
        plural = root.tag_ in {"NNS", "NNPS"} and root.lower_ not in _INVARIANT_PLURALS
        head = root.lemma_.lower() if plural else root.lower_
        key = " ".join([*(t.lower_ for t in span[:-1]), head])
        if len(key) >= 4:
            yield span, key


def textrank(
    sentences: list[set[str]], nodes: set[str], *, damping: float = 0.85, iterations: int = 30
) -> dict[str, float]:
    """PageRank over the graph linking keys that share a sentence (Mihalcea & Tarau 2004)."""
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    for keys in sentences:
        present = sorted(keys & nodes)
        for a in present:
            neighbours[a].update(b for b in present if b != a)
    if not neighbours:
        return {}
    score = dict.fromkeys(neighbours, 1.0 / len(neighbours))
    for _ in range(iterations):
        score = {
            n: (1 - damping) / len(neighbours)
            + damping * sum(score[m] / len(neighbours[m]) for m in neighbours[n] if neighbours[m])
            for n in sorted(neighbours)
        }
    return score


@Language.factory(
    "acckg_concepts",
    default_config={"max_per_doc": 8, "min_count": 2},
    requires=["token.pos", "token.dep", "token.lemma"],
)
def make_concepts(nlp: Language, name: str, max_per_doc: int, min_count: int) -> ConceptFinder:
    return ConceptFinder(max_per_doc, min_count)
