"""The worker's map on a phone with one thumb (issue #11): location that never dead-ends, tap targets, text size,
axe-core, keyboard and screen readers, the layer switcher on touch, printing. Real headless Chromium at 390x844."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import PageRun, synthetic_coverage, synthetic_points

from mapgen.settings import Settings
from mapgen.web import render_map

PHONE = {"width": 390, "height": 844, "has_touch": True, "is_mobile": True, "device_scale_factor": 3}
DESKTOP = {"width": 1280, "height": 800}
MIN_TAP = 44
MIN_TEXT = 15
# A point of the map the tests tap: below the top bar, left of the controls, above the locate button.
MAP_TAP = (120, 600)
# What is measured as a tap target.
INTERACTIVE = ("button, a[href], input:not([type=checkbox]), select, textarea, [role=button], .leaflet-control a, "
               ".leaflet-control-layers label, th")  # fmt: skip
# The only targets allowed under 44x44: inline text links in a line of text (WCAG 2.5.8's "inline" exception),
# i.e. the attribution's links; and the map-centre action, off screen until a keyboard focuses it.
EXEMPT = (".leaflet-control-attribution a", ".mg-centre:not(:focus)")
# Text this part of the page owns, which must be at least 15px.
TEXT = (".mg-title, .mg-tool, .mg-sample, .mg-notice span, .mg-hint, .mg-legend-toggle, .mg-legend-row, "
        ".mg-legend-caption, .mg-sheet-title, .mg-sheet-note, .leaflet-control-layers label, .mg-table td, "
        ".mg-table th, .mg-locate, .mg-btn")  # fmt: skip
# navigator.geolocation under the test's control: window.__geo.reply is {code} (fail with that PositionError
# code), {lat, lon, accuracy, age} (succeed), or null (answer when the test calls window.__geo.answer(reply));
# calls are counted.
GEOLOCATION = """
window.__geo = { calls: 0, reply: { code: 1 } };
Object.defineProperty(navigator.geolocation, 'getCurrentPosition', { value: function (ok, fail) {
  window.__geo.calls++;
  var answer = function (r) {
    if (r.code) fail({ code: r.code, message: 'User denied Geolocation' });
    else ok({ coords: { latitude: r.lat, longitude: r.lon, accuracy: r.accuracy },
              timestamp: Date.now() - (r.age || 0) });
  };
  var reply = window.__geo.reply;
  if (reply) setTimeout(function () { answer(reply); }, 10);
  else window.__geo.answer = answer;
} });
"""
INSECURE = "Object.defineProperty(window, 'isSecureContext', { get: function () { return false; } });"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One sample-labelled page of 200 stations and 10 offices around Changsha, with its coverage."""
    points = synthetic_points(200, offices=10, seed=4)
    path = tmp_path_factory.mktemp("phone") / "index.html"
    path.write_text(render_map(points, synthetic_coverage(points), Settings(), sample=True), encoding="utf-8")
    return path


@pytest.fixture
def open_map(browser: Any, page_file: Path) -> Iterator[Any]:
    """open_map(size=PHONE, init=[scripts], fragment="") -> a PageRun of the page, loaded and ready."""
    contexts: list[Any] = []

    def _open(size: dict[str, Any] = PHONE, init: tuple[str, ...] = (GEOLOCATION,), fragment: str = "") -> PageRun:
        options = {k: v for k, v in size.items() if k not in ("width", "height")}
        context = browser.new_context(viewport={"width": size["width"], "height": size["height"]}, **options)
        contexts.append(context)
        for script in init:
            context.add_init_script(script)
        run = PageRun(context.new_page(), page_file.as_uri())
        run.open(fragment)
        return run

    yield _open
    for context in contexts:
        context.close()


def script_errors(run: PageRun) -> list[str]:
    """Script errors, leaving out the aborted tiles' load failures."""
    return [e for e in run.errors if "Failed to load resource" not in e]


def small_targets(page: Any) -> list[str]:
    """Visible interactive elements smaller than 44x44 CSS px, as 'tag.class "text" WxH'."""
    return page.evaluate(
        """([selector, exempt, min]) => [...document.querySelectorAll(selector)].filter(e => {
          const r = e.getBoundingClientRect();
          if (!r.width || !r.height || getComputedStyle(e).visibility === 'hidden') return false;
          return !exempt.some(x => e.matches(x)) && (r.width < min || r.height < min);
        }).map(e => { const r = e.getBoundingClientRect();
          return `${e.tagName}.${e.className} "${e.textContent.trim().slice(0, 20)}" ${r.width}x${r.height}`; })""",
        [INTERACTIVE, list(EXEMPT), MIN_TAP],
    )


def small_text(page: Any) -> list[str]:
    """Elements of TEXT whose computed font size is under 15px."""
    return page.evaluate(
        """([selector, min]) => [...document.querySelectorAll(selector)]
          .filter(e => parseFloat(getComputedStyle(e).fontSize) < min)
          .map(e => `${e.tagName}.${e.className} ${getComputedStyle(e).fontSize}`)""",
        [TEXT, MIN_TEXT],
    )


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, as 'rule: selectors'."""
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in found if v["impact"] in ("serious", "critical")]


def show_nearest(page: Any) -> None:
    """The nearest list, as a shared #at= link opens it."""
    page.evaluate("location.hash = '#at=28.12,113.05'")
    page.locator(".mg-list .mg-item").first.wait_for()


def show_station(page: Any) -> None:
    """A station's sheet, as a shared #station= link opens it."""
    page.evaluate("location.hash = '#station=S000007'")
    page.locator(".mg-sheet[data-mode='details']").wait_for()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_targets_text_in_three_states_and_print(open_map: Any, size: dict[str, Any]) -> None:
    run = open_map(size)
    page = run.page
    page.locator(".mg-legend").wait_for()
    for state, step in (("initial", None), ("nearest list", show_nearest), ("station sheet", show_station)):
        if step:
            step(page)
        assert serious_violations(page) == [], state
        if size is PHONE:
            assert small_targets(page) == [], state
            assert small_text(page) == [], state
    if size is PHONE:  # the open layer list and the legend, and the county table with its sort headers
        page.locator(".mg-sheet .mg-close").tap()
        page.locator(".leaflet-control-layers-toggle").tap()
        page.locator(".leaflet-control-layers-overlays label").first.wait_for()
        page.locator(".mg-legend-toggle").tap()
        assert small_targets(page) == [] and small_text(page) == []
        page.locator(".mg-tool[aria-label='区县覆盖统计']").tap()
        page.locator(".mg-table th").first.wait_for()
        assert small_targets(page) == [] and small_text(page) == []
        assert serious_violations(page) == []
    else:  # printed: the map, the legend and the open sheet, without the controls
        page.emulate_media(media="print")
        for selector in (".mg-locate", ".mg-tool", ".mg-search", ".leaflet-control-zoom", ".leaflet-control-layers",
                         ".mg-sheet .mg-close"):  # fmt: skip
            assert page.locator(selector).first.is_hidden(), selector
        assert page.locator(".mg-sheet").is_visible() and page.locator(".leaflet-container").is_visible()
        assert page.locator(".mg-legend-body").is_visible()
    assert script_errors(run) == []


def test_locating_then_refused_explains_retries_and_lets_the_map_choose(open_map: Any) -> None:
    run = open_map()
    page = run.page
    page.evaluate("window.__geo.reply = null")  # the phone takes its time: the button says so
    locate = page.locator(".mg-locate")
    locate.tap()
    assert locate.text_content() == "正在定位…" and locate.get_attribute("aria-busy") == "true"
    page.evaluate("window.__geo.answer({lat: 28.12, lon: 113.05, accuracy: 3200, age: 300000})")
    page.locator(".mg-list .mg-item").first.wait_for()
    note = page.locator(".mg-sheet-note").text_content()  # a coarse, old fix is said to be one
    assert "定位精度较低" in note and "3.2 公里" in note and "5 分钟前" in note
    assert locate.get_attribute("aria-busy") == "false"
    page.locator(".mg-sheet .mg-close").tap()
    page.evaluate("window.__geo.reply = {code: 1}")  # refused
    locate.tap()
    message = page.locator(".mg-locate-message")
    message.wait_for()
    text = message.text_content()
    assert "定位权限被拒绝" in text and "设置" in text and "Denied" not in text and "denied" not in text
    assert page.locator(".mg-sheet-title").text_content() == "无法定位"
    page.locator(".mg-retry").tap()
    page.wait_for_function("window.__geo.calls === 3")
    message.wait_for()
    for code, words in ((2, "定不到位"), (3, "超时")):
        page.evaluate(f"window.__geo.reply = {{code: {code}}}")
        page.locator(".mg-retry").tap()
        page.locator(".mg-locate-message", has_text=words).wait_for()
    assert page.evaluate("window.__geo.calls") == 5
    page.locator(".mg-pick-button").tap()
    assert page.locator(".mg-sheet").is_hidden()
    assert "点按地图" in page.locator(".mg-pick").text_content()
    page.touchscreen.tap(*MAP_TAP)
    page.locator(".mg-list .mg-item").first.wait_for()
    assert page.locator(".mg-sheet-title").text_content() == "离此处最近的驿站"
    assert page.evaluate("location.hash").startswith("#at=") and page.locator(".mg-pick").is_hidden()
    assert script_errors(run) == []


def test_english_page_says_what_to_do_in_english(browser: Any, tmp_path: Path) -> None:
    points = synthetic_points(20, seed=2)
    path = tmp_path / "en.html"
    path.write_text(render_map(points, synthetic_coverage(points), Settings(lang="en"), sample=False), "utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        context.add_init_script(GEOLOCATION)
        page = PageRun(context.new_page(), path.as_uri()).open()
        page.locator(".mg-locate").tap()
        assert "Allow this page to use your location" in page.locator(".mg-locate-message").text_content()
        assert page.locator(".mg-pick-button").text_content() == "Choose the place on the map"
        assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Zoom in"
    finally:
        context.close()


def test_plain_http_says_location_needs_https_up_front(open_map: Any) -> None:
    run = open_map(init=(GEOLOCATION, INSECURE))
    page = run.page
    page.locator(".mg-locate").tap()
    assert "https" in page.locator(".mg-locate-message").text_content()
    assert page.evaluate("window.__geo.calls") == 0, "no request the browser would refuse anyway"
    assert page.locator(".mg-retry").count() == 0 and page.locator(".mg-pick-button").is_visible()
    page.locator(".mg-centre-button").tap()  # the map's centre, for phones that cannot locate
    page.locator(".mg-list .mg-item").first.wait_for()


def test_sheet_is_a_dialog_focus_moves_in_and_esc_returns_it(open_map: Any) -> None:
    run = open_map()
    page = run.page
    page.keyboard.press("Tab")  # the header comes first in tab order, before the map's controls
    assert page.evaluate("document.activeElement.closest('.mg-top') !== null")
    table = page.locator(".mg-tool[aria-label='区县覆盖统计']")
    table.focus()
    page.keyboard.press("Enter")
    sheet = page.locator(".mg-sheet[role='dialog']")
    sheet.wait_for()
    label = page.evaluate("document.getElementById(document.querySelector('.mg-sheet').getAttribute('aria-labelledby'))"
                          ".textContent")  # fmt: skip
    assert label == "区县覆盖统计"
    assert page.evaluate("document.querySelector('.mg-sheet').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert sheet.is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "区县覆盖统计"
    # The map-centre action is reachable by keyboard, and the list announces what it found.
    page.locator(".mg-centre").focus()
    assert page.locator(".mg-centre").bounding_box()["height"] >= MIN_TAP
    page.keyboard.press("Enter")
    page.locator(".mg-list .mg-item").first.wait_for()
    count = page.locator(".mg-list .mg-item").count()
    status = "document.querySelector('[role=status][aria-live=polite]').textContent"
    page.wait_for_function(f"{status} === '找到 {count} 个驿站'")
    assert script_errors(run) == []


def test_controls_are_chinese_the_layer_list_safe_to_tap_the_page_zoomable(open_map: Any) -> None:
    run = open_map()
    page = run.page
    page.locator(".leaflet-control-layers-toggle").wait_for()
    titles = page.evaluate("[...document.querySelectorAll('.leaflet-control-zoom a')].map(a => [a.title, "
                           "a.getAttribute('aria-label')])")  # fmt: skip
    assert titles == [["放大", "放大"], ["缩小", "缩小"]]
    toggle = page.locator(".leaflet-control-layers-toggle")
    assert toggle.get_attribute("title") == "图层" and toggle.get_attribute("aria-label") == "图层"
    assert "公里" in page.locator(".leaflet-control-scale-line").text_content()
    stations_on = "window.__mapgenTest.map.hasLayer(window.__mapgenTest.layers['服务站点'])"
    box = toggle.bounding_box()
    where = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.touchscreen.tap(*where)
    page.locator(".leaflet-control-layers-overlays label").first.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.touchscreen.tap(*where)  # a second tap where the toggle was closes the list, stations stay on
    assert page.locator(".leaflet-control-layers-overlays").is_hidden() and page.evaluate(stations_on)
    page.touchscreen.tap(*where)
    page.locator(".leaflet-control-layers-overlays label").first.wait_for()
    page.touchscreen.tap(*MAP_TAP)  # closing the list by tapping the map asks for nothing else
    page.wait_for_timeout(100)
    assert page.locator(".leaflet-control-layers-overlays").is_hidden() and page.locator(".mg-sheet").is_hidden()
    assert page.evaluate("location.hash") == "" and page.evaluate(stations_on)
    page.touchscreen.tap(*MAP_TAP)  # the next tap on the map is a nearest search again
    page.locator(".mg-list .mg-item").first.wait_for()
    assert script_errors(run) == []
    viewport = page.locator("meta[name=viewport]").get_attribute("content")
    assert "user-scalable" not in viewport and "maximum-scale" not in viewport
    legend = page.locator(".mg-legend-toggle")
    legend.wait_for()
    assert legend.get_attribute("aria-expanded") == "false" and page.locator(".mg-legend-body").is_hidden()
