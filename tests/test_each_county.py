"""`--each-county`: every county's love map and poster, the province page, in parallel or on dask."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_webmap import page_data

from mapgen.cli import main
from mapgen.geo import geography

MILUO = (113.0673, 28.8069)
CHANGSHA = (113.0326, 28.1854)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("each")
    rows = [("M1", "汨罗一号站", *MILUO), ("M2", "汨罗二号站", MILUO[0] + 0.02, MILUO[1]),
            ("C1", "长沙芙蓉站", *CHANGSHA)]
    (folder / "stations.csv").write_text("编号,名称,经度,纬度,开放时间,地址,电话\n" + "".join(
        f"{i},{n},{x},{y},08:00-20:00,示例路1号,0730-0000000\n" for i, n, x, y in rows), encoding="utf-8")
    (folder / "offices.csv").write_text(f"编号,名称,经度,纬度,地址,电话\nO1,汨罗市总工会,{MILUO[0] + 0.001},{MILUO[1]},"
                                        "汨罗市工会路1号,0730-5220000\n", encoding="utf-8")
    return folder


def build(inputs: Path, out: Path, *extra: str) -> None:
    assert main(["build", "--stations", str(inputs / "stations.csv"), "--offices", str(inputs / "offices.csv"),
                 "--each-county", "--basemap", "osm", "--out-dir", str(out), "--quiet", *extra]) == 0


@pytest.fixture(scope="module")
def built(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("each-out") / "out"
    build(inputs, out, "--base-url", "https://example.org/maps", "--workers", "2")
    return out


def test_every_county_has_its_love_map_and_poster(built: Path) -> None:
    counties = geography.load_counties()
    for adcode, name in zip(counties["adcode"], counties["county"], strict=True):
        page = (built / "counties" / adcode / "index.html").read_text("utf-8")
        assert page_data(page)["title"].startswith(name), adcode
        assert name in (built / "counties" / adcode / "poster.html").read_text("utf-8")
    miluo = page_data((built / "counties" / "430681" / "index.html").read_text("utf-8"))
    assert miluo["focusAdcode"] == "430681"
    assert sorted(miluo["stations"]["id"]) == ["M1", "M2", "O1"]  # Changsha's station is 70 km away


def test_the_province_page_links_every_county(built: Path, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.route("http*://**", lambda route: route.abort())
    page.goto((built / "counties" / "index.html").as_uri())
    page.wait_for_selector("html[data-ready]")
    hrefs = set(page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"))
    context.close()
    for adcode in geography.load_counties()["adcode"]:
        assert f"{adcode}/index.html" in hrefs and f"{adcode}/poster.html" in hrefs, adcode
        assert (built / "counties" / adcode / "index.html").exists()


def test_a_rerun_on_a_dask_cluster_gives_the_same_bytes_as_the_process_pool(inputs: Path, built: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import Client, LocalCluster

    import mapgen.build
    from mapgen.counties import every_county

    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        monkeypatch.setattr(mapgen.build, "every_county",
                            lambda job, **kwargs: every_county(job, executor=client.get_executor()))
        out = tmp_path / "out"
        build(inputs, out, "--base-url", "https://example.org/maps")
    on_dask = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    on_pool = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    assert on_dask.keys() == on_pool.keys() and len([k for k in on_pool if k.parts[0] == "counties"]) == 2 * 122 + 1
    assert [k for k in on_pool if on_pool[k] != on_dask[k]] == []
    assert "counties/430681/poster.html" in json.loads((built / "manifest.json").read_text("utf-8"))["outputs"]


def test_without_a_base_url_the_summary_says_how_to_add_a_qr_code(inputs: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--stations", str(inputs / "stations.csv"), "--each-county", "--workers", "1",
                 "--basemap", "none", "--out-dir", str(tmp_path / "o")]) == 0
    assert "--base-url" in capsys.readouterr().out
    assert not re.search(r"<svg[^>]*qr", (tmp_path / "o" / "counties" / "430681" / "poster.html").read_text("utf-8"))
