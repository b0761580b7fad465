"""``acckg_concepts``: salient noun phrases become concepts, so a new idea still gets a node.

Candidates are noun chunks reduced to their content words ("the capitalist system" ->
"capitalist system"), keyed by lower-cased form with a singular head. They are ranked by
a TextRank-style score (PageRank over same-sentence co-occurrence) weighted by frequency;
at most ``max_per_doc`` phrases that occur at least ``min_count`` times are kept, and every
occurrence not already covered by another mention is added to ``doc.spans["acckg_mentions"]``.
A term the text introduces in quotes ('the field of "brain building"') is kept even if it
occurs once, and a kept phrase replaces a bare knowledge-base concept at its head
("intelligent machines" over "machines").

A single word must also be *key* to the text: used at least ``min_keyness`` (100) times more
often than in general English (wordfreq's offline frequency lists), so "life", "state", "movement"
or "invention" are not concepts of a text that uses them often, while "neocortex" is. Multi-word
phrases are specific by construction and skip this test.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Container, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from wordfreq import word_frequency

from kg.model import EntityType
from kg.nlp import doccache
from kg.nlp.mentions import SPANS_KEY, phrase_key
from kg.nlp.typecues import CLOSING_QUOTES, QUOTES, class_noun_type

GENERIC_HEADS = frozenset(
    """thing things way ways time times part parts lot lots kind kinds sort number numbers example examples
    fact case cases year years day days people person one ones other others use uses end point points place
    something anything everything nothing someone anyone everyone form forms type types item items reason
    reasons result results question questions idea ideas lesson matter sense side amount rate group groups
    set sets level levels area areas term terms order view word words hand means piece bit deal variety
    series range course addition respect regard account manner instance book books paper papers article
    articles post posts billion million thousand hundred percent system systems model models data world
    future impact symptom problem chapter concept name novel member members century decade fate death deaths
    field fields work works story stories word version edition copy copies essay essays""".split()
)  # roles of people ("author", "researchers", "character") are left out by their class, below
_NAMED_KINDS = frozenset({EntityType.PERSON, EntityType.ORGANIZATION, EntityType.PLACE, EntityType.CREATIVE_WORK})
_IDEA_KINDS = frozenset({"society", "nation", "colony"})  # "Victorian society", "the information society"
_TERM_CUES = frozenset({"term", "terms", "termed", "coined", "dubbed", "called"})
_IDEA_NOUNS = frozenset({"concept", "notion", "idea", "field", "theory", "term", "doctrine", "principle"})
_DROP_DEPS = frozenset({"det", "poss", "predet", "nummod", "case", "punct", "advmod", "quantmod", "neg"})
_DROP_ADJ = frozenset(
    """many much more most other such same few several various certain own whole new main last first next good
    great little big large small high low long short real true major minor significant important""".split()
)


class ConceptFinder:
    def __init__(self, max_per_doc: int, min_count: int, min_keyness: float) -> None:
        self.max_per_doc = max_per_doc
        self.min_count = min_count
        self.min_keyness = min_keyness

    def __call__(self, doc: Doc) -> Doc:
        existing = list(doc.spans.get(SPANS_KEY, []))
        taken = {i for span in existing for i in range(span.start, span.end)}
        # A bare knowledge-base concept ("machines", "AI") yields to a salient phrase built on it
        # ("intelligent machines", "AI innovation"): the phrase is the more specific idea of the text.
        bare = {s.start: s for s in existing if len(s) == 1 and s.id_ == "kb" and s.label_ == EntityType.CONCEPT.value}
        occurrences: dict[str, list[Span]] = defaultdict(list)
        sentence_of = {tok.i: n for n, sent in enumerate(doccache.sents(doc)) for tok in sent}
        by_sentence: dict[int, set[str]] = defaultdict(set)
        for span, key in _candidates(doc, bare.keys()):
            blocked = [i for i in range(span.start, span.end) if i in taken]
            if not blocked or (len(blocked) < len(span) and all(i in bare for i in blocked)):
                occurrences[key].append(span)
                by_sentence[sentence_of[span.start]].add(key)
        # A single word must recur more than a phrase to count as a concept of the text.
        words = sum(t.is_alpha for t in doccache.tokens(doc))
        counts = Counter(
            {
                k: len(v)
                for k, v in occurrences.items()
                if len(v) >= self.min_count + (" " not in k) and (" " in k or keyness(v, words) >= self.min_keyness)
            }
        )
        rank = textrank(list(by_sentence.values()), set(counts))
        # Multi-word phrases are more specific, so they outrank single words of equal weight.
        best = sorted(counts, key=lambda k: (-rank.get(k, 0.0) * math.log1p(counts[k]) * (1 + 0.5 * k.count(" ")), k))[
            : self.max_per_doc
        ]
        chosen = [(key, s) for key in best for s in occurrences[key]]
        covered = taken | {i for _, s in chosen for i in range(s.start, s.end)}
        chosen += [(key, s) for s, key in _coined_terms(doc) if not any(i in covered for i in range(s.start, s.end))]
        replaced = {i for _, s in chosen if len(s) > 1 for i in range(s.start, s.end) if i in bare}
        added = [
            Span(doc, s.start, s.end, label=EntityType.CONCEPT.value, kb_id=f"nf:{key}", span_id="concept")
            for key, s in chosen
        ]
        kept = [s for s in existing if not (s.start in replaced and bare.get(s.start) is s)]
        doc.spans[SPANS_KEY] = sorted([*kept, *added], key=lambda s: (s.start, s.end))
        return doc


def keyness(occurrences: list[Span], words: int) -> float:
    """How many times more often the text uses a word than general English does (all its forms)."""
    reference = sum(word_frequency(form, "en") for form in sorted({s.text.lower() for s in occurrences}))
    return len(occurrences) / words / max(reference, 1e-9)


def _coined_terms(doc: Doc) -> Iterator[tuple[Span, str]]:
    """'their concept of "desiring-machines"', 'the field of "brain building"', 'the so-called
    "resurrection logs"', '"algeny" (a portmanteau of ...)': a term the text introduces, or glosses
    in brackets right after, is a concept of it even when it occurs once (scare quotes are not)."""
    for tok in doccache.tokens(doc):
        if tok.text not in QUOTES or tok.i < 2:
            continue
        close = next((k for k in range(tok.i + 1, min(tok.i + 7, len(doc))) if doc[k].text in CLOSING_QUOTES), None)
        if close is None or close == tok.i + 1:
            continue
        inner = doc[tok.i + 1 : close]
        prev, prev2 = doc[tok.i - 1], doc[tok.i - 2]
        # '"algeny" (a portmanteau of ...)' glosses the term; '"grand plan" (the Cosmists)' names who has it.
        gloss = doc[close + 2 : close + 8] if close + 1 < len(doc) and doc[close + 1].text == "(" else None
        glossed = gloss is not None and len(gloss) > 0 and not any(t.text[:1].isupper() for t in gloss)
        introduced = glossed or prev.lower_ in _TERM_CUES or (prev.lower_ == "of" and prev2.lower_ in _IDEA_NOUNS)
        if introduced and all(t.is_lower or t.text == "-" for t in inner) and inner.root.tag_ in {"NN", "NNS", "VBG"}:
            yield inner, phrase_key(inner)


def _in_complex_preposition(chunk: Span) -> bool:
    """'in coordination with', 'in accordance with', 'in response to': a bare noun between "in"
    and a preposition is part of a preposition, not an idea of the text."""
    doc = chunk.doc
    return (
        len(chunk) == 1
        and chunk.start > 0
        and chunk.end < len(doc)
        and doc[chunk.start - 1].lower_ == "in"
        and doc[chunk.end].lower_ in {"with", "to", "of"}
    )


def _candidates(doc: Doc, known: Container[int] = ()) -> Iterator[tuple[Span, str]]:
    """Noun chunks reduced to their content words, with their keys; a name in one is a known
    concept (``known`` holds the indices of such one-word mentions: "AI innovation")."""
    # doc.noun_chunks once: Span.noun_chunks rescans the whole document for every sentence.
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.pos_ != "NOUN" or not root.is_alpha or {root.lower_, root.lemma_.lower()} & GENERIC_HEADS:
            continue
        if class_noun_type(root) in _NAMED_KINDS and root.lemma_.lower() not in _IDEA_KINDS:
            continue  # "French philosopher", "his first monograph", "executive departments": kinds of named things
        if _in_complex_preposition(chunk):
            continue
        start = chunk.start
        while (
            start < root.i
            and not _hyphenated(chunk.doc[start])
            and (
                chunk.doc[start].dep_ in _DROP_DEPS
                or chunk.doc[start].lower_ in _DROP_ADJ
                or chunk.doc[start].is_stop
                or not chunk.doc[start].is_alpha
            )
        ):
            start += 1
        span = chunk.doc[start : root.i + 1]
        if any(not (t.is_alpha or t.text == "-") or _not_of_an_idea(t, known) for t in span):
            continue
        # "animal and vegetable kingdoms" is two ideas, not one; a root that is itself a conjunct
        # ("literature and literary criticism") is one idea of a list.
        if any(t.dep_ in {"cc", "conj"} for t in span if t.i != root.i):
            continue
        key = phrase_key(span)
        if len(key) >= 4:
            yield span, key


def _hyphenated(tok: Token) -> bool:
    """The first part of a hyphenated compound ("large-scale"), which no word of it goes without."""
    return not tok.whitespace_ and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text == "-"


def _not_of_an_idea(tok: Token, known: Container[int]) -> bool:
    """Pronouns, verbs and names are no words of a concept's name, except a participle in a
    hyphenated compound ("AI-enabled science") and a known concept's name ("AI")."""
    if tok.pos_ == "VERB":
        return tok.i == 0 or tok.doc[tok.i - 1].text != "-"
    return tok.pos_ == "PRON" or (tok.pos_ == "PROPN" and tok.i not in known)


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
    # Sums in a fixed order: a set's order changes with the process's string hash seed, and the
    # last bits of a float sum with it, enough to reorder concepts of equal rank between runs.
    ordered = {n: sorted(neighbours[n]) for n in sorted(neighbours)}
    score = dict.fromkeys(ordered, 1.0 / len(ordered))
    for _ in range(iterations):
        score = {
            n: (1 - damping) / len(ordered) + damping * sum(score[m] / len(ordered[m]) for m in ms if ordered[m])
            for n, ms in ordered.items()
        }
    return score


@Language.factory(
    "acckg_concepts",
    default_config={"max_per_doc": 8, "min_count": 2, "min_keyness": 100.0},
    requires=["token.pos", "token.dep", "token.lemma"],
)
def make_concepts(nlp: Language, name: str, max_per_doc: int, min_count: int, min_keyness: float) -> ConceptFinder:
    return ConceptFinder(max_per_doc, min_count, min_keyness)
