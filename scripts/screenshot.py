"""Build the sample map and save desktop (1280x800) and phone (360x640) screenshots to output/screenshots/.

Tiles are blocked (as offline), so the basemap is blank; everything else is what a user sees.
Usage: python scripts/screenshot.py [--out DIR] [--lang zh|en] [--county NAME_OR_ADCODE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mapgen.cli import main as mapgen

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


def build_sample(workdir: Path, lang: str, county: str | None) -> Path:
    """index.html of the bundled sample, built by `mapgen build`."""
    extra = ["--county", county] if county else []
    if mapgen(["build", "--out-dir", str(workdir), "--lang", lang, *extra]) != 0:
        raise SystemExit("mapgen build failed")
    return workdir / "index.html"


def first_station(page: Any) -> str:
    """Id of a station the page knows (for the details screenshot)."""
    return str(page.evaluate("window.mapgen.nearest(window.__mapgenTest.map.getCenter().lat, "
                             "window.__mapgenTest.map.getCenter().lng, 1)[0].id"))  # fmt: skip


def shoot(browser: Any, url: str, out: Path) -> list[Path]:
    """Take the screenshots: overview, details, nearest, table (desktop and phone)."""
    shots = []
    for device, size in (("desktop", (1280, 800)), ("phone", (360, 640))):
        context = browser.new_context(
            viewport={"width": size[0], "height": size[1]},
            permissions=["geolocation"],
            geolocation={"latitude": 28.15, "longitude": 113.0},
            has_touch=device == "phone",
        )
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.goto(url)
        # window.__mapgenTest: the page's test-only hooks (mapgen/web/assets/lifecycle.js).
        page.wait_for_function("window.__mapgenTest && window.__mapgenTest.painted !== null")
        page.wait_for_timeout(300)
        shots.append(_save(page, out / f"{device}.png"))
        page.goto(f"{url}#station={first_station(page)}")
        page.wait_for_timeout(300)
        shots.append(_save(page, out / f"{device}-station.png"))
        page.click(".mg-sheet .mg-close")
        page.click(".mg-locate")
        page.locator(".mg-list .mg-item").first.wait_for()
        shots.append(_save(page, out / f"{device}-nearest.png"))
        page.click(".mg-tool >> nth=1")
        shots.append(_save(page, out / f"{device}-table.png"))
        context.close()
    return shots


def _save(page: Any, path: Path) -> Path:
    """Screenshot the viewport to path."""
    page.wait_for_timeout(150)
    page.screenshot(path=str(path))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Build a page and write its screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "screenshots")
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--county", help="a one-county map, e.g. 汨罗市")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page = build_sample(Path(tmp), args.lang, args.county)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for path in shoot(browser, page.as_uri(), args.out):
                print(path)
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
