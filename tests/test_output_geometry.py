"""GeoJSON outputs are valid (OGC) with counter-clockwise exteriors and clockwise holes (RFC 7946 §3.1.6)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from mapgen import cli
from mapgen.geo import projection
from mapgen.outputs import formats as output

GRID = 1e-7
# A few demand points (one without a weight), enough for gaps.geojson to hold points rather than polygons.
DEMAND_CSV = "name,lon,lat,workers\n环卫一队,112.981,28.201,5\n快递点,111.5,27.2,3\n外卖站,113.2,28.5,\n"


@dataclass
class Build:
    """One build's output directory and the gap frames `mapgen build` handed to the writer, unrounded."""

    out_dir: Path
    written: list[gpd.GeoDataFrame] = field(default_factory=list)

    def geojson_files(self) -> list[Path]:
        """Every GeoJSON file the build wrote, in subfolders too."""
        return sorted(self.out_dir.rglob("*.geojson"))


def _build(out_dir: Path, *extra: str) -> Build:
    """Run `mapgen build` into `out_dir`, keeping each frame passed to `output.frame_features`."""
    build = Build(out_dir)
    original = output.frame_features

    def capture(frame: gpd.GeoDataFrame) -> list[dict[str, object]]:
        build.written.append(frame.copy())
        return original(frame)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(output, "frame_features", capture)
        assert cli.main(["build", "--out-dir", str(out_dir), "--basemap", "none", *extra]) == 0
    assert build.written, "mapgen build no longer writes gaps through output.frame_features"
    return build


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return _build(tmp_path_factory.mktemp("sample") / "out")


@pytest.fixture(scope="module")
def with_demand(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = tmp_path_factory.mktemp("demand")
    demand = folder / "demand.csv"
    demand.write_text(DEMAND_CSV, encoding="utf-8")
    return _build(folder / "out", "--demand", str(demand))


@pytest.fixture(scope="module", params=["sample", "with_demand"])
def built(request: pytest.FixtureRequest) -> Build:
    build: Build = request.getfixturevalue(request.param)
    return build


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace formula on a closed ring's raw coordinates: positive when counter-clockwise."""
    xy = np.asarray(ring, dtype=float)
    x, y = xy[:, 0] - xy[0, 0], xy[:, 1] - xy[0, 1]  # shifted to the first vertex: no cancellation at 1e-7
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def polygons(geometry: dict[str, Any]) -> Iterator[list[list[list[float]]]]:
    """The polygons (lists of rings) of a GeoJSON geometry object, however nested."""
    kind = geometry["type"]
    if kind == "Polygon":
        yield geometry["coordinates"]
    elif kind == "MultiPolygon":
        yield from geometry["coordinates"]
    elif kind == "GeometryCollection":
        for member in geometry["geometries"]:
            yield from polygons(member)


def orientation_errors(geometry: dict[str, Any]) -> list[str]:
    """Each ring wound the wrong way or not closed, described."""
    errors = []
    for p, rings in enumerate(polygons(geometry)):
        for r, ring in enumerate(rings):
            area = signed_area(ring)
            if len(ring) < 4 or ring[0] != ring[-1]:
                errors.append(f"polygon {p} ring {r}: not a closed ring of 4 or more positions")
            elif (area <= 0) if r == 0 else (area >= 0):
                errors.append(f"polygon {p} ring {r}: {'exterior' if r == 0 else 'hole'} signed area {area:.3g}")
    return errors


def features(path: Path) -> list[dict[str, Any]]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    return list(collection["features"])


def test_every_geojson_output_is_read_by_gdal(built: Build) -> None:
    paths = built.geojson_files()
    assert {p.name for p in paths} >= {"stations.geojson", "gaps.geojson"}
    for path in paths:
        info = pyogrio.read_info(path)
        frame = pyogrio.read_dataframe(path)
        assert info["features"] == len(frame) == len(features(path)), path.name
        assert frame.crs is not None and frame.crs.to_epsg() == 4326, path.name
        assert frame.geometry.notna().all(), path.name


def test_every_geometry_is_valid_and_wound_counter_clockwise(built: Build) -> None:
    for path in built.geojson_files():
        for number, feature in enumerate(features(path)):
            where = f"{path.name} feature {number} ({feature['properties'].get('county', '')})"
            geometry = feature["geometry"]
            shape = shapely.from_geojson(json.dumps(geometry))
            assert shape.is_valid, f"{where}: {shapely.is_valid_reason(shape)}"
            assert shape.geom_type != "GeometryCollection", where
            wound = orientation_errors(geometry)
            assert not wound, f"{where}: {len(wound)} rings wound the wrong way, e.g. {wound[:3]}"
            coordinates = shapely.get_coordinates(shape)
            assert np.array_equal(coordinates, np.round(coordinates, 7)), f"{where}: not on the 1e-7 grid"
            lon, lat = coordinates.T
            assert ((lon > 108) & (lon < 115) & (lat > 24) & (lat < 31)).all(), f"{where}: not lon, lat in Hunan"


def test_gdal_reads_valid_geometries(built: Build) -> None:
    for path in built.geojson_files():
        geometry = pyogrio.read_dataframe(path).geometry.to_numpy()
        invalid = np.flatnonzero(~shapely.is_valid(geometry))
        reasons = [shapely.is_valid_reason(geometry[i]) for i in invalid[:5]]
        assert not len(invalid), f"{path.name}: {len(invalid)} invalid, e.g. {reasons}"


def test_gap_polygons_keep_the_uncovered_area(sample: Build) -> None:
    """Per county, the written gap area matches the coverage table (0.5%) and the unrounded gaps (1e-5)."""
    table = pd.read_csv(sample.out_dir / "coverage.csv", dtype={"adcode": str}, encoding="utf-8-sig")
    uncovered = dict(zip(table["adcode"], table["area_km2"] - table["covered_km2"], strict=True))
    written = features(sample.out_dir / "gaps.geojson")
    (before,) = sample.written
    assert len(written) == len(before) == len(table) - 1  # one per county; the table adds the province
    for feature, unrounded in zip(written, before.geometry, strict=True):
        county = feature["properties"]["adcode"]
        shape = shapely.from_geojson(json.dumps(feature["geometry"]))
        km2 = projection.geometry_to_metres(shape).area / 1e6
        # The polygons approximate circle arcs by chords while the table's areas are exact, hence 0.5%.
        assert km2 == pytest.approx(uncovered[county], rel=5e-3), county
        assert shape.area == pytest.approx(unrounded.area, rel=1e-5), county


def test_sample_gaps_were_invalid_before_writing_and_are_not_now(sample: Build) -> None:
    """The regression this file was written for: 大祥区's gap self-intersects once unprojected and rounded."""
    (before,) = sample.written
    naive = shapely.transform(before.geometry.to_numpy(), lambda c: np.round(c, 7))
    written = [shapely.from_geojson(json.dumps(f["geometry"])) for f in features(sample.out_dir / "gaps.geojson")]
    assert shapely.is_valid(written).all()
    if shapely.is_valid(naive).all():
        pytest.skip("the sample no longer has a gap that naive rounding breaks; the unit tests still cover it")


def test_demand_gaps_are_points(with_demand: Build) -> None:
    written = features(with_demand.out_dir / "gaps.geojson")
    assert written and {f["geometry"]["type"] for f in written} == {"Point"}
    (before,) = with_demand.written
    assert [f["geometry"]["coordinates"] for f in written] == np.round(
        shapely.get_coordinates(before.geometry.to_numpy()), 7).tolist()


def test_gaps_are_byte_identical_when_written_again(built: Build) -> None:
    (before,) = built.written
    again = output.geojson_text(output.frame_features(before))
    assert again == (built.out_dir / "gaps.geojson").read_text(encoding="utf-8")


# Hand-built geometries near 长沙, in degrees.
X0, Y0 = 113.0, 28.0


def sliver() -> shapely.Polygon:
    """A polygon whose notch D lies 1e-9 degree inside edge AB; rounding to 1e-7 moves D across AB.

    A = (0, 0) stays; B = (2e-6, 0.96e-7) rounds up to 1e-7, lifting AB to 0.5e-7 at x = 1e-6, while
    D = (1e-6, 0.49e-7), just above AB's 0.48e-7 there, rounds down to 0: below the edge.
    """
    ring = [(0, 0), (2e-6, 0.96e-7), (2e-6, 1e-6), (1.2e-6, 1e-6), (1e-6, 0.49e-7), (0.8e-6, 1e-6), (0, 1e-6)]
    return shapely.Polygon([(X0 + x, Y0 + y) for x, y in ring])


def frame(*geometries: shapely.Geometry | None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"n": range(len(geometries))}, geometry=list(geometries), crs="EPSG:4326")


def written_shapes(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """The GeoJSON geometry objects `frame_features` writes, through the same text as gaps.geojson."""
    text = output.geojson_text(output.frame_features(frame))
    return [f["geometry"] for f in json.loads(text)["features"]]


def test_a_sliver_that_rounding_breaks_is_written_valid() -> None:
    polygon = sliver()
    assert polygon.is_valid
    naive = shapely.transform(polygon, lambda c: np.round(c, 7))
    assert not naive.is_valid, "the test polygon no longer breaks under naive rounding"
    for geometry in (polygon, shapely.MultiPolygon([polygon])):
        (shape,) = written_shapes(frame(geometry))
        written = shapely.from_geojson(json.dumps(shape))
        assert written.is_valid, shapely.is_valid_reason(written)
        # Snapped, the notch cuts the polygon in two: a Polygon may become a MultiPolygon, never the reverse.
        assert shape["type"] in {geometry.geom_type, "MultiPolygon"}
        assert orientation_errors(shape) == []
        # Every vertex moves at most half a grid step in x and y: the area by at most that times the outline.
        assert abs(written.area - polygon.area) <= polygon.length * GRID


def test_rings_are_wound_counter_clockwise_with_clockwise_holes() -> None:
    outer = [(X0, Y0), (X0, Y0 + 0.01), (X0 + 0.01, Y0 + 0.01), (X0 + 0.01, Y0)]  # clockwise
    hole = [(X0 + 0.004, Y0 + 0.004), (X0 + 0.006, Y0 + 0.004), (X0 + 0.006, Y0 + 0.006)]  # counter-clockwise
    polygon = shapely.Polygon(outer, [hole])
    multi = shapely.MultiPolygon([polygon, shapely.box(X0 + 1, Y0, X0 + 1.1, Y0 + 1, ccw=False)])
    for geometry, shape in zip((polygon, multi), written_shapes(frame(polygon, multi)), strict=True):
        assert shape["type"] == geometry.geom_type
        assert orientation_errors(shape) == []
        assert shapely.from_geojson(json.dumps(shape)).area == pytest.approx(geometry.area, rel=1e-9)


def test_an_invalid_polygon_is_repaired_into_polygons_not_a_collection() -> None:
    bowtie = shapely.Polygon([(X0, Y0), (X0 + 0.01, Y0 + 0.01), (X0 + 0.01, Y0), (X0, Y0 + 0.01)])
    spike = shapely.Polygon([(X0, Y0), (X0 + 0.01, Y0), (X0 + 0.01, Y0 + 0.01), (X0 + 0.02, Y0 + 0.01),
                             (X0 + 0.01, Y0 + 0.01), (X0, Y0 + 0.01)])  # a zero-width spike off a square
    assert not bowtie.is_valid and not spike.is_valid
    cases = {bowtie: 0.01**2 / 2, spike: 0.01**2, shapely.MultiPolygon([spike]): 0.01**2}
    for (geometry, area), shape in zip(cases.items(), written_shapes(frame(*cases)), strict=True):
        written = shapely.from_geojson(json.dumps(shape))
        assert written.geom_type in ("Polygon", "MultiPolygon"), written.geom_type
        assert written.is_valid, shapely.is_valid_reason(written)
        assert written.area == pytest.approx(area, rel=1e-6)
        assert orientation_errors(shape) == []
        if geometry.geom_type == "MultiPolygon":
            assert shape["type"] == "MultiPolygon"


def test_collapsed_and_missing_geometries_are_written_as_rfc_7946_allows() -> None:
    speck = shapely.box(X0, Y0, X0 + 1e-9, Y0 + 1e-9)  # smaller than the grid: nothing left once snapped
    shapes = written_shapes(frame(speck, shapely.MultiPolygon([speck]), shapely.MultiPolygon(), None,
                                  shapely.Point(X0 + 1.23456789, Y0)))
    assert shapes == [
        {"type": "Polygon", "coordinates": []},
        {"type": "MultiPolygon", "coordinates": []},
        {"type": "MultiPolygon", "coordinates": []},
        None,
        {"type": "Point", "coordinates": [114.2345679, 28.0]},
    ]
