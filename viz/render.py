"""Render a :class:`kg.KnowledgeGraph` as one self-contained, offline HTML explorer.

The page template is ours and vis-network's script is inlined from the copy pyvis ships, so
nothing is fetched from a CDN. All text from sources travels as JSON inside a
``<script type="application/json">`` block (with ``<``, ``>`` and ``&`` escaped) and the page
inserts it with ``textContent`` only; a Content-Security-Policy forbids any network access.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

import kg
from kg import analysis
from viz import scene
from viz.scene import DEFAULT_MAX_CLAIMS, DEFAULT_MAX_ENTITIES, DEFAULT_MAX_NODES, VIEWS

TYPE_COLOURS: dict[str, str] = {
    "Person": "#e4572e",
    "Organization": "#4c72b0",
    "CreativeWork": "#8c564b",
    "Product": "#2ca02c",
    "Place": "#9467bd",
    "Concept": "#f2a541",
    "Document": "#7f7f7f",
}
POLARITY_COLOURS: dict[str, str] = {"positive": "#3b8ea5", "negative": "#c0392b"}
_VIS_JS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")


def render(
    graph: kg.KnowledgeGraph,
    path: str | Path,
    *,
    view: str = "concepts",
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_entities: int = DEFAULT_MAX_ENTITIES,
    max_claims: int = DEFAULT_MAX_CLAIMS,
) -> Path:
    """Write the map of ``graph`` to ``path`` (atomically) and return the path.

    ``view`` is the view the page opens with (``concepts`` or ``claims``; both are in the page),
    ``focus`` an entity's name or id to draw only its ``hops``-neighbourhood, ``max_nodes``
    the number of nodes drawn at first in larger graphs, and ``max_entities`` and ``max_claims``
    how many of them the page holds (the most central ones; see :func:`viz.scene.read`).
    """
    target = Path(path)
    page = map_html(
        graph,
        view=view,
        focus=focus,
        hops=hops,
        max_nodes=max_nodes,
        max_entities=max_entities,
        max_claims=max_claims,
    )
    kg.write_atomic(target, page.encode("utf-8"))
    return target


def map_html(
    graph: kg.KnowledgeGraph,
    *,
    view: str = "concepts",
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_entities: int = DEFAULT_MAX_ENTITIES,
    max_claims: int = DEFAULT_MAX_CLAIMS,
) -> str:
    """The map as an HTML string (see :func:`render`)."""
    if view not in VIEWS:
        raise kg.UsageError(f"E600 unknown view {view!r} (use one of: {', '.join(VIEWS)})")
    if hops < 0 or min(max_nodes, max_entities, max_claims) < 1:
        raise kg.UsageError("E601 hops must be 0 or more, and max_nodes, max_entities and max_claims at least 1")
    centre = _resolve(graph, focus) if focus is not None else None
    records = scene.read(graph, centre=centre, hops=hops, max_entities=max_entities, max_claims=max_claims)
    entity_graph, totals = records.pop("entity_graph"), records.pop("totals")
    concepts, claims = scene.concept_view(records), scene.claims_view(records)
    if centre is not None:
        # A claim sits between two entities, so one entity hop is two steps in the claims view.
        concepts, claims = scene.focus(concepts, centre, hops), scene.focus(claims, centre, 2 * hops)
        records = scene.restrict(records, [concepts, claims])
    concept_scores = {e: r["centrality"] for e, r in records["entities"].items()}
    concepts = scene.place(scene.reduce(concepts, concept_scores, max_nodes), entity_graph, concept_scores)
    claim_scores = analysis.centrality(scene.as_networkx(claims))
    claims = scene.place_between(scene.reduce(claims, claim_scores, max_nodes), concepts.positions)
    claims_count = len(records["claims"])
    claims_json = _script_json(records.pop("claims"))
    payload: dict[str, Any] = {
        **records,
        "start": {"view": view, "focus": centre or "", "hops": max(hops, 1)},
    }
    env = Environment(loader=PackageLoader("viz", "templates"), autoescape=select_autoescape(["html"]))
    return env.get_template("map.html").render(
        vis_js=_vis_js(),
        data_json=_script_json(payload),
        claims_json=claims_json,
        views={"concepts": _script_json(_view_json(concepts)), "claims": _script_json(_view_json(claims))},
        colours={k: v for k, v in TYPE_COLOURS.items() if k != "Document"},
        polarity=POLARITY_COLOURS,
        palette_json=_script_json({"types": TYPE_COLOURS, "polarity": POLARITY_COLOURS}),
        documents=len(records["documents"]),
        claims=claims_count,
        entities=sum(1 for e in records["entities"] if not e.startswith("doc:")),
        totals=totals,
        focus=graph.label(centre) if centre else "",
    )


class MapView:
    """The map for a notebook: Jupyter shows ``_repr_html_`` (the page in a sandboxed iframe).

    Examples
    --------
    >>> import kg, viz
    >>> shown = viz.MapView(kg.build(["sources/import-ai-384.txt"]), focus="Nick Land")
    >>> shown._repr_html_().startswith('<iframe sandbox="allow-scripts"')
    True
    """

    def __init__(self, graph: kg.KnowledgeGraph, *, height: int = 640, **options: Any) -> None:
        self.html = map_html(graph, **options)
        self.height = height

    def _repr_html_(self) -> str:
        return (
            f'<iframe sandbox="allow-scripts" style="width: 100%; height: {self.height}px; border: 0"'
            f' srcdoc="{html.escape(self.html, quote=True)}"></iframe>'
        )


def _resolve(graph: kg.KnowledgeGraph, name: str) -> str:
    prefix = f"{graph.base_iri}entity/"
    for iri in graph.find(name):
        if str(iri).startswith(prefix):
            return str(iri).removeprefix(prefix)
    raise kg.UsageError(f"E602 no entity named {name!r} to focus on (list them with `acckg query entities`)")


def _view_json(view: scene.View) -> dict[str, Any]:
    return {
        "nodes": list(view.nodes),
        "shown": list(view.shown),
        "pos": {n: list(xy) for n, xy in view.positions.items()},
        "edges": [[e.source, e.target, e.kind, e.label, e.count] for e in view.edges],
    }


def _vis_js() -> str:
    return resources.files("pyvis").joinpath(*_VIS_JS).read_text(encoding="utf-8")


def _script_json(payload: object) -> str:
    """JSON safe inside a <script> element: no '</script>' or HTML comment can be formed."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
