"""Entity resolution: mentions from all documents -> one :class:`~kg.model.Entity` per real-world thing.

Within a document the NLP stage already grouped mentions under a key (short forms and
acronyms carry the key of their full name). Across documents, knowledge-base keys are
global, and other keys merge only when their normalised surface forms are equal, so a
bare "Land" in one text never joins "Nick Land" of another without evidence.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from kg.ingest import slugify
from kg.kb import KBEntry, KnowledgeBase, form_key
from kg.model import DocAnalysis, Entity, EntityType, ResolvedMention, SourceDoc

_TYPE_ORDER = list(EntityType)
_SHORT_SOURCES = frozenset({"shortform", "acronym"})
# How much one mention's type counts when the documents disagree: a type the text states
# ("Novamente, a commercial company"; kg.nlp.typecues) or a title's form outweighs the NER's guess.
_TYPE_WEIGHT = {"cue": 3, "title": 2}
_GROUP_WORDS = re.compile(r"\b(contributors|house|office|department|committee|institute|university|team|staff)\b", re.I)


@dataclass(frozen=True)
class Resolution:
    entities: tuple[Entity, ...]
    mentions: tuple[ResolvedMention, ...]
    key_to_entity: dict[str, str]  # mention key -> entity id
    authors: dict[str, str]  # document id -> entity id of its author


def resolve(analyses: Sequence[DocAnalysis], kb: KnowledgeBase) -> Resolution:
    """Merge mentions into entities and give each a stable id.

    Examples
    --------
    >>> from kg.kb import load_kb
    >>> from kg.model import Mention, Span, SourceDoc, DocAnalysis, EntityType
    >>> doc = SourceDoc("d", "d.txt", "Nick Land. Land.", "0", "d")
    >>> ms = (Mention(Span(0, 9), "Nick Land", "kb:nick-land", EntityType.PERSON, "kb"),
    ...       Mention(Span(11, 15), "Land", "kb:nick-land", EntityType.PERSON, "shortform"))
    >>> r = resolve([DocAnalysis(doc, ms, (), ())], load_kb())
    >>> [(e.label, e.mention_count) for e in r.entities if e.mention_count]
    [('Nick Land', 2)]
    """
    # A name outside the knowledge base joins an entry with its spelling, except an entry matched
    # only as written ("enlightenment", a phrase of some text, is not the Enlightenment).
    kb_forms = {form_key(f): e for e in kb.entries if not e.case_sensitive for f in e.forms}
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    types: dict[str, Counter[EntityType]] = defaultdict(Counter)
    sources: dict[str, set[str]] = defaultdict(set)
    full_forms: dict[str, Counter[str]] = defaultdict(Counter)
    for analysis in analyses:
        for m in analysis.mentions:
            key = _global_key(m.key, kb_forms)
            surfaces[key][_strip_possessive(m.text)] += 1
            types[key][m.type] += _TYPE_WEIGHT.get(m.source, 1)
            sources[key].add(m.source)
            if m.source not in _SHORT_SOURCES:
                full_forms[key][_strip_possessive(m.text)] += 1
    authors: dict[str, str] = {}
    for analysis in analyses:
        author = _author_key(analysis.doc, kb_forms)
        if author is not None:
            key, author_type = author
            surfaces[key][analysis.doc.author or ""] += 0
            types[key][author_type] += 0
            authors[analysis.doc.id] = key

    entities: list[Entity] = []
    key_to_entity: dict[str, str] = {}
    used_ids: set[str] = {e.id for e in kb.entries}
    for key in sorted(surfaces):
        entry = kb.get(key[3:]) if key.startswith("kb:") else None
        forms = surfaces[key]
        if entry is not None:
            label = entry.label
        elif sources[key] == {"concept"} or all(f.islower() and f != key[3:] for f in forms):
            label = key[3:]  # the normalised phrase: lower case, singular head ("psychologies" -> "psychology")
        else:
            label = _pick_label(full_forms[key] or forms)
        entity_id = entry.id if entry else _unique(slugify(label), used_ids)
        key_to_entity[key] = entity_id
        entities.append(_entity(entity_id, label, forms, types[key], entry))
    mentions = tuple(
        ResolvedMention(a.doc.id, m.span, m.text, key_to_entity[_global_key(m.key, kb_forms)])
        for a in analyses
        for m in a.mentions
    )
    doc_keys = {k: key_to_entity[_global_key(k, kb_forms)] for a in analyses for k in {m.key for m in a.mentions}}
    return Resolution(
        entities=tuple(sorted(entities, key=lambda e: e.id)),
        mentions=mentions,
        key_to_entity=doc_keys,
        authors={doc: key_to_entity[key] for doc, key in authors.items()},
    )


def _entity(
    entity_id: str, label: str, forms: Counter[str], votes: Counter[EntityType], entry: KBEntry | None
) -> Entity:
    # The knowledge base knows the type; otherwise the weighted majority of the mentions decides.
    entity_type = entry.type if entry is not None else min(votes, key=lambda t: (-votes[t], _TYPE_ORDER.index(t)))
    alt = sorted({f for f in forms if f and f != label})
    return Entity(
        id=entity_id,
        label=label,
        type=entity_type,
        alt_labels=tuple(alt),
        mention_count=sum(forms.values()),
        kb_id=entry.id if entry else None,
        description=entry.description if entry else None,
        broader=entry.broader if entry else (),
        related=entry.related if entry else (),
    )


def _global_key(key: str, kb_forms: dict[str, KBEntry]) -> str:
    if key.startswith("nf:"):
        entry = kb_forms.get(key[3:])
        if entry is not None:
            return f"kb:{entry.id}"
    return key


def _author_key(doc: SourceDoc, kb_forms: dict[str, KBEntry]) -> tuple[str, EntityType] | None:
    if not doc.author:
        return None
    name = form_key(doc.author)
    for candidate in (name, re.sub(r"^the ", "", name)):
        entry = kb_forms.get(candidate)
        if entry is not None:
            return f"kb:{entry.id}", entry.type
    author_type = EntityType.ORGANIZATION if _GROUP_WORDS.search(doc.author) else EntityType.PERSON
    return f"nf:{name}", author_type


def _pick_label(forms: Counter[str]) -> str:
    """The most frequent surface form; ties go to mixed case over ALL CAPS, then the longer."""
    return min(forms, key=lambda f: (-forms[f], f.isupper(), -len(f), f))


def _strip_possessive(text: str) -> str:
    """The surface form as a label: possessive off, a line break inside ("Charles\r VI") a space."""
    return re.sub(r"['\u2019]s?$", "", " ".join(text.split()))


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate
