"""Plain-text reports for the terminal: what was read and rejected, and the planner's summary."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from mapgen.geo.geography import PROVINCE_ADCODE
from mapgen.inputs.reading import ReadResult
from mapgen.network import BAND_M

_SHOWN_NOTICES = 20
_SHOWN_COUNTIES = 5
_LABELS = {"station": "stations", "office": "offices", "demand": "demand points", "candidate": "candidate sites"}
_DATUM_NAMES = {"gcj02": "GCJ-02 (Amap)", "wgs84": "WGS-84 (GPS)", "bd09": "BD-09 (Baidu)"}


def read_summary(reads: Mapping[str, ReadResult]) -> list[str]:
    """One line per kind of input: rows read, accepted, rejected; then the first notices."""
    lines = []
    for kind, read in reads.items():
        lines.append(f"{_LABELS[kind]}: {read.rows_read:,} rows read, {len(read.points):,} accepted, "
                     f"{len(read.rejects):,} rejected")
        lines.extend(f"  {file}: coordinates read as {_DATUM_NAMES[crs]}" for file, crs in read.datums.items())
    notices = [n for read in reads.values() for n in read.notices]
    for notice in notices[:_SHOWN_NOTICES]:
        lines.append(f"  note: {notice.file} row {notice.row}: {notice.message}")
    if len(notices) > _SHOWN_NOTICES:
        lines.append(f"  ... and {len(notices) - _SHOWN_NOTICES:,} more notes")
    return lines


def reject_lines(reads: Mapping[str, ReadResult]) -> list[str]:
    """Every rejected row, one line each, as `validate` prints them."""
    return [f"  {r.file} row {r.row} [{r.column}] {r.value!r}: {r.reason}"
            for read in reads.values() for r in read.rejects]


def planner_summary(table: pd.DataFrame, radius_m: float) -> list[str]:
    """The province's figures and the counties most in need: lowest coverage, largest uncovered demand."""
    province = table[table["adcode"] == PROVINCE_ADCODE].iloc[0]
    counties = table[table["adcode"] != PROVINCE_ADCODE]
    along_streets = "reach" in table and (table["reach"] == "network").any()
    place = "Hunan"
    if pd.isna(province["covered_pct"]) and counties["covered_pct"].notna().any():
        # --network with --county: the streets were read for that county only, the other rows are blank.
        counties = counties[counties["covered_pct"].notna()]
        province, place = counties.iloc[0], str(counties.iloc[0]["county"])
    lines = [
        f"reach: a {radius_m:,.0f} m walk along the streets from each station (streets drawn {BAND_M:.0f} m wide "
        "each side)" if along_streets else
        f"reach: {radius_m:,.0f} m straight-line radius around each station (not a walk along roads)",
        f"{place}: {province['covered_pct']:.2f}% of {province['area_km2']:,.0f} km² within reach, "
        f"{province['cross_covered_pct']:.2f}% within reach of two or more stations",
        "lowest coverage:",
        *_rows(counties.sort_values(["covered_pct", "adcode"]).head(_SHOWN_COUNTIES),
               lambda r: f"{r['covered_pct']:6.2f}%  {int(r['stations']):5d} stations"),
    ]
    if counties["demand_total"].notna().any():
        uncovered = counties.assign(gap=counties["demand_total"] - counties["demand_covered"])
        lines.append(f"demand: {province['demand_covered_pct']:.2f}% of {province['demand_total']:,.0f} "
                     "workers within reach; largest uncovered demand:")
        lines.extend(_rows(uncovered.sort_values(["gap", "adcode"], ascending=[False, True]).head(_SHOWN_COUNTIES),
                           lambda r: f"{r['gap']:8,.0f} workers uncovered ({r['demand_covered_pct']:.1f}% covered)"))
    if "open_at" in table:
        lines.extend(_night_lines(province, counties))
    return lines


def network_summary(off_network: pd.DataFrame | None, source: object) -> list[str]:
    """With --network: the extract, and the stations and demand points that cannot join its streets."""
    if off_network is None:
        return []
    lines = [f"streets: {source} (© OpenStreetMap contributors, ODbL)"]
    for kind, label in (("station", "stations"), ("demand", "demand points")):
        far = off_network[off_network["kind"] == kind]
        if len(far):
            lines.append(f"  {len(far):,} {label} more than 500 m from every walkable way cannot use the street "
                         "network (kept on the map; listed in off_network.csv):")
            lines.extend(f"    {row.file} row {row.row}: {row.name} ({row.id}), nearest street node "
                         f"{row.nearest_node_m:,.0f} m" for row in far.head(_SHOWN_COUNTIES).itertuples(index=False))
    if len(off_network) == 0:
        lines.append("  every station and demand point joins the street network")
    return lines


def _night_lines(province: pd.Series, counties: pd.DataFrame) -> list[str]:
    """Day against the time of `open_at` (on a weekday): coverage, demand, open and unknown-hours stations."""
    at = province["open_at"]
    lines = [
        f"at {at} on a weekday: {int(province['open_stations']):,} of {int(province['stations']):,} stations open; "
        f"{province['open_covered_pct']:.2f}% of Hunan within reach (by day {province['covered_pct']:.2f}%)",
    ]
    if province["demand_total"] > 0:
        lines.append(f"  demand within reach at {at}: {province['open_demand_covered_pct']:.2f}% of workers "
                     f"(by day {province['demand_covered_pct']:.2f}%)")
    unknown = int(province["unknown_hours_stations"])
    if not unknown:
        lines.append("  every station's hours were understood")
    else:
        most = counties[counties["unknown_hours_stations"] > 0].sort_values(
            ["unknown_hours_stations", "adcode"], ascending=[False, True]).head(_SHOWN_COUNTIES)
        lines.append(f"  {unknown:,} stations with missing or unreadable hours, not counted as open at {at}; most in:")
        lines.extend(_rows(most, lambda r: f"{int(r['unknown_hours_stations']):5d} stations with unknown hours"))
    return lines


def _rows(frame: pd.DataFrame, describe: Callable[[pd.Series], str]) -> list[str]:
    return [f"  {r['adcode']} {r['county']:<8} {describe(r)}" for _, r in frame.iterrows()]


def suggestion_summary(suggestions: Any) -> list[str]:
    """What the suggested sites add, and how close they come to the best possible (None: no lines)."""
    if suggestions is None:
        return []
    sites = suggestions.sites
    if sites.empty:
        return ["suggestions: every demand point a candidate could reach is already covered; no new site helps"]
    total = suggestions.total_demand
    before = 100.0 * suggestions.existing_covered / total if total > 0 else 0.0
    after = float(sites["cumulative_covered_pct"].iloc[-1])
    lines = [f"suggestions: {len(sites)} new sites bring {sites['newly_covered'].sum():,.0f} more workers within "
             f"reach ({before:.1f}% -> {after:.1f}% of demand), {100.0 * suggestions.share_of_best:.1f}% of the best "
             f"possible ({suggestions.bound_method} bound); see suggestions.csv"]
    for site in sites.head(_SHOWN_COUNTIES).itertuples(index=False):
        lines.append(f"  #{site.rank} {site.county} ({site.lon_gcj02:.5f}, {site.lat_gcj02:.5f} GCJ-02): "
                     f"+{site.newly_covered:,.0f} workers, nearest station {site.nearest_station_m / 1000:.1f} km")
    return lines
