"""Clauses: the subject, predicate and object of a verb, shared by claims and propositions.

A clause is read off the dependency parse: the subject's subtree, the verb group
(auxiliaries, negation, particles) and everything the verb governs to its right, split
into one argument per complement. Coordinated verbs ("have a bright future and are
principal agents") are separate clauses that share the subject.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

_BARE_MARKS = frozenset({"that", "whether", "if"})
_RELATIVE = frozenset({"who", "which"})
REPORTING_VERBS = frozenset(
    """say write argue think believe predict claim suggest contend assert state note propose hold maintain
    insist warn conclude show find hope expect fear estimate indicate explain add declare hypothesize
    hypothesise report observe speculate reckon doubt deny agree acknowledge admit announce emphasize
    emphasise stress point posit theorize theorise contend imagine envision envisage forecast confirm recall
    reveal remark describe call advocate reject criticise criticize praise dismiss consider deem regard feel
    elaborate suppose comment opine allege caution concede counter lament complain conjecture surmise testify""".split()
)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
VERB_GROUP = frozenset({"aux", "auxpass", "neg", "prt"})


def coordinated(head: Token) -> Iterator[Token]:
    """``head`` and the verbs coordinated with it ("have a bright future and are agents"),
    including clauses that only look subordinate (see :func:`independent`)."""
    yield head
    for child in head.children:
        if (child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}) or independent(child):
            yield from coordinated(child)
        else:
            yield from _nested(child)


def _nested(tok: Token) -> Iterator[Token]:
    """Independent clauses deeper in a clause: a report in an aside ("..., including Chris
    Malcolm, who described it as ..."), a clause after a semicolon that the parser hung on a
    subordinate clause."""
    for child in tok.children:
        yield from coordinated(child) if independent(child) else _nested(child)


def independent(clause: Token) -> bool:
    """A clause the parser hangs under another that asserts a proposition of its own: one
    joined by a semicolon ("X is A; this is due to B"), contrasted by "whereas", a verb's
    second complement clause, or a report in an aside (see :func:`aside`)."""
    if clause.pos_ not in {"VERB", "AUX"} or not any(c.dep_ in SUBJECT_DEPS for c in clause.children):
        return False
    if clause.dep_ == "relcl":
        return aside(clause)
    if clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "whereas" for c in clause.children):
        return True
    if clause.dep_ == "conj" and _mark(clause) == "that" and _mark(clause.head) not in {"that", None}:
        return True  # "argued that A because B, and that C": C is a second complement, not part of B
    if clause.dep_ not in {"ccomp", "parataxis", "advcl", "conj"}:
        return False
    head = clause.head
    if clause.dep_ == "ccomp" and any(c.dep_ == "ccomp" and head.i < c.i < clause.i for c in head.children):
        return True  # a verb takes one complement clause: a second is a sentence the parser ran on
    return after_semicolon(clause)


def after_semicolon(clause: Token) -> bool:
    """A semicolon separates ``clause`` from the clause the parser hangs it on; the parser
    sometimes attaches the semicolon to the clause itself ("...; this idea was rejected")."""
    doc, head = clause.doc, clause.head
    if clause.i < head.i:
        return any(t.text == ";" for t in doc[clause.right_edge.i + 1 : head.i])
    between = doc[head.i + 1 : clause.left_edge.i]
    return any(t.text == ";" for t in between) or any(c.text == ";" and c.i < clause.i for c in clause.children)


def _mark(clause: Token) -> str | None:
    return next((c.lower_ for c in clause.children if c.dep_ == "mark"), None)


def aside(clause: Token) -> bool:
    """A report in a non-restrictive relative clause ("Igor Aleksander, who said ..."): it
    is its antecedent's own statement, not part of what the main clause says about it."""
    subj = next((c for c in clause.children if c.dep_ in SUBJECT_DEPS), None)
    if clause.dep_ != "relcl" or clause.lemma_.lower() not in REPORTING_VERBS:
        return False
    if subj is None or subj.lower_ not in _RELATIVE or subj.i == 0:
        return False
    return clause.doc[subj.i - 1].text == "," and subj.i == clause.left_edge.i


@dataclass(frozen=True)
class Clause:
    subject: str
    predicate: str
    object: str
    arguments: tuple[str, ...]  # the object split into the verb's complements, in order
    tokens: list[Token]


def clause_subject(verb: Token) -> Token | None:
    """The subject of the clause at ``verb``; None where :func:`clause_at` finds no clause there."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None and verb.dep_ == "conj":
        subj = next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None:
        return None  # imperatives, fragments and headings are not claims
    if subj.lower_ in {"what", "who", "which"} and not aside(verb):
        return None
    return subj


def clause_at(verb: Token, reporting: Token | None) -> Clause | None:
    subj = clause_subject(verb)
    if subj is None:
        return None
    subject_tokens = trim(list(subj.subtree))
    if aside(verb):
        # "Chris Malcolm, who described it as ...": the relative pronoun stands for its antecedent.
        subject_tokens = trim([t for t in verb.head.subtree if t.i < subj.i])
    group = sorted([verb, *(c for c in verb.children if c.dep_ in VERB_GROUP)], key=lambda t: t.i)
    excluded = {verb.i}
    for c in verb.children:
        if c.dep_ in {"conj", "cc"} or c.dep_ in SUBJECT_DEPS or c.dep_ in VERB_GROUP or independent(c):
            excluded.update(t.i for t in c.subtree)
        if reporting is not None and c.i == reporting.i:
            excluded.update(t.i for t in c.subtree)
        if c.dep_ in {"parataxis"} or (c.dep_ == "punct" and c.i > verb.i):
            excluded.update(t.i for t in c.subtree)
    subtree = list(verb.subtree)
    # Independent clauses deeper down ("including Chris Malcolm, who said ...") are claims of their own.
    excluded.update(t.i for c in subtree if c.i not in excluded and independent(c) for t in c.subtree)
    if reporting is not None:
        in_clause = {t.i for t in subtree}
        excluded.update(t.i for t in reporting.subtree if t.i not in in_clause or t.i == reporting.i)
    object_tokens = trim([t for t in subtree if t.i > verb.i and t.i not in excluded])
    # Complements after the verb, then modifiers before it ("In 1997, ..."): each one argument.
    after = [c for c in verb.children if c.i > verb.i and c.i not in excluded]
    before = [c for c in verb.children if c.i < verb.i and c.dep_ in {"prep", "npadvmod"} and c.i not in excluded]
    arguments = tuple(
        text for c in after + before if (text := join(trim([t for t in c.subtree if t.i not in excluded])))
    )
    return Clause(
        subject=join(subject_tokens),
        predicate=" ".join(t.text for t in group),
        object=join(object_tokens),
        arguments=arguments,
        tokens=sorted({*subject_tokens, *group, *object_tokens}, key=lambda t: t.i),
    )


def trim(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ in {"cc", "mark"}):
        if tokens[-1].text == ")" and sum(t.text == "(" for t in tokens) > sum(t.text == ")" for t in tokens[:-1]):
            break  # keep the ")" that closes "(DisTrO)"
        tokens = tokens[:-1]
    # A leading "that"/"whether" only introduces the clause; "as if" and "because" say something.
    while tokens and (
        tokens[0].is_punct or tokens[0].dep_ == "cc" or (tokens[0].dep_ == "mark" and tokens[0].lower_ in _BARE_MARKS)
    ):
        tokens = tokens[1:]
    return tokens


def join(tokens: list[Token]) -> str:
    out = ""
    for i, tok in enumerate(tokens):
        out += tok.text
        if i + 1 < len(tokens):
            nxt = tokens[i + 1]
            out += tok.whitespace_ if nxt.i == tok.i + 1 else " "
    # A line break inside the sentence ("made\r have") is a space in the claim's words; the
    # evidence keeps the source's text as it is.
    return " ".join(out.split()).strip('"\u201c\u201d').strip()
