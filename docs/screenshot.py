"""Render a build's concept map in headless Chromium and save a PNG for the README.

python docs/screenshot.py out/graph.html docs/map.png [--select "Nick Land"]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--select", default="Nick Land", help="entity to open in the side panel")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto(args.html.resolve().as_uri())
        page.wait_for_function("window.acckgReady === true")
        page.wait_for_timeout(4000)  # let the physics settle
        page.fill("#search", args.select)
        page.press("#search", "Enter")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(args.png))
        browser.close()


if __name__ == "__main__":
    main()
