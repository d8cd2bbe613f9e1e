"""The worker's find-and-go path on a phone at night (issue #11), in real headless Chromium at 390x844.

One page, built once, with a dozen stations east of a point Q and a clock fixed at Wednesday 22:00 China time:
open stations first, closed ones saying when they open, quick filters remembered, "更多", back to the list,
walking or riding navigation, the message when nothing is near, the report SMS, copying without a clipboard
API, a 5,000-character name, an unknown #station= id. Expected orders are worked out by hand below.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pandas as pd
import pytest
from conftest import PageRun, open_run, synthetic_coverage

from mapgen.geo import datum
from mapgen.settings import Settings
from mapgen.web import render_map

WIDTH, HEIGHT = 390, 844
Q_LAT, Q_LON = 28.1, 113.0  # WGS-84; every station lies due east of Q
# Wednesday 2024-01-03 22:00 in China (14:00 UTC): 2024-01-01 was a Monday.
NIGHT_MS = 1704290400000
LONG = "长" * 5000
# (id, name, metres east of Q, hours, facilities, adcode)
STATIONS = [
    ("S-A", "甲站", 300, "8:00-18:00", ("饮水", "卫生间", "充电"), "430102"),  # closed, opens tomorrow 08:00
    ("S-B", "乙站", 600, "", ("饮水",), "430102"),  # hours unknown (none given)
    ("S-C", "丙站", 900, "24小时", ("饮水", "微波炉", "卫生间", "座椅", "充电", "空调"), "430102"),  # always open
    ("S-D", "丁站", 1200, "20:00-06:00", ("饮水",), "430102"),  # open overnight
    ("S-E", "戊站", 1500, "周六至周日 9:00-17:00", ("卫生间",), "430102"),  # closed until Saturday 09:00
    ("S-F", "己站", 1800, "节假日另行通知", ("充电",), "430102"),  # hours not understood: unknown
    ("S-G", "庚站", 3000, "23:00-05:00", ("充电", "卫生间"), "430102"),  # closed, opens today 23:00
    ("S-H", "辛站", 5000, "24小时", ("饮水", "卫生间"), "430102"),
    ("S-I", "壬站", 8000, "9:00-17:00", ("充电",), "430102"),  # closed, opens tomorrow 09:00
    ("S-J", "癸站", 12000, "", ("充电", "饮水"), "430103"),  # unknown; its county has no office
    ("S-K", "子站", 20000, "24小时", ("充电",), "430104"),
    ("S-L", "丑站", 25000, "24小时", (), "430104"),
    ("S-M", LONG, 100000, "24小时", (), "430102"),  # far north (see below), a 5,000-character name
]
# (id, name, metres east of Q, phone, adcode): 芙蓉区's office has a mobile number, 岳麓区's a landline only.
OFFICES = [
    ("O-1", "芙蓉区总工会", 0, "0731-84440000 13907310000", "430102"),
    ("O-2", "岳麓区总工会", 22000, "0731-88880001", "430104"),
]
COUNTY = {"430102": "芙蓉区", "430103": "天心区", "430104": "岳麓区"}
NIGHT_CLOCK = f"""(() => {{
  // The page's clock starts at a fixed moment and runs on from there (Leaflet times its animations with Date).
  const fixed = {NIGHT_MS}, start = performance.now(), Real = Date;
  const now = () => Math.floor(fixed + performance.now() - start);
  class FixedDate extends Real {{
    constructor(...a) {{ if (a.length === 0) super(now()); else super(...a); }}
    static now() {{ return now(); }}
  }}
  window.Date = FixedDate;
  // As in WeChat's browser: no clipboard API. execCommand('copy') records what is selected and says
  // whether it worked as window.__copyWorks says.
  delete Navigator.prototype.clipboard;
  window.__copyWorks = true;
  document.execCommand = function (command) {{
    const a = document.activeElement;
    window.__copied = a && a.value !== undefined ? a.value.substring(a.selectionStart, a.selectionEnd) : null;
    return command === 'copy' && window.__copyWorks;
  }};
}})();"""


def east(metres: float, north: float = 0.0) -> tuple[float, float]:
    """WGS-84 (lon, lat) of a point `metres` east and `north` metres north of Q (local flat-earth offsets)."""
    lat = Q_LAT + north / 111_195.0
    return Q_LON + metres / (111_195.0 * math.cos(math.radians(Q_LAT))), lat


def frame() -> pd.DataFrame:
    """The stations and offices above as the page's input table."""
    rows = []
    for sid, name, dx, hours, facilities, adcode in STATIONS:
        lon, lat = east(0, 100_000) if sid == "S-M" else east(dx)
        rows.append(_row("station", sid, name, lon, lat, hours, facilities, "", adcode))
    for oid, name, dx, phone, adcode in OFFICES:
        rows.append(_row("office", oid, name, *east(dx), "8:30-17:30", (), phone, adcode))
    table = pd.DataFrame(rows)
    table["lon_gcj02"], table["lat_gcj02"] = datum.convert(table["lon_wgs84"], table["lat_wgs84"], "wgs84", "gcj02")
    return table


def _row(kind: str, pid: str, name: str, lon: float, lat: float, hours: str, facilities: tuple[str, ...],
         phone: str, adcode: str) -> dict[str, Any]:  # fmt: skip
    """One input row; a station's address repeats its name (the long one too)."""
    return {
        "kind": kind, "id": pid, "name": name, "type": "爱心驿站" if kind == "station" else "",
        "address": f"{name}路1号", "hours": hours, "phone": phone, "note": "", "facilities": facilities,
        "adcode": adcode, "county": COUNTY[adcode], "prefecture": "长沙市", "lon_wgs84": lon, "lat_wgs84": lat,
    }  # fmt: skip


@pytest.fixture(scope="module")
def run(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PageRun]:
    """The night page, opened as a phone with its GPS at Q."""
    points = frame()
    html = render_map(points, synthetic_coverage(points), Settings(basemap="none"), sample=False)
    page_run = open_run(
        browser, tmp_path_factory.mktemp("worker") / "index.html", html, width=WIDTH, height=HEIGHT,
        has_touch=True, is_mobile=True, device_scale_factor=3,
        geolocation={"latitude": Q_LAT, "longitude": Q_LON}, permissions=["geolocation"],
    )  # fmt: skip
    page_run.page.add_init_script(NIGHT_CLOCK)
    yield page_run
    assert [e for e in page_run.errors if "Failed to load resource" not in e] == []
    assert page_run.foreign == []
    page_run.page.context.close()


def visit(run: PageRun, fragment: str = "", *, forget: bool = True) -> Any:
    """Load the page afresh at a fragment; `forget` clears what the phone remembered from earlier tests."""
    page = run.page
    if forget and page.url.startswith("file:"):
        page.evaluate("localStorage.clear()")
    page.goto("about:blank")
    return run.open(fragment)


def at_q() -> str:
    """The #at= fragment of Q."""
    return f"#at={Q_LAT},{Q_LON}"


def listed(page: Any) -> list[str]:
    """Station ids of the list in the sheet, in order."""
    page.locator(".mg-list .mg-item").first.wait_for()
    return [item.get_attribute("data-id") for item in page.locator(".mg-list .mg-item").all()]


def badge(page: Any, sid: str) -> str:
    """The open-state text of a listed station."""
    return page.locator(f".mg-item[data-id='{sid}'] .mg-badge").text_content()


def tap(page: Any, selector: str, **kwargs: Any) -> None:
    """Tap (touch) an element."""
    page.locator(selector, **kwargs).first.tap()


# By hand, at 22:00 on a Wednesday: open (or 24 h) C 0.9 km, D 1.2, H 5; unknown B 0.6, F 1.8, J 12; closed A 0.3,
# E 1.5, G 3, I 8 (the ten nearest; K, L and M are farther). Open first, then unknown, then closed, each nearest first.
NIGHT_ORDER = ["S-C", "S-D", "S-H", "S-B", "S-F", "S-J", "S-A", "S-E", "S-G", "S-I"]


def test_night_list_puts_open_first_and_says_when_the_closed_open(run: PageRun) -> None:
    page = visit(run, at_q())
    assert listed(page) == NIGHT_ORDER[:3]
    assert [badge(page, s) for s in NIGHT_ORDER[:3]] == ["24小时开放", "开放中", "24小时开放"]
    tap(page, ".mg-more")
    assert listed(page) == NIGHT_ORDER
    assert page.locator(".mg-more").count() == 0, "ten at most"
    assert badge(page, "S-B") == badge(page, "S-F") == badge(page, "S-J") == "营业时间未知"
    assert badge(page, "S-A") == "已关闭 · 明天 08:00 开放"
    assert badge(page, "S-E") == "已关闭 · 周六 09:00 开放"
    assert badge(page, "S-G") == "已关闭 · 今天 23:00 开放"
    assert badge(page, "S-I") == "已关闭 · 明天 09:00 开放"
    icons = page.locator(".mg-item[data-id='S-C'] .mg-fac").all()
    assert [i.get_attribute("aria-label") for i in icons] == ["饮水", "微波炉", "卫生间", "座椅", "充电", "空调"]
    assert all(i.locator("svg").count() == 1 for i in icons)
    sizes = page.evaluate("""() => {
        const list = document.querySelector('.mg-sheet-body');
        const texts = [...list.querySelectorAll('*')].filter(n => [...n.childNodes].some(
            c => c.nodeType === 3 && c.textContent.trim()));
        const px = n => parseFloat(getComputedStyle(n).fontSize);
        return {dist: [...list.querySelectorAll('.mg-item-dist')].map(px), smallest: Math.min(...texts.map(px))};
    }""")
    assert min(sizes["dist"]) >= 20
    assert sizes["smallest"] >= 15


def test_walk_when_near_and_ride_when_far(run: PageRun) -> None:
    page = visit(run, at_q())
    tap(page, ".mg-more")
    near, far = page.locator(".mg-item[data-id='S-C']"), page.locator(".mg-item[data-id='S-H']")
    assert near.locator(".mg-item-dist").text_content() == "900 米"
    assert near.locator(".mg-item-go").text_content() == "步行约 14 分钟"  # 900 m at 4 km/h: 13.5 minutes
    nav = near.locator("a.mg-nav")
    assert "&mode=walk&" in nav.get_attribute("href")
    assert nav.get_attribute("aria-label") == "导航到丙站"
    assert far.locator(".mg-item-dist").text_content() == "5.0 公里"
    assert "步行" not in far.text_content()
    assert "&mode=ride&" in far.locator("a.mg-nav").get_attribute("href")
    box = nav.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44


def test_nothing_within_30_km_says_so_and_still_lists_the_nearest(run: PageRun) -> None:
    lon, lat = east(-40_000)
    page = visit(run, f"#at={lat:.6f},{lon:.6f}")
    assert page.locator(".mg-far").text_content() == "附近 30 公里内没有驿站，以下是最近的驿站。"
    assert listed(page)[0] == "S-C"  # all ten are 40-52 km away; open ones still first
    first = page.locator(".mg-item").first
    assert first.locator(".mg-item-dist").text_content() == "40.9 公里"
    assert "&mode=ride&" in first.locator("a.mg-nav").get_attribute("href")


def test_chips_combine_persist_and_share_the_filter_sheets_state(run: PageRun) -> None:
    page = visit(run, at_q())
    chips = page.locator(".mg-quick-chip")
    assert chips.all_text_contents() == ["开放中", "饮水", "厕所", "充电"]
    for chip in chips.all():
        box = chip.bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44
    tap(page, ".mg-quick-chip", has_text="开放中")
    tap(page, ".mg-quick-chip", has_text="充电")
    # Open or unknown, with charging: C (open, 0.9 km), K (open, 20 km), F (unknown, 1.8), J (unknown, 12).
    assert listed(page) == ["S-C", "S-K", "S-F"]
    assert page.locator(".mg-filtered").text_content() == "已筛选：开放中 · 充电 · 清除"
    tap(page, ".mg-quick-chip", has_text="饮水")
    assert listed(page) == ["S-C", "S-J"]
    page.reload()
    page.wait_for_function("window.__mapgenTest && window.__mapgenTest.painted !== null")
    assert listed(page) == ["S-C", "S-J"]
    pressed = page.locator(".mg-quick-chip[aria-pressed='true']").all_text_contents()
    assert pressed == ["开放中", "饮水", "充电"]
    saved = json.loads(page.evaluate("localStorage.getItem('mapgen.worker.filters')"))
    assert saved == {"openNow": True, "always": False, "types": [], "facilities": ["充电", "饮水"]}  # as tapped
    page.locator(".mg-tool").first.tap()  # the filter sheet shows the same state
    pressed_in_sheet = page.locator(".mg-sheet .mg-toggle[aria-pressed='true']").all_text_contents()
    assert sorted(pressed_in_sheet) == sorted(["开放中", "饮水", "充电"])
    page.locator(".mg-toggle", has_text="饮水").first.tap()
    page.evaluate(f"location.hash = '{at_q()}'")
    assert listed(page) == ["S-C", "S-K", "S-F"]
    tap(page, ".mg-clear")
    assert listed(page) == NIGHT_ORDER[:3]
    assert page.locator(".mg-filtered").count() == 0
    assert page.locator(".mg-quick-chip[aria-pressed='true']").count() == 0


def test_back_returns_to_the_same_list(run: PageRun) -> None:
    page = visit(run, at_q())
    tap(page, ".mg-quick-chip", has_text="开放中")
    tap(page, ".mg-more")
    # Not closed: C, D, H, K, L, M open; B, F, J unknown (nine: A, E, G, I are closed).
    expected = ["S-C", "S-D", "S-H", "S-K", "S-L", "S-M", "S-B", "S-F", "S-J"]
    assert listed(page) == expected
    body = page.locator(".mg-sheet-body")
    item = page.locator(".mg-item[data-id='S-F'] .mg-item-main")
    item.scroll_into_view_if_needed()  # scrolled by hand to the eighth station, then tapped
    scroll = body.evaluate("b => b.scrollTop")
    assert scroll > 100
    item.tap()
    assert page.locator(".mg-sheet-title").text_content() == "己站"
    tap(page, ".mg-back")
    assert listed(page) == expected
    assert body.evaluate("b => b.scrollTop") == scroll
    assert page.locator(".mg-quick-chip[aria-pressed='true']").all_text_contents() == ["开放中"]


def test_report_link_texts_the_county_office_or_calls(run: PageRun) -> None:
    page = visit(run, "#station=S-C")
    report = page.locator("a.mg-report")
    href = report.get_attribute("href")
    number, body = href.split("?&body=")
    assert number == "sms:13907310000"  # the office's mobile, not its landline
    assert unquote(body) == "驿站信息有误：丙站（编号 S-C）"
    assert report.locator(".mg-report-to").text_content() == "发短信给 芙蓉区总工会"
    page.evaluate("location.hash = '#station=S-K'")  # 岳麓区's office has a landline only: a call
    page.wait_for_function("document.querySelector('.mg-sheet-title').textContent === '子站'")
    assert report.get_attribute("href") == "tel:073188880001"
    page.evaluate("location.hash = '#station=S-J'")  # 天心区 has no office: the nearest one (岳麓区, 10 km)
    page.wait_for_function("document.querySelector('.mg-sheet-title').textContent === '癸站'")
    assert report.get_attribute("data-office") == "O-2"


def test_copy_address_without_a_clipboard_api(run: PageRun) -> None:
    page = visit(run, "#station=S-C")
    assert page.evaluate("navigator.clipboard") is None
    tap(page, ".mg-copy")
    page.locator(".mg-copy-status", has_text="地址已复制").wait_for()
    assert page.evaluate("window.__copied") == "丙站路1号"
    assert page.locator("textarea").count() == 0, "the temporary textarea is gone"
    page.evaluate("window.__copyWorks = false")
    tap(page, ".mg-copy")
    manual = page.locator("textarea.mg-copy-manual")
    manual.wait_for()
    assert manual.input_value() == "丙站路1号"
    assert manual.evaluate("a => [a.selectionStart, a.selectionEnd]") == [0, len("丙站路1号")]


def test_a_5000_character_name_leaves_the_buttons_on_screen(run: PageRun) -> None:
    page = visit(run, "#station=S-M")
    for selector in (".mg-actions a.mg-primary", ".mg-copy"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH and box["y"] + box["height"] <= HEIGHT
    lon, lat = east(0, 100_000)
    page.evaluate(f"location.hash = '#at={lat:.6f},{lon:.6f}'")
    assert listed(page)[0] == "S-M"
    box = page.locator(".mg-item[data-id='S-M'] a.mg-nav").bounding_box()
    assert box and box["x"] + box["width"] <= WIDTH and box["y"] + box["height"] <= HEIGHT
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_unknown_station_id_says_so(run: PageRun) -> None:
    page = visit(run, "#station=nobody")
    page.locator(".mg-sheet", has_text="找不到编号为 nobody 的驿站").wait_for()


def test_last_position_lists_again_on_the_next_visit_and_search_sorts_by_distance(run: PageRun) -> None:
    page = visit(run)
    page.locator(".mg-locate").tap()
    page.locator(".mg-sheet-title", has_text="离您最近的驿站").wait_for()
    assert listed(page) == NIGHT_ORDER[:3]
    page.goto("about:blank")
    page = visit(run, forget=False)
    page.locator(".mg-sheet-title", has_text="离上次位置最近的驿站").wait_for()
    assert listed(page) == NIGHT_ORDER[:3]
    assert "上次位置" in page.locator(".mg-last").text_content()
    assert page.evaluate("location.hash") == "", "a private position stays out of the shareable URL"
    page.fill(".mg-search", "站路")  # the address of every station but the long-named one
    page.locator(".mg-sheet-title", has_text="搜索结果").wait_for()
    assert listed(page) == [s[0] for s in STATIONS[:-1]]  # nearest first (their order above), not the input order
    page.fill(".mg-search", "芙蓉")
    page.locator(".mg-county", has_text="芙蓉区").wait_for()

