"""``acckg validate`` and the SHACL check every build runs before it replaces the previous one."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

import kg
from kg.cli import main
from kg.store import serialise
from kg.vocab import ACC

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "import-ai-384.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    kg.build([SEED], out=out)
    return out


def _without_evidence(ds: Dataset) -> Dataset:
    for s, p, o, g in list(ds.quads((None, ACC.evidence, None, None))):
        ds.remove((s, p, o, g))
    return ds


def test_a_build_conforms(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--out", str(built)]) == 0
    assert "conforms" in capsys.readouterr().out


def test_violations_are_listed_one_per_line_and_exit_4(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.nq"
    copy = Dataset(default_union=True)  # the store itself is opened read-only
    copy.parse(data=serialise(kg.load(built).dataset, "nquads").decode("utf-8"), format="nquads")
    broken.write_bytes(serialise(_without_evidence(copy), "nquads"))
    assert main(["validate", str(broken)]) == 4
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    claims = len(kg.load(built).claims())
    assert len(lines) == claims  # one missing evidence per claim
    assert all(line.startswith("Violation: <https://w3id.org/acckg/id/claim/") for line in lines)
    assert "<https://w3id.org/acckg/ns#evidence>" in lines[0]
    assert f"{claims} SHACL violations" in captured.err and len(captured.err.strip().splitlines()) == 1


def test_an_unreadable_file_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    assert main(["validate", str(bad)]) == 3
    assert "bad.ttl" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "graph.xyz")]) == 3


def test_a_build_that_breaks_the_shapes_fails_and_keeps_the_previous_store(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg import builder

    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)
    before = serialise(kg.load(out).dataset, "nquads")
    real = builder.build_dataset

    def broken(*args: Any, **kwargs: Any) -> Dataset:
        return _without_evidence(real(*args, **kwargs))

    monkeypatch.setattr(builder, "build_dataset", broken)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")  # other inputs, so a new graph is made
    assert main(["build", str(SEED), "--out", str(out)]) == 4
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("acckg: error:")]
    assert len(errors) == 1 and "E601" in errors[0] and "SHACL" in errors[0] and "Traceback" not in err
    assert serialise(kg.load(out).dataset, "nquads") == before
