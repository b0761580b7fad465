"""``acckg_mentions``: entity mentions from the knowledge base, the NER and a few rules.

Writes ``doc.spans["acckg_mentions"]``: each span's ``label_`` is an
:class:`~kg.model.EntityType` value, ``kb_id_`` the key that groups mentions of one
entity in the document (``kb:<id>`` or ``nf:<normalised form>``), and ``id_`` the rule
that found it. Precedence, highest first: knowledge base, acronym definitions,
in-document short forms, quoted titles, statistical NER.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.kb import KnowledgeBase, form_key, load_kb
from kg.model import EntityType

SPANS_KEY = "acckg_mentions"

NER_TYPES: dict[str, EntityType] = {
    "PERSON": EntityType.PERSON,
    "ORG": EntityType.ORGANIZATION,
    "GPE": EntityType.PLACE,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.PLACE,
    "WORK_OF_ART": EntityType.CREATIVE_WORK,
    "LAW": EntityType.CREATIVE_WORK,
    "PRODUCT": EntityType.PRODUCT,
    "EVENT": EntityType.CONCEPT,
}
"""NER labels that name entities; the rest (dates, numbers, NORP, ...) never do."""

_MEASURE = re.compile(r"^[#~≈]?\d[\d.,]*\s*[a-z%/]{0,6}(/s)?$", re.IGNORECASE)
_SECTION_REF = re.compile(
    r"^(appendix|figure|fig\.?|table|section|sec\.?|chapter|ch\.?|eq\.?|equation|page|p\.|line|part|vol\.?|volume)"
    r"\s+[\w.\-]+$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"1[0-9]{3}|20[0-9]{2}")
_TITLE_FUNCTION_WORDS = frozenset("of from the in and a an to for on at by with is near without".split())
_QUOTES = {"\u201c": "\u201d", '"': '"', "'": "'", "\u2018": "\u2019"}
_READ_MORE = re.compile(r"(?m)^(?:Read more|Read the paper|Read the post|Check out[^:]*):\s*(?P<title>[^\n(]+?)\s*\(")
_GENERIC_FIRST_WORDS = frozenset(
    """the a an university national international american british european royal new general united first
    office council department center centre future machine world white sun communist president open
    institute school college society association federal state ministry board""".split()
)


@dataclass(frozen=True)
class _Candidate:
    span: Span
    key: str
    type: EntityType
    source: str


class MentionFinder:
    """Finds entity mentions in a parsed ``Doc`` (see module docstring)."""

    def __init__(self, nlp: Language, kb: KnowledgeBase) -> None:
        self.kb = kb
        # Acronyms match case-sensitively ("US" is not "us"); every other form ignores case.
        self.forms = {form_key(f) for e in kb.entries for f in e.forms}
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for entry in kb.entries:
            lower_patterns: list[Doc] = []
            exact_patterns: list[Doc] = []
            for form in entry.forms:
                for variant in token_variants(form, entry.type):
                    pattern = nlp.make_doc(variant)
                    (exact_patterns if _is_acronym(form) else lower_patterns).append(pattern)
            if lower_patterns:
                self.lower.add(entry.id, lower_patterns)
            if exact_patterns:
                self.exact.add(entry.id, exact_patterns)

    def __call__(self, doc: Doc) -> Doc:
        candidates = self.find(doc)
        group = [self._as_span(c) for c in candidates]
        doc.spans[SPANS_KEY] = group
        return doc

    def find(self, doc: Doc) -> list[_Candidate]:
        # Titles go first: "A Brief History of Accelerationism" is one work, not a concept inside it.
        chosen = _add_layer([], list(self._titles(doc)))
        chosen = _add_layer(chosen, list(self._kb_matches(doc)))
        chosen = _add_layer(chosen, list(self._acronyms(doc, chosen)))
        chosen = _add_layer(chosen, list(self._ner(doc)))
        chosen = _add_layer(chosen, list(self._short_forms(doc, chosen)), replace_same_text=True)
        chosen = _add_layer(chosen, list(self._acronym_repeats(doc, chosen)), replace_same_text=True)
        return sorted(chosen, key=lambda c: (c.span.start, c.span.end))

    @staticmethod
    def _as_span(c: _Candidate) -> Span:
        return Span(c.span.doc, c.span.start, c.span.end, label=c.type.value, kb_id=c.key, span_id=c.source)

    def _kb_matches(self, doc: Doc) -> Iterator[_Candidate]:
        strings = doc.vocab.strings
        for match_id, start, end in [*self.lower(doc), *self.exact(doc)]:
            entry = self.kb.get(strings[match_id])
            if entry is not None:
                yield _Candidate(doc[start:end], f"kb:{entry.id}", entry.type, "kb")

    def _ner(self, doc: Doc) -> Iterator[_Candidate]:
        # A one-word "name" the same text also uses as a lower-case word ("Compute scale:" next
        # to "centralized compute") is a capitalised common word, not a name.
        lower_words = {t.text for t in doc if t.is_lower}
        for ent in doc.ents:
            entity_type = NER_TYPES.get(ent.label_)
            if entity_type is None:
                continue
            span = clean_span(ent)
            if span is not None and len(span) == 1 and span.text.lower() in lower_words:
                continue
            if span is not None and not is_junk(span):
                yield _Candidate(span, surface_key(span.text), entity_type, "ner")

    def _titles(self, doc: Doc) -> Iterator[_Candidate]:
        """Quoted title-case phrases and 'Read more: Title (venue)' lines name creative works."""
        for match in _READ_MORE.finditer(doc.text):
            span = doc.char_span(match.start("title"), match.end("title"), alignment_mode="contract")
            if span is not None and len(span) > 0:
                yield _Candidate(span, surface_key(span.text), EntityType.CREATIVE_WORK, "title")
        for sent in doc.sents:
            for start, end in _quoted(sent):
                inner = doc[start:end]
                words = [t for t in inner if t.is_alpha]
                if form_key(inner.text) in self.forms:
                    continue
                title_case = sum(t.is_title or t.is_upper for t in words) >= 0.6 * len(words)
                has_verb = any(t.pos_ in {"VERB", "AUX"} and t.is_lower for t in inner)
                if 2 <= len(words) <= 12 and title_case and not has_verb:
                    yield _Candidate(inner, surface_key(inner.text), EntityType.CREATIVE_WORK, "title")
        for tok in doc:
            dated = tok.text == "(" and tok.i + 2 < len(doc) and doc[tok.i + 2].text == ")"
            if dated and _YEAR.fullmatch(doc[tok.i + 1].text):
                title = _dated_title(doc, tok.i)
                if title is not None and form_key(title.text) not in self.forms:
                    yield _Candidate(title, surface_key(title.text), EntityType.CREATIVE_WORK, "title")

    def _acronyms(self, doc: Doc, known: list[_Candidate]) -> Iterator[_Candidate]:
        """'Distributed Training Over-the-Internet (DisTrO)': both forms name one entity."""
        for tok in doc:
            if not (tok.text == "(" and tok.i + 2 < len(doc) and doc[tok.i + 2].text == ")"):
                continue
            acro = doc[tok.i + 1]
            if not _looks_like_acronym(acro.text):
                continue
            long_form = _long_form(doc, tok.i, acro.text)
            if long_form is None:
                continue
            owner = next((c for c in known if c.span.start < long_form.end and long_form.start < c.span.end), None)
            if owner is not None:
                yield _Candidate(doc[acro.i : acro.i + 1], owner.key, owner.type, "acronym")
                continue
            ner_type = next((NER_TYPES.get(e.label_) for e in doc.ents if e.start <= acro.i < e.end), None)
            entity_type = ner_type or EntityType.CONCEPT
            key = surface_key(long_form.text)
            yield _Candidate(long_form, key, entity_type, "acronym")
            yield _Candidate(doc[acro.i : acro.i + 1], key, entity_type, "acronym")

    def _acronym_repeats(self, doc: Doc, chosen: list[_Candidate]) -> Iterator[_Candidate]:
        defined = {c.span.text: c for c in chosen if c.source == "acronym" and len(c.span) == 1}
        for tok in doc:
            c = defined.get(tok.text)
            if c is not None:
                yield _Candidate(doc[tok.i : tok.i + 1], c.key, c.type, "acronym")

    def _short_forms(self, doc: Doc, chosen: list[_Candidate]) -> Iterator[_Candidate]:
        """'Land' after 'Nick Land' in the same document is Nick Land (capitalised only)."""
        owners: dict[str, set[tuple[str, EntityType]]] = {}
        for c in chosen:
            words = [t for t in c.span if t.is_alpha]
            if len(words) < 2:
                continue
            if c.type is EntityType.PERSON:
                # Surname, and first name too ("Hugo noted"): both only while unambiguous here.
                if words[0].text[:1].isupper() and not words[0].is_stop:
                    owners.setdefault(words[0].text, set()).add((c.key, c.type))
                short = words[-1].text
            elif (
                c.type is EntityType.ORGANIZATION
                and words[0].whitespace_
                and words[0].lower_ not in _GENERIC_FIRST_WORDS
            ):
                short = words[0].text
            else:
                continue
            if short[:1].isupper() and not words[-1].is_stop:
                owners.setdefault(short, set()).add((c.key, c.type))
        for tok in doc:
            found = owners.get(tok.text)
            if found and len(found) == 1 and not _sentence_initial_common_word(tok):
                key, entity_type = next(iter(found))
                yield _Candidate(doc[tok.i : tok.i + 1], key, entity_type, "shortform")


def _add_layer(
    chosen: list[_Candidate], layer: list[_Candidate], *, replace_same_text: bool = False
) -> list[_Candidate]:
    """Add ``layer``'s candidates that do not overlap ``chosen`` (longest first within the layer).

    With ``replace_same_text``, a candidate replaces an earlier NER candidate that covers
    exactly the same tokens: the short-form rule knows better than the NER label.
    """
    if replace_same_text:
        exact = {(c.span.start, c.span.end) for c in layer}
        chosen = [c for c in chosen if not (c.source == "ner" and (c.span.start, c.span.end) in exact)]
    taken = [False] * (max((c.span.end for c in chosen + layer), default=0) + 1)
    for c in chosen:
        for i in range(c.span.start, c.span.end):
            taken[i] = True
    spans = filter_spans([c.span for c in layer])
    keep = {(s.start, s.end) for s in spans if not any(taken[i] for i in range(s.start, s.end))}
    added, seen = [], set()
    for c in layer:
        pos = (c.span.start, c.span.end)
        if pos in keep and pos not in seen:
            seen.add(pos)
            added.append(c)
    return chosen + added


def clean_span(span: Span) -> Span | None:
    """Strip leading determiners and punctuation and trailing possessives from an NER span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while end > start and doc[end - 1].text.startswith("#"):
        end -= 1
    return doc[start:end] if end > start else None


def is_junk(span: Span) -> bool:
    """Numbers, measurements, section references, function words and lower-case NER noise."""
    text = span.text.strip()
    if len(text) < 2 or not any(ch.isalpha() for ch in text):
        return True
    if _MEASURE.match(text) or _SECTION_REF.match(text) or any(t.like_num and not t.is_alpha for t in span[:1]):
        return True
    if all(t.is_stop or t.is_punct for t in span):
        return True
    if not any(t.pos_ == "PROPN" or t.is_upper for t in span if t.is_alpha):
        return True  # "Compute scale:" — a capitalised common word at a line start, not a name
    # Names are capitalised; a lower-case NER span from the small model is almost always noise.
    return not any(t.text[:1].isupper() for t in span if t.is_alpha)


def surface_key(text: str) -> str:
    """Mention key of a surface form outside the knowledge base: case, quotes, possessive folded."""
    norm = form_key(text).strip(" \"'.,;:!?()[]{}\u201c\u201d\u2018")
    norm = re.sub(r"'s$", "", norm)
    return "nf:" + re.sub(r"\s*-\s*", "-", norm)


def token_variants(form: str, entity_type: EntityType) -> Iterable[str]:
    forms = {form, form.replace("\u2019", "'"), form.replace("'", "\u2019")}
    if entity_type not in (EntityType.PERSON, EntityType.PLACE):
        # "LLMs", "GPUs": an acronym's plural is a bare "s", still matched case-sensitively.
        forms |= {f + "s" if _is_acronym(f) else _plural(f) for f in list(forms)}
    return sorted(forms)


def _plural(form: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", form):
        return form + "es"
    if re.search(r"[^aeiou]y$", form):
        return form[:-1] + "ies"
    return form + "s"


def _is_acronym(form: str) -> bool:
    letters = [ch for ch in form if ch.isalpha()]
    return bool(letters) and len(letters) <= 6 and all(ch.isupper() for ch in letters)


def _looks_like_acronym(text: str) -> bool:
    return 2 <= len(text) <= 10 and text[0].isupper() and sum(ch.isupper() for ch in text) >= 2 and text.isalnum()


def _long_form(doc: Doc, paren: int, acro: str) -> Span | None:
    """The capitalised words before ``(`` that spell the acronym (Schwartz & Hearst 2003)."""
    letters = [ch.lower() for ch in acro if ch.isalnum()]
    start = paren
    words: list[str] = []
    while start > 0 and len(words) < len(letters) + 2:
        prev = doc[start - 1]
        if prev.is_alpha and prev.text[0].isupper():
            words.insert(0, prev.text)
        elif not (prev.text == "-" or (prev.is_stop and prev.is_lower and prev.text in {"the", "of", "for", "and"})):
            break
        start -= 1
    while start < paren and not (doc[start].is_alpha and doc[start].text[0].isupper()):
        start += 1
    if len(words) < 2:
        return None
    first = _spells(letters, [w.lower() for w in words])
    if first is None:
        return None
    while start < paren and doc[start].text != words[first]:
        start += 1
    return doc[start:paren] if paren - start >= 2 else None


def _dated_title(doc: Doc, paren: int) -> Span | None:
    """'Gulliver's Travels (1726)', 'The Singularity Is Near (2005)': a title-case run before a year."""
    start = paren
    while start > 0:
        prev = doc[start - 1]
        if prev.is_title or (prev.is_upper and prev.is_alpha) or prev.lower_ in _TITLE_FUNCTION_WORDS:
            start -= 1
        elif prev.tag_ == "POS" and start >= 2 and doc[start - 2].is_title and start < paren:
            start -= 1  # "Gulliver's Travels" keeps its possessive ...
        elif prev.text in {"-", ":"} and start >= 2 and doc[start - 2].is_title:
            start -= 1
        else:
            break
    words = doc[start:paren]
    # ... but "Nietzsche's On the Genealogy of Morality" is a work by Nietzsche, and a sentence's
    # first word ("In Difference and Repetition") or a leading "and"/"of" is not part of the title.
    possessive = [
        t.i
        for t in words
        if t.tag_ == "POS"
        and t.i + 1 < paren
        and doc[t.i + 1].is_title
        and doc[t.i + 1].lower_ in _TITLE_FUNCTION_WORDS
    ]
    if possessive:
        start = possessive[-1] + 1
    while start < paren and (
        (doc[start].lower_ in _TITLE_FUNCTION_WORDS and doc[start].is_lower)
        or (doc[start].is_sent_start and doc[start].pos_ == "ADP")
    ):
        start += 1
    span = doc[start:paren]
    if not span or not span[0].is_title or all(t.pos_ == "PROPN" and t.ent_type_ == "PERSON" for t in span):
        return None
    return span


def _spells(letters: list[str], words: list[str]) -> int | None:
    """Index of the word where the acronym starts, matching its letters right to left.

    Each letter must occur in order; the first one must begin a word. Returns ``None``
    when the words do not spell the acronym.
    """
    text = " ".join(words)
    pos = len(text) - 1
    for n, letter in enumerate(reversed(letters)):
        is_first = n == len(letters) - 1
        while pos >= 0 and (text[pos] != letter or (is_first and pos > 0 and text[pos - 1] != " ")):
            pos -= 1
        if pos < 0:
            return None
        pos -= 1
    return text[: pos + 1].count(" ") if pos >= 0 else 0


def _quoted(sent: Span) -> Iterator[tuple[int, int]]:
    doc = sent.doc
    i = sent.start
    while i < sent.end:
        close = _QUOTES.get(doc[i].text)
        if close is not None:
            j = next((k for k in range(i + 1, sent.end) if doc[k].text == close), None)
            if j is not None:
                if j > i + 1:
                    yield i + 1, j
                i = j
        i += 1


def _sentence_initial_common_word(tok: Token) -> bool:
    return bool(tok.is_sent_start) and tok.pos_ != "PROPN"


@Language.factory(
    "acckg_mentions",
    default_config={"kb_paths": [], "include_default_kb": True},
    requires=["doc.ents", "token.pos"],
)
def make_mentions(nlp: Language, name: str, kb_paths: list[str], include_default_kb: bool) -> MentionFinder:
    return MentionFinder(nlp, load_kb(kb_paths, include_default=include_default_kb))
