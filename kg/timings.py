"""Seconds spent per stage of a build, summed across documents (and across worker processes).

The stages are the ones the benchmark reports: ``parse`` (spaCy's own components), ``entities``
(mention finding, concepts and resolution), ``claims`` (claim extraction, sections and
attribution), ``rdf`` (writing N-Quads), ``store`` (loading them), ``validate`` (SHACL) and
``html``. A stage's seconds exclude the stages nested in it: the RDF is written while the
store loads it, and each is counted once.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

STAGES = ("ingest", "parse", "entities", "claims", "rdf", "store", "validate", "html")
T = TypeVar("T")


_END = object()


class Timings:
    """A running total of seconds per stage; the one mutable value of a build, owned by its caller."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self._nested: list[float] = []  # per open stage, the seconds its nested stages took

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds

    def merge(self, other: Mapping[str, float]) -> None:
        for stage, seconds in other.items():
            self.seconds[stage] += seconds

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        self._nested.append(0.0)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.add(name, elapsed - self._nested.pop())
            if self._nested:
                self._nested[-1] += elapsed

    def timed(self, name: str, items: Iterable[T]) -> Iterator[T]:
        """``items``, with the time spent making each one counted as stage ``name``."""
        it = iter(items)
        while True:
            with self.stage(name):
                item = next(it, _END)
            if item is _END:
                return
            yield item  # type: ignore[misc]

    def as_dict(self) -> dict[str, float]:
        """Every stage in :data:`STAGES` order (zero when unused), then any others by name."""
        ordered = {stage: self.seconds.get(stage, 0.0) for stage in STAGES}
        ordered.update(sorted((k, v) for k, v in self.seconds.items() if k not in ordered))
        return ordered
