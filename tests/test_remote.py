"""``--store sparql+http://...``: builds written to and read from a real Oxigraph server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg
from kg.builder import build_into
from kg.cli import main
from kg.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "import-ai-384.txt"


def _oxigraph() -> str:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(exe).exists():
        if os.environ.get("CI"):
            pytest.fail("the oxigraph server (pip install oxigraph, in the test extra) is missing")
        pytest.skip("the oxigraph server is not installed")
    return exe


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            _oxigraph(),
            "serve",
            "--location",
            str(tmp_path / "db"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # up to 20 s for the server to listen
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the oxigraph server did not start")
        yield f"sparql+{url}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_build_written_to_a_server_reads_back_the_same(server: str, tmp_path: Path) -> None:
    local = kg.build([SEED], out=tmp_path / "local")
    assert main(["build", str(SEED), "--store", server, "--out", str(tmp_path / "out")]) == 0
    remote = kg.load(tmp_path / "out", store=server)
    assert remote.entities() == local.entities() and remote.claims() == local.claims()
    assert remote.documents() == local.documents()
    assert any(c.identity for c in remote.claims(by="Nick Land"))


def test_saved_queries_run_on_the_server(server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_into([SEED], Settings(), tmp_path, store=server)
    capsys.readouterr()
    assert main(["query", "claims-by", "Nick Land", "--store", server, "--format", "csv"]) == 0
    assert "dim future" in capsys.readouterr().out


def test_a_rebuild_replaces_the_graphs_of_removed_documents(server: str, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Nick Land argues that capitalism is artificial intelligence.\n", encoding="utf-8")
    build_into([SEED, note], Settings(), tmp_path / "out", store=server)
    assert {d for d, _ in kg.load(tmp_path, store=server).documents()} == {"import-ai-384", "note"}
    build_into([SEED], Settings(), tmp_path / "out", store=server)
    graph = kg.load(tmp_path, store=server)
    assert [d for d, _ in graph.documents()] == ["import-ai-384"]
    assert not graph.query("ASK { GRAPH <https://w3id.org/acckg/id/graph/note> { ?s ?p ?o } }").boolean


def test_an_unreachable_server_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = f"sparql+http://127.0.0.1:{_free_port()}"
    assert main(["build", str(SEED), "--store", store, "--out", str(tmp_path), "--no-validate"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach" in err and "Traceback" not in err
