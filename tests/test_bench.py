"""Smoke test of the benchmark: `bench/run.py --quick` still runs and reports a number in every column."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("## mapgen against the targets", "## The naive folium map (baseline)", "## Detail")


def _table_after(text: str, heading: str) -> list[list[str]]:
    """The cells of the Markdown table under a heading: header row, then data rows (no separator)."""
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|") and not line.startswith(("|---", "|:--"))]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_quick_benchmark_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--work", str(tmp_path / "work"),
               "--out", str(out)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for heading in TABLES:
        header, *rows = _table_after(text, heading)
        assert len(rows) == 1, f"{heading}: expected one row (1,000 stations), got {rows}"
        assert rows[0][0] == "1,000 mixed"  # the quick run's one distribution: towns and countryside
        for column, value in zip(header, rows[0], strict=True):
            if column != "median stable":  # one run: no median to call stable
                assert re.search(r"\d", value), f"{heading}: column {column!r} has no number: {value!r}"
    assert "Chromium" in text and "cores" in text


def test_quick_suggestion_benchmark_agrees_with_the_naive_greedy(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS-suggestions.md"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "suggestions.py"), "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    _header, *rows = _table_after(out.read_text(encoding="utf-8"), "# Site suggestions")
    assert [row[3] for row in rows] == ["mapgen", "naive"]
    covered = {row[3]: float(row[5].replace(",", "")) for row in rows}
    assert covered["mapgen"] >= covered["naive"] > 0  # greedy plus exchange never does worse than greedy


def test_quick_network_benchmark_reports_every_stage(tmp_path):
    out = tmp_path / "RESULTS-network.md"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "network.py"), "--quick", "--work", str(tmp_path),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    header, *rows = _table_after(out.read_text(encoding="utf-8"), "# Street-network reach")
    assert len(rows) == 1 and rows[0][0] == "3,120"  # a 40 x 40 grid: 2 x 40 x 39 edges
    for column, value in zip(header, rows[0], strict=True):
        assert re.search(r"\d", value), f"column {column!r} has no number: {value!r}"
