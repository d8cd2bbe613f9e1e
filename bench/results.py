"""The targets, and the Markdown report of a benchmark run (medians, met/missed, ratios, profiles)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Text after this line in an existing results file is kept when the file is written again.
NOTES_MARKER = "<!-- Hand-written analysis below this line is kept when bench/run.py rewrites this file. -->"


@dataclass(frozen=True)
class Target:
    """An upper bound on a measured figure (or, with `at_least`, a lower bound on a ratio)."""

    limit: float
    unit: str
    at_least: bool = False
    inclusive: bool = False  # "≤ 1.0 s" rather than "< 1.0 s"

    def met(self, value: float) -> bool:
        """Whether a measured value meets the target."""
        if self.at_least:
            return value >= self.limit
        return value <= self.limit if self.inclusive else value < self.limit

    def text(self) -> str:
        """The target as the issue writes it: '< 1.5 s' or '≥ 10×'."""
        sign = "≥" if self.at_least else "≤" if self.inclusive else "<"
        return f"{sign} {_number(self.limit)}{self.unit}"


# The performance issue's targets (#15), the same for every distribution of the stations; page size and
# nearest() keep the first benchmark's targets.
TARGETS: dict[int, dict[str, Target]] = {
    4000: {"build_s": Target(1.0, " s"), "peak_mb": Target(300, " MB"), "html_mb": Target(1.5, " MB"),
           "paint_s": Target(0.5, " s"), "redraw_ms": Target(100, " ms"), "nearest_ms": Target(1, " ms")},
    20000: {"build_s": Target(2.0, " s"), "peak_mb": Target(600, " MB"), "html_mb": Target(4, " MB"),
            "paint_s": Target(0.7, " s"), "redraw_ms": Target(100, " ms"), "nearest_ms": Target(1, " ms"),
            "build_ratio": Target(15, "×", at_least=True), "html_ratio": Target(8, "×", at_least=True),
            "paint_ratio": Target(20, "×", at_least=True)},
    186000: {"build_s": Target(20, " s"), "peak_mb": Target(1500, " MB"), "html_mb": Target(25, " MB"),
             "paint_s": Target(1.0, " s", inclusive=True), "redraw_ms": Target(100, " ms"),
             "nearest_ms": Target(2, " ms")},
}  # fmt: skip

# (key, column heading, unit, decimals) of the main tables.
MAPGEN_COLUMNS = (
    ("build_s", "build", " s", 2), ("cpu_s", "build CPU", " s", 2), ("peak_mb", "peak memory", " MB", 0),
    ("html_mb", "index.html", " MB", 2), ("paint_s", "first paint", " s", 2),
    ("redraw_ms", "redraw after zoom", " ms", 0), ("nearest_ms", "nearest() per call", " ms", 3),
)  # fmt: skip
NAIVE_COLUMNS = (
    ("naive_build_s", "naive build", " s", 1), ("naive_peak_mb", "naive peak memory", " MB", 0),
    ("naive_html_mb", "naive HTML", " MB", 1), ("naive_load_s", "naive load", " s", 2),
    ("naive_redraw_ms", "naive redraw after zoom", " ms", 0), ("build_ratio", "build: naive ÷ mapgen", "×", 1),
    ("html_ratio", "HTML: naive ÷ mapgen", "×", 1), ("paint_ratio", "load: naive ÷ mapgen first frame", "×", 1),
)  # fmt: skip
BEST_COLUMNS = (
    ("sc_frame_s", "supercluster first frame", " s", 2), ("frame_s", "mapgen first frame", " s", 2),
    ("sc_ratio", "first frame: mapgen ÷ supercluster", "×", 2), ("sc_redraw_ms", "supercluster redraw", " ms", 0),
    ("redraw_ms", "mapgen redraw", " ms", 0),
)  # fmt: skip
DETAIL_COLUMNS = (
    ("read_s", "read s", 2), ("analyse_s", "analyse s", 2), ("write_s", "write s", 2), ("paint_s", "paint s", 3),
    ("frame_s", "first frame s", 3), ("ready_s", "ready s", 3), ("redraw_sync_ms", "zoom JS ms", 0),
    ("redraw_ms", "zoom + frame ms", 0), ("nearest_mean_ms", "nearest mean ms", 4),
    ("nearest_p95_ms", "nearest p95 ms", 4), ("load", "load avg", 1),
)  # fmt: skip
# A median is called stable when adding the last run moved it by less than this share.
STABLE_SHARE = 0.05


@dataclass
class SizeResult:
    """All runs at one number of stations in one distribution, and notes on what was not measured."""

    stations: int
    distribution: str = "clustered"
    runs: list[dict[str, float]] = field(default_factory=list)
    naive_runs: list[dict[str, float]] = field(default_factory=list)
    naive_note: str = ""
    best_note: str = ""
    profiles: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """'186,000 spread': the row's name in the tables."""
        return f"{self.stations:,} {self.distribution}"

    def medians(self) -> dict[str, float]:
        """Median of every figure over the runs, plus the naive ÷ mapgen ratios of the medians."""
        values: dict[str, list[float]] = {}
        for run in [*self.runs, *self.naive_runs]:
            for key, value in run.items():
                values.setdefault(key, []).append(value)
        medians = {key: statistics.median(v) for key, v in values.items()}
        for ratio, top, bottom in (("build_ratio", "naive_build_s", "build_s"),
                                   ("html_ratio", "naive_html_mb", "html_mb"),
                                   ("paint_ratio", "naive_load_s", "frame_s"),
                                   ("sc_ratio", "frame_s", "sc_frame_s")):  # fmt: skip
            if top in medians and medians.get(bottom):
                medians[ratio] = medians[top] / medians[bottom]
        return medians

    def stable(self, key: str = "build_s") -> tuple[bool, float]:
        """Whether the median of `key` moved less than STABLE_SHARE with the last run, and by how much."""
        values = [run[key] for run in self.runs if key in run]
        if len(values) < 3:
            return False, float("nan")
        before, after = statistics.median(values[:-1]), statistics.median(values)
        moved = abs(after - before) / after if after else 0.0
        return moved < STABLE_SHARE, moved

    def misses(self) -> list[tuple[str, float, Target]]:
        """(figure, median, target) for every target this size missed."""
        medians = self.medians()
        targets = TARGETS.get(self.stations, {})
        return [(key, medians[key], t) for key, t in targets.items() if key in medians and not t.met(medians[key])]


def _number(value: float, decimals: int | None = None) -> str:
    """A number with thousands separators; integers without decimals unless asked."""
    if decimals is None:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"
    return f"{value:,.{decimals}f}"


def cell(result: SizeResult, key: str, unit: str, decimals: int) -> str:
    """One table cell: the median, and against its target 'met' or '**missed**'."""
    medians = result.medians()
    if key not in medians:
        return "–"
    text = f"{_number(medians[key], decimals)}{unit}"
    target = TARGETS.get(result.stations, {}).get(key)
    if target is None:
        return text
    verdict = "met" if target.met(medians[key]) else "**missed**"
    return f"{text} {verdict} ({target.text()})"


def table(results: list[SizeResult], columns: tuple[tuple[str, str, str, int], ...]) -> list[str]:
    """A Markdown table: one row per size and distribution (rows without any figure left out)."""
    lines = ["| stations | " + " | ".join(c[1] for c in columns) + " |", "|:--" + "|---:" * len(columns) + "|"]
    for result in results:
        cells = [cell(result, key, unit, decimals) for key, _, unit, decimals in columns]
        if any(c != "–" for c in cells):
            lines.append(f"| {result.label} | " + " | ".join(cells) + " |")
    return lines


def detail_table(results: list[SizeResult]) -> list[str]:
    """Medians of the split and secondary figures, and every run's build time (to show the noise)."""
    heads = [c[1] for c in DETAIL_COLUMNS]
    lines = ["| stations | runs | " + " | ".join(heads) + " | build s (CPU s) per run | median stable |",
             "|:--" + "|---:" * (len(heads) + 1) + "|:--|:--|"]  # fmt: skip
    for result in results:
        medians = result.medians()
        cells = [_number(medians[k], d) if k in medians else "–" for k, _, d in DETAIL_COLUMNS]
        per_run = ", ".join(f"{run['build_s']:.2f} ({run.get('cpu_s', float('nan')):.2f})" for run in result.runs)
        stable, moved = result.stable()
        verdict = ("yes" if stable else "**no**") + (f" ({100 * moved:.1f}%)" if moved == moved else "")
        lines.append(f"| {result.label} | {len(result.runs)} | " + " | ".join(cells) + f" | {per_run} | {verdict} |")
    return lines


def report(results: list[SizeResult], context: dict[str, Any]) -> str:
    """The whole results file (without the kept hand-written notes)."""
    lines = ["# Benchmark results", "", *_context_lines(context), "", "## mapgen against the targets", ""]
    lines += table(results, MAPGEN_COLUMNS)
    lines += ["", "## The naive folium map (baseline) and mapgen's advantage", ""]
    lines += table(results, NAIVE_COLUMNS)
    notes = [f"- {r.label}: {r.naive_note}" for r in results if r.naive_note]
    lines += ["", *notes] if notes else []
    lines += ["", "## The best known technique: supercluster on a canvas, same points, same browser", ""]
    lines += table(results, BEST_COLUMNS)
    notes = sorted({r.best_note for r in results if r.best_note})
    lines += ["", *(f"- {note}" for note in notes)] if notes else []
    lines += ["", "## Detail (medians; per-run build times show the machine's noise)", "", *detail_table(results)]
    lines += ["", *_miss_lines(results)]
    return "\n".join(lines) + "\n"


def _context_lines(context: dict[str, Any]) -> list[str]:
    """Machine, versions, date, runs and the command, as a list."""
    return [f"- **{key}**: {value}" for key, value in context.items()]


def _miss_lines(results: list[SizeResult]) -> list[str]:
    """Every missed target with its measured median, and the profiles taken for them."""
    lines = ["## Missed targets (measured medians; profiles taken in the same run)", ""]
    misses = [(r, key, value, target) for r in results for key, value, target in r.misses()]
    if not misses:
        return [*lines, "None: every target was met.", ""]
    for result, key, value, target in misses:
        lines.append(f"- {result.label}, {key}: {_number(value, 3)} (target {target.text()})")
    for result in results:
        for name, text in result.profiles.items():
            lines += ["", f"### Profile: {name} at {result.label}", "", "```", text, "```"]
    return [*lines, ""]


def write(path: Path, text: str) -> None:
    """Write the results, keeping any hand-written notes after NOTES_MARKER in the existing file."""
    notes = f"{NOTES_MARKER}\n"
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if NOTES_MARKER in old:
            notes = NOTES_MARKER + old.split(NOTES_MARKER, 1)[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{text}\n{notes}", encoding="utf-8")
