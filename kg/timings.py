"""Seconds spent per stage of a build, summed across documents (and across worker processes).

The stages are the ones the benchmark reports: ``parse`` (spaCy's own components), ``entities``
(mention finding, concepts and resolution), ``claims`` (claim extraction, sections and
attribution), ``rdf`` (writing N-Quads), ``store`` (loading them), ``validate`` (SHACL) and
``html``. A stage's seconds exclude the stages nested in it: the RDF is written while the
store loads it, and each is counted once. Each stage also records the peak resident memory of
the process when it ended, so a run shows which stage raised the peak.
"""

from __future__ import annotations

import resource
import sys
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
        self.peak_mb: dict[str, float] = {}  # this process's peak resident memory when the stage last ended
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
            self.peak_mb[name] = peak_rss_mb()
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

    def as_dict(self) -> dict[str, dict[str, float]]:
        """``seconds`` of every stage in :data:`STAGES` order (zero when unused), then any others
        by name; ``peak_mb``, the process's peak memory at the end of each stage that ran here."""
        ordered = {stage: self.seconds.get(stage, 0.0) for stage in STAGES}
        ordered.update(sorted((k, v) for k, v in self.seconds.items() if k not in ordered))
        peaks = {stage: round(self.peak_mb[stage], 1) for stage in ordered if stage in self.peak_mb}
        return {"seconds": ordered, "peak_mb": peaks}


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10
