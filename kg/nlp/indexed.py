"""spaCy's attribute ruler and rule lemmatizer, indexed: the same annotations, a fraction of the time.

In the small English pipeline these two components map tags to parts of speech and
morphology, and words to lemmas. They cost about a fifth of the whole parse (measured on
1 MB of the large corpora: attribute ruler 20 us and lemmatizer 15 us per token) because
spaCy's ``Matcher`` tries all 179 patterns at every token and the lemmatizer runs a Python
loop over every token. Neither result needs that: each pattern names the exact tag, word or
dependency it wants, so an index from those values to patterns finds the few candidates at a
token; and a rule lemma depends only on the word, its part of speech and its morphology, so it
is computed once per distinct triple.

Both components wrap the pipeline's own: the same patterns, tables and code decide every
value, so the annotations are identical (``tests/test_indexed.py`` compares them token by
token on the shipped corpus). A pipeline whose patterns use a matcher feature the index does not
cover keeps spaCy's component.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from spacy.attrs import DEP, IDS, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["index_pipeline"]

# Token attributes a pattern may test, each read once per document with Doc.to_array.
_COLUMNS = (ORTH, LOWER, NORM, TAG, POS, DEP, IS_SPACE)
_FLAGS = frozenset({IS_SPACE})  # boolean attributes: the pattern gives True or False
# The attributes whose exact value (or set of values) can look a pattern up, most selective first.
_ANCHORS = (ORTH, LOWER, NORM, TAG, DEP, POS, IS_SPACE)

Test = Callable[[Sequence[int], Vocab], bool]  # one token's column values -> does it match


@dataclass(frozen=True)
class _Pattern:
    group: int  # the attribute ruler's rule number: later rules win
    tests: tuple[tuple[Test, ...], ...]  # per token of the pattern

    def matches(self, rows: Sequence[Sequence[int]], start: int, vocab: Vocab) -> bool:
        if start + len(self.tests) > len(rows):
            return False
        return all(test(rows[start + k], vocab) for k, tests in enumerate(self.tests) for test in tests)


class _Unsupported(Exception):
    """A pattern uses a matcher feature the index does not cover (an operator, an extension, ...)."""


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
        seen: dict[int, bool] = {}

        def search(row: Sequence[int], vocab: Vocab) -> bool:
            key = row[column]
            if key not in seen:
                seen[key] = bool(pattern.search(vocab.strings[key]))
            return seen[key]

        return search, None
    raise _Unsupported


class IndexedAttributeRuler:
    """Finds the matches of an :class:`AttributeRuler`'s patterns through an index and lets the
    ruler itself apply them, in the order it would."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        vocab = ruler.vocab
        self.index: dict[tuple[int, int], list[_Pattern]] = {}
        self.anywhere: list[_Pattern] = []  # patterns with no exact value to look them up by
        self.match_ids: list[int] = []
        for group, rule in enumerate(ruler.patterns):
            self.match_ids.append(int(vocab.strings[str(group)]))
            patterns = rule["patterns"]
            if not isinstance(patterns, list):
                raise _Unsupported
            for tokens in patterns:
                self._add(group, tokens, vocab)
        self.anchor_columns = sorted({column for column, _ in self.index})

    def _add(self, group: int, tokens: object, vocab: Vocab) -> None:
        if not isinstance(tokens, list) or not tokens:
            raise _Unsupported
        tests: list[tuple[Test, ...]] = []
        first_anchors: dict[int, frozenset[int]] = {}
        for k, spec in enumerate(tokens):
            if not isinstance(spec, dict) or not spec:
                raise _Unsupported
            token_tests = []
            for name, value in spec.items():
                attr = IDS.get(str(name).upper())
                if attr not in _COLUMNS:
                    raise _Unsupported
                test, anchor = _compile_test(_COLUMNS.index(attr), attr, value, vocab)
                token_tests.append(test)
                if k == 0 and anchor is not None:
                    first_anchors[attr] = anchor
            tests.append(tuple(token_tests))
        pattern = _Pattern(group, tuple(tests))
        attr = next((a for a in _ANCHORS if a in first_anchors), None)
        if attr is None:
            self.anywhere.append(pattern)
            return
        for value in first_anchors[attr]:
            self.index.setdefault((_COLUMNS.index(attr), value), []).append(pattern)

    def __call__(self, doc: Doc) -> Doc:
        self.ruler.set_annotations(doc, self.match(doc))  # type: ignore[no-untyped-call]
        return doc

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """``AttributeRuler.match``'s result: (rule number, match id, start, end), sorted."""
        if len(doc) == 0:
            return []
        rows = doc.to_array(list(_COLUMNS)).tolist()
        vocab = doc.vocab
        found = set()
        for start, row in enumerate(rows):
            for column in self.anchor_columns:
                for pattern in self.index.get((column, row[column]), ()):
                    if pattern.matches(rows, start, vocab):
                        found.add((pattern.group, start, start + len(pattern.tests)))
            for pattern in self.anywhere:
                if pattern.matches(rows, start, vocab):
                    found.add((pattern.group, start, start + len(pattern.tests)))
        return sorted((group, self.match_ids[group], start, end) for group, start, end in found)


class IndexedLemmatizer:
    """A rule :class:`Lemmatizer` that lemmatises each distinct (word, part of speech,
    morphology) once, with the lemmatizer's own code, and writes all lemmas in one array."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.lemmas: dict[tuple[int, int, int], int] = {}
        lemmatizer(Doc(lemmatizer.vocab, words=[]))  # checks its tables, as its first call would

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
                found = self.lemmas[key] = int(doc.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0]))
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas)  # type: ignore[arg-type]  # thinc's Ints2d type, a uint64 array at run time
        return doc


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
