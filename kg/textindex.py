"""Full-text search over evidence sentences: an SQLite FTS5 index of every ``oa:exact``.

SPARQL has no text index, so a filter on words (``CONTAINS``, ``REGEX``) reads every sentence
of the store. A build therefore writes this index inside the new Oxigraph database folder
(``OUT/store-<fingerprint>/acckg-text.sqlite``, a file RocksDB ignores) before the atomic
swap, so it always describes the store beside it. A store without one (the memory store, a
remote server, a build made before the index existed) gets the same index built in memory
from one query, the first time it is searched.

Words are matched the way a search box does: case and accents ignored, English endings
stemmed (Porter: "machines" finds "machine"), every word required; ``"two words"`` is a
phrase and ``intell*`` a prefix. Results are ranked by BM25, ties by IRI.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError
from kg.vocab import PREFIXES

FILE = "acckg-text.sqlite"
EVIDENCE_QUERY = "SELECT ?evidence ?sentence WHERE { ?evidence a acc:Evidence ; oa:exact ?sentence }"
"""The rows an index holds: each evidence node and its sentence."""

_TOKENIZER = "porter unicode61 remove_diacritics 2"
_PIECE = re.compile(r'"([^"]*)"?|(\S+)')


def match_expression(words: str) -> str:
    """The FTS5 query for what a user typed: each word or quoted phrase required, ``*`` a prefix.

    Every piece becomes an FTS5 string, so no input is read as FTS5 syntax (``AND``, ``NEAR``,
    ``col:``); the tokenizer splits it as it split the sentences ("e/acc" is the phrase "e acc").

    Examples
    --------
    >>> match_expression('machine "artificial intelligence" intell*')
    '"machine" "artificial intelligence" "intell"*'
    >>> match_expression('e/acc OR "NEAR(')
    '"e/acc" "OR" "NEAR("'
    """
    parts = []
    printable = "".join(ch if ch.isprintable() else " " for ch in words)  # FTS5 strings end at a NUL
    for phrase, word in _PIECE.findall(printable):
        text = phrase if phrase else word
        prefix = bool(word) and word.endswith("*")
        text = text.rstrip("*") if prefix else text
        if any(ch.isalnum() for ch in text):
            parts.append('"' + text.replace('"', '""') + '"' + ("*" if prefix else ""))
    if not parts:
        raise QueryError(f"E306 nothing to search for in {words!r}: give one or more words")
    return " ".join(parts)


class TextIndex:
    """An FTS5 index of evidence sentences, on disk or in memory."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def build(cls, rows: Iterable[tuple[str, str]], path: Path | None = None) -> TextIndex:
        """Index ``(evidence IRI, sentence)`` rows, in a new file at ``path`` or in memory."""
        db = sqlite3.connect(":memory:" if path is None else str(path))
        db.execute(f"CREATE VIRTUAL TABLE evidence USING fts5(iri UNINDEXED, sentence, tokenize = '{_TOKENIZER}')")
        db.executemany("INSERT INTO evidence (iri, sentence) VALUES (?, ?)", sorted(rows))
        db.execute("INSERT INTO evidence (evidence) VALUES ('optimize')")
        db.commit()
        return cls(db)

    @classmethod
    def open(cls, path: Path) -> TextIndex | None:
        """The index saved at ``path``, read-only, or None if there is none."""
        if not path.is_file():
            return None
        # immutable: the file never changes once its build is swapped in, and a reader leaves no lock behind.
        return cls(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True))

    def search(self, words: str) -> list[str]:
        """IRIs of the evidence nodes whose sentence has all of ``words``, best match first."""
        expression = match_expression(words)
        try:
            rows = self._db.execute(
                "SELECT iri FROM evidence WHERE evidence MATCH ? ORDER BY bm25(evidence), iri", (expression,)
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise QueryError(f"E307 cannot search for {words!r}: {exc}") from exc
        return [str(iri) for (iri,) in rows]

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM evidence").fetchone()[0])

    def close(self) -> None:
        self._db.close()


def index_database(db: ox.Store, path: Path) -> TextIndex:
    """Write the index of the evidence in the Oxigraph database ``db`` to ``path``."""
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    rows = db.query(EVIDENCE_QUERY, prefixes=prefixes, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    return TextIndex.build(((row[0].value, row[1].value) for row in rows), path)


def update(path: Path, *, removed: Iterable[str], added: Iterable[tuple[str, str]]) -> None:
    """Remove the rows of the evidence IRIs ``removed`` from the index file at ``path`` and add
    ``(evidence IRI, sentence)`` rows: the index of a store a rebuild changed in part."""
    db = sqlite3.connect(str(path))
    try:
        db.execute("CREATE TEMP TABLE gone (iri TEXT PRIMARY KEY)")
        db.executemany("INSERT OR IGNORE INTO gone VALUES (?)", ((iri,) for iri in removed))
        db.execute("DELETE FROM evidence WHERE iri IN (SELECT iri FROM gone)")
        db.executemany("INSERT INTO evidence (iri, sentence) VALUES (?, ?)", sorted(added))
        db.commit()
    finally:
        db.close()
