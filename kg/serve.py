"""``acckg serve``: a SPARQL 1.1 Protocol endpoint over a build.

``/query`` answers GET and POST queries (form-encoded or ``application/sparql-query``) in the
standard results formats; ``/update`` takes SPARQL Update only when started ``--writable``.
Queries run in a worker process that holds the store, so a query that exceeds the timeout is
stopped for real (the worker is killed and replaced) and the client gets a 503, never a hang.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg import backends, embedded, remote
from kg.errors import UsageError
from kg.vocab import PREFIXES

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


@dataclass(frozen=True)
class ServeConfig:
    out: Path
    store: str | None = None
    base_iri: str = "https://w3id.org/acckg/id/"
    writable: bool = False
    timeout: float = 30.0
    max_results: int = 10_000


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False


def _error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


# -- the worker process: owns the store, answers one request at a time ------------------------
def _open(config: ServeConfig) -> tuple[ox.Store, int | None]:
    """The store to serve, and the reader's lock that keeps a rebuild from deleting it (held
    until the worker exits)."""
    kind = backends.check(config.store) if config.store else backends.detect(config.out)
    if kind == backends.OXIGRAPH:
        return embedded.open_current(config.out, writable=config.writable)
    db = ox.Store()  # rdflib's TriG file, served by Oxigraph's engine from memory
    db.bulk_load(path=str(config.out / backends.TRIG_FILE), format=ox.RdfFormat.TRIG)
    return db, None


def _worker(conn: Connection, config: ServeConfig) -> None:
    db, _lock = _open(config)
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} | {"id": config.base_iri}
    conn.send("ready")  # the timeout counts from here: starting a worker is not the query's time
    while True:
        kind, text, accept = conn.recv()
        conn.send(_answer(db, kind, text, accept, prefixes, config.max_results))


def _answer(db: ox.Store, kind: str, text: str, accept: str, prefixes: dict[str, str], limit: int) -> Answer:
    if kind == "update":
        try:
            db.update(text, prefixes=prefixes)
        except SyntaxError as exc:
            return _error(400, f"malformed SPARQL update: {exc}")
        return Answer(204, "text/plain", b"")
    try:
        result = db.query(text, prefixes=prefixes, use_default_graph_as_union=True)
    except SyntaxError as exc:
        return _error(400, f"malformed SPARQL query: {exc}")
    except OSError as exc:
        return _error(500, f"the store could not be read: {exc}")
    if isinstance(result, ox.QueryBoolean):
        mime, fmt = _pick(accept, SELECT_TYPES, "application/sparql-results+json")
        return Answer(200, mime, _boolean(bool(result), str(fmt)))
    if isinstance(result, ox.QuerySolutions):
        mime, fmt = _pick(accept, SELECT_TYPES, "application/sparql-results+json")
        names = [v.value for v in result.variables]
        rows, truncated = _take(result, limit)
        return Answer(200, mime, _solutions(names, rows, str(fmt)), truncated)
    mime, rdf = _pick(accept, GRAPH_TYPES, "text/turtle")
    triples, truncated = _take(result, limit)
    assert isinstance(rdf, ox.RdfFormat)
    body = ox.serialize(triples, format=rdf, prefixes=prefixes) or b""
    return Answer(200, mime, body, truncated)


def _take(items: Any, limit: int) -> tuple[list[Any], bool]:
    taken: list[Any] = []
    for item in items:
        if len(taken) == limit:
            return taken, True
        taken.append(item)
    return taken, False


def _pick(accept: str, types: dict[str, Any], default: str) -> tuple[str, Any]:
    """The first acceptable media type we can write, by the client's order and q-values."""
    offered = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = next((float(f[2:]) for f in fields[1:] if f.startswith("q=") and _is_float(f[2:])), 1.0)
        offered.append((-q, i, fields[0].lower()))
    for _, _, mime in sorted(offered):
        if mime in types:
            return mime, types[mime]
        if mime in {"*/*", "application/*", "text/*"} or not mime:
            return default, types[default]
    return default, types[default]


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _term_json(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _term_xml(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    attr = ""
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        attr = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attr}>{escape(term.value)}</literal>"


def _term_tsv(term: Any) -> str:
    text = str(term)  # pyoxigraph prints N-Triples syntax
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def _solutions(names: list[str], rows: list[Any], fmt: str) -> bytes:
    if fmt == "json":
        bindings = [{n: _term_json(row[n]) for n in names if row[n] is not None} for row in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(names)]
        lines += [",".join("" if row[n] is None else _csv_field(row[n].value) for n in names) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join("" if row[n] is None else _term_tsv(row[n]) for n in names) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
    results = "".join(
        "<result>"
        + "".join(f"<binding name={quoteattr(n)}>{_term_xml(row[n])}</binding>" for n in names if row[n] is not None)
        + "</result>"
        for row in rows
    )
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head>{head}</head><results>{results}</results></sparql>\n"
    ).encode()


def _boolean(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
        ).encode()
    if fmt in {"csv", "tsv"}:
        return f"_askResult\n{str(value).lower()}\n".encode()
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


# -- the HTTP side: parses requests, enforces the timeout, never touches the store -----------
class Endpoint:
    """Runs requests in a worker process and replaces the worker when a request times out."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._ctx = multiprocessing.get_context("spawn")
        self._start()

    def _start(self) -> None:
        self._conn, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_worker, args=(child, self.config), daemon=True)
        self._proc.start()
        child.close()
        try:
            self._conn.recv()
        except EOFError as exc:
            self._proc.join()
            raise UsageError(f"E523 the store in {self.config.out} could not be opened for serving") from exc

    def run(self, kind: str, text: str, accept: str) -> Answer:
        with self._lock:
            self._conn.send((kind, text, accept))
            if self._conn.poll(self.config.timeout):
                try:
                    answer: Answer = self._conn.recv()
                    return answer
                except EOFError:
                    pass  # the worker died (out of memory?): start another below
            self._proc.kill()
            self._proc.join()
            self._start()
            return _error(503, f"the query did not finish within the {self.config.timeout:g} s timeout")

    def close(self) -> None:
        self._proc.kill()
        self._proc.join()


def make_server(config: ServeConfig, host: str, port: int) -> ThreadingHTTPServer:
    if config.writable and (config.store or backends.detect(config.out)) != backends.OXIGRAPH:
        raise UsageError("E520 --writable needs the Oxigraph store (a memory build's TriG file is read-only)")
    if config.store and remote.is_remote(backends.check(config.store)):
        raise UsageError("E522 a remote store is already a SPARQL endpoint: point your client at it directly")
    backends.check(config.store) if config.store else backends.detect(config.out)  # fail before listening
    endpoint = Endpoint(config)

    class Handler(BaseHTTPRequestHandler):
        server_version = "acckg"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # one line per request on stderr would drown the terminal

        def do_OPTIONS(self) -> None:  # the CORS preflight of browser clients
            self._send(Answer(204, "text/plain", b""))

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = parse_qs(url.query)
            if url.path == "/update":
                self._send(_error(405, "updates must be POSTed"))
            elif url.path != "/query":
                self._send(_error(404, "not found: the endpoint is /query (and /update when writable)"))
            elif "query" not in params:
                self._send(_error(400, "missing the query parameter"))
            else:
                self._send(endpoint.run("query", params["query"][0], self.headers.get("Accept", "")))

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            if url.path not in {"/query", "/update"}:
                self._send(_error(404, "not found: the endpoint is /query (and /update when writable)"))
                return
            kind = url.path[1:]
            if kind == "update" and not config.writable:
                self._send(_error(403, "this endpoint is read-only (start it with --writable to allow updates)"))
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if ctype == f"application/sparql-{kind}":
                text: str | None = body
            elif ctype == "application/x-www-form-urlencoded":
                values = parse_qs(body).get(kind)
                text = values[0] if values else None
            else:
                self._send(_error(415, f"send application/sparql-{kind} or a form with a {kind} parameter"))
                return
            if text is None:
                self._send(_error(400, f"missing the {kind} parameter"))
                return
            self._send(endpoint.run(kind, text, self.headers.get("Accept", "")))

        def _send(self, answer: Answer) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            if answer.truncated:
                self.send_header("X-Acckg-Truncated", f"results cut at --max-results {config.max_results}")
            self.end_headers()
            self.wfile.write(answer.body)

    server = ThreadingHTTPServer((host, port), Handler)
    server.endpoint = endpoint  # type: ignore[attr-defined]
    return server
