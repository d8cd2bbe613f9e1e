"""Headless Chromium measurements: mapgen's first paint, redraw and nearest(); the folium baseline's load."""

from __future__ import annotations

import importlib
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
VIEWPORT = {"width": 1280, "height": 800}
ZOOM_STEPS = 10
NAIVE_ZOOM_STEPS = 4  # a step takes seconds on the naive map at 20,000 stations
NEAREST_REPEATS = 100  # performance.now() has 0.1 ms steps in a page that is not cross-origin isolated
NEAREST_WARMUP = 50

# folium's CDN files, by URL prefix, served from these xstatic packages' folders (path after the prefix kept).
CDN_PACKAGES = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/": ("xstatic.pkg.leaflet", ""),
    "https://code.jquery.com/": ("xstatic.pkg.jquery", "jquery-3.7.1.min.js=jquery.min.js"),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/": ("xstatic.pkg.bootstrap", ""),
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/": ("xstatic.pkg.font_awesome", ""),
}

# folium uses jQuery only as $(`<div ...>...</div>`)[0] to build popup content: without XStatic-jQuery this
# stand-in does that much, so the baseline still loads (a little faster than with the real jQuery).
JQUERY_SHIM = b"""window.$ = window.jQuery = function (html) {
  var t = document.createElement('template'); t.innerHTML = String(html).trim(); return [t.content.firstChild];
};"""

# Runs before the page's own scripts: timestamps the page cannot give itself, all from navigation start.
# "frame" times are taken in a task queued from requestAnimationFrame, i.e. once that frame has been rendered.
INIT_SCRIPT = """
(() => {
  const frameThen = (name) => requestAnimationFrame(() => setTimeout(() => { window[name] = performance.now(); }, 0));
  let api;
  Object.defineProperty(window, '__mapgenTest', {  // the page's test-only hooks (lifecycle.js)
    configurable: true,
    get() { return api; },
    set(value) {
      api = value;
      frameThen('__benchFirstFrame');
      value.ready.then(() => { window.__benchReady = performance.now(); });
    },
  });
  window.addEventListener('load', () => {
    window.__benchLoad = performance.now();
    frameThen('__benchLoadFrame');
  });
})();
"""

ZOOM_SCRIPT = """
async ([which, steps]) => {
  const map = which === 'mapgen' ? window.__mapgenTest.map
    : window[Object.keys(window).find((k) => /^map_[0-9a-f]+$/.test(k))];
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  await frame();
  const z0 = map.getZoom();
  const sync = [];
  const framed = [];
  for (let k = 0; k < steps; k++) {
    const t0 = performance.now();
    map.setZoom(k % 2 === 0 ? z0 + 1 : z0, { animate: false });
    sync.push(performance.now() - t0);
    await frame();
    framed.push(performance.now() - t0);
  }
  return { sync, framed };
}
"""

NEAREST_SCRIPT = """
([queries, repeats, warmup]) => {
  const m = window.mapgen;
  for (let k = 0; k < warmup; k++) m.nearest(queries[k % queries.length][0], queries[k % queries.length][1]);
  const each = [];
  const start = performance.now();
  for (const [lat, lon] of queries) {
    const t0 = performance.now();
    for (let r = 0; r < repeats; r++) m.nearest(lat, lon);
    each.push((performance.now() - t0) / repeats);
  }
  const total = performance.now() - start;
  return { each, mean: total / (queries.length * repeats) };
}
"""


@dataclass
class CdnFiles:
    """Fulfils folium's CDN requests from installed xstatic packages; an empty stub where none is installed."""

    served: set[str] = field(default_factory=set)
    stubbed: set[str] = field(default_factory=set)

    def local(self, url: str) -> Path | None:
        """The local file standing in for a CDN URL, or None."""
        for prefix, (module, renames) in CDN_PACKAGES.items():
            if not url.startswith(prefix):
                continue
            try:
                base = Path(importlib.import_module(module).BASE_DIR)
            except ImportError:
                return None
            rest = url[len(prefix) :].split("?")[0]
            for pair in filter(None, renames.split(",")):
                old, new = pair.split("=")
                rest = new if rest == old else rest
            path = base / rest
            return path if path.is_file() else None
        return None

    def route(self, route: Any) -> None:
        """Let file:// through, fulfil CDN files, abort everything else (tiles)."""
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
            return
        if not _is_cdn(url):
            route.abort()
            return
        path = self.local(url)
        key = url.split("?")[0]
        if path is None:
            shim = "jquery" in key
            self.stubbed.add(key + (" (a minimal $(html) stand-in)" if shim else ""))
            body = JQUERY_SHIM if shim else b""
            route.fulfill(status=200, body=body, content_type=mimetypes.guess_type(key)[0] or "text/plain")
            return
        self.served.add(key)
        route.fulfill(status=200, path=str(path), content_type=mimetypes.guess_type(path.name)[0] or "text/plain")


CDN_HOSTS = ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "netdna.bootstrapcdn.com")


def _is_cdn(url: str) -> bool:
    """Whether a URL is one of folium's library CDNs."""
    return "://" in url and url.split("/")[2] in CDN_HOSTS


def zoom_figures(page: Any, which: str, steps: int) -> dict[str, float]:
    """Median redraw after `steps` zooms (ZOOM_SCRIPT), with and without the frame, in ms."""
    zoom = page.evaluate(ZOOM_SCRIPT, [which, steps])
    return {"redraw_ms": float(np.median(zoom["framed"])), "redraw_sync_ms": float(np.median(zoom["sync"]))}


class Browser:
    """One headless Chromium for the whole benchmark; a fresh context (empty cache) per page load."""

    def __init__(self) -> None:
        """Start Playwright and Chromium."""
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.chromium = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.version = self.chromium.version
        self.cdn = CdnFiles()
        self.warmed = False

    def close(self) -> None:
        """Stop Chromium and Playwright."""
        self.chromium.close()
        self._playwright.stop()

    @contextmanager
    def page(self, *, limit_s: float) -> Iterator[Any]:
        """A page in a new context, routed (file:// only, CDN from local files) and instrumented."""
        context = self.chromium.new_context(viewport=VIEWPORT)
        context.set_default_timeout(limit_s * 1000)
        try:
            page = context.new_page()
            page.add_init_script(INIT_SCRIPT)
            page.route("**/*", self.cdn.route)
            yield page
        finally:
            context.close()

    def warm_up(self, html: Path, *, limit_s: float) -> None:
        """Load a page once, uncounted: the first page of a fresh Chromium pays for starting its renderer."""
        with self.page(limit_s=limit_s) as page:
            page.goto(html.as_uri())
        self.warmed = True

    @contextmanager
    def painted(self, html: Path, *, limit_s: float) -> Iterator[Any]:
        """A page loaded (after a warm-up the first time) up to its first rendered frame and `ready`."""
        if not self.warmed:
            self.warm_up(html, limit_s=limit_s)
        with self.page(limit_s=limit_s) as page:
            page.goto(html.as_uri(), wait_until="commit")
            page.wait_for_function("window.__benchReady !== undefined && window.__benchFirstFrame !== undefined")
            yield page

    def mapgen_page(self, html: Path, queries: np.ndarray, *, limit_s: float) -> dict[str, Any]:
        """First paint, first rendered frame, ready, redraw after zoom and nearest() timings of a mapgen page."""
        with self.painted(html, limit_s=limit_s) as page:
            marks = page.evaluate("[window.__mapgenTest.painted, window.__benchFirstFrame, window.__benchReady]")
            zoom = zoom_figures(page, "mapgen", ZOOM_STEPS)
            near = page.evaluate(NEAREST_SCRIPT, [queries.tolist(), NEAREST_REPEATS, NEAREST_WARMUP])
        return {
            "paint_s": marks[0] / 1000, "frame_s": marks[1] / 1000, "ready_s": marks[2] / 1000,
            "redraw_ms": zoom["redraw_ms"], "redraw_sync_ms": zoom["redraw_sync_ms"],
            "nearest_ms": float(np.median(near["each"])), "nearest_p95_ms": float(np.percentile(near["each"], 95)),
            "nearest_mean_ms": near["mean"],
        }  # fmt: skip

    def naive_page(self, html: Path, stations: int, *, limit_s: float) -> dict[str, Any]:
        """Load time (first rendered frame after the load event, all markers in the DOM) and redraw of a folium map."""
        with self.page(limit_s=limit_s) as page:
            page.goto(html.as_uri(), wait_until="commit")
            page.wait_for_function("window.__benchLoadFrame !== undefined", polling=100)
            load = page.evaluate("[window.__benchLoad, window.__benchLoadFrame]")
            markers = page.evaluate("document.querySelectorAll('.leaflet-marker-icon').length")
            if markers != stations:
                msg = f"{html}: {markers} markers in the DOM after load, expected {stations}"
                raise RuntimeError(msg)
            zoom = zoom_figures(page, "naive", NAIVE_ZOOM_STEPS)
        return {
            "load_event_s": load[0] / 1000,
            "load_s": load[1] / 1000,
            **zoom,
        }

    def js_profile(self, html: Path, *, limit_s: float, top: int = 20) -> str:
        """A sampled CPU profile of a mapgen page's load up to `ready`: functions by self time."""
        with self.page(limit_s=limit_s) as page:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            cdp.send("Profiler.start")
            page.goto(html.as_uri(), wait_until="commit")
            page.wait_for_function("window.__benchReady !== undefined")
            painted = page.evaluate("window.__mapgenTest.painted")
            profile = cdp.send("Profiler.stop")["profile"]
        return summarise_profile(profile, painted, top)


def summarise_profile(profile: dict[str, Any], painted_ms: float, top: int) -> str:
    """Self time per function (name, script line) of a CDP CPU profile, largest first."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    self_ms: dict[str, float] = {}
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[sample]["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        where = f"{name} ({Path(frame['url']).name or '-'}:{frame['lineNumber'] + 1})"
        self_ms[where] = self_ms.get(where, 0.0) + delta / 1000
    total = sum(self_ms.values())
    rows = sorted(self_ms.items(), key=lambda item: -item[1])[:top]
    lines = [f"sampled {total:.0f} ms of CPU from navigation to ready (painted at {painted_ms:.0f} ms)",
             "  self ms  function (script:line)"]  # fmt: skip
    lines += [f"{ms:9.1f}  {where}" for where, ms in rows]
    return "\n".join(lines)
