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
from kg.nlp import doccache
from kg.nlp.clauses import (
    REPORTING_VERBS as REPORTING_VERBS,  # re-exported: the pipeline's sentence splitter reads it here
)
from kg.nlp.clauses import (
    SUBJECT_DEPS,
    VERB_GROUP,
    Clause,
    after_semicolon,
    aside,
    clause_at,
    clause_subject,
    coordinated,
    join,
)
from kg.nlp.mentions import SPANS_KEY

STANCE_VERBS = frozenset(
    """predict forecast argue claim believe propose call describe envisage envision foresee advocate reject
    criticise criticize praise dismiss consider deem regard doubt deny warn stress emphasize emphasise""".split()
)
# Verbs of judgement: with its grounds or verdict spelt out (see _verdict) such a verb's clause
# is its subject's stance.
VERDICT_VERBS = frozenset(
    """criticise criticize praise dismiss reject condemn denounce describe call characterise characterize label
    brand hail applaud welcome endorse agree disagree side oppose blame credit accuse fault ridicule question
    challenge dispute regard consider view deem judge quote cite portray depict""".split()
)
_GROUNDS = frozenset({"as", "for", "with", "of"})
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
SPEAKER_PRONOUNS = frozenset(["he", "she", "they", "we", "i", "his", "her", "their"])
FIRST_PERSON = frozenset({"i", "we"})
SPEAKER_NOUNS = frozenset(
    """author authors researcher researchers company team scientists critics writer paper study analysis""".split()
)
_IDENTITY = re.compile(r"\b(one and the same|the same thing|identical|equivalent|identity of)\b", re.IGNORECASE)
_SPEECH_WORDS = 6
# A heading: a short line without final punctuation between blank lines (or the title line).
_HEADING = re.compile(r"(?m)(?:\A|(?<=\n\n))([^\n.?!:;,\"]{1,60})\n(?=\n)")
_PROSPECTIVE = frozenset(["will", "shall", "'ll", "wo", "may", "might", "could", "must", "should"])
FIRST_PERSON_WORDS = frozenset(["i", "we", "my", "our", "me", "us"])
_SPEAKER_LABELS = frozenset({"Person", "Organization", "CreativeWork", "Concept"})
_AUTHOR_LABELS = frozenset({"Person", "Organization"})
WORK_NOUNS = frozenset(
    """book novel essay article paper study report history memoir manifesto treatise review column letter
    lecture talk documentary film""".split()
)
# Paragraphs: a newsletter item runs on over single line breaks, an article's paragraph ends at a blank line.
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ELABORATING = ("namely", "that is", "in other words", "in particular", "for example", "for instance", "i.e.")
_PRESENT_MODALS = frozenset({"can", "must", "may", "might", "will", "should"})
_QUOTE_PAIRS = (("\u201c", "\u201d"), ('"', '"'))


@dataclass(frozen=True)
class _Frame:
    """Who a stretch of text is attributed to, and how that was found."""

    speaker: Span | None
    kind: str
    content: list[Token]  # clause heads carrying the propositions
    reporting_verb: Token | None = None
    verdict: Token | None = None  # a verb whose subject judges ("criticizes X for Y"): the clause is their stance

    @property
    def cue(self) -> Token | None:
        """The verb that names the speaker, a report's or a verdict's."""
        return self.reporting_verb or self.verdict


class ClaimExtractor:
    def __init__(self, min_words: int) -> None:
        self.min_words = min_words

    def __call__(self, doc: Doc) -> Doc:
        quotes = _quote_regions(doccache.text(doc))
        frames = {sent.start: self._frame(sent) for sent in doccache.sents(doc)}
        quote_speakers = _quote_speakers(doc, quotes, frames)
        in_title = {
            i for m in doccache.spans(doc, SPANS_KEY).all if m.label_ == "CreativeWork" for i in range(m.start, m.end)
        }
        topic_voice = _TopicVoice(doc, quotes, frames)
        quote_starts = [start for start, _ in quotes]
        claims: list[RawClaim] = []
        previous: Span | None = None
        for sent in doccache.sents(doc):
            frame = frames[sent.start]
            inherited = quote_speakers.get(sent.start)
            if inherited is None and previous is not None and _continues(previous, frames[previous.start], sent, frame):
                inherited = _Frame(frames[previous.start].speaker, frames[previous.start].kind, frame.content)
            previous = sent
            if _first_person(frame):
                # "I predict", "we hope": the quoted speaker inside a quotation, else the author.
                frame = _Frame(None, "author", frame.content, frame.reporting_verb)
            if frame.kind == "author" and inherited is not None:
                frame = _Frame(inherited.speaker, inherited.kind, frame.content, frame.reporting_verb)
            if frame.kind == "author":
                frame = topic_voice.frame(sent, frame)
            # Whoever speaks the sentence as a whole: the speaker of a quotation it starts in, else the author.
            k = bisect.bisect_right(quote_starts, sent.start_char) - 1
            quoted = inherited is not None and k >= 0 and sent.start_char < quotes[k][1]
            outer = inherited if quoted and inherited else topic_voice.frame(sent, _Frame(None, "author", [sent.root]))
            claims.extend(self._claims(sent, frame, in_title, outer))
        doc._.acckg_claims = claims
        return doc

    def _frame(self, sent: Span) -> _Frame:
        root = sent.root
        tokens = doccache.tokens(sent.doc)[sent.start : sent.end]
        # The innermost report wins: in "critics say e/accs think X", X is held by e/accs.
        for tok in reversed(tokens):
            if tok.pos_ != "VERB":
                continue
            # A report in an aside is its speaker's claim alongside the sentence's (see _aside).
            lemma = tok.lemma_.lower()
            if (lemma in REPORTING_VERBS or lemma in VERDICT_VERBS) and not aside(tok):
                speaker = _who(_speaker_of(tok))
                if speaker is None:
                    continue
                content = [c for c in tok.children if c.dep_ in {"ccomp", "xcomp"} and c.i > speaker.end - 1]
                small = next((c for c in tok.children if c.dep_ == "ccomp" and c.pos_ not in {"VERB", "AUX"}), None)
                if small is not None:
                    # "Higgs finds her unpleasant", "Terrans will find themselves unable to ...": a
                    # verbless small clause is a judgement or a state, not reported speech; after a
                    # stance verb ("he considers Google a supercomputer") it is the subject's view.
                    if lemma in STANCE_VERBS:
                        return _Frame(speaker, _speaker_kind(speaker), [tok], verdict=tok)
                    content = []
                elif not content and tok.dep_ in {"ROOT", "parataxis"}:
                    # '"…," Google writes': the quoted clause hangs off the reporting verb
                    content = [c for c in tok.children if c.dep_ in {"ccomp", "parataxis"}]
                if (
                    small is None
                    and not content
                    and tok.dep_ in {"parataxis", "ccomp"}
                    and tok.head.i < tok.i
                    and _after_comma(tok)
                ):
                    content = [tok.head]  # "X is Y, he said"
                if content:
                    # "He suggests A, and B would follow": the parser often hangs B on the
                    # reporting verb, or on the report around it ("He states that he believes
                    # A, but that B"); a coordinated clause with its own subject is reported too.
                    reports = (
                        [tok, tok.head] if tok.dep_ == "ccomp" and tok.head.lemma_.lower() in REPORTING_VERBS else [tok]
                    )
                    content += [
                        c
                        for r in reports
                        for c in r.children
                        if c.dep_ == "conj"
                        and c.lemma_.lower() not in REPORTING_VERBS
                        and any(g.dep_ in SUBJECT_DEPS for g in c.children)
                    ]
                    return _Frame(speaker, _speaker_kind(speaker), [_factive(c) for c in content], tok)
                if (tok == root and lemma in STANCE_VERBS) or (_verdict(tok) and _main_clause(tok)):
                    # "De Garis predicts a third group", "Warwick called it a nightmare", "He wrote
                    # a book and criticized X for Y": no reported clause, but the clause states
                    # the subject's own view.
                    return _Frame(speaker, _speaker_kind(speaker), [tok], verdict=tok)
        for tok in tokens:
            if tok.lower_ != "according" or tok.i + 1 >= len(sent.doc) or sent.doc[tok.i + 1].lower_ != "to":
                continue
            if not _in_brackets(tok):  # "(…, according to de Garis)" vouches for the aside only
                pobj = next((c for c in sent.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
                source = _source(pobj) if pobj is not None else None
                if source is not None:
                    return _Frame(source, "according", [tok.head if tok.head.i != tok.i else root])
        first = next((t for t in tokens if not t.is_space and not t.is_punct), None)
        if first is not None and first.lower_ in {"to", "for"} and first.head == root and first.i < root.i:
            # "To Terrans, a future without humans is to be avoided", "For Deleuze, philosophy is
            # the creation of concepts": the view of the Terrans, of Deleuze.
            pobj = next((c for c in first.children if c.dep_ == "pobj"), None)
            comma = pobj.right_edge.i + 1 if pobj is not None else sent.end
            if pobj is not None and comma < sent.end and sent.doc[comma].text == "," and _names_speaker(_np(pobj)):
                return _Frame(_np(pobj), "according", [root])
        for tok in tokens:
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

    def _claims(self, sent: Span, frame: _Frame, in_title: set[int], outer: _Frame) -> Iterator[RawClaim]:
        if sent.text.rstrip().endswith("?") or sum(t.is_alpha for t in sent) < self.min_words:
            return
        identity = _identity(sent)
        if identity is not None:
            subject, obj, tokens = identity
            yield self._make(sent, frame, Clause(subject, "is identical to", obj, (obj,), tokens), identity=True)
        heads = frame.content
        if not any(clause_subject(c) is not None for h in heads for c in coordinated(h)):
            heads = _fallback_heads(sent, frame)
        for head in heads:
            yield from self._clauses(sent, frame, head, in_title, outer)
        verb = frame.reporting_verb
        if (
            verb is not None
            and verb.head == sent.root != verb
            and ((verb.i < verb.head.i and after_semicolon(verb)) or _participle(verb))
        ):
            # "They argued that A; this idea was rejected by B": the report ends at the semicolon.
            # "She testified before the Senate, arguing that A": the testimony is the writer's report.
            root = _Frame(outer.speaker, outer.kind, [sent.root], verb)
            yield from self._clauses(sent, root, sent.root, in_title, outer, besides=verb)
        cue = frame.cue
        if cue is not None and cue.dep_ == "conj" and frame.kind != "author" and cue.head.i not in in_title:
            yield from self._first_conjunct(sent, cue.head, cue, outer)

    def _clauses(
        self, sent: Span, frame: _Frame, head: Token, in_title: set[int], outer: _Frame, besides: Token | None = None
    ) -> Iterator[RawClaim]:
        """The propositions of ``head`` and the clauses coordinated with it, except the report ``besides``."""
        for clause in coordinated(head):
            if besides is not None and besides.left_edge.i <= clause.i <= besides.right_edge.i:
                continue
            built = clause_at(clause, frame.reporting_verb)
            if built is None:
                continue
            if clause.i in in_title:
                continue  # "Diffusion Models Are Real-Time Game Engines" is a title, not a claim
            if aside(clause):
                yield from self._aside(sent, clause, frame)
                continue
            if not built.object and (clause.lemma_.lower() in REPORTING_VERBS or clause.lemma_ == "be"):
                continue  # "the authors write", "the answer here is": a frame without its content
            if (
                frame.verdict is not None
                and clause.dep_ == "conj"
                and not _judges(clause)
                and not any(c.dep_ in SUBJECT_DEPS for c in clause.children)
            ):
                # "X described Y as Z and outlined his views in an essay": what X did is the writer's report.
                yield self._make(sent, _Frame(outer.speaker, outer.kind, [clause]), built)
                continue
            yield self._make(sent, _scope(frame, head, clause, outer), built)

    def _aside(self, sent: Span, report: Token, frame: _Frame) -> Iterator[RawClaim]:
        """ "…, including Chris Malcolm, who described it as P": the report is Malcolm's, whoever
        holds the sentence around it; without a clause of its own it states his view."""
        reported = [c for c in report.children if c.dep_ == "ccomp" and c.pos_ in {"VERB", "AUX"}]
        speaker = _who(_speaker_of(report))
        if speaker is not None:
            frame = _Frame(speaker, _speaker_kind(speaker), reported or [report], report if reported else None)
        for clause in (v for c in reported for v in coordinated(c)) if reported else [report]:
            built = clause_at(clause, frame.reporting_verb)
            if built is not None and built.object:
                yield self._make(sent, frame, built)

    def _first_conjunct(self, sent: Span, head: Token, report: Token, outer: _Frame) -> Iterator[RawClaim]:
        """The verb a reporting verb is coordinated with: a report of its own ("Binfield asserts
        that A, and he suggests that B": A is Binfield's too), a verdict ("Joy agrees with X but
        thinks that B": that he agrees is his stance), else the sentence speaker's ("Orwell
        praised the book and said that P": that he praised it is the writer's report)."""
        reported = [c for c in head.children if c.dep_ == "ccomp" and c.i > head.i and c.pos_ in {"VERB", "AUX"}]
        judge = _who(_speaker_of(head)) if not reported and _verdict(head) else None
        if judge is not None and not _first_person(_Frame(judge, _speaker_kind(judge), [])):
            built = clause_at(head, report)
            if built is not None and built.object:
                yield self._make(sent, _Frame(judge, _speaker_kind(judge), [head], verdict=head), built)
            return
        speaker = _who(_speaker_of(head)) if reported and head.lemma_.lower() in REPORTING_VERBS else None
        if speaker is not None:
            frame = _Frame(speaker, _speaker_kind(speaker), reported, head)
            if _first_person(frame):
                frame = _Frame(outer.speaker, outer.kind, reported, head)
            for clause in (v for c in reported for v in coordinated(c)):
                built = clause_at(clause, head)
                if built is not None and built.object:
                    yield self._make(sent, frame, built)
            return
        built = clause_at(head, report)
        if built is not None and built.object:
            yield self._make(sent, _Frame(outer.speaker, outer.kind, [head]), built)

    def _make(self, sent: Span, frame: _Frame, clause: Clause, *, identity: bool = False) -> RawClaim:
        subject, predicate, obj, tokens = clause.subject, clause.predicate, clause.object, clause.tokens
        verbs = [t for t in tokens if t.dep_ in VERB_GROUP or t.pos_ in {"VERB", "AUX"}]
        negated = any(t.dep_ == "neg" or t.lower_ in {"never", "no", "nor"} for t in verbs) or predicate.startswith(
            "not "
        )
        modality = _modality(tokens, frame)
        confidence = {"explicit": 0.9, "according": 0.9, "possessive": 0.8, "quote": 0.8, "topic": 0.6}.get(
            frame.kind, 0.7
        )
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


class _TopicVoice:
    """Unframed sentences that an encyclopedic text speaks in its subject's voice.

    A text written in the third person about a person (its title line names one)
    presents that person's views without repeating "he argues" in every sentence.
    A reader takes two kinds of sentence as the subject's rather than the writer's:
    quotations listed under a "Quotes" heading, and predictions or possibilities
    ("Terrans will see themselves as ...", "machines may ...") in a section where the
    subject is already reported as thinking or predicting something. Encyclopedias do
    not predict in their own voice; present and past statements stay the writer's.
    A text that says "I" or "we" outside quotations has an author with a voice of
    their own (a newsletter, an essay), and keeps every unframed sentence.
    """

    def __init__(self, doc: Doc, quotes: list[tuple[int, int]], frames: dict[int, _Frame]) -> None:
        text = doccache.text(doc)
        title_end = text.find("\n") if "\n" in text else len(text)
        self.quoted: set[int] = set()
        self.topic = next(
            (m for m in doccache.spans(doc, SPANS_KEY).all if m.end_char <= title_end and m.label_ == "Person"), None
        )
        starts = [q[0] for q in quotes]
        self.quoted = {
            t.i
            for t in doccache.tokens(doc)
            if (k := bisect.bisect_right(starts, t.idx) - 1) >= 0 and t.idx < quotes[k][1]
        }
        if any(t.lower_ in FIRST_PERSON_WORDS and t.i not in self.quoted for t in doccache.tokens(doc)):
            self.topic = None
        self.stretches: list[tuple[int, str]] = []  # (start offset, heading) of each headed stretch
        self.voiced: set[int] = set()  # stretches in which the topic is reported as speaking
        if self.topic is None:
            return
        self.stretches = [(m.start(), m.group(1).strip().lower()) for m in _HEADING.finditer(text)]
        mentions = doccache.spans(doc, SPANS_KEY).all
        ids = {m.kb_id_ for m in mentions if m.kb_id_ == self.topic.kb_id_}
        for frame in frames.values():
            if frame.speaker is None or frame.reporting_verb is None:
                continue
            pronoun = _speaker_kind(frame.speaker) == "pronoun" and frame.speaker.text.lower() in {"he", "she"}
            named = any(
                m.kb_id_ in ids and m.start < frame.speaker.end and frame.speaker.start < m.end for m in mentions
            )
            if pronoun or named:
                self.voiced.add(self._stretch(frame.speaker.start_char))

    def _stretch(self, offset: int) -> int:
        return bisect.bisect_right([s for s, _ in self.stretches], offset) - 1

    def frame(self, sent: Span, frame: _Frame) -> _Frame:
        if self.topic is None:
            return frame
        stretch = self._stretch(sent.start_char)
        heading = self.stretches[stretch][1] if stretch >= 0 else ""
        if heading in {"quotes", "quotations"} and any(t.i in self.quoted for t in sent):
            return _Frame(self.topic, "topic", frame.content)
        if stretch not in self.voiced:
            return frame
        # The main clause itself looks ahead ("Terrans will see themselves ..."); a modal
        # inside a subordinate clause does not make "He refers to X because they will ..." a view.
        heads = [v for h in frame.content for v in coordinated(h)]
        modal = any(c.tag_ == "MD" and c.lower_ in _PROSPECTIVE for v in heads for c in v.children)
        about_topic = any(
            c.dep_ in SUBJECT_DEPS and (c.lower_ in {"he", "she"} or self.topic.start <= c.i < self.topic.end)
            for v in heads
            for c in v.children
        )
        return _Frame(self.topic, "topic", frame.content) if modal and not about_topic else frame


def _scope(frame: _Frame, head: Token, clause: Token, outer: _Frame) -> _Frame:
    """ "They argued that A; this idea was rejected by B": a report's scope ends at a
    semicolon, so a clause after one without its own "that" is the sentence speaker's. A
    semicolon inside a quotation ('X said: "A; but B"') ends nothing."""
    report = frame.reporting_verb
    if report is None or clause == head or clause.i < report.i or not after_semicolon(clause):
        return frame
    between = doccache.text(clause.doc)[report.idx : clause.idx]
    if between.count('"') % 2 or between.count("\u201c") > between.count("\u201d"):
        return frame
    if any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
        return frame
    return _Frame(outer.speaker, outer.kind, [clause])


def _speaker_of(verb: Token) -> Span | None:
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    # "Hugo identifies with that group and noted that ...", "He testified, arguing that ...": a
    # coordinated verb or a participle without a subject of its own reports for its head's subject.
    if subj is None and (verb.dep_ == "conj" or _participle(verb)):
        subj = next((c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is not None:
        if subj.dep_ == "nsubjpass":
            return None
        if aside(verb):
            # "Igor Aleksander, who said ...": the relative pronoun stands for the noun it modifies.
            return _np(verb.head)
        return _np(subj)
    # "e/accs think …": the parser may leave a mention un-attached before the verb.
    before: Span | None = next(
        (
            s
            for s in doccache.spans(verb.doc, SPANS_KEY).covering(verb.i - 1)
            if s.end == verb.i and s.sent.start == verb.sent.start
        ),
        None,
    )
    return before


def _verdict(verb: Token) -> bool:
    """ "criticizes X for Y", "dismissed X as Y", "agrees with X", "called X Y": a verb of
    judgement with the grounds or the judgement spelt out, so that the clause states its
    subject's stance rather than something they did ("praised the book")."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in VERDICT_VERBS:
        return False
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
        return False  # "X was criticized for Y" reports a judgement of X, held by whoever made it
    return any(
        c.dep_ in {"oprd", "xcomp", "ccomp"} or (c.dep_ == "prep" and c.lower_ in _GROUNDS)
        for c in verb.children
        if c.i > verb.i
    )


def _judges(verb: Token) -> bool:
    """A verb whose clause states its subject's view without reporting a clause."""
    return verb.lemma_.lower() in STANCE_VERBS or _verdict(verb)


def _main_clause(verb: Token) -> bool:
    """The sentence's root or a verb coordinated with it."""
    while verb.dep_ == "conj":
        verb = verb.head
    return verb.dep_ == "ROOT"


def _continues(before: Span, report: _Frame, sent: Span, frame: _Frame) -> bool:
    """ "Gray argues that A. It gives B.", "X supposes that A. Namely, B.": an unframed sentence
    that carries on an argument reported in the present tense in the sentence before it, in the
    same paragraph, is the arguer's. It must say so: open with a connective that elaborates
    ("namely", "in other words") or, in the present tense, take "it"/"this" (the argument's
    topic) as its subject. Past-tense reports are narrative: what follows them is the writer's."""
    verb = report.reporting_verb
    if frame.kind != "author" or verb is None or report.kind == "author" or _first_person(report):
        return False
    # A line break always ends a sentence here (see the pipeline), so one inside ``before`` ends the paragraph.
    if verb.tag_ not in {"VBZ", "VBP"} or any("\n" in t.text_with_ws for t in before):
        return False
    words = [t.lower_ for t in sent if not t.is_space][:3]
    if any(" ".join(words[: len(c.split())]) == c for c in _ELABORATING):
        return True
    root = sent.root
    present = root.tag_ in {"VBZ", "VBP"} or any(c.tag_ == "MD" and c.lower_ in _PRESENT_MODALS for c in root.children)
    it = any(c.dep_ == "nsubj" and c.lower_ in {"it", "this"} for c in root.children)
    return present and it and not _could_be_it(report.speaker)


def _could_be_it(speaker: Span | None) -> bool:
    """A speaker that "it" could stand for (a company, a paper): then "It does X" after "It says
    that A" is about the speaker, not A. People and groups are never "it"."""
    if speaker is None or speaker.root.tag_ in {"NNS", "NNPS"} or speaker.text.lower() in {"he", "she", "they"}:
        return False
    return not any(m.label_ == "Person" for m in doccache.spans(speaker.doc, SPANS_KEY).covering(speaker.root.i))


def _participle(verb: Token) -> bool:
    """ "..., arguing that P": a participle adjunct, which has no subject of its own."""
    return verb.dep_ == "advcl" and verb.tag_ == "VBG" and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)


def _factive(head: Token) -> Token:
    """ "He cannot ignore the fact that P" reports P: the clause a "fact" noun carries."""
    for child in head.children:
        if child.dep_ in {"dobj", "pobj", "attr"} and child.lemma_.lower() == "fact":
            clause = next((c for c in child.children if c.dep_ in {"acl", "ccomp"} and c.pos_ in {"VERB", "AUX"}), None)
            if clause is not None:
                return clause
    return head


def _source(pobj: Token) -> Span | None:
    """The speaker behind "according to X": X itself, or the author of a document X
    ("a manifesto drawn up by the Congress"); a law or a tradition is no speaker."""
    phrase = _np(pobj)
    if pobj.pos_ == "PROPN" or _names_speaker(phrase) or _speaker_kind(phrase) != "explicit":
        return phrase
    return next(
        (_np(t) for t in pobj.subtree if t.dep_ == "pobj" and t.head.lower_ == "by" and _names_speaker(_np(t))),
        None,
    )


def _names_speaker(phrase: Span) -> bool:
    """The phrase's head word is part of a person's, group's or work's name."""
    return any(m.label_ in _SPEAKER_LABELS for m in doccache.spans(phrase.doc, SPANS_KEY).covering(phrase.root.i))


def _copula_of_subject(noun: Token) -> Token | None:
    node = noun
    while node.dep_ not in {"nsubj", "ROOT"}:
        node = node.head
    return node.head if node.dep_ == "nsubj" and node.head.lemma_ == "be" else None


def _in_brackets(tok: Token) -> bool:
    before = tok.sent[: tok.i - tok.sent.start]
    return sum(t.text == "(" for t in before) > sum(t.text == ")" for t in before)


def _after_comma(verb: Token) -> bool:
    start = min((c.left_edge.i for c in verb.children if c.i < verb.i), default=verb.i)
    return start > 0 and verb.doc[start - 1].text in {",", '"', "\u201d", "'", "\u2019"}


def _who(phrase: Span | None) -> Span | None:
    """The one who speaks in a subject phrase, or None when it names no speaker.

    A pronoun or a speaker description ("the researchers") stands for one, resolved later.
    Otherwise the phrase's head word must be a person's, group's or work's name: in "AI
    thinkers" the name is a modifier and nobody in particular speaks. A work speaks with its
    author's voice when the phrase names one ("The Coming Wave, a book by X"), and a class
    noun speaks through the one name it is exemplified by ("researchers such as X"); a list
    of several names is a group no single claimant holds.
    """
    if phrase is None or _speaker_kind(phrase) != "explicit":
        return phrase
    doc, root = phrase.doc, phrase.root
    # The phrase with its appositions and participles ("X, a book written by Y,"), without clauses.
    within = {t.i for t in root.subtree} - {t.i for c in root.subtree if c.dep_ == "relcl" for t in c.subtree}
    names = doccache.spans(doc, SPANS_KEY).within(within)
    head = next((m for m in names if m.start <= root.i < m.end), None)
    work = (head is not None and head.label_ == "CreativeWork") or any(
        doc[i].lemma_.lower() in WORK_NOUNS and (doc[i].dep_ == "appos" or i == root.i) for i in within
    )
    if work:
        # "a book by X", "written by X", "X's book": the work's author holds what it says.
        authors = [
            m
            for m in names
            if m.label_ in _AUTHOR_LABELS
            and (
                doc[m.end - 1].head.lower_ == "by"
                or (doc[m.end - 1].dep_ == "poss" and doc[m.end - 1].head.lemma_.lower() in WORK_NOUNS)
            )
        ]
        if len(authors) == 1:
            return authors[0]
    if head is not None:
        return head if head.label_ in _SPEAKER_LABELS else None
    # "researchers such as X", "the historian X": the name in apposition or after "such as".
    such = any(t.lower_ == "such" for t in phrase)
    examples = [
        m
        for m in names
        if m.label_ in _AUTHOR_LABELS
        and (doc[m.end - 1].dep_ == "appos" or (such and doc[m.end - 1].dep_ in {"pobj", "conj"}))
    ]
    return examples[0] if len(examples) == 1 else None


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
    text = doccache.text(doc)
    sents = doccache.sents(doc)
    ends = [s.end_char for s in sents]
    starts = [s.start_char for s in sents]
    previous: tuple[int, _Frame] | None = None  # end offset and speaker of the last attributed quote
    for q_start, q_end in quotes:
        first = bisect.bisect_right(ends, q_start)
        last = bisect.bisect_left(starts, q_end)
        inside = sents[first:last]
        if not inside:
            continue
        framed = [f for s in inside if (f := frames[s.start]).kind != "author" and not _first_person(f)]
        # The speaker who introduces the quotation ('de Garis noted, "..."') holds all of it; a
        # report quoted inside it ('He said he was against it') is that sentence's own frame.
        speaker = next(
            (f for f in framed if f.cue is not None and not q_start <= f.cue.idx < q_end),
            framed[-1] if framed else None,
        )
        if speaker is None or speaker.cue is None:
            # Quoted speech (a quoted term such as "artilects" is none) continues whoever spoke
            # just before it in the same paragraph: the report its colon closes ('X has said of
            # Y: "..."'), the attributed sentence it follows ('X criticizes Y for Z. "..."'),
            # or the attributed quotation before it.
            quoted = text[q_start + 1 : q_end - 1]
            if len(quoted.split()) < _SPEECH_WORDS or not quoted[:1].isupper():
                continue
            opens = not text[inside[0].start_char : q_start].strip()
            before = frames[sents[first - 1].start] if opens and first > 0 else None
            if before is not None and (
                before.cue is None or _first_person(before) or "\n" in text[sents[first - 1].start_char : q_start]
            ):
                before = None
            speaker = _introducer(doc, text, q_start) or before
            if speaker is None and previous is not None and not _BLANK_LINE.search(text, previous[0], q_start):
                speaker = previous[1]
            if speaker is None:
                continue
        # Where the attributed stretch ends: the quotation, or the sentence that carries on after it.
        ends_at = max(t.idx + len(t) for s in inside for t in s if not t.is_space)
        previous = (max(q_end, ends_at), speaker)
        for s in inside:
            inherited[s.start] = _Frame(speaker.speaker, speaker.kind, frames[s.start].content)
    return inherited


def _introducer(doc: Doc, text: str, q_start: int) -> _Frame | None:
    """ "X has said of Y: ...", "He comments: ...": a report whose clause is the quotation after its colon."""
    end = q_start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    colon = doc.char_span(end - 1, end, alignment_mode="expand") if end > 0 and text[end - 1] == ":" else None
    if colon is None:
        return None
    for tok in reversed(colon.sent[: colon.start - colon.sent.start]):
        # The verb of the clause the colon closes, not one inside a phrase ("a way of thinking about X:").
        if tok.pos_ == "VERB" and tok.lemma_.lower() in REPORTING_VERBS and tok.dep_ in {"ROOT", "conj", "ccomp"}:
            speaker = _who(_speaker_of(tok))
            frame = _Frame(speaker, _speaker_kind(speaker), [], tok) if speaker is not None else None
            if frame is not None and not _first_person(frame):
                return frame
    return None


@Language.factory("acckg_claims", default_config={"min_words": 4}, requires=["token.dep", "token.pos"])
def make_claims(nlp: Language, name: str, min_words: int) -> ClaimExtractor:
    if not Doc.has_extension("acckg_claims"):
        Doc.set_extension("acckg_claims", default=None)
    return ClaimExtractor(min_words)
