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
from kg import remote
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


def test_a_rebuild_sends_only_the_graphs_that_changed(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every document's graph names the run, whose time is the newest input's unless this is set.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    note = tmp_path / "note.txt"
    note.write_text("Nick Land argues that capitalism is artificial intelligence.\n", encoding="utf-8")
    first = remote.save(kg.build([SEED, note]).dataset, server)
    assert (first.sent, first.deleted, first.unchanged, first.protocol) == (2, 0, 0, "graph store")
    again = remote.save(kg.build([SEED, note]).dataset, server)
    assert (again.sent, again.deleted, again.unchanged) == (0, 0, 2)
    note.write_text("Nick Land argues that capitalism is a machine.\n", encoding="utf-8")
    edited = kg.build([SEED, note])
    assert (remote.save(edited.dataset, server).sent, remote.save(edited.dataset, server).sent) == (1, 0)
    on_server = kg.load(tmp_path, store=server)
    assert on_server.claims() == edited.claims() and on_server.entities() == edited.entities()


def test_a_server_without_the_graph_store_protocol_gets_sparql_updates(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "GRAPH_STORES", ("no-such-endpoint",))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    note = tmp_path / "note.txt"
    note.write_text("Nick Land argues that capitalism is artificial intelligence.\n", encoding="utf-8")
    assert remote.save(kg.build([SEED, note]).dataset, server).protocol == "update"
    only_seed = kg.build([SEED])
    sent = remote.save(only_seed.dataset, server)
    assert (sent.sent, sent.deleted, sent.unchanged) == (0, 1, 1)
    assert kg.load(tmp_path, store=server).claims() == only_seed.claims()


def test_export_from_a_server_gives_the_bytes_of_a_local_build(server: str, tmp_path: Path) -> None:
    build_into([SEED], Settings(), tmp_path / "local", validate_shapes=False)
    build_into([SEED], Settings(), tmp_path / "remote", store=server, validate_shapes=False)
    for fmt in ("trig", "nquads"):
        local, there = tmp_path / f"local.{fmt}", tmp_path / f"remote.{fmt}"
        assert main(["export", "--format", fmt, "--out", str(tmp_path / "local"), "-o", str(local)]) == 0
        assert main(["export", "--format", fmt, "--store", server, "-o", str(there)]) == 0
        assert there.read_bytes() == local.read_bytes()


def test_exporting_from_an_unreachable_server_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = f"sparql+http://127.0.0.1:{_free_port()}"
    target = tmp_path / "graph.trig"
    assert main(["export", "--store", store, "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "cannot reach" in err and "Traceback" not in err and err.count("\n") == 1
    assert not target.exists() and list(tmp_path.iterdir()) == []
