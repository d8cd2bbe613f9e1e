"""The province page counties/index.html: every county listed and linked, sortable, searchable, safe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mapgen.web.counties import counties_index_html

HOSTILE = "<img src=x onerror=alert(1)>"


def _table() -> pd.DataFrame:
    rows = [
        ("430102", "芙蓉区", "长沙市", 12, 40.5, 10.0, 55.0),
        ("430103", "天心区", "长沙市", 8, 12.25, 2.0, np.nan),
        ("430104", "岳麓区", "长沙市", 20, 77.0, 30.5, 80.0),
        ("430681", "汨罗市", "岳阳市", 32, 5.0, 0.0, 20.0),
        ("431102", HOSTILE, "永州市", 1, 60.0, 1.5, np.nan),
    ]
    frame = pd.DataFrame(
        [{"adcode": a, "county": c, "prefecture": p, "stations": s, "offices": 1, "area_km2": 500.0,
          "covered_km2": 5 * pct, "covered_pct": pct, "cross_covered_pct": cross, "demand_total": 10.0,
          "demand_covered": d / 10 if d == d else np.nan, "demand_covered_pct": d}
         for a, c, p, s, pct, cross, d in rows]
    )  # fmt: skip
    province = {"adcode": "430000", "county": "湖南省", "prefecture": "", "stations": 73, "offices": 5,
                "area_km2": 2500.0, "covered_km2": 900.0, "covered_pct": 36.0, "cross_covered_pct": 8.8,
                "demand_total": 50.0, "demand_covered": 20.0, "demand_covered_pct": 40.0}  # fmt: skip
    return pd.concat([frame, pd.DataFrame([province])], ignore_index=True)


def _open(open_page: Any, html: str, **size: int) -> Any:
    run = open_page(html, **size)
    run.page.goto(run.url)
    run.page.wait_for_selector("html[data-ready]")
    return run


def _adcodes(page: Any) -> list[str]:
    return page.eval_on_selector_all("#county-rows tr[data-adcode]", "rows => rows.map(r => r.dataset.adcode)")


def test_deterministic_and_escaped() -> None:
    table = _table()
    html = counties_index_html(table, sample=True)
    assert html == counties_index_html(table.sample(frac=1, random_state=1), sample=True)
    assert "湖南省各区县户外劳动者驿站爱心地图" in html and "示例数据" in html
    assert HOSTILE not in html and "<img" not in html
    english = counties_index_html(table, lang="en", posters=False)
    assert "Hunan: every county&#x27;s rest-station map" in english and '"posters":false' in english
    with pytest.raises(ValueError, match="adcode"):
        counties_index_html(table.assign(adcode=["x", *table["adcode"][1:]]))


@pytest.mark.parametrize("size", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_page_in_chromium(open_page: Any, tmp_path: Path, size: dict[str, int]) -> None:
    run = _open(open_page, counties_index_html(_table(), sample=True), **size)
    page = run.page
    assert _adcodes(page) == ["430102", "430103", "430104", "430681", "431102"]
    for code in _adcodes(page):
        hrefs = page.eval_on_selector_all(
            f'tr[data-adcode="{code}"] a', "links => links.map(a => a.getAttribute('href'))"
        )
        # the name links to the county's map; the last cell links to its map and poster
        assert hrefs == [f"{code}/index.html", f"{code}/index.html", f"{code}/poster.html"]
    assert "湖南省" in page.inner_text(".summary") and "湖南省" not in page.inner_text("#county-rows")
    # the hostile name is text, not an element
    assert page.locator("#county-rows img").count() == 0 and page.locator("img").count() == 0
    assert page.inner_text('tr[data-adcode="431102"] td.name') == HOSTILE
    # sorting by coverage: ascending, then descending; aria-sort follows
    header = page.locator('th[data-key="covered_pct"]')
    header.locator("button").click()
    assert _adcodes(page) == ["430681", "430103", "430102", "431102", "430104"]
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    assert _adcodes(page) == ["430104", "431102", "430102", "430103", "430681"]
    assert header.get_attribute("aria-sort") == "descending"
    # missing demand sorts last in both directions
    page.locator('th[data-key="demand_covered_pct"] button').click()
    assert _adcodes(page)[-2:] == ["430103", "431102"]
    # keyboard: the headers are buttons
    page.locator('th[data-key="stations"] button').focus()
    page.keyboard.press("Enter")
    assert _adcodes(page)[0] == "431102"
    # search by county, then by prefecture
    page.fill("#county-search", "汨罗")
    assert _adcodes(page) == ["430681"]
    page.fill("#county-search", "长沙")
    assert sorted(_adcodes(page)) == ["430102", "430103", "430104"]
    page.fill("#county-search", "没有这个")
    assert _adcodes(page) == [] and page.locator(".empty").count() == 1
    page.fill("#county-search", "")
    assert len(_adcodes(page)) == 5
    # readable and tappable
    small = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(el => el.childNodes.length &&
             [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) &&
             parseFloat(getComputedStyle(el).fontSize) < 15).map(el => el.tagName)"""
    )
    assert small == []
    heights = page.eval_on_selector_all("a, button, input", "els => els.map(e => e.getBoundingClientRect().height)")
    assert min(heights) >= 44
    if size["width"] == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    assert run.foreign == [] and run.errors == [] and run.dialogs == []


def test_without_posters_in_english(open_page: Any) -> None:
    run = _open(open_page, counties_index_html(_table(), lang="en", posters=False), width=390, height=844)
    hrefs = run.page.eval_on_selector_all("#county-rows .links a", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [f"{code}/index.html" for code in _adcodes(run.page)] and len(hrefs) == 5
    assert run.page.title() == "Hunan: every county's rest-station map"
    assert "Showing 5 of 5 counties" in run.page.inner_text("#county-status")
    assert run.foreign == [] and run.errors == []
