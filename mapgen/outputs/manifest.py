"""manifest.json: what produced an output directory (mapgen and data versions, settings, input files)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

from mapgen import __version__
from mapgen.geo import geography
from mapgen.inputs.reading import ReadResult
from mapgen.settings import Settings

_CHUNK = 1 << 20


def manifest_json(reads: Mapping[str, ReadResult], settings: Settings, outputs: Sequence[str], *,
                  sample: bool) -> str:
    """The manifest's text: no clock time in it, so the same inputs give the same bytes."""
    document = {
        "mapgen": __version__,
        "data": json.loads((geography.GEODATA / "sources.json").read_text("utf-8")),
        "sample": sample,
        "settings": _settings(settings),
        "inputs": [*(_input(kind, Path(name), read.datums[name], reads) for kind, read in reads.items()
                     for name in read.datums), *_network(settings)],
        "outputs": sorted([*outputs, "manifest.json"]),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _settings(settings: Settings) -> dict[str, object]:
    # Where and with how many processes a build ran changes none of its bytes: left out, so the manifest is too.
    values = {key: value for key, value in asdict(settings).items() if key not in ("out_dir", "workers")}
    values["network"] = None if settings.network is None else str(settings.network)
    values["tianditu_key"] = "(set)" if settings.tianditu_key else ""  # a key is a credential: never published
    values["radius_m"] = settings.radius_m
    return values


def _network(settings: Settings) -> list[dict[str, object]]:
    """The OpenStreetMap extract of --network as an input (OSM is WGS-84), or nothing without one."""
    if settings.network is None:
        return []
    path = settings.network
    return [{"kind": "network", "file": str(path), "size": path.stat().st_size, "sha256": sha256(path),
             "datum": "wgs84", "licence": "ODbL-1.0 (© OpenStreetMap contributors)"}]


def _input(kind: str, path: Path, crs: str, reads: Mapping[str, ReadResult]) -> dict[str, object]:
    """One input file: name as given, size, SHA-256, the datum it was read in, and its row counts.

    Counts span every kind: a station file's office rows (as in stations.geojson) end up among the offices.
    """
    accepted = sum(int((read.points["source"] == str(path)).sum()) for read in reads.values() if len(read.points))
    rejected = sum(1 for read in reads.values() for reject in read.rejects if reject.file == str(path))
    return {"kind": kind, "file": str(path), "size": path.stat().st_size, "sha256": sha256(path),
            "datum": crs, "rows": accepted + rejected, "accepted": accepted, "rejected": rejected}


def sha256(path: Path) -> str:
    """The file's SHA-256, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
