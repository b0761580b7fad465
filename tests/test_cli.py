"""The ``acckg`` command as users run it: outputs, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "import-ai-384.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["build", str(SEED), "--out", str(out)]) == 0
    return out


def _trig(out: Path) -> bytes:
    assert main(["export", "--format", "trig", "--out", str(out), "-o", str(out / "check.trig")]) == 0
    return (out / "check.trig").read_bytes()


def test_build_writes_the_store_and_the_map(built: Path) -> None:
    assert (built / "store").is_symlink() and (built / "store").is_dir()
    assert (built / "graph.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not [p for p in built.iterdir() if p.name.endswith(".tmp")]
    assert len(_trig(built)) > 10_000


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    assert main(["build", str(SEED), "--out", str(tmp_path)]) == 0
    assert _trig(tmp_path) == _trig(built)
    assert (tmp_path / "graph.html").read_bytes() == (built / "graph.html").read_bytes()


def test_memory_store_writes_the_same_trig_as_an_export_of_the_oxigraph_store(built: Path, tmp_path: Path) -> None:
    assert main(["build", str(SEED), "--store", "memory", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "graph.trig").read_bytes() == _trig(built)


def test_unknown_store_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SEED), "--store", "postgres", "--out", str(tmp_path)]) == 2
    assert "unknown store 'postgres'" in _error(capsys)


def test_build_prints_a_summary(built: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    main(["build", str(SEED), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "1 documents" in out and "entities by type" in out and "Nick Land" in out and "store" in out


def test_saved_query_prints_a_table(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "claims-by", "Nick Land", "--out", str(built)]) == 0
    out = capsys.readouterr().out
    assert "claim" in out.splitlines()[1] and "polarity" in out and "rows" in out.splitlines()[-1]


def test_saved_query_answers_with_the_claims(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "claims-by", "Nick Land", "--out", str(built), "--format", "csv"]) == 0
    assert "dim future" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_query_formats(built: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    sparql = "SELECT ?l WHERE { ?e a schema:Organization ; rdfs:label ?l } ORDER BY ?l"
    assert main(["query", sparql, "--out", str(built), "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        assert "Nous Research" in {b["l"]["value"] for b in json.loads(out)["results"]["bindings"]}
    else:
        assert "Nous Research" in out


def test_query_from_a_file(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rq = tmp_path / "people.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?e a schema:Person }", encoding="utf-8")
    assert main(["query", str(rq), "--out", str(built), "--format", "csv"]) == 0
    assert int(capsys.readouterr().out.splitlines()[1]) > 3


def test_query_list_names_every_saved_query(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    for name in ("claims-by", "claims-about", "entities", "sources-of", "identity-claims", "contrasting-claims"):
        assert name in out


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    return err


def test_malformed_sparql_exits_2_with_one_line(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "SELECT ?x WHERE {", "--out", str(built)]) == 2
    err = _error(capsys)
    assert "malformed SPARQL" in err and len(err.splitlines()) == 1


def test_query_before_build_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "claims-by", "x", "--out", str(tmp_path)]) == 2
    assert "acckg build" in _error(capsys)


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o")]) == 2
    assert "missing.txt" in _error(capsys)


def test_unknown_model_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SEED), "--model", "no_such_model", "--out", str(tmp_path)]) == 2
    assert "no_such_model" in _error(capsys)


@pytest.mark.parametrize(
    ("content", "message"), [(b"", "empty"), (b"\x00\x01\x02", "binary"), (b"\xff\xfe\xfa", "UTF-8")]
)
def test_bad_source_exits_3_and_keeps_the_previous_build(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)  # links followed: the store becomes a plain folder, as after cp -L
    before = _trig(out)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    assert main(["build", str(SEED), str(bad), "--out", str(out)]) == 3
    err = _error(capsys)
    assert message in err and "bad.txt" in err
    assert _trig(out) == before


def test_usage_error_from_argparse_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["build", "--max-concepts", "-1"])
    assert info.value.code == 2


def test_console_script_builds_the_shipped_corpus_by_default(tmp_path: Path) -> None:
    """The README's main command: `acckg build` with no arguments, from the repository root."""
    exe = shutil.which("acckg") or f"{sys.executable} -m kg.cli"
    proc = subprocess.run(
        [*exe.split(), "build", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "120"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "27 documents" in proc.stdout
    assert (tmp_path / "store").is_dir() and (tmp_path / "graph.html").exists()


def test_reading_commands_start_without_loading_spacy(built: Path) -> None:
    # Loading spaCy takes about a second; query, viz, export, validate and serve never need it.
    script = (
        "import sys\nfrom kg.cli import main\n"
        f"code = main(['query', '--out', {str(built)!r}, 'SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1'])\n"
        "sys.exit(code or ('spacy' in sys.modules) * 9)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
