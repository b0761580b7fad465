"""Interactive HTML concept maps of an acckg graph (vis-network via pyvis), fully offline.

Examples
--------
>>> import kg, viz
>>> viz.render(kg.load("out/graph.trig"), "map.html")   # doctest: +SKIP
PosixPath('map.html')
"""

from viz.render import TYPE_COLOURS, map_html, render

__all__ = ["TYPE_COLOURS", "map_html", "render"]
