"""The concept map: offline, escaped, and working in a real (headless) browser."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import kg
import viz

EVIL = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


@pytest.fixture(scope="module")
def evil_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("evil")
    src = folder / "evil.txt"
    src.write_text(
        f'Nick Land thinks humans have a dim future. "{EVIL} Project" is a work by Nick Land. '
        f"Nick Land argues that the {EVIL} engine will win. The {EVIL} engine is a machine.\n",
        encoding="utf-8",
    )
    graph = kg.build([src])
    return viz.render(graph, folder / "map.html")


def test_map_has_no_network_references(seed_graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    html = viz.render(seed_graph, tmp_path / "map.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html, re.IGNORECASE)
    assert "cdn.jsdelivr" not in html and "cdnjs.cloudflare" not in html
    assert "default-src 'none'" in html


def test_source_text_is_escaped_in_the_html(evil_map: Path) -> None:
    html = evil_map.read_text(encoding="utf-8")
    assert "window.pwned" in html  # the text is there ...
    assert "<script>window.pwned" not in html and "<img src=x" not in html  # ... but never as markup


CHROMIUM = Path("/usr/bin/chromium")


def _browser():  # type: ignore[no-untyped-def]
    """Playwright driving Debian's chromium; in CI a missing browser fails instead of skipping."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: install Debian's chromium")
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium")
    return sync_playwright()


def test_map_renders_and_shows_claims_in_a_browser(seed_graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    path = viz.render(seed_graph, tmp_path / "map.html")
    with _browser() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_function("window.acckgReady === true")
        assert page.locator("#map canvas").count() == 1
        page.fill("#search", "Nick Land")
        page.press("#search", "Enter")
        page.wait_for_selector("#details h2")
        assert "Nick Land" in page.inner_text("#details")
        assert "dim future" in page.inner_text("#details")
        assert errors == []
        assert [u for u in requests if not u.startswith("file:")] == []
        browser.close()


def test_injected_markup_does_not_execute(evil_map: Path) -> None:
    with _browser() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.goto(evil_map.as_uri())
        page.wait_for_function("window.acckgReady === true")
        page.fill("#search", "nick")
        page.press("#search", "Enter")
        page.wait_for_selector("#details h2")
        assert page.evaluate("window.pwned") is None
        browser.close()
