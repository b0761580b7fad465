"""What the gold-file evaluations share: build the gold texts once, score each file, add up."""

from __future__ import annotations

import argparse
import tomllib
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Self, TypeVar

import kg

ROOT = Path(__file__).resolve().parent.parent


class Tally:
    """Counts that add up across gold files; subclasses are dataclasses of ints with a ``row``."""

    def add(self, other: Self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def row(self) -> str:
        raise NotImplementedError


T = TypeVar("T", bound=Tally)


def run(description: str, gold_dir: Path, evaluate: Callable[[kg.KnowledgeGraph, Path, bool], T], total: T) -> int:
    """Parse ``--verbose``, build the gold texts' graph, print each file's row and the overall one."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--gold-dir", type=Path, default=gold_dir, help=f"default: {gold_dir.relative_to(ROOT)}")
    args = parser.parse_args()
    gold_files = sorted(args.gold_dir.glob("*.toml"))
    docs = [ROOT / "sources" / f"{tomllib.loads(f.read_text(encoding='utf-8'))['doc']}.txt" for f in gold_files]
    graph = kg.build(docs)
    for gold_file in gold_files:
        print(gold_file.stem)
        score = evaluate(graph, gold_file, args.verbose)
        print(f"  {score.row()}")
        total.add(score)
    print(f"overall  {total.row()}")
    return 0
