"""``acckg_mentions``: entity mentions from the knowledge base, the NER and a few rules.

Writes ``doc.spans["acckg_mentions"]``: each span's ``label_`` is an
:class:`~kg.model.EntityType` value, ``kb_id_`` the key that groups mentions of one
entity in the document (``kb:<id>`` or ``nf:<normalised form>``), and ``id_`` the rule
that found it. Precedence, highest first: knowledge base, acronym definitions,
in-document short forms, quoted titles, statistical NER.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.kb import KnowledgeBase, form_key, known_spelling, load_kb
from kg.model import EntityType
from kg.nlp import doccache
from kg.nlp.typecues import (
    CLOSING_QUOTES,
    COMPLEMENT_PREPOSITIONS,
    NAME_PARTICLES,
    NAMING_VERBS,
    PERIODICALS,
    PLACE_LABELS,
    QUOTES,
    agent_type,
    class_noun_type,
    context_type,
    example_class_noun,
    gazetteer_place,
    has_given_name,
    head_noun_type,
    head_word_type,
    honorific_before,
    is_given_name,
    is_honorific,
    is_initials,
    is_title,
    locative_type,
    naming_verb_class,
    ner_person_with_given_name,
    personal_name_shape,
    plain_name,
    software_type,
)

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
_SECTION_WORDS = (
    r"(appendix|figure|fig\.?|table|section|sec\.?|chapter|ch\.?|eq\.?|equation|page|p\.|line|part|vol\.?|volume)"
)
_SECTION_REF = re.compile(rf"^{_SECTION_WORDS}\s+[\w.\-]+$", re.IGNORECASE)
_OFFICES = frozenset(
    """secretary director chairman chairwoman chair administrator commissioner minister ambassador
    representative attorney vice deputy assistant""".split()
)
_NAMELESS = _OFFICES | frozenset(
    """mr mrs ms dr sir dame lord lady president senator governor chancellor professor emperor empress pope tsar
    czar kaiser sultan reverend colonel admiral archbishop""".split()
)  # offices and titles that name nobody alone
_STYLE_CAPITALS = frozenset("nation nations state states federal tribal territorial government administration".split())
_INVARIANT_PLURALS = frozenset(
    ["data", "species", "media", "news", "series", "physics", "ethics", "economics", "mathematics", "politics", "means"]
)
_SECTION_WORD = re.compile(rf"^{_SECTION_WORDS}$", re.IGNORECASE)
# "Sec. 2. ", "Section 1. " at a line's start, but not "Section 230 of the Act ...".
_NUMBERED_HEADING = re.compile(r"[ \t]*(?:sec(?:tion)?\.?|article|art\.|§)\s*\d+[\w.]*\.\s+", re.IGNORECASE)
_HEADING_END = re.compile(r"\.(?:\s|$)|\n")
_INITIAL = re.compile(r"[a-z]\.?")
_CLOCK = re.compile(r"\d{1,2}(?:[:.]\d{2})?")
_CLOCK_WORDS = frozenset("a.m. p.m. am pm noon midnight est edt cst cdt mst mdt pst pdt gmt utc bst cet cest".split())
# Months that name nothing else ("May", "June", "August" and "March" are names or words too).
_MONTHS = frozenset("january february september october november december".split())
_YEAR = re.compile(r"1[0-9]{3}|20[0-9]{2}")
_DECADE = re.compile(r"1[0-9]{2}0s|20[0-9]0s")
_DOCUMENT_SINGULAR = {"Orders": "Order", "Memoranda": "Memorandum", "Proclamations": "Proclamation",
                      "Directives": "Directive", "Laws": "Law", "Resolutions": "Resolution"}  # fmt: skip
_NUMBER = r"(?:[A-Z]{1,3}-)?\d[\d/-]*\d"
_DOCUMENT_NUMBER = re.compile(_NUMBER)
_NUMBERED_DOCUMENT = re.compile(
    rf"\b(?P<word>Orders?|Memorand(?:um|a)|Proclamations?|Directives?|Laws?|Resolutions?)\s+(?:No\.\s*)?"
    rf"(?P<number>{_NUMBER})\b(?P<more>(?:(?:,|,? and)\s+{_NUMBER}\b)*)"
)
_TITLE_FUNCTION_WORDS = frozenset(
    "of from the in and a an to for on at by with is near without into about beyond".split()
)
_TYPE_ORDER = list(EntityType)
_TITLE_VERBS = frozenset({"titled", "entitled"})
_DOMAIN = re.compile(r"[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*\.(?:com|net|org|io|ai|edu|gov|info)")
_MODEL = re.compile(r"(?=.*[A-Za-z])(?=.*\d)[A-Za-z\d]{3,}")
_DOCTRINE = re.compile(r"[a-z]{3,}isms?")
# Fields of study and technology ("epistemology", "nanotechnology", "cryonics", "robotics"): like
# doctrines, the ideas of the debate a text may name only once.
_FIELD = re.compile(r"[a-z]{3,}(?:olog(?:y|ies)|[^aeiou]ics)")
# Adjectives that name a school of a doctrine rather than qualify it ("secular humanism" is a
# movement of its own; "modern humanism" and "political liberalism" are humanism and liberalism).
_SCHOOL_MODIFIERS = frozenset(
    """social secular liberal radical cultural philosophical religious critical democratic libertarian christian
    marxist anarchist ecological representative direct parliamentary left-wing right-wing""".split()
)
# Beyond those, a relational adjective (one made from a noun: "scientific racism", "human
# exceptionalism", "ontological posthumanism", "classical liberalism") names a school; these of that
# shape only qualify the doctrine or say when or how much of it.
_RELATIONAL_ENDINGS = ("al", "ic", "an", "ary")
_NOT_SCHOOL_MODIFIERS = frozenset(
    """political global total general actual typical atypical usual unusual original initial final central crucial
    fundamental essential normal formal basic specific public potential partial additional occasional personal
    traditional conventional contemporary ordinary extraordinary necessary primary secondary arbitrary
    dramatic drastic fanatical cynical heretical peculiar idiosyncratic naive crude vulgar banal minimal
    marginal perpetual gradual mutual virtual nominal literal superficial special trivial ideal exceptional
    incidental accidental eventual substantial influential controversial problematic systematic ironic
    emotional sentimental irrational aristocratic clean mean""".split()
)
# Words in -ism that name no doctrine, movement or practice (a thing, a remark, a body process),
# and "mechanism", which technical writing uses for a part ("an attention mechanism").
_NOT_DOCTRINES = frozenset(
    """organism microorganism mechanism criticism prism schism truism witticism euphemism aphorism
    metabolism magnetism electromagnetism rheumatism tourism journalism baptism enthusiasm""".split()
)
# Words of that shape that name no field, or none an entity of its own ("technology" alone, a
# text's "critics"; "dynamics" and "mechanics" mostly of something).
_NOT_FIELDS = frozenset(
    """technology technologies ideology ideologies methodology methodologies terminology anthology etymology
    chronology academics critics characteristics dynamics mechanics tactics clinics graphics statistics
    specifics heuristics logistics classics tropics picnics fabrics metrics ethnics""".split()
)
_NOT_ADHERENTS = frozenset(
    """scientist scientists artist artists artistic journalist journalists journalistic specialist specialists
    tourist tourists touristic organist organists economist economists""".split()
)
# A capital after a lower-case letter inside a word ("HighBAR", "DeepMind", "eBay") marks a name.
_CAMEL_CASE = re.compile(r"[A-Za-z]*[a-z][A-Z][A-Za-z]*")
_FIRM_TYPES = frozenset({EntityType.ORGANIZATION, EntityType.PRODUCT})
# What an event's name can end in after a date or a place ("the September 11 attacks").
_EVENT_NOUNS = frozenset(
    """attack attacks riot riots uprising revolution rebellion crisis war massacre bombing bombings strike strikes
    protest protests election elections pandemic disaster scandal affair""".split()
)
_SETTING_LABELS = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME"})
# Labels the NER gives names of people or works for a reason; a person-shaped name keeps them.
_NAMED_TYPES = frozenset({EntityType.PERSON, EntityType.CREATIVE_WORK})
_READ_MORE = re.compile(r"(?m)^(?:Read more|Read the paper|Read the post|Check out[^:]*):\s*(?P<title>[^\n(]+?)\s*\(")
_GENERIC_FIRST_WORDS = frozenset(
    """the a an university national international american british european royal new general united first
    office council department center centre future machine world white communist president open
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
        self.forms = {form_key(f): e.id for e in kb.entries for f in e.forms}  # normalised form -> entry id
        # "marx" -> Marxism: the stems of the knowledge base's one-word doctrines.
        self.doctrines = {
            f.lower()[:-3]: f"kb:{e.id}"
            for e in kb.entries
            if e.type is EntityType.CONCEPT
            for f in e.forms
            if f.lower().endswith("ism") and f.isalpha()
        }
        # Acronyms match case-sensitively ("US" is not "us"), as do the forms of entries marked
        # case_sensitive ("God" is not "a god"); every other form ignores case.
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for entry in kb.entries:
            lower_patterns: list[Doc] = []
            exact_patterns: list[Doc] = []
            for form in entry.forms:
                for variant in token_variants(form, entry.type):
                    pattern = nlp.make_doc(variant)
                    exact = entry.case_sensitive or _is_acronym(form)
                    (exact_patterns if exact else lower_patterns).append(pattern)
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
        chosen = _add_layer([], [*self._titles(doc), *_preposition_titles(doc), *_numbered_documents(doc)])
        kb = list(self._kb_matches(doc))
        ner = list(self._ner(doc))
        # "New Zealand International Film Festival" is a festival, not the country inside its name.
        headed = list(_headed_names(doc))
        relatives = list(self._relatives(kb))
        doctrines = list(_doctrines(doc))
        chosen = _add_layer(
            chosen,
            [
                *_campus_names(doc),
                *_names_around_places(ner, kb),
                *_headed_around_kb(ner + headed, kb),
                *relatives,
                *_models(doc, kb),
                *_sequels(doc, kb),
                *_schools(doc, doctrines, self.forms),
            ],
        )
        chosen = _add_layer(chosen, kb)
        chosen = _add_layer(
            chosen,
            [
                *_after_possessive(ner, kb),
                *_described_names(doc),
                *headed,
                *_titled_names(doc),
                *_websites(doc),
                *_unlabelled_persons(doc),
                *_software_names(doc),
            ],
        )
        chosen = _add_layer(chosen, list(self._acronyms(doc, chosen)))
        chosen = _add_layer(chosen, ner)
        chosen = _add_layer(chosen, list(_defined_short_names(doc, chosen)), replace_same_text=True)
        chosen = _add_layer(chosen, doctrines)
        chosen = _add_layer(chosen, list(_adherents(doc, chosen, self.doctrines)), replace_same_text=True)
        chosen = _add_layer(chosen, list(_works_of_authors(chosen)), replace_same_text=True)
        chosen = self._spelled_as_known(_add_layer(chosen, list(_conjuncts(doc, chosen))))
        chosen = _add_layer(chosen, list(self._short_forms(doc, chosen)), replace_same_text=True)
        chosen = _add_layer(chosen, list(self._acronym_repeats(doc, chosen)), replace_same_text=True)
        chosen = _add_layer(chosen, list(_repeats(doc, chosen)))
        merged = _merge_articles(_merge_plurals(_aliases(_shorter_forms(_one_name_per_acronym(chosen)))))
        merged = _merge_initials(_merge_spellings(merged))
        return sorted(_retype(merged), key=lambda c: (c.span.start, c.span.end))

    def _spelled_as_known(self, chosen: list[_Candidate]) -> list[_Candidate]:
        """A name the matcher could not see as a known form ("J.\u00a0G. Ballard" with a no-break
        space, a line break inside a name) is that entry already here, as resolution would make it,
        so that its surname ("Ballard") is a short form of one name, not of two."""
        known = self.kb.by_spelling
        return [
            _Candidate(c.span, f"kb:{entry.id}", entry.type, c.source)
            if c.key.startswith("nf:") and (entry := known_spelling(known, c.key[3:])) is not None
            else c
            for c in chosen
        ]

    @staticmethod
    def _as_span(c: _Candidate) -> Span:
        return Span(c.span.doc, c.span.start, c.span.end, label=c.type.value, kb_id=c.key, span_id=c.source)

    def _kb_matches(self, doc: Doc) -> Iterator[_Candidate]:
        strings = doc.vocab.strings
        matches = [*self.lower(doc), *self.exact(doc)]
        # "the Singularity University": a lower-case article is no part of a name that goes on
        # past the match it begins ("The Singularity").
        ends: dict[int, int] = defaultdict(int)
        for _, start, end in matches:
            ends[start] = max(ends[start], end)
        for match_id, start, end in matches:
            if doc[start].lower_ == "the" and doc[start].is_lower and ends[start + 1] > end:
                continue
            entry = self.kb.get(strings[match_id])
            if entry is not None and not _glued_to_name(doc, start, end):
                yield _Candidate(doc[start:end], f"kb:{entry.id}", entry.type, "kb")

    def _relatives(self, kb: list[_Candidate]) -> Iterator[_Candidate]:
        """'his son, Ethan Kurzweil', 'Sonya Rosenwald Kurzweil': given names the knowledge base
        does not give a known person, before that person's surname, name another person of the
        family. One key per given name and surname, so 'Sonya Kurzweil' is 'Sonya Rosenwald Kurzweil'."""
        for c in kb:
            entry = self.kb.get(c.key[3:])
            if entry is None or entry.type is not EntityType.PERSON or len(c.span) != 1:
                continue
            doc, start = c.span.doc, c.span.start
            while start > c.span.start - 2 and start > 0 and _name_word(doc[start - 1]):
                start -= 1
            known = {w.lower() for form in entry.forms for w in re.split(r"[\s\-]+", form)}  # "Jean-Paul"
            given = doc[start : c.span.start]
            if not given or any(t.lower_ in known for t in given) or not _has_given_shape(given[0]):
                continue
            span = doc[start : c.span.end]
            yield _Candidate(span, surface_key(f"{given[0].text} {c.span.text}"), EntityType.PERSON, "ner")

    def _ner(self, doc: Doc) -> Iterator[_Candidate]:
        # A one-word "name" the same text also uses as a lower-case word ("Compute scale:" next
        # to "centralized compute") is a capitalised common word, not a name.
        lower_words = doccache.lower_case_words(doc)
        names = {e.text for e in doccache.ents(doc)}
        for ent in doccache.ents(doc):
            entity_type = NER_TYPES.get(ent.label_)
            if entity_type is None:
                continue
            for part in _list_parts(ent):
                span = _slashed_whole(clean_span(part, ent.label_), names)
                if span is None or (len(span) == 1 and span.text.lower() in lower_words) or is_junk(span):
                    continue
                kind = entity_type
                if kind not in _NAMED_TYPES and form_key(span[0].text) not in self.forms and personal_name_shape(span):
                    kind = EntityType.PERSON
                elif part.end < ent.end and doc[part.end].tag_ == "POS":
                    kind = EntityType.PERSON  # "Aldous Huxley's Brave New World": whose the work is
                if kind is EntityType.PERSON and honorific_before(span):
                    span = doc[span.start - 1 : span.end]  # "Lord Lytton", "Mrs. Grundy"
                elif kind is EntityType.PERSON and _given_name_left_out(span):
                    span = doc[span.start - 1 : span.end]  # "Neuroscientist Anders Sandberg": the NER took "Sandberg"
                elif span.start > 0 and _name_article(doc[span.start - 1]):
                    span = doc[span.start - 1 : span.end]  # "to The Press"
                if kind in _FIRM_TYPES and span.start > 0 and _CAMEL_CASE.fullmatch(doc[span.start - 1].text):
                    span = doc[span.start - 1 : span.end]  # "HighBAR Ventures": the NER took "Ventures"
                if ent.label_ == "EVENT" and span.end < len(doc) and doc[span.end].lower_ in _EVENT_NOUNS:
                    span = doc[span.start : span.end + 1]  # "the September 11 attacks": the NER took the date
                yield _Candidate(span, surface_key(span.text), kind, "ner")

    def _titles(self, doc: Doc) -> Iterator[_Candidate]:
        """Quoted title-case phrases and 'Read more: Title (venue)' lines name creative works."""
        for match in _READ_MORE.finditer(doccache.text(doc)):
            span = doc.char_span(match.start("title"), match.end("title"), alignment_mode="contract")
            if span is not None and len(span) > 0:
                yield _Candidate(span, surface_key(span.text), EntityType.CREATIVE_WORK, "title")
        for sent in doccache.sents(doc):
            for start, end in _quoted(sent):
                while end > start and doc[end - 1].is_punct:
                    end -= 1  # '"CAM-Brain."': the full stop belongs to the sentence
                inner = doc[start:end]
                words = [t for t in inner if t.is_alpha]
                if not words or form_key(inner.text) in self.forms:
                    continue
                title_case = sum(t.is_title or t.is_upper for t in words) >= 0.6 * len(words)
                has_verb = any(t.pos_ in {"VERB", "AUX"} and t.is_lower for t in inner)
                # A one-word quoted name needs the text to say what it is ('"Smile", the second episode').
                cue = context_type(inner)
                # '"New Age spiritualism"': a title capitalises its last word; a quoted idea need not.
                idea = words[-1].is_lower and cue is None
                if (
                    (2 <= len(words) <= 12 or cue is not None)
                    and len(words) <= 12
                    and title_case
                    and not (has_verb or idea)
                ):
                    # '"Anti-Trauma Inc."': a firm's legal form makes it no title.
                    firm = _LEGAL_FORM.fullmatch(inner.text) is not None
                    kind = cue or (EntityType.ORGANIZATION if firm else EntityType.CREATIVE_WORK)
                    yield _Candidate(inner, surface_key(inner.text), kind, "title")
        yield from self._introduced_titles(doc)
        yield from self._subtitled_titles(doc)
        for tok in doccache.tokens(doc):
            if tok.text != "(":
                continue
            if tok.i + 2 < len(doc) and doc[tok.i + 2].text == ")" and _YEAR.fullmatch(doc[tok.i + 1].text):
                title = _dated_title(doc, tok.i)
            else:
                title = _cited_title(doc, tok.i)
            if title is not None and not self._known(title):
                yield _Candidate(title, surface_key(title.text), EntityType.CREATIVE_WORK, "title")

    def _subtitled_titles(self, doc: Doc) -> Iterator[_Candidate]:
        """'Danielle: Chronicles of a Superheroine', 'How to Create a Mind: The Secret of Human
        Thought Revealed': title-case words inside a sentence, a colon and a title-case run are a
        work's title and subtitle (a run-in heading starts its line). A title the knowledge base
        knows keeps its entry."""
        for tok in doccache.tokens(doc):
            if tok.text != ":" or tok.i + 1 >= len(doc) or "\n" in tok.whitespace_:
                continue
            subtitle = _title_run(doc, tok.i + 1)
            title = _dated_title(doc, tok.i)
            if subtitle is None or title is None or title.end != tok.i:
                continue
            inner = [t.i for t in title if t.text == ":"]
            if inner:
                # "Fantastic Voyage: Live ... Forever and Transcend: Nine Steps ...": the second
                # title starts after the last 'and'.
                joins = [t.i for t in doc[inner[-1] : title.end] if t.lower_ == "and"]
                if not joins or joins[-1] + 1 >= title.end:
                    continue
                title = doc[joins[-1] + 1 : title.end]
            if _SECTION_REF.match(title.text):
                continue  # "Chapter Fifteen: Machinery and Modern Industry" is a section's heading
            if title[0].is_sent_start or any(t.text == ":" for t in doc[max(0, title.start - 6) : title.start]):
                continue  # a heading; "The Artilect War: Cosmists vs. Terrans: A Bitter ...": one long title
            end = subtitle.end
            if end < len(doc) and doc[end].text == ":":
                # "Fantastic Voyage: Live Long Enough to Live Forever and Transcend: Nine Steps ...":
                # the next title starts after the last 'and'; with no 'and' it is one long title.
                joins = [t.i for t in subtitle if t.lower_ == "and"]
                if not joins:
                    continue
                end = joins[-1]
            if sum(t.is_alpha for t in doc[tok.i + 1 : end]) < 2:
                continue
            span = doc[title.start : end]
            # The title alone names the work elsewhere ("Fantastic Voyage"), unless it is one word
            # that may name something else too ("Danielle", the book's heroine; "Spinoza:
            # Expressionism in Philosophy" is no Spinoza).
            entry = self.forms.get(form_key(span.text)) or self._work(title)
            key = f"kb:{entry}" if entry is not None else surface_key((title if len(title) > 1 else span).text)
            yield _Candidate(span, key, EntityType.CREATIVE_WORK, "title")

    def _work(self, span: Span) -> str | None:
        """The knowledge base's creative work that ``span`` names, if any."""
        entry = self.kb.get(self.forms.get(form_key(span.text), ""))
        return entry.id if entry is not None and entry.type is EntityType.CREATIVE_WORK else None

    def _known(self, title: Span) -> bool:
        """Whether the knowledge base knows the work ``title`` names, with or without its author's
        possessive in front ("Kant's Critique of Pure Reason")."""
        owner = next((t.i for t in title[:4] if t.tag_ == "POS"), None)
        rest = title if owner is None else title.doc[owner + 1 : title.end]
        return form_key(title.text) in self.forms or (len(rest) > 0 and self._work(rest) is not None)

    def _introduced_titles(self, doc: Doc) -> Iterator[_Candidate]:
        """'its sequel, Erewhon Revisited'; 'an anthology ... named Erewhon Calling': a class noun
        or a naming verb introduces a title-case run, typed by the class noun."""
        for tok in doccache.tokens(doc):
            if tok.lower_ in NAMING_VERBS and tok.pos_ == "VERB":
                # "a project entitled Ensembles and Multiplicities": what is titled is a work.
                kind = naming_verb_class(tok) or (EntityType.CREATIVE_WORK if tok.lower_ in _TITLE_VERBS else None)
            elif (
                tok.pos_ == "NOUN"
                and tok.is_lower
                and (tok.lower_ in PERIODICALS or class_noun_type(tok) is EntityType.CREATIVE_WORK)
            ):
                kind = class_noun_type(tok)  # a periodical is an organisation ("the journal Minds and Machines")
            else:
                continue
            start = tok.i + 1 + (tok.i + 1 < len(doc) and doc[tok.i + 1].text == ",")
            title = _title_run(doc, start)
            # "the manifesto, Noboru Kawazoe suggests": a subject after the comma, not a title.
            if title is None or title.root.dep_ in {"nsubj", "nsubjpass"}:
                continue
            if kind is not None and form_key(title.text) not in self.forms:
                yield _Candidate(title, surface_key(title.text), kind, "title")

    def _acronyms(self, doc: Doc, known: list[_Candidate]) -> Iterator[_Candidate]:
        """'Distributed Training Over-the-Internet (DisTrO)': both forms name one entity. So do
        a name and the capitals that spell it right after it, without brackets ("Fabry's Computer
        Systems Research Group CSRG", where the NER took all of it as one name)."""
        for tok in doccache.tokens(doc):
            spelled = _spelled_in_brackets(doc, tok)
            if spelled is not None:
                yield from _spelled_before(*spelled, known)
                continue
            if tok.text == "(":
                acro = _in_brackets(doc, tok.i)
            elif _bare_acronym(tok):
                acro = doc[tok.i : tok.i + 1]
            else:
                continue
            if acro is None:
                continue
            if any(t.whitespace_ for t in acro[:-1]) or not _looks_like_acronym(acro.text.replace("-", "")):
                continue
            long_form = _long_form(doc, tok.i, acro.text.replace("-", ""))
            if tok.text != "(" and (long_form is None or not _initials_spell(long_form, acro.text)):
                continue
            if long_form is None:
                term = _lower_long_form(doc, tok.i, acro.text)
                if term is not None and not any(c.span.start < acro.end and term.start < c.span.end for c in known):
                    key = f"nf:{phrase_key(term)}"
                    yield _Candidate(term, key, EntityType.CONCEPT, "acronym")
                    yield _Candidate(acro, key, EntityType.CONCEPT, "acronym")
                continue
            overlapping = [c for c in known if c.span.start < long_form.end and long_form.start < c.span.end]
            owner = next((c for c in overlapping if 2 * _overlap(c.span, long_form) >= len(long_form)), None)
            if owner is not None:
                yield _Candidate(acro, owner.key, owner.type, "acronym")
                continue
            # "ATR's Human Information Processing Research Laboratories (ATR-HIP)": the lab, not ATR.
            start = max([long_form.start, *(c.span.end for c in overlapping)])
            start += start < long_form.end and doc[start].tag_ == "POS"
            long_form = doc[start : long_form.end]
            if len(long_form) < 2:
                continue
            yield from _named_with_acronym(long_form, acro, typed_at=acro.start)

    def _acronym_repeats(self, doc: Doc, chosen: list[_Candidate]) -> Iterator[_Candidate]:
        defined = {c.span.text: c for c in chosen if c.source == "acronym" and " " not in c.span.text}
        for start, end in _occurrences(doc, {text: c.span[0].text for text, c in defined.items()}):
            c = defined[doc[start:end].text]
            yield _Candidate(doc[start:end], c.key, c.type, "acronym")

    def _short_forms(self, doc: Doc, chosen: list[_Candidate]) -> Iterator[_Candidate]:
        """'Land' after 'Nick Land' in the same document is Nick Land (capitalised only). Where two
        names share the short form ('Julian Huxley' ... 'Aldous Huxley'), it is the nearest one
        before it, as a reader takes it; before either, it is neither. But the text's subject, a
        name of its first two sentences ('Bill Joy'), keeps its short form against a relative
        named once in passing ('to William Joy ... and Ruth Joy'), unless that name is in the same
        sentence or the one before. A text whose first sentences name none of them has as its
        subject the one it names in full more often than any other ('Gordon Brown' twice, his
        brother 'Andrew Brown' once)."""
        owners: dict[str, list[tuple[int, str, EntityType]]] = {}
        lower_words = doccache.lower_case_words(doc)
        nationalities: set[str] = set()
        placed: Counter[str] = Counter()  # a word's tokens in names of places and peoples, less in persons'
        alone: Counter[tuple[str, bool]] = Counter()  # one-word names: (text, a place or people?)
        persons_alone: set[str] = set()
        titled: set[str] = set()  # names of a title and a surname only ("Mrs. Morcom")
        for e in doccache.ents(doc):
            label = e.label_
            where = label in PLACE_LABELS or label == "NORP"
            if where or label == "PERSON":
                texts = [t.text for t in e]
                placed.update({w: 1 if where else -1 for w in texts})
                if label == "NORP":
                    nationalities.update(texts)
                if len(texts) == 1:
                    alone[(texts[0], where)] += 1
                    if label == "PERSON":
                        persons_alone.add(texts[0])
            elif len(e) == 1:
                alone[(e.text, False)] += 1
        for c in chosen:
            # "J. G. Ballard" ... "Ballard": initials stand for given names.
            words = [t for t in c.span if t.is_alpha or (c.type is EntityType.PERSON and is_initials(t))]
            if len(words) == 1 and c.type is EntityType.PERSON and is_honorific(c.span[0]):
                owners.setdefault(words[0].text, []).append((c.span.start, c.key, c.type))  # "Mrs. Grundy"
                titled.add(c.key)
                continue
            if len(words) < 2:
                continue
            if c.type is EntityType.PERSON:
                # Not a name of the NER's persons "Medieval Spain", "American Rapper", "Vodafone Greece":
                # the first word is no given name (nor a title: "Lord Grantham" is a person where the
                # text has "the lord of the manor") but a word of the text or, more often than a
                # person's, a place's or people's, or the last word stands alone as a place, more
                # than once and more often than not.
                first, last = words[0], words[-1].text
                if (
                    not is_given_name(first)
                    and not is_initials(first)
                    and not is_title(first)
                    and (
                        first.lower_ in lower_words
                        or placed[first.text] > 0
                        or alone[(last, True)] > max(1, alone[(last, False)])
                    )
                    # "the American sociologist Read Bain": the text says it is a person
                    and context_type(c.span) is not EntityType.PERSON
                ):
                    continue
                # Surname, and first name too ("Hugo noted") where it is a given name or a person
                # on its own; no title ("First Lady Melania Trump" ... "the First Lady's workshop")
                # nor a show the NER took for a person ("EastEnders Revealed" ... "EastEnders").
                if (
                    first.text[:1].isupper()
                    and not first.is_stop
                    and not is_title(first)
                    and (is_given_name(first) or first.text in persons_alone)
                ):
                    owners.setdefault(first.text, []).append((c.span.start, c.key, c.type))
                short = words[-1].text
            elif (
                c.type is EntityType.ORGANIZATION
                and words[0].whitespace_
                and words[0].lower_ not in _GENERIC_FIRST_WORDS
                and words[0].lower_ not in lower_words  # "Human Information Processing ..." is no "Human"
                # "French Resistance" ... "French philosophy" (a curated "Luddite movement" keeps "Luddite")
                and (c.key.startswith("kb:") or words[0].text not in nationalities)
            ):
                short = words[0].text
            elif c.type is EntityType.CREATIVE_WORK and (head := _title_head(words)) is not None:
                short = head
            else:
                continue
            if short[:1].isupper() and not words[-1].is_stop:
                owners.setdefault(short, []).append((c.span.start, c.key, c.type))
        sents = doccache.sents(doc)
        sent_starts = [sent.start for sent in sents]
        lead_end = sents[1].end if len(sents) > 1 else len(doc)

        def sentence_of(i: int) -> int:
            return bisect_right(sent_starts, i) - 1

        # Where a whole name the repeats rule will find again ends, its last word is no short form
        # ("Hearing Aid", which the NER took for a person's name once, again is no "Aid").
        text = doccache.text(doc)
        repeated: dict[str, set[str]] = defaultdict(set)
        for c in chosen:
            if len(c.span) >= 2 and _repeatable(c, lower_words):
                repeated[c.span[-1].text].add(c.span.text)
        subjects: dict[str, tuple[int, str, EntityType] | None] = {}  # per short form, found once
        for tok in doccache.tokens(doc):
            found = owners.get(tok.text)
            if not found or _sentence_initial_common_word(tok):
                continue
            end = tok.idx + len(tok.text)
            if any(text.startswith(name, end - len(name)) for name in repeated.get(tok.text, ())):
                continue
            # "Christopher Morcom" ... "Mrs. Morcom" ... "Morcom's death": the one the text names in
            # full, not the one it calls only by title and surname.
            found = [o for o in found if o[1] not in titled] or found
            owner: tuple[int, str, EntityType] | None = found[0]
            if len({key for _, key, _ in found}) > 1:
                owner = max((o for o in found if o[0] < tok.i), key=lambda o: o[0], default=None)
                if tok.text not in subjects:
                    subjects[tok.text] = next((o for o in found if o[0] < lead_end), None) or _most_named(found)
                subject = subjects[tok.text]
                if owner is not None and subject is not None and sentence_of(owner[0]) < sentence_of(tok.i) - 1:
                    owner = subject
            if owner is not None and (owner[2] is not EntityType.CREATIVE_WORK or _named_as_work(tok)):
                yield _Candidate(doc[tok.i : tok.i + 1], owner[1], owner[2], "shortform")


def _most_named(found: list[tuple[int, str, EntityType]]) -> tuple[int, str, EntityType] | None:
    """Of the names sharing a short form, the one the text names in full more often than any
    other (its first place), or None on a tie."""
    counts = Counter(key for _, key, _ in found).most_common(2)
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        return None
    return next(o for o in found if o[1] == counts[0][0])


def _title_head(words: list[Token]) -> str | None:
    """'Genealogy' of 'On the Genealogy of Morality', 'Critique' of 'Critique of Pure Reason': the
    noun a title of the form '[On] [the] X of Y' is called by ("the Genealogy")."""
    rest = words[1:] if words[0].lower_ == "on" else words
    rest = rest[1:] if rest and rest[0].lower_ == "the" else rest
    return rest[0].text if len(rest) >= 3 and rest[1].lower_ == "of" and rest[0].text[:1].isupper() else None


def _named_as_work(tok: Token) -> bool:
    """'the Genealogy', 'the Genealogy's topics': the title's head after 'the', not a title again."""
    doc = tok.doc
    return tok.i > 0 and doc[tok.i - 1].lower_ == "the" and (tok.i + 1 == len(doc) or doc[tok.i + 1].lower_ != "of")


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


def _aliases(chosen: list[_Candidate]) -> list[_Candidate]:
    """Two names the text gives as names of one thing are one entity (the knowledge base's, if
    either is in it; two entries stay two): 'He refers to this third party as CYBORGIANS or
    Cyborgs' and 'known as X or Y' (after a naming cue, joined by "or"); 'digimodernism, formerly
    called pseudo-modernism', 'X (also known as Y)', 'X, a.k.a. Y' (after a comma or bracket, an
    alias cue). 'Xerox later known as Scansoft' is left: without the comma the later name may be
    another company's, a subsidiary's."""
    by_start = {c.span.start: c for c in chosen}
    merged: dict[str, str] = {}
    for c in chosen:
        doc, end = c.span.doc, c.span.end
        if end + 1 < len(doc) and doc[end].lower_ == "or":
            cue = doc[c.span.start - 1] if c.span.start > 0 else None
            other = (
                by_start.get(end + 1)
                if cue is not None and (cue.lower_ == "as" or cue.lower_ in NAMING_VERBS)
                else None
            )
        else:
            other = by_start.get(_after_alias_cue(doc, end) or -1)
        if other is None or other.key == c.key or (other.key.startswith("kb:") and c.key.startswith("kb:")):
            continue
        if other.span.end < len(doc) and doc[other.span.end].tag_ == "POS":
            continue  # 'a.k.a. Hank Scorpio's company': the alias is the company, not the man
        keep, drop = (other, c) if other.key.startswith("kb:") else (c, other)
        merged[drop.key] = keep.key
    return _rekeyed(chosen, merged)


_ALIAS_ADVERBS = frozenset({"also", "formerly", "previously", "originally", "sometimes", "often", "commonly"})


def _after_alias_cue(doc: Doc, i: int) -> int | None:
    """Where the name begins after an alias cue at token ``i`` (', formerly called ', ' (also
    known as ', '(called ', ', a.k.a. '), or None. After a comma the cue needs its adverb: a bare
    ', called' or ', named' may describe something named earlier in the sentence."""
    if i >= len(doc) or doc[i].text not in {",", "("}:
        return None
    words = [t.lower_ for t in doc[i + 1 : i + 5]]
    if words[:1] == ["aka"] or words[:2] == ["a.k.a", "."]:
        after = i + 1 + (1 if words[0] == "aka" else 2)
    else:
        skip = 1 if words[:1] and words[0] in _ALIAS_ADVERBS else 0
        if skip == 0 and doc[i].text == ",":
            return None  # 'a film directed by Anthony Waller, called The Singularity Is Near': the film is
        if words[skip : skip + 2] == ["known", "as"]:
            after = i + 1 + skip + 2
        elif words[skip : skip + 1] and words[skip] in NAMING_VERBS - {"titled", "entitled"}:
            after = i + 1 + skip + 1
        else:
            return None
    # 'formerly known as the South Kensington Museum': the name begins after a lower-case "the".
    return after + 1 if after < len(doc) and doc[after].text == "the" else after


def _rekeyed(chosen: list[_Candidate], merged: dict[str, str]) -> list[_Candidate]:
    """``chosen`` with each key in ``merged`` replaced by the key it merges into."""
    if not merged:
        return chosen
    return [_Candidate(c.span, merged.get(c.key, c.key), c.type, c.source) for c in chosen]


def _one_name_per_acronym(chosen: list[_Candidate]) -> list[_Candidate]:
    """'ATR's Human Information Processing Research Laboratories (ATR-HIP)' and later 'the ATR Human
    Information Processing Research Laboratories (ATR-HIP)': long forms of one acronym are one name."""
    ends = {c.span.end: c for c in chosen}
    first: dict[str, str] = {}
    merged: dict[str, str] = {}
    for c in sorted(chosen, key=lambda c: c.span.start):
        doc = c.span.doc
        if c.source != "acronym" or c.span.start == 0 or doc[c.span.start - 1].text != "(":
            continue
        key = first.setdefault(c.span.text, c.key)
        long_form = ends.get(c.span.start - 1)
        for other in {c.key, long_form.key if long_form is not None else key}:
            if other != key and not other.startswith("kb:"):
                merged[other] = key
    return _rekeyed(chosen, merged)


def _shorter_forms(chosen: list[_Candidate]) -> list[_Candidate]:
    """'the National Medal of Technology and Innovation' ... 'the National Medal of Technology';
    'the Frame Breaking Act 1812' ... 'the Frame Breaking Act';
    'the National Inventors Hall of Fame' ... 'the Hall of Fame': a name of two or more words that a
    longer name in the document begins (before its 'and' or a year) or ends (after capitalised words) is a
    shorter form of it, whatever the NER guessed for each. People are left to the short-form rule,
    and other prefixes are other names ('New York', 'New York Times'). A company's name without its
    legal form ('Globex Corp.' ... 'Globex') is the company, even of one word and typed a person's
    by the NER, unless it is already a short form of another name ('Michael Dell' ... 'Dell Inc.'
    ... 'Dell' stays the man)."""
    texts: dict[str, str] = {}
    names: dict[str, str] = {}  # names keyed by their own text, not as a form of another name
    persons: dict[str, str] = {}
    for c in chosen:
        # A knowledge-base name is a longer form too ("On the Economy of Machinery and Manufactures" ...
        # "On the Economy of Machinery"), but only names the text alone found are merged into another.
        if c.type is not EntityType.PERSON and len(c.span) >= 2 and c.key[:3] in {"nf:", "kb:"}:
            texts.setdefault(c.span.text, c.key)
        if c.key.startswith("nf:") and c.key == surface_key(c.span.text):
            names.setdefault(c.span.text, c.key)
        if c.type is EntityType.PERSON and len(c.span) >= 2:
            persons.setdefault(c.span.text, c.key)
    merged: dict[str, str] = {}
    # "Augustus De Morgan" ... "De Morgan", "Gaspard de Prony" ... "de Prony", "Stuart Milner-Barry"
    # ... "Milner-Barry": a surname with its particle, or a double-barrelled one, is the short form of
    # the one person whose name ends with it.
    for surname, person in persons.items():
        particle = surname.split(" ")[0]
        particled = surname.count(" ") == 1 and particle.lower() in NAME_PARTICLES
        if (particled or ("-" in surname and " " not in surname)) and person.startswith("nf:"):
            owners = {k for t, k in persons.items() if t.endswith(" " + surname) and k != person}
            if len(owners) == 1:
                merged.setdefault(person, owners.pop())
    for longer, other in texts.items():
        for shorter in _shorter_texts(longer, endings=other.startswith("nf:")):
            key = texts.get(shorter)
            if key is not None and key != other and key.startswith("nf:"):
                merged.setdefault(key, other)
        bare = _LEGAL_FORM.fullmatch(longer)
        key = names.get(bare[1]) if bare is not None else None
        if key is not None and key != other:
            merged.setdefault(key, other)
    return _rekeyed(chosen, merged)


# A company's legal form after its name: "Globex Corp.", "Initech, Ltd", "Hooli Inc".
_LEGAL_FORM = re.compile(r"(.+?),? (?:Inc|Corp|Ltd|LLC|PLC|plc|GmbH)\.?")


def _shorter_texts(name: str, *, endings: bool = True) -> Iterator[str]:
    """The shorter forms of ``name`` that :func:`_shorter_forms` accepts, of two words or more: its
    beginnings, and with ``endings`` its endings too (a knowledge-base name's are left to its aliases:
    "Action Plan" is no form of "America's AI Action Plan")."""
    words = name.split(" ")
    for k, word in enumerate(words[1:], 1):
        if word == "and":
            yield " ".join(words[:k])
    if _YEAR.fullmatch(words[-1]):
        yield " ".join(words[:-1])
    for k in range(1, len(words) - 1 if endings else 1):
        head = words[k - 1]
        if not (head[:1].isupper() and head.lower() not in _TITLE_FUNCTION_WORDS):
            break
        yield " ".join(words[k:])


def _merge_plurals(chosen: list[_Candidate]) -> list[_Candidate]:
    """'"Cosmists"' and 'a Cosmist' in one text name one thing: a one-word name's plural key
    joins its singular, and an adherent's ("Cosmists", "Spinozist") joins the doctrine the text
    names ("COSMISM"), as :func:`_adherents` keys the adherents it finds."""
    keys = {c.key for c in chosen}
    merged = {}
    for k in keys:
        if not k.startswith("nf:") or " " in k:
            continue
        adherent = re.fullmatch(r"nf:(.+)ists?", k) if k[3:] not in _NOT_ADHERENTS else None
        for target in (k[:-1] if k.endswith("s") else None, f"nf:{adherent[1]}ism" if adherent else None):
            if target in keys:
                merged[k] = target
    return _rekeyed(chosen, merged)


def _merge_spellings(chosen: list[_Candidate]) -> list[_Candidate]:
    """'Velázquez' ... 'Velasquez': two one-word names of seven letters or more, in one text, that
    differ in one letter after the first (accents aside) are one name spelt two ways; the key of
    the spelling used more often (then the first in order) stays. Ideas are left alone: 'humanism'
    and 'humanist' are not misspellings."""
    counts = Counter(
        c.key
        for c in chosen
        if c.key.startswith("nf:") and c.type is not EntityType.CONCEPT and c.span.text[:1].isupper()
    )
    # Only names of one length and first letter can be one letter apart: compared within those groups.
    groups: dict[tuple[int, str], list[str]] = defaultdict(list)
    for k in sorted((k for k in counts if " " not in k and len(k) >= 10), key=lambda k: (-counts[k], k)):
        groups[len(k), k[:4]].append(k)
    merged: dict[str, str] = {}
    for words in groups.values():
        for i, keep in enumerate(words):
            for other in words[i + 1 :]:
                apart = sum(a != b for a, b in zip(keep, other, strict=True))
                if apart == 1 and other not in merged and keep not in merged:
                    merged[other] = keep
    return _rekeyed(chosen, merged)


def _merge_articles(chosen: list[_Candidate]) -> list[_Candidate]:
    """'The Transhumanist Declaration' and 'Transhumanist Declaration' in one text name one thing:
    a name's key with a leading article joins the same name without it."""
    keys = {c.key for c in chosen}
    bare = {k: "nf:" + k.removeprefix("nf:the ") for k in keys if k.startswith("nf:the ")}
    return _rekeyed(chosen, {k: b for k, b in bare.items() if b in keys})


def _merge_initials(chosen: list[_Candidate]) -> list[_Candidate]:
    """'Paul T. Freeman' and 'Paul Freeman', 'Stefan Lorenz Sorgner' and 'Stefan Sorgner' in one
    text are one person: a person's key with middle initials or names joins the same name without
    them (particles stay: 'Ithiel de Sola Pool')."""
    keys = {c.key for c in chosen if c.type is EntityType.PERSON and c.key.startswith("nf:")}
    merged = {}
    for key in keys:
        words = key.removeprefix("nf:").split(" ")
        middle = range(1, len(words) - 1)
        no_initials = [w for i, w in enumerate(words) if not (i in middle and _INITIAL.fullmatch(w))]
        no_middle = [w for i, w in enumerate(words) if i not in middle or w in NAME_PARTICLES]
        for bare in (no_initials, no_middle):
            plain = "nf:" + " ".join(bare)
            if len(bare) >= 2 and plain != key and plain in keys:
                merged[key] = plain
                break
    return _rekeyed(chosen, merged)


def _retype(chosen: list[_Candidate]) -> list[_Candidate]:
    """Give every mention of a name the type its context states anywhere in the document.

    The NER labels each mention on its own; one "Novamente, a commercial company" settles
    what Novamente is for the whole text. The knowledge base's types are never changed.
    """
    votes: dict[str, Counter[EntityType]] = defaultdict(Counter)
    # The title finders typed what they found from its setting already ('"Smile", the second
    # episode'; "Moreau (1896)"): a head word inside a title ("The Island of ...") says nothing.
    cues = {
        id(c): (c.type if c.source in {"kb", "title"} else context_type(c.span) or _shaped_person(c)) for c in chosen
    }
    # What the text says a name is anywhere: "the manga series Akira" types "Akira" in a later list.
    stated: dict[str, Counter[EntityType]] = defaultdict(Counter)
    for c in chosen:
        cue = cues[id(c)]
        if cue is not None:
            stated[c.key][cue] += 1
    at = {i: c for c in chosen for i in range(c.span.start, c.span.end)}
    for c in chosen:
        if c.key.startswith("kb:") or c.source == "shortform":
            continue
        cue = cues[id(c)] or agent_type(c.span, c.type)
        if cue is not None:
            votes[c.key][cue] += 1
        # "the Cosmists and Terrans": names in one coordination are of one kind.
        for tok in c.span.root.conjuncts:
            other = at.get(tok.i)
            linked = any(t.dep_ == "cc" for t in c.span.doc[min(tok.i, c.span.start) : max(tok.i, c.span.end)])
            if other is None or other is c or other.key == c.key or not linked:
                continue
            if stated[other.key]:
                votes[c.key][stated[other.key].most_common(1)[0][0]] += 1
            elif _surname_beside_person(c, other):
                votes[c.key][EntityType.PERSON] += 1
    # "Los Andes University in Bogotá, Colombia, King's College, ...": a place the NER saw, after "in" or
    # after another place, says where a listed name is and is no item of the list.
    place_ends = {c.span.end for c in chosen if c.type is EntityType.PLACE}

    def located(c: _Candidate) -> bool:
        before = c.span.doc[c.span.start - 1] if c.span.start > 0 else None
        after_place = before is not None and before.text == "," and c.span.start - 1 in place_ends
        return c.type is EntityType.PLACE and before is not None and (before.lower_ == "in" or after_place)

    # "Sterling, Gibson, Shiner, Cadigan, Bear": a one-word name the NER alone typed, in a list of
    # names mostly of one other kind by better evidence (the knowledge base, a short form of a full
    # name, a cue), is of that kind; the parse often links no conjuncts in a list without "and".
    # A title-shaped name ("The Archaeology of Knowledge") listed only with works is a work too:
    # the small model calls such titles organisations.
    listed: set[str] = set()  # names whose NER type their list confirms
    for names in _name_lists(chosen):
        guessed = [
            c
            for c in names
            if c.source == "ner"
            and cues[id(c)] is None
            and (len(c.span) == 1 or _title_shaped(c.span))
            and not located(c)
        ]
        known = Counter(cues[id(c)] or c.type for c in names if c not in guessed)
        if not known:
            continue
        kind, n = known.most_common(1)[0]
        only_works = kind is EntityType.CREATIVE_WORK and n == known.total()
        if (n >= 2 and 2 * n > known.total()) or only_works:
            for c in guessed if n >= 2 else [c for c in guessed if _title_shaped(c.span)]:
                if c.type is not kind:
                    votes[c.key][kind] += 1
                else:
                    listed.add(c.key)
    # Where the text states nothing stronger, prepositions of place decide if most mentions have one.
    starts = frozenset(c.span.start for c in chosen if c.type is EntityType.PLACE)
    places = Counter(
        c.key for c in chosen if c.key not in votes and c.source == "ner" and locative_type(c.span, c.type, starts)
    )
    mentions = Counter(c.key for c in chosen if c.key in places)
    for key, n in places.items():
        # A mention the NER guessed a place ("both in Lancashire") backs up one it guessed otherwise.
        if 2 * n >= mentions[key] and any(c.key == key and c.type is not EntityType.PLACE for c in chosen):
            votes[key][EntityType.PLACE] += n
    # Last, the name itself: a city or country the NER labelled otherwise ("taught at various lycées
    # (Amiens, Orléans)", "Madurai, India held celebrations") is a place, unless it is the surname of
    # a person the text names in full ("Charles Darwin ... Darwin") or its list confirms the NER
    # ("Sterling, Gibson, Shiner, Cadigan, Bear": writers, not Bear, Delaware).
    surnames = {c.key.rsplit(" ", 1)[-1] for c in chosen if c.type is EntityType.PERSON and " " in c.key}
    for c in chosen:
        if (
            c.source == "ner"
            and c.key not in votes
            and c.key not in listed
            and c.type is not EntityType.PLACE
            and c.key.removeprefix("nf:") not in surnames
            and gazetteer_place(c.span)
        ):
            votes[c.key][EntityType.PLACE] += 1
    if not votes:
        return chosen
    # A tie goes to the type most of the name's mentions already have ("Greece was the 7th most
    # visited country" against "Greece was the largest foreign investor": the NER's place).
    labelled: dict[str, Counter[EntityType]] = defaultdict(Counter)
    for c in chosen:
        labelled[c.key][c.type] += 1
    decided = {key: min(v, key=lambda t: (-v[t], -labelled[key][t], _TYPE_ORDER.index(t))) for key, v in votes.items()}
    # A mention the text typed is marked, so that resolution can weigh it above a bare NER label.
    return [
        _Candidate(c.span, c.key, decided[c.key], "cue" if c.source == "ner" else c.source) if c.key in decided else c
        for c in chosen
    ]


def _name_lists(chosen: list[_Candidate]) -> Iterator[list[_Candidate]]:
    """Runs of three names or more with a comma, "and", "or" or a slash between each two, and
    at most articles and the common nouns of a name besides ('NFS, the SPARC microprocessors, the
    Java programming language, Jini/JavaSpaces, and JXTA')."""
    run: list[_Candidate] = []
    for c in sorted(chosen, key=lambda c: c.span.start):
        if run:
            between = c.span.doc[run[-1].span.end : c.span.start]
            joined = any(t.text in {",", "/"} or t.lower_ in {"and", "or"} for t in between)
            if not (joined and len(between) <= 4 and all(_in_name_list(t) for t in between)):
                if len(run) >= 3:
                    yield run
                run = []
        run.append(c)
    if len(run) >= 3:
        yield run


def _title_shaped(span: Span) -> bool:
    """Capitalised words joined by a lower-case "of", "and" or "the", as titles of works are."""
    words = [t for t in span if t.is_alpha]
    inner = words[1:-1]
    return (
        len(words) >= 3
        and words[-1].text[:1].isupper()
        and any(t.is_lower and t.lower_ in _TITLE_FUNCTION_WORDS for t in inner)
        and _title_cased(span)
    )


def _title_cased(span: Span) -> bool:
    """Every word capitalised but the function words of a title ("The Future of Human Nature")."""
    return all(t.text[:1].isupper() or t.lower_ in _TITLE_FUNCTION_WORDS for t in span if t.is_alpha)


def _in_name_list(tok: Token) -> bool:
    return (
        tok.text in {",", "/"}
        or tok.lower_ in {"and", "or", "the", "a", "an"}
        or (tok.is_lower and tok.pos_ in {"NOUN", "ADJ"})
    )


def _surname_beside_person(c: _Candidate, other: _Candidate) -> bool:
    """'Resnais and Prigogine, or Godard and Thom': the small model calls a bare surname an
    organisation more often than the reverse, so a person the NER names in the same list wins."""
    return (
        c.source == "ner"
        and c.type is EntityType.ORGANIZATION
        and len(c.span) == 1
        and other.source == "ner"
        and other.type is EntityType.PERSON
    )


def _shaped_person(c: _Candidate) -> EntityType | None:
    """A person's full name ("René Descartes") is evidence for the names listed with it."""
    return EntityType.PERSON if c.type is EntityType.PERSON and personal_name_shape(c.span) else None


def _described_names(doc: Doc) -> Iterator[_Candidate]:
    """Names the text defines, which the NER often misses: a glossary line 'Yram—The daughter of
    ...', a capitalised lead term 'COSMISM is a moral philosophy'. Typed by the definition."""
    for sent in doccache.sents(doc):
        start = sent.start
        while start < sent.end and (doc[start].is_punct or doc[start].is_space):
            start += 1  # list bullets
        end = start
        while end < sent.end and doc[end].is_alpha and (doc[end].is_title or doc[end].is_upper):
            end += 1
        if end == start or end >= sent.end or len(doc[start:end].text) < 3:
            continue
        span = doc[start:end]
        glossary = doc[end].text in {"\u2014", "\u2013"} and all(t.is_title for t in span)
        lead_term = doc[end].lower_ in {"is", "was"} and all(t.is_upper for t in span)
        kind = context_type(span) if glossary or lead_term else None
        if kind is not None:
            yield _Candidate(span, surface_key(span.text), kind, "ner")


def _software_names(doc: Doc) -> Iterator[_Candidate]:
    """'the Unix operating system', 'a Pascal compiler': capitalised words the NER left without a
    label, modifying a noun of software or chips, name a product."""
    tokens = doccache.tokens(doc)
    for tok in tokens:
        if tok.ent_type_ or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            continue
        if tok.i > 0 and doc[tok.i - 1].pos_ == "PROPN" and doc[tok.i - 1].text[:1].isupper():
            continue  # the run starts earlier
        end = tok.i + 1
        while end < len(doc) and end - tok.i < 3 and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
            end += 1
        span = doc[tok.i : end]
        if not any(t.ent_type_ for t in span) and software_type(span) is EntityType.PRODUCT:
            yield _Candidate(span, surface_key(span.text), EntityType.PRODUCT, "ner")


def _unlabelled_persons(doc: Doc) -> Iterator[_Candidate]:
    """'Alain Badiou claims that ...': a common given name and capitalised surname words that the
    NER left without any label (it finds the same name in one sentence and not in another)."""
    tokens = doccache.tokens(doc)
    for tok in tokens:
        if tok.ent_type_ or tok.pos_ != "PROPN" or not has_given_name(tok):
            continue
        if tok.i > tok.sent.start and _name_word(doc[tok.i - 1]):
            continue  # the middle of a longer capitalised run: whose name it is, the run does not say
        end = tok.i + 1
        while end < tok.sent.end and end - tok.i < 5 and not doc[end].ent_type_ and _surname_word(doc[end]):
            end += 1
        while doc[end - 1].lower_ in NAME_PARTICLES:
            end -= 1
        span = doc[tok.i : end]
        if personal_name_shape(span) and not (end < tok.sent.end and _name_word(doc[end])):
            yield _Candidate(span, surface_key(span.text), EntityType.PERSON, "ner")


def _surname_word(tok: Token) -> bool:
    return _name_word(tok) or tok.lower_ in NAME_PARTICLES


def _headed_names(doc: Doc) -> Iterator[_Candidate]:
    """'the Swing Riots of 1830', 'Burton's Mill', 'the Pentrich Rising': capitalised words before a
    capitalised head noun of a class of names, which the NER often misses or cuts, are one name
    typed by the head. A head inside an NER name ("Frame Breaking Act 1812") leaves it to the NER."""
    for tok in doccache.tokens(doc):
        kind = head_noun_type(tok)
        if kind is None or tok.is_sent_start:
            continue
        start = tok.i
        while start > tok.sent.start and (
            (doc[start - 1].is_alpha and doc[start - 1].text[:1].isupper())
            or (
                doc[start - 1].tag_ == "POS"
                and start == tok.i
                and start - 2 >= tok.sent.start
                and doc[start - 2].text[:1].isupper()
            )
        ):
            start -= 1  # capitalised words, and the possessive of "Burton's Mill" (not "ATR's ... Laboratories")
        if _and_joined_first_word(doc, start, tok):
            start -= 2  # "the Victoria and Albert Museum"
        while start < tok.i and (
            doc[start].tag_ == "POS"
            or (doc[start].is_sent_start and doc[start].pos_ != "PROPN")
            or (doc[start].lower_ == "the" and not _name_article(doc[start]))  # "-   The Dickson Prize"
        ):
            start += 1
        # An NER name that ends at the head ("International Film and TV Festival") starts the name.
        ner_start = next(
            (
                e.start
                for e in doccache.ents(doc)
                if e.end == tok.i + 1 and e.label_ in NER_TYPES and not _joins_names(e)
            ),
            start,
        )
        while ner_start < start and (
            not (doc[ner_start].is_alpha and doc[ner_start].text[:1].isupper()) or doc[ner_start].lower_ == "the"
        ):
            ner_start += 1  # "the 1994 Dickson Prize"
        owner = [t.i for t in doc[ner_start:start] if t.tag_ == "POS"]
        ner_start = owner[-1] + 1 if owner else ner_start  # "ATR's Human ... Laboratories" is ATR's lab
        start = min(start, ner_start)
        end = _complement_end(doc, tok.i + 1)
        span = doc[start:end]
        # An NER name that reaches further ("Frame Breaking Act 1812") is the NER's.
        longer = any(
            e.start <= tok.i < e.end
            and (e.end > tok.i + 1 and (e.start < span.start or e.end > span.end))
            and e[-1].lower_ not in _TITLE_FUNCTION_WORDS
            for e in doccache.ents(doc)
            if e.label_ in NER_TYPES
        )
        if len(span) >= 2 and not longer and not personal_name_shape(span) and not ner_person_with_given_name(span):
            yield _Candidate(span, surface_key(span.text), kind, "ner")


def _and_joined_first_word(doc: Doc, start: int, head: Token) -> bool:
    """'the Victoria and Albert Museum': after 'the', one capitalised word and 'and' begin the
    name that ``start`` begins ('at Oxford and Cambridge University' names two)."""
    first = start - 2
    return (
        start < head.i
        and first - 1 >= head.sent.start
        and doc[start - 1].lower_ == "and"
        and doc[first].is_alpha
        and doc[first].is_title
        and doc[first - 1].lower_ == "the"
    )


def _joins_names(ent: Span) -> bool:
    """'Dune and Foundation': an NER span that joins a name the NER finds on its own elsewhere;
    'Church at Princeton University': a name and where it is."""
    joiner = next((t.i for t in ent if t.lower_ in {"and", "&"}), None)
    if joiner is None:
        return len(_name_at_place(ent)) > 1
    left = ent.doc[ent.start : joiner].text
    return any(e.text == left for e in doccache.ents(ent.doc) if e.start != ent.start)


def _complement_end(doc: Doc, i: int) -> int:
    """Where a headed name ends that goes on with a capitalised complement: 'Dickson Prize in
    Science', 'Gold Medal for Science Education', 'Festival of New York' ('and' may join its words:
    'National Medal of Technology and Innovation'). ``i`` is the token after the head. After 'in'
    or 'on' a place or a date is where or when, not part of the name ('Mill in Middleton')."""
    while i + 1 < len(doc) and doc[i].lower_ in COMPLEMENT_PREPOSITIONS and doc[i + 1].is_title:
        end = i + 1
        while end < len(doc) and (
            (doc[end].is_title and doc[end].is_alpha)
            or (doc[end].lower_ in {"and", "&"} and end + 1 < len(doc) and doc[end + 1].is_title)
        ):
            end += 1
        setting = doc[i].lower_ != "of" and any(t.ent_type_ in _SETTING_LABELS for t in doc[i + 1 : end])
        if setting or end == i + 1:
            break
        i = end
    return i


def _titled_names(doc: Doc) -> Iterator[_Candidate]:
    """'the wars of Emperor Napoleon': proper nouns after a title that the NER left untagged are a
    person's name (the title joins the name only if it is an honorific such as "Lord")."""
    for tok in doccache.tokens(doc)[:-1]:
        if not is_title(tok) or doc[tok.i + 1].ent_type_ or is_title(doc[tok.i + 1]):
            continue  # "Mr. President" is a form of address
        end = tok.i + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title and not doc[end].ent_type_:
            end += 1
        if end > tok.i + 1:
            start = tok.i if is_honorific(tok) else tok.i + 1
            span = doc[start:end]
            if not _office(span):  # "Mr. Secretary", as "Mr. President"
                yield _Candidate(span, surface_key(span.text), EntityType.PERSON, "ner")


def _works_of_authors(chosen: list[_Candidate]) -> Iterator[_Candidate]:
    """'George Orwell's Nineteen Eighty-Four': a title-case run after a person's possessive. One
    capitalised word there is a work too ("Isaac Asimov's Foundation"), unless it is a person's
    name ("Deleuze's Spinoza"), a place ("Babbage's Turin talks": the noun after it says what it
    is) or its own first word of a sentence."""
    people = {
        t.text
        for c in chosen
        if c.type is EntityType.PERSON and (c.key.startswith("kb:") or len(c.span) > 1)
        for t in c.span
    }
    for c in chosen:
        doc = c.span.doc
        if c.type is EntityType.PERSON and c.span.end + 1 < len(doc) and doc[c.span.end].tag_ == "POS":
            title = _title_run(doc, c.span.end + 1)
            word = doc[c.span.end + 1]
            if title is None and word.pos_ == "PROPN" and word.is_title and word.text not in people:
                after = doc[word.i + 1] if word.i + 1 < len(doc) else None
                modifies = after is not None and after.is_lower and after.pos_ == "NOUN"
                if not modifies and word.ent_type_ not in PLACE_LABELS:
                    title = doc[word.i : word.i + 1]
            if title is not None:
                yield _Candidate(title, surface_key(title.text), EntityType.CREATIVE_WORK, "title")


def _after_possessive(ner: list[_Candidate], kb: list[_Candidate]) -> Iterator[_Candidate]:
    """The lab that a KB name owns: "ATR's Human Information Processing Research Laboratories"."""
    starts = {c.span.start: c.span.end for c in kb}
    for c in ner:
        end = starts.get(c.span.start)
        if end is not None and end + 1 < c.span.end and c.span.doc[end].tag_ == "POS":
            span = c.span.doc[end + 1 : c.span.end]
            yield _Candidate(span, surface_key(span.text), c.type, "ner")


def _names_around_places(ner: list[_Candidate], kb: list[_Candidate]) -> list[_Candidate]:
    """NER names of organisations, works and events that have a KB place as a modifier inside
    ("University of California"); a place qualified at the end is the place ("Ming China")."""
    places = [c.span for c in kb if c.type is EntityType.PLACE]
    others = [c.span for c in kb if c.type is not EntityType.PLACE]
    return [
        c
        for c in ner
        if c.type not in {EntityType.PLACE, EntityType.PERSON}
        and any(
            c.span.start <= p.start and p.end <= c.span.end and (p.end < c.span.end or _after_of(p)) for p in places
        )
        and not any(o.start < c.span.end and c.span.start < o.end for o in others)
        and all(t.text[:1].isupper() or t.is_stop or not t.is_alpha for t in c.span)
    ]


def _headed_around_kb(names: list[_Candidate], kb: list[_Candidate]) -> list[_Candidate]:
    """'Singularity University', 'Kurzweil Music Systems', 'Association for Computing Machinery',
    'Technology Achievement Award': a capitalised name with a head word of a class of names is one
    name, though a knowledge-base name (a concept, a person) is one of its words. So is a title
    the NER finds around knowledge-base concepts ("The Future of Human Nature")."""
    found = []
    for c in names:
        span = c.span
        inside = [k for k in kb if k.span.start < span.end and span.start < k.span.end]
        if not inside or any(
            _outside(k.span, span) or (k.span.start, k.span.end) == (span.start, span.end) for k in inside
        ):
            continue
        if any(t.tag_ == "POS" for t in span):
            continue  # "ATR's Human Information Processing Research Laboratories": the lab of ATR
        if all(t.is_upper for t in span if t.is_alpha):
            continue  # "THE STRIFE BETWEEN WORKMAN AND MACHINE": a heading in capitals, no name
        capitalised = _title_cased(span)
        # A title has words beside its nouns ("The Future of Human Nature"; not "Maths and Physics").
        worded = any(t.lower_ in _TITLE_FUNCTION_WORDS and t.lower_ != "and" for t in span)
        titled = c.type is EntityType.CREATIVE_WORK and worded and all(k.type is EntityType.CONCEPT for k in inside)
        if capitalised and (titled or head_word_type(span) is not None) and len(span) >= 2:
            found.append(c)
    return found


_CAMPUS_HEADS = frozenset({"university", "college", "institute"})
_DISTRICTS = frozenset({"D.C.", "DC"})


def _campus_names(doc: Doc) -> Iterator[_Candidate]:
    """'University of California, Los Angeles', 'University of Missouri\u2013Kansas City',
    'Washington, D.C.': a university named with its campus after a comma or a dash, or a city
    with its district, is one name, which the NER ends before the comma. A place that goes on into
    a list ("the University of Chicago, London and Paris") is no campus."""
    ents = doccache.ents(doc)
    for a, b in pairwise(ents):
        gap = doc[a.end : b.start].text
        campus = (
            gap in {",", "\u2013", "-"}
            and a.label_ == "ORG"
            and b.label_ == "GPE"
            and any(t.lower_ in _CAMPUS_HEADS and t.nbor(1).lower_ == "of" for t in a[:-1])
        )
        district = gap in {"", ","} and a.label_ == "GPE" and b.text in _DISTRICTS
        after = doc[b.end : b.end + 2]
        listed = any(t.lower_ in {"and", "or", "&"} for t in after) or (
            campus and len(after) > 0 and after[0].is_title and not after[0].is_sent_start
        )
        if (campus or district) and not listed:
            span = clean_span(doc[a.start : b.end], a.label_)
            if span is not None:
                kind = EntityType.ORGANIZATION if campus else EntityType.PLACE
                # One key with the comma and without: "Washington, D.C." is "Washington D.C.".
                yield _Candidate(span, surface_key(span.text.replace(",", "")), kind, "ner")


def _preposition_titles(doc: Doc) -> Iterator[_Candidate]:
    """'a statement found in Of Grammatology': a capitalised 'Of' or 'On' inside a sentence, not
    after a capitalised word ('Bank Of America'), begins the title of a work. So does a capitalised
    'The' after a lower-case word, a preposition or a comma, before words shaped as a title, without
    'and', that no head word makes a name of an institution or a place ('offered by David Friedman
    in The Machinery of Freedom'; not 'in The Hague' nor 'at The University of Chicago')."""
    for tok in doccache.tokens(doc)[1:]:
        before = doc[tok.i - 1]
        bullet = before.text in {"-", "•", "*"}
        if tok.text in {"Of", "On"} and not tok.is_sent_start and not before.is_title and not bullet:
            title = _title_run(doc, tok.i)
            if title is not None:
                yield _Candidate(title, surface_key(title.text), EntityType.CREATIVE_WORK, "title")
        elif (
            tok.text == "The"
            and not tok.is_sent_start
            and (before.is_lower or before.pos_ == "ADP" or before.text == ",")
        ):
            title = _title_run(doc, tok.i)
            joined = title is not None and any(t.lower_ == "and" for t in title)  # two titles, or a name's parts
            if title is not None and not joined and _title_shaped(title) and head_word_type(title) is None:
                yield _Candidate(title, surface_key(title.text), EntityType.CREATIVE_WORK, "title")


def _numbered_documents(doc: Doc) -> Iterator[_Candidate]:
    """'Executive Order 14110', 'Public Law 117-167', 'OMB Memoranda M-24-10 and M-24-18': a
    document named by its class and number is a work of its own (not one "Executive Order" for
    all), and so is each further number of a list, named with the class in the singular."""
    for match in _NUMBERED_DOCUMENT.finditer(doccache.text(doc)):
        first = doc.char_span(match.start("word"), match.end("number"), alignment_mode="expand")
        if first is None:
            continue
        start = first.start
        while (
            start > max(0, first.start - 3)
            and doc[start - 1].is_alpha
            and (doc[start - 1].is_title or doc[start - 1].is_upper)
            and not doc[start - 1].is_stop
        ):
            start -= 1  # "Executive", "OMB", "Public"; not a sentence's "In"
        word = match.group("word")
        name = f"{doc[start : first.start].text} {_DOCUMENT_SINGULAR.get(word, word)}".strip()
        yield _Candidate(
            doc[start : first.end], surface_key(f"{name} {match.group('number')}"), EntityType.CREATIVE_WORK, "title"
        )
        for more in _DOCUMENT_NUMBER.finditer(match.group("more")):
            at = match.start("more") + more.start()
            other = doc.char_span(at, at + len(more.group()), alignment_mode="expand")
            if other is not None:
                yield _Candidate(other, surface_key(f"{name} {more.group()}"), EntityType.CREATIVE_WORK, "title")


def _defined_short_names(doc: Doc, chosen: list[_Candidate]) -> Iterator[_Candidate]:
    """'the United States Trade Representative (Trade Representative)': a name's own last words in
    brackets right after it are the short name the text goes on to use for it (there and after)."""
    defined: dict[str, tuple[int, _Candidate]] = {}
    for owner in chosen:
        paren = owner.span.end
        if len(owner.span) < 2 or paren >= len(doc) or doc[paren].text != "(":
            continue
        inner = _in_brackets(doc, paren)
        if inner is None or len(inner) >= len(owner.span) or not all(t.is_title and t.is_alpha for t in inner):
            continue
        if [t.text for t in owner.span[-len(inner) :]] == [t.text for t in inner]:
            defined.setdefault(inner.text, (inner.start, owner))
    if not defined:
        return
    for start, end in _occurrences(doc, {text: text.split()[0] for text in defined}):
        at, owner = defined[doc[start:end].text]
        if start >= at:
            yield _Candidate(doc[start:end], owner.key, owner.type, "acronym")


def _spelled_in_brackets(doc: Doc, paren: Token) -> tuple[Span, Span] | None:
    """'the ACE (Automatic Computing Engine)': capitals before a bracket whose title-cased words
    they spell, the definition written the other way round; (acronym, long form)."""
    if paren.text != "(" or paren.i == 0:
        return None
    acro = doc[paren.i - 1 : paren.i]
    close = next((k for k in range(paren.i + 3, min(paren.i + 12, len(doc))) if doc[k].text == ")"), None)
    if close is None or not _looks_like_acronym(acro.text) or not acro[0].is_upper:
        return None
    long_form = doc[paren.i + 1 : close]
    return (acro, long_form) if _title_cased(long_form) and _initials_spell(long_form, acro.text) else None


def _spelled_before(acro: Span, words: Span, known: list[_Candidate]) -> Iterator[_Candidate]:
    """The acronym of :func:`_spelled_in_brackets` as a form of its bracketed ``words``' name."""
    owner = next((c for c in known if (c.span.start, c.span.end) == (words.start, words.end)), None)
    if owner is not None:
        yield _Candidate(acro, owner.key, owner.type, "acronym")
    elif not any(c.span.start < words.end and words.start < c.span.end for c in known):
        yield from _named_with_acronym(words, acro, typed_at=words.start)


def _named_with_acronym(long_form: Span, acro: Span, *, typed_at: int) -> Iterator[_Candidate]:
    """A name no other candidate holds and its acronym, as one new entity of the type the NER gave
    the token at ``typed_at`` (a concept where it gave none)."""
    labels = (NER_TYPES.get(e.label_) for e in doccache.ents(long_form.doc) if e.start <= typed_at < e.end)
    entity_type = next(labels, None) or EntityType.CONCEPT
    key = surface_key(long_form.text)
    yield _Candidate(long_form, key, entity_type, "acronym")
    yield _Candidate(acro, key, entity_type, "acronym")


def _in_brackets(doc: Doc, paren: int) -> Span | None:
    """The one to three tokens between the ``(`` at ``paren`` and its ``)``, if it closes that soon."""
    close = next((k for k in range(paren + 2, min(paren + 5, len(doc))) if doc[k].text == ")"), None)
    return doc[paren + 1 : close] if close is not None else None


def _websites(doc: Doc) -> Iterator[_Candidate]:
    """'the news website KurzweilAI.net', 'an essay for Edge.org': a bare domain name names a website,
    a CreativeWork."""
    for tok in doccache.tokens(doc):
        if tok.like_url and _DOMAIN.fullmatch(tok.text):
            yield _Candidate(doc[tok.i : tok.i + 1], surface_key(tok.text), EntityType.CREATIVE_WORK, "ner")


def _doctrines(doc: Doc) -> Iterator[_Candidate]:
    """'humanism', 'Extropianism', 'post-structuralism': a word in -ism names a doctrine, a
    movement or a practice, an idea of the debate even when the text names it once (the concept
    finder keeps only a few recurring phrases per text). Its plural is the same idea. So do the
    names of fields ('epistemology', 'nanotechnologies', 'cryonics')."""
    for tok in doccache.tokens(doc):
        word = tok.lower_
        if _DOCTRINE.fullmatch(word):
            singular = word.removesuffix("s") if word.endswith("isms") else word
            excluded = _NOT_DOCTRINES
        elif _FIELD.fullmatch(word) and tok.pos_ in {"NOUN", "PROPN"}:
            singular = word.removesuffix("ies") + "y" if word.endswith("ologies") else word
            excluded = _NOT_FIELDS
        else:
            continue
        if word in excluded or singular in excluded:
            continue
        start = tok.i
        while start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha:
            start -= 2  # "post-structuralism", "counter-transhumanism"
        span = doc[start : tok.i + 1]
        yield _Candidate(span, surface_key(span[:-1].text_with_ws + singular), EntityType.CONCEPT, "ner")


def _schools(doc: Doc, doctrines: list[_Candidate], forms: Container[str]) -> Iterator[_Candidate]:
    """'secular humanism', 'social Darwinism', 'liberal democracy', 'counter-transhumanism': a
    doctrine (or democracy) with an adjective that names a school of it, or with a prefix, is an
    idea of its own, before the doctrine the knowledge base knows inside it; one the knowledge
    base knows (also without its hyphen: "post-humanism") is left to it."""
    for doctrine in doctrines:
        # Only a doctrine takes any relational adjective: "atypical epistemology" is epistemology.
        closed = not doctrine.span[-1].lower_.endswith(("ism", "isms"))
        modifier = _school_modifier(doc, doctrine.span.start, closed=closed)
        span = doc[doctrine.span.start - modifier : doctrine.span.end]
        known = any(form_key(text) in forms for text in (span.text, span.text.replace("-", "")))
        if (modifier or len(span) > 1) and not known:
            yield _Candidate(span, _school_key(span[:modifier], doctrine.key[3:]), EntityType.CONCEPT, "ner")
    for tok in doccache.tokens(doc):
        modifier = _school_modifier(doc, tok.i, closed=True) if tok.lower_ in {"democracy", "democracies"} else 0
        if modifier and tok.pos_ == "NOUN":
            span = doc[tok.i - modifier : tok.i + 1]
            if form_key(span.text) not in forms:
                yield _Candidate(span, _school_key(span[:-1], "democracy"), EntityType.CONCEPT, "ner")


def _school_key(school: Span, doctrine: str) -> str:
    """The key of a school ('secular') of a doctrine ('humanism'), one for the school and its
    adherents ("secular humanism", "secular humanists")."""
    return surface_key(f"{school.text} {doctrine}")


def _school_modifier(doc: Doc, start: int, *, closed: bool = False) -> int:
    """How many tokens before ``start`` make a doctrine a school of its own: 'secular humanism',
    'social Darwinism', 'left-wing Nietzscheanism', 'scientific racism', 'Renaissance humanism',
    'New Age spiritualism' (0 when none; 'modern capitalism' is capitalism). ``closed``: only the
    listed adjectives ("liberal democracy", where "American democracy" is a country's; "secular
    humanists", where "heretical Spinozists" are Spinozists)."""
    if start >= 3 and doc[start - 2].text == "-" and doc[start - 3 : start].text.lower() in _SCHOOL_MODIFIERS:
        return 3
    if start == 0:
        return 0
    before = doc[start - 1]
    if before.lower_ in _SCHOOL_MODIFIERS and before.pos_ in {"ADJ", "PROPN", "NOUN"}:
        return 1
    if closed or before.dep_ not in {"amod", "compound"} or before.head.i != start:
        return 0
    if before.pos_ == "ADJ":
        relational = before.lower_.endswith(_RELATIONAL_ENDINGS) and before.lower_ not in _NOT_SCHOOL_MODIFIERS
        return int(relational and before.is_alpha)
    # A capitalised name before it ("Renaissance humanism", "New Age spiritualism"), not a person's.
    names = 0
    while names < 2 and start - names > 0:
        tok = doc[start - names - 1]
        # A person's name modifies no doctrine, but the NER takes "Unitarian Universalism" for one.
        person = tok.ent_type_ == "PERSON" and doc[start].ent_type_ != "PERSON"
        named = tok.pos_ == "PROPN" or (names > 0 and tok.pos_ == "ADJ")  # the "New" of "New Age"
        if not (named and tok.is_title and tok.is_alpha) or person:
            break
        if tok.dep_ not in {"amod", "compound"} or tok.head.i not in range(tok.i + 1, start + 1):
            break
        names += 1
    return names


def _adherents(doc: Doc, chosen: list[_Candidate], known: dict[str, str]) -> Iterator[_Candidate]:
    """'transhumanists', 'a transhumanist view': the adherents of a doctrine the text names, and
    its adjective, are that doctrine's mentions (they hold its claims: "Transhumanists argue ...").
    Professions that merely look like adherents ("scientists" beside "scientism") are not. A
    capitalised adherent ("Marxist", "Darwinists") names a doctrine of the knowledge base (``known``:
    stem -> key) even where the doctrine is not named; "the capitalist" of Marx's prose stays a person."""
    stems: dict[str, tuple[str, str]] = {}
    for c in chosen:
        word = c.span.text.lower()
        if c.type is EntityType.CONCEPT and len(c.span) == 1 and word.endswith("ism"):
            stems.setdefault(word[:-3], (c.key, c.source))
    for tok in doccache.tokens(doc):
        word = tok.lower_
        stem = next((word[: -len(end)] for end in ("ists", "istic", "ist") if word.endswith(end)), None)
        if stem is None or word in _NOT_ADHERENTS:
            continue
        found = stems.get(stem) or ((known[stem], "kb") if stem in known and tok.is_title else None)
        modifier = _school_modifier(doc, tok.i, closed=True) if found is not None else 0
        if modifier:  # "secular humanists" hold secular humanism
            school = doc[tok.i - modifier : tok.i]
            yield _Candidate(
                doc[school.start : tok.i + 1], _school_key(school, f"{stem}ism"), EntityType.CONCEPT, "ner"
            )
        elif found is not None:
            yield _Candidate(doc[tok.i : tok.i + 1], found[0], EntityType.CONCEPT, found[1])


def _models(doc: Doc, kb: list[_Candidate]) -> Iterator[_Candidate]:
    """'the Kurzweil K250', 'the Kurzweil 3000 program': a maker's known name with a model number
    after it (letters and digits, or a bare number between 'the' and a common noun) names a product."""
    known = {k.span.start for k in kb}  # "NVIDIA A100s": the knowledge base knows the model itself
    for c in kb:
        if c.type not in {EntityType.ORGANIZATION, EntityType.PERSON} or c.span.end >= len(doc):
            continue
        if c.span.end in known:
            continue
        model = doc[c.span.end]
        lettered = _MODEL.fullmatch(model.text) is not None
        numbered = (
            model.text.isdigit()
            and len(model.text) >= 3
            and c.span.start > 0
            and doc[c.span.start - 1].lower_ == "the"
            and model.i + 1 < len(doc)
            and doc[model.i + 1].pos_ == "NOUN"
        )
        if lettered or numbered:
            span = doc[c.span.start : model.i + 1]
            yield _Candidate(span, surface_key(span.text), EntityType.PRODUCT, "ner")


def _sequels(doc: Doc, kb: list[_Candidate]) -> Iterator[_Candidate]:
    """'Blade Runner 2049', 'Cyberpunk 2020', 'AI 2027': a known work's name, or a capitalised
    known idea's, with a number right after it names another work (a sequel, a game, a scenario);
    an idea's takes a year, so 'Web 2.0' is left alone."""
    known = {k.span.start for k in kb}
    for c in kb:
        end = c.span.end
        if end >= len(doc) or end in known or not doc[end].text.isdigit() or c.span[-1].whitespace_ == "":
            continue
        work = c.type is EntityType.CREATIVE_WORK
        named_idea = (
            c.type is EntityType.CONCEPT
            and len(doc[end].text) == 4
            and all(t.text[:1].isupper() for t in c.span if t.is_alpha)
        )
        if work or named_idea:
            span = doc[c.span.start : end + 1]
            yield _Candidate(span, surface_key(span.text), EntityType.CREATIVE_WORK, "title")


def _given_name_left_out(span: Span) -> bool:
    """A surname the NER calls a person, right after a common given name it left out."""
    if len(span) != 1 or span.start == 0:
        return False
    before = span.doc[span.start - 1]
    return before.pos_ == "PROPN" and not before.ent_type_ and has_given_name(before)


def _name_word(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and tok.is_alpha and tok.is_title and not is_title(tok)


def _has_given_shape(tok: Token) -> bool:
    """A first word that is a given name: a common one, or one the NER finds as a person on its own
    elsewhere ('His father, Fredric was ...'; not 'In Transcendent Man Kurzweil states')."""
    return has_given_name(tok) or any(e.label_ == "PERSON" and e.text == tok.text for e in doccache.ents(tok.doc))


def _outside(part: Span, name: Span) -> bool:
    """Whether ``part`` reaches outside ``name``, but for a lower-case article before it."""
    before = part.doc[part.start : name.start]
    return part.end > name.end or any(not (t.is_lower and t.lower_ == "the") for t in before)


def _after_of(span: Span) -> bool:
    """'University of California', 'Parliament of the United Kingdom': the place follows 'of'."""
    doc, i = span.doc, span.start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 1 and doc[i].lower_ == "of"


def _conjuncts(doc: Doc, chosen: list[_Candidate]) -> Iterator[_Candidate]:
    """'the Bolsheviks and the Mensheviks': an untagged proper noun coordinated with a name is a
    name of the same kind."""
    for c in chosen:
        if c.source != "ner" or c.span.root.dep_ == "poss":
            continue
        for tok in c.span.root.conjuncts:
            possessive = tok.i + 1 < len(doc) and doc[tok.i + 1].tag_ == "POS"
            if (
                tok.pos_ == "PROPN"
                and tok.text[:1].isupper()
                and not possessive
                and tok.ent_type_ not in NER_TYPES
                and not (c.span.start <= tok.i < c.span.end)
            ):
                left = min([tok.i, *(t.i for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN")])
                span = doc[left : tok.i + 1]
                if not is_junk(span):
                    yield _Candidate(span, surface_key(span.text), c.type, "ner")


def _repeats(doc: Doc, chosen: list[_Candidate]) -> Iterator[_Candidate]:
    """Occurrences of a name the NER found once but missed elsewhere ("Terran" ... "Terrans",
    "CYBORGIANS" ... "Cyborgians"): one name, one entity, throughout the document."""
    lower_words = doccache.lower_case_words(doc)
    forms: dict[str, _Candidate] = {}
    firsts: dict[str, str] = {}
    for c in chosen:
        if not _repeatable(c, lower_words):
            continue
        text = c.span.text
        variants = {text, text.upper()}
        if len(c.span) == 1 and text.isalpha():
            variants |= {text + "s", text.upper() + "S", text.title(), text.title() + "s"}
        for v in variants:
            if v.lower() not in lower_words:
                forms.setdefault(v, c)
                firsts.setdefault(v, v if len(c.span) == 1 else v[: len(c.span[0].text)])
    for start, end in _occurrences(doc, firsts):
        c = forms[doc[start:end].text]
        yield _Candidate(doc[start:end], c.key, c.type, "ner")


def _repeatable(c: _Candidate, lower_words: Container[str]) -> bool:
    """Whether :func:`_repeats` finds ``c``'s name again: a capitalised name of the NER, an
    acronym's definition or a title, that the text does not also use as lower-case words."""
    text = c.span.text
    return c.source in {"ner", "acronym", "title"} and text[:1].isupper() and text.lower() not in lower_words


def _occurrences(doc: Doc, texts: dict[str, str]) -> Iterator[tuple[int, int]]:
    """Token ranges whose text is a key of ``texts`` (which maps it to its first token's text)."""
    by_first: dict[str, set[str]] = defaultdict(set)
    for text, first in texts.items():
        by_first[first].add(text)
    for tok in doccache.tokens(doc):
        for text in by_first.get(tok.text, ()):
            span = doc.char_span(tok.idx, tok.idx + len(text))
            if span is not None and span.text == text:
                yield span.start, span.end


def _list_parts(ent: Span) -> Iterator[Span]:
    """'The Press, Christchurch' is two names: the NER sometimes runs a list together. So is
    'Gibson and Sterling' when either is a person the NER finds elsewhere in the text, and a list
    of a class's examples ('medicines such as Ritalin and Adderall'); 'Lernout & Hauspie' stays
    one company, 'Difference and Repetition' one title."""
    doc, start = ent.doc, ent.start
    # "Harcourt, Brace & World": an ampersand after the commas makes the list a firm's one name.
    firm = ent.label_ == "ORG" and any(t.text == "&" for t in ent)
    for tok in ent:
        if tok.text == "," and not firm:
            if tok.i > start:
                yield doc[start : tok.i]
            start = tok.i + 1
    if start == ent.end:
        return  # 'Ricardian socialists"—Charles Hall,': the NER's span ends on the comma
    parts = [doc[start : ent.end]]
    # "Vincennes/St. Denis", where the text also names "Vincennes" alone: two names ("Janus/Repligate",
    # one person's two handles, is never split so).
    slash = next((t.i for t in parts[0] if t.text == "/" and not t.whitespace_ and not doc[t.i - 1].whitespace_), None)
    if slash is not None and slash > start and _stands_alone(doc[start:slash], labels=NER_TYPES):
        yield doc[start:slash]
        parts, start = [doc[slash + 1 : ent.end]], slash + 1
    joiner = next((t.i for t in parts[0] if t.lower_ in {"and", "&"}), None)
    if joiner is not None and ent.label_ not in {"WORK_OF_ART", "LAW", "EVENT"}:
        left, right = doc[start:joiner], doc[joiner + 1 : ent.end]
        # "medicines such as Ritalin and Adderall": the examples of a class are names of their own.
        listed = doc[joiner].lower_ == "and" and example_class_noun(ent) is not None
        # "the objectives of Tarnover and Electric Skillet", where the text names "Tarnover" alone
        # too: two organisations ("Procter & Gamble" is one).
        named = doc[joiner].lower_ == "and" and ent.label_ == "ORG" and _stands_alone(left, labels=NER_TYPES)
        if left and right and (listed or named or any(_stands_alone(p) for p in (left, right))):
            parts = [left, right]
    for part in parts:
        for piece in _owner_and_owned(part):
            yield from _name_at_place(piece)


def _owner_and_owned(span: Span) -> list[Span]:
    """ "Aldous Huxley's Brave New World", which the NER runs together: a person's name and the
    capitalised name after its possessive are two names. A one-word owner ("McDonald's
    Corporation") or a one-word or headed name owned ("St John's College") keeps the name whole."""
    for tok in span[1:-1]:
        if tok.tag_ == "POS":
            owner, owned = span.doc[span.start : tok.i], span.doc[tok.i + 1 : span.end]
            titled = len(owned) >= 2 and _title_cased(owned) and head_word_type(owned) is None
            if titled and (personal_name_shape(owner) or plain_name(owner)):
                return [owner, owned]
    return [span]


def _name_at_place(span: Span) -> list[Span]:
    """'studied under Church at Princeton University', 'Tunny at Bletchley Park': a name and the
    headed name of an institution or a place after "at", which the NER runs together, are two
    names ("University of Texas at Austin", whose first part is headed itself, stays one)."""
    for tok in span[1:-1]:
        if tok.text == "at":
            name, place = span.doc[span.start : tok.i], span.doc[tok.i + 1 : span.end]
            located = head_word_type(place) in {EntityType.ORGANIZATION, EntityType.PLACE}
            one_word = len(name) == 1 and name[0].is_title and name[0].pos_ == "PROPN"
            if located and _title_cased(place) and (one_word or plain_name(name)):
                return [name, place]
    return [span]


def _stands_alone(span: Span, labels: Container[str] = frozenset({"PERSON"})) -> bool:
    """Whether the NER also finds ``span``'s text as a name of its own elsewhere (by default a
    person: 'Gibson', or 'William Gibson' whose surname it is)."""
    text = span.text
    return any(
        e.label_ in labels
        and (e.text == text or e.text.endswith(" " + text))
        and not (e.start <= span.start < e.end)
        and not _glued_to_slash(e)
        for e in doccache.ents(span.doc)
    )


def _slashed_whole(span: Span | None, names: Container[str]) -> Span | None:
    """'TCP' before '/IP', where the NER reads 'TCP/IP' as one name elsewhere in the text: the whole."""
    if span is None or span.end + 1 >= len(span.doc) or not _glued_to_slash(span):
        return span
    whole = span.doc[span.start : span.end + 2]
    return whole if whole.text in names else span


def _glued_to_slash(span: Span) -> bool:
    """'TCP' of 'TCP/IP', where the NER took the first half: a name glued to a slash is half of one."""
    doc = span.doc
    before = span.start > 0 and doc[span.start - 1].text == "/" and not doc[span.start - 1].whitespace_
    after = span.end < len(doc) and doc[span.end].text == "/" and not doc[span.end - 1].whitespace_
    return before or after


def _glued_to_name(doc: Doc, start: int, end: int) -> bool:
    """'China' in 'China-Brain Project' is part of a longer name, not the country: the NER
    reads the hyphenated compound as one name. ('DisTrO-AdamW' still mentions AdamW.)"""
    neighbours = []
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_:
        neighbours.append(doc[end + 1])
    if start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ and not doc[start - 2].whitespace_:
        neighbours.append(doc[start - 2])
    label = doc[start].ent_type_
    return label in NER_TYPES and any(n.text[:1].isupper() and n.ent_type_ == label for n in neighbours)


def _possessive_follows(doc: Doc, start: int) -> bool:
    end = start
    while end < len(doc) and doc[end].is_title:
        end += 1
    return end > start and end < len(doc) and doc[end].tag_ == "POS"


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _title_run(doc: Doc, start: int) -> Span | None:
    """A run of at least two title-case words (function words inside) starting at ``start``."""
    end = start
    while end < len(doc) and (
        doc[end].is_title
        or (doc[end].lower_ in _TITLE_FUNCTION_WORDS and end > start)
        or (doc[end].text == "-" and end > start and not doc[end - 1].whitespace_ and not doc[end].whitespace_)
        or (doc[end].lower_ in {"n't", "n\u2019t"} and end > start and not doc[end - 1].whitespace_)  # "Doesn't"
    ):
        if doc[end].lower_ == "and" and _possessive_follows(doc, end + 1):
            break  # "The Singularity is Near and Michio Kaku's book ...": the next author starts
        if doc[end].lower_ == "by" and doc[end].is_lower and end + 1 < len(doc) and doc[end + 1].ent_type_ == "PERSON":
            break  # "the novel Brave New World is by Aldous Huxley": the author, after the title
        end += 1
    while end > start and not doc[end - 1].is_title:
        end -= 1
    span = doc[start:end]
    return span if len(span) >= 2 else None


def clean_span(span: Span, label: str) -> Span | None:
    """Strip leading determiners and punctuation, and trailing possessives and function words, from
    an NER span (or part of one) the NER labelled ``label``."""
    start, end = span.start, span.end
    doc = span.doc
    title = _title_article(span, label)
    while (
        not title
        and start < end
        and (
            (doc[start].lower_ in {"the", "a", "an"} and not _name_article(doc[start]))
            or (doc[start].text in _POSSESSIVE_DETERMINERS)  # "my Office of Science" ("My Fair Lady" keeps its "My")
            or doc[start].is_punct
            or doc[start].is_space
        )
    ):
        start += 1
    if label == "PERSON" and end - start >= 3 and _adherent_before_name(doc[start]):
        start += 1  # "Modernist Ludwig Mies van der Rohe": the school is no part of the name
    # "Boxhorn (Inst.", "Mirabeau's “Impossible": a name ends where a bracket or quote opens
    # that the span does not close.
    for tok in doc[start + 1 : end]:
        closer = _OPENERS.get(tok.text)
        if closer is not None and not any(t.text == closer for t in doc[tok.i + 1 : end]):
            end = tok.i
            break
    while end > start and (
        doc[end - 1].tag_ == "POS"
        or doc[end - 1].is_punct
        or doc[end - 1].is_space
        or (doc[end - 1].is_lower and doc[end - 1].lower_ in _TITLE_FUNCTION_WORDS)  # "Human Future of"
    ):
        end -= 1
    while end > start and doc[end - 1].text.startswith("#"):
        end -= 1
    # "the Crimean War of the 1850s": a decade after the name says when, and is no part of it
    dated = end - start > 3 and _DECADE.fullmatch(doc[end - 1].text) is not None
    if dated and doc[end - 2].lower_ == "the" and doc[end - 3].lower_ in {"of", "in"}:
        end -= 3
    return doc[start:end] if end > start else None


def _adherent_before_name(tok: Token) -> bool:
    """A capitalised adherent of a school ("Modernist", "Marxist") before a given name."""
    after = tok.doc[tok.i + 1]
    return (
        tok.text[:1].isupper()
        and tok.lower_.endswith("ist")
        and len(tok) > 6
        and not is_given_name(tok)
        and is_given_name(after)
    )


_OPENERS = {"(": ")", "[": "]", "\u201c": "\u201d"}
_POSSESSIVE_DETERMINERS = frozenset({"my", "our", "your", "his", "her", "their", "its"})


def _name_article(tok: Token) -> bool:
    """A capitalised 'The' inside a sentence belongs to the name ('editor of The Press', '(see The
    Order of Things, The Archaeology of Knowledge'); one after a list bullet ('-   The Dickson
    Prize') does not."""
    if tok.text != "The":
        return False
    before = next((t for t in reversed(tok.doc[: tok.i]) if not t.is_space), None)
    return before is not None and not tok.is_sent_start and (not before.is_punct or before.text in _INSIDE_SENTENCE)


_INSIDE_SENTENCE = frozenset({",", ";", "("})


def _title_article(span: Span, label: str) -> bool:
    """'The Brain Makers, a history of artificial intelligence': a title the NER found keeps its
    'The' even at the start of a sentence, unless its head word makes it no title ('The Harlow
    Medal of Design', which the NER calls a work too)."""
    return label == "WORK_OF_ART" and span[0].text == "The" and head_word_type(span) in {None, EntityType.CREATIVE_WORK}


def is_junk(span: Span) -> bool:
    """Numbers, measurements, section references, function words and lower-case NER noise."""
    text = span.text.strip()
    if len(text) < 2 or not any(ch.isalpha() for ch in text):
        return True
    if _MEASURE.match(text) or _SECTION_REF.match(text) or any(t.like_num and not t.is_alpha for t in span[:1]):
        return True
    if _SECTION_WORD.match(text) and _numbered(span):  # "Sec. 2. Policy.", where the NER took "Sec"
        return True
    if _clock_time(span) or _section_heading(span) or _lettered_heading(span) or _office(span) or _era(span):
        return True
    if len(span) == 1 and span[0].lower_ in _MONTHS:
        return True  # "January", which the NER sometimes takes for a name when no day goes with it
    if all(t.is_stop or t.is_punct for t in span):
        return True
    if not any(t.pos_ == "PROPN" or t.is_upper for t in span if t.is_alpha) and not _titled_with_article(span):
        return True  # "Compute scale:" — a capitalised common word at a line start, not a name
    # Names are capitalised; a lower-case NER span from the small model is almost always noise.
    return not any(t.text[:1].isupper() or _CAMEL_CASE.fullmatch(t.text) for t in span if t.is_alpha)  # "eBay"


def _titled_with_article(span: Span) -> bool:
    """'see The Order of Things': common nouns, but title-cased after a 'The' that a sentence
    does not begin with, make a name."""
    return _name_article(span[0]) and sum(t.is_alpha for t in span) >= 3 and _title_cased(span)


def _office(span: Span) -> bool:
    """'the Secretary', 'the Chairman', 'Mr. President': an office or title alone names nobody in
    particular (its holder is named where the text names them). Nor does a word that government
    prose capitalises ('our Nation', 'Federal land', 'State and local governments')."""
    words = [t for t in span if t.is_alpha]
    if len(words) == 1:
        # Titles that also name someone or something alone stay names ("Duke", the university;
        # "Prince", "Queen", "King", "Bishop").
        word = words[0]
        return word.lower_ in _STYLE_CAPITALS or (word.text[:1].isupper() and word.lower_ in _NAMELESS)
    return bool(words) and all(is_title(t) or (t.lower_ in _OFFICES and t.text[:1].isupper()) for t in words)


def _era(span: Span) -> bool:
    """'180 BC', 'the 3rd century BCE': an era after a year or a century is part of a date."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    dated = before is not None and (before.like_num or before.lower_ in {"century", "centuries", "millennium"})
    return dated and span.text.replace(".", "") in {"BC", "BCE", "AD", "CE"}


def _clock_time(span: Span) -> bool:
    """'1:13 P.M. PDT': the words after a time of day (the NER's organisation)."""
    words = [t for t in span if not t.is_punct]
    before = span.doc[span.start - 1] if span.start > 0 else None
    if not words or before is None or _CLOCK.fullmatch(before.text) is None:
        return False
    return all(t.lower_ in _CLOCK_WORDS for t in words)


def _section_heading(span: Span) -> bool:
    """'Sec. 6. General Provisions.': the whole heading of a numbered section (up to its full stop,
    wherever the parser ends the sentence) names the section, not an entity."""
    text = doccache.text(span.doc)
    line = text.rfind("\n", 0, span.start_char) + 1
    number = _NUMBERED_HEADING.match(text, line)
    if number is None or number.end() != span.start_char:
        return False
    stop = _HEADING_END.search(text, number.end())
    return not text[span.end_char : stop.start() if stop is not None else len(text)].strip()


def _lettered_heading(span: Span) -> bool:
    """'C. Modern Manufacture' on a line of its own, in a text with a 'B. ...' or 'D. ...' line: the
    heading of a lettered section, not a man with an initial."""
    text = doccache.text(span.doc)
    start = span.start_char
    if (start > 0 and text[start - 1] != "\n") or not _LETTERED.match(text, start):
        return False
    letter = ord(text[start])
    return any(
        re.search(rf"(?m)^{chr(n)}\. [A-Z]", text) is not None for n in (letter - 1, letter + 1) if chr(n).isupper()
    )


_LETTERED = re.compile(r"[A-Z]\. [A-Z]")


def _numbered(span: Span) -> bool:
    """Whether a number follows ``span``, past full stops ("Sec. 2")."""
    after = (t for t in span.doc[span.end : span.end + 3] if t.text != ".")
    return next((t.like_num for t in after), False)


def phrase_key(span: Span) -> str:
    """Lower case with a singular head: "artificial brains" -> "artificial brain"."""
    root = span[-1]
    plural = root.tag_ in {"NNS", "NNPS"} and root.lower_ not in _INVARIANT_PLURALS
    head = root.lemma_.lower() if plural else root.lower_
    # "desiring-machine": the text's own spacing, so a hyphen gets no spaces; any run of spaces is one.
    return " ".join(("".join(t.lower_ + t.whitespace_ for t in span[:-1]) + head).split())


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


def _bare_acronym(tok: Token) -> bool:
    """Capitals right after a capitalised word, in the sentence, that may spell the words before."""
    if tok.i == 0 or tok.is_sent_start or not (tok.is_upper and tok.is_alpha):
        return False
    before = tok.doc[tok.i - 1]
    return before.is_alpha and before.is_title and bool(before.whitespace_)


def _long_form(doc: Doc, paren: int, acro: str) -> Span | None:
    """The capitalised words before ``(`` that spell the acronym (Schwartz & Hearst 2003)."""
    letters = [ch.lower() for ch in acro if ch.isalnum()]
    while paren > 0 and doc[paren - 1].text in CLOSING_QUOTES:
        paren -= 1  # 'the "CAM Brain Machine" (CBM)'
    start = paren
    words: list[str] = []
    while start > 0 and len(words) < len(letters) + 2:
        prev = doc[start - 1]
        if prev.is_alpha and prev.text[0].isupper():
            words.insert(0, prev.text)
        elif not (
            prev.text in {"-", ","}  # "Bolt, Beranek and Newman (BBN)"
            or (prev.is_stop and prev.is_lower and prev.text in {"the", "of", "for", "and"})
        ):
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


def _initials_spell(words: Span, acro: str) -> bool:
    """Without brackets only the initials of the words count: "Computer Systems Research Group
    CSRG", but not "American Systems for Advanced AI", whose letters an acronym could pick."""
    initials = [t.text[0].lower() for t in words if t.is_alpha and t.lower_ not in _TITLE_FUNCTION_WORDS]
    return initials == [ch.lower() for ch in acro if ch.isalnum()]


def _lower_long_form(doc: Doc, paren: int, acro: str) -> Span | None:
    """'unmanned aircraft systems (UAS)', 'large language models (LLMs)': lower-case words before
    the ``(``, one for each capital of the acronym and each starting with it, name a kind of
    thing (a concept, whatever the NER makes of the acronym)."""
    letters = acro[:-1] if acro.endswith("s") else acro
    if not (letters.isalpha() and letters.isupper() and 2 <= len(letters) <= 6) or paren < len(letters):
        return None
    words = doc[paren - len(letters) : paren]
    spelled = all(
        t.is_alpha and t.is_lower and not t.is_stop and t.text[0] == ch.lower()
        for t, ch in zip(words, letters, strict=True)
    )
    return words if spelled else None


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


def _cited_title(doc: Doc, paren: int) -> Span | None:
    """'(Reading Capital, 1968)' after a quotation: a title-case run that fills a bracket up to a
    comma and a year is the work cited."""
    comma = next((k for k in range(paren + 2, min(paren + 14, len(doc) - 2)) if doc[k].text in {",", ")"}), None)
    if comma is None or doc[comma].text != "," or doc[comma + 2].text != ")":
        return None
    title = _dated_title(doc, comma) if _YEAR.fullmatch(doc[comma + 1].text) else None
    # "(London, 1867)": where a book was published, not what it is called.
    if title is None or title.start != paren + 1 or all(t.ent_type_ in PLACE_LABELS for t in title):
        return None
    return title


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
    tokens = doccache.tokens(sent.doc)
    i = sent.start
    while i < sent.end:
        close = QUOTES.get(tokens[i].text)
        if close is not None:
            j = next((k for k in range(i + 1, sent.end) if tokens[k].text == close), None)
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
