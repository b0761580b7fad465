"""Claims stage: link each raw claim's speaker to an entity and relate claims to each other.

Speakers named in the text resolve through the mentions they overlap; pronouns and
descriptions ("they", "the researchers") resolve to the section's speaker; "the author
of the analysis" to the section's creative work; everything else to the document's
author (or the document itself when it has none). Then claims by different claimants
are linked: ``agrees_with`` when they state the same proposition, ``contrasts_with``
when they differ only in polarity or by an antonym (bright vs dim future).
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from kg.model import Claim, DocAnalysis, EntityType, Membership, Mention, Polarity, RawClaim, Section
from kg.resolve import Resolution

ANTONYMS: tuple[tuple[str, str], ...] = (
    ("bright", "dim"),
    ("bright", "bleak"),
    ("good", "bad"),
    ("optimistic", "pessimistic"),
    ("utopia", "dystopia"),
    ("hopeful", "hopeless"),
    ("safe", "dangerous"),
    ("benefit", "harm"),
    ("increase", "decrease"),
    ("accelerate", "decelerate"),
    ("fast", "slow"),
    ("agents", "components"),
    ("master", "servant"),
    ("masters", "slaves"),
    ("possible", "impossible"),
    ("inevitable", "avoidable"),
)
_ANTONYM: dict[str, frozenset[str]] = {
    w: frozenset(b if a == w else a for a, b in ANTONYMS if w in (a, b)) for pair in ANTONYMS for w in pair
}
_STOP = frozenset(
    """a an the of to in on for and or but is are was were be been being it its this that these those they them
    their there as at by with from will would can could may might have has had not no do does did so such
    than then very just into about over more most much""".split()
)
_DESCRIBES_WORK = re.compile(r"\bauthors? of\b", re.IGNORECASE)
_MAX_SHARED = 50  # words in more claims than this are too common to pair claims on
_MEMBER_TYPES = frozenset({EntityType.PERSON, EntityType.ORGANIZATION})
_VOICES = frozenset({EntityType.CREATIVE_WORK, EntityType.CONCEPT})  # works and movements speak too
_SINGULAR = frozenset({"he", "she", "his", "her"})
_POLARITY_ORDER = list(Polarity)
_POLARITY_NUMBER = {p: n for n, p in enumerate(_POLARITY_ORDER)}


def attribute(analyses: Sequence[DocAnalysis], resolution: Resolution) -> list[Claim]:
    """Turn every document's raw claims into attributed, related :class:`Claim` values."""
    return relate(attributed(analyses, resolution))


def attributed(analyses: Sequence[DocAnalysis], resolution: Resolution) -> list[Claim]:
    """Every document's raw claims with their claimants, not yet related to each other."""
    return [claim for analysis in analyses for claim in _doc_claims(analysis, resolution)]


def memberships(analyses: Sequence[DocAnalysis], resolution: Resolution) -> list[Membership]:
    """The group memberships each document states, between resolved entities, deduplicated per document."""
    keys = resolution.key_to_entity
    # The NER's type of a mention can lose to the entity's resolved type (the knowledge base, the
    # corpus's votes); schema:memberOf needs a person or an organisation as the member.
    can_join = {e.id for e in resolution.entities if e.type in _MEMBER_TYPES}
    found: dict[tuple[str, str, str], Membership] = {}
    for analysis in analyses:
        doc = analysis.doc
        by_span = {m.span: m.key for m in analysis.mentions}
        for raw in analysis.memberships:
            member, group = keys.get(by_span.get(raw.member, "")), keys.get(by_span.get(raw.group, ""))
            if member is None or group is None or member == group or member not in can_join:
                continue
            evidence = doc.text[raw.sentence.start : raw.sentence.end]
            found.setdefault((doc.id, member, group), Membership(member, group, doc.id, raw.sentence, evidence))
    return sorted(found.values(), key=lambda m: (m.doc_id, m.evidence.start, m.member, m.group))


def _doc_claims(analysis: DocAnalysis, resolution: Resolution) -> Iterable[Claim]:
    doc = analysis.doc
    author = resolution.authors.get(doc.id, f"doc:{doc.id}")
    keys = resolution.key_to_entity
    used: set[str] = set()
    # Mentions by start offset, so that each claim looks only at those inside its proposition.
    mentions = sorted((m for m in analysis.mentions if m.key in keys), key=lambda m: m.span.start)
    starts = [m.span.start for m in mentions]
    for raw in analysis.claims:
        claimant, confidence = _claimant(raw, analysis, keys, author)
        inside = mentions[bisect_left(starts, raw.proposition.start) : bisect_left(starts, raw.proposition.end)]
        about = sorted({keys[m.key] for m in inside if raw.proposition.contains(m.span)} - {claimant})
        claim_id = _unique(f"{doc.id}-{raw.proposition.start}-{raw.proposition.end}", used)
        yield Claim(
            id=claim_id,
            doc_id=doc.id,
            claimant=claimant,
            text=raw.text,
            subject=raw.subject,
            predicate=raw.predicate,
            object=raw.object,
            about=tuple(about),
            polarity=raw.polarity,
            modality=raw.modality,
            identity=raw.identity,
            confidence=round(min(raw.confidence, confidence), 2),
            evidence=raw.sentence,
            evidence_text=doc.text[raw.sentence.start : raw.sentence.end],
        )


def _claimant(raw: RawClaim, analysis: DocAnalysis, keys: dict[str, str], author: str) -> tuple[str, float]:
    section = _section_at(analysis.sections, raw.sentence.start)
    if raw.claimant is None:
        return author, 1.0
    if raw.claimant_kind in {"explicit", "according", "possessive", "topic"}:
        named = _best_mention(analysis.mentions, raw)
        if named is not None:
            return keys[named.key], 1.0
    speaker_text = analysis.doc.text[raw.claimant.start : raw.claimant.end]
    if raw.claimant_kind == "pronoun" and speaker_text.lower() in _SINGULAR:
        person = _antecedent(analysis, raw.claimant.start)
        if person is not None and person.key in keys:
            return keys[person.key], 0.8
    if section is not None:
        if _DESCRIBES_WORK.search(speaker_text) and section.work_key in keys:
            return keys[section.work_key], 0.7
        if section.speaker_key in keys:
            return keys[section.speaker_key], 0.7
    return author, 0.4


def _antecedent(analysis: DocAnalysis, offset: int) -> Mention | None:
    """The person a "he"/"she" at ``offset`` stands for: the last one named before it in the paragraph."""
    paragraph = analysis.doc.text.rfind("\n", 0, offset) + 1
    before = [
        m
        for m in analysis.mentions
        if paragraph <= m.span.start and m.span.end <= offset and m.type is EntityType.PERSON
    ]
    return max(before, key=lambda m: m.span.start, default=None)


def _best_mention(mentions: Sequence[Mention], raw: RawClaim) -> Mention | None:
    """The entity named in the claimant span that can assert something: a person or an
    organisation first, else a group or a work; a place or a product is never a claimant."""
    assert raw.claimant is not None
    inside = [m for m in mentions if raw.claimant.overlaps(m.span)]
    speakers = [m for m in inside if m.type in (EntityType.PERSON, EntityType.ORGANIZATION)]
    pool = speakers or [m for m in inside if m.type in _VOICES]
    return pool[0] if pool else None


def _section_at(sections: Sequence[Section], offset: int) -> Section | None:
    return next((s for s in sections if s.span.start <= offset < s.span.end), None)


def _unique(candidate: str, used: set[str]) -> str:
    n, result = 2, candidate
    while result in used:
        result, n = f"{candidate}-{n}", n + 1
    used.add(result)
    return result


def words(text: str) -> frozenset[str]:
    """Content words of a proposition, lower-cased."""
    return frozenset(w for w in re.findall(r"[a-z0-9/]+", text.lower()) if w not in _STOP)


def relate(claims: Sequence[Claim]) -> list[Claim]:
    """Link claims by different claimants that agree or contrast (see module docstring).

    Examples
    --------
    >>> from kg.model import Polarity, Modality, Span
    >>> def c(i, who, text):
    ...     return Claim(i, "d", who, text, "humans", "have", text[12:], (), Polarity.POSITIVE,
    ...                  Modality.ASSERTED, False, 0.9, Span(0, 1), text)
    >>> a, b = relate([c("1", "e-acc", "humans have a bright future"), c("2", "nick-land", "humans have a dim future")])
    >>> a.contrasts_with, b.contrasts_with
    (('2',), ('1',))
    """
    index = ClaimIndex()
    index.update((), claims)
    return index.related(claims)


class ClaimIndex:
    """Every claim's content words, claimant and polarity, and the claims that hold each word:
    what relating claims needs. A build fills it once; a rebuild keeps it (:mod:`kg.incremental`)
    and relates only the claims it adds and those whose words turned common or rare with them.

    Words are numbered, and the claims' words are kept in one flat array (a slot's words are
    ``words[starts[s]:starts[s + 1]]``): a large corpus holds a million claims and ten million
    words between builds, which as tuples of strings took six seconds to read back and as arrays
    a fraction of one. A claim taken out leaves its slot (id None) until the dead slots are a
    quarter of the live ones; then saving the index numbers the live claims again."""

    def __init__(self) -> None:
        self.ids: list[str | None] = []  # by slot; None where a claim was taken out
        self.docs: list[str] = []
        self.claimants: list[str] = []
        self.polarities: list[Polarity] = []
        self.vocab: list[str] = []  # word number -> word
        self.number: dict[str, int] = {}  # word -> word number
        self.words: array[int] = _slots()
        self.starts: array[int] = array("q", [0])
        self.by_doc: dict[str, list[int]] = defaultdict(list)
        self.postings: dict[int, array[int]] = defaultdict(_slots)  # word number -> slots of the claims holding it
        self.agree: dict[int, set[int]] = defaultdict(set)
        self.contrast: dict[int, set[int]] = defaultdict(set)
        self.dead = 0

    def _bag(self, s: int) -> array[int]:
        return self.words[self.starts[s] : self.starts[s + 1]]

    def _numbered(self, text: str) -> list[int]:
        number, out = self.number, []
        for w in sorted(words(text)):
            n = number.get(w)
            if n is None:
                n = number[w] = len(self.vocab)
                self.vocab.append(w)
            out.append(n)
        return out

    def update(self, removed_docs: Iterable[str], added: Sequence[Claim]) -> set[tuple[str, str]]:
        """Takes out the claims of ``removed_docs``, puts in ``added`` and relates them; returns
        the claims kept from before whose relations changed, as (document, claim id)."""
        before: dict[int, tuple[frozenset[tuple[str, str | None]], ...]] = {}

        def touch(s: int) -> None:
            if s not in before:
                before[s] = self._relations(s)

        gone = [s for doc in removed_docs for s in self.by_doc.pop(doc, ())]
        new_bags = [self._numbered(c.text) for c in added]
        counts = {w: len(self.postings.get(w, ())) for bag in [*map(self._bag, gone), *new_bags] for w in bag}
        for s in gone:
            for p in self._partners(s):
                touch(p)
            self._unlink(s)
            for w in self._bag(s):
                slots = self.postings[w]
                del slots[bisect_left(slots, s)]  # slots are in order; remove() scanned a common word's 200,000
                if not slots:
                    del self.postings[w]
            self.ids[s] = None
            self.dead += 1
        first = len(self.ids)
        for claim, bag in zip(added, new_bags, strict=True):
            s = len(self.ids)
            self.ids.append(claim.id)
            self.docs.append(claim.doc_id)
            self.claimants.append(claim.claimant)
            self.polarities.append(claim.polarity)
            self.words.extend(bag)
            self.starts.append(len(self.words))
            self.by_doc[claim.doc_id].append(s)
            for w in bag:
                self.postings[w].append(s)
        # A word that crossed the cap starts or stops pairing every claim that holds it.
        crossed = [w for w, n in counts.items() if (n <= _MAX_SHARED) != (len(self.postings.get(w, ())) <= _MAX_SHARED)]
        again = sorted({s for w in crossed for s in self.postings.get(w, ()) if s < first})
        for s in again:
            touch(s)
            for p in self._partners(s):
                touch(p)
            self._unlink(s)
        for i, j, relation in self._pairs(again, first):
            touch(i)
            touch(j)
            table = self.agree if relation == "agree" else self.contrast
            table[i].add(j)
            table[j].add(i)
        return {
            (self.docs[s], self.ids[s])  # type: ignore[misc]
            for s, old in before.items()
            if s < first and self.ids[s] is not None and old != self._relations(s)
        }

    def __getstate__(self) -> dict[str, object]:
        if self.dead * 4 > len(self.ids) - self.dead:
            self._renumber()
        return {
            # Claim ids are never empty: "" marks a dead slot.
            "ids": "\0".join(claim_id or "" for claim_id in self.ids),
            "docs": self.docs,
            "claimants": self.claimants,
            "polarities": bytes(_POLARITY_NUMBER[p] for p in self.polarities),
            "vocab": "\0".join(self.vocab),
            "words": self.words,
            "starts": self.starts,
            "by_doc": _flat(self.by_doc),
            "postings": _flat(self.postings),
            "agree": {s: sorted(ps) for s, ps in self.agree.items()},
            "contrast": {s: sorted(ps) for s, ps in self.contrast.items()},
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]
        ids = state["ids"].split("\0") if state["docs"] else []
        self.ids = [claim_id or None for claim_id in ids]
        self.dead = self.ids.count(None)
        self.docs, self.claimants = state["docs"], state["claimants"]
        self.polarities = [_POLARITY_ORDER[i] for i in state["polarities"]]
        self.vocab = [sys.intern(w) for w in state["vocab"].split("\0")] if state["vocab"] else []
        self.number = {w: n for n, w in enumerate(self.vocab)}
        self.words, self.starts = state["words"], state["starts"]
        self.by_doc.update((doc, slots.tolist()) for doc, slots in _unflat(state["by_doc"]))
        self.postings.update(_unflat(state["postings"]))
        for name in ("agree", "contrast"):
            table = getattr(self, name)
            for s, partners in state[name].items():
                table[s] = set(partners)

    def _renumber(self) -> None:
        """Lets the dead slots go: the live claims numbered again in their order."""
        live = [s for s, claim_id in enumerate(self.ids) if claim_id is not None]
        number = {s: n for n, s in enumerate(live)}
        words, starts = _slots(), array("q", [0])
        for s in live:
            words.extend(self._bag(s))
            starts.append(len(words))
        self.words, self.starts = words, starts
        self.ids = [self.ids[s] for s in live]
        self.docs = [self.docs[s] for s in live]
        self.claimants = [self.claimants[s] for s in live]
        self.polarities = [self.polarities[s] for s in live]
        self.by_doc = defaultdict(list, {doc: [number[s] for s in slots] for doc, slots in self.by_doc.items()})
        postings, self.postings = self.postings, defaultdict(_slots)
        for w, slots in postings.items():
            self.postings[w] = array("i", (number[s] for s in slots))
        for name in ("agree", "contrast"):
            table = getattr(self, name)
            setattr(self, name, defaultdict(set, {number[s]: {number[p] for p in ps} for s, ps in table.items()}))
        self.dead = 0

    def related(self, claims: Sequence[Claim]) -> list[Claim]:
        """``claims`` (all in the index) with their relations."""
        slot = {(self.docs[s], self.ids[s]): s for doc in {c.doc_id for c in claims} for s in self.by_doc[doc]}
        out = []
        for c in claims:
            s = slot[(c.doc_id, c.id)]
            agree, contrast = self.agree.get(s), self.contrast.get(s)
            if agree or contrast:
                out.append(replace(c, agrees_with=self._names(agree), contrasts_with=self._names(contrast)))
            else:
                out.append(c)  # most claims relate to none: no copy
        return out

    def _names(self, slots: set[int] | None) -> tuple[str, ...]:
        return tuple(sorted(self.ids[s] for s in slots or ()))  # type: ignore[misc]

    def _relations(self, s: int) -> tuple[frozenset[tuple[str, str | None]], ...]:
        # By claim, not by slot: a claim taken out and put back in has a new slot.
        return tuple(frozenset((self.docs[p], self.ids[p]) for p in t.get(s, ())) for t in (self.agree, self.contrast))

    def _partners(self, s: int) -> set[int]:
        return {p for table in (self.agree, self.contrast) for p in table.get(s, ())}

    def _unlink(self, s: int) -> None:
        for table in (self.agree, self.contrast):
            for p in table.pop(s, ()):
                table[p].discard(s)
                if not table[p]:
                    del table[p]

    def _pairs(self, again: Sequence[int], first: int) -> Iterator[tuple[int, int, str]]:
        """The relations of the claims from slot ``first`` on and of those ``again``, with all
        others: each pair once, counted from its earlier claim when both are to relate."""
        postings, claimants, polarities, vocab = self.postings, self.claimants, self.polarities, self.vocab
        opposable = {self.number[w] for w in _ANTONYM if w in self.number}
        redo = set(again)
        todo = [*again, *range(first, len(self.ids))]
        rare = {w for s in todo for w in self._bag(s) if len(postings[w]) <= _MAX_SHARED}
        measures: dict[int, tuple[int, int, int]] = {}

        def measure(s: int) -> tuple[int, int, int]:
            # Its words, those too common to pair on, and those that may drop out of a
            # comparison as one side of an antonym pair.
            if s not in measures:
                bag = self._bag(s)
                common = sum(1 for w in bag if len(postings[w]) > _MAX_SHARED)
                measures[s] = (len(bag), common, sum(1 for w in bag if w in opposable))
            return measures[s]

        def strings(s: int) -> frozenset[str]:
            return frozenset(vocab[w] for w in self._bag(s))

        for i in todo:
            # The claims sharing a rare word with claim i, counted for one i at a time: a table of
            # every pair at once made attribution peak at 50 MB on 1 MB of text, not 20. A bound on
            # the shared words then skips most pairs without comparing them: Jaccard >= t needs at
            # least t * (the larger bag) shared words, where t is 0.3 over the words left once
            # antonyms are set aside when both claims hold one, else the 0.6 or 0.8 that the
            # polarities ask.
            shared = Counter(
                j for w in self._bag(i) if w in rare for j in postings[w] if j > i or (j < first and j not in redo)
            )
            size_i, common_i, opposable_i = measure(i)
            for j, n in shared.items():
                if claimants[i] == claimants[j]:
                    continue
                size_j, common_j, opposable_j = measure(j)
                at_most = n + min(common_i, common_j) + 1e-9  # float slack: never skip a pair on a boundary
                if opposable_i and opposable_j:
                    least = 0.3 * max(size_i - opposable_i, size_j - opposable_j)
                else:
                    least = (0.6 if polarities[i] != polarities[j] else 0.8) * max(size_i, size_j)
                if at_most >= least:
                    relation = _relation(polarities[i], polarities[j], strings(i), strings(j))
                    if relation is not None:
                        yield i, j, relation


def _slots() -> array[int]:
    return array("i")


_K = TypeVar("_K", str, int)


def _flat(table: dict[_K, Any]) -> tuple[list[_K], array[int], array[int]]:
    """A table of slot lists as its keys, their lists' sizes and the lists end to end, in key
    order: arrays pickle as their bytes, where a list pickles each number."""
    keys = sorted(table)
    sizes, flat = array("q"), _slots()
    for key in keys:
        sizes.append(len(table[key]))
        flat.extend(table[key])
    return keys, sizes, flat


def _unflat(state: tuple[list[_K], array[int], array[int]]) -> Iterator[tuple[_K, array[int]]]:
    keys, sizes, flat = state
    at = 0
    for key, size in zip(keys, sizes, strict=True):
        yield key, flat[at : at + size]
        at += size


def _relation(pa: Polarity, pb: Polarity, wa: frozenset[str], wb: frozenset[str]) -> str | None:
    opposed = {(w, o) for w in wa & _ANTONYM.keys() for o in _ANTONYM[w] if o in wb}
    if opposed:
        rest_a = wa - {w for w, _ in opposed}
        rest_b = wb - {o for _, o in opposed}
        if _jaccard(rest_a, rest_b) >= 0.3:
            return "contrast"
    overlap = _jaccard(wa, wb)
    if pa != pb and overlap >= 0.6:
        return "contrast"
    if pa == pb and overlap >= 0.8 and len(wa) >= 3:
        return "agree"
    return None


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    shared = len(a & b)
    union = len(a) + len(b) - shared
    return shared / union if union else 0.0
