"""--jobs and --executor change where the analysis runs, never what the build writes."""

from __future__ import annotations

from concurrent.futures import Executor
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

import kg
import kg.executors
from kg.config import Settings
from kg.errors import UsageError
from kg.executors import analyse_corpus
from kg.model import SourceDoc
from kg.store import serialise

ROOT = Path(__file__).resolve().parent.parent
SMALL = [
    ROOT / "sources" / "import-ai-384.txt",
    ROOT / "sources" / "us-eo14179-2025-removing-barriers-ai.txt",
    ROOT / "sources" / "wp2019-hugo-de-garis.txt",
]


@pytest.fixture(scope="module")
def one_process() -> bytes:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kg.executors.IN_PROCESS_BATCHES", 10**9)
        return serialise(kg.build(SMALL).dataset)


@pytest.fixture
def one_doc_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document its own batch, so both workers get some and results return out of order."""
    monkeypatch.setattr("kg.executors.BATCH_CHARS", 1)


@pytest.mark.usefixtures("one_doc_per_batch")
def test_two_local_processes_write_the_same_bytes_as_one(one_process: bytes) -> None:
    assert serialise(kg.build(SMALL, jobs=2).dataset) == one_process


@pytest.mark.usefixtures("one_doc_per_batch")
def test_one_job_over_many_batches_runs_in_one_worker_and_writes_the_same_bytes(
    one_process: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[int] = []
    real_pool = kg.executors._pool

    def counted(jobs: int) -> AbstractContextManager[Executor]:
        pools.append(jobs)
        return real_pool(jobs)

    monkeypatch.setattr("kg.executors._pool", counted)
    assert serialise(kg.build(SMALL).dataset) == one_process
    assert pools == [1]


def test_one_job_over_one_batch_starts_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(jobs: int) -> AbstractContextManager[Executor]:
        raise AssertionError("a worker process was started")

    monkeypatch.setattr("kg.executors._pool", refused)
    doc = SourceDoc("one", "one.txt", "One sentence by Nick Land.", "0" * 64, "one")
    assert [a.doc.id for a in analyse_corpus([doc], Settings())] == ["one"]


@pytest.mark.usefixtures("one_doc_per_batch")
def test_a_local_dask_cluster_writes_the_same_bytes_as_one_process(one_process: bytes) -> None:
    pytest.importorskip("distributed")
    assert serialise(kg.build(SMALL, jobs=2, executor="dask").dataset) == one_process


def test_an_unknown_executor_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="E402 unknown executor 'ray'"):
        list(analyse_corpus([], Settings(), executor="ray"))


def test_a_scheduler_address_needs_the_dask_executor() -> None:
    with pytest.raises(UsageError, match="E403"):
        list(analyse_corpus([], Settings(), jobs=2, scheduler="tcp://127.0.0.1:8786"))
