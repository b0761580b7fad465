"""Streaming analysis: lazy, chunked at paragraph boundaries, offsets into the original text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from kg.model import SourceDoc
from kg.nlp.pipeline import analyse, batches, split_points
from kg.timings import STAGES, Timings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "import-ai-384.txt"


def _doc(text: str, doc_id: str = "d") -> SourceDoc:
    return SourceDoc(doc_id, f"{doc_id}.txt", text, "0", doc_id)


@given(st.text(alphabet="ab .\n", max_size=300), st.integers(min_value=1, max_value=60))
def test_chunks_cover_the_text_exactly_and_none_is_too_long(text: str, max_chars: int) -> None:
    starts = split_points(text, max_chars)
    ends = [*starts[1:], len(text)]
    assert (starts[0] == 0 and all(a < b for a, b in zip(starts, ends, strict=True))) or text == ""
    assert "".join(text[a:b] for a, b in zip(starts, ends, strict=True)) == text
    assert all(b - a <= max_chars for a, b in zip(starts, ends, strict=True))


@given(st.lists(st.text(alphabet="ab .", min_size=1, max_size=30), min_size=2, max_size=8))
def test_chunks_end_after_a_paragraph_break_when_the_back_half_has_one(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    max_chars = 2 * max(len(p) + 2 for p in paragraphs) + 2  # the back half always holds a break
    for start in split_points(text, max_chars)[1:]:
        assert text[start - 2 : start] == "\n\n"


def test_a_short_text_is_one_chunk() -> None:
    assert split_points("short", 100) == [0]


def test_chunked_analysis_keeps_offsets_into_the_original_text(nlp: Language) -> None:
    text = SEED.read_text(encoding="utf-8")
    whole = next(analyse([_doc(text)], nlp))
    chunked = next(analyse([_doc(text)], nlp, max_chunk_chars=4_000))
    assert len(split_points(text, 4_000)) >= 5
    assert chunked.doc.text == text
    for m in chunked.mentions:
        assert text[m.span.start : m.span.end] == m.text
    assert max(m.span.start for m in chunked.mentions) > len(text) - 4_000
    for c in chunked.claims:
        assert c.sentence.contains(c.proposition) or c.proposition.overlaps(c.sentence)
        assert c.sentence.end <= len(text)
    # Chunks end at paragraph breaks, where sentences end anyway: nearly every sentence and
    # mention of the unsplit analysis is found again at the same offsets.
    same = {(m.span, m.text) for m in whole.mentions} & {(m.span, m.text) for m in chunked.mentions}
    assert len(same) >= 0.9 * len(whole.mentions)
    sentences = {c.sentence for c in whole.claims}
    assert len(sentences & {c.sentence for c in chunked.claims}) >= 0.9 * len(sentences)


def test_analysis_reads_one_batch_ahead_at_most_and_keeps_the_order(nlp: Language) -> None:
    read: list[str] = []

    def docs() -> Iterator[SourceDoc]:
        for n in range(12):
            read.append(f"d{n}")
            yield _doc(f"Nick Land wrote essay {n} about capitalism.", f"d{n}")  # 40-odd characters

    stream = analyse(docs(), nlp, batch_chars=100)
    assert [next(stream).doc.id, next(stream).doc.id] == ["d0", "d1"]
    assert len(read) <= 3
    assert [a.doc.id for a in stream] == [f"d{n}" for n in range(2, 12)]


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=30), st.integers(min_value=1, max_value=100))
def test_batches_keep_order_and_stay_within_budget_unless_one_item_is_over(sizes: list[int], budget: int) -> None:
    found = list(batches(sizes, lambda n: n, budget))
    assert [n for batch in found for n in batch] == sizes
    assert all(batch and (sum(batch) <= budget or len(batch) == 1) for batch in found)


def test_every_stage_of_the_analysis_is_timed(nlp: Language) -> None:
    timings = Timings()
    list(analyse([_doc("Nick Land says that capitalism is AI.")], nlp, timings=timings))
    assert {"parse", "entities", "claims"} <= {k for k, v in timings.seconds.items() if v > 0}


def test_the_loaded_pipeline_runs_only_what_extraction_uses(nlp: Language) -> None:
    assert "senter" not in nlp.component_names
    assert not nlp.disabled


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_blank_text_splits_into_one_chunk(text: str) -> None:
    assert split_points(text, 10) == [0]


def test_timings_report_seconds_and_the_peak_memory_each_stage_ended_at() -> None:
    timings = Timings()
    with timings.stage("store"), timings.stage("rdf"):
        pass
    with timings.stage("custom"):
        pass
    report = timings.as_dict()
    assert list(report["seconds"])[:8] == list(STAGES) and "custom" in report["seconds"]
    assert set(report["peak_mb"]) == {"store", "rdf", "custom"}
    assert report["peak_mb"]["rdf"] <= report["peak_mb"]["store"] <= report["peak_mb"]["custom"]
    assert 10 < report["peak_mb"]["custom"] < 100_000
