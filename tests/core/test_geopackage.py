"""core.geopackage: a module's own features written as GeoPackage layers by GDAL, read back
with GDAL; bad layer declarations are refused before GDAL runs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from miasto.core.geopackage import GpkgLayer, geopackage

POINTS = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [500100.0, 380100.0]},
         "properties": {"name": "Łąka", "n": 3}},
    ],
}  # fmt: skip
TABLE = {
    "type": "FeatureCollection",
    "features": [{"type": "Feature", "geometry": None, "properties": {"answer": "tak"}}],
}


def test_layers_are_written_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "out.gpkg"
    path.write_bytes(
        geopackage(
            [GpkgLayer("miejsca", "Point", POINTS), GpkgLayer("odpowiedzi", None, TABLE)], epsg=2180
        )
    )
    info = subprocess.run(["ogrinfo", "-ro", "-al", str(path)], capture_output=True, check=True)
    text = info.stdout.decode()
    assert "Layer name: miejsca" in text and "Layer name: odpowiedzi" in text
    assert "POINT (500100 380100)" in text and "Łąka" in text and "answer (String) = tak" in text
    assert 'ID["EPSG",2180]' in text


@pytest.mark.parametrize(
    "layers",
    [[], [GpkgLayer("Bad-Name; DROP", "Point", POINTS)], [GpkgLayer("ok", "Circle", POINTS)]],
)
def test_bad_layers_are_refused(layers: list[GpkgLayer]) -> None:
    with pytest.raises(ValueError):
        geopackage(layers, epsg=2180)
