"""spaCy's attribute ruler and rule lemmatizer, indexed: the same annotations, a fraction of the time.

In the small English pipeline these two components map tags to parts of speech and
morphology, and words to lemmas. spaCy's own take a fifth of the parse (on the 1 MB slice of
the large corpora: attribute ruler 4.4 s and lemmatizer 2.6 s of 37 s), for results that need
far less work. spaCy's ``Matcher`` tries all 179 patterns at every token; but whether a
pattern's first token matches depends on the token's values alone, and each pattern names the
exact tag, word or dependency it wants, so an index finds the few candidates once per distinct
row of values. The rule lemmatizer runs a Python loop over every token and, for every new word,
scans word lists of up to 57,000 entries for membership; a lemma depends only on the word, its
part of speech and its morphology, so it is computed once per distinct triple, with the lists
held as sets. Together: 1.5 s instead of 7.0 (``bench/speed.py`` measures the whole build).

Both components wrap the pipeline's own: the same patterns, tables and code decide every
value, so the annotations are identical (``tests/test_indexed.py`` compares them token by
token on the shipped corpus). A pipeline whose patterns use a matcher feature the index does not
cover keeps spaCy's component.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, IDS, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.lookups import Lookups, Table
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["index_pipeline"]

# The token attributes a pattern may test, in the order an index prefers them (most selective first).
_ATTRS = (ORTH, LOWER, NORM, TAG, DEP, POS, IS_SPACE)
_FLAGS = frozenset({IS_SPACE})  # boolean attributes: the pattern gives True or False
_MEMO_ROWS = 50_000  # entries a memo keeps across documents before it starts again, so memory stays bounded

Row = tuple[int, ...]  # one token's values of the attributes the patterns test
Test = Callable[[Row, Vocab], bool]


class _Unsupported(Exception):
    """A pattern uses a matcher feature the index does not cover (an operator, an extension, ...)."""


@dataclass(frozen=True)
class _Token:
    tests: tuple[Test, ...]
    anchor: tuple[int, frozenset[int]] | None  # (column, values) one of which the token must have

    def matches(self, row: Row, vocab: Vocab) -> bool:
        return all(test(row, vocab) for test in self.tests)


@dataclass(frozen=True)
class _Pattern:
    group: int  # the attribute ruler's rule number: later rules win
    tokens: tuple[_Token, ...]


def _compile_test(column: int, attr: int, value: object, vocab: Vocab) -> tuple[Test, frozenset[int] | None]:
    """A test of one attribute, and the values that anchor it (None when it cannot anchor)."""

    def value_id(v: object) -> int:
        if attr in _FLAGS:
            if not isinstance(v, bool):
                raise _Unsupported
            return int(v)
        if not isinstance(v, str):
            raise _Unsupported
        return int(vocab.strings.add(v))

    if not isinstance(value, dict):
        wanted = value_id(value)
        return (lambda row, _: row[column] == wanted), frozenset({wanted})
    if len(value) != 1:
        raise _Unsupported
    ((op, arg),) = value.items()
    if op in {"IN", "NOT_IN"} and isinstance(arg, list):
        ids = frozenset(value_id(v) for v in arg)
        if op == "IN":
            return (lambda row, _: row[column] in ids), ids
        return (lambda row, _: row[column] not in ids), None
    if op == "REGEX" and isinstance(arg, str) and attr not in _FLAGS:
        pattern = re.compile(arg)
        return (lambda row, vocab: bool(pattern.search(vocab.strings[row[column]]))), None
    raise _Unsupported


def _attr(name: object) -> int:
    attr = IDS.get(str(name).upper())
    if not isinstance(attr, int) or attr not in _ATTRS:
        raise _Unsupported
    return attr


class IndexedAttributeRuler:
    """Finds the matches of an :class:`AttributeRuler`'s patterns and lets the ruler itself apply
    them, in the order it would. Whether a pattern's first token matches depends on the token's
    values alone, so it is tested once per distinct row of values, and only for the patterns an
    index from exact values finds; the rest of a longer pattern only where its first token matches."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        vocab = ruler.vocab
        rules = ruler.patterns
        specs = [spec for rule in rules for tokens in _token_lists(rule) for spec in tokens]
        used = {_attr(name) for spec in specs for name in spec}
        self.columns = [a for a in _ATTRS if a in used] or [ORTH]
        self.match_ids = [int(vocab.strings[str(group)]) for group in range(len(rules))]
        self.index: dict[tuple[int, int], list[_Pattern]] = {}  # patterns by an exact value of their first token
        self.anywhere: list[_Pattern] = []  # patterns whose first token has no exact value to look up
        self.memo: dict[Row, tuple[tuple[int, ...], tuple[_Pattern, ...]]] = {}
        for group, rule in enumerate(rules):
            for tokens in _token_lists(rule):
                pattern = _Pattern(group, tuple(self._token(spec, vocab) for spec in tokens))
                anchor = pattern.tokens[0].anchor
                if anchor is None:
                    self.anywhere.append(pattern)
                else:
                    for value in anchor[1]:
                        self.index.setdefault((anchor[0], value), []).append(pattern)
        self.anchored = sorted({column for column, _ in self.index})

    def _token(self, spec: dict[str, object], vocab: Vocab) -> _Token:
        tests: list[Test] = []
        anchors: dict[int, frozenset[int]] = {}
        for name, value in spec.items():
            attr = _attr(name)
            test, anchor = _compile_test(self.columns.index(attr), attr, value, vocab)
            tests.append(test)
            if anchor is not None:
                anchors[attr] = anchor
        best = next((a for a in _ATTRS if a in anchors), None)
        return _Token(tuple(tests), None if best is None else (self.columns.index(best), anchors[best]))

    def __call__(self, doc: Doc) -> Doc:
        self.ruler.set_annotations(doc, self.match(doc))  # type: ignore[no-untyped-call]
        return doc

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """``AttributeRuler.match``'s result: (rule number, match id, start, end), sorted."""
        n = len(doc)
        if n == 0:
            return []
        vocab = doc.vocab
        table, inverse = numpy.unique(doc.to_array(self.columns).reshape(n, -1), axis=0, return_inverse=True)
        rows: list[Row] = [tuple(row) for row in table.tolist()]
        starting = [self._starting(row, vocab) for row in rows]
        of_token = inverse.reshape(-1).tolist()
        found: set[tuple[int, int, int]] = set()
        for start, r in enumerate(of_token):
            groups, longer = starting[r]
            found.update((group, start, start + 1) for group in groups)
            for pattern in longer:
                end = start + len(pattern.tokens)
                rest = zip(pattern.tokens[1:], of_token[start + 1 : end], strict=False)
                if end <= n and all(token.matches(rows[k], vocab) for token, k in rest):
                    found.add((pattern.group, start, end))
        return [(group, self.match_ids[group], start, end) for group, start, end in sorted(found)]

    def _starting(self, row: Row, vocab: Vocab) -> tuple[tuple[int, ...], tuple[_Pattern, ...]]:
        """For a token with these values: the rules whose one-token patterns match it, and the
        longer patterns whose first token does."""
        known = self.memo.get(row)
        if known is None:
            candidates = [p for column in self.anchored for p in self.index.get((column, row[column]), ())]
            first = [p for p in candidates + self.anywhere if p.tokens[0].matches(row, vocab)]
            if len(self.memo) >= _MEMO_ROWS:
                self.memo.clear()
            singles = tuple(sorted({p.group for p in first if len(p.tokens) == 1}))
            known = self.memo[row] = singles, tuple(p for p in first if len(p.tokens) > 1)
        return known


def _token_lists(rule: Mapping[str, object]) -> list[list[dict[str, object]]]:
    patterns = rule["patterns"]
    if not isinstance(patterns, list) or not all(isinstance(p, list) and p for p in patterns):
        raise _Unsupported
    if not all(isinstance(spec, dict) and spec for p in patterns for spec in p):
        raise _Unsupported
    return patterns


class IndexedLemmatizer:
    """A rule :class:`Lemmatizer` that lemmatises each distinct (word, part of speech,
    morphology) once, with the lemmatizer's own code, and writes all lemmas in one array.

    The rule lemmatizer only asks whether a form is in a part of speech's word list, and spaCy
    keeps those lists as lists, so every new word costs a scan of up to 57,000 words; here they
    are sets, which answer the same."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.lemmas: dict[tuple[int, int, int], int] = {}
        lemmatizer(Doc(lemmatizer.vocab, words=[]))  # checks its tables, as its first call would
        lemmatizer.lookups = _index_as_sets(lemmatizer.lookups)

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        table = doc.to_array([ORTH, POS, MORPH, LEMMA])
        overwrite = bool(self.lemmatizer.overwrite)
        lemmas = table[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = self.lemmas.get(key)
            if found is None:
                if len(self.lemmas) >= _MEMO_ROWS:
                    self.lemmas.clear()
                found = self.lemmas[key] = int(doc.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0]))
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas)  # type: ignore[arg-type]  # thinc's Ints2d type, a uint64 array at run time
        return doc


def _index_as_sets(lookups: Lookups) -> Lookups:
    copy = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        if name == "lemma_index":
            sets = Table(name)
            for key, words in table.items():
                sets[key] = frozenset(words)
            table = sets
        copy.set_table(name, table)
    return copy


@Language.factory("acckg_indexed_attribute_ruler")
def make_indexed_attribute_ruler(nlp: Language, name: str, source: str) -> IndexedAttributeRuler:
    ruler = nlp.get_pipe(source)
    if not isinstance(ruler, AttributeRuler):
        raise TypeError(f"{source!r} is not an attribute ruler")
    return IndexedAttributeRuler(ruler)


@Language.factory("acckg_indexed_lemmatizer")
def make_indexed_lemmatizer(nlp: Language, name: str, source: str) -> IndexedLemmatizer:
    lemmatizer = nlp.get_pipe(source)
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule":
        raise TypeError(f"{source!r} is not a rule lemmatizer")
    return IndexedLemmatizer(lemmatizer)


def index_pipeline(nlp: Language) -> list[str]:
    """Swap the pipeline's attribute rulers and rule lemmatizers for their indexed forms, in
    place and under the same names; returns the names swapped."""
    swapped = []
    for name, factory in _swappable(nlp):
        try:
            nlp.add_pipe(factory, name=f"{name}__indexed", before=name, config={"source": name})
        except _Unsupported:
            continue
        nlp.remove_pipe(name)
        nlp.rename_pipe(f"{name}__indexed", name)
        swapped.append(name)
    return swapped


def _swappable(nlp: Language) -> Iterator[tuple[str, str]]:
    for name, component in list(nlp.pipeline):
        if isinstance(component, AttributeRuler):
            yield name, "acckg_indexed_attribute_ruler"
        elif isinstance(component, Lemmatizer) and component.mode == "rule":
            yield name, "acckg_indexed_lemmatizer"
