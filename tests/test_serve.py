"""The SPARQL endpoint, queried the way users' tools query it: SPARQLWrapper and plain HTTP."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from SPARQLWrapper import CSV, JSON, POST, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

import kg
from kg.serve import ServeConfig, make_server

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "import-ai-384.txt"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    kg.build([SEED], out=out)
    return out


def _serve(config: ServeConfig) -> Iterator[str]:
    server = make_server(config, "127.0.0.1", 0)  # port 0: a free port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        server.endpoint.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def endpoint(built: Path) -> Iterator[str]:
    yield from _serve(ServeConfig(out=built, timeout=5, max_results=50))


@pytest.fixture
def writable(built: Path, tmp_path: Path) -> Iterator[str]:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)
    yield from _serve(ServeConfig(out=out, writable=True))


def _http(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_sparqlwrapper_selects_claims_with_the_predeclared_prefixes(endpoint: str) -> None:
    client = SPARQLWrapper(f"{endpoint}/query")
    client.setQuery(
        'SELECT ?text WHERE { ?c acc:claimant/rdfs:label "Nick Land" ; acc:identityClaim true ; acc:text ?text }'
    )
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [r["text"]["value"] for r in rows] == ["capitalism is identical to artificial intelligence"]


@pytest.mark.parametrize("fmt", [XML, CSV])
def test_sparqlwrapper_reads_the_other_results_formats(endpoint: str, fmt: str) -> None:
    client = SPARQLWrapper(f"{endpoint}/query")
    client.setQuery("SELECT ?l WHERE { ?e a schema:Person ; rdfs:label ?l } ORDER BY ?l")
    client.setReturnFormat(fmt)
    client.setMethod(POST)
    result = client.query()
    body = result.response.read().decode("utf-8")
    assert "Nick Land" in body
    if fmt == XML:
        assert body.startswith("<?xml") and 'name="l"' in body
    else:
        assert body.splitlines()[0] == "l"


def test_ask_and_construct_over_plain_http(endpoint: str) -> None:
    ask = urllib.parse.urlencode({"query": "ASK { ?c acc:identityClaim true }"})
    status, _, body = _http(f"{endpoint}/query?{ask}", headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["boolean"] is True
    construct = "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a schema:Person ; rdfs:label ?l }"
    status, headers, body = _http(
        f"{endpoint}/query",
        data=construct.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    assert b'"Nick Land"' in body


def test_cors_headers_let_browser_clients_in(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/query", method="OPTIONS")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_malformed_sparql_is_a_400_with_a_message(endpoint: str) -> None:
    status, _, body = _http(f"{endpoint}/query?" + urllib.parse.urlencode({"query": "SELEKT ?x"}))
    assert status == 400 and b"malformed SPARQL" in body
    client = SPARQLWrapper(f"{endpoint}/query")
    client.setQuery("SELECT ?x WHERE {")
    with pytest.raises(QueryBadFormed):
        client.query()


def test_a_query_past_the_timeout_is_a_503_and_the_endpoint_keeps_answering(endpoint: str) -> None:
    status, _, body = _http(f"{endpoint}/query", data=urllib.parse.urlencode({"query": SLOW}).encode())
    assert status == 503 and b"timeout" in body
    client = SPARQLWrapper(f"{endpoint}/query")
    client.setQuery(SLOW)
    with pytest.raises(urllib.error.HTTPError) as info:  # SPARQLWrapper passes a 503 through as it is
        client.query()
    assert info.value.code == 503
    status, _, _ = _http(f"{endpoint}/query?" + urllib.parse.urlencode({"query": "ASK {}"}))
    assert status == 200


def test_updates_are_refused_when_read_only(endpoint: str) -> None:
    status, _, body = _http(
        f"{endpoint}/update",
        data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert status == 403 and b"read-only" in body
    status, _, body = _http(f"{endpoint}/query?" + urllib.parse.urlencode({"query": "ASK { <urn:a> ?p ?o }"}))
    assert json.loads(body)["boolean"] is False


def test_results_are_cut_at_the_limit_and_say_so(endpoint: str) -> None:
    query = urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s ?p ?o }"})
    status, headers, body = _http(f"{endpoint}/query?{query}")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 50
    assert "50" in headers["X-Acckg-Truncated"]


def test_unknown_paths_are_404(endpoint: str) -> None:
    assert _http(f"{endpoint}/sparql")[0] == 404


def test_a_writable_endpoint_applies_updates(writable: str) -> None:
    form = urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode()
    status, _, _ = _http(f"{writable}/update", data=form)
    assert status == 204
    status, _, body = _http(f"{writable}/query?" + urllib.parse.urlencode({"query": "ASK { <urn:a> ?p ?o }"}))
    assert json.loads(body)["boolean"] is True
