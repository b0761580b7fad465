"""How fast the map opens in headless Chromium, against pyvis's default rendering, in one run.

    python bench/viz_open.py                           # 500, 2,000 and 10,000 nodes
    python bench/viz_open.py --sizes 500 2000 --baseline-timeout 300

For each size a synthetic graph is built through the same RDF path as a real build (entities of
all six types, claims between them with predicates, claimants, contrasts), then:

* acckg: ``viz.render`` (layout in Python, physics off, display cap) and the time from navigation
  until the page has drawn its first frame and is interactive (``window.acckgReadyAt``), and until
  every control is filled in too (the claimant list, built from the claims just after that frame);
* baseline: pyvis's ``Network()`` with its default options (physics on, stabilisation) holding the
  same nodes and edges as the concept map, vis-network inlined, and the time until its
  stabilisation iterations are done (when pyvis hides its loading bar); a run that exceeds
  ``--baseline-timeout`` is reported as a lower bound.

All network access is blocked in the browser. Reports HTML size, Python render seconds, opening
seconds and the speed-up ratio.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from pyvis.network import Network
from rich.console import Console
from rich.table import Table

import kg
import viz
from kg.model import Claim, Entity, EntityType, Modality, Polarity, ResolvedMention, RunInfo, SourceDoc, Span
from kg.rdf import nquads, to_dataset
from viz import scene
from viz.browser import CHROMIUM, CHROMIUM_ARGS

PREDICATES = ("is", "causes", "replaces", "accelerates", "threatens", "is identical to", "depends on", "opposes")


def synthetic_graph(n: int, *, seed: int = 11, docs: int = 20) -> kg.KnowledgeGraph:
    """``n`` entities and about ``1.2 n`` claims; popular entities attract more claims (as in real text)."""
    rng = random.Random(seed)
    types = list(EntityType)
    entities = [
        Entity(id=f"e{i}", label=f"Entity {i}", type=types[i % len(types)], alt_labels=(), mention_count=1 + i % 5)
        for i in range(n)
    ]
    sources = []
    for d in range(docs):
        text = " ".join(f"Sentence {k} of document {d} says something about entities." for k in range(200))
        sources.append(SourceDoc(id=f"d{d}", path=f"d{d}.txt", text=text, sha256="0" * 64, title=f"Document {d}"))
    weights = [1 / (i + 1) ** 0.8 for i in range(n)]
    mentions, claims = [], []
    for i, e in enumerate(entities):
        doc = f"d{i % docs}"
        mentions.append(ResolvedMention(doc_id=doc, span=Span(i % 9000, i % 9000 + 6), text=e.label, entity_id=e.id))
    for k in range(int(1.2 * n)):
        a, b, who = (entities[i] for i in rng.choices(range(n), weights=weights, k=3))
        doc = f"d{k % docs}"
        claims.append(
            Claim(
                id=f"c{k}",
                doc_id=doc,
                claimant=who.id,
                text=f"{a.label} {PREDICATES[k % len(PREDICATES)]} {b.label}",
                subject=a.label,
                predicate=PREDICATES[k % len(PREDICATES)],
                object=b.label,
                about=tuple(sorted({a.id, b.id})),
                polarity=Polarity.NEGATIVE if k % 7 == 0 else Polarity.POSITIVE,
                modality=Modality.ASSERTED,
                identity=False,
                confidence=0.8,
                evidence=Span(k % 9000, k % 9000 + 40),
                evidence_text=f"{who.label} says {a.label} {PREDICATES[k % len(PREDICATES)]} {b.label}.",
                contrasts_with=(f"c{k - 1}",) if k % 11 == 0 and k else (),
            )
        )
    run = RunInfo(software_version="bench", model_name="none", model_version="0", time="2026-01-01T00:00:00+00:00")
    base = kg.Settings.base_iri
    dataset = to_dataset(nquads(sources, entities, mentions, claims, {}, run, base_iri=base), base_iri=base)
    return kg.KnowledgeGraph(dataset)


def pyvis_default(graph: kg.KnowledgeGraph) -> str:
    """pyvis with its default options holding the concept map's nodes and edges."""
    records = scene.read(graph)
    records.pop("entity_graph")
    view = scene.concept_view(records)
    net = Network(cdn_resources="in_line")
    net.add_nodes(list(view.nodes), label=[records["entities"][n]["label"] for n in view.nodes])
    # What add_edge appends, without its scan of every earlier edge (quadratic: minutes at 10,000 nodes).
    net.edges.extend({"from": e.source, "to": e.target, "value": e.count, "title": e.label} for e in view.edges)
    page: str = net.generate_html()
    probe = (
        '<script>network.once("stabilizationIterationsDone", function () {'
        " window.benchDoneAt = performance.now(); });</script>"
    )
    return page.replace("</body>", probe + "</body>")


def open_seconds(browser: Browser, path: Path, flags: tuple[str, ...], timeout_s: float) -> list[float] | None:
    """Seconds from navigation until each ``window[flag]`` is set, or None past the timeout."""
    context = browser.new_context(viewport={"width": 1400, "height": 860})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = context.new_page()
    try:
        page.goto(path.as_uri(), wait_until="commit", timeout=timeout_s * 1000)  # pyvis blocks "load"
        for flag in flags:
            page.wait_for_function(f"() => window.{flag} !== undefined", timeout=timeout_s * 1000, polling=100)
        return [float(page.evaluate(f"window.{flag}")) / 1000 for flag in flags]
    except Exception as exc:  # a timeout is a result here: the baseline did not finish
        if "Timeout" not in type(exc).__name__ and "Timeout" not in str(exc):
            raise
        return None
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000])
    parser.add_argument("--baseline-timeout", type=float, default=240.0, help="seconds per baseline run")
    args = parser.parse_args()
    console = Console()
    table = Table("nodes", "claims", "acckg HTML", "render", "acckg open", "all controls", "pyvis HTML", "pyvis open")
    table.add_column("speed-up")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        for n in args.sizes:
            console.print(f"[bold]{n} nodes[/]: building the graph")
            graph = synthetic_graph(n)
            started = time.perf_counter()
            ours = viz.render(graph, Path(tmp) / f"acckg-{n}.html")
            render_s = time.perf_counter() - started
            ours_s = open_seconds(browser, ours, ("acckgReadyAt", "acckgLoadedAt"), 120)
            console.print(f"  acckg: render {render_s:.1f} s, open {ours_s} s; now pyvis's default")
            base = Path(tmp) / f"pyvis-{n}.html"
            base.write_text(pyvis_default(graph), encoding="utf-8")
            base_s = open_seconds(browser, base, ("benchDoneAt",), args.baseline_timeout)
            if ours_s is None:
                ratio = "-"
            elif base_s is None:
                ratio = f"> {args.baseline_timeout / ours_s[0]:.0f}x"
            else:
                ratio = f"{base_s[0] / ours_s[0]:.0f}x"
            row = (
                f"{n:,}",
                f"{len(graph.claims()):,}",
                f"{ours.stat().st_size / 1e6:.1f} MB",
                f"{render_s:.1f} s",
                "-" if ours_s is None else f"{ours_s[0]:.2f} s",
                "-" if ours_s is None else f"{ours_s[1]:.2f} s",
                f"{base.stat().st_size / 1e6:.1f} MB",
                f"> {args.baseline_timeout:.0f} s" if base_s is None else f"{base_s[0]:.1f} s",
                ratio,
            )
            console.print("  " + " | ".join(row))
            table.add_row(*row)
        browser.close()
    console.print(table)


if __name__ == "__main__":
    main()
