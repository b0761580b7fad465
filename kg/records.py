"""The claims and entities the last map read, kept beside the store for the next build's map.

A map of a large store reads the descriptions of a few thousand claims and entities from the
database (about 8 s for the page of the 150 MB corpus), and the map a rebuild draws mostly needs
the same ones. A build that draws a map therefore saves the records it read inside the database
folder (``acckg-records.pickle``), and a rebuild that updates the store carries them into the new
folder without the claims of the documents it restated and the entities it described again:
every statement a rebuild changes is in a document's named graph it replaces or in the
description of an entity it lists (:mod:`kg.delta`). A record kept is then the one the store
would give, so the map drawn from them is the map a fresh build draws (``tests/test_cli.py``).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TypeVar

from kg.model import Claim, Entity
from kg.store import write_atomic

FILE = "acckg-records.pickle"
_R = TypeVar("_R")


def _shape() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fields of the two records: a file saved by a version with other fields is not used."""
    return tuple(f.name for f in fields(Claim)), tuple(f.name for f in fields(Entity))


@dataclass
class Records:
    """Claims and entities by id, of one store (``base_iri``); ``used`` are those read or asked
    for since loading, the ones :meth:`save` keeps."""

    base_iri: str
    claims: dict[str, Claim] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    runs: dict[str, str] = field(default_factory=dict)  # claim id -> the run that stated it
    used_claims: set[str] = field(default_factory=set)
    used_entities: set[str] = field(default_factory=set)

    def without(self, docs: Collection[str], entities: Collection[str]) -> Records:
        """These records less the claims of ``docs`` (and their runs) and the entities ``entities``."""
        claims = {i: c for i, c in self.claims.items() if c.doc_id not in docs}
        return Records(
            self.base_iri,
            claims,
            {i: e for i, e in self.entities.items() if i not in entities},
            {i: r for i, r in self.runs.items() if i in claims},
        )

    def save(self, path: Path) -> None:
        used = sorted(self.used_claims)
        kept = (
            {i: self.claims[i] for i in used if i in self.claims},
            {i: self.entities[i] for i in sorted(self.used_entities) if i in self.entities},
            {i: self.runs[i] for i in used if i in self.runs},
        )
        write_atomic(path, pickle.dumps((_shape(), self.base_iri, *kept), protocol=pickle.HIGHEST_PROTOCOL))

    @staticmethod
    def load(path: Path, base_iri: str) -> Records:
        """The records saved at ``path`` by acckg (the output folder is trusted) for a store of
        ``base_iri``; none where there is no such file."""
        try:
            shape, saved_iri, claims, entities, runs = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            return Records(base_iri)
        if shape != _shape() or saved_iri != base_iri:
            return Records(base_iri)
        return Records(base_iri, claims, entities, runs)


def read_through(
    kept: dict[str, _R], used: set[str], ids: Iterable[str], read: Callable[[list[str]], Iterable[tuple[str, _R]]]
) -> dict[str, _R]:
    """The records of ``ids`` (those that exist), by id: those ``kept`` has, and the others
    ``read`` (given the missing ids, it gives id and record pairs) and kept; every id is ``used``."""
    wanted = sorted(set(ids))
    used.update(wanted)
    kept.update(read([i for i in wanted if i not in kept]))
    return {i: kept[i] for i in wanted if i in kept}
