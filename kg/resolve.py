"""Entity resolution: mentions from all documents -> one :class:`~kg.model.Entity` per real-world thing.

Within a document the NLP stage already grouped mentions under a key (short forms and
acronyms carry the key of their full name). Across documents, knowledge-base keys are
global, and other keys merge only when their normalised surface forms are equal, so a
bare "Land" in one text never joins "Nick Land" of another without evidence.

An entity is decided by the corpus's votes on its key (:class:`Tally`): sums over the
documents, so that a rebuild subtracts the documents that changed and adds them back
(:mod:`kg.incremental`) where a build counts every document once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from kg.ingest import slugify
from kg.kb import (
    KBEntry,
    KnowledgeBase,
    american_spelling,
    british_spelling,
    form_key,
    known_spelling,
    spelling_key,
)
from kg.model import DocAnalysis, Entity, EntityType, ResolvedMention, SourceDoc

_T = TypeVar("_T")
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


# A key's counts: a dictionary while a build adds to them, a tuple of pairs once kept (a tenth of
# the keys of a large corpus change between two builds, and a tuple costs half the memory).
Counts = dict[_T, int] | tuple[tuple[_T, int], ...]


@dataclass
class Tally:
    """The corpus's votes on each global key: surface forms, types and the rules that found them.
    Plain dictionaries and tuples of counts: a rebuild reads them back from the previous build's
    state."""

    surfaces: dict[str, Counts[str]] = field(default_factory=dict)
    full_forms: dict[str, Counts[str]] = field(default_factory=dict)
    types: dict[str, Counts[EntityType]] = field(default_factory=dict)
    sources: dict[str, Counts[str]] = field(default_factory=dict)
    authors: dict[str, str] = field(default_factory=dict)  # doc id -> its author's key
    authored: dict[str, Counts[tuple[str, EntityType]]] = field(default_factory=dict)  # key -> its documents'

    def compact(self) -> None:
        """Keeps every key's counts as a tuple, the form they are saved and read back in."""
        _compact(self.surfaces)
        _compact(self.full_forms)
        _compact(self.types)
        _compact(self.sources)
        _compact(self.authored)

    def count(self, analysis: DocAnalysis, forms: Mapping[str, KBEntry], sign: int = 1) -> set[str]:
        """Adds (``sign=1``) or takes back (``-1``) one document's votes; returns the keys they touch."""
        touched = set()
        for m in analysis.mentions:
            key = global_key(m.key, forms)
            touched.add(key)
            form = _strip_possessive(m.text)
            _add(self.surfaces, key, form, sign)
            _add(self.types, key, m.type, _TYPE_WEIGHT.get(m.source, 1) * sign)
            _add(self.sources, key, m.source, sign)
            if m.source not in _SHORT_SOURCES:
                _add(self.full_forms, key, form, sign)
        author = _author_key(analysis.doc, forms)
        if author is not None:
            key, author_type = author
            touched.add(key)
            _add(self.authored, key, (analysis.doc.author or "", author_type), sign)
            if sign > 0:
                self.authors[analysis.doc.id] = key
            else:
                self.authors.pop(analysis.doc.id, None)
        if sign < 0:
            for key in touched:
                _drop_zeros(self.surfaces, key)
                _drop_zeros(self.full_forms, key)
                _drop_zeros(self.types, key)
                _drop_zeros(self.sources, key)
                _drop_zeros(self.authored, key)
        return touched

    def keys(self) -> set[str]:
        return self.surfaces.keys() | self.authored.keys()

    def _forms(self, key: str) -> tuple[dict[str, int], dict[EntityType, int]]:
        forms, votes = _counts(self.surfaces, key), _counts(self.types, key)
        # A document's author counts as a name and a type without counting as a mention.
        for name, author_type in _counts(self.authored, key):
            forms.setdefault(name, 0)
            votes.setdefault(author_type, 0)
        return forms, votes

    def label(self, key: str, kb: KnowledgeBase) -> str:
        return self.decide(key, kb)[0]

    def decide(self, key: str, kb: KnowledgeBase) -> tuple[str, EntityType]:
        """The label and type of ``key``'s entity, from one read of its counts."""
        entry = _entry(key, kb)
        forms, votes = self._forms(key)
        entity_type = _type(entry, votes)
        return self._label(key, entry, forms, entity_type), entity_type

    def entity(self, key: str, entity_id: str, kb: KnowledgeBase) -> Entity:
        entry = _entry(key, kb)
        forms, votes = self._forms(key)  # once: every entity of a build is made here
        entity_type = _type(entry, votes)
        label = self._label(key, entry, forms, entity_type)
        return Entity(
            id=entity_id,
            label=label,
            type=entity_type,
            alt_labels=tuple(sorted({f for f in forms if f and f != label})),
            mention_count=sum(forms.values()),
            kb_id=entry.id if entry else None,
            description=entry.description if entry else None,
            broader=entry.broader if entry else (),
            related=entry.related if entry else (),
        )

    def _label(self, key: str, entry: KBEntry | None, forms: dict[str, int], entity_type: EntityType) -> str:
        if entry is not None:
            return entry.label
        if (
            set(_counts(self.sources, key)) == {"concept"}
            or all(f.islower() and f != key[3:] for f in forms)
            # A concept the text writes in lower case somewhere: its capitals elsewhere are a
            # sentence's or a heading's ("Critical posthumanism", "CRITICAL POSTHUMANISM").
            or (entity_type is EntityType.CONCEPT and any(map(str.islower, forms)) and all(map(_cased_as_prose, forms)))
        ):
            # The normalised phrase: lower case, singular head ("psychologies" -> "psychology"),
            # with the hyphens the key leaves out and its acronyms ("inter-GPU communication requirements").
            return _phrase_label(key[3:], _pick_label(forms))
        return _pick_label(_counts(self.full_forms, key) or forms)


def _type(entry: KBEntry | None, votes: dict[EntityType, int]) -> EntityType:
    # The knowledge base knows the type; otherwise the weighted majority of the mentions decides.
    if entry is not None:
        return entry.type
    return min(votes, key=lambda t: (-votes[t], _TYPE_ORDER.index(t)))


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
    forms = kb.by_spelling
    tally = Tally()
    for analysis in analyses:
        tally.count(analysis, forms)
    keys = tally.keys()
    ids = assign_ids({key: slugify(tally.label(key, kb)) for key in keys}, kb)
    return settle(tally, ids, analyses, keys, kb, forms)


def assign_ids(slugs: Mapping[str, str], kb: KnowledgeBase) -> dict[str, str]:
    """Each key's entity id: its entry's, or its label's slug made unique in the order of the keys."""
    used: set[str] = {e.id for e in kb.entries}
    ids = {}
    for key in sorted(slugs):
        entry = _entry(key, kb)
        ids[key] = entry.id if entry else _unique(slugs[key], used)
    return ids


def settle(
    tally: Tally,
    ids: Mapping[str, str],
    analyses: Sequence[DocAnalysis],
    keys: Iterable[str],
    kb: KnowledgeBase,
    forms: Mapping[str, KBEntry],
    made: dict[str, Entity] | None = None,
) -> Resolution:
    """The entities of ``keys`` and of every key ``analyses`` mention, and those analyses' mentions;
    ``made`` keeps the entities made so far by key, to make each once over many calls."""
    doc_keys = {k: ids[global_key(k, forms)] for a in analyses for k in {m.key for m in a.mentions}}
    wanted = {global_key(k, forms) for k in doc_keys} | set(keys)
    made = {} if made is None else made
    for key in wanted:
        if key not in made:  # not `wanted - made.keys()`: that copies every key made so far
            made[key] = tally.entity(key, ids[key], kb)
    return Resolution(
        entities=tuple(sorted((made[key] for key in wanted), key=lambda e: e.id)),
        mentions=tuple(
            ResolvedMention(a.doc.id, m.span, m.text, doc_keys[m.key]) for a in analyses for m in a.mentions
        ),
        key_to_entity=doc_keys,
        authors={a.doc.id: ids[tally.authors[a.doc.id]] for a in analyses if a.doc.id in tally.authors},
    )


def _add(table: dict[str, Counts[_T]], key: str, item: _T, n: int) -> None:
    counts = table.get(key)
    if counts is None:
        table[key] = {item: n}
        return
    if isinstance(counts, tuple):
        counts = table[key] = dict(counts)
    counts[item] = counts.get(item, 0) + n


def _compact(table: dict[str, Counts[_T]]) -> None:
    for key, counts in table.items():
        if isinstance(counts, dict):
            table[key] = tuple(counts.items())


def _counts(table: dict[str, Counts[_T]], key: str) -> dict[_T, int]:
    """A key's counts as a new dictionary (empty when it has none)."""
    return dict(table.get(key, ()))


def _drop_zeros(table: dict[str, Counts[_T]], key: str) -> None:
    counts = {item: n for item, n in _counts(table, key).items() if n > 0}
    if counts:
        table[key] = counts
    else:
        table.pop(key, None)


def global_key(key: str, forms: Mapping[str, KBEntry]) -> str:
    """The key of a document's mention key in the whole corpus: a known spelling's entry, else its
    :func:`~kg.kb.spelling_key`, so "post-modernism" in one text and "postmodernism" in another,
    or "labour" and "labor", are one node."""
    if key.startswith("nf:"):
        entry = known_spelling(forms, key[3:])
        return f"kb:{entry.id}" if entry is not None else f"nf:{spelling_key(key[3:])}"
    return key


def _entry(key: str, kb: KnowledgeBase) -> KBEntry | None:
    return kb.get(key[3:]) if key.startswith("kb:") else None


def _author_key(doc: SourceDoc, forms: Mapping[str, KBEntry]) -> tuple[str, EntityType] | None:
    if not doc.author:
        return None
    name = form_key(doc.author)
    for candidate in (name, re.sub(r"^the ", "", name)):
        entry = known_spelling(forms, candidate)
        if entry is not None:
            return f"kb:{entry.id}", entry.type
    author_type = EntityType.ORGANIZATION if _GROUP_WORDS.search(doc.author) else EntityType.PERSON
    return global_key(f"nf:{name}", forms), author_type


def _pick_label(forms: Mapping[str, int]) -> str:
    """The most frequent surface form; ties go to mixed case over ALL CAPS, then the longer."""
    return min(forms, key=lambda f: (-forms[f], f.isupper(), -len(f), f))


def _cased_as_prose(form: str) -> bool:
    """Lower case but perhaps for the first letter, or all capitals: no capital of a name inside.

    >>> [_cased_as_prose(f) for f in ("Critical posthumanism", "CRITICAL POSTHUMANISM", "Enlightenment humanism")]
    [True, True, True]
    >>> _cased_as_prose("the Dark Enlightenment")
    False
    """
    return form.isupper() or form[1:] == form[1:].lower()


def _phrase_label(spelling: str, form: str) -> str:
    """``spelling``, a :func:`~kg.kb.spelling_key`, with the hyphens and spaces ``form`` has where
    the two agree, and its acronyms in capitals ("large-scale AI training"); ``form`` itself, in
    lower case, where it differs from ``spelling`` in no more than that ("labour-power", not
    "laborpower"). The words are spelt the British way when ``form`` spells them so."""
    bare = form_key(form)
    american = american_spelling(bare)
    if spelling_key(bare) == spelling:
        phrase = bare
    else:
        # The form's hyphens and spaces where its beginning and its end agree with the key; the
        # key's letters between ("theories of value" -> "theory of value").
        head, i, j = _agreeing(american, spelling)
        tail, _, k = _agreeing(american[i:][::-1], spelling[j:][::-1])
        phrase = head + spelling[j : len(spelling) - k] + tail[::-1]
        # Spelt as the text spells it: "labourers" gives "labourer".
        phrase = british_spelling(phrase) if american != bare else phrase
    acronyms = {w.casefold(): w for w in re.findall(r"[^\W_]+", form) if len(w) > 1 and w.isupper()}
    return re.sub(r"[^\W_]+", lambda m: acronyms.get(m[0], m[0]), phrase)


def _agreeing(form: str, spelling: str) -> tuple[str, int, int]:
    """The beginning of ``form`` that spells the beginning of ``spelling`` but for hyphens and
    spaces, and how many characters of each it takes.

    >>> _agreeing("theories of value", "theoryofvalue")
    ('theor', 5, 5)
    """
    i = j = 0
    while i < len(form) and (form[i] in "- " or (j < len(spelling) and form[i] == spelling[j])):
        j += form[i] not in "- "
        i += 1
    return form[:i], i, j


def _strip_possessive(text: str) -> str:
    """The surface form as a label: possessive off, a line break inside ("Charles\r VI") a space."""
    return re.sub(r"['\u2019]s?$", "", " ".join(text.split()))


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate
