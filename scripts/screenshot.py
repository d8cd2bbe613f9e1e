"""Render a map and save desktop (1280x800) and phone (360x640) screenshots to output/screenshots/.

Builds the bundled sample with `mapgen build` when that works, else renders synthetic stations. Tiles are
blocked (as offline), so the basemap is blank; everything else is what a user sees.
Usage: python scripts/screenshot.py [--out DIR] [--synthetic] [--lang zh|en]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


def build_sample(workdir: Path, lang: str) -> Path | None:
    """index.html of the bundled sample via the real build, or None when the build does not work (yet)."""
    try:
        from mapgen.cli import main

        code = main(["build", "--out-dir", str(workdir), "--lang", lang])
    except Exception as error:  # any failure of the pipeline means: fall back to synthetic inputs
        print(f"mapgen build failed ({error!r}); using synthetic stations", file=sys.stderr)
        return None
    page = workdir / "index.html"
    return page if code == 0 and page.exists() else None


def build_synthetic(workdir: Path, lang: str) -> Path:
    """index.html of 800 synthetic stations and 12 offices around Changsha."""
    from conftest import synthetic_coverage, synthetic_points

    from mapgen.settings import Settings
    from mapgen.webmap import render_map

    points = synthetic_points(800, offices=12, seed=2)
    page = workdir / "index.html"
    page.write_text(render_map(points, synthetic_coverage(points), Settings(lang=lang), sample=True), "utf-8")
    return page


def first_station(page: Any) -> str:
    """Id of a station the page knows (for the details screenshot)."""
    return str(page.evaluate("window.mapgen.nearest(window.mapgen.map.getCenter().lat, "
                             "window.mapgen.map.getCenter().lng, 1)[0].id"))  # fmt: skip


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
        page.wait_for_function("window.mapgen && window.mapgen.painted !== null")
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
    parser.add_argument("--synthetic", action="store_true", help="skip the real build, use synthetic stations")
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        page = None if args.synthetic else build_sample(workdir, args.lang)
        page = page or build_synthetic(workdir, args.lang)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for path in shoot(browser, page.as_uri(), args.out):
                print(path)
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
