"""``acckg_groups``: who the text says belongs to a group, movement or organisation.

Collective claimants ("e/accs think ...", "the Luddites feared ...") are entities of
their own; this component links them to the people the text names as their members,
and only where the text says so:

- "X, a member (founder, leader, one of the founders) of Y"; "X is/was a member of Y";
- "X joined Y"; "Y's members include X" / "the members of Y include X and Z";
- "X and other Ys" ("Land and other e/accs").

Both ends must be mentions (``acckg_mentions``): the member a person or organisation,
the group an organisation or a concept (movements are concepts). Results go to
``doc._.acckg_members`` as :class:`~kg.model.RawMembership` values.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.model import RawMembership
from kg.model import Span as CharSpan
from kg.nlp import doccache
from kg.nlp.mentions import SPANS_KEY

MEMBER_NOUNS = frozenset(
    """member members founder founders cofounder co-founder cofounders co-founders leader leaders
    figure figures adherent adherents proponent proponents supporter supporters""".split()
)
_MEMBER_TYPES = frozenset({"Person", "Organization"})
_GROUP_TYPES = frozenset({"Organization", "Concept"})


def _mention(tok: Token, types: frozenset[str]) -> Span | None:
    return next((m for m in doccache.spans(tok.doc, SPANS_KEY).covering(tok.i) if m.label_ in types), None)


def _group_of(noun: Token) -> Token | None:
    """Y in "member of Y", "one of the founders of Y", "Y's members"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            if pobj.lemma_.lower() in MEMBER_NOUNS:  # "one of the founders of Y"
                return _group_of(pobj)
            return pobj
    return None


def _with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *(c for c in tok.conjuncts if c.i > tok.i)]


def _pairs(sent: Span) -> Iterator[tuple[Token, Token]]:
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.dep_ == "appos" and lemma in MEMBER_NOUNS | {"one"}:
            group = _group_of(tok)
            if group is not None:
                yield tok.head, group
        elif tok.dep_ == "attr" and lemma in MEMBER_NOUNS | {"one"} and tok.head.lemma_ == "be":
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            group = _group_of(tok)
            if subj is not None and group is not None:
                for member in _with_conjuncts(subj):
                    yield member, group
        elif tok.pos_ == "VERB" and lemma == "join":
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            obj = next((c for c in tok.children if c.dep_ in {"dobj", "npadvmod"}), None)
            if subj is not None and obj is not None:
                yield subj, obj
        elif tok.pos_ == "VERB" and lemma == "include":
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            group = _group_of(subj) if subj is not None and subj.lemma_.lower() in MEMBER_NOUNS else None
            if group is not None and obj is not None:
                # Every name in the object: the parser often misplaces "X and Y" inside it.
                for member in obj.subtree:
                    if member.pos_ == "PROPN":
                        yield member, group
        elif tok.dep_ == "amod" and tok.lower_ == "other" and tok.head.dep_ == "conj":
            # "Land and other e/accs": the first conjunct is one of the group.
            yield tok.head.head, tok.head


def find_memberships(doc: Doc) -> Iterator[RawMembership]:
    for sent in doccache.sents(doc):
        seen = set()
        for member_tok, group_tok in _pairs(sent):
            member = _mention(member_tok, _MEMBER_TYPES)
            group = _mention(group_tok, _GROUP_TYPES)
            if member is None or group is None or member == group or (member.start, group.start) in seen:
                continue
            seen.add((member.start, group.start))
            yield RawMembership(
                member=CharSpan(member.start_char, member.end_char),
                group=CharSpan(group.start_char, group.end_char),
                sentence=CharSpan(sent.start_char, sent.start_char + len(sent.text.rstrip())),
            )


class GroupFinder:
    def __call__(self, doc: Doc) -> Doc:
        doc._.acckg_members = sorted(set(find_memberships(doc)))
        return doc


@Language.factory("acckg_groups", requires=["token.dep", "token.pos"])
def make_groups(nlp: Language, name: str) -> GroupFinder:
    if not Doc.has_extension("acckg_members"):
        Doc.set_extension("acckg_members", default=None)
    return GroupFinder()
