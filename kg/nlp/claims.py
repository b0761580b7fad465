"""``acckg_claims``: propositions with their speaker, polarity, modality and evidence.

For every sentence the component finds who the proposition belongs to, in this order:
a reporting verb with a subject ("Nick Land thinks that ...", '"...," Google writes'),
"according to X", a possessive view noun ("X's philosophy is ...", "in X's view"),
a quotation whose speaker is named in a neighbouring sentence, and otherwise the
document's author. The reported clause is split into propositions (coordinated verbs
give one each) with subject, predicate and object text. Results go to
``doc._.acckg_claims`` as :class:`~kg.model.RawClaim` values; linking speakers to
entities happens later, in :mod:`kg.attribute`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.model import Modality, Polarity, RawClaim
from kg.model import Span as CharSpan
from kg.nlp.clauses import SUBJECT_DEPS, VERB_GROUP, Clause, clause_at, coordinated, join
from kg.nlp.mentions import SPANS_KEY

REPORTING_VERBS = frozenset(
    """say write argue think believe predict claim suggest contend assert state note propose hold maintain
    insist warn conclude show find hope expect fear estimate indicate explain add declare hypothesize
    hypothesise report observe speculate reckon doubt deny agree acknowledge admit announce emphasize
    emphasise stress point posit theorize theorise contend imagine envision envisage forecast confirm recall
    reveal remark describe call advocate reject criticise criticize praise dismiss consider deem regard""".split()
)
STANCE_VERBS = frozenset(
    """predict forecast argue claim believe propose call describe envisage envision foresee advocate reject
    criticise criticize praise dismiss consider deem regard doubt deny warn""".split()
)
VIEW_NOUNS = frozenset(
    """philosophy view argument belief thesis claim position point idea theory contention prediction vision
    opinion conviction assertion hypothesis proposal analysis""".split()
)
HEDGES = frozenset(
    [
        "may",
        "might",
        "could",
        "perhaps",
        "possibly",
        "probably",
        "likely",
        "unlikely",
        "seem",
        "seems",
        "appear",
        "appears",
        "maybe",
    ]
)
FUTURE = frozenset(["will", "shall", "'ll", "wo"])
PREDICT_VERBS = frozenset(["predict", "forecast", "expect", "anticipate", "foresee"])
SPEAKER_PRONOUNS = frozenset(["he", "she", "they", "we", "i"])
FIRST_PERSON = frozenset({"i", "we"})
SPEAKER_NOUNS = frozenset(
    """author authors researcher researchers company team scientists critics writer paper study analysis""".split()
)
_IDENTITY = re.compile(r"\b(one and the same|the same thing|identical|equivalent|identity of)\b", re.IGNORECASE)
_SPEECH_WORDS = 6
_QUOTE_PAIRS = (("\u201c", "\u201d"), ('"', '"'))


@dataclass(frozen=True)
class _Frame:
    """Who a stretch of text is attributed to, and how that was found."""

    speaker: Span | None
    kind: str
    content: list[Token]  # clause heads carrying the propositions
    reporting_verb: Token | None = None


class ClaimExtractor:
    def __init__(self, min_words: int) -> None:
        self.min_words = min_words

    def __call__(self, doc: Doc) -> Doc:
        quotes = _quote_regions(doc.text)
        frames = {sent.start: self._frame(sent) for sent in doc.sents}
        quote_speakers = _quote_speakers(doc, quotes, frames)
        in_title = {
            i for m in doc.spans.get(SPANS_KEY, []) if m.label_ == "CreativeWork" for i in range(m.start, m.end)
        }
        claims: list[RawClaim] = []
        for sent in doc.sents:
            frame = frames[sent.start]
            inherited = quote_speakers.get(sent.start)
            if _first_person(frame):
                # "I predict", "we hope": the quoted speaker inside a quotation, else the author.
                frame = _Frame(None, "author", frame.content, frame.reporting_verb)
            if frame.kind == "author" and inherited is not None:
                frame = _Frame(inherited.speaker, inherited.kind, frame.content, frame.reporting_verb)
            claims.extend(self._claims(sent, frame, in_title))
        doc._.acckg_claims = claims
        return doc

    def _frame(self, sent: Span) -> _Frame:
        root = sent.root
        # The innermost report wins: in "critics say e/accs think X", X is held by e/accs.
        for tok in reversed(sent):
            if tok.pos_ == "VERB" and tok.lemma_.lower() in REPORTING_VERBS:
                speaker = _speaker_of(tok)
                if speaker is None or not _can_speak(speaker):
                    continue
                content = [c for c in tok.children if c.dep_ in {"ccomp", "xcomp"} and c.i > speaker.end - 1]
                if not content and tok.dep_ in {"ROOT", "parataxis"}:
                    # '"…," Google writes': the quoted clause hangs off the reporting verb
                    content = [c for c in tok.children if c.dep_ in {"ccomp", "parataxis"}]
                if not content and tok.dep_ in {"parataxis", "ccomp"} and tok.head.i < tok.i and _after_comma(tok):
                    content = [tok.head]  # "X is Y, he said"
                if content:
                    # "He suggests A, and B would follow": the parser often hangs B on the
                    # reporting verb; a coordinated clause with its own subject is reported too.
                    content += [
                        c
                        for c in tok.children
                        if c.dep_ == "conj"
                        and c.lemma_.lower() not in REPORTING_VERBS
                        and any(g.dep_ in SUBJECT_DEPS for g in c.children)
                    ]
                    return _Frame(speaker, _speaker_kind(speaker), content, tok)
                if tok == root and tok.lemma_.lower() in STANCE_VERBS:
                    # "De Garis predicts a third group", "Warwick called it a nightmare": no
                    # reported clause, but the sentence states the subject's own view.
                    return _Frame(speaker, _speaker_kind(speaker), [tok])
        for tok in sent:
            if tok.lower_ != "according" or tok.i + 1 >= len(sent.doc) or sent.doc[tok.i + 1].lower_ != "to":
                continue
            if not _in_brackets(tok):  # "(…, according to de Garis)" vouches for the aside only
                pobj = next((c for c in sent.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return _Frame(_np(pobj), "according", [tok.head if tok.head.i != tok.i else root])
        for tok in sent:
            if tok.dep_ == "poss" and tok.head.lemma_.lower() in VIEW_NOUNS:
                noun = tok.head
                holder = _np(tok, strip_case=True)
                # "his belief that P": P is the holder's; the sentence around it is not.
                clause = next(
                    (c for c in noun.children if c.dep_ in {"acl", "ccomp"} and c.pos_ in {"VERB", "AUX"}), None
                )
                after = sent.doc[noun.i + 1] if noun.i + 1 < sent.end else None
                if clause is None and after is not None and after.dep_ == "mark" and after.lower_ == "that":
                    clause = after.head  # the parser hung "that P" on the main verb, not on the noun
                if clause is not None:
                    return _Frame(holder, "possessive", [clause])
                # "(the main point of) X's philosophy is P": the noun sits in a copula's subject.
                copula = _copula_of_subject(noun)
                if copula is not None:
                    return _Frame(holder, "possessive", [copula])
        return _Frame(None, "author", [root])

    def _claims(self, sent: Span, frame: _Frame, in_title: set[int]) -> Iterator[RawClaim]:
        if sent.text.rstrip().endswith("?") or sum(t.is_alpha for t in sent) < self.min_words:
            return
        identity = _identity(sent)
        if identity is not None:
            subject, obj, tokens = identity
            yield self._make(sent, frame, Clause(subject, "is identical to", obj, (obj,), tokens), identity=True)
        heads = frame.content
        if not any(clause_at(c, frame.reporting_verb) is not None for h in heads for c in coordinated(h)):
            heads = _fallback_heads(sent, frame)
        for head in heads:
            for clause in coordinated(head):
                built = clause_at(clause, frame.reporting_verb)
                if built is None:
                    continue
                if clause.i in in_title:
                    continue  # "Diffusion Models Are Real-Time Game Engines" is a title, not a claim
                if not built.object and (clause.lemma_.lower() in REPORTING_VERBS or clause.lemma_ == "be"):
                    continue  # "the authors write", "the answer here is": a frame without its content
                yield self._make(sent, frame, built)

    def _make(self, sent: Span, frame: _Frame, clause: Clause, *, identity: bool = False) -> RawClaim:
        subject, predicate, obj, tokens = clause.subject, clause.predicate, clause.object, clause.tokens
        verbs = [t for t in tokens if t.dep_ in VERB_GROUP or t.pos_ in {"VERB", "AUX"}]
        negated = any(t.dep_ == "neg" or t.lower_ in {"never", "no", "nor"} for t in verbs) or predicate.startswith(
            "not "
        )
        modality = _modality(tokens, frame)
        confidence = {"explicit": 0.9, "according": 0.9, "possessive": 0.8, "quote": 0.8}.get(frame.kind, 0.7)
        if identity:
            negated = False
        # The evidence is the sentence without the line breaks the tokenizer attaches to it.
        words = [t for t in sent if not t.is_space]
        evidence = (
            CharSpan(words[0].idx, words[-1].idx + len(words[-1]))
            if words
            else CharSpan(sent.start_char, sent.end_char)
        )
        proposition = CharSpan(min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens)) if tokens else None
        return RawClaim(
            sentence=evidence,
            text=" ".join(x for x in (subject, predicate, obj) if x),
            subject=subject,
            predicate=predicate,
            object=obj,
            arguments=clause.arguments,
            claimant=CharSpan(frame.speaker.start_char, frame.speaker.end_char) if frame.speaker is not None else None,
            claimant_kind=frame.kind,
            polarity=Polarity.NEGATIVE if negated else Polarity.POSITIVE,
            modality=modality,
            identity=identity,
            confidence=confidence,
            proposition=proposition or evidence,
        )


def _speaker_of(verb: Token) -> Span | None:
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is not None:
        if subj.dep_ == "nsubjpass":
            return None
        return _np(subj)
    # "e/accs think …": the parser may leave a mention un-attached before the verb.
    before: Span | None = next(
        (s for s in verb.doc.spans.get(SPANS_KEY, []) if s.end == verb.i and s.sent.start == verb.sent.start), None
    )
    return before


def _copula_of_subject(noun: Token) -> Token | None:
    node = noun
    while node.dep_ not in {"nsubj", "ROOT"}:
        node = node.head
    return node.head if node.dep_ == "nsubj" and node.head.lemma_ == "be" else None


def _in_brackets(tok: Token) -> bool:
    before = tok.sent[: tok.i - tok.sent.start]
    return sum(t.text == "(" for t in before) > sum(t.text == ")" for t in before)


def _after_comma(verb: Token) -> bool:
    start = min(verb.i, *(c.left_edge.i for c in verb.children if c.i < verb.i))
    return start > 0 and verb.doc[start - 1].text in {",", '"', "\u201d", "'", "\u2019"}


def _can_speak(speaker: Span) -> bool:
    """A speaker is a named entity, a pronoun or a speaker description, not any noun phrase."""
    if _speaker_kind(speaker) != "explicit":
        return True
    return any(
        m.start < speaker.end and speaker.start < m.end and m.label_ != "Place"
        for m in speaker.doc.spans.get(SPANS_KEY, [])
    )


def _speaker_kind(speaker: Span) -> str:
    words = [t.lower_ for t in speaker if t.is_alpha]
    if len(words) == 1 and words[0] in SPEAKER_PRONOUNS:
        return "pronoun"
    if speaker.root.lemma_.lower() in SPEAKER_NOUNS and not any(t.pos_ == "PROPN" for t in speaker):
        return "description"
    return "explicit"


def _np(tok: Token, *, strip_case: bool = False) -> Span:
    """The noun phrase headed by ``tok``: its left modifiers and compounds, not its clauses."""
    doc = tok.doc
    left = tok.left_edge.i
    right = tok.i + 1
    for child in tok.rights:
        if child.dep_ in {"prep", "appos", "compound", "flat"} and child.lower_ != "with":
            right = child.right_edge.i + 1
        else:
            break
    span = doc[left:right]
    if strip_case:
        span = doc[left : tok.i + 1]
    while len(span) > 1 and span[0].is_punct:
        span = doc[span.start + 1 : span.end]
    return span


def _fallback_heads(sent: Span, frame: _Frame) -> list[Token]:
    """When the parse has no usable root clause, the highest verb that has a subject."""
    candidates = [
        t
        for t in sent
        if t.pos_ in {"VERB", "AUX"}
        and any(c.dep_ in SUBJECT_DEPS for c in t.children)
        and t != frame.reporting_verb
        and t.dep_ not in {"relcl", "acl", "advcl", "csubj", "pcomp"}
    ]
    return sorted(candidates, key=lambda t: (len(list(t.ancestors)), t.i))[:1]


def _identity(sent: Span) -> tuple[str, str, list[Token]] | None:
    """'the identity of X and Y' / 'X and Y are one and the same': X is identical to Y."""
    if not _IDENTITY.search(sent.text):
        return None
    for tok in sent:
        if tok.lower_ == "identity":
            prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if pobj is not None:
                conj = next((c for c in pobj.children if c.dep_ == "conj"), None)
                if conj is not None:
                    return join(_first_conjunct(pobj, conj)), join(list(conj.subtree)), [*pobj.subtree]
    for tok in sent:
        if tok.lemma_ == "be":
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            conj = next((c for c in subj.children if c.dep_ == "conj"), None) if subj is not None else None
            if subj is not None and conj is not None and subj.pos_ != "PRON":
                return join(_first_conjunct(subj, conj)), join(list(conj.subtree)), [*subj.subtree, tok]
    return None


def _first_conjunct(head: Token, conj: Token) -> list[Token]:
    second = {t.i for t in conj.subtree}
    return [t for t in head.subtree if t.i not in second and t.dep_ != "cc" and not t.is_punct]


def _modality(tokens: list[Token], frame: _Frame) -> Modality:
    words = {t.lower_ for t in tokens}
    if words & HEDGES or any(t.lemma_.lower() in {"seem", "appear"} for t in tokens if t.pos_ == "VERB"):
        return Modality.HEDGED
    if words & FUTURE or ("going" in words and "to" in words):
        return Modality.PREDICTED
    if frame.reporting_verb is not None and frame.reporting_verb.lemma_.lower() in PREDICT_VERBS:
        return Modality.PREDICTED
    return Modality.ASSERTED


def _first_person(frame: _Frame) -> bool:
    return frame.kind == "pronoun" and frame.speaker is not None and frame.speaker.text.lower() in FIRST_PERSON


def _quote_regions(text: str) -> list[tuple[int, int]]:
    regions = []
    for open_q, close_q in _QUOTE_PAIRS:
        pos = 0
        while True:
            start = text.find(open_q, pos)
            if start < 0:
                break
            end = text.find(close_q, start + 1)
            newline = text.find("\n", start)
            if end < 0 or (0 <= newline < end):
                pos = start + 1
                continue
            regions.append((start, end + 1))
            pos = end + 1
    return sorted(regions)


def _quote_speakers(doc: Doc, quotes: list[tuple[int, int]], frames: dict[int, _Frame]) -> dict[int, _Frame]:
    """Sentences inside a quotation take the speaker named at its end or start."""
    inherited: dict[int, _Frame] = {}
    text = doc.text  # Doc.text joins every token on each access
    sents = list(doc.sents)
    ends = [s.end_char for s in sents]
    starts = [s.start_char for s in sents]
    previous: tuple[int, _Frame] | None = None  # end offset and speaker of the last attributed quote
    for q_start, q_end in quotes:
        first = bisect.bisect_right(ends, q_start)
        last = bisect.bisect_left(starts, q_end)
        inside = sents[first:last]
        if not inside:
            continue
        speaker = next(
            (f for s in reversed(inside) if (f := frames[s.start]).kind != "author" and not _first_person(f)),
            None,
        )
        if speaker is None or speaker.reporting_verb is None:
            # A quoted passage right after an attributed one, in the same paragraph, continues
            # it; a quoted term ("artilects") does not.
            quoted = text[q_start + 1 : q_end - 1]
            speech = len(quoted.split()) >= _SPEECH_WORDS and quoted[:1].isupper()
            if previous is None or not speech or "\n" in text[previous[0] : q_start]:
                continue
            speaker = previous[1]
        previous = (max(q_end, max(s.end_char for s in inside)), speaker)
        for s in inside:
            inherited[s.start] = _Frame(speaker.speaker, speaker.kind, frames[s.start].content)
    return inherited


@Language.factory("acckg_claims", default_config={"min_words": 4}, requires=["token.dep", "token.pos"])
def make_claims(nlp: Language, name: str, min_words: int) -> ClaimExtractor:
    if not Doc.has_extension("acckg_claims"):
        Doc.set_extension("acckg_claims", default=None)
    return ClaimExtractor(min_words)
