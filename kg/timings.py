"""Seconds spent per stage of a build, summed across documents (and across worker processes).

The stages are the ones the benchmark reports: ``parse`` (spaCy's own components), ``entities``
(mention finding, concepts and resolution), ``claims`` (claim extraction, sections and
attribution), ``rdf``, ``store`` and ``html``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

STAGES = ("ingest", "parse", "entities", "claims", "rdf", "store", "html")


class Timings:
    """A running total of seconds per stage; the one mutable value of a build, owned by its caller."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds

    def merge(self, other: Mapping[str, float]) -> None:
        for stage, seconds in other.items():
            self.seconds[stage] += seconds

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def as_dict(self) -> dict[str, float]:
        """Every stage in :data:`STAGES` order (zero when unused), then any others by name."""
        ordered = {stage: self.seconds.get(stage, 0.0) for stage in STAGES}
        ordered.update(sorted((k, v) for k, v in self.seconds.items() if k not in ordered))
        return ordered
