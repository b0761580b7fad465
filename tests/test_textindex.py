"""Full-text search over evidence sentences: the FTS5 index beside the store and the saved query."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kg
from kg import embedded, textindex
from kg.builder import build_into
from kg.cli import main
from kg.config import Settings
from kg.errors import QueryError
from kg.textindex import TextIndex, match_expression

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "import-ai-384.txt"

SENTENCES = [
    ("urn:a", "The Machines will inherit the earth."),
    ("urn:b", "Artificial intelligence is capitalism, says Nick Land."),
    ("urn:c", "Intelligence is not artificial here; it is a machine's dream."),
    ("urn:d", "Naïve accelerationism (e/acc) wants more compute."),
]


@pytest.fixture(scope="module")
def index() -> TextIndex:
    return TextIndex.build(SENTENCES)


def test_words_match_any_case_and_ending(index: TextIndex) -> None:
    assert set(index.search("machine")) == {"urn:a", "urn:c"}
    assert index.search("MACHINES") == index.search("machine")


def test_every_word_is_required_and_a_phrase_keeps_its_order(index: TextIndex) -> None:
    assert set(index.search("artificial intelligence")) == {"urn:b", "urn:c"}
    assert index.search('"artificial intelligence"') == ["urn:b"]


def test_prefixes_accents_and_slashes(index: TextIndex) -> None:
    assert index.search("accel*") == ["urn:d"]
    assert index.search("naive") == ["urn:d"]
    assert index.search("e/acc") == ["urn:d"]


def test_fts_syntax_in_the_words_is_only_words(index: TextIndex) -> None:
    assert index.search("Land OR NEAR") == []  # no sentence has the word "near"
    assert index.search("sentence:machine") == []


@given(st.text(max_size=40))
def test_any_input_is_a_valid_search_or_one_clear_error(words: str) -> None:
    db = TextIndex.build(SENTENCES)
    try:
        db.search(words)
    except QueryError as exc:
        assert str(exc).startswith("E306")


def test_nothing_searchable_is_an_error() -> None:
    with pytest.raises(QueryError, match="E306"):
        match_expression(' "" !!! * ')


def test_a_build_swaps_in_the_index_of_its_own_store(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Jane Roe says that the lighthouse keepers dream of automata.\n", encoding="utf-8")
    out = tmp_path / "out"
    build_into([note], Settings(), out, validate_shapes=False)
    first = embedded.current(out)
    assert first is not None and (first / textindex.FILE).is_file()
    assert [c.text for c in kg.load(out).search("lighthouse keeper")]
    note.write_text("Jane Roe says that the harbour pilots fear the tide.\n", encoding="utf-8")
    build_into([note], Settings(), out, validate_shapes=False)
    graph = kg.load(out)
    assert graph.search("lighthouse") == [] and graph.search("harbour pilots")
    assert not first.exists()  # the old store went, and its index with it


def test_search_runs_on_the_cli_and_agrees_with_a_store_without_an_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_into([SEED], Settings(), tmp_path, validate_shapes=False)
    assert main(["query", "search", "dim", "future", "--out", str(tmp_path), "--format", "csv"]) == 0
    with_index = capsys.readouterr().out
    assert "Nick Land,humans have a dim future" in with_index
    db = embedded.current(tmp_path)
    assert db is not None
    (db / textindex.FILE).unlink()  # as a build made before the index existed: indexed in memory instead
    assert main(["query", "search", "dim", "future", "--out", str(tmp_path), "--format", "csv"]) == 0
    assert capsys.readouterr().out == with_index


def test_the_saved_index_is_opened_read_only(tmp_path: Path) -> None:
    path = tmp_path / textindex.FILE
    TextIndex.build(SENTENCES, path).close()
    saved = TextIndex.open(path)
    assert saved is not None and len(saved) == len(SENTENCES)
    with pytest.raises(sqlite3.OperationalError):
        saved._db.execute("DELETE FROM evidence")
    assert TextIndex.open(tmp_path / "missing.sqlite") is None
