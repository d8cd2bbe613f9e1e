"""Run a command as a child process and measure its wall time and peak memory; parse mapgen's time line."""

from __future__ import annotations

import io
import json
import os
import pstats
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TIME_LINE = re.compile(r"^time: (.*)$", re.MULTILINE)
_STAGE = re.compile(r"(\w+) ([\d.]+) s")


@dataclass(frozen=True)
class Run:
    """One finished (or killed) child process: wall and CPU seconds, peak resident memory in MB (1e6 bytes),
    output, and the machine's 1-minute load average as it ended (this child included)."""

    seconds: float
    peak_mb: float
    output: str
    returncode: int
    timed_out: bool
    cpu_s: float = 0.0
    load: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the command exited 0 within its time limit."""
        return self.returncode == 0 and not self.timed_out


def run(command: list[str], *, limit_s: float, cwd: Path = ROOT) -> Run:
    """Run `command`, killing it after `limit_s` seconds; peak RSS and CPU time come from wait4() for this
    child only, so CPU time (user + system) stays comparable when other jobs load the machine."""
    killed = threading.Event()
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        timer = threading.Timer(limit_s, lambda: (killed.set(), process.kill()))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss * 1024 / 1e6, text, process.returncode, killed.is_set(),
               usage.ru_utime + usage.ru_stime, os.getloadavg()[0])


def stage_times(output: str) -> dict[str, float]:
    """The stages of `time: read X s, analyse Y s, write Z s` (the last such line of the output)."""
    lines = _TIME_LINE.findall(output)
    return {stage: float(seconds) for stage, seconds in _STAGE.findall(lines[-1])} if lines else {}


def mapgen_build(stations: Path, demand: Path, out_dir: Path, *, limit_s: float, profile: Path | None = None) -> Run:
    """`python -m mapgen build` on the benchmark inputs (the sample's union offices), optionally under cProfile."""
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    command = [
        _python(), *profiler, "-m", "mapgen", "build", "--stations", str(stations),
        "--offices", str(ROOT / "geodata" / "sample" / "offices.csv"), "--demand", str(demand),
        "--out-dir", str(out_dir),
    ]  # fmt: skip
    return run(command, limit_s=limit_s)


def naive_build(stations: Path, out: Path, *, limit_s: float) -> Run:
    """The baseline folium build (bench/naive.py) in a child process."""
    return run([_python(), str(Path(__file__).with_name("naive.py")), "--stations", str(stations),
                "--out", str(out)], limit_s=limit_s)  # fmt: skip


def _python() -> str:
    """The interpreter running the benchmark, so children use the same environment."""
    return sys.executable


def profile_summary(path: Path, *, cumulative: int = 25, own: int = 12) -> str:
    """A cProfile file as text: mapgen's functions by cumulative time, then all functions by own time."""
    stream = io.StringIO()
    stats = pstats.Stats(str(path), stream=stream)
    stream.write("mapgen's functions by cumulative time:\n")
    stats.sort_stats("cumulative").print_stats(f"{ROOT.name}/mapgen/", cumulative)
    stream.write("all functions by own (internal) time:\n")
    stats.sort_stats("tottime").print_stats(own)
    lines = [line for line in stream.getvalue().splitlines() if line.strip() and not _PSTATS_NOISE.match(line)]
    return re.sub(r"/\S*?/(site-packages|lib/python3\.\d+|" + re.escape(ROOT.name) + r")/", "", "\n".join(lines))


_PSTATS_NOISE = re.compile(r"^\s*(Ordered by|List reduced|\d+ function calls|.*\.prof$|   Random listing)")


def import_summary(top: int = 8) -> str:
    """Start-up cost of a build: Python with mapgen's modules imported, and the largest packages imported."""
    modules = "import mapgen.cli, mapgen.build, mapgen.web"
    bare = run([_python(), "-c", "pass"], limit_s=60).seconds
    loaded = run([_python(), "-X", "importtime", "-c", modules], limit_s=120)
    roots: dict[str, int] = {}
    for cumulative_us, name in re.findall(r"import time:\s+\d+ \|\s+(\d+) \| (.*)", loaded.output):
        root = name.strip()
        if "." not in root:
            roots[root] = max(roots.get(root, 0), int(cumulative_us))
    largest = sorted(roots.items(), key=lambda kv: -kv[1])[:top]
    return (f"python -c '{modules}': {loaded.seconds:.2f} s wall (bare python: {bare:.2f} s); "
            "largest imports (cumulative, -X importtime): "
            + ", ".join(f"{name} {us / 1e6:.2f} s" for name, us in largest))  # fmt: skip


def html_breakdown(html: Path, top: int = 12) -> str:
    """Where the bytes of a mapgen index.html go: the embedded data's top-level keys and station columns."""
    text = html.read_text(encoding="utf-8")
    start = text.index('id="mapgen-data">') + len('id="mapgen-data">')
    data_text = text[start : text.index("</script>", start)]
    data = json.loads(data_text)
    parts = {key: len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()) for key, value in
             data.items() if key != "stations"}  # fmt: skip
    parts |= {f"stations.{key}": len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
              for key, value in data["stations"].items()}  # fmt: skip
    total = len(text.encode())
    lines = [f"index.html {total / 1e6:.2f} MB: embedded data {len(data_text.encode()) / 1e6:.2f} MB, "
             f"the rest (Leaflet, page script, CSS, HTML) {(total - len(data_text.encode())) / 1e6:.2f} MB",
             "      MB  part of the embedded data"]  # fmt: skip
    lines += [f"{size / 1e6:8.3f}  {key}" for key, size in sorted(parts.items(), key=lambda kv: -kv[1])[:top]]
    return "\n".join(lines)
