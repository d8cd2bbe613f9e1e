"""The county poster: one A4 page in headless Chromium, a QR code that decodes to the county's URL, escaped text."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mapgen.geo import geography
from mapgen.inputs.reading import read_points
from mapgen.web.poster import LAYOUTS, poster_html

BASE_URL = "https://example.org/counties"
DATE = "2026-12-03"
A4_PX = {"width": 794, "height": 1123}  # 210 x 297 mm at 96 px per inch


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    """The bundled sample's stations and offices, the county outlines, and the smallest and largest county."""
    stations = read_points([geography.GEODATA / "sample" / "stations.csv"], kind="station").points
    offices = read_points([geography.GEODATA / "sample" / "offices.csv"], kind="office").points
    counties = geography.load_counties().set_index("adcode")
    sizes = stations.groupby("adcode").size()
    sizes = sizes.reindex(sorted(sizes.index))  # ties resolved by adcode, so the choice is stable
    return {"stations": stations, "offices": offices, "counties": counties,
            "small": str(sizes.idxmin()), "large": str(sizes.idxmax())}  # fmt: skip


def render(sample: dict[str, Any], adcode: str, *, base_url: str | None = BASE_URL, lang: str = "zh",
           stations: pd.DataFrame | None = None) -> str:  # fmt: skip
    """The poster of one sample county."""
    county = sample["counties"].loc[adcode]
    mine = sample["stations"][sample["stations"]["adcode"] == adcode] if stations is None else stations
    offices = sample["offices"]
    office = offices[offices["id"] == f"O{adcode}"]
    return poster_html(county["county"], county["prefecture"], adcode, county.geometry, mine,
                       office.iloc[0] if len(office) else None, base_url=base_url, data_date=DATE,
                       lang=lang)  # fmt: skip


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page at A4 size whose every request but file:// is aborted and recorded."""
    context = browser.new_context(viewport=A4_PX)
    page = context.new_page()
    page.foreign = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            page.foreign.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    yield page
    context.close()


def open_poster(page: Any, path: Path, html: str) -> Any:
    """Save and load the poster."""
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


def pdf_pages(pdf: bytes) -> int:
    """Number of page objects in a PDF (Chromium's PDFs keep them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def list_fits(page: Any) -> bool:
    """Whether every listed station lies wholly inside the list's box (nothing clipped by overflow)."""
    return page.evaluate("""() => {
        const list = document.querySelector('.list').getBoundingClientRect();
        return [...document.querySelectorAll('.list li')].every(li => {
            const r = li.getBoundingClientRect();
            return r.left >= list.left - 0.5 && r.right <= list.right + 0.5 && r.bottom <= list.bottom + 0.5;
        });
    }""")


@pytest.mark.parametrize("which", ["small", "large"])
def test_poster_prints_as_one_a4_page(sample: dict[str, Any], page: Any, tmp_path: Path, which: str) -> None:
    adcode = sample[which]
    html = render(sample, adcode)
    open_poster(page, tmp_path / "poster.html", html)
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    Path(f"/tmp/poster-{which}.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 1
    assert page.foreign == []
    assert list_fits(page)
    county = sample["counties"].loc[adcode, "county"]
    assert f"{county}户外劳动者驿站爱心地图" in html
    assert f"数据日期 {DATE}" in html
    assert "<script" not in html.lower()
    n = int((sample["stations"]["adcode"] == adcode).sum())
    assert page.locator(".list li").count() == n
    assert page.locator(".map svg text").filter(has_text=re.compile(r"^\d+$")).count() == n
    assert "另有" not in html  # the sample's counties (at most 49 stations) all fit
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", f"/tmp/poster-{which}.pdf", f"/tmp/poster-{which}"],
                       check=True)  # fmt: skip


def test_crowded_county_is_capped_and_counts_the_rest(sample: dict[str, Any], page: Any, tmp_path: Path) -> None:
    adcode = sample["large"]
    mine = sample["stations"][sample["stations"]["adcode"] == adcode]
    many = pd.concat([mine.assign(id=mine["id"] + f"-{k}") for k in range(3)], ignore_index=True)
    cap = LAYOUTS[-1].capacity
    assert 50 <= cap < len(many)
    html = render(sample, adcode, stations=many)
    assert f"另有 {len(many) - cap} 个站点，请扫码查看在线地图" in html
    open_poster(page, tmp_path / "poster.html", html)
    assert page.locator(".list li").count() == cap
    assert list_fits(page)
    assert pdf_pages(page.pdf(format="A4", print_background=True, prefer_css_page_size=True)) == 1
    without_qr = render(sample, adcode, stations=many, base_url=None)
    assert f"另有 {len(many) - cap} 个站点，请查看在线地图" in without_qr


def test_qr_code_decodes_to_the_county_url(sample: dict[str, Any], page: Any, tmp_path: Path) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    adcode = sample["small"]
    open_poster(page, tmp_path / "poster.html", render(sample, adcode, base_url=BASE_URL + "/"))
    png = page.screenshot()
    # Pillow is not a dependency: the browser decodes the PNG, and hands back its grey levels.
    grey = page.evaluate("""async (url) => {
        const img = new Image(); img.src = url; await img.decode();
        const canvas = document.createElement('canvas'); canvas.width = img.width; canvas.height = img.height;
        const ctx = canvas.getContext('2d'); ctx.drawImage(img, 0, 0);
        const rgba = ctx.getImageData(0, 0, img.width, img.height).data;
        const out = new Uint8Array(img.width * img.height);
        for (let i = 0; i < out.length; i++) out[i] = (rgba[4*i] + rgba[4*i+1] + rgba[4*i+2]) / 3;
        let s = ''; for (let i = 0; i < out.length; i += 8192) s += String.fromCharCode(...out.subarray(i, i + 8192));
        return [img.width, img.height, btoa(s)];
    }""", "data:image/png;base64," + base64.b64encode(png).decode())  # fmt: skip
    width, height, data = grey
    image = np.frombuffer(base64.b64decode(data), dtype=np.uint8).reshape(height, width)
    assert (width, height) == (A4_PX["width"], A4_PX["height"])
    texts = [result.text for result in zxingcpp.read_barcodes(image)]
    assert texts == [f"{BASE_URL}/{adcode}/"]
    assert page.locator(".qr .url").inner_text() == f"{BASE_URL}/{adcode}/"


def test_no_base_url_no_qr_code(sample: dict[str, Any]) -> None:
    html = render(sample, sample["small"], base_url=None)
    assert 'class="segno"' not in html and "https://" not in html


def test_hostile_text_is_escaped(sample: dict[str, Any], page: Any, tmp_path: Path) -> None:
    adcode = sample["small"]
    mine = sample["stations"][sample["stations"]["adcode"] == adcode].copy()
    hostile = "<script>alert(1)</script>"
    mine.loc[mine.index[0], ["name", "address", "phone"]] = [hostile, '"><img src=x onerror=alert(2)>', "&amp;"]
    html = render(sample, adcode, stations=mine)
    assert hostile not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&amp;amp;" in html
    open_poster(page, tmp_path / "poster.html", html)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    assert page.locator(".list li .name").first.inner_text() == hostile
    assert dialogs == [] and page.foreign == []


def test_deterministic_and_english(sample: dict[str, Any]) -> None:
    adcode = sample["large"]
    mine = sample["stations"][sample["stations"]["adcode"] == adcode]
    shuffled = mine.sample(frac=1.0, random_state=1)
    assert render(sample, adcode) == render(sample, adcode) == render(sample, adcode, stations=shuffled)
    english = render(sample, adcode, lang="en")
    county = sample["counties"].loc[adcode, "county"]
    assert f"{county} rest stations for outdoor workers" in english and 'lang="en"' in english
    with pytest.raises(ValueError, match="lang"):
        render(sample, adcode, lang="fr")


def test_outline_is_simplified(sample: dict[str, Any]) -> None:
    html = render(sample, sample["large"])
    path = re.search(r'<path d="([^"]+)" fill="#fdf1ec"', html)
    assert path is not None
    assert len(re.findall(r"-?\d+\.\d -?\d+\.\d", path.group(1))) <= 300 + 20  # + one closing vertex per ring
    assert len(html) < 120_000
