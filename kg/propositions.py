"""The proposition extractor on its own: one sentence per line in, propositions out.

This is the claim extractor of the build (the ``acckg_claims`` component) without
entity linking, exported in the format of the CaRB open information extraction
benchmark: ``sentence \\t confidence \\t relation \\t arg1 \\t arg2 ...``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.nlp.clauses import VERB_GROUP, clause_at, join, trim

PREPOSITIONS = frozenset(
    """about above across after against along among around as at before behind below beneath beside between
    beyond by despite during except for from in inside into like near of off on onto out outside over past
    since through throughout till to toward towards under until up upon via with within without""".split()
)


# Confidence of an extraction, by where it comes from. A claim's own confidence rates who holds
# it (a named speaker scores higher than the writer's voice); whether the tuple was read off the
# parse correctly depends on the clause instead: main clauses first, then embedded clauses, then
# relative clauses and appositions.
MAIN_CLAUSE = 0.7
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
_EMBEDDED = frozenset({"relcl", "acl", "advcl", "ccomp", "conj"})


@dataclass(frozen=True)
class Proposition:
    confidence: float
    subject: str
    relation: str
    arguments: tuple[str, ...]


def extract(lines: Sequence[str], nlp: Language) -> Iterator[tuple[str, list[Proposition]]]:
    """Each input line (one sentence) with the propositions found in it.

    These are the claims of the build (main clauses, confidence MAIN_CLAUSE)
    plus the propositions of embedded clauses and appositions, which a claim keeps
    inside its object but an open-IE benchmark counts on their own.
    """
    for line, doc in zip(lines, nlp.pipe(lines, batch_size=64), strict=True):
        found = [Proposition(MAIN_CLAUSE, c.subject, c.predicate, c.arguments) for c in doc._.acckg_claims]
        seen = {(p.subject, p.relation) for p in found}
        for extra in embedded(doc):
            if (extra.subject, extra.relation) not in seen:
                seen.add((extra.subject, extra.relation))
                found.append(extra)
        yield line, found


def embedded(doc: Doc) -> Iterator[Proposition]:
    """Relative, participial and subordinate clauses, and appositions ("X, the Y": X is Y)."""
    for tok in doc:
        if tok.dep_ == "appos" and tok.head.pos_ in {"NOUN", "PROPN"}:
            head = _noun_phrase(tok.head)
            yield Proposition(0.5, head, "is", (join(trim(list(tok.subtree))),))
        if tok.pos_ not in {"VERB", "AUX"} or tok.dep_ not in _EMBEDDED:
            continue
        clause = clause_at(tok, None)
        if clause is not None and clause.subject.lower() not in RELATIVE_PRONOUNS:
            yield Proposition(0.6, clause.subject, clause.predicate, clause.arguments)
        elif tok.dep_ in {"relcl", "acl"} and tok.head.pos_ in {"NOUN", "PROPN", "PRON"}:
            group = sorted([tok, *(c for c in tok.children if c.dep_ in VERB_GROUP)], key=lambda t: t.i)
            args = tuple(
                text
                for c in tok.children
                if c.i > tok.i and c.dep_ not in {"punct", "cc", "conj"} and c.dep_ not in VERB_GROUP
                if (text := join(trim(list(c.subtree))))
            )
            yield Proposition(0.5, _noun_phrase(tok.head), " ".join(t.text for t in group), args)


def _noun_phrase(head: Token) -> str:
    """``head`` with its left modifiers and prepositional complements, not its clauses."""
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in {"prep", "compound", "nummod", "amod"}:
            end = child.right_edge.i + 1
        else:
            break
    return join(trim(list(Span(head.doc, head.left_edge.i, end))))


def carb_rows(sentence: str, propositions: Sequence[Proposition]) -> list[str]:
    """CaRB rows; a leading preposition of the first argument joins the relation ("assigned to")."""
    rows = []
    for prop in propositions:
        relation, args = prop.relation, list(prop.arguments)
        if args:
            first, _, rest = args[0].partition(" ")
            if first.lower() in PREPOSITIONS and rest:
                relation, args[0] = f"{relation} {first}", rest
        fields = [sentence, f"{prop.confidence:.2f}", relation, prop.subject, *args]
        rows.append("\t".join(f.replace("\t", " ") for f in fields))
    return rows
