"""Interactive HTML maps of an acckg graph (vis-network, inlined), fully offline.

Examples
--------
>>> import kg, viz
>>> html = viz.map_html(kg.build(["sources/import-ai-384.txt"]))   # viz.render(graph, path) writes it
>>> html.startswith("<!DOCTYPE html>") and "Nick Land" in html
True
"""

from viz.browser import screenshot
from viz.render import POLARITY_COLOURS, TYPE_COLOURS, MapView, map_html, render
from viz.scene import DEFAULT_MAX_NODES, VIEWS

__all__ = [
    "DEFAULT_MAX_NODES",
    "POLARITY_COLOURS",
    "TYPE_COLOURS",
    "VIEWS",
    "MapView",
    "map_html",
    "render",
    "screenshot",
]
