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
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from kg.model import Claim, DocAnalysis, EntityType, Membership, Mention, RawClaim, Section
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
_MAX_SHARED = 50
_MEMBER_TYPES = frozenset({EntityType.PERSON, EntityType.ORGANIZATION})
_VOICES = frozenset({EntityType.CREATIVE_WORK, EntityType.CONCEPT})  # works and movements speak too
_SINGULAR = frozenset({"he", "she", "his", "her"})  # words in more claims than this are too common to pair claims on


def attribute(analyses: Sequence[DocAnalysis], resolution: Resolution) -> list[Claim]:
    """Turn every document's raw claims into attributed, related :class:`Claim` values."""
    claims: list[Claim] = []
    for analysis in analyses:
        claims.extend(_doc_claims(analysis, resolution))
    return relate(claims)


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
    bags = [words(c.text) for c in claims]
    index: dict[str, list[int]] = defaultdict(list)
    for i, bag in enumerate(bags):
        for w in bag:
            index[w].append(i)
    rare = {w: ids for w, ids in index.items() if len(ids) <= _MAX_SHARED}
    sizes = [len(bag) for bag in bags]
    common = [sum(1 for w in bag if w not in rare) for bag in bags]
    # Words that may drop out of a comparison as one side of an antonym pair.
    opposable = [sum(1 for w in bag if w in _ANTONYM) for bag in bags]

    def pairs() -> Iterator[tuple[int, int]]:
        # The later claims sharing a rare word with claim i, counted for one i at a time: a
        # table of every pair at once made attribution peak at 50 MB on 1 MB of text, not 20.
        # A bound on the shared words then skips most pairs without comparing them: Jaccard >= t
        # needs at least t * (the larger bag) shared words, where t is 0.3 over the words left
        # once antonyms are set aside when both claims hold one, else the 0.6 or 0.8 that the
        # polarities ask. The order of the pairs does not matter: relations are sorted at the end.
        for i, bag in enumerate(bags):
            shared = Counter(j for w in bag if w in rare for j in rare[w] if j > i)
            a = claims[i]
            for j, n in shared.items():
                b = claims[j]
                if a.claimant == b.claimant:
                    continue
                at_most = n + min(common[i], common[j]) + 1e-9  # float slack: never skip a pair on a boundary
                if opposable[i] and opposable[j]:
                    least = 0.3 * max(sizes[i] - opposable[i], sizes[j] - opposable[j])
                else:
                    least = (0.6 if a.polarity != b.polarity else 0.8) * max(sizes[i], sizes[j])
                if at_most >= least:
                    yield i, j

    agree: dict[int, set[str]] = defaultdict(set)
    contrast: dict[int, set[str]] = defaultdict(set)
    for i, j in pairs():
        a, b = claims[i], claims[j]
        relation = _relation(a, b, bags[i], bags[j])
        if relation == "agree":
            agree[i].add(b.id)
            agree[j].add(a.id)
        elif relation == "contrast":
            contrast[i].add(b.id)
            contrast[j].add(a.id)
    return [
        replace(c, agrees_with=tuple(sorted(agree[i])), contrasts_with=tuple(sorted(contrast[i])))
        if i in agree or i in contrast
        else c  # most claims relate to none: no copy
        for i, c in enumerate(claims)
    ]


def _relation(a: Claim, b: Claim, wa: frozenset[str], wb: frozenset[str]) -> str | None:
    opposed = {(w, o) for w in wa & _ANTONYM.keys() for o in _ANTONYM[w] if o in wb}
    if opposed:
        rest_a = wa - {w for w, _ in opposed}
        rest_b = wb - {o for _, o in opposed}
        if _jaccard(rest_a, rest_b) >= 0.3:
            return "contrast"
    overlap = _jaccard(wa, wb)
    if a.polarity != b.polarity and overlap >= 0.6:
        return "contrast"
    if a.polarity == b.polarity and overlap >= 0.8 and len(wa) >= 3:
        return "agree"
    return None


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    shared = len(a & b)
    union = len(a) + len(b) - shared
    return shared / union if union else 0.0
