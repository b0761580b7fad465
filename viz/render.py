"""Render a :class:`kg.KnowledgeGraph` as one self-contained HTML page.

pyvis builds the network (nodes, edges, physics options); the page template is ours so
that nothing is fetched from a CDN: vis-network's script is inlined from the pyvis
package. All text from sources travels as JSON inside a ``<script type="application/json">``
block (with ``<``, ``>`` and ``&`` escaped) and is inserted with ``textContent`` only.
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from pyvis.network import Network

import kg
from kg import analysis

TYPE_COLOURS: dict[str, str] = {
    "Person": "#e4572e",
    "Organization": "#4c72b0",
    "CreativeWork": "#8c564b",
    "Product": "#2ca02c",
    "Place": "#9467bd",
    "Concept": "#f2a541",
}
_VIS_JS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")


def render(graph: kg.KnowledgeGraph, path: str | Path, *, max_nodes: int = 150) -> Path:
    """Write the concept map of ``graph`` to ``path`` (atomically) and return the path."""
    target = Path(path)
    kg.write_atomic(target, map_html(graph, max_nodes=max_nodes).encode("utf-8"))
    return target


def map_html(graph: kg.KnowledgeGraph, *, max_nodes: int = 150) -> str:
    """The concept map as an HTML string: the ``max_nodes`` most central entities."""
    nxg = graph.to_networkx()
    central = analysis.centrality(nxg)
    keep = [n for n in central if nxg.nodes[n]["mentions"] > 1 or nxg.degree(n) > 0][:max_nodes]
    sub = nxg.subgraph(keep)
    community = analysis.communities(sub)

    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line")
    for node in sorted(sub):
        data = sub.nodes[node]
        net.add_node(
            node,
            label=data["label"],
            title=f"{data['label']} ({data['type']}), {data['mentions']} mentions",
            color=TYPE_COLOURS[data["type"]],
            size=10 + 30 * central[node],
        )
    for a, b, data in sorted(sub.edges(data=True)):
        net.add_edge(a, b, value=data.get("weight", 1))

    claims_by: dict[str, list[dict[str, str]]] = defaultdict(list)
    claims_about: dict[str, list[dict[str, str]]] = defaultdict(list)
    claims = graph.claims()
    for claim in claims:
        item = {
            "claimant": graph.label(claim.claimant),
            "text": claim.text,
            "evidence": claim.evidence_text,
            "doc": claim.doc_id,
            "polarity": claim.polarity.value,
            "modality": claim.modality.value,
        }
        if claim.claimant in sub:
            claims_by[claim.claimant].append(item)
        for about in claim.about:
            if about in sub:
                claims_about[about].append(item)
    entities = {e.id: e for e in graph.entities()}
    details = {
        node: {
            "label": entities[node].label,
            "type": entities[node].type.value,
            "mentions": entities[node].mention_count,
            "alt": list(entities[node].alt_labels[:12]),
            "description": entities[node].description or "",
            "community": community.get(node, 0),
            "by": claims_by[node][:20],
            "about": claims_about[node][:20],
        }
        for node in sub
    }
    payload = {
        "nodes": [{k: v for k, v in n.items() if k in {"id", "label", "title", "color", "size"}} for n in net.nodes],
        "edges": [{"from": e["from"], "to": e["to"], "value": e["value"]} for e in net.edges],
        "details": details,
    }
    env = Environment(loader=PackageLoader("viz", "templates"), autoescape=select_autoescape(["html"]))
    return env.get_template("map.html").render(
        vis_js=_vis_js(),
        data_json=_script_json(payload),
        colours=TYPE_COLOURS,
        documents=len(graph.documents()),
        claims=len(claims),
        shown=len(keep),
        total=nxg.number_of_nodes(),
    )


def _vis_js() -> str:
    return resources.files("pyvis").joinpath(*_VIS_JS).read_text(encoding="utf-8")


def _script_json(payload: object) -> str:
    """JSON safe inside a <script> element: no '</script>' or HTML comment can be formed."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
