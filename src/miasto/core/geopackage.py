"""Writing features a module computed to a GeoPackage, with GDAL, for any module's export.

The data hub exports dataset versions straight from their tables (``datahub.exports``);
other modules (survey results, consultation comments) have features of their own that they
select in PostGIS as GeoJSON. This helper takes those feature collections — our own data,
never a user's file — and has ``ogr2ogr`` write them as layers of one GeoPackage, so no
module needs the data hub (modules stay independent) nor writes SQLite by hand. The process
runs with only the GeoJSON and GeoPackage drivers and no network
(:func:`miasto.core.gdal.tool_env`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from miasto.core.gdal import tool_env
from miasto.core.jobs import JobError

OGR2OGR = os.environ.get("MIASTO_OGR2OGR", "ogr2ogr")
#: GeoJSON geometry type → ``-nlt`` of the layer (``None``: a table without geometry)
LAYER_TYPES = {"Point": "POINT", "LineString": "LINESTRING", "Polygon": "POLYGON", None: "NONE"}
TIMEOUT = 300  # seconds
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class GpkgLayer:
    """A layer: its name (lower-case letters, digits, ``_``), the geometry type of its
    features (``"Point"``…, or None for a plain table) and a GeoJSON FeatureCollection whose
    coordinates are in the GeoPackage's CRS."""

    name: str
    geometry_type: str | None
    features: dict[str, Any]


def geopackage(layers: Sequence[GpkgLayer], *, epsg: int) -> bytes:
    """A GeoPackage holding ``layers`` in EPSG:``epsg``, as bytes (for exports of at most
    some tens of thousands of features; bigger ones stream from ``ogr2ogr`` like the data
    hub's)."""
    if not layers:
        raise ValueError("a GeoPackage needs at least one layer")
    workdir = Path(tempfile.mkdtemp(prefix="miasto-gpkg-"))
    try:
        out = workdir / "export.gpkg"
        for index, layer in enumerate(layers):
            _write_layer(workdir, out, layer, epsg=epsg, update=index > 0)
        return out.read_bytes()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _write_layer(workdir: Path, out: Path, layer: GpkgLayer, *, epsg: int, update: bool) -> None:
    if not _NAME.match(layer.name) or layer.geometry_type not in LAYER_TYPES:
        raise ValueError(f"bad GeoPackage layer {layer.name!r} ({layer.geometry_type})")
    source = workdir / f"{layer.name}.geojson"
    source.write_text(json.dumps(layer.features, ensure_ascii=False), encoding="utf-8")
    args = [OGR2OGR, "-f", "GPKG", *(["-update"] if update else []), str(out), str(source)]
    args += ["-nln", layer.name, "-nlt", LAYER_TYPES[layer.geometry_type]]
    if layer.geometry_type is not None:
        args += ["-a_srs", f"EPSG:{int(epsg)}"]
    proc = subprocess.run(  # noqa: S603 — argument list, no shell; our own file
        args,
        capture_output=True,
        env=tool_env("GeoJSON", output="GPKG"),
        timeout=TIMEOUT,
        check=False,
    )
    if proc.returncode != 0:
        detail = proc.stderr.decode(errors="replace").strip()[-300:]
        raise JobError(f"Zapis GeoPackage nie powiódł się: {detail}")
