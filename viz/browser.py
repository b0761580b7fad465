"""PNG screenshots of a rendered map in headless Chromium (Debian's ``chromium`` via playwright).

playwright is imported only when a screenshot is asked for, so the map itself needs no browser.
"""

from __future__ import annotations

from pathlib import Path

import kg

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ("--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking")


def screenshot(
    html: str | Path, png: str | Path, *, select: str | None = None, width: int = 1400, height: int = 860
) -> Path:
    """Open the map at ``html`` offline, optionally search for ``select``, and save the view as ``png``."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        raise kg.UsageError("E603 --png needs playwright: pip install 'acckg[png]'") from exc
    if not CHROMIUM.exists():
        raise kg.UsageError(f"E604 --png needs Chromium at {CHROMIUM} (apt-get install chromium)")
    target = Path(png)
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        except Error as exc:
            raise kg.UsageError(f"E604 Chromium did not start: {exc.message.splitlines()[0]}") from exc
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route(
                "**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_()
            )
            page.goto(Path(html).resolve().as_uri())
            page.wait_for_function("() => window.acckgReady === true")
            if select:
                page.fill("#search", select)
                page.press("#search", "Enter")
            image = page.screenshot()
        finally:
            browser.close()
    kg.write_atomic(target, image)
    return target
