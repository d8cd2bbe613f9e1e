"""The baseline: the map a folium user writes in an afternoon (a marker, a popup and a 1 km circle per station)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import folium
import pandas as pd

COUNTIES_GEOJSON = Path(__file__).resolve().parent.parent / "geodata" / "hunan_counties.geojson"


def build_naive(stations: Path, out: Path) -> None:
    """Write a folium map with one Marker (popup: name, address) and one 1 km Circle per station."""
    frame = pd.read_csv(stations, encoding="utf-8-sig", dtype=str)
    fmap = folium.Map(location=[27.6, 111.7], zoom_start=7)
    folium.GeoJson(str(COUNTIES_GEOJSON), name="counties").add_to(fmap)
    for row in frame.itertuples(index=False):
        lat, lon = float(row.纬度), float(row.经度)
        folium.Marker([lat, lon], popup=f"{row.站点名称}<br>{row.地址}").add_to(fmap)
        folium.Circle([lat, lon], radius=1000).add_to(fmap)
    fmap.save(str(out))


def main() -> None:
    """Build the naive map from the command line and print the time it took."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stations", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    start = time.perf_counter()
    build_naive(args.stations, args.out)
    print(f"time: build {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
