"""Where the per-document analysis runs: in this process, in local worker processes, or on Dask.

The analysis of one document depends on that document alone, so it can run anywhere. The
corpus is cut into batches of about :data:`BATCH_CHARS` characters; each worker loads the
pipeline (and its knowledge-base matcher) once and analyses whole batches. At most
:data:`WINDOW` batches per worker are in flight, so memory does not grow with the corpus, and
results are taken back in input order, so every executor gives byte-identical output.
Everything after the analysis (resolution across documents, attribution, RDF) needs all
documents at once and runs in the calling process.

A corpus of one batch is analysed in the calling process. A larger one is analysed in worker
processes even with one job: what parsing leaves behind in a process's heap (about 300 MB on
10 MB of text) then stays in a worker that holds nothing else, and does not pile up under the
calling process's long-lived state as the corpus grows.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from itertools import chain, islice

from kg.config import EXECUTORS, Settings
from kg.errors import UsageError
from kg.model import DocAnalysis, SourceDoc
from kg.nlp.pipeline import analyse, batches, cached_pipeline
from kg.timings import Timings

BATCH_CHARS = 100_000
WINDOW = 2
IN_PROCESS_BATCHES = 1  # with one job, a corpus of at most this many batches stays in this process

Batch = tuple[list[DocAnalysis], dict[str, float]]


def analyse_corpus(
    docs: Iterable[SourceDoc],
    settings: Settings,
    *,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    timings: Timings | None = None,
) -> Iterator[DocAnalysis]:
    """Analyse ``docs`` with ``jobs`` processes of ``executor`` and yield the results in input order.

    ``executor="local"`` uses a pool of ``jobs`` processes, or this process for a corpus of one
    batch with one job.
    ``executor="dask"`` starts a local Dask cluster of ``jobs`` worker processes, or connects
    to the running cluster at ``scheduler`` (e.g. ``tcp://10.0.0.5:8786``).
    """
    timings = timings if timings is not None else Timings()
    if executor not in EXECUTORS:
        raise UsageError(f"E402 unknown executor {executor!r} (use one of: {', '.join(EXECUTORS)})")
    if scheduler is not None and executor != "dask":
        raise UsageError("E403 --scheduler needs --executor dask")
    # Every mode feeds spaCy the same batches: the parser's floating point can differ in the last
    # bits with a batch's make-up, enough to flip a near tie, and --jobs must not change the bytes.
    tasks = batches(docs, lambda d: len(d.text), BATCH_CHARS)
    if executor == "local" and jobs == 1:
        first = list(islice(tasks, IN_PROCESS_BATCHES + 1))
        if len(first) <= IN_PROCESS_BATCHES:  # a worker's start-up would cost more than it spares
            for task in first:
                yield from analyse(task, cached_pipeline(settings), timings=timings)
            return
        tasks = chain(first, tasks)
    opened = _dask(jobs, scheduler) if executor == "dask" else _pool(jobs)
    with opened as pool:
        for analyses, seconds in _in_order(pool, settings, tasks, window=WINDOW * jobs):
            timings.merge(seconds)
            yield from analyses


def analyse_batch(settings: Settings, docs: list[SourceDoc]) -> Batch:
    """The task a worker runs: analyses of ``docs`` and the seconds each stage took."""
    timings = Timings()
    return list(analyse(docs, cached_pipeline(settings), timings=timings)), dict(timings.seconds)


def _in_order(
    pool: Executor, settings: Settings, batches: Iterable[list[SourceDoc]], *, window: int
) -> Iterator[Batch]:
    pending: deque[Future[Batch]] = deque()
    try:
        for batch in batches:
            pending.append(pool.submit(analyse_batch, settings, batch))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _pool(jobs: int) -> AbstractContextManager[Executor]:
    # forkserver, not fork: the parent runs threads (Rich's progress bar) that fork would copy mid-lock.
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver"))


@contextmanager
def _dask(jobs: int, scheduler: str | None) -> Iterator[Executor]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise UsageError("E404 --executor dask needs Dask: pip install 'acckg[dask]'") from exc
    if scheduler is not None:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client.get_executor(pure=False)
        return
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client.get_executor(pure=False)
