"""Interactive HTML concept maps of an acckg graph (vis-network via pyvis), fully offline.

Examples
--------
>>> import kg, viz
>>> html = viz.map_html(kg.build(["sources/import-ai-384.txt"]))   # viz.render(graph, path) writes it
>>> html.startswith("<!DOCTYPE html>") and "Nick Land" in html
True
"""

from viz.render import TYPE_COLOURS, map_html, render

__all__ = ["TYPE_COLOURS", "map_html", "render"]
