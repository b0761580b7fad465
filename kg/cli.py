"""The ``acckg`` command: a thin layer over :mod:`kg` and :mod:`viz`.

Exit codes: 0 success, 1 internal error, 2 usage error (bad option, missing path,
malformed SPARQL, no build), 3 bad input data (unreadable source, invalid knowledge base),
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.config import DEFAULT_BASE_IRI, DEFAULT_MAX_BYTES, DEFAULT_MODEL, EXECUTORS, Settings
from kg.errors import KgError, UsageError, ValidationError
from kg.export import FORMATS as EXPORT_FORMATS
from kg.graph import KnowledgeGraph
from viz.scene import DEFAULT_MAX_CLAIMS, DEFAULT_MAX_ENTITIES, DEFAULT_MAX_NODES, VIEWS

MAP_FILE = "graph.html"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        code: int = args.handler(args)
        return code
    except KgError as exc:
        err.print(f"acckg: error: {exc}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("acckg: interrupted; no output was changed")
        return 130
    except Exception as exc:  # the last line of defence: one line, not a traceback
        if args.debug:
            raise
        err.print(f"acckg: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)", markup=False)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="acckg", description="Who claims what: a knowledge graph of AI discourse.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="read texts and write the graph (TriG) and the concept map (HTML)")
    build.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (.txt .md .html .jsonl .jsonl.gz); default: sources/"
    )
    build.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out/)")
    build.add_argument("--model", default=DEFAULT_MODEL, help=f"installed spaCy pipeline (default: {DEFAULT_MODEL})")
    build.add_argument("--kb", action="append", type=Path, default=[], help="extra knowledge-base TOML (repeatable)")
    build.add_argument(
        "--max-concepts",
        type=_positive,
        default=Settings.max_concepts_per_doc,
        help="noun-phrase concepts per document",
    )
    build.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, help="largest source file accepted")
    build.add_argument("--base-iri", default=DEFAULT_BASE_IRI, help="namespace for minted IRIs")
    build.add_argument(
        "--store",
        default="oxigraph",
        help="oxigraph: on-disk Oxigraph store OUT/store (default); memory: rdflib's store, saved as OUT/graph.trig;"
        " sparql+http(s)://HOST:PORT[/PATH]: a SPARQL 1.1 server",
    )
    build.add_argument(
        "--no-validate", dest="validate", action="store_false", help="skip the SHACL check of the new graph"
    )
    build.add_argument(
        "--text-field",
        default=Settings.text_field,
        metavar="NAME",
        help="field holding the text in JSON Lines; NAME,NAME... takes the first a record has",
    )
    build.add_argument(
        "--jobs",
        type=_positive,
        default=1,
        metavar="N",
        help="processes for the NLP, threads for the SHACL check (default: 1)",
    )
    build.add_argument(
        "--executor", choices=EXECUTORS, default="local", help="local processes, or a Dask cluster (default: local)"
    )
    build.add_argument(
        "--scheduler", metavar="ADDRESS", help="with --executor dask: a running Dask scheduler instead of a local one"
    )
    build.add_argument("--timings", type=Path, metavar="FILE", help="write the seconds spent per stage as JSON")
    build.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    build.set_defaults(handler=_build)

    query = sub.add_parser("query", help="run SPARQL over a build and print a table")
    query.add_argument("query", nargs="?", help="SPARQL text, a .rq file, or a saved query name (see --list)")
    query.add_argument(
        "argument", nargs="*", help='the argument of a saved query, e.g. "Nick Land" (words are joined by spaces)'
    )
    query.add_argument("--out", type=Path, default=Path("out"), help="build folder (default: out/)")
    query.add_argument("--format", choices=["table", "json", "csv", "tsv"], default="table")
    query.add_argument("--list", action="store_true", help="list the saved queries")
    query.add_argument("--base-iri", default=DEFAULT_BASE_IRI, help="namespace the build was made with")
    query.add_argument(
        "--store", help="oxigraph, memory or sparql+http(s)://... (default: whichever build OUT holds, Oxigraph first)"
    )
    query.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    query.set_defaults(handler=_query)

    export = sub.add_parser("export", help="write the build in a standard format (atomically)")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="trig", help="default: trig")
    export.add_argument("--out", type=Path, default=Path("out"), help="build folder (default: out/)")
    export.add_argument(
        "--store", help="oxigraph, memory or sparql+http(s)://... (default: whichever build OUT holds, Oxigraph first)"
    )
    export.add_argument("-o", "--output", type=Path, help="file to write (default: OUT/export/graph.EXT)")
    export.add_argument("--base-iri", default=DEFAULT_BASE_IRI, help="namespace the build was made with")
    export.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    export.set_defaults(handler=_export)

    validate = sub.add_parser("validate", help="check a build (or an RDF file) against the SHACL shapes")
    validate.add_argument("file", nargs="?", type=Path, help="a .trig, .nq, .ttl or .jsonld file (default: the build)")
    validate.add_argument("--out", type=Path, default=Path("out"), help="build folder (default: out/)")
    validate.add_argument(
        "--store", help="oxigraph, memory or sparql+http(s)://... (default: whichever build OUT holds, Oxigraph first)"
    )
    validate.add_argument("--base-iri", default=DEFAULT_BASE_IRI, help="namespace the build was made with")
    validate.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    validate.set_defaults(handler=_validate)

    serve = sub.add_parser("serve", help="a SPARQL 1.1 Protocol endpoint over a build (/query, /update)")
    serve.add_argument("--out", type=Path, default=Path("out"), help="build folder (default: out/)")
    serve.add_argument(
        "--store", help="oxigraph, memory or sparql+http(s)://... (default: whichever build OUT holds, Oxigraph first)"
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    serve.add_argument("--port", type=int, default=7878, help="default: 7878")
    serve.add_argument("--writable", action="store_true", help="accept SPARQL Update at /update (Oxigraph store only)")
    serve.add_argument("--timeout", type=float, default=30.0, help="seconds a query may run (default: 30)")
    serve.add_argument("--max-results", type=_positive, default=10_000, help="rows or triples per answer")
    serve.add_argument("--base-iri", default=DEFAULT_BASE_IRI, help="namespace the build was made with")
    serve.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    serve.set_defaults(handler=_serve)

    show = sub.add_parser("viz", help="write the interactive map of a build (HTML), optionally a PNG screenshot")
    show.add_argument(
        "--out", type=Path, default=Path("out"), help="build folder; the map is written there (default: out/)"
    )
    show.add_argument("--view", choices=VIEWS, default=VIEWS[0], help="the view the page opens with")
    show.add_argument("--focus", metavar="LABEL", help="draw only this entity and its neighbourhood (an ego map)")
    show.add_argument("--hops", type=_positive, default=1, help="neighbourhood radius for --focus, in entity steps")
    show.add_argument(
        "--max-nodes", type=_positive, default=DEFAULT_MAX_NODES, help="nodes drawn at first in larger graphs"
    )
    show.add_argument(
        "--max-entities",
        type=_positive,
        default=DEFAULT_MAX_ENTITIES,
        help="entities the page holds, the most central (default: %(default)s)",
    )
    show.add_argument(
        "--max-claims", type=_positive, default=DEFAULT_MAX_CLAIMS, help="claims the page holds (default: %(default)s)"
    )
    show.add_argument("--png", type=Path, metavar="FILE", help="also save a screenshot (headless Chromium)")
    show.add_argument("--store", help="oxigraph or memory (default: whichever build OUT holds, Oxigraph first)")
    show.add_argument("--base-iri", default=DEFAULT_BASE_IRI, help="namespace the build was made with")
    show.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    show.set_defaults(handler=_viz)

    props = sub.add_parser("propositions", help="extract propositions from sentences, one per line")
    props.add_argument("file", type=Path, help="a UTF-8 text file with one sentence per line")
    props.add_argument("--format", choices=["carb"], default="carb", help="CaRB benchmark rows (TSV)")
    props.add_argument("--model", default=DEFAULT_MODEL, help=f"installed spaCy pipeline (default: {DEFAULT_MODEL})")
    props.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    props.set_defaults(handler=_propositions)
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number")
    return value


def _build(args: argparse.Namespace) -> int:
    import viz
    from kg.builder import Execution, build_into
    from kg.store import write_atomic
    from kg.timings import Timings

    paths = args.paths or [_default_sources()]
    settings = Settings(
        model=args.model,
        base_iri=args.base_iri,
        kb_paths=tuple(args.kb),
        max_concepts_per_doc=args.max_concepts,
        max_bytes=args.max_bytes,
        text_field=args.text_field,
    )
    timings = Timings()
    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("reading", total=None)
        built = build_into(
            paths,
            settings,
            args.out,
            store=args.store,
            validate_shapes=args.validate,
            execution=Execution(
                jobs=args.jobs,
                executor=args.executor,
                scheduler=args.scheduler,
                timings=timings,
                on_start=lambda n: progress.update(task, total=n, description="analysing"),
                on_done=lambda doc: progress.advance(task),
                on_stage=lambda what: progress.update(task, description=what),
            ),
        )
        map_path = args.out / MAP_FILE
        if built.changed or not map_path.exists():
            progress.update(task, description="drawing the map")
            with timings.stage("html"):
                viz.render(built.graph, map_path)
                built.keep_records()
    if args.timings is not None:
        write_atomic(args.timings, (json.dumps(timings.as_dict(), indent=1) + "\n").encode("utf-8"))
    if not built.changed:
        # Reading the whole graph back for a summary would cost more than the check itself.
        Console(highlight=False).print(f"unchanged: {built.location} already holds a build of these inputs")
        return 0
    if built.update is not None:
        u = built.update
        Console(highlight=False).print(
            f"store updated in place: documents new or changed {len(u.docs)}, removed {len(u.removed_docs)}; "
            f"entity descriptions {len(u.entities) + len(u.removed_entities)}"
        )
    _print_summary(built.graph, built.location, map_path)
    return 0


def _default_sources() -> Path:
    local = Path("sources")
    if local.is_dir():
        return local
    from importlib import resources

    packaged = Path(str(resources.files("kg") / "corpus"))
    if packaged.is_dir():
        return packaged
    raise UsageError("E100 no PATH given and no sources/ folder here")


def _print_summary(graph: KnowledgeGraph, graph_path: str, map_path: Path) -> None:
    s = graph.summary()
    out = Console(highlight=False)
    entities = sum(s.entities_by_type.values())
    out.print(f"[bold]{s.documents}[/] documents, [bold]{entities}[/] entities, [bold]{s.claims}[/] claims")
    out.print("entities by type: " + ", ".join(f"{t} {n}" for t, n in s.entities_by_type.items()))
    table = Table("most central entity", "centrality", box=None)
    for label, score in s.top_entities:
        table.add_row(label, f"{score:.2f}")
    out.print(table)
    out.print(f"graph: {graph_path}\nmap:   {map_path}")


def _query(args: argparse.Namespace) -> int:
    import kg
    from kg.query import resolve_query, saved_queries

    out = Console(highlight=False, soft_wrap=args.format != "table")
    if args.list:
        for q in saved_queries().values():
            out.print(f"[bold]{q.name}[/]  {q.description}\n    {q.usage}")
        return 0
    if not args.query:
        raise UsageError("E305 give a SPARQL query, a .rq file or a saved query name (acckg query --list)")
    text, bindings = resolve_query(args.query, " ".join(args.argument) if args.argument else None)
    graph = kg.load(args.out, store=args.store, base_iri=args.base_iri)
    result = graph.query(text, **{name: str(value) for name, value in bindings.items()})
    if args.format == "json":
        sys.stdout.write(result.to_json() + "\n")
    elif args.format == "csv":
        sys.stdout.write(result.to_csv())
    elif args.format == "tsv":
        sys.stdout.write(result.to_tsv())
    elif result.boolean is not None:
        out.print("yes" if result.boolean else "no")
    else:
        table = Table(*result.variables)
        for row in result.rows:
            table.add_row(*("" if v is None else _short(str(v), args.base_iri) for v in row))
        out.print(table)
        out.print(f"{len(result.rows)} rows", style="dim")
    return 0


def _export(args: argparse.Namespace) -> int:
    from kg.backends import open_dataset
    from kg.export import export

    dataset = open_dataset(args.out, store=args.store, base_iri=args.base_iri, whole=True)
    graph = KnowledgeGraph(dataset, base_iri=args.base_iri)
    target = export(graph, args.format, args.output or args.out / "export")
    Console(stderr=True, highlight=False).print(f"wrote {target}", markup=False)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from kg.backends import open_dataset
    from kg.validate import read_file, validate

    if args.file is not None:
        dataset, where = read_file(args.file), str(args.file)
    else:
        dataset, where = open_dataset(args.out, store=args.store, base_iri=args.base_iri), str(args.out)
    violations = validate(dataset)
    out = Console(highlight=False, soft_wrap=True)
    for violation in violations:
        out.print(str(violation), markup=False)
    if violations:
        raise ValidationError(f"E600 {where}: {len(violations)} SHACL violations (listed above)")
    out.print(f"{where} conforms to the SHACL shapes", markup=False)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from kg.serve import ServeConfig, make_server

    config = ServeConfig(
        out=args.out,
        store=args.store,
        base_iri=args.base_iri,
        writable=args.writable,
        timeout=args.timeout,
        max_results=args.max_results,
    )
    try:
        server = make_server(config, args.host, args.port)
    except OSError as exc:
        raise UsageError(f"E521 cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    host, port = str(server.server_address[0]), int(server.server_address[1])
    mode = "read-write" if args.writable else "read-only"
    Console(stderr=True, highlight=False).print(
        f"SPARQL endpoint ({mode}) at http://{host}:{port}/query; Ctrl-C stops it", markup=False
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
        server.endpoint.close()  # type: ignore[attr-defined]
    return 0


def _viz(args: argparse.Namespace) -> int:
    import kg
    import viz

    graph = kg.load(args.out, store=args.store, base_iri=args.base_iri)
    name = MAP_FILE if args.focus is None else f"graph-{_slug(args.focus)}.html"
    path = viz.render(
        graph,
        args.out / name,
        view=args.view,
        focus=args.focus,
        hops=args.hops,
        max_nodes=args.max_nodes,
        max_entities=args.max_entities,
        max_claims=args.max_claims,
    )
    out = Console(highlight=False)
    out.print(f"map: {path}")
    if args.png is not None:
        out.print(f"png: {viz.screenshot(path, args.png, select=args.focus)}")
    return 0


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split()) or "focus"


def _propositions(args: argparse.Namespace) -> int:
    from kg.ingest import read_source
    from kg.nlp.pipeline import load_pipeline
    from kg.propositions import carb_rows, extract

    lines = [line for line in read_source(args.file).text.splitlines() if line.strip()]
    nlp = load_pipeline(Settings(model=args.model))
    for sentence, claims in extract(lines, nlp):
        for row in carb_rows(sentence, claims):
            sys.stdout.write(row + "\n")
    return 0


def _short(text: str, base_iri: str) -> str:
    return "id:" + text[len(base_iri) :] if text.startswith(base_iri) else text


if __name__ == "__main__":
    sys.exit(main())
