"""Speed of acckg against bare spaCy on the same texts, measured in one run.

    python bench/speed.py                      # the shipped corpus (sources/)
    python bench/speed.py --jsonl FILE.jsonl.gz --docs 300   # a sample of a JSON Lines corpus

Reports wall-clock seconds and words per second for (1) the baseline, bare
``nlp.pipe`` of the same spaCy pipeline over the same texts, (2) acckg's NLP stage
(the same pipeline plus acckg's components) and (3) the whole build (NLP, resolution,
attribution, RDF and TriG serialisation), with each as a ratio of the baseline.
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from pathlib import Path

import spacy

from kg.attribute import attribute
from kg.config import Settings
from kg.ingest import read_sources
from kg.kb import load_kb
from kg.model import RunInfo
from kg.nlp.pipeline import analyse, load_pipeline
from kg.rdf import build_dataset
from kg.resolve import resolve
from kg.store import serialise

ROOT = Path(__file__).resolve().parent.parent


def corpus(args: argparse.Namespace, folder: Path) -> list[Path]:
    if args.jsonl is None:
        return [ROOT / "sources"]
    opener = gzip.open if str(args.jsonl).endswith(".gz") else open
    with opener(args.jsonl, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= args.docs:
                break
            (folder / f"doc{n:05d}.txt").write_text(json.loads(line)["text"], encoding="utf-8")
    return [folder]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jsonl", type=Path, help="JSON Lines file (optionally .gz) with a 'text' field")
    parser.add_argument("--docs", type=int, default=300, help="how many JSON Lines records to use")
    args = parser.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        docs = read_sources(corpus(args, Path(tmp)))
    words = sum(len(d.text.split()) for d in docs)
    texts = [d.text for d in docs]

    bare = spacy.load(settings.model)
    bare.max_length = max(bare.max_length, max(len(t) for t in texts) + 1)
    start = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=4):
        pass
    baseline = time.perf_counter() - start

    kb = load_kb()
    nlp = load_pipeline(settings)
    start = time.perf_counter()
    analyses = analyse(docs, nlp)
    nlp_time = time.perf_counter() - start
    resolution = resolve(analyses, kb)
    claims = attribute(analyses, resolution)
    run = RunInfo("bench", settings.model, "x", "2026-01-01T00:00:00Z")
    ds = build_dataset(
        docs, resolution.entities, resolution.mentions, claims, resolution.authors, run, base_iri=settings.base_iri
    )
    size = len(serialise(ds))
    total = time.perf_counter() - start

    print(f"{len(docs)} documents, {words:,} words; {len(resolution.entities)} entities, {len(claims)} claims")
    print(f"{'stage':<34}{'seconds':>9}{'words/s':>10}{'x baseline':>12}")
    for name, seconds in (
        ("bare nlp.pipe (baseline)", baseline),
        ("acckg NLP stage", nlp_time),
        ("acckg whole build (+ TriG)", total),
    ):
        print(f"{name:<34}{seconds:>9.1f}{words / seconds:>10,.0f}{seconds / baseline:>12.2f}")
    print(f"TriG output: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
